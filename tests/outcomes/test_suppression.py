"""Small numbers are never shown, nor worked out (docs/outcomes.md, "Small numbers are never
shown"): the rules of suppression.py one by one, and then the proof over the pages: every filter
combination a team lead and an analyst can choose is read as CSV, and all that is shown together
(counts, "< 5" as 1 to 4, "×" as 5 or more) is combined over every row, column and total, with
exact linear algebra and with the bounds, to check that no hidden count can be worked out."""

from __future__ import annotations

import csv
import io
import random
from datetime import date
from fractions import Fraction

import pytest

from tests.factories.people import make_team, make_user
from tests.outcomes.builder import Builder
from tests.outcomes.conftest import report
from wijkteam.cases.models import CloseReason
from wijkteam.closing.models import EndedBy, GoalResult
from wijkteam.core.db import db
from wijkteam.outcomes.figures import CLOSED, COUNT, IN_CARE, MEAN, SHARE, TABLES
from wijkteam.outcomes.suppression import (
    ALL,
    MIN_FAMILIES,
    Mark,
    _determined,
    _pinned,
    lines_of,
    protect,
    with_totals,
)
from wijkteam.plans.enums import OwnerKind, Regie

SMALL, HIDDEN = "< 5", "×"


# --- the rules, one by one ------------------------------------------------------------------


def marks_of(rows: dict[str, dict[str, int]], parts: tuple[str, ...]) -> dict:
    """Protect one table: `rows` group -> part -> value, total = the sum of the parts."""
    groups = list(rows)
    values = {(p, g): rows[g].get(p, 0) for g in groups for p in parts}
    for g in groups:
        values[("total", g)] = sum(rows[g].values())
    cells = with_totals(values, ["total", *parts], groups)
    return cells, protect(cells, lines_of([("total", parts)], groups))


def test_a_small_cell_is_small_and_zero_is_shown():
    cells, marks = marks_of({1: {"a": 3, "b": 0, "c": 12}}, ("a", "b", "c"))
    assert marks[("a", 1)] is Mark.SMALL
    assert marks[("b", 1)] is Mark.SHOWN  # 0 describes nobody
    assert marks[("c", 1)] is Mark.HIDDEN  # else 15 - 0 - 12 = 3
    assert marks[("total", 1)] is Mark.SHOWN


def test_a_small_total_hides_its_whole_line():
    cells, marks = marks_of({1: {"a": 1, "b": 2}}, ("a", "b"))
    assert {marks[k] for k in cells if k[1] == 1} == {Mark.SMALL}


def test_two_small_parts_that_together_are_small_hide_another():
    """1 + 2 hidden with a shown total tells that 3 families are in a or b."""
    _cells, marks = marks_of({1: {"a": 1, "b": 2, "c": 6, "d": 9}}, ("a", "b", "c", "d"))
    assert marks[("c", 1)] is Mark.HIDDEN and marks[("d", 1)] is Mark.SHOWN


def test_the_marks_must_not_pin_a_hidden_cell():
    """ "< 5" is 0 to 4, "×" 5 or more: a "< 5" and a "×" adding up to 5 can only be 0 and 5."""
    a, c = ("a", ALL), ("c", ALL)
    marks = {a: Mark.SMALL, c: Mark.HIDDEN}
    assert _pinned([(a, 1), (c, 1)], 5, marks)
    assert not _pinned([(a, 1), (c, 1)], 6, marks)
    assert _pinned([(a, 1), (("b", ALL), 1)], 8, {a: Mark.SMALL, ("b", ALL): Mark.SMALL})


def test_a_small_group_does_not_show_how_its_families_spread():
    """Three families of one professional, all of whom dropped out: the zeros of the row would
    say so, so they read "< 5" too."""
    cells, marks = marks_of(
        {1: {"family": 3, "together": 0}, 2: {"family": 6, "together": 9}}, ("family", "together")
    )
    assert marks[("total", 1)] is Mark.SMALL
    assert marks[("family", 1)] is Mark.SMALL and marks[("together", 1)] is Mark.SMALL
    assert not hidden_cells_determined(cells, marks, [("total", ("family", "together"))])


def test_a_professional_cannot_be_worked_out_from_the_team_total():
    """The issue's example: the team total minus the other professionals."""
    rows = {
        10: {"family": 4, "together": 5},
        20: {"family": 2, "team": 1},
        30: {"together": 6},
    }
    cells, marks = marks_of(rows, ("family", "together", "team"))
    assert marks[("total", 20)] is Mark.SMALL
    assert marks[("total", 30)] is Mark.HIDDEN  # 18 - 9 = 9 is pro 20 and pro 30 together
    assert marks[("total", ALL)] is Mark.SHOWN
    assert not hidden_cells_determined(cells, marks, [("total", ("family", "together", "team"))])


