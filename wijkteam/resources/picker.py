"""The resource catalogue as a list to choose from in a form (`web.picker`): an action of the
plan, a referral, a key figure's organisation, the services that stay involved after closing.
The team's entries that are not archived, found by their name or their contact's name."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import CompoundSelect, bindparam, select, union
from wtforms import Field

from wijkteam.core.db import db
from wijkteam.plans.models import Action, Goal, Plan
from wijkteam.resources.models import Referral, Resource
from wijkteam.web import picker
from wijkteam.web.picker import Catalogue, Offer


def name_label(row: Any) -> str:
    return str(row.name)


def name_and_contact_label(row: Any) -> str:
    return f"{row.name} ({row.contact_name})"


RESOURCES = Catalogue(
    statement=picker.matching_statement(
        Resource.id,
        [Resource.name, Resource.contact_name],
        search=[Resource.name, Resource.contact_name],
        where=[Resource.team_id == bindparam("team_id"), Resource.archived_on.is_(None)],
        order=[Resource.name, Resource.id],
    ),
    endpoint="resources.options",
    labels={"name": name_label, "contact": name_and_contact_label},
    search_label=_l("Search the resource catalogue"),
    more_text=_l("More resources match than are shown. Type more of the name."),
    none_text=_l("No resource matches these words."),
)


def offer_resources(
    field: Field,
    team_id: int,
    *,
    blank: str | None = "—",
    label: str = "name",
    case_id: int | None = None,
) -> Offer:
    """The field's choices: the chosen resources and (with `case_id`) those the case already
    works with, then the first of the catalogue (or of those matching the search typed next
    to it)."""
    first = of_the_case(case_id) if case_id is not None else []
    return picker.offer(RESOURCES, field, team_id, blank=blank, label=label, first=first)


def of_the_case(case_id: int) -> list[int]:
    """The resources a case works with: its referrals (either way, any status) and its plan's
    actions. Closing asks which of these stay involved; an action is often with one of them."""
    return list(db.scalars(_OF_THE_CASE, {"case_id": case_id}))


_OF_THE_CASE: CompoundSelect[tuple[int]] = union(
    select(Referral.resource_id).where(Referral.case_id == bindparam("case_id")),
    select(Action.resource_id)
    .join(Goal, Goal.id == Action.goal_id)
    .join(Plan, Plan.id == Goal.plan_id)
    .where(Plan.case_id == bindparam("case_id"), Action.resource_id.is_not(None)),
)
