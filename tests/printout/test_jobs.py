"""Print jobs: made outside the request, for the person who asked only, checked again at every
look, audited, limited per person, and gone after their time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from tests.conftest import last_audit_id
from tests.printout.conftest import ask_file, ask_plan, fetch, pdf_text, print_file
from wijkteam.audit.models import AuditEvent
from wijkteam.audit.services import record
from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core.db import db
from wijkteam.jobs import services
from wijkteam.jobs.models import JobKind, JobStatus, PrintJob
from wijkteam.jobs.worker import run_job


def job_url(resp) -> str:
    assert resp.status_code == 303, resp.status_code
    return resp.headers["Location"]


def the_job(app, job_id: int) -> PrintJob:
    with app.app_context():
        job = db.get(PrintJob, job_id)
        db.expunge_all()
        return job


def queued_job(app, user_id: int, case_id: int, kind=JobKind.PLAN_PDF, lang="nl") -> int:
    """A job as asked for with the form's defaults, but not (yet) taken by a worker."""
    options = {"lang": lang, "reader": "parents"}
    if kind == JobKind.PLAN_PDF:
        options |= {"version": "proposal", "copies_to": ""}
    with app.test_request_context():
        user, case = db.get(User, user_id), db.get(Case, case_id)
        requested = services.request_job(user, case, kind, options)
        db.commit()
        return requested.job.id


def audit_rows(app, case_id: int, since: int = 0) -> list[tuple[str, int, str]]:
    with app.app_context():
        return [
            tuple(row)
            for row in db.execute(
                select(AuditEvent.action, AuditEvent.user_id, AuditEvent.detail)
                .where(AuditEvent.case_id == case_id, AuditEvent.id > since)
                .order_by(AuditEvent.id)
            )
        ]


def add_audit_rows(app, case_id: int, rows: list[tuple[int, str, datetime]]) -> None:
    """Audit rows of the case at given moments, written the way the app writes them."""
    with app.test_request_context():
        users = {u.id: u for u in db.scalars(select(User))}
        for user_id, action, at in rows:
            record(users[user_id], action, case_id=case_id).at = at
        db.commit()


def test_asking_is_a_post_and_the_old_get_urls_are_gone(client, full_case):
    client.login("pro.noord@test.example")
    for url in (f"/cases/{full_case}/printouts/plan", f"/cases/{full_case}/printouts/file"):
        assert client.get(url).status_code == 200  # the form with the choices, nothing made
    for old in ("plan/print.pdf", "file.pdf", "file.json"):
        assert client.get(f"/cases/{full_case}/{old}").status_code == 404
    # Without the form's CSRF token nothing is made.
    assert client.post(f"/cases/{full_case}/printouts/plan", data={"lang": "nl"}).status_code in (
        400,
        303,
    )
    with client.application.app_context():
        assert db.scalar(select(func.count(PrintJob.id))) == 0


def test_the_job_page_then_the_download(app, client, full_case, world):
    client.login("pro.noord@test.example")
    client.english()
    url = job_url(ask_plan(client, full_case, "en"))
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert "Your printout is ready." in html and "Refresh" not in page.headers
    assert f"{url}/download" in html
    assert "'Our plan' (PDF, English)" in html
    download = client.get(f"{url}/download")
    assert download.mimetype == "application/pdf"
    assert "Our plan" in pdf_text(download.data)
    listed = client.get("/printouts").get_data(as_text=True)
    assert url in listed and f"{url}/download" in listed and "Bakker" in listed


