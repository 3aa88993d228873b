"""Rules for the resource catalogue and referrals. Services flush; callers commit."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from wijkteam.audit.services import record
from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.cases.services import team_people
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.core.editing import create, save_changes
from wijkteam.core.errors import FieldError, NotAllowed
from wijkteam.core.permissions import require_can_edit_case
from wijkteam.resources.models import (
    Audience,
    Direction,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    Resource,
    ResourceKind,
)
from wijkteam.web.forms import clean_text, whole_number

NEEDS_FAMILY_AGREEMENT = (ReferralStatus.AGREED, ReferralStatus.MADE, ReferralStatus.STARTED)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _require_team(actor: User) -> int:
    if not actor.active or actor.team_id is None:
        raise NotAllowed(_l("Only members of a team keep a resource catalogue."))
    return actor.team_id


def _check_resource(data: dict[str, Any]) -> dict[str, Any]:
    if not data.get("name", "").strip():
        raise FieldError("name", _l("Fill in the name."))
    if not data.get("contact_name", "").strip():
        raise FieldError("contact_name", _l("Name a contact person: who do families ask for?"))
    age_from, age_to = data.get("age_from"), data.get("age_to")
    for name, age in (("age_from", age_from), ("age_to", age_to)):
        if age is not None and not 0 <= age <= 120:
            raise FieldError(name, _l("An age from 0 to 120."))
    if age_from is not None and age_to is not None and age_to < age_from:
        raise FieldError("age_to", _l("The upper age must not be below the lower age."))
    if data.get("contact_email") and not EMAIL.match(data["contact_email"]):
        raise FieldError("contact_email", _l("This is not a valid e-mail address."))
    return data


def add_resource(actor: User, data: dict[str, Any]) -> Resource:
    """Add a resource to the team's catalogue."""
    team_id = _require_team(actor)
    resource = Resource(team_id=team_id, **_check_resource(data))
    return create(actor, resource, action="resource.create")


def update_resource(
    actor: User, resource: Resource, *, expected_version: int | None, data: dict[str, Any]
) -> list[str]:
    """Change a catalogue entry (its history keeps the earlier values)."""
    _require_team(actor)
    if resource.is_archived:
        raise NotAllowed(_l("This entry is archived. Bring it back first."))
    return save_changes(
        actor,
        resource,
        expected_version=expected_version,
        data=_check_resource(data),
        action="resource.update",
    )


def archive_resource(
    actor: User, resource: Resource, *, expected_version: int | None, reason: str
) -> None:
    """Take an entry out of the catalogue; it stays on record for earlier referrals."""
    _require_team(actor)
    if not reason.strip():
        raise FieldError("archive_reason", _l("Write why this entry is archived."))
    save_changes(
        actor,
        resource,
        expected_version=expected_version,
        data={"archived_on": clock.today(), "archive_reason": reason},
        action="resource.archive",
    )


def restore_resource(actor: User, resource: Resource, *, expected_version: int | None) -> None:
    """Bring an archived entry back into the catalogue."""
    _require_team(actor)
    save_changes(
        actor,
        resource,
        expected_version=expected_version,
        data={"archived_on": None, "archive_reason": ""},
        action="resource.restore",
    )


# --- referrals ---------------------------------------------------------------------------


def _check_referral(case: Case, data: dict[str, Any]) -> dict[str, Any]:
    resource = db.get(Resource, data["resource_id"])
    if resource is None or resource.team_id != case.team_id or resource.is_archived:
        raise FieldError("resource_id", _l("Choose a resource from your team's catalogue."))
    if data["owner_id"] not in {u.id for u in team_people(case.team_id)}:
        raise FieldError("owner_id", _l("The owner must be an active member of the team."))
    if not data.get("reason", "").strip():
        raise FieldError("reason", _l("Write why."))
    outgoing = data["direction"] == Direction.OUTGOING
    if outgoing and data.get("family_agreed") is None:
        raise FieldError("family_agreed", _l("Did the family agree to this referral?"))
    if (
        outgoing
        and resource.kind == ResourceKind.SPECIALIST
        and not data.get("own_strength", "").strip()
    ):
        raise FieldError(
            "own_strength",
            _l("Before specialist care: what can the family and its network do themselves?"),
        )
    return data


def _check_status(referral_data: dict[str, Any], status: ReferralStatus) -> None:
    if (
        referral_data["direction"] == Direction.OUTGOING
        and status in NEEDS_FAMILY_AGREEMENT
        and not referral_data.get("family_agreed")
    ):
        raise FieldError("status", _l("Refer only with the family's agreement."))


def add_referral(actor: User, case: Case, data: dict[str, Any]) -> Referral:
    """Record a referral to a resource, or one coming in from a resource."""
    require_can_edit_case(actor, case)
    data = _check_referral(case, data)
    _check_status(data, data["status"])
    referral = create(
        actor, Referral(case_id=case.id, **data), action="referral.create", case_id=case.id
    )
    db.add(
        ReferralStatusChange(
            referral_id=referral.id,
            status=referral.status,
            changed_on=clock.today(),
            changed_by_id=actor.id,
        )
    )
    db.flush()
    return referral


def update_referral(
    actor: User,
    case: Case,
    referral: Referral,
    *,
    expected_version: int | None,
    data: dict[str, Any],
) -> list[str]:
    """Change why, what the family wants, the owner or the follow-up date."""
    require_can_edit_case(actor, case)
    full = {"resource_id": referral.resource_id, "direction": referral.direction, **data}
    _check_referral(case, full)
    _check_status(full, referral.status)
    return save_changes(
        actor,
        referral,
        expected_version=expected_version,
        data=data,
        action="referral.update",
        case_id=case.id,
    )


