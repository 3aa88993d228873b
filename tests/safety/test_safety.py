"""Safety concerns through HTTP: opening, the Meldcode steps, map, scale, conditions,
confidential sources, the regie/ladder link, closing, audit and the team overview."""

from __future__ import annotations

import re
from html import unescape

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from tests.plans.conftest import PlanUI
from wijkteam.audit.history import Revision
from wijkteam.audit.models import AuditEvent
from wijkteam.cases.models import FamilyMember
from wijkteam.core.db import db
from wijkteam.plans.models import LadderEntry, RegieEntry
from wijkteam.safety.models import ConcernStatus, MeldcodeStep, SafetyConcern

NOAH = "2"  # the child in plan_case (Lisa = 1 is the parent)


def open_data(**values):
    data = {
        "title": "Blauwe plek bij Noah",
        "opened_on": "2026-03-01",
        "child_ids": NOAH,
        "observed_on": "2026-03-01",
        "description": "Noah had een blauwe plek op zijn arm.",
        "source": "Juf Sanne",
    }
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def safety(client, plan_case):
    client.login("pro.noord@test.example")
    return f"/cases/{plan_case}/safety"


def open_concern(client, safety, **values) -> str:
    resp = client.submit(f"{safety}/new", open_data(**values), page=f"{safety}/new")
    assert resp.status_code == 302, unescape(resp.get_data(as_text=True))[-2500:]
    return resp.headers["Location"]


def step(client, concern_url: str, n: int, **values):
    page = f"{concern_url}/steps/{n}"
    data = {"done_on": "2026-03-02"}
    data.update(values)
    return client.submit(page, data, page=page)


STEP_OK = {
    1: {"outcome": "Signalen van school en buren op een rij gezet."},
    2: {
        "outcome": "Zorg gedeeld.",
        "colleague": "Teamleider Noord",
        "veilig_thuis_consulted": "yes",
        "veilig_thuis_advice": "Eerst in gesprek gaan.",
    },
    3: {"conversation_held": "yes", "talked_with": "Lisa"},
    4: {
        "outcome": "Hulp kan binnen het team.",
        "acute_unsafety": "no",
        "structural_unsafety": "yes",
        "can_organise_help": "yes",
        "family_cooperates": "yes",
        "safe_in_agreed_time": "yes",
    },
    5: {"organise_help": "y", "report_to_veilig_thuis": "y", "family_told": "yes"},
}


def test_open_concern_with_first_signal(client, safety, app):
    url = open_concern(client, safety)
    with app.app_context():
        concern = db.scalar(select(SafetyConcern))
        assert [c.first_name for c in concern.children] == ["Noah"]
        assert concern.status == ConcernStatus.OPEN
        assert len(concern.signals) == 1 and concern.signals[0].source == "Juf Sanne"
    client.english()
    html = client.get(url).get_data(as_text=True)
    assert "Noah had een blauwe plek op zijn arm." in html
    assert "next step" in html
    assert re.search(r"open for \d+ days", html)


def test_open_concern_bad_input(client, safety, app):
    client.english()
    resp = client.submit(
        f"{safety}/new", open_data(child_ids=None, source=""), page=f"{safety}/new"
    )
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert "Write who saw or heard it (the source)." in html
    assert "Noah had een blauwe plek op zijn arm." in html
    resp = client.submit(f"{safety}/new", open_data(child_ids=None), page=f"{safety}/new")
    assert "Which child or children is this about?" in resp.get_data(as_text=True)
    # Lisa is a parent: not offered as a choice, and refused when posted anyway.
    resp = client.submit(f"{safety}/new", open_data(child_ids="1"), page=f"{safety}/new")
    assert resp.status_code == 422
    assert "Choose one of the options offered." in unescape(resp.get_data(as_text=True))
    resp = client.submit(f"{safety}/new", open_data(opened_on="2999-01-01"), page=f"{safety}/new")
    assert resp.status_code == 422
    resp = client.submit(
        f"{safety}/new", open_data(regie="taken_over", change_reason="x"), page=f"{safety}/new"
    )
    assert "Start the family plan first" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.scalar(select(func.count(SafetyConcern.id))) == 0


