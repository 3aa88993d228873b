"""Reviews waiting for a team lead, and what a professional sent or got back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from flask import abort
from sqlalchemy import ColumnElement, and_, bindparam, literal_column, or_, select, tuple_
from sqlalchemy.orm import aliased, joinedload

from wijkteam.auth.models import Role, User, by_name
from wijkteam.cases.models import Case
from wijkteam.cases.queries import sees_cases, visible_case_ids
from wijkteam.core.db import db, plain_rows
from wijkteam.core.lists import Part, unlike_lists_in_one
from wijkteam.plans.compare import Changes, compare
from wijkteam.plans.models import Plan, PlanVersion
from wijkteam.reviews.models import Review, ReviewKind, ReviewStatus
from wijkteam.web.pagination import Shown

RECENT = 20  # what the user asked that waits or came back: the latest changed, and "more"
# What waits for the user's sign-off on the dashboard: the ones waiting longest (issue 21:
# every list that can grow is paged or cut; a team lead back from leave finds many).
TO_SIGN_SHOWN = 25


# Built once with the user's team and id as bound parameters (issue 21).
_SEEN = select(Review).where(Review.case_id.in_(visible_case_ids()))
_ONE = _SEEN.where(Review.id == bindparam("review_id")).options(
    joinedload(Review.case).joinedload(Case.family),
    by_name(Review.requested_by),
    by_name(Review.decided_by),
)
# The dashboard's lists show a request's own title, kind and comment and who asked.
_LISTED = _SEEN.options(by_name(Review.requested_by))
# "Still waiting" as a literal in the statement's text, not a parameter: PostgreSQL's generic
# plan of a prepared statement can use the partial index of waiting requests
# (ix_reviews_waiting_case_id) only when the statement itself says status = 'waiting' (a
# team's few waiting requests instead of every team's: 1.2 -> 0.2 ms at 10,000 families).
_IS_WAITING = Review.status == literal_column(f"'{ReviewStatus.WAITING.value}'")
_TO_SIGN_ORDER = (Review.created_at, Review.id)
_MINE_ORDER = (Review.updated_at.desc(), Review.id.desc())
_WAITING_FOR_TEAM_LEAD = _LISTED.where(
    _IS_WAITING, Review.requested_by_id != bindparam("user_id")
).order_by(*_TO_SIGN_ORDER)
_WAITING_FOR_SECOND_REVIEWER = _WAITING_FOR_TEAM_LEAD.where(
    Review.requested_by_id.in_(select(User.id).where(User.role == Role.TEAMLEAD))
)
# A request sent back is answered by a newer request of the same case: the same safety
# decision asked again, or the same or a later version of the plan agreed and asked.
_newer = aliased(Review)
_ANSWERED = (
    select(_newer.id)
    .where(
        _newer.case_id == Review.case_id,
        _newer.kind == Review.kind,
        _newer.id > Review.id,
        or_(
            _newer.ref_id == Review.ref_id,
            and_(Review.kind == ReviewKind.PLAN_VERSION, _newer.ref_id > Review.ref_id),
        ),
    )
    .exists()
)
_MINE = (
    _LISTED.where(
        Review.requested_by_id == bindparam("user_id"),
        or_(_IS_WAITING, and_(Review.status == ReviewStatus.RETURNED, ~_ANSWERED)),
    )
    .order_by(*_MINE_ORDER)
    .limit(RECENT + 1)
)


@dataclass(frozen=True, slots=True)
class Listed:
    """A sign-off request as the dashboard lists it: its own title, kind, status and comment
    and who asked, as a plain row (issue 21: a mapped request with its asker cost the ORM
    several times the statement)."""

    id: int
    case_id: int
    kind: ReviewKind
    ref_id: int
    title: str
    status: ReviewStatus
    comment: str
    requested_by_id: int
    requested_by_name: str


# What a listed request shows, and who asked (the statement joins the asker: users).
_LISTED_COLUMNS = (
    Review.id,
    Review.case_id,
    Review.kind,
    Review.ref_id,
    Review.title,
    Review.status,
    Review.comment,
    Review.requested_by_id,
    User.display_name,
)


def _listed(where: Any) -> Any:
    """Listed rows of the requests a statement's conditions find (its WHERE clause)."""
    return (
        select(*_LISTED_COLUMNS)
        .join(User, User.id == Review.requested_by_id)
        .where(cast("ColumnElement[bool]", where))
    )


