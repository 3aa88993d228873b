"""Sign-off round trip: an agreed plan version and a safety decision go to the team lead, who
approves or sends back with a comment; the professional sees what waits and what came back."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.plans.conftest import PlanUI
from wijkteam.core.db import db
from wijkteam.reviews.models import Review, ReviewKind, ReviewStatus

VERSION_RE = re.compile(r'name="version" type="hidden" value="(\d+)"')


def agree_plan(client, case_id: int) -> None:
    plan = PlanUI(client, case_id)
    plan.start()
    plan.add_goal()
    page = f"/cases/{case_id}/plan/finalise"
    version = VERSION_RE.search(client.get(page).get_data(as_text=True)).group(1)
    assert (
        client.submit(
            page,
            {
                "agreed_on": "2026-03-01",
                "agreed_how": "in_person",
                "explained_how": "together",
                "member_ids": "1",
                "version": version,
            },
            page=page,
        ).status_code
        == 302
    )


def test_plan_version_sign_off_round_trip(client, other_client, world, app, plan_case):
    client.login("pro.noord@test.example")
    agree_plan(client, plan_case)
    with app.app_context():
        review = db.scalar(select(Review))
        assert (review.kind, review.ref_id, review.status) == (
            ReviewKind.PLAN_VERSION,
            1,
            ReviewStatus.WAITING,
        )
        review_id = review.id
    # The version is named as such, in both languages (it read "Agreed plan version 1",
    # which could be the first plan).
    dutch = " ".join(
        re.sub(r"<[^>]+>", " ", client.get("/dashboard").get_data(as_text=True)).split()
    )
    assert "Versie 1 van het gezinsplan" in dutch, dutch[:2000]
    client.english()
    mine = client.get("/dashboard").get_data(as_text=True)
    assert "Waiting for sign-off" in mine and "Version 1 of the family plan" in mine
    other_client.login("lead.noord@test.example")
    other_client.english()
    board = other_client.get("/dashboard").get_data(as_text=True)
    assert "Waiting for your sign-off" in board and f"/reviews/{review_id}" in board
    page = f"/reviews/{review_id}"
    resp = other_client.submit(page, {"decision": "return", "comment": ""}, page=page)
    assert resp.status_code == 422
    assert "Write what needs another look." in resp.get_data(as_text=True)
    version = VERSION_RE.search(other_client.get(page).get_data(as_text=True)).group(1)
    resp = other_client.submit(
        page,
        {"decision": "return", "version": version, "comment": "Graag het netwerk meer betrekken."},
        page=page,
    )
    assert resp.status_code == 302
    mine = client.get("/dashboard").get_data(as_text=True)
    assert "Sent back to you" in mine
    assert "Graag het netwerk meer betrekken." in mine
    # Decided once; a professional cannot decide.
    assert (
        other_client.submit(
            page, {"decision": "approve", "version": version}, page=page
        ).status_code
        == 403
    )
    assert client.submit(
        page, {"decision": "approve", "version": version}, page=page
    ).status_code in (403, 409)


def test_safety_decision_goes_to_sign_off_and_is_approved(
    client, other_client, world, app, plan_case
):
    from tests.safety.test_safety import STEP_OK, open_concern, step

    client.login("pro.noord@test.example")
    url = open_concern(client, f"/cases/{plan_case}/safety")
    for n in range(1, 6):
        assert step(client, url, n, **STEP_OK[n]).status_code == 302
    with app.app_context():
        review = db.scalar(select(Review).where(Review.kind == ReviewKind.SAFETY_DECISION))
        review_id = review.id
    other_client.login("lead.noord@test.example")
    page = f"/reviews/{review_id}"
    version = VERSION_RE.search(other_client.get(page).get_data(as_text=True)).group(1)
    assert (
        other_client.submit(
            page, {"decision": "approve", "version": version}, page=page
        ).status_code
        == 302
    )
    with app.app_context():
        review = db.get(Review, review_id)
        assert review.status == ReviewStatus.APPROVED and review.decided_by_id == world.lead_noord


def test_reviews_are_scoped_to_the_team(client, other_client, world, app, plan_case):
    client.login("pro.noord@test.example")
    agree_plan(client, plan_case)
    with app.app_context():
        review_id = db.scalar(select(Review.id))
    other_client.login("lead.zuid@test.example")
    assert other_client.get(f"/reviews/{review_id}").status_code == 404
    assert f"/reviews/{review_id}" not in other_client.get("/dashboard").get_data(as_text=True)
    other_client.logout()
    other_client.login("pro2.noord@test.example")  # a colleague, not the one who asked
    assert other_client.get(f"/reviews/{review_id}").status_code == 403


# --- four eyes (issue 14, item 2) -------------------------------------------------------


def make_deputy(app, world) -> str:
    """A professional of team Noord marked as second reviewer (deputy / behavioural scientist)."""
    from tests.conftest import PASSWORD
    from wijkteam.auth.models import Role
    from wijkteam.auth.services import create_user

    with app.test_request_context():
        create_user(
            None,
            email="deputy.noord@test.example",
            display_name="Deputy Noord",
            password=PASSWORD,
            role=Role.PROFESSIONAL,
            team_id=world.noord,
            second_reviewer=True,
        )
        db.commit()
    return "deputy.noord@test.example"


def decide(client, review_id: int, decision: str = "approve", comment: str = ""):
    page = f"/reviews/{review_id}"
    html = client.get(page).get_data(as_text=True)
    match = VERSION_RE.search(html)
    version = match.group(1) if match else "1"
    return client.submit(
        page, {"decision": decision, "version": version, "comment": comment}, page="/cases"
    )


def only_review(app, kind=ReviewKind.PLAN_VERSION) -> Review:
    with app.app_context():
        review = db.scalar(select(Review).where(Review.kind == kind).order_by(Review.id.desc()))
        db.expunge_all()
        return review


def test_the_team_lead_cannot_approve_what_he_asked_himself(app, world, plan_case):
    """The tester's reproduction: the team lead finalises a plan version and approves the
    review himself. Refused (page and service); a second reviewer decides instead."""
    lead = app.test_client()
    lead.login("lead.noord@test.example")
    agree_plan(lead, plan_case)
    review = only_review(app)
    assert review.requested_by_id == world.lead_noord
    lead.english()
    board = lead.get("/dashboard").get_data(as_text=True)
    assert "Waiting for your sign-off" not in board  # his own request is not his to decide
    assert "Waiting for sign-off" in board  # but he sees that it waits
    assert decide(lead, review.id).status_code == 403
    assert only_review(app).status == ReviewStatus.WAITING
    # The service refuses too, whatever route calls it.
    from wijkteam.auth.models import User
    from wijkteam.core.errors import NotAllowed
    from wijkteam.reviews import services

    with app.test_request_context():
        with pytest.raises(NotAllowed):
            services.decide(
                db.get(User, world.lead_noord),
                db.get(Review, review.id),
                expected_version=review.version,
                approve=True,
                comment="",
            )
        db.rollback()
    # The second reviewer sees it and approves.
    deputy = app.test_client()
    deputy.login(make_deputy(app, world))
    deputy.english()
    board = deputy.get("/dashboard").get_data(as_text=True)
    assert "Waiting for your sign-off" in board and f"/reviews/{review.id}" in board
    assert decide(deputy, review.id).status_code == 302
    decided = only_review(app)
    assert decided.status == ReviewStatus.APPROVED
    assert decided.decided_by_id != decided.requested_by_id


def test_the_team_leads_meldcode_decision_goes_to_a_second_reviewer(app, world, plan_case):
    from tests.safety.test_safety import STEP_OK, open_concern, step

    lead = app.test_client()
    lead.login("lead.noord@test.example")
    url = open_concern(lead, f"/cases/{plan_case}/safety")
    for n in range(1, 6):
        assert step(lead, url, n, **STEP_OK[n]).status_code == 302
    review = only_review(app, ReviewKind.SAFETY_DECISION)
    assert decide(lead, review.id).status_code == 403
    deputy = app.test_client()
    deputy.login(make_deputy(app, world))
    assert decide(deputy, review.id).status_code == 302
    assert only_review(app, ReviewKind.SAFETY_DECISION).status == ReviewStatus.APPROVED


def test_a_second_reviewer_cannot_approve_his_own_request_either(app, world, plan_case):
    deputy = app.test_client()
    deputy.login(make_deputy(app, world))
    agree_plan(deputy, plan_case)
    review = only_review(app)
    assert decide(deputy, review.id).status_code == 403
    lead = app.test_client()
    lead.login("lead.noord@test.example")
    assert decide(lead, review.id).status_code == 302


def test_a_plain_professional_never_decides(app, world, plan_case):
    client = app.test_client()
    client.login("pro.noord@test.example")
    agree_plan(client, plan_case)
    review = only_review(app)
    colleague = app.test_client()
    colleague.login("pro2.noord@test.example")
    assert decide(colleague, review.id).status_code == 403
    assert only_review(app).status == ReviewStatus.WAITING


def test_an_approved_decision_changed_afterwards_goes_for_sign_off_again(app, world, plan_case):
    """Otherwise four eyes could be skipped: approve 'report to Veilig Thuis', then change the
    recorded decision to 'do not report, family not told'."""
    from tests.safety.test_safety import STEP_OK, open_concern, step

    pro = app.test_client()
    pro.login("pro.noord@test.example")
    url = open_concern(pro, f"/cases/{plan_case}/safety")

    for n in range(1, 6):
        assert step(pro, url, n, **STEP_OK[n]).status_code == 302
    first = only_review(app, ReviewKind.SAFETY_DECISION)
    lead = app.test_client()
    lead.login("lead.noord@test.example")
    assert decide(lead, first.id).status_code == 302
    page = f"{url}/steps/5"
    version = VERSION_RE.search(pro.get(page).get_data(as_text=True)).group(1)
    resp = pro.submit(
        page,
        {
            "done_on": "2026-03-02",
            "organise_help": "y",
            "family_told": "no",
            "why_not_told": "Eerst de veiligheid van Noah regelen.",
            "version": version,
        },
        page=page,
    )
    assert resp.status_code == 302
    again = only_review(app, ReviewKind.SAFETY_DECISION)
    assert again.id != first.id and again.status == ReviewStatus.WAITING
    # A second correction while that waits does not pile up requests.
    version = VERSION_RE.search(pro.get(page).get_data(as_text=True)).group(1)
    pro.submit(
        page,
        {
            "done_on": "2026-03-02",
            "organise_help": "y",
            "family_told": "no",
            "why_not_told": "Eerst de veiligheid van Noah regelen, dan praten.",
            "version": version,
        },
        page=page,
    )
    with app.app_context():
        waiting = db.scalars(
            select(Review).where(
                Review.kind == ReviewKind.SAFETY_DECISION, Review.status == ReviewStatus.WAITING
            )
        ).all()
        assert len(waiting) == 1


def test_the_team_lead_is_told_when_no_one_can_sign_off_his_request(app, world, plan_case):
    lead = app.test_client()
    lead.login("lead.noord@test.example")
    lead.english()
    agree_plan(lead, plan_case)
    assert "your team has no second reviewer yet" in lead.get("/dashboard").get_data(as_text=True)
    make_deputy(app, world)
    assert "your team has no second reviewer yet" not in lead.get("/dashboard").get_data(
        as_text=True
    )


def test_looking_at_a_sign_off_request_is_audited_with_its_case(app, world, plan_case):
    from wijkteam.audit.models import AuditEvent

    client = app.test_client()
    client.login("pro.noord@test.example")
    agree_plan(client, plan_case)
    review = only_review(app)
    lead = app.test_client()
    lead.login("lead.noord@test.example")
    assert lead.get(f"/reviews/{review.id}").status_code == 200
    with app.app_context():
        rows = db.scalars(select(AuditEvent).where(AuditEvent.action == "review.view")).all()
        assert [(r.user_id, r.case_id, r.object_id) for r in rows] == [
            (world.lead_noord, plan_case, review.id)
        ]


@pytest.mark.parametrize(
    ("decision", "comment", "shown"),
    [
        ("approve", "", "Approved by Lead Noord on"),
        ("return", "Graag het netwerk meer betrekken.", "Sent back by Lead Noord on"),
    ],
)
def test_the_plan_and_version_pages_show_the_sign_off(
    client, other_client, app, plan_case, decision, comment, shown
):
    """Issue 17: the professional sees there whether a version waits, was approved or sent
    back (with the comment), not only in "my week"."""
    client.login("pro.noord@test.example")
    agree_plan(client, plan_case)
    client.english()
    plan_page, version_page = f"/cases/{plan_case}/plan", f"/cases/{plan_case}/plan/versions/1"
    for page in (plan_page, version_page):
        assert "Waiting for sign-off" in client.get(page).get_data(as_text=True), page
    other_client.login("lead.noord@test.example")
    assert decide(other_client, only_review(app).id, decision, comment).status_code == 302
    for page in (plan_page, version_page):
        html = client.get(page).get_data(as_text=True)
        assert shown in html and "Waiting for sign-off" not in html, page
        assert comment in html, page


def test_the_plan_page_shows_each_versions_latest_request_only(
    client, other_client, app, world, plan_case
):
    """The plan page reads each version's sign-off with the versions (issue 21): the latest
    request for that version of this case's plan, not an older one for it, a request of
    another kind with the same number or another case's request for its version 1."""
    from datetime import timedelta

    from wijkteam.cases.models import Case
    from wijkteam.core.db import utc_now
    from wijkteam.plans.page import read_plan_page

    def read() -> tuple[list[int], dict[int, int]]:
        with app.app_context():
            page = read_plan_page(db.get(Case, plan_case))
            assert page is not None
            return [v.number for v in page.plan.versions], {
                n: r.id for n, r in page.sign_offs.items()
            }

    client.login("pro.noord@test.example")
    agree_plan(client, plan_case)
    client.english()
    other_client.login("lead.noord@test.example")
    comment = "Eerst het netwerk erbij."
    first = only_review(app).id
    assert decide(other_client, first, "return", comment).status_code == 302
    plan_page = f"/cases/{plan_case}/plan"
    html = client.get(plan_page).get_data(as_text=True)
    assert "Sent back by Lead Noord on" in html and comment in html
    assert read() == ([1], {1: first})
    other_case = world.case(world.pro_noord, name="Elders")
    later = utc_now() + timedelta(minutes=1)

    def add_review(case_id: int, kind: ReviewKind, status: ReviewStatus) -> None:
        decided = status != ReviewStatus.WAITING
        with app.app_context():
            db.add(
                Review(
                    case_id=case_id,
                    kind=kind,
                    ref_id=1,
                    title=f"{kind.value} {status.value}",
                    status=status,
                    requested_by_id=world.pro_noord,
                    decided_by_id=world.lead_noord if decided else None,
                    decided_at=later if decided else None,
                    created_at=later,
                    updated_at=later,
                )
            )
            db.commit()

    add_review(other_case, ReviewKind.PLAN_VERSION, ReviewStatus.APPROVED)
    add_review(plan_case, ReviewKind.SAFETY_DECISION, ReviewStatus.APPROVED)
    html = client.get(plan_page).get_data(as_text=True)
    assert "Sent back by Lead Noord on" in html and "Approved by" not in html
    assert read() == ([1], {1: first})
    add_review(plan_case, ReviewKind.PLAN_VERSION, ReviewStatus.WAITING)  # version 1 again
    html = client.get(plan_page).get_data(as_text=True)
    assert "Waiting for sign-off" in html
    assert "Sent back by" not in html and comment not in html
    assert read() == ([1], {1: only_review(app).id}) != ([1], {1: first})


