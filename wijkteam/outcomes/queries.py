"""The queries behind the outcome figures (docs/outcomes.md): one statement per group of cases
(closed in the quarter, in care in it). Each classifies every case in SQL (correlated subqueries
that use the indexes of the plan's tables) and counts the cases per category and per professional
or team, so the overview runs the same few queries however many cases there are, and only the
counts and sums per group reach Python."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import (
    Date,
    Float,
    Integer,
    and_,
    bindparam,
    case,
    cast,
    func,
    null,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import JSON

from wijkteam.auth.models import Team, User
from wijkteam.cases.models import Case, CaseStatus, CloseReason
from wijkteam.closing.models import (
    CaseClosing,
    EndedBy,
    GoalOutcome,
    GoalResult,
    SatisfactionAnswer,
)
from wijkteam.core.db import db
from wijkteam.network.models import AskedStatus, NetworkKind, NetworkMember
from wijkteam.outcomes.figures import CLOSED, IN_CARE, LEVELS, OWNERS, TABLES, Table
from wijkteam.outcomes.periods import Quarter
from wijkteam.outcomes.suppression import Group
from wijkteam.plans.enums import ActionStatus, OwnerKind, Regie
from wijkteam.plans.models import (
    Action,
    Goal,
    LadderEntry,
    Plan,
    PlanVersion,
    RegieEntry,
    ScaleScore,
)

By = Literal["lead", "team"]
Expr = ColumnElement[Any]


@dataclass
class Counts:
    """What the queries found: per group (a case lead's or a team's id) the number of families
    in each category (`values[(count key, group)]`) and the sum of the cases' values of each
    mean (`sums[(mean key, group)]`)."""

    groups: list[int] = field(default_factory=list)
    values: dict[tuple[str, Group], int] = field(default_factory=dict)
    sums: dict[tuple[str, Group], float] = field(default_factory=dict)


def root_of(total: str) -> str:
    """The group of cases (CLOSED or IN_CARE) a table's total belongs to."""
    while total not in (CLOSED, IN_CARE):
        total = next(t.total for t in TABLES if total in t.parts)
    return total


CLOSED_TABLES = [t for t in TABLES if root_of(t.total) == CLOSED]
IN_CARE_TABLES = [t for t in TABLES if root_of(t.total) == IN_CARE]


def outcome_counts(quarter: Quarter, *, team_id: int | None, by: By) -> Counts:
    """The counts of one quarter, per case lead of one team (`by="lead"`) or per team (all
    teams, or one). Two queries."""
    counts = Counts()
    params = {"q_start": quarter.start, "q_end": quarter.end, "team_id": team_id}
    for total, statement, names in _statements(_dialect(), by, team_id is not None):
        for row in db.execute(statement, params):
            group = int(row[0])
            counts.values[(total, group)] = int(row[1])
            for (kind, key), value in zip(names, row[2:], strict=True):
                if kind == "count":
                    counts.values[(key, group)] = int(value or 0)
                else:
                    counts.sums[(key, group)] = float(value or 0)
    counts.groups = sorted({int(group) for _key, group in counts.values})
    return counts


@dataclass(frozen=True)
class _Period:
    """A quarter as bound parameters (q_start, q_end), so that one statement serves them all."""

    start: Any = bindparam("q_start", type_=Date)
    end: Any = bindparam("q_end", type_=Date)


Names = list[tuple[str, str]]


@functools.cache
def _statements(dialect: str, by: By, scoped: bool) -> tuple[tuple[str, Any, Names], ...]:
    """The two statements (closed in the quarter, in care in it) with the names of their
    columns, built once per engine, grouping and scope: the quarter and the team are bound
    parameters. Built anew for every request, statements this size cost more to build and to
    key for SQLAlchemy's compiled cache than the database needs to run them."""
    period = _Period()
    team_id: Any = bindparam("team_id") if scoped else None
    closed = _classified_closed(period, team_id, by)
    in_care = _classified_in_care(period, team_id, by, dialect)
    return (
        (CLOSED, *_aggregate(closed, CLOSED_TABLES, _CLOSED_MEANS)),
        (IN_CARE, *_aggregate(in_care, IN_CARE_TABLES, _IN_CARE_MEANS)),
    )


