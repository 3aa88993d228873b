"""A team's whole case file, built through the services: one object of every kind that a URL
can point at, so that every form of the app can be opened and fuzzed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from wijkteam.auth.models import User
from wijkteam.cases.models import Case, CloseReason, FamilyMember, MemberRole
from wijkteam.cases.services import close_case, register_family
from wijkteam.core.db import db, utc_now
from wijkteam.discussions import services as discussions
from wijkteam.discussions.models import Need, Task
from wijkteam.jobs.models import JobKind, JobStatus, PrintJob
from wijkteam.network import services as network
from wijkteam.network.models import Closeness, MeetingKind, NetworkKind, OrganisedBy, Quality
from wijkteam.notes import services as notes
from wijkteam.notes.models import ContactKind, PartKind
from wijkteam.plans import services as plans
from wijkteam.plans.models import ActionStatus, AgreedHow, LadderLevel, OwnerKind, Regie
from wijkteam.resources import services as resources
from wijkteam.resources.models import Audience, Direction, ReferralStatus, ResourceKind
from wijkteam.reviews.models import Review
from wijkteam.safety import services as safety
from wijkteam.safety.models import ConditionState

STARTED = date(2026, 2, 1)


def _register(user: User, name: str, *, with_child: bool = True) -> Case:
    members: list[dict[str, Any]] = [
        {
            "first_name": "Lisa",
            "last_name": name,
            "date_of_birth": date(1990, 3, 1),
            "role": MemberRole.PARENT,
            "languages": ["Nederlands"],
            "interpreter_needed": False,
            "interpreter_language": "",
            "custody": None,
        }
    ]
    if with_child:
        members.append(
            {
                "first_name": "Noah",
                "last_name": name,
                "date_of_birth": date(2017, 5, 2),
                "role": MemberRole.CHILD,
                "languages": ["Nederlands"],
                "interpreter_needed": False,
                "interpreter_language": "",
                "custody": "mother",
            }
        )
    case = register_family(
        user,
        family={
            "name": name,
            "address": "Teststraat 1",
            "postcode": "9999 ZZ",
            "city": "Testdorp",
            "phone": "",
            "context": "",
        },
        members=members,
        question_for_help="We willen rust in huis.",
        lead_id=user.id,
        duo_id=None,
        opened_on=date(2026, 1, 5),
    )
    db.flush()
    db.refresh(case)
    return case


def _fresh(obj: Any) -> Any:
    """Flush, then reload the object's collections (services add children by id)."""
    db.flush()
    db.refresh(obj)
    return obj


def _note(user: User, case: Case, plan: Any, *, finalise: bool, text: str) -> Any:
    return notes.save_note(
        user,
        case,
        plan,
        None,
        expected_version=None,
        finalise=finalise,
        data={
            "contact_on": date(2026, 3, 1),
            "kind": ContactKind.HOME_VISIT,
            "location": "",
            "interpreter_name": "",
            "interpreter_language": "",
            "family_member_ids": [],
            "network_member_ids": [],
            "colleague_ids": [],
            "parts": {PartKind.QUESTION: (text, False)},
            "pending": {},
        },
    )


