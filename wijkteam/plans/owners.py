"""The action-owner picker: who does an action that a network meeting, a conversation note or
a case discussion puts into the plan. One select, whose values say who:

    ""           nothing chosen yet
    "user-5"     a member of the team (case discussions: without a goal it becomes their task)
    "family"     the family together
    "family-3"   one family member
    "network-7"  someone from the family's network
    "other"      a professional or service, named in the text field next to the select

`owner_choices` builds the options, `parse_owner` turns a value into an action's owner fields
and `owner_value` turns those fields back into a value (to show a saved row again)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from wijkteam.plans.models import OwnerKind


def owner_choices(
    family: Iterable[Any], network: Iterable[Any], team: Iterable[Any] = ()
) -> list[SelectChoice]:
    """The options: team members (if given) first, then the family, its members, its network,
    and a professional or service."""
    return [
        SelectChoice("", "—"),
        *(SelectChoice(f"user-{u.id}", u.display_name) for u in team),
        SelectChoice("family", _l("The family together")),
        *(SelectChoice(f"family-{m.id}", m.full_name) for m in family),
        *(SelectChoice(f"network-{m.id}", m.name) for m in network),
        SelectChoice("other", _l("A professional or service (name below)")),
    ]


def parse_owner(value: str) -> dict[str, Any]:
    """The owner fields of an action for a chosen value (one of `owner_choices`): its
    `owner_kind` and, where the value names one, the family member, network member or team
    member. A team member leaves no owner name."""
    if value.startswith("user-"):
        return {
            "owner_kind": OwnerKind.PROFESSIONAL,
            "owner_user_id": int(value[5:]),
            "owner_name": "",
        }
    if value.startswith("family"):
        member = int(value[7:]) if value.startswith("family-") else None
        return {"owner_kind": OwnerKind.FAMILY, "owner_member_id": member}
    if value.startswith("network-"):
        return {"owner_kind": OwnerKind.NETWORK, "network_member_id": int(value[8:])}
    return {"owner_kind": OwnerKind.PROFESSIONAL}


def owner_value(owner: Mapping[str, Any]) -> str:
    """The picker's value for an action's owner fields (the reverse of `parse_owner`)."""
    if owner.get("owner_user_id"):
        return f"user-{owner['owner_user_id']}"
    if owner["owner_kind"] == OwnerKind.FAMILY:
        member = owner.get("owner_member_id")
        return f"family-{member}" if member else "family"
    if owner["owner_kind"] == OwnerKind.NETWORK and owner.get("network_member_id"):
        return f"network-{owner['network_member_id']}"
    return "other"
