"""Care around a case, through the services: safety concerns with the Meldcode's steps, the
team's catalogue of resources and referrals to them, case discussions with their tasks, print
jobs and one-time password links.

Like tests/factories/cases.py: inside a request context, flushed, committed by the caller."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from tests.factories import app_api as api
from tests.factories.cases import fresh

SEEN_ON = date(2026, 3, 2)
STEPS_ON = date(2026, 3, 3)

# --- safety -------------------------------------------------------------------------------

# What is recorded at each step of the Meldcode (outcome texts can be given per step).
STEPS: dict[int, dict[str, Any]] = {
    1: {"outcome": "Signalen op een rij."},
    2: {"outcome": "Besproken.", "colleague": "Teamleider", "veilig_thuis_consulted": False},
    3: {"conversation_held": True, "talked_with": "Lisa"},
    4: {
        "outcome": "Gewogen.",
        "acute_unsafety": False,
        "structural_unsafety": True,
        "can_organise_help": True,
        "family_cooperates": True,
        "safe_in_agreed_time": True,
    },
    5: {"organise_help": True, "report_to_veilig_thuis": False, "family_told": True},
}


def concern(
    user: Any,
    case: Any,
    plan: Any,
    child_ids: list[int],
    *,
    title: str = "Zorg om Noah",
    description: str = "Noah kwam zonder jas.",
    source: str = "School",
    confidential: bool = False,
) -> Any:
    """A safety concern opened on one signal (fresh: its signals loaded)."""
    opened = api.safety.open_concern(
        user,
        case,
        plan,
        title=title,
        opened_on=SEEN_ON,
        child_ids=child_ids,
        signal={
            "observed_on": SEEN_ON,
            "description": description,
            "source": source,
            "source_confidential": confidential,
        },
        regie=None,
        level=None,
        change_reason="",
        climb_back="",
    )
    return fresh(opened)


def meldcode(
    user: Any, case: Any, concern: Any, upto: int, outcomes: dict[int, str] | None = None
) -> None:
    """The Meldcode's steps 1 to `upto` recorded (with other outcome texts for some steps)."""
    for step in range(1, upto + 1):
        data = {"done_on": STEPS_ON, **STEPS[step]}
        if outcomes and step in outcomes:
            data["outcome"] = outcomes[step]
        api.safety.record_step(user, case, concern, step, expected_version=None, data=data)
        fresh(concern)


def sign_off_decision(reviewer: Any, case: Any, concern: Any) -> None:
    """The concern's decision (Meldcode step 5) signed off by `reviewer`, as before a closing:
    a concern does not close while its decision waits for sign-off."""
    from wijkteam.reviews import services as reviews
    from wijkteam.reviews.models import ReviewKind

    review = reviews.waiting_review(case, ReviewKind.SAFETY_DECISION, concern.id)
    reviews.decide(reviewer, review, expected_version=review.version, approve=True, comment="")
    fresh(concern)


def close_concern(user: Any, case: Any, concern: Any) -> None:
    """The concern closed at the version it was read with (its decision signed off, if it
    has one: a concern does not close while its decision waits)."""
    api.safety.close_concern(
        user,
        case,
        api.load_plan(case),
        concern,
        expected_version=concern.version,
        closed_on=date(2026, 3, 10),
        reason="Afspraken worden nagekomen.",
        regie_return="Lisa houdt zelf de regie.",
        regie=None,
        level=None,
    )


def safety_score(user: Any, case: Any, concern: Any) -> Any:
    return api.safety.add_score(
        user,
        case,
        concern,
        {"scored_on": STEPS_ON, "professional_score": 5, "family_score": 6, "note": ""},
    )


def condition(
    user: Any,
    case: Any,
    concern: Any,
    text: str = "Lisa belt oma als ze boos wordt.",
    *,
    shared: bool = True,
) -> Any:
    """A condition for safety, shared with the family unless `shared` is False."""
    return api.safety.add_condition(
        user,
        case,
        concern,
        {
            "text": text,
            "starts_on": STEPS_ON,
            "review_on": None,
            "state": api.ConditionState.NOT_REVIEWED,
            "reviewed_on": None,
            "note": "",
            "shared_with_family": shared,
        },
    )


# --- resources and referrals --------------------------------------------------------------


def resource(user: Any, name: str = "Buurtgezinnen", **fields: Any) -> Any:
    """A volunteer organisation in the catalogue of `user`'s team."""
    data = {
        "name": name,
        "kind": api.ResourceKind.VOLUNTEER_ORG,
        "offers": "Een steungezin.",
        "audience": api.Audience.PARENTS,
        "age_from": None,
        "age_to": None,
        "languages": ["Nederlands"],
        "area": "",
        "contact_name": "Mira",
        "contact_phone": "",
        "contact_email": "",
        "when": "",
        "free": True,
    }
    return api.resources.add_resource(user, {**data, **fields})