def group_names(by: By, ids: Sequence[int]) -> dict[int, str]:
    """The names of the groups: case leads or teams (one query)."""
    if not ids:
        return {}
    if by == "lead":
        rows = db.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    else:
        rows = db.execute(select(Team.id, Team.name).where(Team.id.in_(ids)))
    return {row[0]: row[1] for row in rows}


def team_choices() -> list[tuple[int, str]]:
    """Every team, for the analyst's filter."""
    return [(t.id, t.name) for t in db.execute(select(Team.id, Team.name).order_by(Team.name))]


# --- helpers ---------------------------------------------------------------------------------


def _dialect() -> str:
    return db.get_bind().dialect.name


def _day(column: Any, dialect: str) -> Expr:
    """The day of a stored timestamp, in UTC."""
    if dialect == "postgresql":
        return cast(func.timezone("UTC", column), Date)
    return func.date(column)


def _days_between(later: Any, earlier: Any, dialect: str) -> Expr:
    if dialect == "postgresql":
        return cast(later - earlier, Integer)
    return cast(func.julianday(later) - func.julianday(earlier), Integer)


def _one(condition: Any) -> Expr:
    return case((condition, 1), else_=0)


def _aggregate(classified: Any, tables: list[Table], means: Sequence[str]) -> tuple[Any, Names]:
    """Per group: the cases, each table's categories, and the sum of each mean's values; with
    what each column after the first two holds."""
    c = classified.c
    columns: list[Any] = [c.g, func.count().label("n")]
    names: Names = []
    for table in tables:
        for part in table.parts:
            columns.append(func.sum(_one(c[table.column] == part)).label(f"c{len(names)}"))
            names.append(("count", part))
    for mean in means:
        columns.append(func.sum(c[mean]).label(f"c{len(names)}"))
        names.append(("sum", mean))
    return select(*columns).group_by(c.g), names


def _group(by: By) -> Any:
    return (Case.lead_id if by == "lead" else Case.team_id).label("g")


def _team(team_id: Any) -> Any:
    return Case.team_id == team_id if team_id is not None else true()


# --- closed in the quarter -------------------------------------------------------------------

_CLOSED_MEANS = ("mark_mean", "heard_mean", "own_say_mean", "better_now_mean")


def _closed_in(case_: Any, quarter: Any) -> Any:
    return and_(
        case_.status == CaseStatus.CLOSED,
        case_.closed_on >= quarter.start,
        case_.closed_on <= quarter.end,
    )


