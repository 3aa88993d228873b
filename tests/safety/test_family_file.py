"""A safety concern in the family's file (issue 14): not before the family has been told
(Meldcode step 3), and never when the case lead or team lead holds it back under an exception
of the Jeugdwet, which is recorded with its reason and audited."""

from __future__ import annotations

import re

from flask_babel import force_locale
from sqlalchemy import select

from tests.safety.test_safety import STEP_OK, open_concern, step
from wijkteam.audit.models import AuditEvent
from wijkteam.cases.models import Case
from wijkteam.core.db import db
from wijkteam.printout.family_file import family_file
from wijkteam.safety.models import SafetyConcern

VERSION_RE = re.compile(r'name="version" type="hidden" value="(\d+)"')


def listed(app, case_id: int) -> list[str]:
    """The opening dates of the concerns the family's file lists."""
    with app.test_request_context():
        return [c["opened_on"] for c in family_file(db.get(Case, case_id))["safety"]]


def concern_id(app) -> int:
    with app.app_context():
        return db.scalar(select(SafetyConcern.id))


def test_a_concern_appears_only_once_the_family_has_been_told(app, client, plan_case):
    client.login("pro.noord@test.example")
    url = open_concern(client, f"/cases/{plan_case}/safety")
    assert listed(app, plan_case) == []
    for n in (1, 2):
        assert step(client, url, n, **STEP_OK[n]).status_code == 302
    assert listed(app, plan_case) == []  # signals mapped, colleague consulted: not told yet
    assert step(client, url, 3, **STEP_OK[3]).status_code == 302
    assert listed(app, plan_case) == ["2026-03-01"]


def test_a_conversation_that_did_not_take_place_does_not_count_as_told(app, client, plan_case):
    client.login("pro.noord@test.example")
    url = open_concern(client, f"/cases/{plan_case}/safety")
    for n in (1, 2):
        step(client, url, n, **STEP_OK[n])
    resp = step(client, url, 3, conversation_held="no", outcome="Moeder was niet thuis.")
    assert resp.status_code == 302
    assert listed(app, plan_case) == []


def test_holding_back_is_recorded_with_a_reason_audited_and_undone(app, client, plan_case, world):
    client.login("pro.noord@test.example")
    client.english()
    url = open_concern(client, f"/cases/{plan_case}/safety")
    for n in (1, 2, 3):
        step(client, url, n, **STEP_OK[n])
    page = f"{url}/family-file"
    version = VERSION_RE.search(client.get(page).get_data(as_text=True)).group(1)
    resp = client.submit(page, {"reason": "", "withhold": "y", "version": version}, page=page)
    assert resp.status_code == 422
    assert "Write why this is held back" in resp.get_data(as_text=True)
    reason = "De melding van de buurvrouw zou haar in gevaar brengen."
    resp = client.submit(page, {"reason": reason, "withhold": "y", "version": version}, page=page)
    assert resp.status_code == 302
    assert listed(app, plan_case) == []
    with app.app_context():
        concern = db.get(SafetyConcern, concern_id(app))
        assert concern.file_withheld_reason == reason
        assert concern.file_withheld_by_id == world.pro_noord
        rows = db.scalars(select(AuditEvent).where(AuditEvent.action == "safety.withhold")).all()
        assert [(r.user_id, r.case_id) for r in rows] == [(world.pro_noord, plan_case)]
    assert "Held back from the family" in client.get(url).get_data(as_text=True)
    version = VERSION_RE.search(client.get(page).get_data(as_text=True)).group(1)
    resp = client.submit(page, {"release": "y", "version": version}, page=page)
    assert resp.status_code == 302
    assert listed(app, plan_case) == ["2026-03-01"]
    with app.app_context():
        assert db.scalar(select(AuditEvent.id).where(AuditEvent.action == "safety.release"))


def test_only_the_case_lead_and_team_lead_decide_what_the_file_holds(app, client, plan_case):
    client.login("pro.noord@test.example")
    url = open_concern(client, f"/cases/{plan_case}/safety")
    for n in (1, 2, 3):
        step(client, url, n, **STEP_OK[n])
    colleague = app.test_client()
    colleague.login("pro2.noord@test.example")
    page = f"{url}/family-file"
    assert colleague.get(page).status_code == 403
    resp = colleague.submit(page, {"reason": "x", "withhold": "y", "version": "1"}, page="/cases")
    assert resp.status_code == 403
    assert listed(app, plan_case) == ["2026-03-01"]
    lead = app.test_client()
    lead.login("lead.noord@test.example")
    assert lead.get(page).status_code == 200


def test_the_access_log_gives_no_hint_of_a_concern_the_family_was_not_told(
    app, client, plan_case, world
):
    """The family's file lists who did what with their file. Before they are told, 'opened a
    safety concern', 'recorded a signal' or a safety page view on a date would give it away;
    so would 'held back from the file'. Those rows stay out until nothing is held back."""
    client.login("pro.noord@test.example")
    client.get(f"/cases/{plan_case}")
    url = open_concern(client, f"/cases/{plan_case}/safety")
    for n in (1, 2):
        step(client, url, n, **STEP_OK[n])
    client.get(url)

    def log(case_id):
        with app.test_request_context(), force_locale("en"):
            file = family_file(db.get(Case, case_id))
            return [row["what"] for row in file["access_log"]], file

    whats, file = log(plan_case)
    assert "Viewed the case" in whats
    assert not [w for w in whats if "safety" in w.lower() or "signal" in w or "Meldcode" in w]
    assert file["safety"] == []
    # Once told, the safety work shows in the log like everything else.
    step(client, url, 3, **STEP_OK[3])
    whats, file = log(plan_case)
    assert any("safety concern" in w for w in whats)
    # Held back again: the rows go out again, including the holding back itself.
    page = f"{url}/family-file"
    version = VERSION_RE.search(client.get(page).get_data(as_text=True)).group(1)
    client.submit(
        page, {"reason": "Gevaar voor Noah.", "withhold": "y", "version": version}, page=page
    )
    whats, file = log(plan_case)
    assert not [w for w in whats if "safety" in w.lower() or "Meldcode" in w]
    assert file["safety"] == []
