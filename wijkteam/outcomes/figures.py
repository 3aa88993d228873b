"""The outcome figures, once: the counts of families and the tables they form, the means and
shares made of them, their labels and their order as columns of the monitor export.

Every count is a number of families (cases, one per family: docs/outcomes.md). The counts of one
group of cases form tables: a table's parts add up to its total, for every professional (or team)
and for all together; suppression.py protects every such line. A mean or share is shown only when
every count it is made of is shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from wijkteam.plans.enums import LadderLevel

# The two groups of cases of a quarter (docs/outcomes.md, "Which cases count").
CLOSED = "closed"
IN_CARE = "in_care"
LEVELS = tuple(int(level) for level in LadderLevel)


@dataclass(frozen=True)
class Count:
    """A number of families."""

    key: str
    label: LazyString | str


@dataclass(frozen=True)
class Table:
    """Counts that add up: `parts` make `total`, per group and for all groups together.
    `column` is the case's category column in queries.py (one of `parts`, or NULL for a case
    outside `total`)."""

    key: str
    total: str
    parts: tuple[str, ...]
    column: str


@dataclass(frozen=True)
class Mean:
    """A mean over the families of `basis` (counts that add up to them): the sum of the cases'
    values (`key` in the query's sums) divided by their number. `percent`: a mean of fractions,
    shown as a percentage."""

    key: str
    label: LazyString | str
    basis: tuple[str, ...]
    digits: int = 1
    percent: bool = False


@dataclass(frozen=True)
class Share:
    """numerator / denominator as a percentage; both are sums of counts."""

    key: str
    label: LazyString | str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]


def _level_label(prefix: Callable[[], str], level: int) -> str:
    return f"{prefix()} {level}: {LadderLevel(level).label}"


def _levels(prefix: str, when: LazyString) -> list[Count]:
    return [
        Count(f"{prefix}_{n}", LazyString(_level_label, lambda w=when: str(w), n)) for n in LEVELS
    ]


COUNTS: list[Count] = [
    # Closed in the quarter: the three outcome indicators.
    Count(CLOSED, _l("Cases closed in the quarter")),
    Count("ended_together", _l("Ended together, as planned")),
    Count("ended_by_family", _l("Drop-out: the family stopped on its own")),
    Count("ended_by_team", _l("Ended by the team")),
    Count("moved", _l("The family moved away")),
    Count("ending_not_recorded", _l("How it ended: not recorded")),
    Count("goals_all_reached", _l("All goals reached")),
    Count("goals_partly", _l("Goals partly reached")),
    Count("goals_not_reached", _l("Goals not reached")),
    Count("goals_not_recorded", _l("Goal results: not recorded")),
    Count("mark_7_plus", _l("Mark 7 or more")),
    Count("mark_below_7", _l("Mark below 7")),
    Count("no_mark", _l("No mark given")),
    Count("heard_answered", _l("Answered: felt heard")),
    Count("heard_not_answered", _l("Did not answer: felt heard")),
    Count("own_say_answered", _l("Answered: had a say in the plan")),
    Count("own_say_not_answered", _l("Did not answer: had a say in the plan")),
    Count("better_now_answered", _l("Answered: better now than at the start")),
    Count("better_now_not_answered", _l("Did not answer: better now than at the start")),
    # In care in the quarter: the eigen-kracht process.
    Count(IN_CARE, _l("Cases in care in the quarter")),
    Count("plan_agreed", _l("Plan agreed with the family")),
    Count("plan_not_agreed", _l("No plan agreed yet")),
    Count("agreed_in_quarter", _l("First agreed in the quarter")),
    Count("agreed_before", _l("First agreed before the quarter")),
    Count("days_0_14", _l("0 to 14 days")),
    Count("days_15_42", _l("15 to 42 days")),
    Count("days_43_90", _l("43 to 90 days")),
    Count("days_91_plus", _l("More than 90 days")),
    Count("own_share_up", _l("The family and its network own more actions")),
    Count("own_share_same", _l("The family and its network own as many actions")),
    Count("own_share_down", _l("The family and its network own fewer actions")),
    Count("no_actions", _l("No actions at the start or at the end")),
    Count("network_grew", _l("The network grew")),
    Count("network_same", _l("The network stayed the same")),
    Count("network_shrank", _l("The network shrank")),
    Count("ladder_up", _l("Up the ladder")),
    Count("ladder_same", _l("Same level")),
    Count("ladder_down", _l("Down the ladder")),
    Count("ladder_not_recorded", _l("No level recorded")),
    *_levels("ladder_start", _l("At the start, level")),
    *_levels("ladder_end", _l("At the end, level")),
    Count("regie_taken_over", _l("Regie taken over at some time")),
    Count("regie_not_taken_over", _l("Regie never taken over")),
    Count("regie_taken_over_end", _l("Regie still taken over at the end")),
    Count("regie_not_taken_over_end", _l("Regie not taken over at the end")),
    Count("score_up", _l("Scores went up")),
    Count("score_same", _l("Scores stayed the same")),
    Count("score_down", _l("Scores went down")),
    Count("not_scored", _l("No family scores")),
    Count("score_start_low", _l("At the start 0 to 3")),
    Count("score_start_mid", _l("At the start 4 to 6")),
    Count("score_start_high", _l("At the start 7 to 10")),
    Count("score_latest_low", _l("Latest 0 to 3")),
    Count("score_latest_mid", _l("Latest 4 to 6")),
    Count("score_latest_high", _l("Latest 7 to 10")),
]
COUNT = {c.key: c for c in COUNTS}

LADDER_MOVES = ("ladder_up", "ladder_same", "ladder_down")
OWN_MOVES = ("own_share_up", "own_share_same", "own_share_down")
SCORE_MOVES = ("score_up", "score_same", "score_down")
RESULTS = ("goals_all_reached", "goals_partly", "goals_not_reached")
ENDINGS = ("ended_together", "ended_by_family", "ended_by_team")
MARKS = ("mark_7_plus", "mark_below_7")
DAYS = ("days_0_14", "days_15_42", "days_43_90", "days_91_plus")
QUESTIONS = ("heard", "own_say", "better_now")
OWNERS = ("family", "network", "professional")

TABLES: list[Table] = [
    Table("ending", CLOSED, (*ENDINGS, "moved", "ending_not_recorded"), "ending"),
    Table("attainment", CLOSED, (*RESULTS, "goals_not_recorded"), "attainment"),
    Table("mark", CLOSED, (*MARKS, "no_mark"), "mark"),
    *(Table(q, CLOSED, (f"{q}_answered", f"{q}_not_answered"), f"{q}_cat") for q in QUESTIONS),
    Table("plan", IN_CARE, ("plan_agreed", "plan_not_agreed"), "plan"),
    Table("agreed", "plan_agreed", ("agreed_in_quarter", "agreed_before"), "agreed"),
    Table("days", "agreed_in_quarter", DAYS, "days"),
    Table("ownership", "plan_agreed", (*OWN_MOVES, "no_actions"), "ownership"),
    Table("network", "plan_agreed", ("network_grew", "network_same", "network_shrank"), "network"),
    Table("ladder", IN_CARE, (*LADDER_MOVES, "ladder_not_recorded"), "ladder"),
    Table(
        "ladder_start",
        IN_CARE,
        (*(f"ladder_start_{n}" for n in LEVELS), "ladder_not_recorded"),
        "ladder_start",
    ),
    Table(
        "ladder_end",
        IN_CARE,
        (*(f"ladder_end_{n}" for n in LEVELS), "ladder_not_recorded"),
        "ladder_end",
    ),
    Table("regie", IN_CARE, ("regie_taken_over", "regie_not_taken_over"), "regie"),
    Table("regie_end", IN_CARE, ("regie_taken_over_end", "regie_not_taken_over_end"), "regie_end"),
    Table("scores", IN_CARE, (*SCORE_MOVES, "not_scored"), "scores"),
    Table(
        "score_start",
        IN_CARE,
        ("score_start_low", "score_start_mid", "score_start_high", "not_scored"),
        "score_start",
    ),
    Table(
        "score_latest",
        IN_CARE,
        ("score_latest_low", "score_latest_mid", "score_latest_high", "not_scored"),
        "score_latest",
    ),
]
TABLE = {t.key: t for t in TABLES}

MEANS: list[Mean] = [
    Mean("mark_mean", _l("Mean mark (1 to 10)"), MARKS),
    Mean("heard_mean", _l("Felt heard (mean, 1 to 5)"), ("heard_answered",)),
    Mean("own_say_mean", _l("Had a say in the plan (mean, 1 to 5)"), ("own_say_answered",)),
    Mean(
        "better_now_mean",
        _l("Better now than at the start (mean, 1 to 5)"),
        ("better_now_answered",),
    ),
    Mean("days_mean", _l("Days from intake to an agreed plan (mean)"), DAYS, digits=0),
    Mean("family_start_pct", _l("Owned by the family, at the start"), OWN_MOVES, percent=True),
    Mean("network_start_pct", _l("Owned by the network, at the start"), OWN_MOVES, percent=True),
    Mean(
        "professional_start_pct",
        _l("Owned by professionals, at the start"),
        OWN_MOVES,
        percent=True,
    ),
    Mean("family_end_pct", _l("Owned by the family, at the end"), OWN_MOVES, percent=True),
    Mean("network_end_pct", _l("Owned by the network, at the end"), OWN_MOVES, percent=True),
    Mean("professional_end_pct", _l("Owned by professionals, at the end"), OWN_MOVES, percent=True),
    Mean("network_start_mean", _l("Network size at the start (mean)"), ("plan_agreed",)),
    Mean("network_end_mean", _l("Network size at the end (mean)"), ("plan_agreed",)),
    Mean("consent_start_mean", _l("With consent at the start (mean)"), ("plan_agreed",)),
    Mean("consent_end_mean", _l("With consent at the end (mean)"), ("plan_agreed",)),
    Mean("ladder_start_mean", _l("Ladder level at the start (mean)"), LADDER_MOVES),
    Mean("ladder_end_mean", _l("Ladder level at the end (mean)"), LADDER_MOVES),
    Mean("score_start_mean", _l("Family score at the start (mean, 0 to 10)"), SCORE_MOVES),
    Mean("score_latest_mean", _l("Family score, latest (mean, 0 to 10)"), SCORE_MOVES),
]
MEAN = {m.key: m for m in MEANS}

SHARES: list[Share] = [
    Share("goal_attainment_pct", _l("Goal attainment"), RESULTS[:1], RESULTS),
    Share("reached_or_partly_pct", _l("Goals reached or partly reached"), RESULTS[:2], RESULTS),
    Share("dropout_pct", _l("Drop-out"), ("ended_by_family",), ENDINGS),
    Share("mark_7_plus_pct", _l("Mark 7 or more"), MARKS[:1], MARKS),
]
SHARE = {s.key: s for s in SHARES}

# The columns of the monitor export after period, team_id and team: every figure, in the order
# of the page (docs/outcomes.md lists them; a test checks that list).
COLUMNS: list[str] = [
    CLOSED,
    *RESULTS,
    "goals_not_recorded",
    "goal_attainment_pct",
    "reached_or_partly_pct",
    *ENDINGS,
    "moved",
    "ending_not_recorded",
    "dropout_pct",
    *MARKS,
    "no_mark",
    "mark_7_plus_pct",
    "mark_mean",
    *(key for q in QUESTIONS for key in (f"{q}_answered", f"{q}_not_answered", f"{q}_mean")),
    IN_CARE,
    "plan_agreed",
    "plan_not_agreed",
    "agreed_in_quarter",
    "agreed_before",
    *DAYS,
    "days_mean",
    *OWN_MOVES,
    "no_actions",
    *(f"{who}_{when}_pct" for when in ("start", "end") for who in OWNERS),
    "network_grew",
    "network_same",
    "network_shrank",
    "network_start_mean",
    "network_end_mean",
    "consent_start_mean",
    "consent_end_mean",
    *LADDER_MOVES,
    "ladder_not_recorded",
    *(f"ladder_start_{n}" for n in LEVELS),
    *(f"ladder_end_{n}" for n in LEVELS),
    "ladder_start_mean",
    "ladder_end_mean",
    "regie_taken_over",
    "regie_not_taken_over",
    "regie_taken_over_end",
    "regie_not_taken_over_end",
    *SCORE_MOVES,
    "not_scored",
    "score_start_low",
    "score_start_mid",
    "score_start_high",
    "score_latest_low",
    "score_latest_mid",
    "score_latest_high",
    "score_start_mean",
    "score_latest_mean",
]


def label(key: str) -> str:
    """The label of a count, mean or share, in the current language."""
    found = COUNT.get(key) or MEAN.get(key) or SHARE.get(key)
    if found is None:
        raise KeyError(key)
    return str(found.label)