def _classified_closed(quarter: Any, team_id: Any, by: By) -> Any:
    """Cases closed in the quarter (the family's latest), each with its categories."""
    later = aliased(Case)
    newer = (
        select(later.id)
        .where(
            later.family_id == Case.family_id,
            _closed_in(later, quarter),
            or_(
                later.closed_on > Case.closed_on,
                and_(later.closed_on == Case.closed_on, later.id > Case.id),
            ),
        )
        .exists()
    )
    cases = (
        select(Case.id, _group(by), Case.close_reason)
        .where(_closed_in(Case, quarter), ~newer, _team(team_id))
        .cte("closed_cases")
    )
    ids = select(cases.c.id)
    results = (
        select(
            GoalOutcome.case_id,
            func.count().label("n"),
            func.sum(_one(GoalOutcome.result == GoalResult.REACHED)).label("reached"),
            func.sum(_one(GoalOutcome.result == GoalResult.NOT_REACHED)).label("not_reached"),
        )
        .where(GoalOutcome.case_id.in_(ids))
        .group_by(GoalOutcome.case_id)
        .subquery()
    )
    answers = (
        select(
            SatisfactionAnswer.case_id,
            func.avg(cast(SatisfactionAnswer.rating, Float)).label("mark"),
            *(
                func.avg(cast(getattr(SatisfactionAnswer, q), Float)).label(q)
                for q in ("heard", "own_say", "better_now")
            ),
        )
        .where(SatisfactionAnswer.case_id.in_(ids))
        .group_by(SatisfactionAnswer.case_id)
        .subquery()
    )
    ending = case(
        (cases.c.close_reason == CloseReason.MOVED, "moved"),
        (CaseClosing.ended_by == EndedBy.FAMILY, "ended_by_family"),
        (CaseClosing.ended_by == EndedBy.TOGETHER, "ended_together"),
        (CaseClosing.ended_by == EndedBy.TEAM, "ended_by_team"),
        else_="ending_not_recorded",
    )
    attainment = case(
        (results.c.n.is_(None), "goals_not_recorded"),
        (results.c.reached == results.c.n, "goals_all_reached"),
        (results.c.not_reached == results.c.n, "goals_not_reached"),
        else_="goals_partly",
    )
    mark = case(
        (answers.c.mark.is_(None), "no_mark"),
        (answers.c.mark >= 7, "mark_7_plus"),
        else_="mark_below_7",
    )
    questions = [
        case((answers.c[q].is_(None), f"{q}_not_answered"), else_=f"{q}_answered").label(f"{q}_cat")
        for q in ("heard", "own_say", "better_now")
    ]
    return (
        select(
            cases.c.g,
            ending.label("ending"),
            attainment.label("attainment"),
            mark.label("mark"),
            *questions,
            answers.c.mark.label("mark_mean"),
            answers.c.heard.label("heard_mean"),
            answers.c.own_say.label("own_say_mean"),
            answers.c.better_now.label("better_now_mean"),
        )
        .select_from(cases)
        .outerjoin(CaseClosing, CaseClosing.case_id == cases.c.id)
        .outerjoin(results, results.c.case_id == cases.c.id)
        .outerjoin(answers, answers.c.case_id == cases.c.id)
        .subquery("closed_classified")
    )


# --- in care in the quarter ------------------------------------------------------------------

_IN_CARE_MEANS = (
    "days_mean",
    *(f"{who}_{when}_pct" for when in ("start", "end") for who in OWNERS),
    "network_start_mean",
    "network_end_mean",
    "consent_start_mean",
    "consent_end_mean",
    "ladder_start_mean",
    "ladder_end_mean",
    "score_start_mean",
    "score_latest_mean",
)


def _in_care_in(case_: Any, quarter: Any) -> Any:
    return and_(
        case_.opened_on <= quarter.end,
        or_(case_.closed_on.is_(None), case_.closed_on >= quarter.start),
    )


def _in_care(quarter: Any, team_id: Any, by: By, dialect: str) -> Any:
    """Cases in care in the quarter (the family's latest), with the end of the case in the
    quarter (e) and the start (s: the day of the first agreed plan version)."""
    later = aliased(Case)
    newer = (
        select(later.id)
        .where(
            later.family_id == Case.family_id,
            _in_care_in(later, quarter),
            or_(
                later.opened_on > Case.opened_on,
                and_(later.opened_on == Case.opened_on, later.id > Case.id),
            ),
        )
        .exists()
    )
    closed_in = and_(Case.closed_on.is_not(None), Case.closed_on <= quarter.end)
    first_agreed = (
        select(PlanVersion.agreed_on)
        .where(PlanVersion.plan_id == Plan.id)
        .order_by(PlanVersion.number)
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(
            Case.id,
            Case.family_id,
            _group(by),
            Case.opened_on,
            Plan.id.label("plan_id"),
            case((closed_in, Case.closed_on), else_=quarter.end).label("e"),
            _one(closed_in).label("closed_in"),
            first_agreed.label("s"),
        )
        .select_from(Case)
        .outerjoin(Plan, Plan.case_id == Case.id)
        .where(_in_care_in(Case, quarter), ~newer, _team(team_id))
        .cte("in_care")
    )