def test_opening_a_concern_records_regie_and_ladder_with_the_concern(
    client, safety, app, plan_case
):
    PlanUI(client, plan_case).start()  # level 3, shared regie on 2026-02-01
    client.english()
    resp = client.submit(
        f"{safety}/new",
        open_data(level="2", regie="taken_over", change_reason="Veiligheid Noah eerst."),
        page=f"{safety}/new",
    )
    assert resp.status_code == 422  # going down needs what it takes to climb back
    assert "climb back" in resp.get_data(as_text=True)
    url = open_concern(
        client,
        safety,
        level="2",
        regie="taken_over",
        change_reason="Veiligheid Noah eerst.",
        climb_back="Als de afspraken zes weken goed gaan.",
    )
    with app.app_context():
        concern_id = db.scalar(select(SafetyConcern.id))
        ladder = db.scalar(select(LadderEntry).where(LadderEntry.safety_concern_id.is_not(None)))
        regie = db.scalar(select(RegieEntry).where(RegieEntry.safety_concern_id.is_not(None)))
        assert (ladder.safety_concern_id, int(ladder.level)) == (concern_id, 2)
        assert (regie.safety_concern_id, regie.regie.value) == (concern_id, "taken_over")
    html = client.get(url).get_data(as_text=True)
    assert "Regie and participation ladder because of this concern" in html
    plan = client.get(f"/cases/{plan_case}/plan").get_data(as_text=True)
    assert "down from 3" in plan and "Als de afspraken zes weken goed gaan." in plan


def test_steps_in_order_each_with_what_it_needs(client, safety, app):
    url = open_concern(client, safety)
    client.english()
    # No skipping.
    resp = step(client, url, 3, **STEP_OK[3])
    assert resp.status_code == 422
    assert "Record step 1 first" in unescape(resp.get_data(as_text=True))
    assert step(client, url, 1, not_applicable="y", outcome="x").status_code == 422  # always
    assert step(client, url, 1, **STEP_OK[1]).status_code == 302
    resp = step(client, url, 2, colleague="", veilig_thuis_consulted="yes")
    assert resp.status_code == 422 and "Which colleague did you consult?" in resp.get_data(
        as_text=True
    )
    resp = step(
        client, url, 2, colleague="Teamleider", veilig_thuis_consulted="yes", outcome="Gedeeld."
    )
    assert "Write the advice of Veilig Thuis." in resp.get_data(as_text=True)
    assert step(client, url, 2, **STEP_OK[2]).status_code == 302
    # Step 3 may not apply, but only with a reason.
    resp = step(client, url, 3, not_applicable="y")
    assert "Write why this step does not apply." in resp.get_data(as_text=True)
    assert (
        step(
            client,
            url,
            3,
            not_applicable="y",
            outcome="Moeder was in het buitenland; gesprek volgt.",
        ).status_code
        == 302
    )
    resp = step(client, url, 4, outcome="Gewogen.", acute_unsafety="no")
    assert resp.status_code == 422
    assert "Answer this question of the afwegingskader." in resp.get_data(as_text=True)
    assert step(client, url, 4, **STEP_OK[4]).status_code == 302
    resp = step(client, url, 5, family_told="no")
    assert "Decide: organise help, report to Veilig Thuis, or both." in resp.get_data(as_text=True)
    resp = step(client, url, 5, organise_help="y", family_told="no")
    assert "Write why the family was not told." in resp.get_data(as_text=True)
    assert step(client, url, 5, **STEP_OK[5]).status_code == 302
    with app.app_context():
        steps = db.scalars(select(MeldcodeStep).order_by(MeldcodeStep.step)).all()
        assert [s.step for s in steps] == [1, 2, 3, 4, 5]
        assert steps[2].not_applicable and steps[4].report_to_veilig_thuis
        concern = db.scalar(select(SafetyConcern))
        assert concern.status == ConcernStatus.BEING_HANDLED
        assert concern.next_step is None
    html = client.get(url).get_data(as_text=True)
    assert "Report to Veilig Thuis" in html and "family told" in html
    assert "Not applicable:" in html