def test_waiting_for_your_sign_off_names_the_family_the_version_and_what_changed(
    client, other_client, app, world, plan_case
):
    """Issue 17: not only the surname: the family, the version and what it changed."""
    from tests.factories import app_api as api
    from tests.factories import cases as c

    client.login("pro.noord@test.example")
    agree_plan(client, plan_case)
    other_client.login("lead.noord@test.example")
    other_client.english()
    board = other_client.get("/dashboard").get_data(as_text=True)
    assert "The first agreed version." in board and "Family " in board
    assert decide(other_client, only_review(app).id).status_code == 302

    def agree_after(change) -> None:
        """The professional changes the plan and agrees the next version with the family."""
        with app.test_request_context():
            user = db.get(api.User, world.pro_noord)
            case = db.get(api.Case, plan_case)
            plan = api.load_plan(case)
            change(user, case, plan)
            c.agree(user, case, plan, [c.members_of(case)[0].id])
            db.commit()

    agree_after(
        lambda user, case, plan: c.action(
            user, case, c.goal(user, case, plan, "Een tweede doel."), "Een afspraak."
        )
    )
    board = other_client.get("/dashboard").get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", board).split())
    assert "Since the version before: 1 new goal, 1 new agreement" in text, text[:3000]
    # A third version is set against the second, not the first (the dashboard reads only the
    # two snapshots each request compares).
    with app.test_request_context():
        waiting = db.scalars(select(Review).where(Review.status == ReviewStatus.WAITING)).one()
        waiting_id = waiting.id
    assert decide(other_client, waiting_id).status_code == 302
    agree_after(lambda user, case, plan: c.action(user, case, plan.goals[-1], "Nog een afspraak."))
    board = other_client.get("/dashboard").get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", board).split())
    assert "Version 3 of the family plan · " in text, text[:3000]
    assert "Since the version before: 1 new agreement" in text, text[:3000]
    assert "new goal" not in text


