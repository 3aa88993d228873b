"""Editing families, members and cases; conflicts on concurrent edits; closing a case."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.conftest import form_version
from tests.test_queries import count_queries, lazy_loads
from wijkteam.auth.models import User
from wijkteam.cases.models import Case, CaseStatus, FamilyMember
from wijkteam.core import clock
from wijkteam.core.db import db


def family_form(**values: str) -> dict[str, str]:
    data = {
        "name": "Bakker",
        "address": "Teststraat 1",
        "postcode": "9999 ZZ",
        "city": "Testdorp",
        "phone": "",
        "context": "",
    }
    data.update(values)
    return data


def test_edit_family_saves_and_shows(client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro.noord@test.example")
    page = f"/cases/{case_id}/family/edit"
    version = form_version(client.get(page).get_data(as_text=True))
    resp = client.submit(
        page, family_form(context="Wij houden van samen koken.", version=version), page=page
    )
    assert resp.status_code == 302
    assert "Wij houden van samen koken." in client.get(f"/cases/{case_id}").get_data(as_text=True)


def test_second_editor_gets_a_conflict_page_that_keeps_their_text(client, other_client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    page = f"/cases/{case_id}/family/edit"
    client.login("pro.noord@test.example")
    other_client.login("pro2.noord@test.example")
    other_client.english()
    # Both open the form.
    version_a = form_version(client.get(page).get_data(as_text=True))
    version_b = form_version(other_client.get(page).get_data(as_text=True))
    assert version_a == version_b
    # A saves first.
    first = client.submit(
        page, family_form(context="Tekst van collega A.", version=version_a), page=page
    )
    assert first.status_code == 302
    # B saves on the stale version: conflict, nothing overwritten, B's text kept.
    resp = other_client.submit(
        page, family_form(context="Mijn eigen lange verslag van B.", version=version_b), page=page
    )
    assert resp.status_code == 409
    html = resp.get_data(as_text=True)
    assert "Someone else saved changes while you were editing" in html
    assert "Mijn eigen lange verslag van B." in html  # B's typing kept in the form
    assert "Tekst van collega A." in html  # and A's saved text shown beside it
    with app.app_context():
        case = db.get(Case, case_id)
        assert case.family.context == "Tekst van collega A."
    # Saving again from the conflict page is a deliberate choice and succeeds.
    new_version = form_version(html)
    assert new_version != version_b
    again = other_client.submit(
        page, family_form(context="Mijn eigen lange verslag van B.", version=new_version), page=page
    )
    assert again.status_code == 302
    with app.app_context():
        assert db.get(Case, case_id).family.context == "Mijn eigen lange verslag van B."


def test_no_conflict_box_without_a_conflict(client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro.noord@test.example")
    for page in (
        f"/cases/{case_id}/edit",
        f"/cases/{case_id}/family/edit",
        f"/cases/{case_id}/members/new",
        f"/cases/{case_id}/close",
        "/cases/new",
    ):
        html = client.get(page).get_data(as_text=True)
        assert 'class="conflict"' not in html, page
        assert 'class="error-summary"' not in html, page


def test_missing_or_tampered_version_is_never_a_silent_overwrite(client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro.noord@test.example")
    page = f"/cases/{case_id}/family/edit"
    resp = client.submit(page, family_form(context="zonder versie"), page=page)
    assert resp.status_code == 409
    assert "zonder versie" in resp.get_data(as_text=True)
    client.english()
    resp = client.submit(page, family_form(context="rare versie", version="abc"), page=page)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "rare versie" in html
    assert "This form was changed outside the app. Reload the page." in html
    with app.app_context():
        assert db.get(Case, case_id).family.context == ""


def test_edit_case_saves_question_and_status_but_not_who_leads(client, world, app):
    """Who leads the case changes on its own page (tests/cases/test_handover.py): lead and duo
    sent along with the edit form are not taken, even by the case lead."""
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro.noord@test.example")
    page = f"/cases/{case_id}/edit"
    version = form_version(client.get(page).get_data(as_text=True))
    resp = client.submit(
        page,
        {
            "question_for_help": "Wij willen meer rust.",
            "lead_id": str(world.pro2_noord),
            "duo_id": str(world.pro_noord),
            "status": "active",
            "version": version,
        },
        page=page,
    )
    assert resp.status_code == 302
    case = world.case_obj(case_id)
    assert (case.lead_id, case.duo_id, case.status, case.question_for_help) == (
        world.pro_noord,
        None,
        CaseStatus.ACTIVE,
        "Wij willen meer rust.",
    )


def test_edit_case_cannot_close_through_status(client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro.noord@test.example")
    page = f"/cases/{case_id}/edit"
    version = form_version(client.get(page).get_data(as_text=True))
    resp = client.submit(
        page,
        {
            "question_for_help": "x",
            "lead_id": str(world.pro_noord),
            "status": "closed",
            "version": version,
        },
        page=page,
    )
    assert resp.status_code == 422
    assert world.case_obj(case_id).status == CaseStatus.INTAKE


def test_case_conflict_on_stale_edit(client, other_client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    page = f"/cases/{case_id}/edit"
    client.login("pro.noord@test.example")
    other_client.login("lead.noord@test.example")
    v = form_version(client.get(page).get_data(as_text=True))
    form = {"lead_id": str(world.pro_noord), "status": "active", "version": v}
    assert (
        other_client.submit(
            page, {**form, "question_for_help": "Versie teamleider"}, page=page
        ).status_code
        == 302
    )
    resp = client.submit(page, {**form, "question_for_help": "Versie professional"}, page=page)
    assert resp.status_code == 409
    assert "Versie professional" in resp.get_data(as_text=True)
    assert world.case_obj(case_id).question_for_help == "Versie teamleider"


def test_edit_member_and_conflict(client, other_client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    with app.app_context():
        member_id = db.scalar(select(FamilyMember.id))
    page = f"/cases/{case_id}/members/{member_id}/edit"
    client.login("pro.noord@test.example")
    other_client.login("pro2.noord@test.example")
    html = client.get(page).get_data(as_text=True)
    assert 'value="Nederlands"' in html  # languages shown as typed text
    v = form_version(html)
    base = {
        "first_name": "Ada",
        "last_name": "Bakker",
        "date_of_birth": "1990-01-02",
        "role": "parent",
        "version": v,
    }
    assert (
        other_client.submit(
            page, {**base, "languages": "Nederlands, Engels"}, page=page
        ).status_code
        == 302
    )
    resp = client.submit(page, {**base, "languages": "Nederlands, Papiaments"}, page=page)
    assert resp.status_code == 409
    assert "Nederlands, Papiaments" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.get(FamilyMember, member_id).languages == ["Nederlands", "Engels"]


def test_member_who_left_the_household_stays_on_record(client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    with app.app_context():
        member_id = db.scalar(select(FamilyMember.id))
    page = f"/cases/{case_id}/members/{member_id}/edit"
    client.login("pro.noord@test.example")
    v = form_version(client.get(page).get_data(as_text=True))
    resp = client.submit(
        page,
        {
            "first_name": "Ada",
            "last_name": "Bakker",
            "role": "parent",
            "left_household_on": "2026-02-01",
            "version": v,
        },
        page=page,
    )
    assert resp.status_code == 302
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Ada Bakker" in html
    assert 'class="left"' in html


def close_form(version: str, **values: str) -> dict[str, str]:
    return {
        "close_reason": "goals_reached",
        "ended_by": "together",
        "closed_on": "2026-11-01",
        "close_note": "Het gaat goed.",
        "version": version,
        **values,
    }


def test_close_case_with_reason(client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro.noord@test.example")
    page = f"/cases/{case_id}/close"
    v = form_version(client.get(page).get_data(as_text=True))
    assert client.submit(page, close_form(v), page=page).status_code == 302
    case = world.case_obj(case_id)
    assert case.status == CaseStatus.CLOSED
    assert case.closed_on == date(2026, 11, 1)
    assert case.close_reason.value == "goals_reached"
    # Closed cases stay readable but no longer change.
    assert client.get(f"/cases/{case_id}").status_code == 200
    assert client.get(f"/cases/{case_id}/family/edit").status_code == 403
    assert client.get(f"/cases/{case_id}/close").status_code == 403
    assert "Bakker" in client.get("/cases?status=closed").get_data(as_text=True)
    assert "Bakker" not in client.get("/cases").get_data(as_text=True)


def test_close_case_bad_input(client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")  # opened 2026-01-05
    client.login("pro.noord@test.example")
    client.english()
    page = f"/cases/{case_id}/close"
    v = form_version(client.get(page).get_data(as_text=True))
    resp = client.submit(page, close_form(v, close_reason=""), page=page)
    assert resp.status_code == 422 and "Choose a reason." in resp.get_data(as_text=True)
    resp = client.submit(page, close_form(v, close_reason="other", close_note=""), page=page)
    assert resp.status_code == 422 and "Please explain the reason." in resp.get_data(as_text=True)
    future = (clock.today() + timedelta(days=2)).isoformat()
    resp = client.submit(page, close_form(v, closed_on=future), page=page)
    assert resp.status_code == 422
    resp = client.submit(
        page, close_form(v, closed_on="2025-12-31", close_note="Te vroeg"), page=page
    )
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "A case cannot close before it was opened." in html
    assert "Te vroeg" in html
    assert world.case_obj(case_id).status == CaseStatus.INTAKE


def test_only_lead_duo_or_teamlead_closes(client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro2.noord@test.example")
    assert client.get(f"/cases/{case_id}").status_code == 200
    assert client.get(f"/cases/{case_id}/close").status_code == 403
    client.logout()
    client.login("lead.noord@test.example")
    assert client.get(f"/cases/{case_id}/close").status_code == 200


def test_new_case_for_a_family_after_closing(client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro.noord@test.example")
    page = f"/cases/{case_id}/new-case"
    form = {
        "question_for_help": "We hebben weer hulp nodig.",
        "lead_id": str(world.pro_noord),
        "opened_on": "2026-11-10",
    }
    # While the case is open, no second case.
    assert client.submit(page, form, page=f"/cases/{case_id}").status_code == 403
    v = form_version(client.get(f"/cases/{case_id}/close").get_data(as_text=True))
    client.submit(f"/cases/{case_id}/close", close_form(v), page=f"/cases/{case_id}/close")
    assert "new-case" in client.get(f"/cases/{case_id}").get_data(as_text=True)
    client.english()
    resp = client.submit(page, {**form, "opened_on": "2026-10-01"}, page=page)
    assert resp.status_code == 422
    assert "cannot start before the last one closed" in resp.get_data(as_text=True)
    resp = client.submit(page, form, page=page)
    assert resp.status_code == 302
    new_id = int(resp.headers["Location"].rsplit("/", 1)[1])
    new = world.case_obj(new_id)
    old = world.case_obj(case_id)
    assert new.family_id == old.family_id and new.status == CaseStatus.INTAKE
    with app.app_context():  # the earlier case was led by a colleague (named only there)
        db.get(Case, case_id).lead_id = world.pro2_noord
        db.commit()
    with lazy_loads() as lazy:
        html = client.get(f"/cases/{new_id}").get_data(as_text=True)
    assert f'href="/cases/{case_id}"' in html  # the earlier case is listed
    # With its lead's name, loaded with it: no query per listed case (the family's members
    # come with the case on this page; the seed test holds that).
    lead = world.get(User, world.pro2_noord).display_name
    listed = html.split(f'href="/cases/{case_id}"', 1)[1].split("</li>", 1)[0]
    assert listed.endswith(f"· {lead}")
    assert [load for load in lazy if "Family.members" not in load] == []
    assert f'href="/cases/{new_id}"' in client.get(f"/cases/{case_id}").get_data(as_text=True)
    # The family's other cases are read only when there are any (issue 21): a family with one
    # case costs a statement less, and shows no trace of the list.
    single = world.case(world.pro_noord, name="Visser")
    for case in (new_id, single):
        client.get(f"/cases/{case}")
    with count_queries(app) as with_other:
        client.get(f"/cases/{new_id}")
    with count_queries(app) as alone:
        html = client.get(f"/cases/{single}").get_data(as_text=True)
    assert with_other["n"] == alone["n"] + 1
    assert "Other cases of this family" not in html
    # Only one open case at a time.
    assert client.submit(page, form, page=page).status_code == 403


def test_corrections_keep_the_earlier_values(client, world, app):
    from wijkteam.audit.history import Revision

    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro.noord@test.example")
    page = f"/cases/{case_id}/family/edit"
    v = form_version(client.get(page).get_data(as_text=True))
    client.submit(
        page, family_form(context="Nieuwe tekst", phone="06-00000007", version=v), page=page
    )
    with app.app_context():
        revision = db.scalar(select(Revision).where(Revision.table_name == "families"))
        assert revision.old == {"context": "", "phone": ""}
        assert revision.changed_by_id == world.pro_noord
        assert revision.case_id == case_id