def test_only_who_asked_sees_the_job(app, client, other_client, full_case, world):
    client.login("pro.noord@test.example")
    url = job_url(ask_file(client, full_case, "json"))
    since = last_audit_id(app)
    for email in ("pro2.noord@test.example", "lead.noord@test.example"):
        other_client.login(email)
        assert other_client.get(url).status_code == 404
        assert other_client.get(f"{url}/download").status_code == 404
        assert url not in other_client.get("/printouts").get_data(as_text=True)
        other_client.logout()
    other_client.login("pro.zuid@test.example")  # another team: like a missing case
    assert other_client.get(url).status_code == 404
    assert other_client.get(f"{url}/download").status_code == 404
    rows = audit_rows(app, full_case, since)
    assert [a for a, *_ in rows] == ["access.denied"] * 4 + ["case.denied"] * 2
    assert not [r for r in rows if r[0].startswith(("print.", "export."))]


def test_a_job_id_under_another_case_is_missing(app, client, full_case, world):
    other_case = world.case(world.pro_noord, name="Ander")
    client.login("pro.noord@test.example")
    url = job_url(ask_plan(client, full_case))
    job_id = url.rsplit("/", 1)[1]
    assert client.get(f"/cases/{other_case}/printouts/{job_id}").status_code == 404
    assert client.get(f"/cases/{other_case}/printouts/{job_id}/download").status_code == 404


def test_who_lost_access_to_the_case_loses_the_job(app, client, full_case, world):
    client.login("pro.noord@test.example")
    plan_url = job_url(ask_plan(client, full_case))
    file_url = job_url(ask_file(client, full_case, "pdf"))
    # The case lead is handed to a colleague: the family's file is no longer hers to fetch.
    with app.app_context():
        db.execute(update(Case).where(Case.id == full_case).values(lead_id=world.pro2_noord))
        db.commit()
    assert client.get(file_url).status_code == 404
    assert client.get(f"{file_url}/download").status_code == 404
    assert client.get(plan_url).status_code == 200  # the plan: any team member
    listed = client.get("/printouts").get_data(as_text=True)
    assert plan_url in listed and file_url not in listed
    # The case moves to another team: nothing of it is hers any more, exactly like a missing case.
    with app.app_context():
        db.execute(update(Case).where(Case.id == full_case).values(team_id=world.zuid))
        db.commit()
    since = last_audit_id(app)
    assert client.get(plan_url).status_code == 404
    assert client.get(f"{plan_url}/download").status_code == 404
    assert client.get(f"/cases/{full_case}/printouts/999999").status_code == 404
    assert [a for a, *_ in audit_rows(app, full_case, since)] == ["case.denied"] * 3
    assert plan_url not in client.get("/printouts").get_data(as_text=True)


def test_the_worker_checks_access_again(app, full_case, world):
    """Access lost between asking and making: nothing is made."""
    job_id = queued_job(app, world.pro_noord, full_case, JobKind.FILE_JSON)
    with app.app_context():
        db.execute(update(Case).where(Case.id == full_case).values(lead_id=world.pro2_noord))
        db.commit()
    with app.app_context():
        run_job(job_id)
    job = the_job(app, job_id)
    assert (job.status, job.error, job.size) == (JobStatus.FAILED, "no_access", 0)


def test_downloads_and_visits_are_audited_but_not_the_automatic_checks(
    app, client, full_case, world
):
    client.login("pro.noord@test.example")
    since = last_audit_id(app)
    url = job_url(ask_plan(client, full_case, "en"))
    client.get(url)
    client.get(f"{url}?auto=1")
    client.get(f"{url}?auto=1")
    client.get(f"{url}/download")
    client.get(f"{url}/download")
    rows = [r for r in audit_rows(app, full_case, since) if r[0] != "case.view" or r[2]]
    assert rows == [
        ("case.view", world.pro_noord, "printout"),
        ("print.plan", world.pro_noord, "lang=en reader=parents version=proposal"),
        ("print.plan", world.pro_noord, "lang=en reader=parents version=proposal"),
    ]


