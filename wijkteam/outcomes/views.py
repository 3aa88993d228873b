"""The outcome pages: the overview of a quarter (team leads: their team per professional;
analysts: the teams), its CSV, and the monitor export for the municipality (analysts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from wijkteam.audit.services import record
from wijkteam.auth.models import Role, User
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.core.errors import NotAllowed
from wijkteam.core.permissions import is_team_lead_of
from wijkteam.outcomes import charts, export, snapshots
from wijkteam.outcomes.figures import label
from wijkteam.outcomes.periods import Quarter, recent
from wijkteam.outcomes.queries import By, group_names, outcome_counts, team_choices
from wijkteam.outcomes.report import Report
from wijkteam.outcomes.suppression import ALL, Group
from wijkteam.web.helpers import actor, require_login

bp = Blueprint("outcomes", __name__)
require_login(bp)


@dataclass
class Reader:
    """Whose figures the user sees: a team per case lead (team lead), or every team
    (analyst)."""

    by: By
    team_id: int | None
    team_name: str


def _reader(user: User) -> Reader:
    """A team lead (their own team) or an analyst; anyone else is refused (403)."""
    if user.role == Role.ANALYST and user.active:
        return Reader("team", None, "")
    if user.team_id is not None and is_team_lead_of(user, user.team_id):
        assert user.team is not None  # noqa: S101 - is_team_lead_of checks the team
        return Reader("lead", user.team_id, user.team.name)
    raise NotAllowed(_("The outcomes are for team leads and analysts."))


def _quarter(reader: Reader) -> tuple[Quarter, list[Quarter], bool]:
    """The quarter asked for (?period=2026-Q3, or ?from=&to= of one quarter), the quarters the
    reader may choose (team leads: up to the current one; analysts: the ended ones) and
    whether the question was understood."""
    today = clock.today()
    last = Quarter.of(today) if reader.by == "lead" else Quarter.of(today).previous()
    asked_for = request.args.get("period") or request.args.get("from") or request.args.get("to")
    asked = Quarter.parse(request.args.get("period"))
    if asked is None and (request.args.get("from") or request.args.get("to")):
        asked = Quarter.from_dates(request.args.get("from"), request.args.get("to"))
    understood = asked is not None and asked <= last
    return (asked if understood and asked else last), recent(last), understood or not asked_for


def _load(reader: Reader, quarter: Quarter) -> tuple[Report, datetime | None]:
    """The figures, and for an analyst's (every team: kept, snapshots.py) when they were
    worked out; a team lead's are worked out now."""
    if reader.by == "team":
        return snapshots.teams_report(quarter)
    counts = outcome_counts(quarter, team_id=reader.team_id, by=reader.by)
    return Report(quarter, reader.by, counts, group_names(reader.by, counts.groups)), None


def _group_choices(reader: Reader, report: Report) -> list[tuple[int, str]]:
    """Who the filter offers: the teams (analysts), or the team's case leads of the quarter
    and its current members (team leads)."""
    if reader.by == "team":
        return team_choices()
    assert reader.team_id is not None  # noqa: S101 - a team lead's reader
    members: dict[int, str] = {
        row[0]: row[1]
        for row in db.execute(
            select(User.id, User.display_name).where(
                User.team_id == reader.team_id,
                User.role.in_((Role.PROFESSIONAL, Role.TEAMLEAD)),
            )
        )
    }
    members.update({g: report.name(g) for g in report.groups})
    return sorted(members.items(), key=lambda item: (item[1].lower(), item[0]))


def _group(reader: Reader, choices: list[tuple[int, str]]) -> tuple[Group, bool]:
    """The group asked for (?professional= for team leads, ?team= for analysts), if it is one
    of the choices."""
    name = "professional" if reader.by == "lead" else "team"
    raw = request.args.get(name, "")
    if not raw:
        return ALL, True
    wanted = raw.strip()
    found = next((gid for gid, _label in choices if str(gid) == wanted), None)
    return (found, True) if found is not None else (ALL, False)


def _detail(quarter: Quarter, group: Group, reader: Reader) -> str:
    scope = f"team #{reader.team_id}" if reader.team_id is not None else "all teams"
    who = "" if group == ALL else f"; {'professional' if reader.by == 'lead' else 'team'} #{group}"
    return f"{quarter.key}; {scope}{who}"


@bp.route("/outcomes")
def overview() -> str:
    """The outcomes of a quarter: the three indicators and the eigen-kracht process, as charts
    with their tables; small numbers hidden."""
    user = actor()
    reader = _reader(user)
    quarter, quarters, period_understood = _quarter(reader)
    report, worked_out = _load(reader, quarter)
    choices = _group_choices(reader, report)
    group, group_understood = _group(reader, choices)
    record(user, "outcomes.view", detail=_detail(quarter, group, reader))
    db.commit()
    view = report.view(group)
    params: dict[str, object] = {"period": quarter.key}
    if group != ALL:
        params["professional" if reader.by == "lead" else "team"] = group
    return render_template(
        "outcomes/overview.html",
        reader=reader,
        report=report,
        view=view,
        group=group,
        group_name=dict(choices).get(group, "") if isinstance(group, int) else "",
        choices=choices,
        quarter=quarter,
        quarters=quarters,
        not_understood=not (period_understood and group_understood),
        charts=charts.overview_charts(view),
        breakdown=export.BREAKDOWN,
        figure_label=label,
        params=params,
        worked_out=worked_out,
    )


@bp.route("/outcomes.csv")
def csv() -> Response:
    """The overview's figures as a CSV file, with the same filters."""
    user = actor()
    reader = _reader(user)
    quarter, _quarters, _understood = _quarter(reader)
    report, _worked_out = _load(reader, quarter)
    choices = _group_choices(reader, report)
    group, _found = _group(reader, choices)
    record(user, "outcomes.export", detail=_detail(quarter, group, reader))
    db.commit()
    body = export.overview_csv(report, group, scope=reader.team_name or _("all teams"))
    return export.csv_response(body, f"resultaten-{quarter.key}.csv")


@bp.route("/outcomes/monitor.csv")
def monitor() -> Response | tuple[str, int]:
    """The monitor export for the municipality: one row per team for an ended quarter."""
    user = actor()
    reader = _reader(user)
    if reader.by != "team":
        raise NotAllowed(_("The monitor export is for analysts."))
    today = clock.today()
    raw = request.args.get("period")
    quarter = Quarter.parse(raw) if raw else Quarter.of(today).previous()
    if quarter is None or not quarter.ended(today):
        message = _(
            "The monitor export is made for a quarter that has ended, written like 2026-Q3."
        )
        return render_template("errors/error.html", code=400, message=message), 400
    report, _worked_out = _load(reader, quarter)
    record(user, "outcomes.monitor", detail=f"{quarter.key}; all teams; one row per team")
    db.commit()
    return export.csv_response(export.monitor_csv(report), f"monitor-{quarter.key}.csv")
