"""Reads for the way out of a case: the safety concerns that stop a closing, and what the
closing recorded. Only models and the database: cases.services imports this package."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from wijkteam.cases.models import Case
from wijkteam.closing.models import AftercareContact, CaseClosing, GoalOutcome, SatisfactionAnswer
from wijkteam.core.db import db
from wijkteam.network.models import NetworkMember
from wijkteam.plans.enums import GoalStatus
from wijkteam.plans.models import Goal, Plan
from wijkteam.resources.models import Resource
from wijkteam.safety.models import MELDCODE_STEPS, ConcernStatus, MeldcodeStep, SafetyConcern

# The goals a closing asks a result for: those still worked on, and those already achieved. A
# goal that was changed (into another goal) or dropped is no longer one of the family's goals.
CLOSING_GOAL_STATUSES = (GoalStatus.ACTIVE, GoalStatus.ACHIEVED)


@dataclass(frozen=True)
class OpenConcern:
    """A safety concern that stops the case from closing, with where its Meldcode stands."""

    id: int
    title: str
    status: ConcernStatus
    steps_done: int

    @property
    def next_step(self) -> int | None:
        """The next Meldcode step (1-5), None when all five are recorded."""
        return self.steps_done + 1 if self.steps_done < len(MELDCODE_STEPS) else None


def open_concerns(case_id: int) -> list[OpenConcern]:
    """The case's safety concerns that are not closed, read from the database (never from a
    loaded object, so a concern opened by someone else a moment ago counts). A concern is open
    while it is not closed, whatever its Meldcode steps: it is open (no step yet) or being
    handled (the Meldcode under way, or all five steps recorded but the concern not closed).
    A closed concern can no longer change (safety.services), so it never stops a closing."""
    done = (
        select(func.count(MeldcodeStep.id))
        .where(MeldcodeStep.concern_id == SafetyConcern.id)
        .correlate(SafetyConcern)
        .scalar_subquery()
    )
    rows = db.execute(
        select(SafetyConcern.id, SafetyConcern.title, SafetyConcern.status, done)
        .where(SafetyConcern.case_id == case_id, SafetyConcern.status != ConcernStatus.CLOSED)
        .order_by(SafetyConcern.opened_on, SafetyConcern.id)
    )
    return [OpenConcern(cid, title, status, int(n)) for cid, title, status, n in rows]


def closing_of(case: Case) -> CaseClosing | None:
    """What was recorded when the case closed (None for an open case)."""
    return db.scalar(
        select(CaseClosing)
        .where(CaseClosing.case_id == case.id)
        .options(joinedload(CaseClosing.recorded_by))
    )


@dataclass(frozen=True)
class StayingInvolved:
    """Who stays involved after closing, as recorded: network members and services."""

    people: list[NetworkMember]
    services: list[Resource]

    def __bool__(self) -> bool:
        return bool(self.people or self.services)


def staying_involved(case: Case) -> StayingInvolved:
    rows = list(
        db.scalars(
            select(AftercareContact)
            .where(AftercareContact.case_id == case.id)
            .options(
                joinedload(AftercareContact.network_member),
                joinedload(AftercareContact.resource),
            )
            .order_by(AftercareContact.id)
        )
    )
    return StayingInvolved(
        people=[r.network_member for r in rows if r.network_member is not None],
        services=[r.resource for r in rows if r.resource is not None],
    )


def closing_goals(case: Case) -> list[Goal]:
    """The goals of the case's plan that a closing asks a result for (active or achieved), in
    the plan's order, with their scores."""
    return list(
        db.scalars(
            select(Goal)
            .join(Plan, Plan.id == Goal.plan_id)
            .where(Plan.case_id == case.id, Goal.status.in_(CLOSING_GOAL_STATUSES))
            .options(selectinload(Goal.scores))
            .order_by(Goal.position, Goal.id)
        )
    )


def last_family_score(goal: Goal) -> int | None:
    """The family's last valid score on the goal (0-10), None when they never gave one."""
    scores = [s.family_score for s in goal.valid_scores if s.family_score is not None]
    return scores[-1] if scores else None


def goal_outcomes(case: Case) -> list[GoalOutcome]:
    """Each goal's result as recorded at closing, in the plan's order (none for an open case
    or one closed before results were asked)."""
    return list(
        db.scalars(
            select(GoalOutcome)
            .join(Goal, Goal.id == GoalOutcome.goal_id)
            .where(GoalOutcome.case_id == case.id)
            .options(joinedload(GoalOutcome.goal))
            .order_by(Goal.position, Goal.id)
        )
    )


def satisfaction_answers(case: Case) -> list[SatisfactionAnswer]:
    """What the family answered about the help, in the order it was recorded."""
    return list(
        db.scalars(
            select(SatisfactionAnswer)
            .where(SatisfactionAnswer.case_id == case.id)
            .options(
                joinedload(SatisfactionAnswer.member), joinedload(SatisfactionAnswer.recorded_by)
            )
            .order_by(SatisfactionAnswer.answered_on, SatisfactionAnswer.id)
        )
    )
