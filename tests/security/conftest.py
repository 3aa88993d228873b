"""Team Noord's estate: one case with an object of every kind a URL can name, plus the team's
catalogue and a review, built through the services. The URL walks in this folder fill every
URL rule of the app from it, and fail loudly on a parameter they cannot fill."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.routing import Rule

from wijkteam.auth.models import User
from wijkteam.auth.services import issue_password_link
from wijkteam.cases.models import Case
from wijkteam.core.db import db
from wijkteam.discussions import services as discussions
from wijkteam.discussions.models import Need, Task
from wijkteam.network import services as network
from wijkteam.network.models import Closeness, MeetingKind, NetworkKind, OrganisedBy, Quality
from wijkteam.notes import services as notes
from wijkteam.notes.models import ContactKind, PartKind
from wijkteam.plans import services as plans
from wijkteam.plans.models import ActionStatus, AgreedHow, LadderLevel, OwnerKind, Regie
from wijkteam.plans.queries import load_plan
from wijkteam.resources import services as resources
from wijkteam.resources.models import Audience, Direction, ReferralStatus, ResourceKind
from wijkteam.reviews import services as signoff
from wijkteam.reviews.models import ReviewKind
from wijkteam.safety import services as safety
from wijkteam.safety.models import ConditionState

DAY = date(2026, 3, 2)


class UnknownParameter(AssertionError):
    """A URL rule names a parameter the walk cannot fill: add it to Estate.resolve's tables."""


@dataclass
class Estate:
    """Ids of team Noord's objects, by the name URL rules give them."""

    ids: dict[str, Any] = field(default_factory=dict)

    # Parameters whose name means the same object everywhere.
    GENERIC = (
        "case_id",
        "goal_id",
        "action_id",
        "number",  # an agreed plan version
        "note_id",
        "concern_id",
        "signal_id",
        "condition_id",
        "step",  # a step of the Meldcode (1-5)
        "referral_id",
        "resource_id",
        "review_id",
        "discussion_id",  # a case discussion meeting of the team
        "task_id",
        "team_id",
        "user_id",
        "job_id",  # a finished print job of pro.noord (the case lead)
        "token",  # a one-time password link (invitation or reset), for pro2.noord
        "filename",  # static files
    )
    # Parameters whose meaning depends on the blueprint: (blueprint, name) -> key in ids.
    BY_BLUEPRINT = {
        ("cases", "member_id"): "family_member_id",
        ("plans", "member_id"): "family_member_id",
        ("network", "network_member_id"): "network_member_id",
        ("network", "meeting_id"): "network_meeting_id",
        ("plans", "score_id"): "plan_score_id",
        ("safety", "score_id"): "safety_score_id",
        ("discussions", "item_id"): "discussion_item_id",
    }

    # Where one page needs a particular object: the draft note (only drafts are edited).
    BY_ENDPOINT = {("notes.edit", "note_id"): "draft_note_id"}

    def resolve(self, rule: Rule, **overrides: Any) -> str:
        """The rule's URL with every parameter filled by an object of team Noord."""
        blueprint = rule.endpoint.rsplit(".", 1)[0] if "." in rule.endpoint else ""
        values = {}
        for name in rule.arguments:
            if name in overrides:
                values[name] = overrides[name]
            elif (rule.endpoint, name) in self.BY_ENDPOINT:
                values[name] = self.ids[self.BY_ENDPOINT[(rule.endpoint, name)]]
            elif (blueprint, name) in self.BY_BLUEPRINT:
                values[name] = self.ids[self.BY_BLUEPRINT[(blueprint, name)]]
            elif name in self.GENERIC:
                values[name] = self.ids[name]
            else:
                raise UnknownParameter(
                    f"URL rule {rule.rule} ({rule.endpoint}) has parameter {name!r}, which the "
                    "security walks cannot fill: build such an object in tests/security/"
                    "conftest.py and add the name to Estate.GENERIC or BY_BLUEPRINT."
                )
        _, url = rule.build(values, append_unknown=False)
        return url


