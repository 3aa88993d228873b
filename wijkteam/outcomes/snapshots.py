"""The analysts' figures across all teams, kept as snapshots (docs/outcomes.md, "How fresh the
figures are").

Per team across a few hundred teams the queries and the suppression of small numbers take most
of a second (bench/outcomes.py), and analysts only see quarters that have ended, whose figures
change little (a closing or a family's answers recorded late). So the figures of a quarter are
worked out once and kept with the time they were made:

- an analyst's page reads the snapshot (two small queries) and says when it was made;
- a snapshot older than `OUTCOMES_SNAPSHOT_SECONDS` (default an hour) is still shown, and the
  job worker is asked to work it out again; the next page shows the new one;
- a quarter without a snapshot is worked out in the request, once (the first view of it);
- every hour the worker works out the last four ended quarters again (queue.py).

A team lead's figures (one team) are worked out on every view: they take some 30 ms.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wijkteam.core.db import db, utc_now
from wijkteam.outcomes.models import OutcomeSnapshot
from wijkteam.outcomes.periods import Quarter
from wijkteam.outcomes.queries import Counts, group_names, outcome_counts
from wijkteam.outcomes.report import Report
from wijkteam.outcomes.suppression import Mark

TEAMS = "teams"  # the scope of an analyst: every team, per team


# The snapshots this process read last, per database and quarter: (moment, counts, marks). A
# page reads the moment (a small query), and the payload (some 30,000 cells at 200 teams) only
# when that changed.
_restored: dict[tuple[str, str], tuple[datetime, Counts, dict[Any, Mark]]] = {}


def teams_report(quarter: Quarter) -> tuple[Report, datetime]:
    """The figures of every team for this quarter and when they were worked out."""
    moment = _kept_moment(quarter)
    if moment is None:
        moment = refresh(quarter).computed_at
    elif _stale(moment):
        db.commit()  # end this read: the worker writes the row (the tests' queue: at once)
        _ask_worker(quarter, moment)
        moment = _kept_moment(quarter) or refresh(quarter).computed_at
    where = (str(db.get_bind().engine.url), quarter.key)
    known = _restored.get(where)
    if known is None or known[0] != moment:
        snapshot = _kept(quarter) or refresh(quarter)
        moment = snapshot.computed_at
        known = (moment, *_restore(snapshot.payload))
        _restored[where] = known
    _moment, counts, marks = known
    return Report(quarter, "team", counts, group_names("team", counts.groups), marks), moment


def refresh(quarter: Quarter, *, replacing: datetime | None = None) -> OutcomeSnapshot:
    """Work the quarter's figures out now and keep them (committed). `replacing`: the moment
    of the snapshot the asker saw; when the kept one is newer, it was worked out since, and it
    is kept (a job asked for twice runs once)."""
    snapshot = _kept(quarter)
    if snapshot is not None and replacing and snapshot.computed_at > replacing:
        return snapshot
    counts = outcome_counts(quarter, team_id=None, by="team")
    report = Report(quarter, "team", counts, {})
    payload = _payload(counts, report.marks)
    if snapshot is None:
        snapshot = OutcomeSnapshot(quarter=quarter.key, scope=TEAMS, payload=payload)
        db.add(snapshot)
    else:
        snapshot.payload = payload
        snapshot.computed_at = utc_now()
    try:
        db.commit()
    except IntegrityError:  # made by another process at the same moment: theirs is as good
        db.rollback()
        snapshot = _kept(quarter)
        assert snapshot is not None  # noqa: S101 - the unique row that stopped ours
    return snapshot


def refresh_recent(today: Any) -> list[str]:
    """The worker's hourly job: the last four ended quarters worked out again."""
    quarter = Quarter.of(today).previous()
    done = []
    for _ in range(4):
        refresh(quarter)
        done.append(quarter.key)
        quarter = quarter.previous()
    return done


def _kept(quarter: Quarter) -> OutcomeSnapshot | None:
    """The kept snapshot as the database has it now (also when this session loaded it before
    another process replaced it)."""
    return db.scalar(
        select(OutcomeSnapshot)
        .where(OutcomeSnapshot.quarter == quarter.key, OutcomeSnapshot.scope == TEAMS)
        .execution_options(populate_existing=True)
    )


def _kept_moment(quarter: Quarter) -> datetime | None:
    return db.scalar(
        select(OutcomeSnapshot.computed_at).where(
            OutcomeSnapshot.quarter == quarter.key, OutcomeSnapshot.scope == TEAMS
        )
    )


def _stale(moment: datetime) -> bool:
    seconds = current_app.config["OUTCOMES_SNAPSHOT_SECONDS"]
    return utc_now() - moment > timedelta(seconds=seconds)


def _ask_worker(quarter: Quarter, computed_at: datetime) -> None:
    """Ask the job worker to work the figures out again; when the queue cannot be reached,
    the kept figures are shown (with their moment) and the next view asks again."""
    from wijkteam.jobs.queue import refresh_outcomes

    try:
        refresh_outcomes(quarter.key, computed_at.isoformat())
    except Exception:  # noqa: BLE001 - the page shows the kept figures; the log says why
        current_app.logger.exception("outcomes: could not ask the worker for %s", quarter.key)


def _payload(counts: Counts, marks: dict[Any, Mark]) -> dict[str, Any]:
    """As JSON: a group is a team's id or "all"; a cell is [key, group, value]."""
    return {
        "groups": counts.groups,
        "values": [[key, group, value] for (key, group), value in counts.values.items()],
        "sums": [[key, group, value] for (key, group), value in counts.sums.items()],
        "marks": [[key, group, mark.value] for (key, group), mark in marks.items()],
    }


def _restore(payload: dict[str, Any]) -> tuple[Counts, dict[Any, Mark]]:
    counts = Counts(
        groups=list(payload["groups"]),
        values={(key, group): value for key, group, value in payload["values"]},
        sums={(key, group): value for key, group, value in payload["sums"]},
    )
    marks = {(key, group): Mark(mark) for key, group, mark in payload["marks"]}
    return counts, marks
