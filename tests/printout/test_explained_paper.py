"""How the plan was explained at agreement (issue 19) on paper: the agreement line of 'Ons plan'
and the agreed versions in the family's file (PDF and JSON). A version agreed before it was
asked says only what it said before."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update

from tests.conftest import form_version
from tests.plans.conftest import PlanUI
from tests.printout.conftest import print_file, print_plan
from tests.printout.poppler import poppler
from wijkteam.core.db import db
from wijkteam.plans.models import PlanVersion

SAYS = {
    "together": "We hebben het plan samen gelezen, in het Nederlands.",
    "interpreter": "Een tolk Twi heeft het jullie uitgelegd: Tolk Mensah.",
    "reader": "Jullie kozen Buurvrouw Els om het voor te lezen.",
}
FORM = {
    "together": {},
    "interpreter": {"interpreter_name": "Tolk Mensah", "interpreter_language": "Twi"},
    "reader": {"reader_name": "Buurvrouw Els"},
}


def flat(pdf: bytes) -> str:
    """The PDF's text in reading order (pdftotext), on one line."""
    return " ".join(poppler("pdftotext", "-enc", "UTF-8", "-", "-", pdf=pdf).split())


def agreed(client, case_id: int, how: str) -> None:
    """The plan (one goal) agreed by Lisa in person, explained `how`."""
    ui = PlanUI(client, case_id)
    ui.start()
    ui.add_goal()
    page = f"{ui.base}/finalise"
    data = {
        "agreed_on": "2026-03-04",
        "agreed_how": "in_person",
        "member_ids": "1",
        "explained_how": how,
        **FORM[how],
        "version": form_version(client.get(page).get_data(as_text=True)),
    }
    assert client.submit(page, data, page=page).status_code == 302


@pytest.mark.parametrize("how", sorted(SAYS))
def test_the_agreement_line_says_how_the_plan_was_explained(client, plan_case, how):
    client.login("pro.noord@test.example")
    agreed(client, plan_case, how)
    text = flat(print_plan(client, plan_case, reader="parents", which_plan="agreed").data)
    assert "Dit is versie 1 van jullie plan." in text
    assert f"We hebben er samen over gepraat. {SAYS[how]}" in text
    for other, sentence in SAYS.items():
        if other != how:
            assert sentence not in text
    pdf = flat(print_file(client, plan_case, "pdf").data)
    assert f"Op 4 maart 2026 zeiden Lisa Bakker ja tegen het plan. {SAYS[how]}" in pdf
    version = json.loads(print_file(client, plan_case, "json").data)["plan"]["agreed_versions"][0]
    assert version["explained_how"] == how
    assert version["read_aloud_by"] == ("Buurvrouw Els" if how == "reader" else "")
    assert version["interpreter"] == ("Tolk Mensah" if how == "interpreter" else "")


def test_a_version_agreed_before_says_nothing_new(app, client, plan_case):
    client.login("pro.noord@test.example")
    agreed(client, plan_case, "interpreter")
    with app.app_context():  # as a version agreed before issue 19 was stored
        db.execute(update(PlanVersion).values(explained_how=None))
        db.commit()
    text = flat(print_plan(client, plan_case, reader="parents", which_plan="agreed").data)
    assert "We hebben er samen over gepraat. Er was een tolk Twi bij." in text
    for sentence in SAYS.values():
        assert sentence not in text
    pdf = flat(print_file(client, plan_case, "pdf").data)
    assert "Er was een tolk Twi bij." in pdf
    assert not any(sentence in pdf for sentence in SAYS.values())
    version = json.loads(print_file(client, plan_case, "json").data)["plan"]["agreed_versions"][0]
    assert version["explained_how"] is None and version["explained_how_label"] == ""
    assert version["read_aloud_by"] == "" and version["interpreter"] == ""
