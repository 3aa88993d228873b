"""Logging in: generic errors, lockout, server-side sessions, idle timeout."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.conftest import PASSWORD
from wijkteam.auth.models import AuthSession, User
from wijkteam.auth.services import LockedOut, LoginFailed, authenticate
from wijkteam.auth.throttle import Client, Limits
from wijkteam.core.db import db, utc_now

GENERIC = "This e-mail address and password do not match an account."


def test_login_succeeds_and_lands_on_cases(client, world):
    resp = client.login("pro.noord@test.example")
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/cases")
    assert client.get("/cases").status_code == 200


def test_login_page_requires_nothing_and_pages_require_login(client, world):
    assert client.get("/login").status_code == 200
    resp = client.get("/cases")
    assert resp.status_code == 302
    assert "/login" in resp.headers["Location"]


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("pro.noord@test.example", "wrong-password-123"),
        ("nobody@test.example", PASSWORD),
        ("PRO.NOORD@test.example ", "wrong-password-123"),
    ],
)
def test_failed_login_gives_the_same_generic_message(client, world, email, password):
    client.english()
    resp = client.login(email, password)
    assert resp.status_code == 401
    html = resp.get_data(as_text=True)
    assert GENERIC in html
    assert email.strip() in html  # what was typed in the e-mail field is kept


def test_inactive_account_cannot_log_in_and_gets_generic_message(client, world, app):
    with app.app_context():
        db.execute(update(User).where(User.id == world.pro_noord).values(active=False))
        db.commit()
    client.english()
    resp = client.login("pro.noord@test.example")
    assert resp.status_code == 401
    assert GENERIC in resp.get_data(as_text=True)


def test_email_is_case_insensitive(client, world):
    assert client.login("Pro.Noord@Test.Example").status_code == 302


def test_lockout_after_repeated_failures_even_with_right_password(client, world, app):
    max_failures = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(max_failures):
        assert client.login("pro.noord@test.example", "wrong-password-xx").status_code == 401
    client.english()
    resp = client.login("pro.noord@test.example")  # right password, but locked
    assert resp.status_code == 429
    assert "Too many failed attempts" in resp.get_data(as_text=True)
    assert client.get("/cases").status_code == 302


def test_unknown_accounts_lock_the_same_way(client, world, app):
    """Lockout must not reveal whether an account exists."""
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.login("ghost@test.example", "whatever-password")
    assert client.login("ghost@test.example", "whatever-password").status_code == 429


LIMITS = Limits(
    max_failures=5,
    account_max_failures=20,
    address_max_failures=10,
    first_delay=timedelta(minutes=1),
    longest_delay=timedelta(minutes=15),
)
# A browser that logged in to the account before: only its own count applies to it.
HERE = Client(address="198.51.100.7", device="nonce-of-this-browser")


def _fail(now, client=HERE, email="pro.noord@test.example"):
    with pytest.raises(LoginFailed):
        authenticate(email, "bad-password", limits=LIMITS, client=client, now=now)


def test_the_wait_doubles_after_the_limit_and_ends(app, world, ctx):
    """Slowing down, not locking out: 1 minute after the fifth failure, then 2, 4, 8, and
    never more than 15 minutes; the right password works once the wait is over."""
    start = utc_now()
    for _ in range(5):
        _fail(start)
    now = start
    for wait in (1, 2, 4, 8, 15, 15):
        with pytest.raises(LockedOut):
            authenticate(
                "pro.noord@test.example",
                PASSWORD,
                limits=LIMITS,
                client=HERE,
                now=now + timedelta(minutes=wait) - timedelta(seconds=1),
            )
        now += timedelta(minutes=wait)
        _fail(now)
    later = now + timedelta(minutes=15)
    user = authenticate("pro.noord@test.example", PASSWORD, limits=LIMITS, client=HERE, now=later)
    assert user.email == "pro.noord@test.example"
    # The success cleared this client's count: five more failures before the next wait.
    for _ in range(4):
        _fail(later)
    assert authenticate("pro.noord@test.example", PASSWORD, limits=LIMITS, client=HERE, now=later)


def test_failures_are_forgotten_after_a_quiet_while(app, world, ctx):
    start = utc_now()
    for i in range(12):  # one failure every 31 minutes never adds up
        _fail(start + timedelta(minutes=31 * i))
    assert authenticate(
        "pro.noord@test.example",
        PASSWORD,
        limits=LIMITS,
        client=HERE,
        now=start + timedelta(minutes=31 * 12),
    )


def test_password_is_stored_as_argon2id(app, world):
    with app.app_context():
        user = db.get(User, world.pro_noord)
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash


def test_session_is_renewed_at_login(client, world, app):
    client.get("/login")
    with client.session_transaction() as before:
        before_token = before.get("csrf_token")
        before["planted"] = "by an attacker"
    assert before_token
    client.login("pro.noord@test.example")
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after.get("csrf_token") != before_token
        assert after.get("sid")


def test_logout_ends_the_session_on_the_server(client, other_client, world, app):
    client.login("pro.noord@test.example")
    with client.session_transaction() as sess:
        stolen = dict(sess)
    client.logout()
    with app.app_context():
        sessions = db.scalars(select(AuthSession).where(AuthSession.user_id == world.pro_noord))
        assert all(s.revoked_at is not None for s in sessions)
    # A copy of the old cookie no longer works.
    with other_client.session_transaction() as sess:
        sess.update(stolen)
    resp = other_client.get("/cases")
    assert resp.status_code == 302
    assert "/login" in resp.headers["Location"]


def test_logout_requires_post(client, world):
    client.login("pro.noord@test.example")
    assert client.get("/logout").status_code == 405
    assert client.get("/cases").status_code == 200


def test_deactivation_ends_existing_sessions(client, other_client, world):
    client.login("pro.noord@test.example")
    assert client.get("/cases").status_code == 200
    other_client.login("admin@test.example")
    page = f"/admin/users/{world.pro_noord}/edit"
    html = other_client.get(page).get_data(as_text=True)
    version = html.split('name="version" type="hidden" value="')[1].split('"')[0]
    resp = other_client.submit(
        page,
        {
            "display_name": "Pro Noord",
            "email": "pro.noord@test.example",
            "role": "professional",
            "team_id": str(world.noord),
            "version": version,
            # "active" left out: the checkbox is unticked
        },
        page=page,
    )
    assert resp.status_code == 302
    resp = client.get("/cases")
    assert resp.status_code == 302
    assert "/login" in resp.headers["Location"]


def test_idle_timeout_logs_out(client, world, app):
    client.english()
    client.login("pro.noord@test.example")
    assert client.get("/cases").status_code == 200
    idle = timedelta(minutes=app.config["IDLE_TIMEOUT_MINUTES"] + 1)
    with app.app_context():
        db.execute(update(AuthSession).values(last_seen_at=utc_now() - idle))
        db.commit()
    resp = client.get("/cases")
    assert resp.status_code == 302
    assert "/login" in resp.headers["Location"]
    with app.app_context():
        assert db.scalar(select(AuthSession.revoked_at)) is not None
    assert "inactivity" in client.get("/login").get_data(as_text=True)


def test_activity_within_the_timeout_keeps_the_session(client, world, app):
    client.login("pro.noord@test.example")
    almost = timedelta(minutes=app.config["IDLE_TIMEOUT_MINUTES"] - 1)
    with app.app_context():
        db.execute(update(AuthSession).values(last_seen_at=utc_now() - almost))
        db.commit()
    assert client.get("/cases").status_code == 200
    with app.app_context():
        seen = db.scalar(select(AuthSession.last_seen_at))
        assert utc_now() - seen < timedelta(minutes=1)  # touched again


def test_next_parameter_only_redirects_within_the_site(client, world):
    token = client.csrf_token()
    resp = client.post(
        "/login?next=https://evil.example/",
        data={"email": "pro.noord@test.example", "password": PASSWORD, "csrf_token": token},
    )
    assert resp.headers["Location"] == "/cases"
    client.logout()
    token = client.csrf_token()
    resp = client.post(
        "/login?next=/cases?status=closed",
        data={"email": "pro.noord@test.example", "password": PASSWORD, "csrf_token": token},
    )
    assert resp.headers["Location"] == "/cases?status=closed"


def test_next_with_a_backslash_is_not_followed(client, world):
    """Browsers read '/\\evil.example' as '//evil.example' (another site)."""
    token = client.csrf_token()
    resp = client.post(
        "/login?next=/\\evil.example/",
        data={"email": "pro.noord@test.example", "password": PASSWORD, "csrf_token": token},
    )
    assert resp.headers["Location"] == "/cases"
