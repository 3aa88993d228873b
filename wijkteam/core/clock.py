"""The team's calendar: "today" is the day in the team's time zone, not the server's.

Servers run on UTC. Between midnight and one or two o'clock in the Netherlands the server's date
is still yesterday, so a note dated today would be refused as "in the future" and a task done
tonight would carry yesterday's date. Every date a user means comes from `today()`; timestamps
stay UTC (`wijkteam.core.db.utc_now`) and are shown in the team's zone by Flask-Babel.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Europe/Amsterdam"

_frozen: date | None = None


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_zone() -> ZoneInfo:
    """The team's time zone (setting WIJKTEAM_TIMEZONE), also outside a request."""
    name = DEFAULT_TIMEZONE
    if has_app_context():
        name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") or DEFAULT_TIMEZONE
    return _zone(name)


def today(at: datetime | None = None) -> date:
    """Today's date where the team works (or the team's date at the UTC moment `at`)."""
    if at is None and _frozen is not None:
        return _frozen
    return (at or datetime.now(UTC)).astimezone(local_zone()).date()


def local(at: datetime) -> datetime:
    """A stored moment in the team's time zone. The database keeps UTC; a naive value (SQLite,
    PostgreSQL's timestamp without time zone) is UTC, never the server's own zone."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(local_zone())


def freeze(day: date | None) -> None:
    """Tests only: hold `today()` at one day (None lets it run again).

    A test run that crosses midnight would otherwise compare a date taken before midnight with
    one the app took after it.
    """
    global _frozen  # noqa: PLW0603 - one switch for the test session
    _frozen = day