def _first_version_actions(cases: Any, dialect: str) -> Any:
    """Per plan of these cases: the actions of its first agreed version (the snapshot, as
    agreed; stopped ones left out) per owner kind."""
    version = aliased(PlanVersion)
    first = (
        select(func.min(PlanVersion.number))
        .where(PlanVersion.plan_id == version.plan_id)
        .scalar_subquery()
    )
    if dialect == "postgresql":
        goals = (
            func.json_array_elements(type_coerce(version.snapshot, JSON)["goals"])
            .table_valued("value")
            .render_derived()
            .lateral("g")
        )
        actions = (
            func.json_array_elements(type_coerce(goals.c.value, JSON)["actions"])
            .table_valued("value")
            .render_derived()
            .lateral("a")
        )
        owner: Any = actions.c.value.op("->>")("owner_kind")
        status: Any = actions.c.value.op("->>")("status")
    else:
        goals = func.json_each(version.snapshot, "$.goals").table_valued("value").alias("g")
        actions = func.json_each(goals.c.value, "$.actions").table_valued("value").alias("a")
        owner = func.json_extract(actions.c.value, "$.owner_kind")
        status = func.json_extract(actions.c.value, "$.status")
    return (
        select(
            version.plan_id,
            *(func.sum(_one(owner == kind.value)).label(kind.value) for kind in OwnerKind),
        )
        .select_from(version)
        .join(goals, true())
        .join(actions, true())
        .where(
            version.plan_id.in_(select(cases.c.plan_id)),
            version.number == first,
            status != ActionStatus.STOPPED.value,
        )
        .group_by(version.plan_id)
        .subquery("first_actions")
    )


