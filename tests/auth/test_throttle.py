"""Login throttling, tested as the attacker: failed logins for a colleague's name from another
client never stop the colleague; a browser that logged in before keeps working; one address
trying many names is stopped early; every held attempt is audited; admins lift holds."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from tests.conftest import PASSWORD, form_version
from wijkteam import create_app
from wijkteam.audit.models import AuditEvent
from wijkteam.auth.models import LoginThrottle, User
from wijkteam.core.config import TestConfig
from wijkteam.core.db import db

VICTIM = "pro.noord@test.example"
WRONG = "not-the-password-at-all"


def at(client, address: str):
    """The client from now on comes from this address (as REMOTE_ADDR)."""
    client.environ_base["REMOTE_ADDR"] = address
    return client


def holds(app, email: str) -> int:
    with app.app_context():
        return db.scalar(
            select(func.count()).select_from(LoginThrottle).where(LoginThrottle.account == email)
        )


def test_a_strangers_failures_do_not_stop_the_victim_from_elsewhere(app, world):
    attacker = at(app.test_client(), "203.0.113.9")
    statuses = [attacker.login(VICTIM, WRONG).status_code for _ in range(8)]
    assert statuses[:5] == [401] * 5
    assert statuses[5:] == [429] * 3  # the attacker's own browser waits
    assert attacker.login(VICTIM, PASSWORD).status_code == 429
    victim = at(app.test_client(), "198.51.100.4")  # a browser that never logged in before
    assert victim.login(VICTIM).status_code == 302
    assert victim.get("/cases").status_code == 200


def test_a_browser_that_logged_in_before_keeps_working_behind_the_same_address(app, world):
    """A municipal office behind one NAT address: a stranger at the same address fails for the
    victim's name many times over (past the per-name, per-address and per-account limits); the
    victim's own browser, which logged in before, still gets in."""
    office = "192.0.2.10"
    victim = at(app.test_client(), office)
    assert victim.login(VICTIM).status_code == 302
    victim.logout()
    attacker = at(app.test_client(), office)
    for _ in range(30):
        attacker.login(VICTIM, WRONG)
    assert attacker.login(VICTIM, WRONG).status_code == 429
    assert victim.login(VICTIM).status_code == 302
    # A browser that never logged in to the account is held (it could be the attacker's).
    stranger = at(app.test_client(), office)
    assert stranger.login(VICTIM).status_code == 429


def test_a_device_cookie_is_bound_to_its_account_and_cannot_be_forged(app, world):
    attacker = at(app.test_client(), "203.0.113.20")
    assert attacker.login("pro.zuid@test.example").status_code == 302  # his own account
    attacker.logout()
    # His device cookie for his own account does not make him trusted for the victim's name.
    statuses = [attacker.login(VICTIM, WRONG).status_code for _ in range(6)]
    assert statuses[-1] == 429
    forger = at(app.test_client(), "203.0.113.21")
    forger.set_cookie("wijkteam-device", "W1siYWJjIiwieHl6IiwxXV0.forged-signature")
    statuses = [forger.login(VICTIM, WRONG).status_code for _ in range(6)]
    assert statuses[-1] == 429


def test_guessing_from_many_addresses_holds_only_browsers_the_account_does_not_know(app, world):
    known = at(app.test_client(), "198.51.100.30")
    assert known.login(VICTIM).status_code == 302
    known.logout()
    for i in range(app.config["LOGIN_ACCOUNT_MAX_FAILURES"]):
        assert at(app.test_client(), f"203.0.113.{100 + i}").login(VICTIM, WRONG).status_code == 401
    new_browser = at(app.test_client(), "198.51.100.31")
    assert new_browser.login(VICTIM).status_code == 429
    assert known.login(VICTIM).status_code == 302


def test_one_address_trying_many_names_is_stopped_early(app, world):
    """Password spraying: 40 names with one password from one client. The per-address limit
    (10 by default) stops it well before 40 tries, and it holds for any name."""
    sprayer = at(app.test_client(), "203.0.113.66")
    statuses = [
        sprayer.login(f"medewerker{i}@test.example", "Zomer2026!").status_code for i in range(40)
    ]
    limit = app.config["LOGIN_ADDRESS_MAX_FAILURES"]
    assert statuses[:limit] == [401] * limit
    assert set(statuses[limit:]) == {429}
    assert sprayer.login(VICTIM).status_code == 429  # the right password of a real account too
    # Another address is not affected.
    assert at(app.test_client(), "198.51.100.77").login(VICTIM).status_code == 302