def test_a_step_that_may_not_be_taken_yet_is_not_offered(client, safety, app):
    """GET of step 4 while step 3 is missing: no form, a message with a link to step 3."""
    url = open_concern(client, safety)
    for n in (1, 2):
        assert step(client, url, n, **STEP_OK[n]).status_code == 302
    client.english()
    resp = client.get(f"{url}/steps/4")
    assert resp.status_code == 200
    html = unescape(resp.get_data(as_text=True))
    assert "Record step 3 first" in html
    assert f'href="{url}/steps/3"' in html
    assert 'name="outcome"' not in html and 'name="acute_unsafety"' not in html
    # The step that comes first is offered as a form.
    assert 'name="talked_with"' in client.get(f"{url}/steps/3").get_data(as_text=True)


def test_a_step_posted_out_of_order_shows_the_form_again_with_the_text(client, safety, app):
    url = open_concern(client, safety)
    for n in (1, 2):
        assert step(client, url, n, **STEP_OK[n]).status_code == 302
    client.english()
    typed = "Gewogen met het afwegingskader: hulp kan binnen het team <b>x</b>."
    resp = step(client, url, 4, **{**STEP_OK[4], "outcome": typed})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Record step 3 first, or mark it as not applicable with a reason." in unescape(html)
    assert f'href="{url}/steps/3"' in html
    assert escape(typed) in html  # the typed text is kept, in the form
    assert 'name="outcome"' in html
    with app.app_context():
        assert sorted(s.step for s in db.scalars(select(MeldcodeStep))) == [1, 2]


def test_step_dates_and_corrections_keep_history(client, safety, app):
    url = open_concern(client, safety)
    assert step(client, url, 1, done_on="2026-02-01", **STEP_OK[1]).status_code == 422
    assert step(client, url, 1, done_on="2026-03-05", **STEP_OK[1]).status_code == 302
    assert step(client, url, 2, done_on="2026-03-04", **STEP_OK[2]).status_code == 422
    page = f"{url}/steps/1"
    version = re.search(
        r'name="version" type="hidden" value="(\d+)"', client.get(page).get_data(as_text=True)
    ).group(1)
    resp = step(
        client, url, 1, done_on="2026-03-05", outcome="Aangevuld met buurvrouw.", version=version
    )
    assert resp.status_code == 302
    with app.app_context():
        revision = db.scalar(select(Revision).where(Revision.table_name == "meldcode_steps"))
        assert revision.old["outcome"] == STEP_OK[1]["outcome"]
    # A stale correction is a conflict that keeps the typed text.
    resp = step(client, url, 1, done_on="2026-03-05", outcome="Mijn oude versie.", version=version)
    assert resp.status_code == 409 and "Mijn oude versie." in resp.get_data(as_text=True)


def test_confidential_source_hidden_from_colleague(client, other_client, safety, app, world):
    url = open_concern(client, safety, source="Buurvrouw van nummer 12", source_confidential="y")
    with app.app_context():
        signal_id = db.scalar(select(SafetyConcern)).signals[0].id
    assert "Buurvrouw van nummer 12" in client.get(url).get_data(as_text=True)  # the lead
    other_client.login("pro2.noord@test.example")
    other_client.english()
    html = other_client.get(url).get_data(as_text=True)
    assert "Noah had een blauwe plek op zijn arm." in html  # the signal itself is visible
    assert "Buurvrouw van nummer 12" not in html
    assert "Confidential source" in html
    assert other_client.get(f"{url}/signals/{signal_id}/edit").status_code == 403
    other_client.logout()
    other_client.login("lead.noord@test.example")
    assert "Buurvrouw van nummer 12" in other_client.get(url).get_data(as_text=True)


def test_signs_of_safety_map_and_conflict(client, other_client, safety, app):
    url = open_concern(client, safety)
    page = f"{url}/map"
    resp = client.submit(
        page,
        {
            "harm": "Blauwe plek.",
            "strengths": "Lisa zoekt zelf hulp.",
            "safety_goals": "Noah is elke dag veilig.",
        },
        page=page,
    )
    assert resp.status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "Lisa zoekt zelf hulp." in html and "Noah is elke dag veilig." in html
    other_client.login("pro2.noord@test.example")
    version = re.search(
        r'name="version" type="hidden" value="(\d+)"', client.get(page).get_data(as_text=True)
    ).group(1)
    assert (
        other_client.submit(page, {"harm": "Collega.", "version": version}, page=page).status_code
        == 302
    )
    resp = client.submit(
        page, {"harm": "Mijn aanvulling op de zorg.", "version": version}, page=page
    )
    assert resp.status_code == 409
    assert "Mijn aanvulling op de zorg." in resp.get_data(as_text=True)


