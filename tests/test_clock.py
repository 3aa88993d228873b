"""'Today' is the team's calendar day, not the server's (servers run on UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask

from wijkteam.core import clock


def test_today_is_the_day_in_the_netherlands_not_on_the_server(app: Flask) -> None:
    # 23:30 UTC on 1 December is half past midnight on 2 December in Amsterdam (CET, +1).
    late = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    with app.app_context():
        assert clock.today(late) == date(2026, 12, 2)
        # Summer time (+2): 22:30 UTC on 30 June is already 1 July.
        assert clock.today(datetime(2026, 6, 30, 22, 30, tzinfo=UTC)) == date(2026, 7, 1)
        assert clock.today(datetime(2026, 6, 30, 21, 30, tzinfo=UTC)) == date(2026, 6, 30)


def test_the_time_zone_is_a_setting(app: Flask, monkeypatch) -> None:
    late = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_TIMEZONE", "UTC")
    with app.app_context():
        assert clock.today(late) == date(2026, 12, 1)
    # Outside the app (command-line jobs before the app exists) the default zone holds.
    assert clock.today(late) == date(2026, 12, 2)


def test_a_frozen_day_holds_until_released() -> None:
    frozen = clock.today()  # tests/conftest.py froze the run's day
    clock.freeze(date(2030, 1, 1))
    try:
        assert clock.today() == date(2030, 1, 1)
        clock.freeze(None)
        assert clock.today() == datetime.now(clock.local_zone()).date()
    finally:
        clock.freeze(frozen)