# `_MINE` as listed rows, by its very conditions (the cases the user sees among them; "my
# week": the user signs nothing off), up to RECENT and one more, to say more were asked.
ASKED = Part(_listed(_MINE.whereclause), _MINE_ORDER, RECENT + 1)
_MINE_LISTED = ASKED.alone


@dataclass(frozen=True)
class Asked:
    """What a user asked to be signed off: still waiting, sent back (and not answered since),
    and whether more than RECENT of them were left out (the ones changed longest ago)."""

    waiting: list[Listed]
    returned: list[Listed]
    more: bool = False


def for_the_dashboard(user: User) -> tuple[Shown[Listed], Asked]:
    """The dashboard's three lists of sign-off requests in one query (issue 21: two before):
    what waits for this user's sign-off (`waiting_for_me`), and what the user asked that still
    waits or came back (`mine`), each in its own order and with its own limit. The dashboard
    reads the same lists with its others (`dashboard_parts`, `from_the_dashboard`)."""
    if not sees_cases(user):
        return Shown.none(), Asked([], [])
    parts = dashboard_parts(user)
    lists = unlike_lists_in_one(tuple(parts))
    params = dashboard_params(user)
    return from_the_dashboard(parts, lists.read(params))


def dashboard_parts(user: User) -> list[Part]:
    """The dashboard's lists of sign-off requests: what waits for this user's sign-off (if
    they sign off anything) and what they asked (`ASKED`), for `unlike_lists_in_one`."""
    signs = _to_sign(user)
    return [ASKED] if signs is None else [_to_sign_part(signs), ASKED]


def dashboard_params(user: User) -> dict[str, Any]:
    """The bound parameters of `dashboard_parts`."""
    return _params(user) | {"to_sign": TO_SIGN_SHOWN + 1}


def from_the_dashboard(
    parts: Sequence[Part], rows: Sequence[list[tuple[Any, ...]]]
) -> tuple[Shown[Listed], Asked]:
    """What to sign off and what was asked, from the rows of `dashboard_parts`' lists (in
    that order)."""
    lists = [[Listed(*row) for row in part_rows] for part_rows in rows]
    to_sign = lists[0] if len(parts) == 2 else []
    return Shown.of(to_sign, TO_SIGN_SHOWN), _asked(lists[-1])


@cache
def _to_sign_part(to_sign: Any) -> Part:
    """`to_sign` (one of `_WAITING_FOR_...`) as listed rows, by its very conditions and
    order, up to the bound parameter `to_sign`."""
    return Part(_listed(to_sign.whereclause), _TO_SIGN_ORDER, bindparam("to_sign"))


def _params(user: User) -> dict[str, Any]:
    return {"team_id": user.team_id, "user_id": user.id}


def waiting_for_me(user: User) -> Shown[Review]:
    """What this user may sign off: for a team lead everything the team asked except their own
    requests; for a second reviewer what a team lead asked (someone else must sign that off).
    The TO_SIGN_SHOWN that wait longest, and whether more wait."""
    signs = _to_sign(user)
    if signs is None or not sees_cases(user):
        return Shown.none()
    rows = list(db.scalars(signs.limit(TO_SIGN_SHOWN + 1), _params(user)))
    return Shown.of(rows, TO_SIGN_SHOWN)


def _to_sign(user: User) -> Any | None:
    """The statement of what this user signs off (None: they sign nothing off)."""
    if user.role == Role.TEAMLEAD:
        return _WAITING_FOR_TEAM_LEAD
    return _WAITING_FOR_SECOND_REVIEWER if user.second_reviewer else None


def has_second_pair_of_eyes(user: User) -> bool:
    """Is there anyone in the team, other than this user, who can sign off their request?"""
    if user.team_id is None:
        return False
    return db.scalar(_SECOND_PAIR_OF_EYES, _params(user)) is not None