def test_safety_scale_chart(client, safety, app):
    url = open_concern(client, safety)
    page = f"{url}/scores/new"
    for day, pro, fam in (
        ("2026-03-02", "3", "5"),
        ("2026-04-02", "5", ""),
        ("2026-05-02", "7", "8"),
    ):
        resp = client.submit(
            page, {"scored_on": day, "professional_score": pro, "family_score": fam}, page=page
        )
        assert resp.status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert html.count('<circle class="point series-professional"') == 3
    assert html.count('<circle class="point series-family"') == 2
    client.english()
    resp = client.submit(page, {"scored_on": "2026-05-03", "professional_score": "12"}, page=page)
    assert resp.status_code == 422 and "A score is a number from 0 to 10." in resp.get_data(
        as_text=True
    )


def test_conditions_with_review(client, safety, app):
    url = open_concern(client, safety)
    page = f"{url}/conditions/new"
    client.english()
    resp = client.submit(
        page,
        {
            "text": "Lisa belt de buurvrouw als ze boos wordt.",
            "starts_on": "2026-03-03",
            "review_on": "2026-03-01",
            "state": "not_reviewed",
            "shared_with_family": "y",
        },
        page=page,
    )
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "The review date must come after the start date." in html
    assert "Lisa belt de buurvrouw als ze boos wordt." in html
    resp = client.submit(
        page,
        {
            "text": "Lisa belt de buurvrouw als ze boos wordt.",
            "starts_on": "2026-03-03",
            "review_on": "2026-04-01",
            "state": "kept",
        },
        page=page,
    )
    assert "When did you check whether it is kept?" in resp.get_data(as_text=True)
    resp = client.submit(
        page,
        {
            "text": "Lisa belt de buurvrouw als ze boos wordt.",
            "starts_on": "2026-03-03",
            "review_on": "2026-04-01",
            "state": "kept",
            "reviewed_on": "2026-04-01",
            "shared_with_family": "y",
        },
        page=page,
    )
    assert resp.status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "Lisa belt de buurvrouw als ze boos wordt." in html and "Kept" in html


def test_a_conditions_history_reads_as_its_form_does(client, safety, app):
    """The "Earlier" card showed the stored field names and values ("state: not_reviewed",
    "reviewed_on: None"). It names each field as the form does and writes the value as the
    form offers it: a choice's label, a date in the page's language, a dash for nothing."""
    url = open_concern(client, safety)
    page = f"{url}/conditions/new"
    data = {
        "text": "Lisa belt de buurvrouw als ze boos wordt.",
        "starts_on": "2026-03-03",
        "state": "not_reviewed",
        "shared_with_family": "y",
    }
    assert client.submit(page, data, page=page).status_code == 302
    edit = re.search(r'href="([^"]+/conditions/\d+/edit)"', client.get(url).get_data(as_text=True))
    edit_url = unescape(edit.group(1))

    def save(**values: str) -> None:
        version = re.search(
            r'name="version" type="hidden" value="(\d+)"',
            client.get(edit_url).get_data(as_text=True),
        ).group(1)
        resp = client.submit(edit_url, {**data, **values, "version": version}, page=edit_url)
        assert resp.status_code == 302, unescape(resp.get_data(as_text=True))[-2000:]

    save(state="kept", reviewed_on="2026-04-01", note="Gaat goed.")
    save(state="kept", reviewed_on="2026-04-15", note="Gaat goed.")

    def earlier() -> str:
        html = client.get(edit_url).get_data(as_text=True)
        card = html.split('id="history-heading"', 1)[1].split("</section>", 1)[0]
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", card)).split())

    dutch = earlier()
    assert "Laatst gecontroleerd op: 1 apr 2026" in dutch, dutch
    assert "Wordt de voorwaarde nagekomen?: Nog niet gecontroleerd" in dutch, dutch
    assert "Opmerking: —" in dutch, dutch
    client.english()
    english = earlier()
    assert "Last checked on: Apr 1, 2026" in english, english  # the newest change first
    assert "Is it kept?: Not checked yet" in english, english
    assert "Last checked on: —" in english and "Note: —" in english, english
    for raw in ("state:", "reviewed_on", "not_reviewed", "None", "2026-04-01"):
        assert raw not in english and raw not in dutch, (raw, english)


