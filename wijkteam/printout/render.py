"""Making the documents of print jobs (in the queue worker): 'Ons plan' and the family's file."""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import render_template
from flask_babel import get_locale

from wijkteam.cases.models import Case
from wijkteam.core import clock
from wijkteam.jobs.models import JobKind, PrintJob
from wijkteam.printout.family_file import family_file
from wijkteam.printout.pdf import render_pdf
from wijkteam.printout.plan_paper import plan_paper


class NothingToPrint(Exception):
    """The plan has no goals (any more)."""


@dataclass
class Made:
    body: bytes
    mimetype: str
    filename: str


def filename(case: Case, what: str, ext: str) -> str:
    safe = "".join(ch for ch in case.family.name if ch.isalnum()) or "gezin"
    return f"{what}-{safe}-{case.id}.{ext}"


def render(job: PrintJob) -> Made:
    """The document a job asks for, made from the database as it is now, in the job's language
    (the caller sets it with force_locale)."""
    case = job.case
    locale = str(get_locale())
    if job.kind == JobKind.PLAN_PDF:
        content = plan_paper(case, job.options)
        if content is None:
            raise NothingToPrint
        html = render_template("printout/plan.html", **{**content, "current_locale": locale})
        what = "afsluitbrief" if case.is_closed else "ons-plan"
        return Made(render_pdf(html), "application/pdf", filename(case, what, "pdf"))
    if job.kind == JobKind.FILE_PDF:
        html = render_template(
            "printout/family_file.html",
            file=family_file(case, job.options, full_access_log=False),
            produced_on=clock.today(),
            current_locale=locale,
        )
        return Made(render_pdf(html), "application/pdf", filename(case, "dossier", "pdf"))
    body = json.dumps(family_file(case, job.options), ensure_ascii=False, indent=2).encode()
    return Made(body, "application/json", filename(case, "dossier", "json"))
