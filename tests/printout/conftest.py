"""A case with everything in it, including things that must never reach the family's paper."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core.db import db
from wijkteam.network import services as network
from wijkteam.network.models import Closeness, NetworkKind, Quality
from wijkteam.notes import services as notes
from wijkteam.notes.models import ContactKind, PartKind
from wijkteam.plans import services as plans
from wijkteam.plans.models import ActionStatus, LadderLevel, OwnerKind, Regie
from wijkteam.plans.queries import load_plan
from wijkteam.safety import services as safety
from wijkteam.safety.models import ConditionState

# Text that must never be printed for the family.
SECRETS = {
    "reservation": "GEHEIM-VOORBEHOUD",
    "internal part": "INTERN-VERSLAG",
    "internal addendum": "INTERNE-AANVULLING",
    "draft": "CONCEPT-VERSLAG",
    "signal source": "BRON-GEHEIM",
    "signal text": "SIGNAAL-OMSCHRIJVING",
    "weighing": "WEGING-GEHEIM",
    "unshared condition": "NIET-GEDEELDE-VOORWAARDE",
    "network phone": "06-00000999",
    "network notes": "NETWERK-NOTITIE",
    "network e-mail": "oma@geheim.example",
    "other family": "ANDER-GEZIN-DOEL",
}
SHOWN = {
    "goal": "Wij willen rustige ochtenden.",
    "action": "Oma Ria haalt Noah op woensdag op.",
    "helper": "Oma Ria",
    "strengths": "Lisa plant de week goed.",
    "condition": "Lisa belt oma als ze boos wordt.",
    "addendum": "Het bezoek was op dinsdag.",
    "shared part": "Lisa vertelde over de fiets.",
}


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def ask_plan(client, case_id: int, lang: str = "nl"):
    """Ask for 'Ons plan' as a browser does: the form on the plan page (a POST)."""
    return client.submit(
        f"/cases/{case_id}/printouts/plan", {"lang": lang}, page=f"/cases/{case_id}/plan"
    )


def ask_file(client, case_id: int, fmt: str = "pdf"):
    """Ask for the family's file (PDF or JSON) with the buttons on the case page."""
    return client.submit(
        f"/cases/{case_id}/printouts/file", {"format": fmt}, page=f"/cases/{case_id}"
    )


def fetch(client, asked):
    """Follow a request for a printout to its job page and download the document (tests make
    printouts at once, in huey's immediate mode)."""
    assert asked.status_code == 303, asked.status_code
    job_url = asked.headers["Location"]
    page = client.get(job_url)
    assert page.status_code == 200, page.status_code
    return client.get(f"{job_url}/download")


def print_plan(client, case_id: int, lang: str = "nl"):
    return fetch(client, ask_plan(client, case_id, lang))


def print_file(client, case_id: int, fmt: str = "pdf"):
    return fetch(client, ask_file(client, case_id, fmt))


def _note(user, case, parts, finalise=True):
    return notes.save_note(
        user,
        case,
        None,
        None,
        expected_version=None,
        finalise=finalise,
        data={
            "contact_on": date(2026, 3, 1),
            "kind": ContactKind.HOME_VISIT,
            "location": "",
            "interpreter_name": "",
            "interpreter_language": "",
            "family_member_ids": [],
            "network_member_ids": [],
            "colleague_ids": [],
            "parts": parts,
            "pending": {},
        },
    )


