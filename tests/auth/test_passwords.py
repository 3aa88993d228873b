"""Passwords: common and breached ones are refused; people choose their own through a one-time
link (no admin knows a password); everyone changes their own; demo data stays out of
production."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from tests.conftest import PASSWORD
from wijkteam.audit.models import AuditEvent
from wijkteam.auth.models import AuthSession, PasswordLink, User
from wijkteam.auth.passwords import password_problem
from wijkteam.auth.services import issue_password_link
from wijkteam.cli import SEED_FILE
from wijkteam.core.db import db, utc_now
from wijkteam.seed import SeedRefused, load_seed

LINK_RE = re.compile(r">http://localhost(/password/link/[^<]+)</textarea>")
STRONG = "regenjas-fietsbel-zonnebloem"


@pytest.mark.parametrize(
    "weak",
    [
        "aaaaaaaaaaaa",
        "password1234",
        "welkom123456",
        "Welkom2026!!!",
        "wachtwoord12",
        "Feyenoord1908",
        "ikhouvanjou1",
        "zomervakantie2025",
        "qwertyuiop12",
        "123456789012",
        "kort",
    ],
)
def test_common_breached_and_dutch_passwords_are_refused(ctx, weak):
    assert password_problem(weak) is not None


@pytest.mark.parametrize(
    "good",
    [STRONG, PASSWORD, "wijkteam-demo-2026", "kaasschaaf regenjas 43", ((STRONG + " ") * 10)[:256]],
)
def test_long_unrelated_words_pass(ctx, good):
    assert password_problem(good) is None


def test_the_persons_own_name_and_address_are_refused(ctx):
    problem = password_problem("Sanne.Noord2026", email="sanne.noord@test.example", name="S N")
    assert problem is not None
    assert password_problem("x" * 257) is not None  # longer than anyone needs: refused, no 500


# --- invitation and reset links ------------------------------------------------------------


def admin_link(client, world, user_id: int) -> str:
    """The admin makes a new password link for the account and reads it from the page."""
    client.login("admin@test.example")
    page = f"/admin/users/{user_id}/edit"
    resp = client.submit(f"/admin/users/{user_id}/password-link", page=page)
    assert resp.status_code == 200
    client.logout()
    return LINK_RE.search(resp.get_data(as_text=True)).group(1)


def choose(client, link: str, password: str = STRONG):
    return client.submit(link, {"password": password, "password_again": password}, page=link)


def test_a_reset_stops_the_old_password_and_sessions_and_the_link_works_once(
    app, world, client, other_client
):
    other_client.login("pro.noord@test.example")
    assert other_client.get("/cases").status_code == 200
    link = admin_link(client, world, world.pro_noord)
    # The old password and the live session no longer work.
    assert other_client.get("/cases").status_code == 302
    assert other_client.login("pro.noord@test.example").status_code == 401
    with app.app_context():
        token_hashes = list(db.scalars(select(PasswordLink.token_hash)))
        assert link.rsplit("/", 1)[1] not in str(token_hashes)  # only a hash is stored
    assert choose(client, link).status_code == 302
    assert client.login("pro.noord@test.example", STRONG).status_code == 302
    client.logout()
    # Used once: the same link is gone, also for someone who copied it.
    assert other_client.get(link).status_code == 404
    assert choose(other_client, link, "tweede-poging-met-zeilboot").status_code == 404
    with app.app_context():
        actions = [
            a
            for (a,) in db.execute(select(AuditEvent.action).order_by(AuditEvent.id))
            if a.startswith("user.")
        ]
        assert actions[-2:] == ["user.password_link", "user.password_set"]


def test_a_link_refuses_a_weak_password_and_keeps_working(app, world, client):
    link = admin_link(client, world, world.pro_noord)
    client.english()
    resp = choose(client, link, "welkom123456")
    assert resp.status_code == 422
    assert "too easy to guess" in resp.get_data(as_text=True)
    resp = client.submit(link, {"password": STRONG, "password_again": "iets-anders-dan"}, page=link)
    assert resp.status_code == 422
    assert choose(client, link).status_code == 302


def test_a_newer_link_cancels_the_older_one(app, world, client):
    first = admin_link(client, world, world.pro_noord)
    second = admin_link(client, world, world.pro_noord)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_an_expired_link_does_not_work(app, world, client):
    link = admin_link(client, world, world.pro_noord)
    with app.app_context():
        db.execute(update(PasswordLink).values(expires_at=utc_now() - timedelta(seconds=1)))
        db.commit()
    assert client.get(link).status_code == 404
    assert choose(client, link).status_code == 404


def test_a_made_up_token_is_a_plain_404(client, world):
    assert client.get("/password/link/abc").status_code == 404
    assert client.get("/password/link/" + "x" * 5000).status_code == 404


def test_a_link_of_a_deactivated_account_does_not_work(app, world, client):
    link = admin_link(client, world, world.pro_noord)
    with app.app_context():
        db.execute(update(User).where(User.id == world.pro_noord).values(active=False))
        db.commit()
    assert client.get(link).status_code == 404


def test_a_logged_in_person_cannot_use_someone_elses_link(app, world, client, other_client):
    link = admin_link(client, world, world.pro_noord)
    other_client.login("pro.zuid@test.example")
    assert other_client.get(link).status_code == 403
    assert choose(other_client, link).status_code == 403
    with app.app_context():
        assert db.scalar(select(PasswordLink.used_at)) is None
        assert db.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "access.denied")
        )
    assert client.get(link).status_code == 200  # still there for its owner


def test_an_admin_cannot_reset_an_inactive_account(app, world, client):
    with app.app_context():
        db.execute(update(User).where(User.id == world.pro_noord).values(active=False))
        db.commit()
    client.login("admin@test.example")
    page = f"/admin/users/{world.pro_noord}/edit"
    resp = client.submit(f"/admin/users/{world.pro_noord}/password-link", page=page)
    assert resp.status_code == 302
    with app.app_context():
        assert db.scalar(select(func.count(PasswordLink.id))) == 0


def test_a_link_issued_by_the_service_expires_when_told(app, world, ctx):
    user = db.get(User, world.pro_noord)
    link, token = issue_password_link(None, user, kind="invite", valid_for=timedelta(hours=72))
    assert timedelta(hours=71) < link.expires_at - utc_now() <= timedelta(hours=72)
    assert len(token) >= 40


# --- changing one's own password -----------------------------------------------------------


def change(client, current: str, new: str, again: str | None = None):
    page = "/account/password"
    data = {"current_password": current, "new_password": new, "new_password_again": again or new}
    return client.submit(page, data, page=page)


def test_everyone_changes_their_own_password_and_other_sessions_end(
    app, world, client, other_client
):
    other_client.login("pro.noord@test.example")
    client.login("pro.noord@test.example")
    resp = change(client, PASSWORD, STRONG)
    assert resp.status_code == 302
    assert client.get("/cases").status_code == 200  # this session goes on
    assert other_client.get("/cases").status_code == 302  # the other one ended
    client.logout()
    assert client.login("pro.noord@test.example", PASSWORD).status_code == 401
    assert client.login("pro.noord@test.example", STRONG).status_code == 302
    with app.app_context():
        assert db.scalar(select(AuditEvent.id).where(AuditEvent.action == "user.password_change"))


def test_a_change_needs_the_current_password_and_a_good_new_one(app, world, client):
    client.english()
    client.login("admin@test.example")  # admins too
    resp = change(client, "not-my-password-at-all", STRONG)
    assert resp.status_code == 422
    assert "This is not your current password." in resp.get_data(as_text=True)
    resp = change(client, PASSWORD, "password1234")
    assert resp.status_code == 422
    assert "too easy to guess" in resp.get_data(as_text=True)
    resp = change(client, PASSWORD, STRONG, "iets-heel-anders")
    assert resp.status_code == 422
    assert change(client, PASSWORD, PASSWORD).status_code == 422
    client.logout()
    assert client.login("admin@test.example", PASSWORD).status_code == 302


def test_a_borrowed_session_cannot_guess_the_current_password(app, world, client):
    """Someone at a colleague's unlocked screen tries current passwords: after the limit the
    form refuses to check any more, also the right one."""
    client.login("pro.noord@test.example")
    for i in range(5):
        assert change(client, f"raden-poging-{i}-xyz", STRONG).status_code == 422
    assert change(client, PASSWORD, STRONG).status_code == 422
    with app.app_context():
        assert db.get(User, world.pro_noord).password_hash is not None
    client.logout()
    assert client.login("pro.noord@test.example", STRONG).status_code in (401, 429)


def test_the_change_page_needs_a_login(client, world):
    resp = client.get("/account/password")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_every_page_links_to_the_change(client, world):
    client.login("lead.noord@test.example")
    assert 'href="/account/password"' in client.get("/cases").get_data(as_text=True)


# --- demo data ----------------------------------------------------------------------------


def test_demo_seeding_is_refused_in_production(app, world):
    app.config["ENV_NAME"] = "production"
    try:
        result = app.test_cli_runner().invoke(args=["seed"])
        assert result.exit_code != 0
        assert "development only" in result.output
        with app.app_context(), pytest.raises(SeedRefused):
            load_seed(SEED_FILE)
    finally:
        app.config["ENV_NAME"] = "test"
    with app.app_context():
        assert db.scalar(select(func.count(User.id))) == 7  # only the test world's accounts


def test_the_sessions_of_the_account_all_end_on_reset(app, world, client):
    link = admin_link(client, world, world.pro_noord)
    assert link
    with app.app_context():
        live = db.scalar(
            select(func.count(AuthSession.id)).where(
                AuthSession.user_id == world.pro_noord, AuthSession.revoked_at.is_(None)
            )
        )
        assert live == 0
