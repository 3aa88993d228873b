"""Rules for key figures and the way in. Services flush; callers commit."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from wijkteam.audit.services import record
from wijkteam.auth.models import User
from wijkteam.cases.models import Case, IntermediaryHelp, WayIn
from wijkteam.core.db import db
from wijkteam.core.editing import check_version, create, save_changes
from wijkteam.core.errors import FieldError, NotAllowed
from wijkteam.core.permissions import in_team, require_can_edit_case
from wijkteam.keyfigures.models import KeyFigure, KeyFigureKind
from wijkteam.network.models import Closeness, NetworkKind, NetworkMember, Quality
from wijkteam.resources.models import Resource


def _require_team(actor: User) -> int:
    if actor.team_id is None or not in_team(actor, actor.team_id):
        raise NotAllowed(_l("Only members of a team record key figures."))
    return actor.team_id


def _check(team_id: int, data: dict[str, Any]) -> dict[str, Any]:
    if not data.get("name", "").strip():
        raise FieldError("name", _l("Fill in a name (a first name is enough)."))
    resource_id = data.get("resource_id")
    if resource_id is not None:
        resource = db.get(Resource, resource_id)
        if resource is None or resource.team_id != team_id or resource.is_archived:
            raise FieldError("resource_id", _l("Choose a resource from your team's catalogue."))
        data["organisation"] = ""  # the catalogue entry names it
    return data


def add_key_figure(actor: User, data: dict[str, Any]) -> KeyFigure:
    """Record a key figure once for the team."""
    team_id = _require_team(actor)
    key_figure = KeyFigure(team_id=team_id, **_check(team_id, data))
    return create(actor, key_figure, action="keyfigure.create")


def update_key_figure(
    actor: User, key_figure: KeyFigure, *, expected_version: int | None, data: dict[str, Any]
) -> list[str]:
    team_id = _require_team(actor)
    if key_figure.team_id != team_id:
        raise NotAllowed(_l("This key figure belongs to another team."))
    return save_changes(
        actor,
        key_figure,
        expected_version=expected_version,
        data=_check(team_id, data),
        action="keyfigure.update",
    )


def team_key_figure(case: Case, key_figure_id: int, field: str) -> KeyFigure:
    """A key figure of the case's team (a FieldError on `field` otherwise)."""
    key_figure = db.get(KeyFigure, key_figure_id)
    if key_figure is None or key_figure.team_id != case.team_id:
        raise FieldError(field, _l("Choose a key figure of your team."))
    return key_figure


def network_member_for(actor: User, case: Case, key_figure: KeyFigure) -> NetworkMember:
    """The family's network member who is this key figure: the one linked already, or a new
    one (an informal worker; the family's consent is not recorded yet, and is marked so)."""
    member = db.scalar(
        select(NetworkMember)
        .where(
            NetworkMember.family_id == case.family_id,
            NetworkMember.key_figure_id == key_figure.id,
            NetworkMember.archived_on.is_(None),
        )
        .order_by(NetworkMember.id)
        .limit(1)
    )
    if member is not None:
        return member
    kind = (
        NetworkKind.VOLUNTEER
        if key_figure.kind == KeyFigureKind.VOLUNTEER
        else NetworkKind.INFORMAL_WORKER
    )
    member = NetworkMember(
        family_id=case.family_id,
        name=key_figure.name,
        kind=kind,
        closeness=Closeness.MIDDLE,
        quality=Quality.SUPPORTIVE,
        organisation=key_figure.organisation_name[:200],
        languages=list(key_figure.languages),
        informal_roles=[],
        key_figure_id=key_figure.id,
    )
    return create(actor, member, action="network.create", case_id=case.id)


VIA_FIELDS = tuple(f"via_{h.value}" for h in IntermediaryHelp)


def set_way_in(
    actor: User,
    case: Case,
    data: dict[str, Any],
    *,
    expected_version: int | None = None,
    new_case: bool = False,
) -> list[str]:
    """Record how the family came to the team. Through an intermediary: a key figure of the
    team (or a new one by name), linked to the family's network member who is that person,
    and what they did. `data`: way_in, way_in_detail, key_figure_id, new_key_figure and the
    via_ flags."""
    require_can_edit_case(actor, case)
    if not new_case:
        check_version(case, expected_version)
    way_in = data.get("way_in")
    values: dict[str, Any] = {
        "way_in": way_in,
        "way_in_detail": (data.get("way_in_detail") or "").strip(),
        "way_in_network_member_id": None,
        **{name: False for name in VIA_FIELDS},
    }
    if way_in == WayIn.INTERMEDIARY:
        key_figure_id = data.get("key_figure_id")
        new_name = (data.get("new_key_figure") or "").strip()
        if key_figure_id is not None and new_name:
            raise FieldError(
                "new_key_figure", _l("Choose a key figure or write a new name, not both.")
            )
        if key_figure_id is not None:
            key_figure = team_key_figure(case, key_figure_id, "key_figure_id")
        elif new_name:
            key_figure = add_key_figure(actor, {"name": new_name, "kind": KeyFigureKind.KEY_FIGURE})
        else:
            raise FieldError(
                "key_figure_id", _l("Through whom did the family come? Choose or name them.")
            )
        values["way_in_network_member_id"] = network_member_for(actor, case, key_figure).id
        values.update({name: bool(data.get(name)) for name in VIA_FIELDS})
    if new_case:
        changed = [name for name, value in values.items() if getattr(case, name) != value]
        for name in changed:
            setattr(case, name, values[name])
        db.flush()
        if changed:
            record(actor, "case.way_in", case_id=case.id, obj=case, fields=changed)
        return changed
    return save_changes(
        actor,
        case,
        expected_version=expected_version,
        data=values,
        action="case.way_in",
        case_id=case.id,
    )