def test_close_concern_asks_what_it_takes_to_give_regie_back(client, safety, app, plan_case):
    PlanUI(client, plan_case).start()
    url = open_concern(client, safety, regie="taken_over", change_reason="Veiligheid eerst.")
    page = f"{url}/close"
    version = re.search(
        r'name="version" type="hidden" value="(\d+)"', client.get(page).get_data(as_text=True)
    ).group(1)
    client.english()
    resp = client.submit(
        page,
        {
            "closed_on": "2026-06-01",
            "close_reason": "Veilig genoeg.",
            "regie_return": "",
            "version": version,
        },
        page=page,
    )
    assert resp.status_code == 422
    assert "Write what it takes to give regie back to the family." in resp.get_data(as_text=True)
    resp = client.submit(
        page,
        {
            "closed_on": "2026-06-01",
            "close_reason": "Veilig genoeg.",
            "regie_return": "Lisa houdt zich twee maanden aan de afspraken.",
            "regie": "shared",
            "version": version,
        },
        page=page,
    )
    assert resp.status_code == 302
    with app.app_context():
        concern = db.scalar(select(SafetyConcern))
        assert concern.status == ConcernStatus.CLOSED
        back = db.scalars(
            select(RegieEntry)
            .where(RegieEntry.safety_concern_id == concern.id)
            .order_by(RegieEntry.id)
        ).all()
        assert [e.regie.value for e in back] == ["taken_over", "shared"]
    html = client.get(url).get_data(as_text=True)
    assert "Lisa houdt zich twee maanden aan de afspraken." in html
    # A closed concern no longer changes.
    assert step(client, url, 1, **STEP_OK[1]).status_code == 403
    assert client.get(f"{url}/map").status_code == 200  # reading the form is fine
    assert client.submit(f"{url}/map", {"harm": "x"}, page=f"{url}/map").status_code == 403


def test_every_view_of_a_safety_page_is_audited(client, safety, app, world):
    url = open_concern(client, safety)
    case_id = int(safety.split("/")[2])
    with app.app_context():
        before = db.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "safety.view")
        )
    for page in (safety, url, f"{url}/map", f"{url}/steps/1"):
        client.get(page)
    with app.app_context():
        after = db.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "safety.view")
        )
        users = set(
            db.scalars(
                select(AuditEvent.user_id).where(
                    AuditEvent.action == "safety.view", AuditEvent.case_id == case_id
                )
            )
        )
    assert after == before + 4
    assert users == {world.pro_noord}


def test_concern_of_another_case_is_404(client, safety, world, app):
    url = open_concern(client, safety)
    concern_id = url.rsplit("/", 1)[1]
    other_case = world.case(world.pro_noord, name="Anders")
    assert client.get(f"/cases/{other_case}/safety/{concern_id}").status_code == 404
    assert client.get(f"{safety}/999").status_code == 404
    assert client.get(f"{url}/steps/6").status_code == 404


def test_team_lead_sees_open_concerns_of_the_team_with_their_step(
    client, other_client, safety, world, app
):
    url = open_concern(client, safety)
    step(client, url, 1, **STEP_OK[1])
    zuid_case = world.case(
        world.pro_zuid,
        name="Zuidgezin",
        members=[
            {
                "first_name": "Kai",
                "last_name": "Zuid",
                "date_of_birth": None,
                "role": "child",
                "languages": [],
                "interpreter_needed": False,
                "interpreter_language": "",
                "custody": None,
            }
        ],
    )
    other_client.login("pro.zuid@test.example")
    zuid_page = f"/cases/{zuid_case}/safety/new"
    with app.app_context():
        kai_id = db.scalar(select(FamilyMember.id).where(FamilyMember.first_name == "Kai"))
    assert (
        other_client.submit(
            zuid_page, open_data(title="Zorg in Zuid", child_ids=str(kai_id)), page=zuid_page
        ).status_code
        == 302
    )
    assert client.get("/safety").status_code == 403  # professionals: not this overview
    other_client.logout()
    other_client.login("lead.noord@test.example")
    other_client.english()
    html = other_client.get("/safety").get_data(as_text=True)
    assert "Blauwe plek bij Noah" in html
    assert "Step 2" in html  # the current step
    assert "Zorg in Zuid" not in html