_SECOND_PAIR_OF_EYES = (
    select(User.id)
    .where(
        User.team_id == bindparam("team_id"),
        User.active.is_(True),
        User.id != bindparam("user_id"),
        or_(User.role == Role.TEAMLEAD, User.second_reviewer.is_(True)),
    )
    .limit(1)
)


def mine(user: User) -> Asked:
    """What this user asked to be signed off that still waits or came back: the RECENT
    changed last."""
    if not sees_cases(user):
        return _asked([])
    return _asked([Listed(*row) for row in plain_rows(_MINE_LISTED, _params(user))])


def _asked(rows: list[Listed]) -> Asked:
    shown = rows[:RECENT]
    return Asked(
        [r for r in shown if r.status == ReviewStatus.WAITING],
        [r for r in shown if r.status == ReviewStatus.RETURNED],
        more=len(rows) > RECENT,
    )


def get_review_or_404(user: User, review_id: int) -> Review:
    params = _params(user) | {"review_id": review_id}
    review = db.scalar(_ONE, params) if sees_cases(user) else None
    if review is None:
        abort(404)
    return review


def latest_status(case_id: int, kind: ReviewKind, ref_id: int) -> ReviewStatus | None:
    """Where the latest sign-off request of this plan version or safety decision stands (None:
    never asked), read from the database."""
    return db.scalar(_LATEST_STATUS, {"case_id": case_id, "kind": kind, "ref_id": ref_id})


_LATEST_STATUS = (
    select(Review.status)
    .where(
        Review.case_id == bindparam("case_id"),
        Review.kind == bindparam("kind"),
        Review.ref_id == bindparam("ref_id"),
    )
    .order_by(Review.id.desc())
    .limit(1)
)


def version_sign_offs(case: Case) -> dict[int, Review]:
    """The sign-off of each agreed version of the case's plan, by version number (the latest
    request where a version was asked more than once), in one query (a version's page; the
    plan page reads them with its versions, plans/page.py)."""
    reviews = db.scalars(_SIGN_OFFS, {"case_id": case.id})
    return {review.ref_id: review for review in reviews}


_SIGN_OFFS = (  # built once (issue 21): a version's page reads it
    select(Review)
    .where(Review.case_id == bindparam("case_id"), Review.kind == ReviewKind.PLAN_VERSION)
    .options(by_name(Review.decided_by))
    .order_by(Review.id)
)


def version_changes(reviews: Sequence[Review | Listed]) -> dict[int, Changes | None]:
    """For each plan-version review: what that version changed against the version before it
    (None for a first version). One query for all of them."""
    wanted = {(r.case_id, r.ref_id) for r in reviews if r.kind == ReviewKind.PLAN_VERSION}
    if not wanted:
        return {}
    # The two snapshots each comparison needs, not every version of those cases (issue 21:
    # a plan agreed thirty times has thirty snapshots).
    pairs = sorted({(case_id, number - k) for case_id, number in wanted for k in (0, 1)})
    cases = sorted({case_id for case_id, _number in pairs})
    rows = db.execute(_SNAPSHOTS, {"cases": cases, "pairs": pairs})
    snapshots = {(case_id, number): snap for case_id, number, snap in rows}
    changes: dict[int, Changes | None] = {}
    for review in reviews:
        if review.kind != ReviewKind.PLAN_VERSION:
            continue
        before = snapshots.get((review.case_id, review.ref_id - 1))
        now = snapshots.get((review.case_id, review.ref_id))
        changes[review.id] = compare(before, now) if before is not None and now else None
    return changes


# The cases on their own as well: SQLite uses no index for the pairs (a row value IN) and
# read every version with its snapshot, 3.4 ms at 10,000 families against 0.02 ms at 100
# (issue 21); by the case ids it finds the plans and then their versions by index.
_SNAPSHOTS = (
    select(Plan.case_id, PlanVersion.number, PlanVersion.snapshot)
    .join(Plan, Plan.id == PlanVersion.plan_id)
    .where(
        Plan.case_id.in_(bindparam("cases", expanding=True)),
        tuple_(Plan.case_id, PlanVersion.number).in_(bindparam("pairs", expanding=True)),
    )
)