def referral(user: Any, case: Any, resource_id: int) -> Any:
    """A proposed referral to the resource, followed up by `user`."""
    return api.resources.add_referral(
        user,
        case,
        {
            "resource_id": resource_id,
            "direction": api.Direction.OUTGOING,
            "reason": "Steun bij de opvoeding.",
            "family_wants": "Iemand om mee te praten.",
            "family_agreed": True,
            "own_strength": "",
            "owner_id": user.id,
            "follow_up_on": date(2026, 4, 1),
            "status": api.ReferralStatus.PROPOSED,
        },
    )


# --- case discussions ---------------------------------------------------------------------


def bring_in(user: Any, case: Any, question: str) -> Any:
    """The case brought in for a case discussion, asking for advice."""
    return api.discussions.submit_item(
        user, case, question=question, tried="Veel.", need=api.Need.ADVICE
    )


def discussion(
    lead: Any, held_on: date, people: list[int], items: list[Any], location: str = ""
) -> Any:
    """A case discussion meeting planned by the team lead, with `items` on its agenda."""
    return api.discussions.plan_discussion(
        lead,
        held_on=held_on,
        starts_at=None,
        location=location,
        attendee_ids=people,
        guests=[],
        item_ids=[item.id for item in items],
    )


def _outcome(lead: Any, item: Any, follow_up: dict[str, Any]) -> None:
    """The item's outcome recorded ("Besproken.") with this one follow-up."""
    fresh(item)
    api.discussions.record_outcome(
        lead,
        item,
        expected_version=item.version,
        summary="Besproken.",
        advice="",
        decisions="",
        follow_ups=[follow_up],
    )


def discussed(lead: Any, item: Any, task_owner_id: int) -> int:
    """The item's outcome recorded, with one task for `task_owner_id`: the task's id."""
    _outcome(
        lead,
        item,
        {
            "text": "Huisarts bellen.",
            "owner_user_id": task_owner_id,
            "due_on": date(2026, 12, 1),
            "goal_id": None,
        },
    )
    return api.db.scalars(select(api.Task.id).where(api.Task.item_id == item.id)).one()


def follow_up_in_plan(
    lead: Any, item: Any, goal_id: int, text: str, *, owner_user_id: int | None = None
) -> None:
    """The item's outcome recorded with one follow-up that becomes an action of the plan's
    goal `goal_id` (the team's idea, until the family agrees to it)."""
    _outcome(
        lead,
        item,
        {
            "text": text,
            "goal_id": goal_id,
            "owner_kind": api.OwnerKind.PROFESSIONAL if owner_user_id else api.OwnerKind.FAMILY,
            "owner_user_id": owner_user_id,
            "owner_member_id": None,
            "owner_name": "",
            "network_member_id": None,
            "due_on": date(2026, 12, 1) if owner_user_id else None,
        },
    )


# --- print jobs and password links --------------------------------------------------------


def finished_print_job(case: Any, user_id: int, body: bytes = b"{}") -> Any:
    """A family's file as JSON that the queue has made (no rendering needed)."""
    now = api.utc_now()
    job = api.PrintJob(
        case_id=case.id,
        requested_by_id=user_id,
        kind=api.JobKind.FILE_JSON,
        options={"lang": "nl"},
        status=api.JobStatus.DONE,
        created_at=now,
        started_at=now,
        finished_at=now,
        expires_at=now + timedelta(hours=24),
        body=body,
        size=len(body),
        mimetype="application/json",
        filename=f"dossier-{case.family.name}-{case.id}.json",
    )
    api.db.add(job)
    api.db.flush()
    return job


def password_link(user_id: int, kind: str = "invite") -> str:
    """A one-time link for the account (an invitation, valid three days): its token."""
    _link, token = api.issue_password_link(
        None, api.db.get(api.User, user_id), kind=kind, valid_for=timedelta(days=3)
    )
    return token


# --- key figures (issue 18) ---------------------------------------------------------------


def key_figure(user: Any, name: str = "Mevrouw Addo", **fields: Any) -> Any:
    """A key figure of the user's team (a church community's, by default)."""
    data = {
        "name": name,
        "kind": api.KeyFigureKind.KEY_FIGURE,
        "organisation": "Kerkgemeenschap Het Licht",
        "languages": ["Twi", "Nederlands"],
    }
    return api.keyfigures.add_key_figure(user, {**data, **fields})


def key_figure_member(user: Any, case: Any, key_figure: Any, **fields: Any) -> Any:
    """The family's network member who is this key figure, with this family's own relation."""
    data = {
        "name": key_figure.name,
        "kind": api.NetworkKind.INFORMAL_WORKER,
        "closeness": api.Closeness.MIDDLE,
        "quality": api.Quality.SUPPORTIVE,
        "languages": [],
        "key_figure_id": key_figure.id,
    }
    return api.network.add_member(user, case, {**data, **fields})


def confided_signal(user: Any, case: Any, concern: Any, confided_by_id: int) -> Any:
    """A signal a network member heard in confidence and passed on."""
    return api.safety.add_signal(
        user,
        case,
        concern,
        {
            "observed_on": SEEN_ON,
            "description": "Moeder vertelde in vertrouwen dat het thuis niet goed gaat.",
            "source": "Sleutelfiguur van de kerk",
            "source_confidential": True,
            "confided_by_id": confided_by_id,
        },
    )
