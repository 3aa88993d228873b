"""Cases with exact dates for the outcome figures: rows written straight into the database
(the services date everything today), with the plan's snapshot made by the app's own
`versions.snapshot`, so that the first agreed version looks as the app writes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from flask import Flask

from wijkteam.cases.models import Case, CaseStatus, CloseReason, Family, FamilyMember, MemberRole
from wijkteam.closing.models import (
    CaseClosing,
    EndedBy,
    GoalOutcome,
    GoalResult,
    SatisfactionAnswer,
    SatisfactionHow,
)
from wijkteam.core.db import db
from wijkteam.network.models import AskedStatus, Closeness, NetworkKind, NetworkMember, Quality
from wijkteam.plans.enums import ActionStatus, AgreedHow, GoalStatus, LadderLevel, OwnerKind, Regie
from wijkteam.plans.models import (
    Action,
    Goal,
    LadderEntry,
    Plan,
    PlanVersion,
    RegieEntry,
    ScaleScore,
)
from wijkteam.plans.services.versions import snapshot

Q3 = (date(2026, 7, 1), date(2026, 9, 30))


def at(day: date) -> datetime:
    """Noon (UTC) of a day: a timestamp that falls on that day."""
    return datetime.combine(day, time(12), tzinfo=UTC)


@dataclass
class Built:
    """Ids of what one `case` call made."""

    case_id: int
    family_id: int
    plan_id: int | None = None
    goal_ids: list[int] = field(default_factory=list)


class Builder:
    """Write cases for `lead_id` of `team_id` (call inside an app context; commits itself)."""

    def __init__(self, app: Flask, recorder_id: int) -> None:
        self.app = app
        self.recorder_id = recorder_id
        self.families = 0

    def case(
        self,
        *,
        team_id: int,
        lead_id: int,
        opened: date,
        closed: date | None = None,
        reason: CloseReason = CloseReason.GOALS_REACHED,
        ended_by: EndedBy | None = None,
        closing_level: int | None = None,
        closing_regie: Regie | None = None,
        family_id: int | None = None,
        results: list[GoalResult] | None = None,
        answers: list[dict[str, Any]] | None = None,
    ) -> Built:
        """A case of a new family (or of `family_id`), closed on `closed` when given."""
        with self.app.app_context():
            if family_id is None:
                self.families += 1
                family = Family(name=f"Gezin{self.families}")
                db.add(family)
                db.flush()
                db.add(
                    FamilyMember(
                        family_id=family.id,
                        first_name="Ada",
                        last_name=family.name,
                        role=MemberRole.PARENT,
                    )
                )
                family_id = family.id
            case = Case(
                family_id=family_id,
                team_id=team_id,
                lead_id=lead_id,
                question_for_help="Rust in huis.",
                status=CaseStatus.CLOSED if closed else CaseStatus.ACTIVE,
                opened_on=opened,
                closed_on=closed,
                close_reason=reason if closed else None,
            )
            db.add(case)
            db.flush()
            if closed:
                db.add(
                    CaseClosing(
                        case_id=case.id,
                        ended_by=ended_by,
                        ladder_level=LadderLevel(closing_level) if closing_level else None,
                        regie=closing_regie,
                        recorded_by_id=self.recorder_id,
                    )
                )
            built = Built(case.id, family_id)
            if results:
                plan = self._plan(case, opened)
                built.plan_id = plan.id
                for result in results:
                    goal = self._goal(plan)
                    built.goal_ids.append(goal.id)
                    db.add(GoalOutcome(case_id=case.id, goal_id=goal.id, result=result))
            for given in answers or []:
                answer = dict(given)
                db.add(
                    SatisfactionAnswer(
                        case_id=case.id,
                        answered_on=answer.pop("answered_on", closed or opened),
                        how=SatisfactionHow.FAMILY_ALONE,
                        who_name="Ada",
                        recorded_by_id=self.recorder_id,
                        **answer,
                    )
                )
            db.commit()
            return built

    def _plan(self, case: Case, started: date) -> Plan:
        plan = Plan(case_id=case.id, started_on=started)
        db.add(plan)
        db.flush()
        return plan

    def _goal(self, plan: Plan) -> Goal:
        goal = Goal(plan_id=plan.id, text="Rustige ochtenden.", status=GoalStatus.ACTIVE)
        db.add(goal)
        db.flush()
        return goal

    def plan(
        self,
        built: Built,
        *,
        started: date,
        ladder: list[tuple[date, int]] = (),  # type: ignore[assignment]
        regie: list[tuple[date, Regie]] = (),  # type: ignore[assignment]
        goals: int = 1,
    ) -> Built:
        """A plan with `goals` goals, and its ladder and regie history."""
        with self.app.app_context():
            case = db.get(Case, built.case_id)
            assert case is not None
            plan = self._plan(case, started)
            built.plan_id = plan.id
            for _ in range(goals):
                built.goal_ids.append(self._goal(plan).id)
            for on, level in ladder:
                db.add(
                    LadderEntry(
                        plan_id=plan.id,
                        level=LadderLevel(level),
                        changed_on=on,
                        recorded_by_id=self.recorder_id,
                    )
                )
            for on, value in regie:
                db.add(
                    RegieEntry(
                        plan_id=plan.id,
                        regie=value,
                        changed_on=on,
                        reason="Zo.",
                        recorded_by_id=self.recorder_id,
                    )
                )
            db.commit()
            return built

    def action(
        self,
        built: Built,
        owner: OwnerKind,
        *,
        created: date,
        status: ActionStatus = ActionStatus.PLANNED,
        goal: int = 0,
    ) -> int:
        with self.app.app_context():
            action = Action(
                goal_id=built.goal_ids[goal],
                text="Iets doen.",
                owner_kind=owner,
                owner_name="Iemand",
                status=status,
                created_at=at(created),
            )
            db.add(action)
            db.commit()
            return action.id

    def set_action(self, action_id: int, **values: Any) -> None:
        """Change an action after the fact (its owner, its status), as an edit would."""
        with self.app.app_context():
            action = db.get(Action, action_id)
            assert action is not None
            for name, value in values.items():
                setattr(action, name, value)
            db.commit()

    def agree(self, built: Built, on: date) -> None:
        """An agreed version of the plan as it is now (the app's own snapshot)."""
        with self.app.app_context():
            plan = db.get(Plan, built.plan_id)
            assert plan is not None
            number = len(plan.versions) + 1
            db.add(
                PlanVersion(
                    plan_id=plan.id,
                    number=number,
                    agreed_on=on,
                    agreed_how=AgreedHow.IN_PERSON,
                    agreed_by=["Ada"],
                    finalised_by_id=self.recorder_id,
                    snapshot=snapshot(plan),
                )
            )
            db.commit()

    def score(
        self, built: Built, on: date, value: int | None, *, goal: int = 0, void: bool = False
    ):
        with self.app.app_context():
            db.add(
                ScaleScore(
                    goal_id=built.goal_ids[goal],
                    scored_on=on,
                    family_score=value,
                    professional_score=5,
                    recorded_by_id=self.recorder_id,
                    voided_at=at(on) if void else None,
                )
            )
            db.commit()

    def member(
        self,
        built: Built,
        *,
        created: date,
        archived: date | None = None,
        may_contact: bool | None = True,
        consent_on: date | None = None,
        kind: NetworkKind = NetworkKind.FAMILY,
        asked: AskedStatus | None = None,
    ) -> int:
        with self.app.app_context():
            member = NetworkMember(
                family_id=built.family_id,
                name="Oma",
                kind=kind,
                closeness=Closeness.CLOSE,
                quality=Quality.SUPPORTIVE,
                may_contact=may_contact,
                consent_on=consent_on,
                archived_on=archived,
                asked_status=asked,
                created_at=at(created),
            )
            db.add(member)
            db.commit()
            return member.id
