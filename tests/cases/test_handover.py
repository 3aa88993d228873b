"""Who leads a case (issue 14, item 1): a professional cannot make himself case lead and so
gain what only the case lead sees. The team lead decides, or the case lead hands over; the
team lead and the people concerned see it, and the audit row names old and new."""

from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import select

from tests.conftest import form_version
from tests.test_queries import lazy_loads
from wijkteam.audit.models import AuditEvent
from wijkteam.cases import services
from wijkteam.cases.models import Case, CaseHandover
from wijkteam.core.db import db
from wijkteam.core.errors import NotAllowed


@pytest.fixture
def case_id(world):
    """Led by pro.noord; pro2.noord is in the team but neither lead nor duo."""
    return world.case(world.pro_noord, name="Bakker")


def lead_of(app, case_id) -> tuple[int, int | None]:
    with app.app_context():
        case = db.get(Case, case_id)
        return case.lead_id, case.duo_id


def lead_rights(app, user_id, case_id) -> tuple[bool, bool, bool]:
    """(family file, confidential sources, closing) for this user on this case."""
    from wijkteam.auth.models import User
    from wijkteam.core.permissions import (
        can_close_case,
        can_see_confidential_source,
        can_view_family_file,
    )

    with app.app_context():
        user, case = db.get(User, user_id), db.get(Case, case_id)
        return (
            can_view_family_file(user, case),
            can_see_confidential_source(user, case),
            can_close_case(user, case),
        )


def handovers(app) -> list[CaseHandover]:
    with app.app_context():
        rows = list(db.scalars(select(CaseHandover)))
        db.expunge_all()
        return rows


def test_a_professional_cannot_make_himself_case_lead_through_the_edit_form(
    app, client, world, case_id
):
    """The tester's reproduction: POST /cases/<id>/edit with the form's fields and lead_id =
    his own id. The lead stays, and what only the case lead may see stays closed."""
    client.login("pro2.noord@test.example")
    page = f"/cases/{case_id}/edit"
    version = form_version(client.get(page).get_data(as_text=True))
    resp = client.submit(
        page,
        {
            "question_for_help": "We willen rust in huis.",
            "lead_id": str(world.pro2_noord),
            "duo_id": "",
            "status": "active",
            "version": version,
        },
        page=page,
    )
    assert resp.status_code in (302, 403)
    assert lead_of(app, case_id) == (world.pro_noord, None)
    assert handovers(app) == []
    assert client.get(f"/cases/{case_id}/close").status_code == 403
    assert lead_rights(app, world.pro2_noord, case_id) == (False, False, False)


def test_a_professional_cannot_use_the_hand_over_page(app, client, world, case_id):
    client.login("pro2.noord@test.example")
    page = f"/cases/{case_id}/lead"
    assert client.get(page).status_code == 403
    resp = client.submit(
        page,
        {"lead_id": str(world.pro2_noord), "duo_id": "", "reason": "Overname", "version": "1"},
        page="/cases",
    )
    assert resp.status_code == 403
    assert lead_of(app, case_id) == (world.pro_noord, None)
    assert f"/cases/{case_id}/lead" not in client.get(f"/cases/{case_id}").get_data(as_text=True)


def test_the_duo_colleague_cannot_make_himself_case_lead(app, client, world):
    case_id = world.case(world.pro_noord, name="Duo", duo_id=world.pro2_noord)
    client.login("pro2.noord@test.example")
    resp = client.submit(
        f"/cases/{case_id}/lead",
        {"lead_id": str(world.pro2_noord), "duo_id": "", "reason": "Overname", "version": "1"},
        page="/cases",
    )
    assert resp.status_code == 403
    assert lead_of(app, case_id) == (world.pro_noord, world.pro2_noord)


def test_the_service_refuses_whatever_the_route(app, world, case_id):
    """The rule holds below the pages: update_case never changes who leads, and change_lead
    refuses anyone but the team lead and the case lead."""
    from wijkteam.auth.models import User

    with app.test_request_context():
        case = db.get(Case, case_id)
        pro2 = db.get(User, world.pro2_noord)
        with pytest.raises(NotAllowed):
            services.update_case(
                pro2,
                case,
                expected_version=case.version,
                data={"question_for_help": "x", "lead_id": pro2.id},
            )
        with pytest.raises(NotAllowed):
            services.change_lead(
                pro2,
                case,
                expected_version=case.version,
                lead_id=pro2.id,
                duo_id=None,
                reason="x",
            )
        db.rollback()
    assert lead_of(app, case_id) == (world.pro_noord, None)