def _member(first: str, role: str, born: date, custody: str | None = None) -> dict[str, Any]:
    return {
        "first_name": first,
        "last_name": "Veilig",
        "date_of_birth": born,
        "role": role,
        "languages": ["Nederlands"],
        "interpreter_needed": False,
        "interpreter_language": "",
        "custody": custody,
    }


def _finished_print_job(case_id: int, user_id: int) -> int:
    """A print job that is done, with a small document (no rendering needed for the walks)."""
    from wijkteam.core.db import utc_now
    from wijkteam.jobs.models import JobKind, JobStatus, PrintJob

    now = utc_now()
    job = PrintJob(
        case_id=case_id,
        requested_by_id=user_id,
        kind=JobKind.FILE_JSON,
        options={"lang": "nl"},
        status=JobStatus.DONE,
        created_at=now,
        started_at=now,
        finished_at=now,
        expires_at=now + timedelta(hours=24),
        body=b'{"family": {}}',
        size=14,
        mimetype="application/json",
        filename=f"dossier-Veilig-{case_id}.json",
    )
    db.add(job)
    db.flush()
    return job.id


def build_estate(app: Flask, world: Any) -> Estate:
    """Everything a URL of the app can point at, in team Noord (case lead: pro.noord)."""
    case_id = world.case(
        world.pro_noord,
        name="Veilig",
        members=[
            _member("Sara", "parent", date(1988, 4, 1)),
            _member("Tim", "child", date(2016, 6, 2), "mother"),
        ],
    )
    ids: dict[str, Any] = {
        "case_id": case_id,
        "team_id": world.noord,
        "user_id": world.pro2_noord,
        "step": 1,
        "filename": "app.css",
    }
    with app.test_request_context():
        user = db.get(User, world.pro_noord)
        case = db.get(Case, case_id)
        parent, child = sorted(case.family.members, key=lambda m: m.role != "parent")
        ids["family_member_id"] = parent.id
        resource = resources.add_resource(
            user,
            {
                "name": "Buurtmaatjes",
                "kind": ResourceKind.VOLUNTEER_ORG,
                "offers": "Een maatje voor ouders.",
                "audience": Audience.EVERYONE,
                "age_from": None,
                "age_to": None,
                "languages": ["Nederlands"],
                "area": "Noord",
                "contact_name": "Fenna",
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
            started_on=date(2026, 2, 1),
            evaluation_on=date(2026, 12, 1),
            level=LadderLevel(3),
            level_reason="Samen.",
            regie=Regie.SHARED,
            regie_reason="Samen.",
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
                "closeness": Closeness.CLOSE,
                "quality": Quality.SUPPORTIVE,
                "phone": "",
                "email": "",
                "notes": "",
                "may_contact": True,
                "consent_on": date(2026, 2, 1),
                "may_be_told": "Over school.",
                "languages": [],
            },
        )
        ids["network_member_id"] = oma.id
        action = plans.add_action(
            user,
            case,
            goal,
            {
                "text": "Oma haalt Tim op woensdag op.",
                "owner_kind": OwnerKind.NETWORK,
                "network_member_id": oma.id,
                "status": ActionStatus.PLANNED,
            },
        )
        ids["action_id"] = action.id
        score = plans.add_score(
            user,
            case,
            goal,
            {
                "scored_on": date(2026, 2, 2),
                "family_score": 4,
                "professional_score": 5,
                "one_point_higher": "Op tijd op school.",
            },
        )
        ids["plan_score_id"] = score.id
        plans.add_success(user, case, plan, noted_on=date(2026, 2, 3), text="Gelukt.", goal_id=None)
        db.flush()
        db.refresh(plan)
        version = plans.finalise_version(
            user,
            case,
            plan,
            expected_version=plan.version,
            agreed_on=date(2026, 2, 4),
            agreed_how=AgreedHow.IN_PERSON,
            member_ids=[parent.id],
            note="",
        )
        ids["number"] = version.number
        review = signoff.request_review(
            user, case, ReviewKind.PLAN_VERSION, version.number, "Veilig"
        )
        ids["review_id"] = review.id
        meeting = network.record_meeting(
            user,
            case,
            plan,
            held_on=date(2026, 2, 5),
            kind=MeetingKind.INFORMAL,
            organised_by=OrganisedBy.FAMILY,
            network_member_ids=[oma.id],
            family_member_ids=[parent.id],
            other_attendees="",
            summary="Samen aan tafel.",
            agreed="",
            agreements=[],
        )
        ids["network_meeting_id"] = meeting.id
        note_data = {
            "contact_on": date(2026, 2, 6),
            "kind": ContactKind.HOME_VISIT,
            "location": "",
            "interpreter_name": "",
            "interpreter_language": "",
            "family_member_ids": [],
            "network_member_ids": [],
            "colleague_ids": [],
            "parts": {PartKind.QUESTION: ("Sara vertelde over school.", False)},
            "pending": {},
        }
        note = notes.save_note(
            user, case, None, None, expected_version=None, finalise=True, data=note_data
        )
        ids["note_id"] = note.id
        draft = notes.save_note(
            user, case, None, None, expected_version=None, finalise=False, data=note_data
        )
        ids["draft_note_id"] = draft.id
        concern = safety.open_concern(
            user,
            case,
            load_plan(case),
            title="Zorg",
            opened_on=DAY,
            child_ids=[child.id],
            signal={
                "observed_on": DAY,
                "description": "Tim was bang.",
                "source": "Juf Anna",
                "source_confidential": True,
            },
            regie=None,
            level=None,
            change_reason="",
            climb_back="",
        )
        db.flush()
        db.refresh(concern)
        ids["concern_id"] = concern.id
        ids["signal_id"] = concern.signals[0].id
        safety.record_step(
            user,
            case,
            concern,
            1,
            expected_version=None,
            data={"done_on": DAY, "outcome": "Signalen op een rij."},
        )
        safety_score = safety.add_score(
            user,
            case,
            concern,
            {"scored_on": DAY, "professional_score": 5, "family_score": 6, "note": ""},
        )
        ids["safety_score_id"] = safety_score.id
        condition = safety.add_condition(
            user,
            case,
            concern,
            {
                "text": "Sara belt oma als ze boos wordt.",
                "starts_on": DAY,
                "review_on": None,
                "state": ConditionState.NOT_REVIEWED,
                "reviewed_on": None,
                "note": "",
                "shared_with_family": True,
            },
        )
        ids["condition_id"] = condition.id
        referral = resources.add_referral(
            user,
            case,
            {
                "resource_id": resource.id,
                "direction": Direction.OUTGOING,
                "reason": "Een maatje voor Sara.",
                "family_wants": "Iemand om mee te praten.",
                "family_agreed": True,
                "own_strength": "Oma helpt al.",
                "owner_id": user.id,
                "follow_up_on": None,
                "status": ReferralStatus.PROPOSED,
            },
        )
        ids["referral_id"] = referral.id
        # Case discussions: two cases brought in, both on a meeting's agenda; the second
        # discussed, with a task as its follow-up.
        on_agenda, discussed = (
            discussions.submit_item(user, case, question=q, tried="Veel.", need=Need.ADVICE)
            for q in ("Hoe verder met school?", "Wie neemt contact op met de huisarts?")
        )
        lead = db.get(User, world.lead_noord)
        meeting = discussions.plan_discussion(
            lead,
            held_on=date(2026, 3, 10),
            starts_at=None,
            location="Wijkcentrum",
            attendee_ids=[world.pro_noord, world.lead_noord],
            guests=[],
            item_ids=[on_agenda.id, discussed.id],
        )
        db.flush()
        db.refresh(discussed)
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
                    "owner_user_id": world.pro_noord,
                    "due_on": date(2026, 12, 1),
                    "goal_id": None,
                }
            ],
        )
        ids["discussion_id"] = meeting.id
        ids["discussion_item_id"] = on_agenda.id
        ids["task_id"] = db.scalar(select(Task.id).where(Task.item_id == discussed.id))
        ids["job_id"] = _finished_print_job(case_id, world.pro_noord)
        _link, ids["token"] = issue_password_link(
            None, db.get(User, world.pro2_noord), kind="invite", valid_for=timedelta(days=3)
        )
        db.commit()
    return Estate(ids)


@pytest.fixture
def estate(app: Flask, world: Any) -> Estate:
    return build_estate(app, world)
