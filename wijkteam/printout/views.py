"""The family's plan on paper ('Ons plan') and the family's own file (inzage), as PDF/JSON."""

from __future__ import annotations

import json
import unicodedata
from urllib.parse import quote

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from wijkteam.audit.services import record
from wijkteam.cases.models import Case
from wijkteam.cases.queries import get_case_or_404
from wijkteam.db import db
from wijkteam.permissions import can_view_family_file
from wijkteam.printout.content import family_file, plan_printout
from wijkteam.printout.pdf import render_pdf
from wijkteam.views_helpers import actor

bp = Blueprint("printout", __name__, url_prefix="/cases/<int:case_id>")


@bp.before_request
@login_required
def _require_login() -> None:
    """Printouts need a logged-in user."""


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    # Headers travel as latin-1: the family's name (Yılmaz) goes in filename* (RFC 6266),
    # with a plain ASCII name for old browsers.
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def _filename(case: Case, what: str, ext: str) -> str:
    safe = "".join(ch for ch in case.family.name if ch.isalnum()) or "gezin"
    return f"{what}-{safe}-{case.id}.{ext}"


@bp.route("/plan/print.pdf")
def plan_pdf(case_id: int) -> Response:
    """'Ons plan': the family's plan in plain words, to read, correct and sign."""
    user = actor()
    case = get_case_or_404(case_id, user, log_view=False)
    lang = request.args.get("lang", "")
    lang = lang if lang in current_app.config["LANGUAGES"] else "nl"
    content = plan_printout(case)
    if content is None:
        flash(
            _(
                "There is nothing to print yet: start the plan and write down at least one goal "
                "with the family."
            ),
            "info",
        )
        return redirect(url_for("plans.show", case_id=case.id))
    with force_locale(lang):
        html = render_template("printout/plan.html", current_locale=lang, **content)
    pdf = render_pdf(html)
    record(user, "print.plan", case_id=case.id, obj=case, detail=lang)
    db.commit()
    return _download(pdf, "application/pdf", _filename(case, "ons-plan", "pdf"))


def _family_file_case(case_id: int) -> Case:
    user = actor()
    case = get_case_or_404(case_id, user, log_view=False)
    if not can_view_family_file(user, case):
        abort(403)
    return case


@bp.route("/file.pdf")
def file_pdf(case_id: int) -> Response:
    """The family's file as the family may see it (inzage), as PDF."""
    case = _family_file_case(case_id)
    record(actor(), "export.file_pdf", case_id=case.id, obj=case)
    db.commit()
    html = render_template("printout/family_file.html", file=family_file(case))
    return _download(render_pdf(html), "application/pdf", _filename(case, "dossier", "pdf"))


@bp.route("/file.json")
def file_json(case_id: int) -> Response:
    """The family's file as the family may see it (inzage), as JSON."""
    case = _family_file_case(case_id)
    record(actor(), "export.file_json", case_id=case.id, obj=case)
    db.commit()
    body = json.dumps(family_file(case), ensure_ascii=False, indent=2).encode()
    return _download(body, "application/json", _filename(case, "dossier", "json"))
