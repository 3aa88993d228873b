"""The family's plan on paper ('Ons plan') and the family's own file (inzage), as PDF/JSON.

Documents are made by the queue worker, never in the web worker: asking for one is a POST that
creates a print job and leads to its page, which shows how far it is (and refreshes itself
while it waits) and then offers the download. "My printouts" lists the user's jobs. Every look
at a job checks again that its owner may still see the case; a job is only for who asked."""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import quote

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from wijkteam.audit.services import record
from wijkteam.cases.models import Case
from wijkteam.core.db import db
from wijkteam.core.permissions import can_view_family_file
from wijkteam.jobs import services
from wijkteam.jobs.models import JobKind, PrintJob
from wijkteam.plans.models import Plan
from wijkteam.plans.queries import load_plan
from wijkteam.plans.services import draft_changed
from wijkteam.printout import wording
from wijkteam.printout.forms import FilePrintForm, PlanPrintForm
from wijkteam.printout.paper import css_string
from wijkteam.web.helpers import actor, require_login
from wijkteam.web.loaders import get_case_or_404

bp = Blueprint("printout", __name__)
# For templates/printout/_paper.html (page_style): words put inside the print stylesheet.
bp.add_app_template_filter(css_string, "css_string")

# Seconds between the automatic checks of a job page while the printout is being made.
REFRESH_SECONDS = 3
# What the audit log says when a document is downloaded, per kind of job.
AUDIT_ACTIONS = {
    JobKind.PLAN_PDF: "print.plan",
    JobKind.FILE_PDF: "export.file_pdf",
    JobKind.FILE_JSON: "export.file_json",
}


@bp.record_once
def _queue_mode(state: Any) -> None:
    """Tests make printouts at once, inside the request (huey's immediate mode)."""
    if state.app.config.get("TESTING") and state.app.config.get("JOBS_IMMEDIATE", True):
        from wijkteam.jobs.queue import huey

        huey.immediate = True


require_login(bp)


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    # Headers travel as latin-1: the family's name (Yılmaz) goes in filename* (RFC 6266),
    # with a plain ASCII name for old browsers.
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def audit_detail(options: dict[str, Any]) -> str:
    """What the audit row of a print says about it: language (two-language or not), reader,
    version."""
    keys = ("lang", "bilingual", "reader", "version")
    return " ".join(f"{k}={options[k]}" for k in keys if options.get(k))


def _start(case: Case, kind: JobKind, options: dict[str, Any]) -> Response:
    """Create (or reuse) the print job, put it in line, and show its page."""
    user = actor()
    try:
        requested = services.request_job(user, case, kind, options)
    except services.TooManyJobs as error:
        db.rollback()
        flash(str(error), "info")
        return redirect(url_for("printout.mine"), 303)
    db.commit()
    if requested.new and not services.enqueue(requested.job):
        flash(str(services.FAILURES["not_queued"]), "info")
    return redirect(url_for("printout.job", case_id=case.id, job_id=requested.job.id), 303)


def _plan_form(case: Case) -> tuple[PlanPrintForm, Plan | None]:
    plan = load_plan(case)
    form = PlanPrintForm()
    agreed = plan.versions[-1] if plan is not None and plan.versions else None
    form.for_case(
        case,
        agreed=(agreed.number, wording.paper_date(agreed.agreed_on)) if agreed else None,
        differs=plan is None or draft_changed(plan),
    )
    return form, plan


@bp.route("/cases/<int:case_id>/printouts/plan", methods=["GET", "POST"])
def new_plan(case_id: int) -> Response | str | tuple[str, int]:
    """Ask for 'Ons plan' (or, for a closed case, the closing letter): choose who it is for,
    the agreed version or the proposal, the language and who else gets it."""
    case = get_case_or_404(case_id, actor(), log_view=request.method == "GET")
    form, plan = _plan_form(case)
    if plan is None or not plan.goals:
        flash(
            _(
                "There is nothing to print yet: start the plan and write down at least one goal "
                "with the family."
            ),
            "info",
        )
        return redirect(url_for("plans.show", case_id=case.id), 303)
    if form.validate_on_submit():
        return _start(case, JobKind.PLAN_PDF, form.options())
    html = render_template("printout/plan_form.html", case=case, plan=plan, form=form)
    return (html, 422) if form.is_submitted() else html


