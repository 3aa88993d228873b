"""Who of the adults holds parental authority (gezag, or guardianship): by the role unless the
team records otherwise. It decides who reads and signs the family's paper as "the parents with
parental authority" (notes/readers.py). Until 2026-12-04 every other carer (a grandmother, a
step-parent) counted as one."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.cases.test_register import member_row, register_data
from tests.conftest import form_version
from wijkteam.cases.models import Case, FamilyMember
from wijkteam.core.db import db

GRANDMOTHER = member_row(
    2,
    first_name="Efua",
    last_name="Mensah",
    date_of_birth="1950-03-01",
    role="other_carer",
    languages="Twi",
)


def _register(client, world, **rows: str) -> int:
    client.login("pro.noord@test.example")
    data = {**register_data(world), **GRANDMOTHER, **rows}
    resp = client.submit("/cases/new", data, page="/cases/new")
    assert resp.status_code == 302, resp.get_data(as_text=True)[-1500:]
    return int(resp.headers["Location"].rsplit("/", 1)[1])


def _print_form(client, case_id: int) -> str:
    return client.get(f"/cases/{case_id}/printouts/file").get_data(as_text=True)


def test_by_default_a_parent_holds_authority_and_another_carer_does_not(client, world, app):
    case_id = _register(client, world)
    with app.app_context():
        members = {m.first_name: m for m in db.get(Case, case_id).family.members}
        assert [members[n].authority for n in ("Akosua", "Abena", "Efua")] == [None] * 3
        assert members["Akosua"].holds_authority and not members["Efua"].holds_authority
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert page.count(">heeft gezag<") == 1 and page.count(">geen gezag<") == 1
    form = _print_form(client, case_id)
    assert "De ouders met gezag (Akosua)" in form


def test_the_team_records_a_guardian_and_a_parent_without_authority(client, world, app):
    case_id = _register(client, world, **{"members-2-authority": "yes"})
    assert "De ouders met gezag (Efua en Akosua)" in _print_form(client, case_id)
    with app.app_context():
        akosua = db.scalar(select(FamilyMember).where(FamilyMember.first_name == "Akosua"))
        assert db.scalar(select(FamilyMember.authority).where(FamilyMember.first_name == "Efua"))
    page = f"/cases/{case_id}/members/{akosua.id}/edit"
    html = client.get(page).get_data(as_text=True)
    shown = re.search(r'<select[^>]*name="authority".*?</select>', html, re.S).group(0)
    assert "selected" not in shown  # the first choice: as the role says
    resp = client.submit(
        page,
        {
            "first_name": "Akosua",
            "last_name": "Owusu",
            "date_of_birth": "1985-04-02",
            "role": "parent",
            "authority": "no",
            "version": form_version(html),
        },
        page=page,
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[-1500:]
    with app.app_context():
        assert db.get(FamilyMember, akosua.id).authority is False
    assert "De ouders met gezag (Efua)" in _print_form(client, case_id)
    edited = client.get(page).get_data(as_text=True)
    shown = re.search(r'<select[^>]*name="authority".*?</select>', edited, re.S).group(0)
    assert re.findall(r"<option[^>]*selected[^>]*>", shown) == ['<option selected value="no">']


def test_a_child_cannot_be_given_authority(client, world, app):
    client.login("pro.noord@test.example")
    data = {**register_data(world), "members-1-authority": "yes"}
    resp = client.submit("/cases/new", data, page="/cases/new")
    assert resp.status_code == 422
    assert "Een kind heeft geen gezag." in resp.get_data(as_text=True)
    with app.app_context():
        assert db.scalar(select(FamilyMember.id)) is None
    made_up = {**register_data(world), "members-0-authority": "maybe"}
    assert client.submit("/cases/new", made_up, page="/cases/new").status_code == 422
