"""The family's network: the eco-map, members with consent, and network meetings."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, render_template, request, url_for
from flask_babel import gettext as _

from wijkteam.audit.history import revisions_of
from wijkteam.cases.models import Case
from wijkteam.core import clock
from wijkteam.core.permissions import can_edit_case
from wijkteam.keyfigures.picker import offer_key_figures
from wijkteam.keyfigures.queries import member_loads
from wijkteam.network import services
from wijkteam.network.ecomap import ecomap
from wijkteam.network.forms import (
    ArchiveForm,
    FollowUpForm,
    MeetingForm,
    NetworkMemberForm,
    RestoreForm,
)
from wijkteam.network.models import MeetingKind, NetworkMember, OrganisedBy
from wijkteam.network.queries import (
    actions_of,
    get_meeting_or_404,
    get_network_member_or_404,
    meeting_actions,
    meetings,
    network_members,
    network_on,
    open_action_counts,
)
from wijkteam.plans.queries import load_plan
from wijkteam.web.forms import tri_state_choice
from wijkteam.web.helpers import Page, actor, form_page, require_login
from wijkteam.web.history import shown_history
from wijkteam.web.loaders import get_case_or_404

bp = Blueprint("network", __name__, url_prefix="/cases/<int:case_id>/network")


require_login(bp)


def _network_url(case: Case) -> str:
    return url_for("network.index", case_id=case.id)


def _as_of() -> date | None:
    """The ?on= date for an earlier map; a bad or future date is ignored with a message."""
    raw = request.args.get("on", "").strip()
    if not raw:
        return None
    try:
        on = date.fromisoformat(raw)
    except ValueError:
        flash(_("That is not a date we understand; showing the network as it is now."), "info")
        return None
    return None if on >= clock.today() else on


def _across_families(
    case: Case, members: list[NetworkMember], counts: dict[int, int]
) -> dict[int, int]:
    """Open actions per member, a key figure's counted across all the team's families (the
    "asked too much" warning); the per-family count for everyone else."""
    loads = member_loads(case, members)
    return {**counts, **{i: load.open_actions for i, load in loads.items()}}


@bp.route("")
def index(case_id: int) -> Page:
    """The eco-map and the list of people around the family (now, or on an earlier date)."""
    user = actor()
    case = get_case_or_404(case_id, user)
    on = _as_of()
    entries = network_on(case, on)
    members = network_members(case, include_archived=True)
    counts = open_action_counts(case)
    across = _across_families(case, members, counts)
    title = (
        _("Network of family %(name)s on %(date)s", name=case.family.name, date=on.isoformat())
        if on
        else _("Network of family %(name)s", name=case.family.name)
    )
    return render_template(
        "network/index.html",
        case=case,
        on=on,
        entries=entries,
        ecomap=ecomap(
            case.family.name,
            [m.first_name for m in case.family.members if m.left_household_on is None],
            entries,
            title=title,
        ),
        current=[m for m in members if not m.is_archived],
        archived=[m for m in members if m.is_archived],
        open_actions=counts,
        overasked={m.id for m in members if services.is_overasked(m, across.get(m.id, 0))},
        meetings=meetings(case),
        can_edit=can_edit_case(user, case),
    )


@bp.route("/new", methods=["GET", "POST"])
def new(case_id: int) -> Page:
    """Add someone to the family's network."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    form = NetworkMemberForm()
    form.set_members(case.family.members)
    offer_key_figures(form.key_figure_id, user.team_id, blank=_("Not linked"))
    return form_page(
        form,
        template="network/member_form.html",
        context={"case": case, "member": None},
        save=lambda: services.add_member(user, case, form.member_data()),
        message=_("The person is added to the network."),
        done=lambda m: url_for("network.member", case_id=case.id, network_member_id=m.id),
    )


@bp.route("/<int:network_member_id>")
def member(case_id: int, network_member_id: int) -> Page:
    """A network member: how they help, consent, what they do in the plan, history."""
    user = actor()
    case = get_case_or_404(case_id, user)
    the_member = get_network_member_or_404(case, network_member_id)
    actions = actions_of(the_member)
    load = member_loads(case, [the_member]).get(the_member.id)
    open_count = load.open_actions if load else open_action_counts(case).get(the_member.id, 0)
    return render_template(
        "network/member.html",
        case=case,
        member=the_member,
        actions=actions,
        load=load,
        overasked=services.is_overasked(the_member, open_count),
        history=shown_history(
            revisions_of(the_member), NetworkMember, NetworkMemberForm, ArchiveForm
        ),
        can_edit=can_edit_case(user, case),
        restore_form=RestoreForm(data={"version": the_member.version}),
    )