def build_team_file(app: Flask, user_id: int, lead_id: int, name: str) -> dict[str, int]:
    """Everything a URL of the app can name, for the team of `user_id` (who leads the cases;
    `lead_id` is the team lead, who plans the case discussions).

    Returns ids by URL parameter name, plus a few variants (case_noplan, case_closed,
    note_draft, network_member_archived, safety_score_id, ...)."""
    with app.test_request_context():
        user = db.get(User, user_id)
        assert user is not None and user.team_id is not None
        case = _register(user, name)
        parent, child = sorted(case.family.members, key=lambda m: m.id)
        ids: dict[str, int] = {
            "case_id": case.id,
            "family_member_id": parent.id,
            "child_id": child.id,
            "team_id": user.team_id,
        }

        resource = resources.add_resource(
            user,
            {
                "name": f"Buurtgezinnen {name}",
                "kind": ResourceKind.VOLUNTEER_ORG,
                "offers": "Een steungezin.",
                "audience": Audience.PARENTS,
                "age_from": None,
                "age_to": None,
                "languages": ["Nederlands"],
                "area": "",
                "contact_name": "Mira",
                "contact_phone": "",
                "contact_email": "",
                "when": "",
                "free": True,
            },
        )
        ids["resource_id"] = resource.id

        plan = plans.start_plan(
            user,
            case,
            started_on=STARTED,
            evaluation_on=date(2026, 12, 1),
            level=LadderLevel(3),
            level_reason="Ouders denken mee.",
            regie=Regie.SHARED,
            regie_reason="Samen met moeder.",
        )
        goal = plans.add_goal(
            user,
            case,
            plan,
            {
                "text": "Wij willen rustige ochtenden.",
                "why_it_matters": "Dan begint de dag goed.",
                "first_step": "Kleren klaarleggen.",
                "reservations": "",
                "member_ids": [parent.id],
            },
        )
        ids["goal_id"] = goal.id
        oma = network.add_member(
            user,
            case,
            {
                "name": "Oma Ria",
                "kind": NetworkKind.FAMILY,
                "related_member_id": parent.id,
                "relation": "moeder van Lisa",
                "supports_practical": True,
                "closeness": Closeness.CLOSE,
                "quality": Quality.SUPPORTIVE,
                "may_contact": True,
                "consent_on": date(2026, 2, 1),
                "may_be_told": "Over school.",
                "languages": [],
            },
        )
        ids["network_member_id"] = oma.id
        gone = network.add_member(
            user,
            case,
            {
                "name": "Buurman Piet",
                "kind": NetworkKind.NEIGHBOUR,
                "closeness": Closeness.FAR,
                "quality": Quality.STRAINED,
                "languages": [],
            },
        )
        network.archive_member(
            user, case, gone, expected_version=gone.version, on=date(2026, 3, 1), reason="Verhuisd."
        )
        ids["network_member_archived"] = gone.id
        action = plans.add_action(
            user,
            case,
            goal,
            {
                "text": "Oma Ria haalt Noah op woensdag op.",
                "owner_kind": OwnerKind.NETWORK,
                "network_member_id": oma.id,
                "status": ActionStatus.PLANNED,
                "resource_id": resource.id,
            },
        )
        ids["action_id"] = action.id
        score = plans.add_score(
            user,
            case,
            goal,
            {
                "scored_on": date(2026, 3, 1),
                "family_score": 4,
                "professional_score": 3,
                "one_point_higher": "Op tijd op school.",
            },
        )
        ids["score_id"] = score.id
        _fresh(plan)
        plans.add_success(
            user, case, plan, noted_on=date(2026, 3, 2), text="Op tijd!", goal_id=goal.id
        )
        _fresh(plan)
        meeting = network.record_meeting(
            user,
            case,
            plan,
            held_on=date(2026, 3, 3),
            kind=MeetingKind.INFORMAL,
            organised_by=OrganisedBy.FAMILY,
            network_member_ids=[oma.id],
            family_member_ids=[parent.id],
            other_attendees="",
            summary="Samen gepraat.",
            agreed="Oma helpt.",
            agreements=[],
        )
        ids["meeting_id"] = meeting.id
        _fresh(plan)
        version = plans.finalise_version(
            user,
            case,
            plan,
            expected_version=plan.version,
            agreed_on=date(2026, 3, 4),
            agreed_how=AgreedHow.IN_PERSON,
            member_ids=[parent.id],
            note="",
        )
        ids["number"] = version.number
        ids["review_id"] = db.scalars(select(Review.id).where(Review.case_id == case.id)).one()

        finished = _note(user, case, plan, finalise=True, text="Lisa vertelde over de fiets.")
        ids["note_id"] = finished.id
        draft = _note(user, case, plan, finalise=False, text="Nog niet af.")
        ids["note_draft"] = draft.id

        referral = resources.add_referral(
            user,
            case,
            {
                "resource_id": resource.id,
                "direction": Direction.OUTGOING,
                "reason": "Steun bij de opvoeding.",
                "family_wants": "Iemand om mee te praten.",
                "family_agreed": True,
                "own_strength": "",
                "owner_id": user.id,
                "follow_up_on": date(2026, 4, 1),
                "status": ReferralStatus.PROPOSED,
            },
        )
        ids["referral_id"] = referral.id

        _fresh(plan)
        concern = safety.open_concern(
            user,
            case,
            plan,
            title="Zorg om Noah",
            opened_on=date(2026, 3, 2),
            child_ids=[child.id],
            signal={
                "observed_on": date(2026, 3, 2),
                "description": "Noah kwam zonder jas.",
                "source": "School",
                "source_confidential": False,
            },
            regie=None,
            level=None,
            change_reason="",
            climb_back="",
        )
        ids["concern_id"] = concern.id
        _fresh(concern)
        ids["signal_id"] = concern.signals[0].id
        for step, data in (
            (1, {"outcome": "Signalen op een rij."}),
            (
                2,
                {
                    "outcome": "Besproken.",
                    "colleague": "Teamleider",
                    "veilig_thuis_consulted": False,
                },
            ),
            (3, {"conversation_held": True, "talked_with": "Lisa"}),
            (
                4,
                {
                    "outcome": "Gewogen.",
                    "acute_unsafety": False,
                    "structural_unsafety": True,
                    "can_organise_help": True,
                    "family_cooperates": True,
                    "safe_in_agreed_time": True,
                },
            ),
        ):
            safety.record_step(
                user,
                case,
                concern,
                step,
                expected_version=None,
                data={"done_on": date(2026, 3, 3), **data},
            )
            _fresh(concern)
        safety_score = safety.add_score(
            user,
            case,
            concern,
            {"scored_on": date(2026, 3, 3), "professional_score": 5, "family_score": 6, "note": ""},
        )
        ids["safety_score_id"] = safety_score.id
        condition = safety.add_condition(
            user,
            case,
            concern,
            {
                "text": "Lisa belt oma als ze boos wordt.",
                "starts_on": date(2026, 3, 3),
                "review_on": None,
                "state": ConditionState.NOT_REVIEWED,
                "reviewed_on": None,
                "note": "",
                "shared_with_family": True,
            },
        )
        ids["condition_id"] = condition.id

        # Case discussions: three cases brought in; two on a past meeting's agenda (the second
        # discussed, with a task), one waiting; and a later meeting to postpone to.
        on_agenda, discussed, waiting = (
            discussions.submit_item(user, case, question=q, tried="Veel.", need=Need.ADVICE)
            for q in ("Hoe verder met school?", "Wie belt de huisarts?", "Wat nu?")
        )
        lead = db.get(User, lead_id)
        people = [user_id, lead_id]
        meeting = discussions.plan_discussion(
            lead,
            held_on=date(2026, 3, 10),
            starts_at=None,
            location="Wijkcentrum",
            attendee_ids=people,
            guests=[],
            item_ids=[on_agenda.id, discussed.id],
        )
        discussions.plan_discussion(
            lead,
            held_on=date(2026, 12, 10),
            starts_at=None,
            location="",
            attendee_ids=people,
            guests=[],
            item_ids=[],
        )
        _fresh(discussed)
        discussions.record_outcome(
            lead,
            discussed,
            expected_version=discussed.version,
            summary="Besproken.",
            advice="",
            decisions="",
            follow_ups=[
                {
                    "text": "Huisarts bellen.",
                    "owner_user_id": user_id,
                    "due_on": date(2026, 12, 1),
                    "goal_id": None,
                }
            ],
        )
        ids["discussion_id"] = meeting.id
        ids["item_id"] = on_agenda.id
        ids["item_discussed"] = discussed.id
        ids["item_waiting"] = waiting.id
        ids["task_id"] = db.scalars(select(Task.id).where(Task.item_id == discussed.id)).one()

        # A case without a plan (to start one) and a closed case (to open a new one for).
        ids["case_noplan"] = _register(user, f"{name} Zonderplan", with_child=False).id
        closed = _register(user, f"{name} Gesloten", with_child=False)
        close_case(
            user,
            closed,
            expected_version=closed.version,
            reason=CloseReason.GOALS_REACHED,
            closed_on=date(2026, 3, 1),
            note="Klaar.",
        )
        ids["case_closed"] = closed.id

        # A finished print job of the case's professional (the job page and its download).
        finished_at = utc_now()
        job = PrintJob(
            case_id=case.id,
            requested_by_id=user.id,
            kind=JobKind.FILE_JSON,
            options={"lang": "nl"},
            status=JobStatus.DONE,
            created_at=finished_at,
            started_at=finished_at,
            finished_at=finished_at,
            expires_at=finished_at + timedelta(hours=24),
            body=b"{}",
            size=2,
            mimetype="application/json",
            filename=f"dossier-{name}-{case.id}.json",
        )
        db.add(job)
        db.flush()
        ids["job_id"] = job.id
        db.commit()
        assert db.scalar(select(FamilyMember.id).where(FamilyMember.id == parent.id))
        return ids
