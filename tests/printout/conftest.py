"""A case with everything in it, including things that must never reach the family's paper."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.conftest import empty_database
from tests.factories import app_api as api
from tests.factories import care
from tests.factories import cases as c
from tests.factories.people import World
from tests.factories.rows import Rows

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


def ask_plan(client, case_id: int, lang: str = "nl", **choices: str):
    """Ask for 'Ons plan' as a browser does: the print form (a POST); `choices` may give
    reader, which_plan and copies_to (left out: the form's defaults)."""
    url = f"/cases/{case_id}/printouts/plan"
    return client.submit(url, {"lang": lang, **choices}, page=url)


def ask_file(client, case_id: int, fmt: str = "pdf", lang: str = "nl", **choices: str):
    """Ask for the family's file (PDF or JSON) with its print form."""
    url = f"/cases/{case_id}/printouts/file"
    return client.submit(url, {"format": fmt, "lang": lang, **choices}, page=url)


def fetch(client, asked):
    """Follow a request for a printout to its job page and download the document (tests make
    printouts at once, in huey's immediate mode)."""
    assert asked.status_code == 303, asked.status_code
    job_url = asked.headers["Location"]
    page = client.get(job_url)
    assert page.status_code == 200, page.status_code
    return client.get(f"{job_url}/download")


def print_plan(client, case_id: int, lang: str = "nl", **choices: str):
    return fetch(client, ask_plan(client, case_id, lang, **choices))


def print_file(client, case_id: int, fmt: str = "pdf", lang: str = "nl", **choices: str):
    return fetch(client, ask_file(client, case_id, fmt, lang, **choices))


def build_full_case(app, world) -> int:
    """Team Noord's case (lead pro.noord) with plan, network, notes and safety, and what must
    not be printed in each; plus another family of the same professional. The case's id."""
    case_id = world.case(world.pro_noord, name="Bakker", members=c.lisa_and_noah("Bakker"))
    with app.test_request_context():
        user = api.db.get(api.User, world.pro_noord)
        case = api.db.get(api.Case, case_id)
        parent, child = c.members_of(case)
        plan = c.start_plan(user, case, level=5)
        goal = c.goal(
            user,
            case,
            plan,
            SHOWN["goal"],
            reservations=SECRETS["reservation"],
            member_ids=[parent.id],
        )
        oma = c.helper(
            user,
            case,
            SHOWN["helper"],
            phone=SECRETS["network phone"],
            email=SECRETS["network e-mail"],
            notes=SECRETS["network notes"],
        )
        c.action(user, case, goal, SHOWN["action"], helper_id=oma.id)
        strengths = c.note(
            user,
            case,
            parts={
                api.PartKind.STRENGTHS: (SHOWN["strengths"], api.NoteAudience.FAMILY),
                api.PartKind.QUESTION: (SHOWN["shared part"], api.NoteAudience.FAMILY),
                api.PartKind.FREE_TEXT: (SECRETS["internal part"], api.NoteAudience.TEAM),
            },
        )
        c.strength(user, case, c.fresh(plan), strengths)  # chosen for the paper
        final = c.note(user, case, "Tweede bezoek.")
        c.addendum(user, case, final, SHOWN["addendum"])
        c.addendum(user, case, final, SECRETS["internal addendum"], internal=True)
        c.note(user, case, SECRETS["draft"], finalise=False)
        concern = care.concern(
            user,
            case,
            api.load_plan(case),
            [child.id],
            title="Zorg",
            description=SECRETS["signal text"],
            source=SECRETS["signal source"],
            confidential=True,
        )
        care.meldcode(user, case, concern, upto=5, outcomes={4: SECRETS["weighing"]})
        care.condition(user, case, concern, SHOWN["condition"])
        care.condition(user, case, concern, SECRETS["unshared condition"], shared=False)
        api.db.commit()
    other = world.case(
        world.pro_noord,
        name="Anders",
        members=[c.person("Kim", "Anders", born=None, languages=())],
    )
    with app.test_request_context():
        user = api.db.get(api.User, world.pro_noord)
        other_case = api.db.get(api.Case, other)
        other_plan = c.start_plan(
            user, other_case, level=4, regie="own", reason="x", evaluation_on=None
        )
        c.goal(
            user,
            other_case,
            other_plan,
            SECRETS["other family"],
            why_it_matters="",
            first_step="",
        )
        api.db.commit()
    return case_id


@pytest.fixture(scope="session")
def full_case_rows(app, world_rows) -> tuple[Rows, int]:
    """The full case, built through the services once per session (worker)."""
    base, ids = world_rows
    empty_database(app)
    base.restore(app)
    case_id = build_full_case(app, World(app, ids))
    rows = Rows.take(app, base=base)
    empty_database(app)
    return rows, case_id


@pytest.fixture
def full_case(world, full_case_rows) -> int:
    """The full case (build_full_case) put back over `world` for this test: its id."""
    rows, case_id = full_case_rows
    rows.restore(world.app)
    return case_id
