"""The resource catalogue and referrals through HTTP."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from tests.conftest import form_version
from tests.plans.conftest import PlanUI
from wijkteam.audit.models import AuditEvent
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.plans.models import Action
from wijkteam.resources.models import Referral, ReferralStatus, Resource

TOMORROW = (clock.today() + timedelta(days=1)).isoformat()


def resource_data(**values):
    data = {
        "name": "Vadergroep De Brug",
        "kind": "parent_group",
        "audience": "fathers",
        "offers": "Vaders praten over opvoeden.",
        "languages": "Nederlands, Twi",
        "contact_name": "Kees",
        "contact_phone": "06-00000201",
        "when": "dinsdag 19:30",
        "free": "y",
    }
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


def add_resource(client, **values) -> int:
    resp = client.submit("/resources/new", resource_data(**values), page="/resources/new")
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    return int(resp.headers["Location"].rsplit("/", 1)[1])


@pytest.fixture
def pro(client, world):
    client.login("pro.noord@test.example")
    return client


def test_catalogue_add_search_filter(pro, app):
    add_resource(pro)
    add_resource(
        pro,
        name="Vrouwengroep Nkabom",
        kind="self_org",
        audience="mothers",
        languages="Twi, Engels",
        contact_name="Auntie Adwoa",
        free="",
    )
    add_resource(
        pro,
        name="Jeugdhulp Specialistisch",
        kind="specialist",
        audience="children",
        languages="Nederlands",
        contact_name="Intake",
        free="",
    )
    assert "Vrouwengroep Nkabom" in pro.get("/resources?q=nkabom").get_data(as_text=True)
    twi = pro.get("/resources?language=Twi").get_data(as_text=True)
    assert "Vadergroep De Brug" in twi and "Vrouwengroep Nkabom" in twi
    assert "Jeugdhulp Specialistisch" not in twi
    kind = pro.get("/resources?kind=specialist").get_data(as_text=True)
    assert "Jeugdhulp Specialistisch" in kind and "Vadergroep De Brug" not in kind
    free = pro.get("/resources?free=1").get_data(as_text=True)
    assert "Vadergroep De Brug" in free and "Vrouwengroep Nkabom" not in free


def test_catalogue_bad_input_and_conflict(pro, other_client, app):
    pro.english()
    resp = pro.submit(
        "/resources/new",
        resource_data(contact_name="", age_from="12", age_to="4"),
        page="/resources/new",
    )
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Name a contact person" in html and "Vaders praten over opvoeden." in html
    resp = pro.submit(
        "/resources/new", resource_data(age_from="12", age_to="4"), page="/resources/new"
    )
    assert "The upper age must not be below the lower age." in resp.get_data(as_text=True)
    resp = pro.submit(
        "/resources/new", resource_data(contact_email="geen-mail"), page="/resources/new"
    )
    assert "This is not a valid e-mail address." in resp.get_data(as_text=True)
    resource_id = add_resource(pro)
    page = f"/resources/{resource_id}/edit"
    other_client.login("pro2.noord@test.example")
    v = form_version(pro.get(page).get_data(as_text=True))
    assert (
        other_client.submit(page, resource_data(when="woensdag", version=v), page=page).status_code
        == 302
    )
    resp = pro.submit(page, resource_data(when="donderdag avond", version=v), page=page)
    assert resp.status_code == 409 and "donderdag avond" in resp.get_data(as_text=True)


def test_catalogue_is_per_team_and_archived_not_deleted(pro, other_client, app):
    resource_id = add_resource(pro)
    other_client.login("pro.zuid@test.example")
    assert other_client.get(f"/resources/{resource_id}").status_code == 404
    assert "Vadergroep De Brug" not in other_client.get("/resources").get_data(as_text=True)
    page = f"/resources/{resource_id}"
    v = form_version(pro.get(page).get_data(as_text=True))
    resp = pro.submit(f"{page}/archive", {"archive_reason": "Gestopt.", "version": v}, page=page)
    assert resp.status_code == 302
    assert "Vadergroep De Brug" not in pro.get("/resources").get_data(as_text=True)
    assert "Vadergroep De Brug" in pro.get("/resources?archived=1").get_data(as_text=True)
    with app.app_context():
        assert db.get(Resource, resource_id).archived_on is not None


def csv_file(text: str):
    return (io.BytesIO(text.encode("utf-8")), "kaart.csv")


def test_csv_export_and_import_round_trip(pro, app):
    add_resource(pro, name='=HYPERLINK("http://evil")', contact_name="@Kees")
    resp = pro.get("/resources/export.csv")
    assert resp.mimetype == "text/csv"
    text = resp.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("name;kind;offers")
    assert "'=HYPERLINK" in text and "'@Kees" in text  # formulas neutralised
    csv_text = (
        "name;kind;offers;audience;age_from;age_to;languages;area;contact_name;contact_phone;"
        "contact_email;when;free\n"
        "Opvoedparty Noord;parent_group;Samen praten;parents;0;12;Nederlands, Arabisch;Noord;"
        "Fatima;06-00000202;fatima@example.org;maandelijks;ja\n"
        "CJG Wijkdorp;preventive;Vragen over opgroeien;everyone;;;Nederlands;;Balie;;;"
        "werkdagen;ja\n"
    )
    resp = pro.submit(
        "/resources/import",
        {"file": csv_file(csv_text)},
        page="/resources/import",
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    with app.app_context():
        party = db.scalar(select(Resource).where(Resource.name == "Opvoedparty Noord"))
        assert party.languages == ["Nederlands", "Arabisch"] and party.age_to == 12
    # Importing again updates by name instead of adding twice.
    updated = csv_text.replace("maandelijks", "elke eerste vrijdag")
    pro.submit(
        "/resources/import",
        {"file": csv_file(updated)},
        page="/resources/import",
        content_type="multipart/form-data",
    )
    with app.app_context():
        assert (
            db.scalar(select(func.count(Resource.id)).where(Resource.name == "Opvoedparty Noord"))
            == 1
        )
        assert (
            db.scalar(select(Resource.when).where(Resource.name == "Opvoedparty Noord"))
            == "elke eerste vrijdag"
        )


def test_csv_import_with_bad_rows_imports_nothing(pro, app):
    pro.english()
    csv_text = (
        "name,kind,contact_name,free,age_from\n"
        "Goede rij,volunteer_org,Piet,ja,\n"
        "Slechte soort,banana,Piet,ja,\n"
        ",volunteer_org,Piet,ja,\n"
        "Leeftijd,volunteer_org,Piet,misschien,tien\n"
    )
    resp = pro.submit(
        "/resources/import",
        {"file": csv_file(csv_text)},
        page="/resources/import",
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Nothing was imported" in html
    assert "Row 3:" in html and "Row 4:" in html and "Row 5:" in html
    assert "Row 2:" not in html
    with app.app_context():
        assert db.scalar(select(func.count(Resource.id))) == 0
    resp = pro.submit(
        "/resources/import",
        {"file": csv_file("naam;soort\nx;y\n")},
        page="/resources/import",
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422 and "Missing columns" in resp.get_data(as_text=True)
    resp = pro.submit(
        "/resources/import",
        {"file": (io.BytesIO(b"\xff\xfe\x00\x01" * 10), "x.csv")},
        page="/resources/import",
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422


def referral_data(resource_id: int, **values):
    data = {
        "direction": "outgoing",
        "resource_id": str(resource_id),
        "reason": "Kwame wil andere vaders ontmoeten.",
        "family_wants": "Praten over opvoeden.",
        "family_agreed": "yes",
        "owner_id": "2",
        "follow_up_on": TOMORROW,
        "status": "agreed",
    }
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


def test_referral_life_cycle(pro, plan_case, app, world):
    resource_id = add_resource(pro)
    page = f"/cases/{plan_case}/referrals/new"
    resp = pro.submit(page, referral_data(resource_id), page=page)
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    url = resp.headers["Location"]
    for status in ("made", "started", "ended"):
        v = form_version(pro.get(url).get_data(as_text=True))
        resp = pro.submit(
            url,
            {
                "status": status,
                "changed_on": clock.today().isoformat(),
                "note": f"Stap {status}",
                "version": v,
            },
            page=url,
        )
        assert resp.status_code == 302
    with app.app_context():
        referral = db.scalar(select(Referral))
        assert referral.status == ReferralStatus.ENDED
        assert [h.status.value for h in referral.history] == ["agreed", "made", "started", "ended"]
        actions = set(db.scalars(select(AuditEvent.action).where(AuditEvent.case_id == plan_case)))
        assert {"referral.create", "referral.status"} <= actions
    html = pro.get(url).get_data(as_text=True)
    assert "Stap started" in html


def test_referral_rules(pro, plan_case, app):
    pro.english()
    regular = add_resource(pro)
    specialist = add_resource(pro, name="Jeugdhulp", kind="specialist", audience="children")
    page = f"/cases/{plan_case}/referrals/new"
    resp = pro.submit(page, referral_data(regular, family_agreed=None), page=page)
    assert resp.status_code == 422
    assert "Did the family agree to this referral?" in resp.get_data(as_text=True)
    resp = pro.submit(page, referral_data(regular, family_agreed="no", status="made"), page=page)
    assert "Refer only with the family&#39;s agreement." in resp.get_data(as_text=True)
    resp = pro.submit(page, referral_data(specialist), page=page)
    assert resp.status_code == 422
    assert "what can the family and its network do themselves?" in resp.get_data(as_text=True)
    assert "Kwame wil andere vaders ontmoeten." in resp.get_data(as_text=True)
    resp = pro.submit(page, referral_data(regular, owner_id="5"), page=page)  # a Zuid user
    assert resp.status_code == 422
    # Incoming referrals need no agreement question; specialist with own strength is fine.
    assert (
        pro.submit(
            page,
            referral_data(regular, direction="incoming", family_agreed=None, status="started"),
            page=page,
        ).status_code
        == 302
    )
    assert (
        pro.submit(
            page, referral_data(specialist, own_strength="Oma helpt met bedtijd."), page=page
        ).status_code
        == 302
    )
    with app.app_context():
        assert db.scalar(select(func.count(Referral.id))) == 2


def test_referrals_needing_follow_up(pro, other_client, plan_case, app, world):
    resource_id = add_resource(pro)
    page = f"/cases/{plan_case}/referrals/new"
    pro.submit(
        page, referral_data(resource_id, follow_up_on=None, reason="Zonder datum."), page=page
    )
    pro.submit(page, referral_data(resource_id, reason="Te laat."), page=page)
    pro.submit(page, referral_data(resource_id, reason="Op tijd."), page=page)
    with app.app_context():  # one follow-up date passes
        db.execute(
            update(Referral)
            .where(Referral.reason == "Te laat.")
            .values(follow_up_on=clock.today() - timedelta(days=3))
        )
        db.commit()
    html = pro.get("/referrals").get_data(as_text=True)
    assert html.count('class="tag"') == 2  # "no follow-up date" and "overdue"
    other_client.login("lead.noord@test.example")
    assert other_client.get("/referrals").get_data(as_text=True).count('class="tag"') == 2
    other_client.logout()
    other_client.login("pro2.noord@test.example")  # not the owner
    assert other_client.get("/referrals").get_data(as_text=True).count('class="tag"') == 0


def test_plan_action_links_a_resource(pro, plan_case, app):
    resource_id = add_resource(pro)
    plan = PlanUI(pro, plan_case)
    plan.start()
    goal_id = plan.goal_id(plan.add_goal())
    page = f"/cases/{plan_case}/plan/goals/{goal_id}/actions/new"
    resp = pro.submit(
        page,
        {
            "text": "Kwame gaat op dinsdag naar de vadergroep.",
            "owner_kind": "family",
            "status": "planned",
            "resource_id": str(resource_id),
        },
        page=page,
    )
    assert resp.status_code == 302
    html = pro.get(f"/cases/{plan_case}/plan/goals/{goal_id}").get_data(as_text=True)
    assert "Vadergroep De Brug" in html
    with app.app_context():
        assert db.scalar(select(Action.resource_id)) == resource_id