@bp.route("/<int:network_member_id>/edit", methods=["GET", "POST"])
def edit(case_id: int, network_member_id: int) -> Page:
    """Change what is known about a network member."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    the_member = get_network_member_or_404(case, network_member_id)
    form = NetworkMemberForm(obj=the_member if request.method == "GET" else None)
    form.set_members(case.family.members)
    offer_key_figures(form.key_figure_id, user.team_id, blank=_("Not linked"))
    if request.method == "GET":
        form.languages.data = ", ".join(the_member.languages)
        form.informal_roles.data = list(the_member.informal_roles or [])
        form.may_contact.data = tri_state_choice(the_member.may_contact)
        form.confidentiality_agreed.data = tri_state_choice(the_member.confidentiality_agreed)
        form.asked_status.data = the_member.asked_status.value if the_member.asked_status else ""
    return form_page(
        form,
        template="network/member_form.html",
        context={"case": case, "member": the_member},
        save=lambda: services.update_member(
            user, case, the_member, expected_version=form.version.data, data=form.member_data()
        ),
        message=_("The network member is saved."),
        done=lambda _r: url_for("network.member", case_id=case.id, network_member_id=the_member.id),
        obj=the_member,
        typed=form.member_data,
    )


@bp.route("/<int:network_member_id>/archive", methods=["GET", "POST"])
def archive(case_id: int, network_member_id: int) -> Page:
    """Take someone off the current network map (they stay on record)."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    the_member = get_network_member_or_404(case, network_member_id)
    form = ArchiveForm()
    if request.method == "GET":
        form.version.data = the_member.version
        form.archived_on.data = clock.today()
    return form_page(
        form,
        template="network/archive.html",
        context={"case": case, "member": the_member},
        save=lambda: services.archive_member(
            user,
            case,
            the_member,
            expected_version=form.version.data,
            on=form.archived_on.data or clock.today(),
            reason=form.archive_reason.data or "",
        ),
        message=_("The person is archived; they stay on record."),
        done=lambda _r: _network_url(case),
        obj=the_member,
        typed=lambda: {"archive_reason": form.archive_reason.data},
    )


@bp.route("/<int:network_member_id>/restore", methods=["POST"])
def restore(case_id: int, network_member_id: int) -> Page:
    """Bring an archived person back into the network."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    the_member = get_network_member_or_404(case, network_member_id)
    form = RestoreForm()
    return form_page(
        form,
        template="network/archive.html",
        context={"case": case, "member": the_member},
        save=lambda: services.restore_member(
            user, case, the_member, expected_version=form.version.data
        ),
        message=_("The person is back in the network."),
        done=lambda _r: url_for("network.member", case_id=case.id, network_member_id=the_member.id),
        obj=the_member,
    )


@bp.route("/meetings/new", methods=["GET", "POST"])
def new_meeting(case_id: int) -> Page:
    """Record a network meeting; agreements become plan actions in one step."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    plan = load_plan(case)
    network = network_members(case)
    form = MeetingForm()
    if form.add_agreement.data and request.method == "POST":
        form.agreements.append_entry()
    if request.method == "GET":
        form.held_on.data = clock.today()
    form.set_choices(
        case.family.members, network, plan.goals if plan else [], form.held_on.data or clock.today()
    )
    context = {"case": case, "plan": plan}
    if form.add_agreement.data and request.method == "POST":
        return render_template("network/meeting_form.html", form=form, **context)
    return form_page(
        form,
        template="network/meeting_form.html",
        context=context,
        save=lambda: services.record_meeting(
            user,
            case,
            plan,
            held_on=form.held_on.data or clock.today(),
            kind=MeetingKind(form.kind.data),
            organised_by=OrganisedBy(form.organised_by.data),
            network_member_ids=list(form.network_member_ids.data or []),
            family_member_ids=list(form.family_member_ids.data or []),
            other_attendees=form.other_attendees.data or "",
            summary=form.summary.data or "",
            agreed=form.agreed.data or "",
            agreements=[row.action_data() for row in form.filled_agreements()],
            follow_up_on=form.follow_up_on.data,
            interpreter=form.interpreter_data(),
        ),
        message=_("The meeting is saved."),
        done=lambda m: url_for("network.meeting", case_id=case.id, meeting_id=m.id),
    )


@bp.route("/meetings/<int:meeting_id>")
def meeting(case_id: int, meeting_id: int) -> Page:
    """A network meeting: who came, who organised it, what was agreed and its actions."""
    user = actor()
    case = get_case_or_404(case_id, user)
    the_meeting = get_meeting_or_404(case, meeting_id)
    return render_template(
        "network/meeting.html",
        case=case,
        meeting=the_meeting,
        actions=meeting_actions(the_meeting),
        can_edit=can_edit_case(user, case),
        today=clock.today(),
    )


@bp.route("/meetings/<int:meeting_id>/follow-up", methods=["GET", "POST"])
def follow_up(case_id: int, meeting_id: int) -> Page:
    """Plan the check after a network meeting (did the contacts hold?), or record it."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    the_meeting = get_meeting_or_404(case, meeting_id)
    form = FollowUpForm(obj=the_meeting if request.method == "GET" else None)
    return form_page(
        form,
        template="network/follow_up.html",
        context={"case": case, "meeting": the_meeting},
        save=lambda: services.record_follow_up(
            user,
            case,
            the_meeting,
            expected_version=form.version.data,
            data=form.follow_up_data(),
        ),
        message=_("The follow-up of the meeting is saved."),
        done=lambda _r: url_for("network.meeting", case_id=case.id, meeting_id=the_meeting.id),
        obj=the_meeting,
        typed=form.follow_up_data,
    )