def test_shared_counts_between_tables_are_checked_all_at_once():
    """Three lines that each hide two cells of 5 or more look safe one by one; together (a
    triangle: x + y, y + z, x + z shown) they give every cell away. The linear algebra sees it."""
    x, y, z = ("x", ALL), ("y", ALL), ("z", ALL)
    t1, t2, t3 = ("t1", ALL), ("t2", ALL), ("t3", ALL)
    values = {x: 6, y: 7, z: 8, t1: 13, t2: 15, t3: 14}
    lines = [(t1, (x, y)), (t2, (y, z)), (t3, (x, z))]
    marks = {k: Mark.SHOWN for k in values} | {x: Mark.HIDDEN, y: Mark.HIDDEN, z: Mark.HIDDEN}
    assert _determined(values, marks, lines) == {x, y, z}
    protected = protect(values, lines)
    assert not hidden_cells_determined(values, protected, [], lines=lines)


def test_random_tables_are_protected():
    """Random tables of small teams: after protect, no hidden cell is determined by the shown
    ones (an independent rank test), no line pins one with its bounds, and every shown cell is
    0 or at least 5."""
    rng = random.Random(20)  # noqa: S311 - made-up tables
    parts = ("a", "b", "c", "d")
    for _round in range(200):
        rows = {
            g: {p: rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 13]) for p in parts}
            for g in range(rng.randint(1, 5))
        }
        cells, marks = marks_of(rows, parts)
        for key, mark in marks.items():
            assert mark is not Mark.SHOWN or cells[key] == 0 or cells[key] >= MIN_FAMILIES
        assert not hidden_cells_determined(cells, marks, [("total", parts)]), rows
        assert not pinned_by_bounds(cells, marks, [("total", parts)], list(rows)), rows


def random_counts(rng: random.Random, groups: list[int]) -> dict:
    """Counts for every table of figures.py that add up as the queries' do (shared counts,
    such as "no level recorded", the same in each table), skewed towards small cells."""
    values: dict = {}
    for g in groups:
        for population in (CLOSED, IN_CARE):
            values[(population, g)] = rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 20, 31])
        for table in TABLES:
            known = {p: values[(p, g)] for p in table.parts if (p, g) in values}
            free = [p for p in table.parts if p not in known]
            rest = values[(table.total, g)] - sum(known.values())
            weights = [rng.random() ** 2 for _ in free]
            split = dict.fromkeys(free, 0)
            for _unit in range(rest):
                split[rng.choices(free, weights)[0]] += 1
            values.update({(p, g): n for p, n in split.items()})
    return values


def test_random_teams_over_every_table_are_protected():
    """The whole set of tables (counts shared between tables, nested totals) for random teams
    of 1 to 6 professionals: no hidden count is determined or pinned, every shown count is 0 or
    at least 5."""
    rng = random.Random(7)  # noqa: S311 - made-up tables
    tables = [(t.total, t.parts) for t in TABLES]
    for _round in range(12):
        groups = list(range(1, rng.randint(2, 7)))
        cells = with_totals(random_counts(rng, groups), COUNT, groups)
        lines = lines_of(tables, groups)
        marks = protect(cells, lines)
        for key, mark in marks.items():
            assert mark is not Mark.SHOWN or cells[key] == 0 or cells[key] >= MIN_FAMILIES
            assert mark is not Mark.SMALL or cells[key] < MIN_FAMILIES
        assert not hidden_cells_determined(cells, marks, tables, lines=lines)
        assert not pinned_by_bounds(cells, marks, tables, groups, lines=lines)


# --- an independent attacker ----------------------------------------------------------------