def test_the_case_lead_hands_over_and_everyone_concerned_sees_it(
    app, client, other_client, world, case_id
):
    client.login("pro.noord@test.example")
    client.english()
    page = f"/cases/{case_id}/lead"
    html = client.get(page).get_data(as_text=True)
    resp = client.submit(
        page,
        {
            "lead_id": str(world.pro2_noord),
            "duo_id": str(world.pro_noord),
            "reason": "Ik ga met verlof; Pro2 kent de familie.",
            "version": form_version(html),
        },
        page=page,
    )
    assert resp.status_code == 302
    assert lead_of(app, case_id) == (world.pro2_noord, world.pro_noord)
    [handover] = handovers(app)
    assert (handover.changed_by_id, handover.from_lead_id, handover.to_lead_id) == (
        world.pro_noord,
        world.pro_noord,
        world.pro2_noord,
    )
    # The audit row names old and new.
    with app.app_context():
        row = db.scalar(select(AuditEvent).where(AuditEvent.action == "case.handover"))
        assert row.case_id == case_id and row.user_id == world.pro_noord
        assert "Pro Noord" in row.detail and "Pro2 Noord" in row.detail
        assert row.detail.index("Pro Noord") < row.detail.index("Pro2 Noord")
        assert set(row.fields) == {"lead_id", "duo_id"}
    # The former and the new lead see it in their week; the team lead on the team overview.
    # Each shows the names from the one query of the hand-overs: nothing loaded lazily.
    with lazy_loads() as lazy:
        week = client.get("/dashboard").get_data(as_text=True)
    assert "Ik ga met verlof" in week
    assert not lazy, lazy
    # Who decided, from whom to whom, with the family's name (the list's plain rows).
    with app.app_context():
        family = db.get(Case, case_id).family.name
    line = unescape(week).split("Ik ga met verlof")[0].rsplit("<li>", 1)[1]
    assert f"Family {family}</a>" in line
    assert "case lead Pro Noord → Pro2 Noord" in line
    duo_before = "none" if handover.from_duo_id is None else "Pro2 Noord"
    assert f"duo colleague {duo_before} → Pro Noord" in line
    assert "by Pro Noord" in line
    other_client.login("pro2.noord@test.example")
    with lazy_loads() as lazy:
        assert "Ik ga met verlof" in other_client.get("/dashboard").get_data(as_text=True)
    assert not lazy, lazy
    lead = app.test_client()
    lead.login("lead.noord@test.example")
    with lazy_loads() as lazy:
        assert "Ik ga met verlof" in lead.get("/dashboard").get_data(as_text=True)
    assert not lazy, lazy
    # Someone it does not concern does not get it in their week; another team never sees it.
    third = app.test_client()
    third.login("admin.noord@test.example")
    assert "Ik ga met verlof" not in third.get("/dashboard").get_data(as_text=True)
    zuid = app.test_client()
    zuid.login("lead.zuid@test.example")
    assert "Ik ga met verlof" not in zuid.get("/dashboard").get_data(as_text=True)
    # The rights of the case lead moved with the case.
    assert lead_rights(app, world.pro_noord, case_id) == (False, False, True)  # duo now
    assert lead_rights(app, world.pro2_noord, case_id) == (True, True, True)


def test_the_team_lead_changes_the_lead_and_a_reason_is_required(app, client, world, case_id):
    client.login("lead.noord@test.example")
    client.english()
    page = f"/cases/{case_id}/lead"
    version = form_version(client.get(page).get_data(as_text=True))
    data = {"lead_id": str(world.pro2_noord), "duo_id": "", "reason": "", "version": version}
    resp = client.submit(page, data, page=page)
    assert resp.status_code == 422
    assert "Write why the case changes hands." in resp.get_data(as_text=True)
    resp = client.submit(page, {**data, "reason": "Werkverdeling"}, page=page)
    assert resp.status_code == 302
    assert lead_of(app, case_id) == (world.pro2_noord, None)


def test_a_hand_over_to_someone_outside_the_team_or_inactive_is_refused(
    app, client, world, case_id
):
    client.login("lead.noord@test.example")
    page = f"/cases/{case_id}/lead"
    version = form_version(client.get(page).get_data(as_text=True))
    for outsider in (world.pro_zuid, world.admin, 999999, "abc"):
        resp = client.submit(
            page,
            {"lead_id": str(outsider), "duo_id": "", "reason": "x", "version": version},
            page=page,
        )
        assert resp.status_code == 422, outsider
    assert lead_of(app, case_id) == (world.pro_noord, None)


def test_the_edit_form_still_saves_the_question(app, client, world, case_id):
    client.login("pro2.noord@test.example")
    page = f"/cases/{case_id}/edit"
    version = form_version(client.get(page).get_data(as_text=True))
    resp = client.submit(
        page,
        {"question_for_help": "Nieuwe vraag", "status": "active", "version": version},
        page=page,
    )
    assert resp.status_code == 302
    with app.app_context():
        assert db.get(Case, case_id).question_for_help == "Nieuwe vraag"
