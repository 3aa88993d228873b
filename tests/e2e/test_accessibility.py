"""axe-core on every main page, with the demo data loaded: 0 serious or critical WCAG 2.1 AA
violations (required of Dutch municipal software).

The demo data (seed/demo.yaml) is loaded once for this module, so the pages show realistic
content; the per-test database wipe of tests/conftest.py is replaced here by one wipe at the end
of the module. The browser contexts bypass the Content-Security-Policy only so that axe can be
injected; the journeys in the other files keep it on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from tests.e2e.conftest import assert_accessible, logged_in_pages, markup_only
from wijkteam.auth.models import Role, Team, User
from wijkteam.cases.models import Case, CaseStatus, FamilyMember, MemberRole
from wijkteam.cli import SEED_FILE
from wijkteam.core.db import Base, db, get_engine, utc_now
from wijkteam.discussions.models import CaseDiscussion, DiscussionItem, ItemStatus, Task
from wijkteam.jobs.models import JobKind, JobStatus, PrintJob
from wijkteam.keyfigures.models import KeyFigure
from wijkteam.network.models import NetworkMeeting, NetworkMember
from wijkteam.notes.models import Note, NoteStatus
from wijkteam.plans.models import Action, Goal, Plan, PlanVersion, ScaleScore
from wijkteam.resources.models import Referral, Resource
from wijkteam.reviews.models import Review, ReviewStatus
from wijkteam.safety.models import Condition, SafetyConcern, SafetyScore, Signal
from wijkteam.seed import load_seed

pytestmark = markup_only

LEAD = "lead.noord@wijkteam.example"
PRO = "sanne.noord@wijkteam.example"
ADMIN = "admin@wijkteam.example"


@pytest.fixture(autouse=True)
def clean_db() -> Iterator[None]:
    """The seeded data stays for the whole module (see `seeded`)."""
    yield


def _wipe(app: Flask) -> None:
    with app.app_context():
        tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
        with get_engine().begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                for name in tables:
                    conn.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - our own names


@dataclass
class Seeded:
    password: str
    urls: dict[str, str]


def _first(stmt: Any) -> Any:
    obj = db.scalars(stmt.limit(1)).first()
    assert obj is not None, f"the demo data has nothing for {stmt}"
    return obj


def _print_jobs(case: Case, user: User) -> tuple[int, int]:
    """Two print jobs of the team lead: one ready to download, one waiting for the worker."""
    now = utc_now()
    ready = PrintJob(
        case_id=case.id,
        requested_by_id=user.id,
        kind=JobKind.PLAN_PDF,
        options={"lang": "nl"},
        status=JobStatus.DONE,
        created_at=now,
        finished_at=now,
        expires_at=now + timedelta(hours=24),
        body=b"%PDF-1.7",
        size=8,
        mimetype="application/pdf",
        filename="ons-plan.pdf",
    )
    waiting = PrintJob(
        case_id=case.id,
        requested_by_id=user.id,
        kind=JobKind.FILE_PDF,
        options={"lang": "nl"},
        status=JobStatus.QUEUED,
        created_at=now,
    )
    db.add_all([ready, waiting])
    db.commit()
    return ready.id, waiting.id


def _urls() -> dict[str, str]:
    """One URL per page, built from the seeded objects of Wijkteam Noord."""
    noord = _first(select(Team).where(Team.name == "Wijkteam Noord"))
    pro = _first(select(User).where(User.email == PRO))
    in_noord = select(Case).where(Case.team_id == noord.id)
    # The richest open case: a plan, a network, a safety concern, notes and referrals.
    concern = _first(
        select(SafetyConcern)
        .join(Case, Case.id == SafetyConcern.case_id)
        .where(Case.team_id == noord.id, Case.status != CaseStatus.CLOSED)
    )
    case = db.get(Case, concern.case_id)
    closed = _first(in_noord.where(Case.status == CaseStatus.CLOSED))
    # An open case without an open safety concern: its close page shows the whole form.
    closable = _first(
        in_noord.where(
            Case.status != CaseStatus.CLOSED,
            ~select(SafetyConcern.id)
            .where(SafetyConcern.case_id == Case.id, SafetyConcern.status != "closed")
            .exists(),
        ).order_by(Case.id)
    )
    c = f"/cases/{case.id}"
    plan = _first(select(Plan).where(Plan.case_id == case.id))
    goal = _first(select(Goal).where(Goal.plan_id == plan.id).order_by(Goal.id))
    action = _first(select(Action).join(Goal).where(Goal.plan_id == plan.id))
    score = _first(select(ScaleScore).join(Goal).where(Goal.plan_id == plan.id))
    version = _first(select(PlanVersion).where(PlanVersion.plan_id == plan.id))
    adult = _first(
        select(FamilyMember).where(
            FamilyMember.family_id == case.family_id, FamilyMember.role == MemberRole.PARENT
        )
    )
    person = _first(select(NetworkMember).where(NetworkMember.family_id == case.family_id))
    meeting = _first(select(NetworkMeeting).where(NetworkMeeting.case_id == case.id))
    s = f"{c}/safety/{concern.id}"
    signal = _first(select(Signal).where(Signal.concern_id == concern.id))
    condition = _first(select(Condition).where(Condition.concern_id == concern.id))
    safety_score = _first(select(SafetyScore).where(SafetyScore.concern_id == concern.id))
    note = _first(
        select(Note)
        .where(Note.case_id == case.id, Note.status == NoteStatus.FINAL)
        .order_by(Note.id)
    )
    draft = _first(select(Note).where(Note.status == NoteStatus.DRAFT))
    referral = _first(select(Referral).where(Referral.case_id == case.id))
    resource = _first(select(Resource).where(Resource.team_id == noord.id))
    review = _first(
        select(Review)
        .join(Case, Case.id == Review.case_id)
        .where(Case.team_id == noord.id, Review.status == ReviewStatus.WAITING)
    )
    items = select(DiscussionItem).join(Case).where(Case.team_id == noord.id)
    on_agenda = _first(items.where(DiscussionItem.status == ItemStatus.ON_AGENDA))
    discussed = _first(items.where(DiscussionItem.status == ItemStatus.DISCUSSED))
    meetings = select(CaseDiscussion).where(CaseDiscussion.team_id == noord.id)
    past = _first(meetings.where(CaseDiscussion.id == discussed.discussion_id))
    task = _first(
        select(Task)
        .join(Case, Case.id == Task.case_id)
        .join(User, User.id == Task.owner_id)
        .where(Case.team_id == noord.id, User.role == Role.PROFESSIONAL)
    )
    admin_user = pro
    key_figure = _first(select(KeyFigure).where(KeyFigure.team_id == noord.id))
    confided = _first(select(Signal).where(Signal.confided_by_id.is_not(None)))
    confided_concern = db.get(SafetyConcern, confided.concern_id)
    checked = _first(
        select(Action)
        .join(Goal)
        .join(Plan)
        .where(Plan.case_id == case.id, Action.check_by_id.is_not(None))
    )
    lead = _first(select(User).where(User.email == LEAD))
    ready_job, waiting_job = _print_jobs(case, lead)
    # A case that pro.noord neither leads nor shares: closing it is not hers to do (403).
    not_hers = _first(
        in_noord.where(
            Case.status != CaseStatus.CLOSED,
            Case.lead_id != pro.id,
            (Case.duo_id != pro.id) | Case.duo_id.is_(None),
        )
    )
    return {
        "login": "/login",
        "dashboard": "/dashboard",
        "cases": "/cases",
        "cases-all": "/cases?scope=team",
        "register-family": "/cases/new",
        "case": c,
        "case-closed": f"/cases/{closed.id}",
        "case-edit": f"{c}/edit",
        "case-close": f"{c}/close",  # refused: the case has an open safety concern
        "case-close-form": f"/cases/{closable.id}/close",
        "case-satisfaction": f"/cases/{closed.id}/satisfaction",  # answers and the form
        "family-edit": f"{c}/family/edit",
        "member-new": f"{c}/members/new",
        "member-edit": f"{c}/members/{adult.id}/edit",
        "social-ladder": f"{c}/members/{adult.id}/social-ladder",
        "new-case-for-closed": f"/cases/{closed.id}/new-case",
        "plan": f"{c}/plan",
        "plan-edit": f"{c}/plan/edit",
        "plan-version": f"{c}/plan/versions/{version.number}",
        "plan-changes": f"{c}/plan/changes",
        "plan-finalise": f"{c}/plan/finalise",
        "goal": f"{c}/plan/goals/{goal.id}",
        "goal-new": f"{c}/plan/goals/new",
        "goal-edit": f"{c}/plan/goals/{goal.id}/edit",
        "goal-status": f"{c}/plan/goals/{goal.id}/status",
        "goal-second-language": f"{c}/plan/goals/{goal.id}/second-language?lang=ar",
        "action-new": f"{c}/plan/goals/{goal.id}/actions/new",
        "action-edit": f"{c}/plan/actions/{action.id}/edit",
        "score-new": f"{c}/plan/goals/{goal.id}/scores/new",
        "score-edit": f"{c}/plan/scores/{score.id}/edit",
        "score-void": f"{c}/plan/scores/{score.id}/void",
        "ladder": f"{c}/plan/ladder",
        "regie": f"{c}/plan/regie",
        "success-new": f"{c}/plan/successes/new",
        "network": f"{c}/network",
        "network-member": f"{c}/network/{person.id}",
        "network-new": f"{c}/network/new",
        "network-edit": f"{c}/network/{person.id}/edit",
        "network-archive": f"{c}/network/{person.id}/archive",
        "meeting": f"{c}/network/meetings/{meeting.id}",
        "meeting-new": f"{c}/network/meetings/new",
        "meeting-follow-up": f"{c}/network/meetings/{meeting.id}/follow-up",
        "safety": f"{c}/safety",
        "safety-new": f"{c}/safety/new",
        "concern": s,
        "concern-edit": f"{s}/edit",
        "concern-close": f"{s}/close",
        "signal-new": f"{s}/signals/new",
        "signal-edit": f"{s}/signals/{signal.id}/edit",
        **{f"meldcode-step-{n}": f"{s}/steps/{n}" for n in (1, 2, 3, 4, 5)},
        "safety-map": f"{s}/map",
        "safety-score-new": f"{s}/scores/new",
        "safety-score-void": f"{s}/scores/{safety_score.id}/void",
        "condition-new": f"{s}/conditions/new",
        "condition-edit": f"{s}/conditions/{condition.id}/edit",
        "safety-team": "/safety",
        "notes": f"{c}/notes",
        "note-new": f"{c}/notes/new",
        "note": f"{c}/notes/{note.id}",
        "draft-note": f"/cases/{draft.case_id}/notes/{draft.id}/edit",
        "draft-author": db.get(User, draft.author_id).email,
        "task-owner": db.get(User, task.owner_id).email,
        "timeline": f"{c}/timeline",
        "search": "/search?q=school",
        "referrals": f"{c}/referrals",
        "referral": f"{c}/referrals/{referral.id}",
        "referral-new": f"{c}/referrals/new",
        "referral-edit": f"{c}/referrals/{referral.id}/edit",
        "follow-up": "/referrals",
        "resources": "/resources",
        "resources-filtered": "/resources?q=ouders",
        "resource": f"/resources/{resource.id}",
        "resource-new": "/resources/new",
        "resource-edit": f"/resources/{resource.id}/edit",
        "resource-import": "/resources/import",
        "review": f"/reviews/{review.id}",
        "discussions": "/discussions",
        "discussion-planned": f"/discussions/{on_agenda.discussion_id}",
        "discussion-held": f"/discussions/{past.id}",
        "discussion-new": "/discussions/new",
        "discussion-edit": f"/discussions/{on_agenda.discussion_id}/edit",
        "item-new": f"{c}/discussion-items/new",
        "item": f"/discussion-items/{discussed.id}",
        "item-edit": f"/discussion-items/{on_agenda.id}/edit",
        "outcome": f"/discussion-items/{on_agenda.id}/outcome",
        "postpone": f"/discussions/{on_agenda.discussion_id}/items/{on_agenda.id}/postpone",
        "audit": f"{c}/audit",
        "printouts": "/printouts",
        "print-plan": f"{c}/printouts/plan",
        "print-file": f"{c}/printouts/file",
        "printout-ready": f"{c}/printouts/{ready_job}",
        # Without the page's automatic check (a Refresh header) while axe looks at it.
        "printout-waiting": f"{c}/printouts/{waiting_job}?pause=1",
        "not-found": "/cases/999999",
        "forbidden": f"/cases/{not_hers.id}/close",
        "key-figures": "/key-figures",
        "key-figure": f"/key-figures/{key_figure.id}",
        "key-figure-new": "/key-figures/new",
        "key-figure-edit": f"/key-figures/{key_figure.id}/edit",
        "way-in-report": "/way-in",
        "case-way-in": f"{c}/way-in",
        "action-checked": f"{c}/plan/actions/{checked.id}/checked",
        "confidence": (
            f"/cases/{confided_concern.case_id}/safety/{confided_concern.id}"
            f"/signals/{confided.id}/confidence"
        ),
        # The team lead's outcome overview: charts, their tables and the breakdown per
        # professional (a region that scrolls sideways).
        "outcomes": "/outcomes",
        "admin-users": "/admin/users",
        "admin-user-new": "/admin/users/new",
        "admin-user-edit": f"/admin/users/{admin_user.id}/edit",
        "admin-teams": "/admin/teams",
        "admin-team-new": "/admin/teams/new",
        "admin-team-edit": f"/admin/teams/{noord.id}/edit",
    }


@pytest.fixture(scope="module")
def seeded(app: Flask) -> Iterator[Seeded]:
    _wipe(app)
    with app.test_request_context():
        summary = load_seed(SEED_FILE)
        assert db.scalar(select(func.count(User.id)).where(User.role == Role.ADMIN))
        urls = _urls()
    yield Seeded(password=summary.password, urls=urls)
    _wipe(app)


@pytest.fixture(scope="module")
def as_user(browser, live_server, seeded) -> Iterator[Callable[[str | None], Any]]:
    """A logged-in page per account (axe contexts: CSP bypassed), reused across the module."""
    with logged_in_pages(browser, live_server, seeded.password, bypass_csp=True) as get:
        yield get


# (who, page name, expected HTTP status). Who: "lead", "pro", "admin", "anon", or a seeded
# account found in _urls(): "draft-author", "task-owner".
PAGES: list[Any] = [
    ("anon", "login", 200),
    ("pro", "dashboard", 200),
    ("lead", "dashboard", 200),
    ("task-owner", "dashboard", 200),  # "my week" with tasks from a case discussion
    ("pro", "cases", 200),
    ("lead", "cases-all", 200),
    ("pro", "register-family", 200),
    *[
        ("lead", name, 200)
        for name in (
            "case",
            "case-closed",
            "case-edit",
            "case-close",
            "case-close-form",
            "case-satisfaction",
            "family-edit",
            "member-new",
            "member-edit",
            "social-ladder",
            "new-case-for-closed",
            "plan",
            "plan-edit",
            "plan-version",
            "plan-changes",
            "plan-finalise",
            "goal",
            "goal-new",
            "goal-edit",
            "goal-status",
            "goal-second-language",
            "action-new",
            "action-edit",
            "score-new",
            "score-edit",
            "score-void",
            "ladder",
            "regie",
            "success-new",
            "network",
            "network-member",
            "network-new",
            "network-edit",
            "network-archive",
            "meeting",
            "meeting-new",
            "meeting-follow-up",
            "safety",
            "safety-new",
            "concern",
            "concern-edit",
            "concern-close",
            "signal-new",
            "signal-edit",
            "meldcode-step-1",
            "meldcode-step-2",
            "meldcode-step-3",
            "meldcode-step-4",
            "meldcode-step-5",
            "safety-map",
            "safety-score-new",
            "safety-score-void",
            "condition-new",
            "condition-edit",
            "safety-team",
            "notes",
            "note-new",
            "note",
            "timeline",
            "search",
            "referrals",
            "referral",
            "referral-new",
            "referral-edit",
            "follow-up",
            "resources",
            "resources-filtered",
            "resource",
            "resource-new",
            "resource-edit",
            "resource-import",
            "review",
            "audit",
            "printouts",
            "print-plan",
            "print-file",
            "printout-ready",
            "printout-waiting",
            "discussions",
            "discussion-planned",
            "discussion-held",
            "discussion-new",
            "discussion-edit",
            "item-new",
            "item",
            "item-edit",
            "postpone",
        )
    ],
    ("lead", "outcome", 200),
    ("lead", "outcomes", 200),
    *[
        (who, name, 200)
        for who, name in (
            ("pro", "key-figures"),
            ("pro", "key-figure"),
            ("pro", "key-figure-new"),
            ("pro", "key-figure-edit"),
            ("lead", "way-in-report"),
            ("pro", "case-way-in"),
            ("pro", "action-checked"),
            ("lead", "confidence"),
        )
    ],
    ("draft-author", "draft-note", 200),
    ("pro", "not-found", 404),
    ("pro", "forbidden", 403),
    *[
        ("admin", name, 200)
        for name in (
            "admin-users",
            "admin-user-new",
            "admin-user-edit",
            "admin-teams",
            "admin-team-new",
            "admin-team-edit",
        )
    ],
]


def _email(who: str, seeded: Seeded) -> str | None:
    if who in ("draft-author", "task-owner"):
        return seeded.urls[who]
    return {"lead": LEAD, "pro": PRO, "admin": ADMIN, "anon": None}[who]


def _page_id(entry: Any) -> str:
    who, name, _ = entry.values if hasattr(entry, "values") else entry
    return f"{who}-{name}"


@pytest.mark.parametrize(("who", "name", "status"), PAGES, ids=[_page_id(p) for p in PAGES])
def test_page_has_no_serious_accessibility_violations(
    who, name, status, axe_js, as_user, live_server, seeded
):
    page = as_user(_email(who, seeded))
    response = page.goto(live_server + seeded.urls[name])
    assert response is not None and response.status == status, (name, page.url)
    assert page.locator("h1").count() == 1, f"{name}: one h1 per page"
    assert_accessible(page, axe_js, name)


# Recorded in the page before any of its own scripts run: what the Content-Security-Policy
# refused (an inline script or style attribute, a resource from elsewhere).
_WATCH_CSP = """
window.__refused = [];
document.addEventListener('securitypolicyviolation', e => {
    window.__refused.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' +
        (e.sourceFile || '') + ':' + e.lineNumber);
});
"""


# Text that keeps its line breaks (white-space: pre-wrap, as .facts dd has for what people
# wrote) shows the template's own line breaks and indentation too: a blank line or a text
# pushed to the right. Lists the text nodes that hold such white space: a line break with
# nothing else, or followed by indentation, or indentation at the start.
_TEMPLATE_WHITE_SPACE = """() => {
    const found = [];
    const keeps = ['pre', 'pre-wrap', 'pre-line', 'break-spaces'];
    const own = ['SELECT', 'OPTION', 'TEXTAREA', 'SCRIPT', 'STYLE', 'TEMPLATE'];
    for (const el of document.body.querySelectorAll('*')) {
        if (own.includes(el.tagName) || !keeps.includes(getComputedStyle(el).whiteSpace)) continue;
        for (const node of el.childNodes) {
            const text = node.nodeType === 3 ? node.textContent : '';
            const blank = /^\\s*$/.test(text) && text.includes('\\n');
            const indented = /\\n[ \\t]{2,}/.test(text)
                || (node === el.firstChild && /^\\s{2,}/.test(text));
            if (blank || indented) {
                found.push(`${el.tagName.toLowerCase()}.${el.className}: ${JSON.stringify(text)}` +
                    ` in "${el.textContent.trim().slice(0, 60)}"`);
            }
        }
    }
    return found;
}"""


@pytest.fixture(scope="module")
def as_user_with_csp(browser, live_server, seeded) -> Iterator[Callable[[str | None], Any]]:
    """A logged-in page per account with the Content-Security-Policy on, as users have it."""
    watched: set[int] = set()
    with logged_in_pages(browser, live_server, seeded.password) as get:

        def watched_page(email: str | None) -> Any:
            page = get(email)
            if id(page) not in watched:  # from the next page it loads on
                page.context.add_init_script(_WATCH_CSP)
                watched.add(id(page))
            return page

        yield watched_page


def _page_problems(page, go: Callable[[], Any]) -> list[str]:
    """Load the page with `go` and return what went wrong in it besides its own status: a
    script error, a resource that failed or answered 4xx/5xx (a stylesheet, a script, an
    icon), a console error that is not about such a resource, what the CSP refused, template
    white space shown, words run together, and stored values in a history card."""
    problems: list[str] = []

    def on_response(response: Any) -> None:
        if response.status >= 400 and not response.request.is_navigation_request():
            problems.append(f"{response.status} {response.url}")

    def on_console(message: Any) -> None:
        # A failed load is reported by on_response, with its address; this one has none.
        if message.type == "error" and "Failed to load resource" not in message.text:
            problems.append(f"console: {message.text}")

    def on_failed(request: Any) -> None:
        # Aborted: the page was left before it came (the icon, which loads after the page).
        if "ERR_ABORTED" not in (request.failure or ""):
            problems.append(f"failed: {request.url} ({request.failure})")

    handlers = {
        "pageerror": lambda error: problems.append(f"script error: {error}"),
        "requestfailed": on_failed,
        "response": on_response,
        "console": on_console,
    }
    for event, handler in handlers.items():
        page.on(event, handler)
    try:
        response = go()
        page.wait_for_load_state("load")
        problems += [f"CSP refused: {each}" for each in page.evaluate("window.__refused || []")]
        problems += [
            f"template white space shown: {each}" for each in page.evaluate(_TEMPLATE_WHITE_SPACE)
        ]
        main = page.locator("main")
        text = main.inner_text() if main.count() else ""
        for joined in re.findall(r"\w*[a-zà-ÿ][.:;,)][A-Z][a-zà-ÿ]+", text):
            problems.append(f"words run together: {joined}")  # a space lost between tags
        for card in page.locator("section[aria-labelledby=history-heading]").all_inner_texts():
            raw = re.findall(r"\b[a-z]+_[a-z_]+:|\bNone\b|\b\d{4}-\d{2}-\d{2}\b", card)
            if raw:  # a stored field name or value instead of the form's words
                problems.append(f"history shows stored values {raw}: {card[:200]}")
    finally:
        for event, handler in handlers.items():
            page.remove_listener(event, handler)
    return problems if response is not None else ["no response", *problems]


@pytest.mark.parametrize(("who", "name", "status"), PAGES, ids=[_page_id(p) for p in PAGES])
def test_page_loads_cleanly_under_its_security_policy(
    who, name, status, as_user_with_csp, live_server, seeded
):
    """Every main page, with the CSP as users have it: no script error, nothing the policy
    refuses, no resource that fails; no line break or indentation of a template shown in
    text that keeps its line breaks; no stored field name or value in a history card; no
    two words run together because a template lost the space between them."""
    page = as_user_with_csp(_email(who, seeded))
    problems = _page_problems(page, lambda: page.goto(live_server + seeded.urls[name]))
    assert not problems, f"{name} ({page.url}):\n" + "\n".join(problems)


def test_the_clean_load_check_catches_problems(as_user_with_csp, live_server, seeded):
    """The check above is not vacuous: an inline style, an inline script, a missing image,
    a script error, an indented line in a fact, a stored value in a history card and two
    words run together put into a real page are each reported."""
    page = as_user_with_csp(None)
    page.goto(f"{live_server}/login")

    def spoil() -> Any:
        page.evaluate(
            """() => {
                const main = document.querySelector('main');
                main.insertAdjacentHTML('beforeend',
                    '<p style="color:red">x</p><img src="/static/none.png" alt="">' +
                    '<dl class="facts"><dt>a</dt><dd>\\n      b</dd><dt>c</dt><dd>    d</dd></dl>' +
                    '<section aria-labelledby="history-heading"><h2 id="history-heading">x</h2>' +
                    '<p>reviewed_on: None</p></section><p>Staat erin.<a href="#">Wijzigen</a></p>');
                const script = document.createElement('script');
                script.textContent = 'window.__ran = true;';
                document.body.appendChild(script);
                setTimeout(() => { throw new Error('broken on purpose'); }, 0);
            }"""
        )
        page.wait_for_timeout(300)
        return True

    problems = "\n".join(_page_problems(page, spoil))
    assert "404 " in problems and "/static/none.png" in problems, problems
    assert "CSP refused: style-src" in problems, problems
    assert "CSP refused: script-src" in problems, problems
    assert "script error: " in problems and "broken on purpose" in problems, problems
    assert page.evaluate("window.__ran") is None  # the policy did stop the script
    assert 'template white space shown: dd.: "\\n      b"' in problems, problems
    assert 'template white space shown: dd.: "    d"' in problems, problems
    assert "history shows stored values ['reviewed_on:', 'None']" in problems, problems
    assert "words run together: erin.Wijzigen" in problems, problems


# The words of a table's headings that the browser split over two lines (hyphens aside).
_SPLIT_TABLE_WORDS = """() => {
    const split = [];
    for (const cell of document.querySelectorAll('main th, main .table-scroll td')) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const m of node.textContent.matchAll(/[^\\s-]+/g)) {
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                const lines = new Set([...range.getClientRects()]
                    .filter(r => r.width > 0).map(r => Math.round(r.top)));
                if (lines.size > 1) split.push(m[0]);
            }
        }
    }
    return split;
}"""
# Each list table's scroll box: whether it scrolls, and what table-scroll.js made of it.
_TABLE_BOXES = """() => [...document.querySelectorAll('main .table-scroll')].map(box => ({
    scrolls: box.scrollWidth > box.clientWidth + 1,
    tabindex: box.getAttribute('tabindex'),
    role: box.getAttribute('role'),
    label: box.getAttribute('aria-label'),
    tables: box.querySelectorAll('table').length,
}))"""
TABLE_PAGES = ["cases", "resources", "network", "referrals", "follow-up", "goal", "safety-team"]


@pytest.mark.parametrize("name", TABLE_PAGES)
def test_tables_keep_their_words_whole_on_a_tablet(name, as_user, live_server, seeded):
    """At 768 px the tables broke words mid-word, headings ("Wa/nn/ee/r", "Casusregis/seur")
    and cells ("Vertrouwens/persoon") alike: the page-wide rule that lets a long word wrap
    anywhere also let columns shrink to a letter. A table keeps its words whole; a list table
    wider than the screen scrolls in its own box, which Tab then reaches under a name, and
    the page stays as wide as the window."""
    page = as_user(LEAD)
    page.set_viewport_size({"width": 768, "height": 900})
    try:
        page.goto(live_server + seeded.urls[name])
        assert page.locator("main th").count() > 0, f"{name} has no table"
        assert page.evaluate(_SPLIT_TABLE_WORDS) == [], name
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 768, f"{name} is {wide} px wide"
        boxes = page.evaluate(_TABLE_BOXES)
        assert boxes, f"{name}: its list table is not in a scroll box"
        for box in boxes:
            assert box["tables"] == 1, box
            if box["scrolls"]:
                assert (box["tabindex"], box["role"]) == ("0", "region"), (name, box)
                assert box["label"], (name, box)
            else:
                assert (box["tabindex"], box["role"], box["label"]) == (None, None, None), box
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})


def test_a_wide_table_scrolls_in_its_own_box(as_user, live_server, seeded):
    """The catalogue at 768 px is wider than the screen: its box scrolls, Tab reaches it, the
    arrow keys scroll it, and it is named after the page's heading. Made wide enough again, the
    same box is no tab stop and no landmark (no extra Tab for every table on a desktop)."""
    page = as_user(LEAD)
    page.set_viewport_size({"width": 768, "height": 900})
    try:
        page.goto(live_server + seeded.urls["resources"])
        box = page.locator("main .table-scroll").first
        assert page.evaluate(_TABLE_BOXES)[0]["scrolls"], "the catalogue fits: pick a wider table"
        heading = page.locator("main h1").inner_text().strip()
        assert box.get_attribute("aria-label") == f"Tabel: {heading}"
        box.focus()
        assert page.evaluate("document.activeElement.classList.contains('table-scroll')")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "document.querySelector('main .table-scroll').scrollLeft > 0", timeout=2000
        )
        page.set_viewport_size({"width": 1600, "height": 900})
        page.wait_for_function(
            "!document.querySelector('main .table-scroll').hasAttribute('tabindex')",
            timeout=2000,
        )
        assert page.evaluate(_TABLE_BOXES)[0] == {
            "scrolls": False,
            "tabindex": None,
            "role": None,
            "label": None,
            "tables": 1,
        }
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})


@pytest.mark.parametrize("name", ["network", "cases", "resources"])
def test_a_list_tables_cells_are_named_on_a_phone(name, as_user, live_server, seeded):
    """At 390 px a list table is a card per row and its headings are hidden: each cell but
    the row's first shows its column's name ("Hoe dichtbij: Dichtbij"), not a bare
    "Ertussenin" nobody can place."""
    page = as_user(LEAD)
    page.set_viewport_size({"width": 390, "height": 900})
    try:
        page.goto(live_server + seeded.urls[name])
        shown = page.evaluate(
            """() => {
                const table = document.querySelector('main .table-scroll table.list');
                const names = [...table.querySelectorAll('thead th')].map(
                    th => th.textContent.trim());
                const row = table.querySelector('tbody tr');
                return {
                    headings: getComputedStyle(table.querySelector('thead')).display,
                    cells: [...row.cells].map((cell, i) => [names[i],
                        getComputedStyle(cell, '::before').content]),
                };
            }"""
        )
        assert shown["headings"] == "none", shown
        first, *others = shown["cells"]
        assert first[1] == "none", first  # the row's name needs no label
        assert others, shown
        for heading, before in others:
            if heading:
                assert before == f'"{heading}: "', (name, heading, before)
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_pages_say_their_language(lang, as_user, live_server, seeded):
    page = as_user(None)
    page.goto(f"{live_server}/login")
    page.click(f"button[value={lang}]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == lang
    page.click("button[value=nl]")  # leave the shared anonymous page in Dutch


def test_validation_errors_are_announced(axe_js, as_user, live_server, seeded):
    page = as_user(PRO)
    page.goto(f"{live_server}/cases/new")
    page.click("#submit")
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    invalid = page.locator("[aria-invalid=true]")
    assert invalid.count() >= 2
    for i in range(invalid.count()):
        field = invalid.nth(i)
        described = (field.get_attribute("aria-describedby") or "").split()
        # Every id it points at exists, and one of them holds the error text.
        texts = [page.locator(f"[id='{ident}']").inner_text() for ident in described]
        assert any(t.strip() for t in texts), field.get_attribute("id")
        assert all(page.locator(f"[id='{ident}']").count() == 1 for ident in described)
    assert_accessible(page, axe_js, "register family with errors")


def test_conflict_page_is_accessible(axe_js, as_user, live_server, seeded):
    lead, pro = as_user(LEAD), as_user(PRO)
    url = live_server + seeded.urls["family-edit"]
    lead.goto(url)
    pro.goto(url)
    pro.fill("#context", "Eerst opgeslagen door Sanne.")
    pro.click("button[type=submit].primary")
    pro.wait_for_url(lambda u: u.endswith(seeded.urls["case"]))
    lead.fill("#context", "Tegelijk geschreven door Marloes.")
    with lead.expect_response(lambda r: r.request.method == "POST") as posted:
        lead.click("button[type=submit].primary")
    assert posted.value.status == 409
    assert lead.locator(".conflict").is_visible()
    assert_accessible(lead, axe_js, "conflict page")


def test_the_check_catches_violations(axe_js, as_user, live_server, seeded):
    """The assertion above is not vacuous: known faults put into a real page are reported."""
    page = as_user(None)
    page.goto(f"{live_server}/login")
    page.evaluate(
        """() => {
            const main = document.querySelector('main');
            main.insertAdjacentHTML('beforeend',
                '<h4>Te diep</h4><p style="color:#bbb">Vaag</p><img src="/static/none.png">');
        }"""
    )
    with pytest.raises(AssertionError) as failed:
        assert_accessible(page, axe_js, "login with faults")
    message = str(failed.value)
    for rule in ("image-alt (critical)", "color-contrast (serious)", "heading-order"):
        assert rule in message
