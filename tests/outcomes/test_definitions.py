"""Each definition of docs/outcomes.md with seeded dates, in the third quarter of 2026 (1 July to
30 September): which cases count, and how each figure is made. Run on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from tests.outcomes.conftest import counts, nonzero
from wijkteam.cases.models import CloseReason
from wijkteam.closing.models import EndedBy, GoalResult
from wijkteam.network.models import AskedStatus, NetworkKind
from wijkteam.outcomes.periods import Quarter
from wijkteam.plans.enums import ActionStatus, OwnerKind, Regie

D = date


def test_quarters():
    q = Quarter.parse("2026-Q3")
    assert q == Quarter(2026, 3)
    assert (q.start, q.end) == (D(2026, 7, 1), D(2026, 9, 30))
    assert Quarter(2026, 4).end == D(2026, 12, 31)
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Quarter.from_dates("2026-07-01", "2026-09-30") == q
    assert Quarter.from_dates("2026-07-01", "2026-09-29") is None  # not a whole quarter
    assert Quarter.from_dates("2026-07-02", "2026-09-30") is None
    for wrong in ("2026-Q5", "2026Q3", "1999-Q1", "", None, "2026-Q3 OR 1=1"):
        assert Quarter.parse(wrong) is None
    assert q.ended(D(2026, 10, 1)) and not q.ended(D(2026, 9, 30))


def test_which_cases_count_in_the_quarter(app, world, build):
    lead, team = world.pro_noord, world.noord
    case = dict(team_id=team, lead_id=lead, ended_by=EndedBy.TOGETHER)
    build.case(**case, opened=D(2026, 5, 1), closed=D(2026, 7, 1))  # closed on the first day
    build.case(**case, opened=D(2026, 5, 1), closed=D(2026, 9, 30))  # closed on the last day
    build.case(**case, opened=D(2026, 5, 1), closed=D(2026, 6, 30))  # closed before: neither
    build.case(**case, opened=D(2026, 5, 1), closed=D(2026, 10, 1))  # in care, closed after
    build.case(**case, opened=D(2026, 9, 30))  # opened on the last day: in care
    build.case(**case, opened=D(2026, 10, 1))  # opened after: neither
    build.case(**case, opened=D(2025, 1, 1))  # open all along: in care
    found = nonzero(counts(app, team_id=team), lead)
    assert found["closed"] == 2
    assert found["in_care"] == 5


def test_a_family_that_came_back_counts_once_per_quarter_with_its_latest_case(app, world, build):
    """Cases are never reopened: coming back is a new case. Each case counts in the quarter it
    closed; a family with two cases in one quarter counts once, with the later one."""
    lead, team = world.pro_noord, world.noord
    first = build.case(
        team_id=team,
        lead_id=lead,
        opened=D(2026, 3, 1),
        closed=D(2026, 7, 10),
        ended_by=EndedBy.FAMILY,
    )
    build.case(
        team_id=team,
        lead_id=lead,
        opened=D(2026, 7, 20),
        closed=D(2026, 8, 20),
        ended_by=EndedBy.TOGETHER,
        family_id=first.family_id,
    )
    q3 = nonzero(counts(app, team_id=team), lead)
    assert q3["closed"] == 1 and q3["ended_together"] == 1 and "ended_by_family" not in q3
    assert q3["in_care"] == 1
    # The first case counts in the second quarter (in care), the quarter it was open.
    q2 = nonzero(counts(app, team_id=team, quarter=Quarter(2026, 2)), lead)
    assert q2 == {**q2, "in_care": 1} and "closed" not in q2
    # Coming back in a later quarter: each case in its own quarter.
    again = build.case(
        team_id=team,
        lead_id=lead,
        opened=D(2026, 1, 5),
        closed=D(2026, 2, 1),
        ended_by=EndedBy.TEAM,
    )
    build.case(
        team_id=team,
        lead_id=lead,
        opened=D(2026, 7, 2),
        family_id=again.family_id,
    )
    q1 = nonzero(counts(app, team_id=team, quarter=Quarter(2026, 1)), lead)
    assert q1["closed"] == 1 and q1["ended_by_team"] == 1
    assert nonzero(counts(app, team_id=team), lead)["in_care"] == 2


def test_drop_out_is_a_one_sided_ending_and_moving_away_is_counted_apart(app, world, build):
    lead, team = world.pro_noord, world.noord
    closed = dict(team_id=team, lead_id=lead, opened=D(2026, 5, 1), closed=D(2026, 8, 1))
    build.case(**closed, ended_by=EndedBy.FAMILY, reason=CloseReason.FAMILY_ENDED)
    build.case(**closed, ended_by=EndedBy.FAMILY, reason=CloseReason.NO_CONTACT)
    build.case(**closed, ended_by=EndedBy.FAMILY, reason=CloseReason.MOVED)  # moved: not drop-out
    build.case(**closed, ended_by=EndedBy.TEAM, reason=CloseReason.MOVED)
    build.case(**closed, ended_by=EndedBy.TOGETHER)
    build.case(**closed, ended_by=EndedBy.TEAM, reason=CloseReason.REFERRED)
    build.case(**closed, ended_by=None)  # closed before it was asked
    found = nonzero(counts(app, team_id=team), lead)
    assert found == {
        **found,
        "closed": 7,
        "ended_by_family": 2,
        "moved": 2,
        "ended_together": 1,
        "ended_by_team": 1,
        "ending_not_recorded": 1,
    }


def test_goal_attainment_per_family(app, world, build):
    lead, team = world.pro_noord, world.noord
    closed = dict(team_id=team, lead_id=lead, opened=D(2026, 5, 1), closed=D(2026, 8, 1))
    r, p, n = GoalResult.REACHED, GoalResult.PARTLY, GoalResult.NOT_REACHED
    build.case(**closed, results=[r, r])  # all reached
    build.case(**closed, results=[r, n])  # partly: one reached
    build.case(**closed, results=[p, n])  # partly: one partly
    build.case(**closed, results=[n, n])  # not reached
    build.case(**closed, results=[])  # nothing recorded
    found = nonzero(counts(app, team_id=team), lead)
    assert found == {
        **found,
        "goals_all_reached": 1,
        "goals_partly": 2,
        "goals_not_reached": 1,
        "goals_not_recorded": 1,
    }


def test_satisfaction_per_family_first(app, world, build):
    """A family's mark is the mean of its members' marks (6.5 is below 7); questions skipped
    are left out of their own mean only."""
    lead, team = world.pro_noord, world.noord
    closed = dict(team_id=team, lead_id=lead, opened=D(2026, 5, 1), closed=D(2026, 8, 1))
    build.case(**closed, answers=[{"rating": 8, "heard": 5}, {"rating": 5, "heard": 3}])
    build.case(**closed, answers=[{"rating": 7, "own_say": 4}])
    build.case(**closed, answers=[{"heard": 2, "better_now": 1}])  # no mark
    build.case(**closed)  # no answers
    found = nonzero(counts(app, team_id=team), lead)
    assert found == {
        **found,
        "mark_below_7": 1,
        "mark_7_plus": 1,
        "no_mark": 2,
        "sum:mark_mean": 13.5,  # 6.5 + 7: a mean mark of 6.75 over two families
        "heard_answered": 2,
        "sum:heard_mean": 6.0,  # 4 (the first family's mean) + 2
        "own_say_answered": 1,
        "better_now_answered": 1,
    }


def test_an_answer_counts_in_the_quarter_its_case_closed(app, world, build):
    lead, team = world.pro_noord, world.noord
    build.case(
        team_id=team,
        lead_id=lead,
        opened=D(2026, 5, 1),
        closed=D(2026, 9, 29),
        answers=[{"rating": 9, "answered_on": D(2026, 10, 20)}],
    )
    assert nonzero(counts(app, team_id=team), lead)["mark_7_plus"] == 1
    q4 = nonzero(counts(app, team_id=team, quarter=Quarter(2026, 4)), lead)
    assert "mark_7_plus" not in q4


def test_ladder_start_end_movement_and_regie_taken_over(app, world, build):
    lead, team = world.pro_noord, world.noord
    open_ = dict(team_id=team, lead_id=lead, opened=D(2026, 5, 1))
    up = build.case(**open_)
    build.plan(up, started=D(2026, 5, 2), ladder=[(D(2026, 5, 2), 3), (D(2026, 8, 1), 5)])
    down = build.case(**open_)
    build.plan(
        down,
        started=D(2026, 5, 2),
        ladder=[(D(2026, 5, 2), 5), (D(2026, 7, 15), 2)],
        regie=[(D(2026, 5, 2), Regie.SHARED), (D(2026, 7, 15), Regie.TAKEN_OVER)],
    )
    back = build.case(**open_)  # regie taken over and given back: counted once, not at the end
    build.plan(
        back,
        started=D(2026, 5, 2),
        ladder=[(D(2026, 5, 2), 4)],
        regie=[(D(2026, 6, 1), Regie.TAKEN_OVER), (D(2026, 7, 20), Regie.SHARED)],
    )
    later = build.case(**open_)  # a change after the quarter does not count
    build.plan(later, started=D(2026, 5, 2), ladder=[(D(2026, 5, 2), 4), (D(2026, 10, 2), 1)])
    closing = build.case(  # the level recorded at closing is the end
        **open_, closed=D(2026, 8, 15), closing_level=6, closing_regie=Regie.OWN
    )
    build.plan(closing, started=D(2026, 5, 2), ladder=[(D(2026, 5, 2), 3)])
    build.case(**open_)  # no ladder at all
    found = nonzero(counts(app, team_id=team), lead)
    assert found == {
        **found,
        "in_care": 6,
        "ladder_up": 2,
        "ladder_down": 1,
        "ladder_same": 2,
        "ladder_not_recorded": 1,
        "ladder_start_3": 2,
        "ladder_start_4": 2,
        "ladder_start_5": 1,
        "ladder_end_2": 1,
        "ladder_end_4": 2,
        "ladder_end_5": 1,
        "ladder_end_6": 1,
        "regie_taken_over": 2,
        "regie_taken_over_end": 1,
        "sum:ladder_start_mean": 19,  # 3 + 5 + 4 + 4 + 3
        "sum:ladder_end_mean": 21,  # 5 + 2 + 4 + 4 + 6
    }


def test_who_owns_the_actions_at_the_start_and_at_the_end(app, world, build):
    """At the start: the first agreed version as agreed (a stopped action left out, an owner
    changed later counted as it was); at the end: the actions up to the end, as they are now."""
    lead, team = world.pro_noord, world.noord
    case = build.case(team_id=team, lead_id=lead, opened=D(2026, 6, 1))
    build.plan(case, started=D(2026, 6, 1))
    build.action(case, OwnerKind.FAMILY, created=D(2026, 6, 2))
    changed = build.action(case, OwnerKind.PROFESSIONAL, created=D(2026, 6, 2))
    build.action(case, OwnerKind.NETWORK, created=D(2026, 6, 2), status=ActionStatus.STOPPED)
    build.agree(case, D(2026, 6, 10))
    build.set_action(changed, owner_kind=OwnerKind.NETWORK)  # after the agreement
    build.action(case, OwnerKind.NETWORK, created=D(2026, 8, 1))
    build.action(case, OwnerKind.PROFESSIONAL, created=D(2026, 10, 5))  # after the quarter
    build.agree(case, D(2026, 8, 2))  # a second version changes nothing about the start
    less = build.case(team_id=team, lead_id=lead, opened=D(2026, 6, 1))
    build.plan(less, started=D(2026, 6, 1))
    build.action(less, OwnerKind.FAMILY, created=D(2026, 6, 2))
    build.agree(less, D(2026, 6, 10))
    build.action(less, OwnerKind.PROFESSIONAL, created=D(2026, 7, 5))
    empty = build.case(team_id=team, lead_id=lead, opened=D(2026, 6, 1))
    build.plan(empty, started=D(2026, 6, 1))
    build.agree(empty, D(2026, 6, 10))  # agreed without actions
    found = nonzero(counts(app, team_id=team), lead)
    assert found == {
        **found,
        "plan_agreed": 3,
        "own_share_up": 1,  # 1 of 2 at the start, 3 of 3 at the end
        "own_share_down": 1,  # 1 of 1, then 1 of 2
        "no_actions": 1,
        "sum:family_start_pct": 1.5,  # 1/2 + 1/1
        "sum:professional_start_pct": 0.5,
        "sum:family_end_pct": round(1 / 3 + 1 / 2, 4),
        "sum:network_end_pct": round(2 / 3, 4),
        "sum:professional_end_pct": 0.5,
    }
    assert "sum:network_start_pct" not in found


def test_days_from_intake_to_the_first_agreed_plan(app, world, build):
    lead, team = world.pro_noord, world.noord

    def agreed(opened: date, on: date | None, closed: date | None = None) -> None:
        case = build.case(team_id=team, lead_id=lead, opened=opened, closed=closed)
        build.plan(case, started=opened)
        if on is not None:
            build.agree(case, on)
            build.agree(case, D(2026, 9, 1))  # a later version: the first one counts

    agreed(D(2026, 7, 1), D(2026, 7, 20))  # 19 days, in the quarter
    agreed(D(2026, 6, 1), D(2026, 7, 1))  # 30 days
    agreed(D(2026, 5, 1), D(2026, 7, 31))  # 91 days
    agreed(D(2026, 3, 1), D(2026, 4, 1))  # agreed before the quarter
    agreed(D(2026, 7, 1), None)  # not agreed
    agreed(D(2026, 7, 1), D(2026, 10, 3))  # agreed after the quarter: not yet
    agreed(D(2026, 7, 1), D(2026, 8, 20), closed=D(2026, 8, 10))  # after closing: not counted
    found = nonzero(counts(app, team_id=team), lead)
    assert found == {
        **found,
        "in_care": 7,
        "plan_agreed": 4,
        "plan_not_agreed": 3,
        "agreed_in_quarter": 3,
        "agreed_before": 1,
        "days_15_42": 2,
        "days_91_plus": 1,
        "sum:days_mean": 19 + 30 + 91,
    }


def test_the_network_at_the_start_and_at_the_end(app, world, build):
    lead, team = world.pro_noord, world.noord
    case = build.case(team_id=team, lead_id=lead, opened=D(2026, 6, 1))
    build.plan(case, started=D(2026, 6, 1))
    build.agree(case, D(2026, 7, 1))
    build.member(case, created=D(2026, 6, 1), consent_on=D(2026, 6, 1))  # both, with consent
    build.member(case, created=D(2026, 6, 2), may_contact=None)  # both, no consent recorded
    build.member(case, created=D(2026, 6, 2), consent_on=D(2026, 8, 1))  # consent only later
    build.member(case, created=D(2026, 6, 3), archived=D(2026, 8, 1))  # only at the start
    build.member(case, created=D(2026, 8, 5), may_contact=True)  # only at the end, consent
    build.member(case, created=D(2026, 6, 1), kind=NetworkKind.PROFESSIONAL)  # not counted
    build.member(case, created=D(2026, 6, 1), asked=AskedStatus.SAID_NO)  # said no
    build.member(case, created=D(2026, 10, 2))  # after the quarter
    found = nonzero(counts(app, team_id=team), lead)
    assert found == {
        **found,
        "network_same": 1,  # 4 at the start, 4 at the end
        "sum:network_start_mean": 4,
        "sum:network_end_mean": 4,
        "sum:consent_start_mean": 2,  # the first, and the archived one
        "sum:consent_end_mean": 3,  # the first, the later consent, the new one
    }


def test_the_familys_scores_at_the_start_and_latest_per_goal(app, world, build):
    lead, team = world.pro_noord, world.noord
    case = build.case(team_id=team, lead_id=lead, opened=D(2026, 6, 1))
    build.plan(case, started=D(2026, 6, 1), goals=3)
    build.score(case, D(2026, 6, 5), 2, goal=0)
    build.score(case, D(2026, 8, 5), 9, goal=0, void=True)  # struck out
    build.score(case, D(2026, 8, 6), 5, goal=0)
    build.score(case, D(2026, 10, 6), 10, goal=0)  # after the quarter
    build.score(case, D(2026, 6, 5), 3, goal=1)  # scored once: the same at both ends
    build.score(case, D(2026, 6, 5), None, goal=2)  # only the professional's score
    down = build.case(team_id=team, lead_id=lead, opened=D(2026, 6, 1))
    build.plan(down, started=D(2026, 6, 1))
    build.score(down, D(2026, 6, 5), 8)
    build.score(down, D(2026, 7, 5), 6)
    build.case(team_id=team, lead_id=lead, opened=D(2026, 6, 1))  # no plan, no scores
    found = nonzero(counts(app, team_id=team), lead)
    assert found == {
        **found,
        "score_up": 1,  # (2 + 3) / 2 -> (5 + 3) / 2
        "score_down": 1,
        "not_scored": 1,
        "score_start_low": 1,  # 2.5
        "score_start_high": 1,  # 8
        "score_latest_mid": 2,  # 4 and 6
        "sum:score_start_mean": 2.5 + 8,
        "sum:score_latest_mean": 4 + 6,
    }


def test_a_case_closed_in_the_quarter_ends_its_scores_on_the_day_it_closed(app, world, build):
    """Each case's scores stop at its own end, not at another case's (the latest score of a
    case closed in August is not one dated after it, though other cases run to September)."""
    lead, team = world.pro_noord, world.noord
    closed = build.case(team_id=team, lead_id=lead, opened=D(2026, 6, 1), closed=D(2026, 8, 1))
    build.plan(closed, started=D(2026, 6, 1))
    build.score(closed, D(2026, 6, 5), 2)
    build.score(closed, D(2026, 7, 5), 3)
    build.score(closed, D(2026, 9, 1), 10)  # dated after the case closed
    running = build.case(team_id=team, lead_id=lead, opened=D(2026, 6, 1))
    build.plan(running, started=D(2026, 6, 1))
    build.score(running, D(2026, 6, 5), 5)
    found = nonzero(counts(app, team_id=team), lead)
    assert found == {
        **found,
        "score_up": 1,
        "score_same": 1,
        "sum:score_start_mean": 2 + 5,
        "sum:score_latest_mean": 3 + 5,
    }


def test_per_team_for_the_analyst_and_per_case_lead_within_a_team(app, world, build):
    build.case(team_id=world.noord, lead_id=world.pro_noord, opened=D(2026, 7, 1))
    build.case(team_id=world.noord, lead_id=world.pro2_noord, opened=D(2026, 7, 1))
    build.case(team_id=world.zuid, lead_id=world.pro_zuid, opened=D(2026, 7, 1))
    per_lead = counts(app, team_id=world.noord)
    assert per_lead.groups == sorted([world.pro_noord, world.pro2_noord])
    per_team = counts(app, team_id=None, by="team")
    assert per_team.groups == sorted([world.noord, world.zuid])
    assert per_team.values[("in_care", world.noord)] == 2
