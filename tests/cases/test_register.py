"""Registering a family with its members and opening a case."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from wijkteam.cases.models import Case, CaseStatus, Family, FamilyMember
from wijkteam.core import clock
from wijkteam.core.db import db


def member_row(i: int, **values: str) -> dict[str, str]:
    base = {
        "first_name": "",
        "last_name": "",
        "date_of_birth": "",
        "role": "parent",
        "languages": "",
        "interpreter_language": "",
        "custody": "",
    }
    base.update(values)
    return {f"members-{i}-{k}": v for k, v in base.items()}


def register_data(world, **overrides: str) -> dict[str, str]:
    data = {
        "name": "Owusu",
        "address": "Voorbeeldlaan 3",
        "postcode": "9991 AB",
        "city": "Wijkdorp",
        "phone": "06-00000099",
        "context": "Wij gaan elke zondag naar de kerk.",
        "question_for_help": "Wij willen dat Abena niet meer hoeft te tolken.",
        "lead_id": str(world.pro_noord),
        "duo_id": "",
        "opened_on": "2026-11-01",
        **member_row(
            0,
            first_name="Akosua",
            last_name="Owusu",
            date_of_birth="1985-04-02",
            role="parent",
            languages="Twi",
            interpreter_needed="y",
            interpreter_language="Twi",
        ),
        **member_row(
            1,
            first_name="Abena",
            last_name="Owusu",
            date_of_birth="2014-06-20",
            role="child",
            languages="Twi, Nederlands",
            custody="both_parents",
        ),
        **member_row(2),  # an empty row is ignored
    }
    data.update(overrides)
    return data


def test_register_family_opens_a_case_with_members(client, world, app):
    client.login("pro.noord@test.example")
    resp = client.submit("/cases/new", register_data(world), page="/cases/new")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    case_id = int(resp.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        case = db.get(Case, case_id)
        assert case.team_id == world.noord
        assert case.lead_id == world.pro_noord
        assert case.status == CaseStatus.INTAKE
        assert case.opened_on == date(2026, 11, 1)
        members = {m.first_name: m for m in case.family.members}
        assert set(members) == {"Akosua", "Abena"}
        assert members["Akosua"].languages == ["Twi"]
        assert members["Akosua"].interpreter_needed is True
        assert members["Abena"].languages == ["Twi", "Nederlands"]
        assert members["Abena"].custody.value == "both_parents"
        assert members["Abena"].interpreter_language == ""
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Wij willen dat Abena niet meer hoeft te tolken." in html
    assert "Akosua Owusu" in html


def _errors_keep_typing(resp, *typed: str) -> str:
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert 'class="errors"' in html or 'class="error-summary"' in html
    for text in typed:
        assert text in html, text
    return html


def _no_family_saved(app) -> None:
    with app.app_context():
        assert db.scalar(select(func.count(Family.id))) == 0


def test_empty_form_gets_messages_not_a_500(client, world, app):
    client.login("pro.noord@test.example")
    client.english()
    resp = client.submit("/cases/new", {}, page="/cases/new")
    html = _errors_keep_typing(resp)
    assert "Add at least one family member." in html
    assert "Write down what the family asks for" in html
    _no_family_saved(app)


def test_birth_date_in_the_future_is_refused_and_typing_kept(client, world, app):
    client.login("pro.noord@test.example")
    client.english()
    future = (clock.today() + timedelta(days=3)).isoformat()
    data = register_data(world, **{"members-1-date_of_birth": future})
    html = _errors_keep_typing(
        client.submit("/cases/new", data, page="/cases/new"),
        "Wij willen dat Abena niet meer hoeft te tolken.",
        "Wij gaan elke zondag naar de kerk.",
        future,
    )
    assert "A date of birth cannot be in the future." in html
    _no_family_saved(app)


def test_malformed_fields_get_clear_messages(client, world, app):
    client.login("pro.noord@test.example")
    client.english()
    data = register_data(
        world,
        postcode="ABC",
        opened_on="31-31-2026",
        **{"members-0-custody": "mother", "members-1-interpreter_needed": "y"},
    )
    html = _errors_keep_typing(client.submit("/cases/new", data, page="/cases/new"), "ABC")
    assert "Use a Dutch postcode, like 1234 AB." in html
    assert "Parental authority is only recorded for children." in html
    assert "Which language should the interpreter speak?" in html
    assert "Not a valid date value." in html
    _no_family_saved(app)


def test_a_row_without_a_name_is_refused(client, world, app):
    client.login("pro.noord@test.example")
    client.english()
    data = register_data(world, **member_row(2, date_of_birth="2020-01-01", role="child"))
    html = _errors_keep_typing(client.submit("/cases/new", data, page="/cases/new"))
    assert "Fill in a first name." in html
    _no_family_saved(app)


def test_tampered_choices_are_refused(client, world, app):
    client.login("pro.noord@test.example")
    data = register_data(world, lead_id=str(world.pro_zuid), **{"members-0-role": "king"})
    _errors_keep_typing(client.submit("/cases/new", data, page="/cases/new"))
    data = register_data(world, lead_id="not-a-number")
    _errors_keep_typing(client.submit("/cases/new", data, page="/cases/new"))
    _no_family_saved(app)


def test_lead_from_another_team_is_refused_by_the_service(client, world, app):
    """A valid-looking id of someone in another team never becomes the lead."""
    client.login("pro.noord@test.example")
    page = client.get("/cases/new").get_data(as_text=True)
    assert f'value="{world.pro_zuid}"' not in page
    data = register_data(world, lead_id=str(world.pro_zuid))
    _errors_keep_typing(client.submit("/cases/new", data, page="/cases/new"))
    _no_family_saved(app)


def test_duo_must_differ_from_lead(client, world, app):
    client.login("pro.noord@test.example")
    client.english()
    data = register_data(world, duo_id=str(world.pro_noord))
    html = _errors_keep_typing(client.submit("/cases/new", data, page="/cases/new"))
    assert "The duo colleague must be someone other than the case lead." in html


def test_duplicate_family_is_refused_with_a_clear_message(client, world, app):
    client.login("pro.noord@test.example")
    assert client.submit("/cases/new", register_data(world), page="/cases/new").status_code == 302
    client.english()
    data = register_data(
        world,
        name="Owusu-Mensah",
        **{"members-1-first_name": "ABENA", "members-1-last_name": "owusu"},
    )
    html = _errors_keep_typing(client.submit("/cases/new", data, page="/cases/new"), "Owusu-Mensah")
    assert "is already registered with a family of your team" in html
    with app.app_context():
        assert db.scalar(select(func.count(Family.id))) == 1


def test_same_person_in_another_team_is_not_a_duplicate(client, world, app):
    world.case(
        world.pro_zuid,
        name="Owusu",
        members=[
            {
                "first_name": "Akosua",
                "last_name": "Owusu",
                "date_of_birth": date(1985, 4, 2),
                "role": "parent",
                "languages": [],
                "interpreter_needed": False,
                "interpreter_language": "",
                "custody": None,
            }
        ],
    )
    client.login("pro.noord@test.example")
    assert client.submit("/cases/new", register_data(world), page="/cases/new").status_code == 302


def test_add_member_row_keeps_everything_typed(client, world, app):
    client.login("pro.noord@test.example")
    data = register_data(world, add_member="y")
    resp = client.submit("/cases/new", data, page="/cases/new")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "Wij willen dat Abena niet meer hoeft te tolken." in html
    assert 'name="members-3-first_name"' in html  # a fourth row was added
    assert 'value="Akosua"' in html
    _no_family_saved(app)


def test_enter_registers_the_family_not_a_row_more(client, world, app):
    """Enter in a field presses the form's first submit button: the hidden one at the top of
    the form (enter_saves), not "add a row" further down, so Enter registers the family as
    in any other form (with or without the script)."""
    client.login("pro.noord@test.example")
    html = client.get("/cases/new").get_data(as_text=True)
    form = html[html.rindex("<form", 0, html.index('name="name"')) :]
    assert form[form.index("<button") :].startswith('<button type="submit" class="enter-saves"')
    assert form.index("enter-saves") < form.index('name="add_member"')
    resp = client.submit("/cases/new", register_data(world, enter="1"), page="/cases/new")
    assert resp.status_code == 302


def test_add_member_to_existing_family(client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro.noord@test.example")
    page = f"/cases/{case_id}/members/new"
    resp = client.submit(
        page,
        {
            "first_name": "Noah",
            "last_name": "Bakker",
            "date_of_birth": "2019-03-04",
            "role": "child",
            "custody": "mother",
            "languages": "Nederlands",
        },
        page=page,
    )
    assert resp.status_code == 302
    with app.app_context():
        names = db.scalars(
            select(FamilyMember.first_name).join(Family).where(Family.name == "Bakker")
        )
        assert "Noah" in set(names)


def test_dutch_date_format_is_accepted(client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro.noord@test.example")
    page = f"/cases/{case_id}/members/new"
    resp = client.submit(
        page,
        {
            "first_name": "Evi",
            "last_name": "Bakker",
            "date_of_birth": "04-03-2021",
            "role": "child",
        },
        page=page,
    )
    assert resp.status_code == 302
    with app.app_context():
        evi = db.scalar(select(FamilyMember).where(FamilyMember.first_name == "Evi"))
        assert evi.date_of_birth == date(2021, 3, 4)


def test_the_case_page_writes_an_address_without_a_street_cleanly(client, world, app):
    """ "Adres , 1234 AB" with an empty street (issue 17): the parts that are there, joined."""
    import re

    case_id = world.case(world.pro_noord, name="Zonderstraat")
    with app.app_context():
        family = db.get(Case, case_id).family
        family.address, family.postcode, family.city = "", "1234 AB", "Testdorp"
        db.commit()
    client.login("pro.noord@test.example")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    address = re.search(r"<dd>([^<]*1234 AB[^<]*)</dd>", page)
    assert address is not None and address.group(1) == "1234 AB Testdorp"