def test_the_limit_per_address_works_behind_the_proxy(app, world):
    """With WIJKTEAM_PROXY_HOPS=1 the client's address comes from X-Forwarded-For (set by
    nginx): failures from one client behind the proxy do not hold another one."""
    proxied = create_app(TestConfig, DATABASE_URL=app.config["DATABASE_URL"], PROXY_HOPS=1)
    proxied.test_client_class = type(app.test_client())
    attacker = proxied.test_client()
    attacker.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.90"
    for _ in range(12):
        attacker.login(f"iemand{_}@test.example", WRONG)
    assert attacker.login(VICTIM).status_code == 429
    colleague = proxied.test_client()
    colleague.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.91"
    assert colleague.login(VICTIM).status_code == 302
    with app.app_context():
        ips = set(db.scalars(select(AuditEvent.ip).where(AuditEvent.action.like("auth.%"))))
    assert {"203.0.113.90", "198.51.100.91"} <= ips


def test_a_held_attempt_is_answered_429_with_retry_after_and_audited(app, world):
    attacker = at(app.test_client(), "203.0.113.5")
    for _ in range(5):
        attacker.login(VICTIM, WRONG)
    resp = attacker.login(VICTIM, PASSWORD)
    assert resp.status_code == 429
    assert 1 <= int(resp.headers["Retry-After"]) <= 60
    with app.app_context():
        rows = list(
            db.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login_throttled"))
        )
        assert len(rows) == 1
        assert rows[0].user_id == world.pro_noord
        assert rows[0].ip == "203.0.113.5"
        assert "client" in rows[0].detail
    # An unknown name held the same way leaves a row too (naming no account).
    for _ in range(6):
        attacker.login("niemand@test.example", WRONG)
    with app.app_context():
        assert db.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.action == "auth.login_throttled", AuditEvent.user_id.is_(None)
            )
        )


def _lock_out(app) -> object:
    attacker = at(app.test_client(), "203.0.113.8")
    for _ in range(6):
        attacker.login(VICTIM, WRONG)
    assert attacker.login(VICTIM).status_code == 429
    assert holds(app, VICTIM) >= 1
    return attacker


def test_an_admin_lifts_the_hold(app, world, client):
    attacker = _lock_out(app)
    client.english()
    client.login("admin@test.example")
    page = f"/admin/users/{world.pro_noord}/edit"
    assert "held up on 1 device or address" in client.get(page).get_data(as_text=True)
    resp = client.submit(f"/admin/users/{world.pro_noord}/unlock", page=page)
    assert resp.status_code == 302
    assert holds(app, VICTIM) == 0
    assert attacker.login(VICTIM).status_code == 302
    with app.app_context():
        row = db.scalar(select(AuditEvent).where(AuditEvent.action == "user.unlock"))
        assert row.user_id == world.admin and row.object_id == world.pro_noord


def test_deactivate_and_reactivate_lifts_the_hold(app, world, client):
    _lock_out(app)
    client.login("admin@test.example")
    page = f"/admin/users/{world.pro_noord}/edit"
    base = {
        "display_name": "Pro Noord",
        "email": VICTIM,
        "role": "professional",
        "team_id": str(world.noord),
    }
    v = form_version(client.get(page).get_data(as_text=True))
    assert client.submit(page, {**base, "version": v}, page=page).status_code == 302
    v = form_version(client.get(page).get_data(as_text=True))
    assert client.submit(page, {**base, "active": "y", "version": v}, page=page).status_code == 302
    assert holds(app, VICTIM) == 0


def test_a_password_reset_lifts_the_hold(app, world, client):
    _lock_out(app)
    client.login("admin@test.example")
    page = f"/admin/users/{world.pro_noord}/edit"
    assert (
        client.submit(f"/admin/users/{world.pro_noord}/password-link", page=page).status_code == 200
    )
    assert holds(app, VICTIM) == 0


@pytest.mark.parametrize("address", ["2001:db8:1:2::1", "2001:db8:1:2:ffff::9"])
def test_an_ipv6_client_counts_as_its_whole_64(app, world, address):
    """Addresses within one /64 are one client: hopping between them does not reset counts."""
    first = at(app.test_client(), "2001:db8:1:2::1")
    for _ in range(5):
        first.login(VICTIM, WRONG)
    assert at(app.test_client(), address).login(VICTIM).status_code == 429
    assert at(app.test_client(), "2001:db8:1:3::1").login(VICTIM).status_code == 302


def test_an_inactive_account_counts_like_a_wrong_password(app, world):
    with app.app_context():
        db.execute(update(User).where(User.id == world.pro_noord).values(active=False))
        db.commit()
    attacker = at(app.test_client(), "203.0.113.44")
    assert [attacker.login(VICTIM).status_code for _ in range(6)][-1] == 429