def test_a_concern_does_not_close_while_its_decision_waits_or_was_sent_back(app, world, plan_case):
    """Closing the concern (and so the case) would end the Meldcode without the second pair of
    eyes: refused, with the typed text kept, until the latest decision is signed off."""
    from html import unescape

    from tests.safety.test_safety import STEP_OK, open_concern, step
    from wijkteam.safety.models import ConcernStatus, SafetyConcern

    pro = app.test_client()
    pro.login("pro.noord@test.example")
    pro.english()
    url = open_concern(pro, f"/cases/{plan_case}/safety")
    for n in range(1, 6):
        assert step(pro, url, n, **STEP_OK[n]).status_code == 302
    page = f"{url}/close"

    def close(reason: str):
        version = VERSION_RE.search(pro.get(page).get_data(as_text=True)).group(1)
        data = {
            "closed_on": "2026-06-01",
            "close_reason": reason,
            "regie_return": "Lisa houdt zich twee maanden aan de afspraken.",
            "version": version,
        }
        return pro.submit(page, data, page=page)

    def status() -> ConcernStatus:
        with app.app_context():
            return db.scalar(select(SafetyConcern.status))

    # The close page says so before anything is typed, once.
    html = unescape(pro.get(page).get_data(as_text=True))
    assert html.count("The decision (Meldcode step 5) still waits for sign-off.") == 1
    resp = close("Veilig genoeg, eerste poging.")
    html = unescape(resp.get_data(as_text=True))
    assert html.count("The decision (Meldcode step 5) still waits for sign-off.") == 1
    assert resp.status_code == 422
    assert "The decision (Meldcode step 5) still waits for sign-off." in html
    assert "Veilig genoeg, eerste poging." in html  # the typing is kept
    assert status() == ConcernStatus.BEING_HANDLED
    lead = app.test_client()
    lead.login("lead.noord@test.example")
    first = only_review(app, ReviewKind.SAFETY_DECISION)
    assert decide(lead, first.id, "return", "Waarom geen melding?").status_code == 302
    resp = close("Veilig genoeg, tweede poging.")
    assert resp.status_code == 422
    assert "was sent back. Change the decision first" in unescape(resp.get_data(as_text=True))
    assert "was sent back. Change the decision first" in unescape(
        pro.get(page).get_data(as_text=True)
    )
    # The decision changed: it goes for sign-off again, and waits.
    step_page = f"{url}/steps/5"
    version = VERSION_RE.search(pro.get(step_page).get_data(as_text=True)).group(1)
    changed = {  # report only: the team lead's comment was heard
        "done_on": "2026-03-02",
        "report_to_veilig_thuis": "y",
        "family_told": "yes",
        "version": version,
    }
    assert pro.submit(step_page, changed, page=step_page).status_code == 302
    again = only_review(app, ReviewKind.SAFETY_DECISION)
    assert again.id != first.id and again.status == ReviewStatus.WAITING
    assert close("Veilig genoeg, derde poging.").status_code == 422
    assert decide(lead, again.id).status_code == 302
    assert "Meldcode step 5" not in unescape(pro.get(page).get_data(as_text=True))
    assert close("Veilig genoeg.").status_code == 302
    assert status() == ConcernStatus.CLOSED


