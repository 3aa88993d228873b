"""The way out of a case (issue 18): what closing records, and the refusal while a safety
concern is open, tried as an attacker would (a POST without the page, a stale form, a concern
opened at the same moment)."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest
from sqlalchemy import func, select, text, update

from tests.conftest import form_version
from tests.factories import app_api as api
from tests.factories import care
from tests.factories.cases import helper, lisa_and_noah, members_of, start_plan
from wijkteam.audit.models import AuditEvent
from wijkteam.cases.models import Case, CaseStatus, CloseReason
from wijkteam.closing import queries as closing_queries
from wijkteam.closing.models import AftercareContact, CaseClosing
from wijkteam.core.db import db
from wijkteam.core.errors import EditConflict, FieldError
from wijkteam.plans.enums import LadderLevel, Regie
from wijkteam.safety.models import ConcernStatus, SafetyConcern


def _file(app, world, case_id: int, *, concern: bool = False) -> dict[str, int]:
    """A plan (level 4, shared regie), two helpers (one unsafe), a service of the team's
    catalogue and one of the other team's; with `concern`, an open safety concern."""
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        case = db.get(Case, case_id)
        plan = start_plan(pro, case, level=4, regie="shared")
        ids = {
            "oma": helper(pro, case, "Oma Ria", relation="moeder van Lisa").id,
            "unsafe": helper(pro, case, "Oom Kees", quality=api.Quality.UNSAFE).id,
            "buurtgezinnen": care.resource(pro, "Buurtgezinnen").id,
            "zuid": care.resource(db.get(api.User, world.pro_zuid), "Zuidhuis").id,
        }
        if concern:
            child = [m.id for m in members_of(case) if m.role.value == "child"]
            ids["concern"] = care.concern(pro, case, plan, child, title="Zorg om Noah").id
        db.commit()
    return ids


def close_form(version: str, **values: object) -> dict[str, object]:
    return {
        "close_reason": "goals_reached",
        "ended_by": "together",
        "closed_on": "2026-11-01",
        "close_note": "Het gaat goed.",
        "version": version,
        **values,
    }


def _closing_count(app, case_id: int) -> int:
    with app.app_context():
        return db.scalar(select(func.count()).where(CaseClosing.case_id == case_id))