def test_team_overview_queries_do_not_grow(client, other_client, world, app):
    from tests.test_queries import count_queries

    other_client.login("lead.noord@test.example")

    def add_concerns(n: int) -> None:
        for i in range(n):
            case_id = world.case(
                world.pro_noord,
                name=f"Gezin{i}{n}",
                members=[
                    {
                        "first_name": f"Kind{i}",
                        "last_name": f"G{n}",
                        "date_of_birth": None,
                        "role": "child",
                        "languages": [],
                        "interpreter_needed": False,
                        "interpreter_language": "",
                        "custody": None,
                    }
                ],
            )
            with app.app_context():
                child = db.scalar(
                    select(FamilyMember.id).where(
                        FamilyMember.first_name == f"Kind{i}", FamilyMember.last_name == f"G{n}"
                    )
                )
            page = f"/cases/{case_id}/safety/new"
            other_client.submit(page, open_data(child_ids=str(child)), page=page)

    add_concerns(2)  # several audit rows: a single one is chained by a shorter path
    other_client.get("/safety")
    with count_queries(app) as few:
        other_client.get("/safety")
    add_concerns(6)
    with count_queries(app) as many:
        html = other_client.get("/safety").get_data(as_text=True)
    assert html.count("Blauwe plek bij Noah") == 8
    # Reading stays the same; only the audit rows (one per listed concern) are extra writes,
    # which PostgreSQL batches into one statement and SQLite sends one by one.
    assert many["selects"] == few["selects"]
    assert many["n"] - few["n"] <= 6


def test_a_source_that_was_confidential_stays_hidden_in_the_history(
    client, other_client, safety, app, world
):
    """Issue 14, item 14: the team lead corrects a signal's source and unticks 'confidential';
    a colleague may now open the correction page, but its history card must not show the
    source that was confidential when it was written."""
    url = open_concern(client, safety, source="Buurvrouw van nummer 12", source_confidential="y")
    with app.app_context():
        signal_id = db.scalar(select(SafetyConcern)).signals[0].id
    page = f"{url}/signals/{signal_id}/edit"
    version = re.search(
        r'name="version" type="hidden" value="(\d+)"', client.get(page).get_data(as_text=True)
    ).group(1)
    resp = client.submit(
        page,
        {
            "observed_on": "2026-03-01",
            "description": "Noah had een blauwe plek op zijn arm.",
            "source": "School",
            "version": version,
        },
        page=page,
    )
    assert resp.status_code == 302
    other_client.login("pro2.noord@test.example")
    other_client.english()
    resp = other_client.get(page)
    assert resp.status_code == 200  # no longer confidential: a colleague may correct it
    html = resp.get_data(as_text=True)
    assert "School" in html
    assert "Buurvrouw van nummer 12" not in html
    assert "only the case lead and the team lead see it" in unescape(html)
    # The case lead and the team lead still see what was written then.
    assert "Buurvrouw van nummer 12" in client.get(page).get_data(as_text=True)
    lead = app.test_client()
    lead.login("lead.noord@test.example")
    assert "Buurvrouw van nummer 12" in lead.get(page).get_data(as_text=True)


def test_an_older_confidential_source_stays_hidden_after_later_corrections(
    client, other_client, safety, app, world
):
    """Walking back through several corrections: confidential, then made open, then the
    description corrected. Only the oldest state was confidential."""
    url = open_concern(client, safety, source="Oom Karel", source_confidential="y")
    with app.app_context():
        signal_id = db.scalar(select(SafetyConcern)).signals[0].id
    page = f"{url}/signals/{signal_id}/edit"

    def correct(**values):
        html = client.get(page).get_data(as_text=True)
        version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
        data = {
            "observed_on": "2026-03-01",
            "description": "Noah had een blauwe plek op zijn arm.",
            "version": version,
        }
        data.update(values)
        assert client.submit(page, data, page=page).status_code == 302

    correct(source="Oom Karel, via de buurvrouw", source_confidential="y")
    correct(source="School")
    correct(source="School", description="Noah had twee blauwe plekken.")
    other_client.login("pro2.noord@test.example")
    html = other_client.get(page).get_data(as_text=True)
    assert "Oom Karel" not in html
    assert "Noah had een blauwe plek op zijn arm." in html  # the old wording itself stays