@bp.route("/cases/<int:case_id>/printouts/file", methods=["GET", "POST"])
def new_file(case_id: int) -> Response | str | tuple[str, int]:
    """Ask for the family's file as a reader of the family may see it (inzage), as PDF or
    JSON, in a chosen language."""
    user = actor()
    case = get_case_or_404(case_id, user, log_view=request.method == "GET")
    if not can_view_family_file(user, case):
        abort(403)
    form = FilePrintForm()
    form.for_case(case)
    if form.validate_on_submit():
        kind = JobKind.FILE_JSON if form.format.data == "json" else JobKind.FILE_PDF
        return _start(case, kind, form.options())
    html = render_template("printout/file_form.html", case=case, form=form)
    return (html, 422) if form.is_submitted() else html


def _own_job(case_id: int, job_id: int) -> tuple[Case, PrintJob]:
    """The user's own job of a case they may (still) have it of; 404 for anything else, as for
    a case or job that does not exist."""
    user = actor()
    case = get_case_or_404(case_id, user, log_view=False)
    job = db.get(PrintJob, job_id)
    if (
        job is None
        or job.case_id != case.id
        or job.requested_by_id != user.id
        or not services.may_have(user, case, job.kind)
    ):
        abort(404)
    return case, job


@bp.get("/cases/<int:case_id>/printouts/<int:job_id>")
def job(case_id: int, job_id: int) -> Response | str:
    """How far a printout is; the download once it is ready."""
    case, the_job = _own_job(case_id, job_id)
    automatic = request.args.get("auto") == "1"
    if not automatic:
        # The page names the family: a view of the case. Its automatic checks are not logged
        # again (they would fill the family's access log with one row per few seconds).
        record(actor(), "case.view", case_id=case.id, obj=case, detail="printout")
        db.commit()
    state = services.view(the_job)
    paused = request.args.get("pause") == "1"
    html = render_template(
        "printout/job.html",
        case=case,
        job=the_job,
        state=state,
        paused=paused,
        refresh_seconds=REFRESH_SECONDS,
        result_hours=services.RESULT_HOURS,
    )
    response = Response(html, mimetype="text/html")
    if state.in_progress and not paused:
        again = url_for("printout.job", case_id=case.id, job_id=the_job.id, auto=1)
        response.headers["Refresh"] = f"{REFRESH_SECONDS}; url={again}"
    return response


@bp.get("/cases/<int:case_id>/printouts/<int:job_id>/download")
def download(case_id: int, job_id: int) -> Response:
    """The finished document, as an attachment; every download is audited."""
    case, the_job = _own_job(case_id, job_id)
    body = None
    if services.view(the_job).ready:
        body = db.scalar(select(PrintJob.body).where(PrintJob.id == the_job.id))
    if body is None:  # not ready (yet), failed or expired: its page says which
        return redirect(url_for("printout.job", case_id=case.id, job_id=the_job.id))
    detail = audit_detail(the_job.options)
    record(actor(), AUDIT_ACTIONS[the_job.kind], case_id=case.id, obj=case, detail=detail)
    db.commit()
    return _download(body, the_job.mimetype, the_job.filename)


@bp.get("/printouts")
def mine() -> str:
    """The user's own printouts of the last days, with their state and downloads."""
    return render_template(
        "printout/mine.html",
        jobs=services.my_jobs(actor()),
        keep_days=services.KEEP_DAYS,
        result_hours=services.RESULT_HOURS,
    )