@pytest.fixture
def full_case(app, world, plan_case):
    """Team Noord's case (lead pro.noord) with plan, network, notes, safety; plus another family."""
    with app.test_request_context():
        user = db.get(User, world.pro_noord)
        case = db.get(Case, plan_case)
        plan = plans.start_plan(
            user,
            case,
            started_on=date(2026, 2, 1),
            evaluation_on=date(2026, 12, 1),
            level=LadderLevel(5),
            level_reason="Samen.",
            regie=Regie.SHARED,
            regie_reason="Samen.",
        )
        goal = plans.add_goal(
            user,
            case,
            plan,
            {
                "text": SHOWN["goal"],
                "why_it_matters": "Dan begint de dag goed.",
                "first_step": "Kleren klaarleggen.",
                "reservations": SECRETS["reservation"],
                "member_ids": [1],
            },
        )
        oma = network.add_member(
            user,
            case,
            {
                "name": SHOWN["helper"],
                "kind": NetworkKind.FAMILY,
                "closeness": Closeness.CLOSE,
                "quality": Quality.SUPPORTIVE,
                "phone": SECRETS["network phone"],
                "email": SECRETS["network e-mail"],
                "notes": SECRETS["network notes"],
                "may_contact": True,
                "consent_on": date(2026, 2, 1),
                "may_be_told": "Over school.",
                "languages": [],
            },
        )
        plans.add_action(
            user,
            case,
            goal,
            {
                "text": SHOWN["action"],
                "owner_kind": OwnerKind.NETWORK,
                "network_member_id": oma.id,
                "status": ActionStatus.PLANNED,
            },
        )
        _note(
            user,
            case,
            {
                PartKind.STRENGTHS: (SHOWN["strengths"], False),
                PartKind.QUESTION: (SHOWN["shared part"], False),
                PartKind.FREE_TEXT: (SECRETS["internal part"], True),
            },
        )
        final = _note(user, case, {PartKind.QUESTION: ("Tweede bezoek.", False)})
        notes.add_addendum(user, case, final, text=SHOWN["addendum"], internal=False)
        notes.add_addendum(user, case, final, text=SECRETS["internal addendum"], internal=True)
        _note(user, case, {PartKind.QUESTION: (SECRETS["draft"], False)}, finalise=False)
        plan = load_plan(case)
        concern = safety.open_concern(
            user,
            case,
            plan,
            title="Zorg",
            opened_on=date(2026, 3, 2),
            child_ids=[2],
            signal={
                "observed_on": date(2026, 3, 2),
                "description": SECRETS["signal text"],
                "source": SECRETS["signal source"],
                "source_confidential": True,
            },
            regie=None,
            level=None,
            change_reason="",
            climb_back="",
        )
        db.refresh(concern)
        for step, data in (
            (1, {"outcome": "Signalen op een rij."}),
            (
                2,
                {
                    "outcome": "Besproken.",
                    "colleague": "Teamleider",
                    "veilig_thuis_consulted": False,
                },
            ),
            (3, {"conversation_held": True, "talked_with": "Lisa"}),
            (
                4,
                {
                    "outcome": SECRETS["weighing"],
                    "acute_unsafety": False,
                    "structural_unsafety": True,
                    "can_organise_help": True,
                    "family_cooperates": True,
                    "safe_in_agreed_time": True,
                },
            ),
            (5, {"organise_help": True, "report_to_veilig_thuis": False, "family_told": True}),
        ):
            safety.record_step(
                user,
                case,
                concern,
                step,
                expected_version=None,
                data={"done_on": date(2026, 3, 3), **data},
            )
            db.refresh(concern)
        for text, shared in ((SHOWN["condition"], True), (SECRETS["unshared condition"], False)):
            safety.add_condition(
                user,
                case,
                concern,
                {
                    "text": text,
                    "starts_on": date(2026, 3, 3),
                    "review_on": None,
                    "state": ConditionState.NOT_REVIEWED,
                    "reviewed_on": None,
                    "note": "",
                    "shared_with_family": shared,
                },
            )
        db.commit()
    other = world.case(
        world.pro_noord,
        name="Anders",
        members=[
            {
                "first_name": "Kim",
                "last_name": "Anders",
                "date_of_birth": None,
                "role": "parent",
                "languages": [],
                "interpreter_needed": False,
                "interpreter_language": "",
                "custody": None,
            }
        ],
    )
    with app.test_request_context():
        other_case = db.get(Case, other)
        other_plan = plans.start_plan(
            user,
            other_case,
            started_on=date(2026, 2, 1),
            evaluation_on=None,
            level=LadderLevel(4),
            level_reason="x",
            regie=Regie.OWN,
            regie_reason="x",
        )
        plans.add_goal(
            user, other_case, other_plan, {"text": SECRETS["other family"], "member_ids": []}
        )
        db.commit()
    return plan_case