def _raw_in_care(quarter: Any, team_id: Any, by: By, dialect: str) -> Any:
    """Per case in care: what the categories are made of (ladder, regie, actions, network,
    scores, days), each a correlated subquery on the plan's own rows up to the end e."""
    ic = _in_care(quarter, team_id, by, dialect)
    start_actions = _first_version_actions(ic, dialect)

    def ladder(last: bool) -> Any:
        order = (
            (LadderEntry.changed_on.desc(), LadderEntry.id.desc())
            if last
            else (LadderEntry.changed_on, LadderEntry.id)
        )
        return (
            select(LadderEntry.level)
            .where(LadderEntry.plan_id == ic.c.plan_id, LadderEntry.changed_on <= ic.c.e)
            .order_by(*order)
            .limit(1)
            .scalar_subquery()
        )

    regie_ever = (
        select(RegieEntry.id)
        .where(
            RegieEntry.plan_id == ic.c.plan_id,
            RegieEntry.regie == Regie.TAKEN_OVER,
            RegieEntry.changed_on <= ic.c.e,
        )
        .exists()
    )
    regie_last = (
        select(RegieEntry.regie)
        .where(RegieEntry.plan_id == ic.c.plan_id, RegieEntry.changed_on <= ic.c.e)
        .order_by(RegieEntry.changed_on.desc(), RegieEntry.id.desc())
        .limit(1)
        .scalar_subquery()
    )

    def end_actions(kind: OwnerKind) -> Any:
        return (
            select(func.count(Action.id))
            .join(Goal, Goal.id == Action.goal_id)
            .where(
                Goal.plan_id == ic.c.plan_id,
                Action.owner_kind == kind,
                Action.status != ActionStatus.STOPPED,
                _day(Action.created_at, dialect) <= ic.c.e,
            )
            .scalar_subquery()
        )

    def network(day: Any, consent: bool) -> Any:
        conditions = [
            NetworkMember.family_id == ic.c.family_id,
            NetworkMember.kind != NetworkKind.PROFESSIONAL,
            or_(
                NetworkMember.asked_status.is_(None),
                NetworkMember.asked_status != AskedStatus.SAID_NO,
            ),
            _day(NetworkMember.created_at, dialect) <= day,
            or_(NetworkMember.archived_on.is_(None), NetworkMember.archived_on > day),
        ]
        if consent:
            conditions += [
                NetworkMember.may_contact.is_(True),
                func.coalesce(NetworkMember.consent_on, _day(NetworkMember.created_at, dialect))
                <= day,
            ]
        return select(func.count(NetworkMember.id)).where(*conditions).scalar_subquery()

    valid_score = (
        ScaleScore.goal_id == Goal.id,
        ScaleScore.voided_at.is_(None),
        ScaleScore.family_score.is_not(None),
        ScaleScore.scored_on <= ic.c.e,
    )

    def goal_score(last: bool) -> Any:
        order = (
            (ScaleScore.scored_on.desc(), ScaleScore.id.desc())
            if last
            else (ScaleScore.scored_on, ScaleScore.id)
        )
        return (
            select(ScaleScore.family_score)
            .where(*valid_score)
            .order_by(*order)
            .limit(1)
            # Two levels down from in_care: without an explicit correlation SQLAlchemy would
            # add in_care to this FROM (a cross join, and the end e of any case).
            .correlate_except(ScaleScore)
            .scalar_subquery()
        )

    def over_goals(aggregate: Any) -> Any:
        return select(aggregate).where(Goal.plan_id == ic.c.plan_id).scalar_subquery()

    closed_in = ic.c.closed_in == 1
    return (
        select(
            ic.c.g,
            ic.c.e,
            ic.c.s,
            _days_between(ic.c.s, ic.c.opened_on, dialect).label("days"),
            # As numbers (not LadderLevel): their sums make the mean levels.
            cast(ladder(last=False), Integer).label("ladder_first"),
            cast(
                func.coalesce(
                    case((closed_in, CaseClosing.ladder_level), else_=null()), ladder(last=True)
                ),
                Integer,
            ).label("ladder_end"),
            _one(or_(regie_ever, and_(closed_in, CaseClosing.regie == Regie.TAKEN_OVER))).label(
                "regie_ever"
            ),
            func.coalesce(case((closed_in, CaseClosing.regie), else_=null()), regie_last).label(
                "regie_end"
            ),
            *(
                func.coalesce(start_actions.c[kind.value], 0).label(f"s_{kind.value}")
                for kind in OwnerKind
            ),
            *(end_actions(kind).label(f"e_{kind.value}") for kind in OwnerKind),
            network(ic.c.s, consent=False).label("net_start"),
            network(ic.c.s, consent=True).label("consent_start"),
            network(ic.c.e, consent=False).label("net_end"),
            network(ic.c.e, consent=True).label("consent_end"),
            over_goals(func.count(goal_score(last=False))).label("scored_goals"),
            over_goals(func.sum(goal_score(last=False))).label("score_first"),
            over_goals(func.sum(goal_score(last=True))).label("score_last"),
        )
        .select_from(ic)
        .outerjoin(CaseClosing, CaseClosing.case_id == ic.c.id)
        .outerjoin(start_actions, start_actions.c.plan_id == ic.c.plan_id)
        .cte("in_care_raw")
        # Each category below reads these columns several times. Left as a plain subquery,
        # both engines pull it up into the outer SELECT and copy every correlated subquery into
        # each expression that reads its column (PostgreSQL planned 359 subplans, seconds per
        # page at a few hundred cases); materialised, each runs once per case.
        .prefix_with("MATERIALIZED")
    )