def _reduced(rows: list[list[Fraction]]) -> list[list[Fraction]]:
    """The reduced row echelon form (dense, exact)."""
    rows = [list(r) for r in rows if any(r)]
    width = len(rows[0]) if rows else 0
    rank = 0
    for col in range(width):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        lead = rows[rank][col]
        rows[rank] = [a / lead for a in rows[rank]]
        for i in range(len(rows)):
            if i != rank and rows[i][col] != 0:
                f = rows[i][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rows[:rank]


def _equations(cells, tables, groups, lines=None):
    if lines is None:
        lines = lines_of(tables, groups)
    return lines


def hidden_cells_determined(cells, marks, tables, *, lines=None) -> list:
    """The hidden cells that the shown ones determine: x is determined when every solution of
    the lines (shown cells as constants) has the same x."""
    groups = sorted({g for _k, g in cells if g != ALL})
    lines = _equations(cells, tables, groups, lines)
    hidden = sorted((k for k, m in marks.items() if m is not Mark.SHOWN), key=repr)
    if not hidden:
        return []
    index = {k: i for i, k in enumerate(hidden)}
    matrix = []
    for total, line_parts in lines:
        row = [Fraction(0)] * len(hidden)
        if total in index:
            row[index[total]] -= 1
        for p in line_parts:
            if p in index:
                row[index[p]] += 1
        matrix.append(row)
    # x is determined when some row of the reduced form is x alone: then every solution has
    # the same x; any other row leaves x free to move with the cells it is tied to.
    found = []
    for row in _reduced(matrix):
        nonzero = [i for i, a in enumerate(row) if a != 0]
        if len(nonzero) == 1:
            found.append(hidden[nonzero[0]])
    return found


def pinned_by_bounds(cells, marks, tables, groups, *, lines=None) -> list:
    """Bounds carried over every line until nothing changes: "< 5" is 0 to 4, "×" is 5 or more
    (no upper bound but its lines'), a shown cell is itself. The hidden cells left with one
    possible value. (Written apart from the app's own, as an attacker would.)"""
    lines = _equations(cells, tables, groups, lines)
    infinite = float("inf")
    lo, hi = {}, {}
    for key, mark in marks.items():
        if mark is Mark.SHOWN:
            lo[key] = hi[key] = cells[key]
        elif mark is Mark.SMALL:
            lo[key], hi[key] = 0, MIN_FAMILIES - 1
        else:
            lo[key], hi[key] = MIN_FAMILIES, infinite
    for _pass in range(1000):
        changed = False
        for total, line_parts in lines:
            new = (
                max(lo[total], sum(lo[p] for p in line_parts)),
                min(hi[total], sum(hi[p] for p in line_parts)),
            )
            if new != (lo[total], hi[total]):
                lo[total], hi[total], changed = *new, True
            for p in line_parts:
                others = [q for q in line_parts if q != p]
                new = (
                    max(lo[p], lo[total] - sum(hi[q] for q in others)),
                    min(hi[p], hi[total] - sum(lo[q] for q in others)),
                )
                if new != (lo[p], hi[p]):
                    lo[p], hi[p], changed = *new, True
        if not changed:
            break
    return [k for k, m in marks.items() if m is not Mark.SHOWN and lo[k] == hi[k]]


# --- the proof over the pages ---------------------------------------------------------------

PERIODS = ("2026-Q2", "2026-Q3")


def seed_town(app, world) -> dict[str, int]:
    """Three teams with professionals of small and larger caseloads, in two quarters, and
    categories spread so that many cells are small."""
    with app.test_request_context():
        west = make_team("Team West").id
        lead_west = make_user("lead.west@test.example", "teamlead", west).id
        pro_west = make_user("pro.west@test.example", "professional", west).id
        db.commit()
    rng = random.Random(4)  # noqa: S311 - fictional cases
    build = Builder(app, world.pro_noord)
    leads = {
        world.noord: [world.pro_noord] * 9 + [world.pro2_noord] * 3 + [world.lead_noord] * 6,
        world.zuid: [world.pro_zuid] * 3,
        west: [pro_west] * 7 + [lead_west] * 4,
    }
    for quarter_start in (date(2026, 4, 1), date(2026, 7, 1)):
        for team, people in leads.items():
            for lead in people:
                closed = rng.random() < 0.7
                case = build.case(
                    team_id=team,
                    lead_id=lead,
                    opened=quarter_start.replace(day=rng.randint(2, 20)),
                    closed=quarter_start.replace(month=quarter_start.month + 1) if closed else None,
                    reason=rng.choice([CloseReason.GOALS_REACHED, CloseReason.MOVED]),
                    ended_by=rng.choice([EndedBy.FAMILY, EndedBy.TOGETHER, EndedBy.TEAM, None]),
                    results=rng.choice([[], [GoalResult.REACHED], [GoalResult.PARTLY]]),
                    answers=rng.choice([[], [{"rating": rng.randint(4, 10), "heard": 4}]]),
                )
                if case.plan_id is None:
                    build.plan(
                        case,
                        started=quarter_start,
                        ladder=[
                            (quarter_start, rng.randint(2, 4)),
                            (quarter_start.replace(day=25), rng.randint(2, 6)),
                        ],
                        regie=[(quarter_start, rng.choice(list(Regie)))],
                    )
                    build.action(case, rng.choice(list(OwnerKind)), created=quarter_start)
                    if rng.random() < 0.6:
                        build.agree(case, quarter_start.replace(day=21))
                    build.score(case, quarter_start, rng.randint(0, 10))
                    build.score(case, quarter_start.replace(day=26), rng.randint(0, 10))
    return {"west": west}


def read_csv(resp) -> list[dict[str, str]]:
    assert resp.status_code == 200, resp.status_code
    return list(
        csv.DictReader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )


def check_published(published: dict, groups: list, what: str) -> None:
    """All numbers one reader can see for one quarter, over every filter: (figure, group) ->
    text. The same cell always reads the same; the counts pass the attacker."""
    cells: dict = {}
    marks: dict = {}
    for (key, group), text in published.items():
        if key not in COUNT:
            continue
        if text == SMALL:
            marks[(key, group)], cells[(key, group)] = Mark.SMALL, 1
        elif text == HIDDEN:
            marks[(key, group)], cells[(key, group)] = Mark.HIDDEN, MIN_FAMILIES
        else:
            value = int(float(text))
            assert value == 0 or value >= MIN_FAMILIES, (what, key, group, text)
            marks[(key, group)], cells[(key, group)] = Mark.SHOWN, value
    tables = [(t.total, t.parts) for t in TABLES]
    lines = lines_of(tables, groups)
    assert not hidden_cells_determined(cells, marks, tables, lines=lines), what
    assert not pinned_by_bounds(cells, marks, tables, groups, lines=lines), what
    # A mean or a share is shown only when all its counts are.
    for (key, group), text in published.items():
        basis = MEAN[key].basis if key in MEAN else SHARE[key].denominator if key in SHARE else None
        if basis and text not in (SMALL, HIDDEN, ""):
            assert all(marks[(b, group)] is Mark.SHOWN for b in basis), (what, key, group)


def collect(client, url: str, params: list[str], by_name: dict[str, object], published: dict):
    for query in params:
        for row in read_csv(client.get(f"{url}?{query}")):
            group = ALL if row["group"] == "all" else by_name[row["group"]]
            cell = (row["figure"], group)
            assert published.setdefault(cell, row["value"]) == row["value"], (query, cell)


def test_no_filter_combination_reveals_a_small_group(app, world, client, other_client, analyst):
    extra = seed_town(app, world)
    # The team lead: every quarter, the whole team and each professional.
    client.login("lead.noord@test.example")
    for period in PERIODS:
        found = report(app, team_id=world.noord, quarter=_quarter(period))
        names = {found.name(g): g for g in found.groups}
        published: dict = {}
        queries = [f"period={period}"] + [f"period={period}&professional={g}" for g in found.groups]
        collect(client, "/outcomes.csv", queries, names, published)
        check_published(published, found.groups, f"team lead {period}")
        if period == "2026-Q2":  # the example, seeded: pro2.noord's 3 families
            assert published[("in_care", world.pro2_noord)] == SMALL
    # The analyst: every ended quarter, all teams and each team, and the monitor export.
    other_client.login("analyst@test.example")
    for period in PERIODS:
        found = report(app, team_id=None, by="team", quarter=_quarter(period))
        names = {found.name(g): g for g in found.groups}
        published = {}
        queries = [f"period={period}"] + [f"period={period}&team={g}" for g in found.groups]
        collect(other_client, "/outcomes.csv", queries, names, published)
        monitor = read_csv(other_client.get(f"/outcomes/monitor.csv?period={period}"))
        for row in monitor:
            group = ALL if row["team"] == "all" else int(row["team_id"])
            for key in COUNT:
                assert published[(key, group)] == row[key], (period, key, group)
        check_published(published, found.groups, f"analyst {period}")
        if period == "2026-Q2":
            assert published[("in_care", world.zuid)] == SMALL
        assert {g for _k, g in published} == {ALL, world.noord, world.zuid, extra["west"]}


def _quarter(key: str):
    from wijkteam.outcomes.periods import Quarter

    found = Quarter.parse(key)
    assert found is not None
    return found


@pytest.mark.parametrize("by", ["lead", "team"])
def test_a_filtered_view_is_the_row_of_the_protected_table(app, world, by):
    """The filter shows a row of the one protected table, never a figure made on its own."""
    seed_town(app, world)
    found = report(app, team_id=world.noord if by == "lead" else None, by=by)
    for g in found.groups:
        view = found.view(g)
        for key in COUNT:
            assert view.count(key) == found.count(key, g)
        for key in MEAN:
            assert view.mean(key) == found.mean(key, g)
