"""'Ons plan' and the family's file: what is on the paper, what never is, and who may print."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.printout.conftest import (
    SECRETS,
    SHOWN,
    ask_file,
    ask_plan,
    pdf_text,
    print_file,
    print_plan,
)
from wijkteam.audit.models import AuditEvent
from wijkteam.core.db import db


@pytest.fixture
def printed(client, full_case):
    client.login("pro.noord@test.example")
    resp = print_plan(client, full_case)
    assert resp.status_code == 200
    assert resp.mimetype == "application/pdf"
    assert "attachment" in resp.headers["Content-Disposition"]
    return pdf_text(resp.data)


def test_plan_printout_has_what_the_family_needs(printed):
    for what, text in SHOWN.items():
        if what in ("addendum", "shared part"):
            continue  # notes are not part of the plan printout
        assert text in printed, what
    # The evaluation date (1 December 2026) has passed: no date in the past as a plan.
    assert "1 december 2026" not in printed
    assert "We kiezen samen een nieuwe datum om weer naar dit plan te kijken." in printed
    assert "Pro Noord" in printed and "pro.noord@test.example" in printed  # contact person
    assert "Lisa en Noah" in printed  # who the family is, by first name


@pytest.mark.parametrize("what", sorted(SECRETS))
def test_plan_printout_never_contains(printed, what):
    assert SECRETS[what] not in printed


def test_plan_printout_in_english_keeps_the_familys_words(client, full_case):
    client.login("pro.noord@test.example")
    text = pdf_text(print_plan(client, full_case, "en").data)
    assert "Our plan" in text and "Who does what" in text
    assert SHOWN["goal"] in text  # the family's own words stay as written
    dutch = pdf_text(print_plan(client, full_case).data)
    assert "Our plan" not in dutch and "Ons plan" in dutch


def test_plan_printout_is_a_tagged_pdf_without_attachments(client, full_case):
    client.login("pro.noord@test.example")
    data = print_plan(client, full_case).data
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged for screen readers
    assert root.get("/Lang") in ("nl", "nl-NL")
    assert "/EmbeddedFiles" not in root.get("/Names", {})


def test_no_plan_or_no_goals_gives_a_message(client, plan_case):
    client.login("pro.noord@test.example")
    client.english()
    resp = ask_plan(client, plan_case)
    assert resp.status_code == 303
    assert "There is nothing to print yet" in client.get(resp.headers["Location"]).get_data(
        as_text=True
    )
    from tests.plans.conftest import PlanUI

    PlanUI(client, plan_case).start()
    resp = ask_plan(client, plan_case)
    assert resp.status_code == 303
    assert resp.headers["Location"] == f"/cases/{plan_case}/plan"


def test_every_print_and_export_is_audited(client, full_case, world, app):
    client.login("pro.noord@test.example")
    print_plan(client, full_case, "en")
    print_file(client, full_case, "pdf")
    print_file(client, full_case, "json")
    with app.app_context():
        rows = db.execute(
            select(AuditEvent.action, AuditEvent.detail, AuditEvent.user_id).where(
                AuditEvent.case_id == full_case,
                AuditEvent.action.in_(["print.plan", "export.file_pdf", "export.file_json"]),
            )
        ).all()
    assert sorted(rows) == sorted(
        [
            ("print.plan", "lang=en reader=parents version=proposal", world.pro_noord),
            ("export.file_pdf", "lang=nl reader=parents", world.pro_noord),
            ("export.file_json", "lang=nl reader=parents", world.pro_noord),
        ]
    )


def test_family_file_json(client, full_case):
    client.login("pro.noord@test.example")
    client.get(f"/cases/{full_case}/plan")  # an access that must show up in the log
    resp = print_file(client, full_case, "json")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    file = json.loads(resp.data)
    raw = resp.get_data(as_text=True)
    for what in ("goal", "helper", "condition", "addendum", "shared part", "strengths"):
        assert SHOWN[what] in raw, what
    for what, text in SECRETS.items():
        assert text not in raw, what
    assert file["plan"]["current"]["goals"][0]["text"] == SHOWN["goal"]
    assert file["safety"][0]["decisions"] == [
        {"date": "2026-03-03", "organise_help": True, "report_to_veilig_thuis": False}
    ]
    assert any(e["who"] == "Pro Noord" for e in file["access_log"])
    assert {
        "name",
        "kind",
        "relation",
        "support",
        "asked",
        "may_contact",
        "may_be_told",
        # The family's own relation with a key figure (issue 18).
        "roles",
        "agreed_they_do",
        "agreed_they_do_not",
        "agreed_on",
        "keeps_it_confidential",
    } == set(file["network"][0])


def test_family_file_pdf(client, full_case):
    client.login("lead.noord@test.example")  # the team lead may produce it too
    resp = print_file(client, full_case, "pdf")
    assert resp.status_code == 200
    text = pdf_text(resp.data)
    for what in ("goal", "addendum", "shared part", "condition"):
        assert SHOWN[what] in text, what
    for what, secret in SECRETS.items():
        assert secret not in text, what
    assert "Pro Noord" in text  # who accessed the file


def test_only_case_lead_or_team_lead_produce_the_family_file(client, full_case):
    client.login("pro2.noord@test.example")
    assert ask_file(client, full_case, "pdf").status_code == 403
    assert ask_file(client, full_case, "json").status_code == 403
    # Any team member may print the plan to read it with the family.
    assert print_plan(client, full_case).status_code == 200
