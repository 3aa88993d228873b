"""Making the documents of print jobs (in the queue worker): 'Ons plan' and the family's file."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import render_template
from flask_babel import force_locale, get_locale

from wijkteam.cases.models import Case
from wijkteam.core import clock
from wijkteam.jobs.models import JobKind, PrintJob
from wijkteam.printout import bilingual
from wijkteam.printout.family_file import family_file
from wijkteam.printout.languages import language
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
    (the caller sets it with force_locale). Two-language (options "bilingual", for a language
    other than Dutch): the Dutch of each text beneath it (printout/bilingual.py)."""
    case = job.case
    if job.kind == JobKind.PLAN_PDF:
        content = plan_paper(case, job.options)
        if content is None:
            raise NothingToPrint
        html = _html(
            "printout/plan.html",
            content,
            lambda options: plan_paper(case, options) or {},
            job.options,
        )
        what = "afsluitbrief" if case.is_closed else "ons-plan"
        return Made(render_pdf(html), "application/pdf", filename(case, what, "pdf"))
    if job.kind == JobKind.FILE_PDF:

        def file_content(options: dict[str, Any]) -> dict[str, Any]:
            return {
                "file": family_file(case, options, full_access_log=False),
                "produced_on": clock.today(),
            }

        html = _html(
            "printout/family_file.html", file_content(job.options), file_content, job.options
        )
        return Made(render_pdf(html), "application/pdf", filename(case, "dossier", "pdf"))
    body = json.dumps(family_file(case, job.options), ensure_ascii=False, indent=2).encode()
    return Made(body, "application/json", filename(case, "dossier", "json"))


def _html(
    template: str,
    content: dict[str, Any],
    again: Callable[[dict[str, Any]], dict[str, Any]],
    options: dict[str, Any],
) -> str:
    """The document's HTML from `content` in the current (print) language, with its direction;
    for a two-language print merged with the same document made again (`again`) in Dutch."""
    lang = language(str(get_locale()))
    html = render_template(template, **content, current_locale=lang.code, text_dir=lang.direction)
    if options.get("bilingual") and lang.code != "nl":
        with force_locale("nl"):
            dutch = render_template(
                template,
                **again({**options, "lang": "nl"}),
                current_locale="nl",
                text_dir="ltr",
            )
        html = bilingual.merge(html, dutch)
    return html
