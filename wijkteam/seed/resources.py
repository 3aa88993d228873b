"""The teams' resource catalogues and the families' referrals to them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.resources import services as resource_services
from wijkteam.resources.models import (
    Audience,
    Direction,
    Referral,
    ReferralStatus,
    Resource,
    ResourceKind,
)
from wijkteam.seed.summary import SeedSummary


def _resource(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": data["name"],
        "kind": ResourceKind(data["kind"]),
        "offers": data.get("offers", "").strip(),
        "audience": Audience(data.get("audience", "everyone")),
        "age_from": data.get("age_from"),
        "age_to": data.get("age_to"),
        "languages": list(data.get("languages", [])),
        "area": data.get("area", ""),
        "contact_name": data["contact_name"],
        "contact_phone": data.get("contact_phone", ""),
        "contact_email": data.get("contact_email", ""),
        "when": data.get("when", ""),
        "free": bool(data.get("free", True)),
    }


def load_catalogue(
    lead: User, entries: list[dict[str, Any]], summary: SeedSummary
) -> dict[str, Resource]:
    """The team's resource catalogue, by name; an entry whose name the team has already is
    kept as it is."""
    existing = {
        r.name: r for r in db.scalars(select(Resource).where(Resource.team_id == lead.team_id))
    }
    for entry in entries:
        if entry["name"] in existing:
            summary.skipped["resources"] += 1
            continue
        existing[entry["name"]] = resource_services.add_resource(lead, _resource(entry))
        summary.created["resources"] += 1
    return existing


def _referral(
    lead: User, users: dict[str, User], resources: dict[str, Resource], spec: dict[str, Any]
) -> dict[str, Any]:
    """A referral as first recorded; the owner defaults to the case lead."""
    owner = users[spec["owner"]] if spec.get("owner") else lead
    return {
        "resource_id": resources[spec["resource"]].id,
        "direction": Direction(spec["direction"]),
        "reason": spec["reason"].strip(),
        "family_wants": spec.get("family_wants", "").strip(),
        "family_agreed": spec.get("family_agreed"),
        "own_strength": spec.get("own_strength", "").strip(),
        "owner_id": owner.id,
        "follow_up_on": spec.get("follow_up_on"),
        "status": ReferralStatus(spec.get("status", "proposed")),
    }


def load_referral(
    lead: User,
    case: Case,
    users: dict[str, User],
    resources: dict[str, Resource],
    spec: dict[str, Any],
) -> Referral:
    """A referral through the referral services, then its later steps in order. A step
    without a date is recorded today, like the first status (the services date that today)."""
    referral = resource_services.add_referral(lead, case, _referral(lead, users, resources, spec))
    for step in spec.get("steps", []):
        resource_services.change_status(
            lead,
            case,
            referral,
            expected_version=referral.version,
            status=ReferralStatus(step["status"]),
            changed_on=step.get("on", clock.today()),  # quote "on" in YAML, or it reads as True
            note=step.get("note", "").strip(),
        )
    return referral
