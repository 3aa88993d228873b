"""The team's resource catalogue (sociale kaart) and referrals from a case."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from wijkteam.audit.history import revisions_of
from wijkteam.cases.models import Case
from wijkteam.cases.services import team_people
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.core.errors import FieldError
from wijkteam.core.permissions import can_edit_case
from wijkteam.resources import services
from wijkteam.resources.forms import (
    ArchiveResourceForm,
    ImportForm,
    ReferralForm,
    ResourceForm,
    StatusForm,
)
from wijkteam.resources.models import ReferralStatus, Resource, ResourceKind
from wijkteam.resources.picker import RESOURCES, offer_resources
from wijkteam.resources.queries import (
    catalogue,
    get_referral_or_404,
    get_resource_or_404,
    needing_follow_up,
    referrals_of_case,
    team_resources,
)
from wijkteam.web.forms import search_words, tri_state_choice
from wijkteam.web.helpers import Page, actor, form_page
from wijkteam.web.history import shown_history
from wijkteam.web.loaders import get_case_or_404
from wijkteam.web.picker import options_answer

bp = Blueprint("resources", __name__)


@bp.before_request
@login_required
def _require_team() -> None:
    """The catalogue belongs to a team: only its members use it. (Case pages answer through
    the case loader instead, with the same 404 as any case outside the user's team.)"""
    if actor().team_id is None and "case_id" not in (request.view_args or {}):
        abort(403)


def _resource_url(resource: Resource) -> str:
    return url_for("resources.show", resource_id=resource.id)


@bp.route("/resources")
def index() -> str:
    """The catalogue: search by words, filter by kind, language and cost."""
    user = actor()
    args = request.args
    q = search_words(args.get("q", ""))
    kind = args.get("kind", "")
    kind = kind if kind in {k.value for k in ResourceKind} else ""
    language = search_words(args.get("language", ""), 60)
    page = args.get("page", 1, type=int) or 1
    result = catalogue(
        user,
        q=q,
        kind=kind,
        language=language,
        free_only=bool(args.get("free")),
        archived=bool(args.get("archived")),
        page=page,
        per_page=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "resources/index.html",
        result=result,
        q=q,
        kind=kind,
        language=language,
        free=bool(args.get("free")),
        archived=bool(args.get("archived")),
        kinds=list(ResourceKind),
    )


@bp.route("/resources/new", methods=["GET", "POST"])
def new() -> Page:
    """Add a resource to the catalogue."""
    form = ResourceForm()
    return form_page(
        form,
        template="resources/form.html",
        context={"resource": None},
        save=lambda: services.add_resource(actor(), form.resource_data()),
        message=_("The resource is added to the catalogue."),
        done=_resource_url,
    )


@bp.route("/resources/<int:resource_id>")
def show(resource_id: int) -> str:
    """A catalogue entry."""
    resource = get_resource_or_404(actor(), resource_id)
    return render_template(
        "resources/show.html",
        resource=resource,
        history=shown_history(revisions_of(resource), Resource, ResourceForm, ArchiveResourceForm),
        archive_form=ArchiveResourceForm(data={"version": resource.version}),
    )


@bp.route("/resources/<int:resource_id>/edit", methods=["GET", "POST"])
def edit(resource_id: int) -> Page:
    """Change a catalogue entry."""
    resource = get_resource_or_404(actor(), resource_id)
    form = ResourceForm(obj=resource if request.method == "GET" else None)
    if request.method == "GET":
        form.languages.data = ", ".join(resource.languages)
    return form_page(
        form,
        template="resources/form.html",
        context={"resource": resource},
        save=lambda: services.update_resource(
            actor(), resource, expected_version=form.version.data, data=form.resource_data()
        ),
        message=_("The resource is saved."),
        done=lambda _r: _resource_url(resource),
        obj=resource,
        typed=form.resource_data,
    )


@bp.route("/resources/<int:resource_id>/archive", methods=["POST"])
def archive(resource_id: int) -> Page:
    """Archive (or bring back) a catalogue entry; it is never deleted."""
    resource = get_resource_or_404(actor(), resource_id)
    form = ArchiveResourceForm()
    if resource.is_archived:
        save = lambda: services.restore_resource(  # noqa: E731
            actor(), resource, expected_version=form.version.data
        )
    else:
        save = lambda: services.archive_resource(  # noqa: E731
            actor(),
            resource,
            expected_version=form.version.data,
            reason=form.archive_reason.data or "",
        )
    return form_page(
        form,
        template="resources/show.html",
        context={"resource": resource, "history": revisions_of(resource), "archive_form": form},
        save=save,
        message=_("The catalogue entry is saved."),
        done=lambda _r: _resource_url(resource),
        obj=resource,
        typed=lambda: {"archive_reason": form.archive_reason.data},
    )


@bp.route("/resources/options")
def options() -> Response:
    """The team's resources matching the words typed next to a resource field of a form (for
    static/picker.js; without the script the form's own search button does the same)."""
    return options_answer(RESOURCES, actor().team_id or 0)


@bp.route("/resources/export.csv")
def export() -> Response:
    """The catalogue as a CSV file (';'), for spreadsheets."""
    resources = team_resources(actor().team_id or 0)
    response = Response(services.export_csv(resources).encode("utf-8-sig"), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="sociale-kaart.csv"'
    return response


@bp.route("/resources/import", methods=["GET", "POST"])
def import_csv() -> Page:
    """Import a CSV file: every row is checked first, and with any error nothing is imported."""
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        try:
            report = services.import_csv(actor(), form.file.data.read())
        except FieldError as error:
            form.file.errors = [str(error.message)]
            return render_template("resources/import.html", form=form, report=None), 422
        if report.errors:
            db.rollback()
            return render_template("resources/import.html", form=form, report=report), 422
        db.commit()
        flash(
            _(
                "Imported: %(created)d new, %(updated)d updated.",
                created=report.created,
                updated=report.updated,
            ),
            "success",
        )
        return redirect(url_for("resources.index"))
    status = 422 if request.method == "POST" else 200
    return render_template("resources/import.html", form=form, report=report), status


# --- referrals ---------------------------------------------------------------------------


def _referral_choices(form: ReferralForm, case: Case) -> None:
    offer_resources(form.resource_id, case.team_id, label="contact")
    form.owner_id.choices = [
        SelectChoice("", "—"),
        *(SelectChoice(u.id, u.display_name) for u in team_people(case.team_id)),
    ]


@bp.route("/cases/<int:case_id>/referrals")
def case_referrals(case_id: int) -> str:
    """The referrals of a case, to and from resources."""
    user = actor()
    case = get_case_or_404(case_id, user)
    return render_template(
        "resources/case_referrals.html",
        case=case,
        referrals=referrals_of_case(case),
        can_edit=can_edit_case(user, case),
        today=clock.today(),
    )


@bp.route("/cases/<int:case_id>/referrals/new", methods=["GET", "POST"])
def new_referral(case_id: int) -> Page:
    """Refer the family to a resource, or record a referral from a resource."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    form = ReferralForm()
    _referral_choices(form, case)
    if request.method == "GET":
        form.owner_id.data = user.id
        form.resource_id.data = request.args.get("resource_id", type=int)
    return form_page(
        form,
        template="resources/referral_form.html",
        context={"case": case, "referral": None},
        save=lambda: services.add_referral(user, case, form.referral_data()),
        message=_("The referral is recorded."),
        done=lambda r: url_for("resources.referral", case_id=case.id, referral_id=r.id),
    )


@bp.route("/cases/<int:case_id>/referrals/<int:referral_id>", methods=["GET", "POST"])
def referral(case_id: int, referral_id: int) -> Page:
    """A referral with its dated history; the form records the next step in its life."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit" if request.method == "POST" else "view")
    the_referral = get_referral_or_404(case, referral_id)
    form = StatusForm()
    if request.method == "GET":
        form.version.data = the_referral.version
        form.changed_on.data = clock.today()
    return form_page(
        form,
        template="resources/referral.html",
        context={"case": case, "referral": the_referral, "can_edit": can_edit_case(user, case)},
        save=lambda: services.change_status(
            user,
            case,
            the_referral,
            expected_version=form.version.data,
            status=ReferralStatus(form.status.data),
            changed_on=form.changed_on.data or clock.today(),
            note=form.note.data or "",
        ),
        message=_("The referral's status is saved."),
        done=lambda _r: url_for("resources.referral", case_id=case.id, referral_id=the_referral.id),
        obj=the_referral,
        typed=lambda: {"status": form.status.data},
    )


@bp.route("/cases/<int:case_id>/referrals/<int:referral_id>/edit", methods=["GET", "POST"])
def edit_referral(case_id: int, referral_id: int) -> Page:
    """Change why, what the family wants, the owner or the follow-up date."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    the_referral = get_referral_or_404(case, referral_id)
    form = ReferralForm(obj=the_referral if request.method == "GET" else None)
    _referral_choices(form, case)
    if request.method == "GET":
        form.family_agreed.data = tri_state_choice(the_referral.family_agreed)
    return form_page(
        form,
        template="resources/referral_form.html",
        context={"case": case, "referral": the_referral},
        save=lambda: services.update_referral(
            user,
            case,
            the_referral,
            expected_version=form.version.data,
            data=form.referral_data(with_status=False),
        ),
        message=_("The referral is saved."),
        done=lambda _r: url_for("resources.referral", case_id=case.id, referral_id=the_referral.id),
        obj=the_referral,
        typed=lambda: form.referral_data(with_status=False),
    )


@bp.route("/referrals")
def follow_up() -> str:
    """Referrals that need a follow-up: without a date, or past it (own; whole team for leads)."""
    page = request.args.get("page", 1, type=int) or 1
    result = needing_follow_up(actor(), page, current_app.config["PAGE_SIZE"])
    return render_template("resources/follow_up.html", result=result, today=clock.today())