def _classified_in_care(quarter: Any, team_id: Any, by: By, dialect: str) -> Any:
    """Cases in care in the quarter, each with its categories and its values for the means."""
    r = _raw_in_care(quarter, team_id, by, dialect).c
    agreed = and_(r.s.is_not(None), r.s <= r.e)
    agreed_in_quarter = and_(agreed, r.s >= quarter.start)
    days = case((r.days < 0, 0), else_=r.days)
    start_total = r.s_family + r.s_network + r.s_professional
    end_total = r.e_family + r.e_network + r.e_professional
    own_start = (r.s_family + r.s_network) * end_total
    own_end = (r.e_family + r.e_network) * start_total
    with_actions = and_(agreed, start_total > 0, end_total > 0)
    scored = r.scored_goals > 0
    ladder_known = r.ladder_first.is_not(None)

    def share(column: Any, total: Any) -> Any:
        return case((with_actions, cast(column, Float) / total), else_=null())

    def band(sum_: Any, prefix: str) -> Any:
        return case(
            (~scored, "not_scored"),
            (sum_ < 4 * r.scored_goals, f"{prefix}_low"),
            (sum_ < 7 * r.scored_goals, f"{prefix}_mid"),
            else_=f"{prefix}_high",
        )

    columns: dict[str, Any] = {
        "plan": case((agreed, "plan_agreed"), else_="plan_not_agreed"),
        "agreed": case(
            (agreed_in_quarter, "agreed_in_quarter"), (agreed, "agreed_before"), else_=null()
        ),
        "days": case(
            (
                agreed_in_quarter,
                case(
                    (days <= 14, "days_0_14"),
                    (days <= 42, "days_15_42"),
                    (days <= 90, "days_43_90"),
                    else_="days_91_plus",
                ),
            ),
            else_=null(),
        ),
        "ownership": case(
            (
                with_actions,
                case(
                    (own_end > own_start, "own_share_up"),
                    (own_end == own_start, "own_share_same"),
                    else_="own_share_down",
                ),
            ),
            (agreed, "no_actions"),
            else_=null(),
        ),
        "network": case(
            (
                agreed,
                case(
                    (r.net_end > r.net_start, "network_grew"),
                    (r.net_end == r.net_start, "network_same"),
                    else_="network_shrank",
                ),
            ),
            else_=null(),
        ),
        "ladder": case(
            (~ladder_known, "ladder_not_recorded"),
            (r.ladder_end > r.ladder_first, "ladder_up"),
            (r.ladder_end == r.ladder_first, "ladder_same"),
            else_="ladder_down",
        ),
        "ladder_start": case(
            (~ladder_known, "ladder_not_recorded"),
            *((r.ladder_first == n, f"ladder_start_{n}") for n in LEVELS),
            else_=null(),
        ),
        "ladder_end": case(
            (~ladder_known, "ladder_not_recorded"),
            *((r.ladder_end == n, f"ladder_end_{n}") for n in LEVELS),
            else_=null(),
        ),
        "regie": case((r.regie_ever == 1, "regie_taken_over"), else_="regie_not_taken_over"),
        "regie_end": case(
            (r.regie_end == Regie.TAKEN_OVER.value, "regie_taken_over_end"),
            else_="regie_not_taken_over_end",
        ),
        "scores": case(
            (~scored, "not_scored"),
            (r.score_last > r.score_first, "score_up"),
            (r.score_last == r.score_first, "score_same"),
            else_="score_down",
        ),
        "score_start": band(r.score_first, "score_start"),
        "score_latest": band(r.score_last, "score_latest"),
        # The cases' values of the means (NULL outside a mean's families).
        "days_mean": case((agreed_in_quarter, days), else_=null()),
        **{
            f"{kind.value}_start_pct": share(r[f"s_{kind.value}"], start_total)
            for kind in OwnerKind
        },
        **{f"{kind.value}_end_pct": share(r[f"e_{kind.value}"], end_total) for kind in OwnerKind},
        "network_start_mean": case((agreed, r.net_start), else_=null()),
        "network_end_mean": case((agreed, r.net_end), else_=null()),
        "consent_start_mean": case((agreed, r.consent_start), else_=null()),
        "consent_end_mean": case((agreed, r.consent_end), else_=null()),
        "ladder_start_mean": case((ladder_known, r.ladder_first), else_=null()),
        "ladder_end_mean": case((ladder_known, r.ladder_end), else_=null()),
        "score_start_mean": case(
            (scored, cast(r.score_first, Float) / r.scored_goals), else_=null()
        ),
        "score_latest_mean": case(
            (scored, cast(r.score_last, Float) / r.scored_goals), else_=null()
        ),
    }
    return select(r.g, *(expr.label(name) for name, expr in columns.items())).subquery(
        "in_care_classified"
    )