def test_the_dashboards_sign_off_lists_come_in_one_query(app, world):
    """Issue 21: what waits for my sign-off, what I asked that still waits and what came back,
    in one query on PostgreSQL (a query per list on SQLite: `core.lists.Lists.read`), each
    list as its own statement gives it: in its order, the asked ones at most RECENT (the
    latest changed first), another team's never, an approved one never."""
    from datetime import timedelta

    from tests.test_queries import count_queries
    from wijkteam.auth.models import User
    from wijkteam.core.db import utc_now
    from wijkteam.reviews.queries import RECENT, for_the_dashboard, mine, waiting_for_me

    deputy_email = make_deputy(app, world)
    noord = world.case(world.pro_noord, name="Lijst")
    zuid = world.case(world.pro_zuid, name="Elders")
    start = utc_now() - timedelta(days=30)
    with app.test_request_context():
        deputy = db.scalar(select(User).where(User.email == deputy_email))
        people = [world.pro_noord, world.lead_noord, deputy.id]
        statuses = [ReviewStatus.WAITING, ReviewStatus.RETURNED, ReviewStatus.APPROVED]
        for i in range(9 * (RECENT + 4)):
            at = start + timedelta(hours=(i * 7) % 50, minutes=i)
            db.add(
                Review(
                    case_id=zuid if i % 11 == 0 else noord,
                    # each its own decision: none answers another one sent back
                    kind=ReviewKind.SAFETY_DECISION,
                    ref_id=i + 1,
                    title=f"Lijst {i}",
                    status=statuses[i % 3],
                    requested_by_id=people[(i // 3) % 3],
                    created_at=at,
                    updated_at=start + timedelta(hours=(i * 13) % 40, minutes=i),
                )
            )
        db.commit()
    for user_id in (*people, world.pro2_noord, world.lead_zuid):
        with app.test_request_context():
            user = db.get(User, user_id)
            own = mine(user)
            expected = (waiting_for_me(user).items, own.waiting, own.returned)
            with count_queries(app) as counted:
                shown, asked = for_the_dashboard(user)
            assert [
                [r.id for r in part] for part in (shown.items, asked.waiting, asked.returned)
            ] == [[r.id for r in part] for part in expected], user.email
            assert asked.more == own.more
            if user_id in (world.pro_noord, world.pro2_noord):
                lists = 1  # they sign nothing off: only what they asked
            else:  # a team lead, the deputy (a second reviewer)
                lists = 2
            one = db.get_bind().dialect.name == "postgresql"
            assert counted["n"] == (1 if one else lists), user.email
    with app.test_request_context():
        pro = db.get(User, world.pro_noord)
        to_sign, asked = for_the_dashboard(pro)
        # more were asked: the RECENT changed last, and "more"
        assert to_sign.items == [] and len(asked.waiting) + len(asked.returned) == RECENT
        assert asked.more
        lead = db.get(User, world.lead_noord)
        to_sign, asked = for_the_dashboard(lead)
        assert to_sign.items and {r.case_id for r in to_sign.items} == {noord}
        assert all(r.requested_by_id != lead.id for r in to_sign.items)
        assert asked.waiting and asked.returned
        second = db.scalar(select(User).where(User.email == deputy_email))
        assert {r.requested_by_id for r in for_the_dashboard(second)[0].items} == {lead.id}


def test_a_long_sign_off_queue_shows_the_longest_waiting_and_says_more_wait(
    app, world, other_client, monkeypatch
):
    """Issue 21: what waits for the team lead's sign-off grows while the lead is away; the
    dashboard shows the TO_SIGN_SHOWN that waited longest (oldest first) and says more wait,
    in as many queries as for a short list."""
    from datetime import timedelta

    from tests.test_queries import count_queries
    from wijkteam.core.db import utc_now
    from wijkteam.reviews import queries

    monkeypatch.setattr(queries, "TO_SIGN_SHOWN", 3)
    case_id = world.case(world.pro_noord, name="Wachtrij")
    start = utc_now() - timedelta(days=10)
    with app.test_request_context():
        reviews = [
            Review(
                case_id=case_id,
                kind=ReviewKind.SAFETY_DECISION,
                ref_id=i + 1,
                title=f"Wachtrij {i}",
                status=ReviewStatus.WAITING,
                requested_by_id=world.pro_noord,
                created_at=start + timedelta(hours=5 - i),  # the last made waited longest
            )
            for i in range(5)
        ]
        db.add_all(reviews)
        db.commit()
        oldest_first = [r.id for r in reversed(reviews)]
    other_client.login("lead.noord@test.example")
    other_client.english()

    def board() -> tuple[list[int], str, int]:
        other_client.get("/dashboard")
        with count_queries(app) as counter:
            html = other_client.get("/dashboard").get_data(as_text=True)
        part = html.split('id="sign-heading"')[1].split("</section>")[0]
        return [i for i in oldest_first if f"/reviews/{i}" in part], part, counter["selects"]

    shown, part, many = board()
    assert shown == oldest_first[:3]
    assert "More than 3 requests wait for your sign-off. These have waited longest" in part
    with app.test_request_context():
        for review_id in oldest_first[:2]:
            db.get(Review, review_id).status = ReviewStatus.APPROVED
        db.commit()
    shown, part, few = board()
    assert shown == oldest_first[2:]  # exactly three wait: all shown, no word of more
    assert "More than" not in part
    assert few == many


def test_my_week_says_when_more_requests_were_asked_than_it_shows(app, world, other_client):
    """Issue 21: what I asked that waits or came back is cut at RECENT (the latest changed);
    with more, my week says so, and with exactly RECENT it says nothing of more. Returned and
    waiting ones count together; an answered request does not count."""
    from datetime import timedelta

    from tests.test_queries import count_queries
    from wijkteam.core.db import utc_now
    from wijkteam.reviews.queries import RECENT

    case_id = world.case(world.pro_noord, name="Veelgevraagd")
    start = utc_now() - timedelta(days=10)
    with app.test_request_context():
        asked = [
            Review(
                case_id=case_id,
                kind=ReviewKind.SAFETY_DECISION,
                ref_id=i + 1,  # each its own decision: none answers another
                title=f"Veelgevraagd {i}",
                status=ReviewStatus.RETURNED if i % 4 == 0 else ReviewStatus.WAITING,
                requested_by_id=world.pro_noord,
                created_at=start + timedelta(hours=i),
                updated_at=start + timedelta(hours=i),  # the last made changed last
            )
            for i in range(RECENT + 1)
        ]
        db.add_all(asked)
        db.commit()
        latest_first = [r.id for r in reversed(asked)]
    other_client.login("pro.noord@test.example")
    other_client.english()

    def week() -> tuple[list[int], str, int]:
        other_client.get("/dashboard")
        with count_queries(app) as counter:
            html = other_client.get("/dashboard").get_data(as_text=True)
        shown = [i for i in latest_first if f'href="/reviews/{i}"' in html]
        return shown, html, counter["selects"]

    shown, html, many = week()
    assert shown == latest_first[:RECENT]  # the one changed longest ago is left out
    notice = f"More than {RECENT} of the sign-offs you asked for wait or came back."
    assert html.count(notice) == 1  # above the first of the two lists only
    assert html.index(notice) > html.index('id="back-heading"')
    with app.test_request_context():
        db.get(Review, latest_first[0]).status = ReviewStatus.APPROVED
        db.commit()
    shown, html, few = week()
    assert shown == latest_first[1:]  # exactly RECENT: all of them, no word of more
    assert "of the sign-offs you asked for" not in html
    assert few == many


def test_a_request_sent_back_leaves_my_week_once_it_is_asked_again(app, world):
    """ "Sent back to you" lists what still needs the professional's work: a request sent
    back stays there until a newer request answers it (the same safety decision asked again,
    or the same or a later version of the plan agreed and asked), and no longer."""
    from datetime import timedelta

    from wijkteam.auth.models import User
    from wijkteam.core.db import utc_now
    from wijkteam.reviews.queries import for_the_dashboard, mine

    case_id = world.case(world.pro_noord, name="Teruggestuurd")
    other_case = world.case(world.pro_noord, name="Anders")
    start = utc_now() - timedelta(days=5)
    made: dict[str, int] = {}

    def ask(name: str, kind: ReviewKind, ref_id: int, status: ReviewStatus, case=case_id):
        with app.test_request_context():
            review = Review(
                case_id=case,
                kind=kind,
                ref_id=ref_id,
                title=name,
                status=status,
                requested_by_id=world.pro_noord,
                created_at=start + timedelta(hours=len(made)),
                updated_at=start + timedelta(hours=len(made)),
            )
            db.add(review)
            db.commit()
            made[name] = review.id

    def returned() -> set[str]:
        with app.test_request_context():
            user = db.get(User, world.pro_noord)
            back = mine(user).returned
            assert [r.id for r in for_the_dashboard(user)[1].returned] == [r.id for r in back]
            return {r.title for r in back}

    plan, safety = ReviewKind.PLAN_VERSION, ReviewKind.SAFETY_DECISION
    back, waiting = ReviewStatus.RETURNED, ReviewStatus.WAITING
    ask("versie 2 terug", plan, 2, back)
    ask("besluit 7 terug", safety, 7, back)
    ask("besluit 8 terug", safety, 8, back)
    ask("elders versie 5 terug", plan, 5, back, case=other_case)
    assert returned() == {
        "versie 2 terug",
        "besluit 7 terug",
        "besluit 8 terug",
        "elders versie 5 terug",
    }
    ask("versie 1 opnieuw", plan, 1, waiting)  # an earlier version answers nothing
    ask("besluit 9", safety, 9, waiting)  # another decision answers nothing
    assert returned() == {
        "versie 2 terug",
        "besluit 7 terug",
        "besluit 8 terug",
        "elders versie 5 terug",
    }
    ask("versie 3", plan, 3, waiting)  # a later version of the plan, asked
    ask("besluit 7 opnieuw", safety, 7, ReviewStatus.APPROVED)  # the decision, asked again
    assert returned() == {"besluit 8 terug", "elders versie 5 terug"}
    ask("besluit 8 opnieuw terug", safety, 8, back)  # sent back again: the newest one shows
    assert returned() == {"besluit 8 opnieuw terug", "elders versie 5 terug"}