def test_close_records_the_way_out_and_the_case_page_shows_it(client, world, app, plan_case):
    ids = _file(app, world, plan_case)
    client.login("pro.noord@test.example")
    client.english()
    page = f"/cases/{plan_case}/close"
    html = client.get(page).get_data(as_text=True)
    # Prefilled from the plan; a default for coming back; unsafe people are not offered.
    assert '<option selected value="4">' in html
    assert '<option selected value="shared">' in html
    assert "You can always come back to us." in html
    assert "Oma Ria" in html and "Oom Kees" not in html
    assert "Buurtgezinnen" in html and "Zuidhuis" not in html
    v = form_version(html)
    resp = client.submit(
        page,
        close_form(
            v,
            ladder_level="5",
            regie="own",
            network_member_ids=str(ids["oma"]),
            resource_ids=str(ids["buurtgezinnen"]),
            aftercare_agreement="Oma Ria haalt Noah op woensdag. Sanne belt Lisa in maart.",
            come_back="Bel Sanne of het wijkteam, ook als het maar een kleine vraag is.",
        ),
        page=page,
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[-1500:]
    with app.app_context():
        case = db.get(Case, plan_case)
        assert case.status == CaseStatus.CLOSED
        closing = db.scalar(select(CaseClosing).where(CaseClosing.case_id == plan_case))
        assert closing.ladder_level == LadderLevel.SHARED_DECISIONS
        assert closing.regie == Regie.OWN
        assert closing.aftercare_agreement.startswith("Oma Ria haalt Noah")
        assert closing.come_back.startswith("Bel Sanne")
        assert closing.recorded_by_id == world.pro_noord
        contacts = db.scalars(
            select(AftercareContact).where(AftercareContact.case_id == plan_case)
        ).all()
        assert {(c.network_member_id, c.resource_id) for c in contacts} == {
            (ids["oma"], None),
            (None, ids["buurtgezinnen"]),
        }
        actions = db.scalars(select(AuditEvent.action).where(AuditEvent.case_id == plan_case)).all()
        assert "case.close" in actions and "case.aftercare" in actions
    shown = unescape(client.get(f"/cases/{plan_case}").get_data(as_text=True))
    for words in (
        "The way out",
        "5. Shared decision-making",
        "Own regie (the family directs)",
        "Oma Ria (moeder van Lisa)",
        "Buurtgezinnen",
        "Sanne belt Lisa in maart.",
        "ook als het maar een kleine vraag is.",
    ):
        assert words in shown, words


def test_close_without_the_new_fields_still_closes(client, world, app):
    """Ladder, regie and aftercare are optional: a case without a plan or network closes."""
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro.noord@test.example")
    page = f"/cases/{case_id}/close"
    v = form_version(client.get(page).get_data(as_text=True))
    assert client.submit(page, close_form(v), page=page).status_code == 302
    with app.app_context():
        closing = db.scalar(select(CaseClosing).where(CaseClosing.case_id == case_id))
        assert closing.ladder_level is None and closing.regie is None
    client.english()
    assert "not recorded" in client.get(f"/cases/{case_id}").get_data(as_text=True)


def test_close_bad_choices_answer_422_and_keep_the_text(client, world, app, plan_case):
    ids = _file(app, world, plan_case)
    client.login("pro.noord@test.example")
    client.english()
    page = f"/cases/{plan_case}/close"
    v = form_version(client.get(page).get_data(as_text=True))
    typed = "Oma blijft op woensdag komen."
    for bad in (
        {"network_member_ids": str(ids["unsafe"])},  # not offered: unsafe
        {"resource_ids": str(ids["zuid"])},  # another team's catalogue
        {"network_member_ids": "999999"},
        {"ladder_level": "9"},
        {"regie": "everyone"},
        {"come_back": "x" * 2001},
    ):
        resp = client.submit(page, close_form(v, aftercare_agreement=typed, **bad), page=page)
        assert resp.status_code == 422, bad
        html = unescape(resp.get_data(as_text=True))
        assert typed in html, bad
        assert "Not saved yet" in html, bad
    assert world.case_obj(plan_case).status == CaseStatus.INTAKE
    assert _closing_count(app, plan_case) == 0


def test_service_refuses_unsafe_people_and_other_families(app, world, plan_case):
    ids = _file(app, world, plan_case)
    other = world.case(world.pro_noord, name="Anders")
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        other_case = db.get(Case, other)
        stranger = helper(pro, other_case, "Iemand anders").id
        case = db.get(Case, plan_case)
        for field, kwargs, words in (
            (
                "network_member_ids",
                {"network_member_ids": [ids["unsafe"]]},
                "Oom Kees staat als onveilig",
            ),
            ("network_member_ids", {"network_member_ids": [stranger]}, "netwerk"),
            ("resource_ids", {"resource_ids": [ids["zuid"]]}, "sociale kaart"),
        ):
            with pytest.raises(FieldError) as refused:
                api.close_case(
                    pro,
                    case,
                    expected_version=case.version,
                    reason=CloseReason.GOALS_REACHED,
                    closed_on=date(2026, 11, 1),
                    note="",
                    **kwargs,
                )
            assert refused.value.field == field
            assert words in str(refused.value.message)
            db.rollback()


def test_open_concern_blocks_the_close_page_and_links_to_it(client, world, app, plan_case):
    ids = _file(app, world, plan_case, concern=True)
    client.login("pro.noord@test.example")
    client.english()
    resp = client.get(f"/cases/{plan_case}/close")
    assert resp.status_code == 200
    html = unescape(resp.get_data(as_text=True))
    assert "This case cannot close yet" in html
    assert "Zorg om Noah" in html
    assert f'href="/cases/{plan_case}/safety/{ids["concern"]}"' in html
    assert "next Meldcode step: 1 of 5" in html
    assert "the form below is not saved" in html


def test_a_post_that_skips_the_page_is_refused_with_the_same_message(client, world, app, plan_case):
    """The attacker's way: POST the close form without opening it (a version guessed)."""
    _file(app, world, plan_case, concern=True)
    client.login("pro.noord@test.example")
    client.english()
    page = f"/cases/{plan_case}/close"
    version = str(world.case_obj(plan_case).version)
    typed = "Alles is goed gegaan, echt waar."
    resp = client.submit(page, close_form(version, close_note=typed), page=f"/cases/{plan_case}")
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert "This case cannot close while a safety concern is open: “Zorg om Noah”." in html
    assert typed in html  # the typed text stays
    assert world.case_obj(plan_case).status == CaseStatus.INTAKE
    assert _closing_count(app, plan_case) == 0


def test_a_stale_form_opened_before_the_concern_is_refused(client, other_client, world, app):
    """The close form was opened while nothing was open; a colleague opens a concern; the
    form is sent: refused with the concern named (not a conflict page), nothing saved."""
    case_id = world.case(world.pro_noord, name="Bakker", members=lisa_and_noah("Bakker"))
    client.login("pro.noord@test.example")
    client.english()
    page = f"/cases/{case_id}/close"
    v = form_version(client.get(page).get_data(as_text=True))
    other_client.login("pro2.noord@test.example")
    child = str(max(m.id for m in _members(app, case_id)))
    opened = other_client.submit(
        f"/cases/{case_id}/safety/new",
        {
            "title": "Blauwe plek",
            "opened_on": "2026-11-02",
            "child_ids": child,
            "observed_on": "2026-11-02",
            "description": "Gezien op school.",
            "source": "Juf",
        },
        page=f"/cases/{case_id}/safety/new",
    )
    assert opened.status_code == 302
    resp = client.submit(page, close_form(v), page=page)
    assert resp.status_code == 422
    assert "“Blauwe plek”" in unescape(resp.get_data(as_text=True))
    assert world.case_obj(case_id).status == CaseStatus.INTAKE


def _members(app, case_id: int):
    with app.app_context():
        return list(db.get(Case, case_id).family.members)


def test_a_closed_concern_no_longer_blocks(client, world, app, plan_case):
    ids = _file(app, world, plan_case, concern=True)
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        case = db.get(Case, plan_case)
        concern = db.get(SafetyConcern, ids["concern"])
        care.meldcode(pro, case, concern, 5)
        assert [c.next_step for c in closing_queries.open_concerns(plan_case)] == [None]
        care.sign_off_decision(db.get(api.User, world.lead_noord), case, concern)
        care.close_concern(pro, case, concern)
        db.commit()
        assert closing_queries.open_concerns(plan_case) == []
    client.login("pro.noord@test.example")
    page = f"/cases/{plan_case}/close"
    v = form_version(client.get(page).get_data(as_text=True))
    assert client.submit(page, close_form(v), page=page).status_code == 302


def test_opening_a_concern_moves_the_case_version_on(app, world, plan_case):
    """What makes a closing and an opening at the same moment exclusive: both write the case
    row under its version."""
    _file(app, world, plan_case)
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        case = db.get(Case, plan_case)
        before = case.version
        child = [m.id for m in members_of(case) if m.role.value == "child"]
        care.concern(pro, case, api.load_plan(case), child)
        db.commit()
        assert db.get(Case, plan_case).version == before + 1


def test_a_concern_opened_between_the_check_and_the_save_stops_the_closing(
    app, world, plan_case, monkeypatch
):
    """The race: the closing checked (nothing open), then another request opened a concern
    and saved (the case row's version moved on), then the closing writes: refused as a
    conflict, nothing closed."""
    _file(app, world, plan_case)
    from wijkteam.closing import services as closing_services

    real_check = closing_services.check_no_open_concern

    def check_then_someone_opens_a_concern(case: Case) -> None:
        real_check(case)  # nothing open yet
        with db.get_bind().connect() as other:  # the other request, committed
            other.execute(
                text("UPDATE cases SET version = version + 1, status = 'active' WHERE id = :id"),
                {"id": case.id},
            )
            other.commit()

    monkeypatch.setattr(
        closing_services, "check_no_open_concern", check_then_someone_opens_a_concern
    )
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        case = db.get(Case, plan_case)
        with pytest.raises(EditConflict):
            api.close_case(
                pro,
                case,
                expected_version=case.version,
                reason=CloseReason.GOALS_REACHED,
                closed_on=date(2026, 11, 1),
                note="",
            )
        db.rollback()
    assert world.case_obj(plan_case).status == CaseStatus.ACTIVE
    assert _closing_count(app, plan_case) == 0


def test_a_case_closed_while_a_concern_is_being_opened_keeps_it_out(app, world, plan_case):
    """The other side of the race: the concern's request read the case (open), then the
    case was closed and saved; opening the concern fails, so nothing is left open on a
    closed case."""
    _file(app, world, plan_case)
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        case = db.get(Case, plan_case)
        plan = api.load_plan(case)
        child = [m.id for m in members_of(case) if m.role.value == "child"]
        with db.get_bind().connect() as other:
            other.execute(
                text("UPDATE cases SET version = version + 1, status = 'closed' WHERE id = :id"),
                {"id": case.id},
            )
            other.commit()
        with pytest.raises(EditConflict) as failed:
            care.concern(pro, case, plan, child)
        assert failed.value.obj is case  # the conflict page names the case
        db.rollback()
    with app.app_context():
        assert db.scalar(select(func.count(SafetyConcern.id))) == 0


def test_close_of_another_teams_case_is_404_and_nothing_changes(client, world, app):
    case_id = world.case(world.pro_zuid, name="Zuidgezin")
    client.login("lead.noord@test.example")
    assert client.get(f"/cases/{case_id}/close").status_code == 404
    resp = client.submit(f"/cases/{case_id}/close", close_form("1"), page="/cases")
    assert resp.status_code == 404
    assert world.case_obj(case_id).status == CaseStatus.INTAKE


def test_open_concern_query_is_by_status_only(app, world, plan_case):
    """Open and being handled both count; the query reads the database, not the session."""
    ids = _file(app, world, plan_case, concern=True)
    with app.app_context():
        db.execute(
            update(SafetyConcern)
            .where(SafetyConcern.id == ids["concern"])
            .values(status=ConcernStatus.BEING_HANDLED)
        )
        db.commit()
        found = closing_queries.open_concerns(plan_case)
        assert [(c.title, c.status, c.next_step) for c in found] == [
            ("Zorg om Noah", ConcernStatus.BEING_HANDLED, 1)
        ]