def change_status(
    actor: User,
    case: Case,
    referral: Referral,
    *,
    expected_version: int | None,
    status: ReferralStatus,
    changed_on: date,
    note: str,
) -> None:
    """A dated step in the referral's life: agreed, made, started, ended or declined."""
    require_can_edit_case(actor, case)
    if status == referral.status:
        raise FieldError("status", _l("The referral already has this status."))
    if changed_on > clock.today():
        raise FieldError("changed_on", _l("This date cannot be in the future."))
    _check_status(
        {"direction": referral.direction, "family_agreed": referral.family_agreed}, status
    )
    save_changes(
        actor,
        referral,
        expected_version=expected_version,
        data={"status": status},
        action="referral.status",
        case_id=case.id,
    )
    db.add(
        ReferralStatusChange(
            referral_id=referral.id,
            status=status,
            changed_on=changed_on,
            note=note,
            changed_by_id=actor.id,
        )
    )
    db.flush()


# --- CSV import and export ------------------------------------------------------------------

CSV_COLUMNS = (
    "name",
    "kind",
    "offers",
    "audience",
    "age_from",
    "age_to",
    "languages",
    "area",
    "contact_name",
    "contact_phone",
    "contact_email",
    "when",
    "free",
)
YES = {"ja", "yes", "j", "y", "1", "true", "waar", "gratis"}
NO = {"nee", "no", "n", "0", "false", "onwaar", ""}


def _safe_cell(value: Any) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: neutralise them."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(resources: list[Resource]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_COLUMNS)
    for r in resources:
        row = {
            **{c: getattr(r, c) for c in CSV_COLUMNS},
            "kind": r.kind.value,
            "audience": r.audience.value,
            "languages": ", ".join(r.languages),
            "free": "ja" if r.free else "nee",
        }
        writer.writerow([_safe_cell(row[c]) for c in CSV_COLUMNS])
    return out.getvalue()


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _row_data(row: dict[str, str]) -> dict[str, Any]:
    def number(name: str) -> int | None:
        raw = (row.get(name) or "").strip()
        if not raw:
            return None
        try:
            return whole_number(raw)  # not isdigit(): it takes '²', which int() refuses
        except ValueError:
            shown = raw if len(raw) <= 20 else f"{raw[:20]}…"
            raise FieldError(name, _l("'%(value)s' is not a whole number.", value=shown)) from None

    kind_raw = (row.get("kind") or "").strip()
    audience_raw = (row.get("audience") or "everyone").strip() or "everyone"
    free_raw = (row.get("free") or "").strip().lower()
    if kind_raw not in {k.value for k in ResourceKind}:
        raise FieldError("kind", _l("Unknown kind '%(value)s'.", value=kind_raw))
    if audience_raw not in {a.value for a in Audience}:
        raise FieldError("audience", _l("Unknown audience '%(value)s'.", value=audience_raw))
    if free_raw not in YES | NO:
        raise FieldError("free", _l("'free' must be ja or nee."))
    return _check_resource(
        {
            "name": (row.get("name") or "").strip(),
            "kind": ResourceKind(kind_raw),
            "offers": (row.get("offers") or "").strip(),
            "audience": Audience(audience_raw),
            "age_from": number("age_from"),
            "age_to": number("age_to"),
            "languages": [p.strip() for p in (row.get("languages") or "").split(",") if p.strip()],
            "area": (row.get("area") or "").strip(),
            "contact_name": (row.get("contact_name") or "").strip(),
            "contact_phone": (row.get("contact_phone") or "").strip(),
            "contact_email": (row.get("contact_email") or "").strip(),
            "when": (row.get("when") or "").strip(),
            "free": free_raw in YES,
        }
    )


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FieldError("file", _l("The file is not a text (CSV) file."))


def import_csv(actor: User, raw: bytes) -> ImportReport:
    """Add or update catalogue entries from a CSV file (';' or ','), matched by name.
    Every row is checked first: with any error, nothing is imported and the report says why."""
    team_id = _require_team(actor)
    # Control characters (NUL) never go into the database, as with every form.
    text = clean_text(_decode(raw))
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=";,")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        fieldnames = reader.fieldnames or []
        parsed = list(reader)
    except csv.Error:  # e.g. a stray carriage return inside a field
        raise FieldError("file", _l("The file is not a text (CSV) file.")) from None
    missing = [c for c in ("name", "kind", "contact_name") if c not in fieldnames]
    report = ImportReport()
    if missing:
        report.errors.append(
            (1, str(_l("Missing columns: %(columns)s", columns=", ".join(missing))))
        )
        return report
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, row in enumerate(parsed, start=2):
        try:
            data = _row_data(row)
        except FieldError as error:
            report.errors.append((number, f"{error.field}: {error.message}"))
            continue
        if data["name"].lower() in seen:
            report.errors.append((number, str(_l("This name is in the file twice."))))
            continue
        seen.add(data["name"].lower())
        rows.append(data)
    if report.errors:
        return report
    existing = {
        r.name.lower(): r for r in db.scalars(select(Resource).where(Resource.team_id == team_id))
    }
    for data in rows:
        resource = existing.get(data["name"].lower())
        if resource is None:
            db.add(Resource(team_id=team_id, **data))
            report.created += 1
        else:
            save_changes(
                actor,
                resource,
                expected_version=resource.version,
                data=data,
                action="resource.update",
            )
            report.updated += 1
    db.flush()
    record(actor, "resource.import", fields=[], detail=f"{report.created}+{report.updated}")
    return report