def test_waiting_page_refreshes_itself_until_it_is_ready(app, client, full_case, world):
    job_id = queued_job(app, world.pro_noord, full_case)
    client.login("pro.noord@test.example")
    client.english()
    url = f"/cases/{full_case}/printouts/{job_id}"
    page = client.get(url)
    assert page.headers["Refresh"] == f"3; url={url}?auto=1"
    assert "Your printout is waiting in line." in page.get_data(as_text=True)
    assert "Refresh" not in client.get(f"{url}?pause=1").headers
    # Not ready: the download leads back to the page that says so.
    assert client.get(f"{url}/download").headers["Location"] == url
    with app.app_context():
        run_job(job_id)
    assert "Refresh" not in client.get(url).headers
    assert client.get(f"{url}/download").mimetype == "application/pdf"


def test_an_identical_request_reuses_the_job_and_one_person_has_at_most_three(
    app, client, full_case, world
):
    first = queued_job(app, world.pro_noord, full_case, lang="nl")
    client.login("pro.noord@test.example")
    client.english()
    assert job_url(ask_plan(client, full_case, "nl")).endswith(f"/{first}")  # the same job
    queued_job(app, world.pro_noord, full_case, lang="en")
    queued_job(app, world.pro_noord, full_case, JobKind.FILE_PDF)
    resp = ask_file(client, full_case, "json")
    assert resp.headers["Location"] == "/printouts"
    assert "You already have 3 printouts being made" in client.get("/printouts").get_data(
        as_text=True
    )
    with app.app_context():
        assert db.scalar(select(func.count(PrintJob.id))) == 3
    # A colleague is not held up by her printouts.
    other = app.test_client()
    other.login("lead.noord@test.example")
    assert fetch(other, ask_file(other, full_case, "json")).mimetype == "application/json"


def test_a_job_that_never_started_does_not_block_new_ones(app, client, full_case, world):
    for lang in ("nl", "en"):
        queued_job(app, world.pro_noord, full_case, lang=lang)
    queued_job(app, world.pro_noord, full_case, JobKind.FILE_PDF)
    with app.app_context():
        db.execute(update(PrintJob).values(created_at=datetime.now(UTC) - services.GIVE_UP_WAITING))
        db.commit()
    client.login("pro.noord@test.example")
    assert print_file(client, full_case, "json").mimetype == "application/json"


def test_finished_documents_expire(app, client, full_case, world):
    client.login("pro.noord@test.example")
    client.english()
    url = job_url(ask_plan(client, full_case))
    job_id = int(url.rsplit("/", 1)[1])
    job = the_job(app, job_id)
    made = job.finished_at
    assert job.expires_at == made + timedelta(hours=services.RESULT_HOURS)
    # Past its time the document is not given out, also before the clean-up has run.
    with app.app_context():
        db.execute(update(PrintJob).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        db.commit()
    assert client.get(f"{url}/download").headers["Location"] == url
    assert "This printout has been removed" in client.get(url).get_data(as_text=True)
    with app.app_context():
        assert services.cleanup() == {"expired": 1, "lost": 0, "not_started": 0, "removed": 0}
        db.commit()
        assert db.scalar(select(PrintJob.body).where(PrintJob.id == job_id)) is None
        later = datetime.now(UTC) + timedelta(days=services.KEEP_DAYS)
        assert services.cleanup(later)["removed"] == 1
        db.commit()
    assert client.get(url).status_code == 404


def test_cleanup_gives_up_on_jobs_that_lost_their_worker(app, full_case, world):
    waiting = queued_job(app, world.pro_noord, full_case)
    running = queued_job(app, world.pro_noord, full_case, lang="en")
    long_ago = datetime.now(UTC) - services.LOST_AFTER - services.GIVE_UP_WAITING
    with app.app_context():
        db.execute(
            update(PrintJob)
            .where(PrintJob.id == running)
            .values(status=JobStatus.RUNNING, started_at=long_ago)
        )
        db.execute(update(PrintJob).values(created_at=long_ago))
        counts = services.cleanup()
        db.commit()
    assert counts == {"expired": 0, "lost": 1, "not_started": 1, "removed": 0}
    assert the_job(app, waiting).error == "not_started"
    assert the_job(app, running).error == "lost"


@pytest.mark.parametrize(
    ("problem", "code"),
    [("nothing", "nothing"), ("boom", "failed"), ("huge", "too_large"), ("timeout", "timeout")],
)
def test_a_failed_job_says_why(app, client, full_case, world, monkeypatch, problem, code):
    from huey.exceptions import TaskTimeout

    from wijkteam.printout import render

    def broken(job):
        if problem == "nothing":
            raise render.NothingToPrint
        if problem == "timeout":
            raise TaskTimeout("timeout (300s)")
        if problem == "huge":
            return render.Made(b"x" * (services.MAX_RESULT_BYTES + 1), "application/pdf", "x.pdf")
        raise RuntimeError("boom")

    monkeypatch.setattr(render, "render", broken)
    job_id = queued_job(app, world.pro_noord, full_case)
    with app.app_context():
        run_job(job_id)
    job = the_job(app, job_id)
    assert (job.status, job.error) == (JobStatus.FAILED, code)
    client.login("pro.noord@test.example")
    client.english()
    html = client.get(f"/cases/{full_case}/printouts/{job_id}").get_data(as_text=True)
    assert str(services.FAILURES[code]) in html


def test_a_broken_queue_gives_a_message_not_an_error(app, client, full_case, monkeypatch):
    from wijkteam.jobs import queue

    def down(job_id):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(queue, "render_printout", down)
    client.login("pro.noord@test.example")
    client.english()
    url = job_url(ask_plan(client, full_case))
    assert "the printing service is down" in client.get(url).get_data(as_text=True)


def test_the_family_file_pdf_summarises_the_access_log(app, client, full_case, world):
    """3,000 page views made the PDF list 3,000 lines (13.7 s); now one line per person per
    day, with what they did. The JSON keeps every line."""
    day = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
    add_audit_rows(
        app,
        full_case,
        [
            (
                world.pro2_noord if i % 3 else world.lead_noord,
                "case.view",
                day + timedelta(hours=i % 2 * 24, seconds=i),
            )
            for i in range(600)
        ],
    )
    client.login("pro.noord@test.example")
    text = " ".join(pdf_text(print_file(client, full_case, "pdf").data).split())
    # 9 and 10 March, Pro2 and Lead: four lines of views instead of 600.
    assert text.count("looked 200 times") == 0  # Dutch by default
    assert text.count("las het 200 keer") == 2, text[-1500:]
    assert text.count("las het 100 keer") == 2
    assert "Pro2 Noord" in text and "Lead Noord" in text
    listed = json.loads(print_file(client, full_case, "json").data)["access_log"]
    assert sum(1 for e in listed if e["kind"] == "viewed" and e["who"] == "Pro2 Noord") == 400


def test_the_access_summary_counts_kinds_per_person_per_day(app, full_case, world):
    from wijkteam.printout.access import Hidden, access_summary

    late = datetime(2026, 3, 9, 22, 30, tzinfo=UTC)  # 23:30 in Amsterdam: still 9 March
    rows = [
        ("case.view", late),
        ("case.view", late + timedelta(minutes=1)),
        ("goal.update", late + timedelta(minutes=2)),
        ("print.plan", late + timedelta(minutes=3)),
        ("case.view", late + timedelta(hours=2)),  # 01:30 on 10 March
    ]
    add_audit_rows(app, full_case, [(world.pro2_noord, action, at) for action, at in rows])
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("en"):
        case = db.get(Case, full_case)
        summary = [
            r
            for r in access_summary(case, Hidden(frozenset(), frozenset(), frozenset()))
            if r["who"] == "Pro2 Noord"
        ]
    assert [(str(r["date"]), r["counts"], r["changes"]) for r in summary] == [
        ("2026-03-09", {"viewed": 2, "changed": 1, "printed": 1, "refused": 0}, ["your plan"]),
        ("2026-03-10", {"viewed": 1, "changed": 0, "printed": 0, "refused": 0}, []),
    ]
