"""The family's paper tells the truth (issue 16): the agreed version or a marked proposal, a
reader per printout, chosen strengths, the team's ideas apart, no hint of what the reader may
not see, what the file must hold, the closing letter, contacts and rights, progress rulers,
pages that stand on their own, plain action words. Every check reads the rendered PDF."""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.factories import app_api as api
from tests.factories import care
from tests.factories import cases as c
from tests.factories.cases import person
from tests.printout.conftest import SECRETS, ask_file, ask_plan, pdf_text, print_file, print_plan
from tests.printout.poppler import poppler
from wijkteam.audit.models import AuditEvent
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.jobs.models import PrintJob
from wijkteam.network.queries import network_members
from wijkteam.notes.models import Audience, PartKind
from wijkteam.plans.models import AgreedHow, ExplainedHow, Repeats

TODAY = clock.today()
AGREED_ON = date(2026, 3, 4)
LONG_LINK = "https://www.example.org/" + "heel-lang-pad/" * 16 + "einde"  # 240 characters


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def pages(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def flat(pdf: bytes) -> str:
    """The PDF's text in reading order (pdftotext), on one line."""
    return " ".join(poppler("pdftotext", "-enc", "UTF-8", "-", "-", pdf=pdf).split())


@pytest.fixture
def demir(app, world):
    """Family Demir: parents Ayşe and Mehmet, Emre (17), Elif (14) and Can (9). A plan agreed
    on 4 March (with an interpreter), then a goal and an action added; notes for each kind of
    reader; strengths chosen (one of them Emre's own)."""
    members = [
        person("Ayşe", "Demir", "parent", years_before(TODAY, 44)),
        person("Mehmet", "Demir", "parent", years_before(TODAY, 46)),
        person("Emre", "Demir", "child", years_before(TODAY, 17), custody="both_parents"),
        person("Elif", "Demir", "child", years_before(TODAY, 14), custody="both_parents"),
        person("Can", "Demir", "child", years_before(TODAY, 9), custody="both_parents"),
    ]
    case_id = world.case(world.pro_noord, name="Demir", members=members)
    with app.test_request_context():
        user = db.get(api.User, world.pro_noord)
        case = db.get(api.Case, case_id)
        ayse, mehmet, emre, elif_, can = c.members_of(case)
        plan = c.start_plan(
            user, case, level=5, reason="WAAROM-LADDER", evaluation_on=TODAY + timedelta(30)
        )
        goal = c.goal(user, case, plan, "Wij willen weer samen eten.")
        c.action(user, case, goal, "AFGESPROKEN-ACTIE", due_on=TODAY + timedelta(days=9))
        c.action(user, case, goal, "ELKE-WEEK-ACTIE", repeats=Repeats.WEEKLY)
        c.action(user, case, goal, "VERLOPEN-ACTIE", due_on=date(2026, 3, 20))
        c.action(user, case, goal, "GEDANE-ACTIE", status=api.ActionStatus.DONE)
        for on, score, higher in ((date(2026, 2, 10), 3, ""), (date(2026, 3, 3), 6, "STAP-HOGER")):
            api.plans.add_score(
                user,
                case,
                goal,
                {
                    "scored_on": on,
                    "family_score": score,
                    "professional_score": score,
                    "one_point_higher": higher,
                },
            )
        c.fresh(plan)
        api.plans.finalise_version(
            user,
            case,
            plan,
            expected_version=plan.version,
            agreed_on=AGREED_ON,
            agreed_how=AgreedHow.IN_PERSON,
            member_ids=[ayse.id, mehmet.id],
            note="",
            explained_how=ExplainedHow.INTERPRETER,
            interpreter={"interpreter_name": "Tolk Kaya", "interpreter_language": "Turks"},
        )
        later = c.goal(user, case, c.fresh(plan), "NIEUW-DOEL-NA-AKKOORD")
        c.action(user, case, later, "NIEUWE-ACTIE-NA-AKKOORD")
        notes = {
            "emre": (date(2026, 3, 5), PartKind.STRENGTHS, "EMRE-ALLEEN", Audience.MEMBER, emre),
            "elif": (date(2026, 3, 6), PartKind.QUESTION, "ELIF-EN-OUDERS", None, elif_),
            "parents": (date(2026, 3, 7), PartKind.QUESTION, "ALLEEN-OUDERS", None, None),
            "family": (date(2026, 3, 8), PartKind.STRENGTHS, "HELE-GEZIN", None, None),
            "team": (date(2026, 3, 9), PartKind.QUESTION, "ALLEEN-TEAM", None, None),
        }
        audience = {
            "elif": Audience.MEMBER_AND_PARENTS,
            "parents": Audience.PARENTS,
            "family": Audience.FAMILY,
            "team": Audience.TEAM,
        }
        made = {}
        for key, (on, kind, text, aud, member) in notes.items():
            part = (text, aud or audience[key], member.id) if member else (text, audience[key])
            made[key] = c.note(user, case, parts={kind: part}, on=on)
        c.strengths_note(user, case, plan, "NIET-GEKOZEN-KRACHT", "", on=date(2026, 3, 10))
        c.strength(user, case, c.fresh(plan), made["family"])
        c.strength(user, case, c.fresh(plan), made["emre"])
        c.strength(user, case, c.fresh(plan), text="EIGEN-WOORDEN-KRACHT")
        db.commit()
        ids = {"emre": emre.id, "elif": elif_.id, "can": can.id, "ayse": ayse.id}
    return case_id, ids


def readers_paper(client, case_id, reader="parents", **choices):
    return print_plan(client, case_id, reader=reader, **choices).data


# --- 1. the agreed version, or a proposal that says so -------------------------------------


def test_a_changed_plan_prints_as_a_proposal_that_marks_what_is_new(client, demir):
    case_id, _ids = demir
    client.login("pro.noord@test.example")
    text = flat(readers_paper(client, case_id))
    assert "Voorstel, nog niet afgesproken" in text
    assert "Op 4 maart 2026 zeiden jullie ja tegen versie 1 van dit plan." in text
    assert "1 nieuw doel" in text and "1 nieuwe afspraak" in text
    assert re.search(r"Nieuw Doel 2 · NIEUW-DOEL-NA-AKKOORD|Nieuw Doel 2", text)
    assert "Nieuw NIEUWE-ACTIE-NA-AKKOORD" in text
    assert "akkoord gegaan" not in text and "Dit is versie" not in text


def test_the_agreed_version_prints_as_it_was_agreed(client, demir):
    case_id, _ids = demir
    client.login("pro.noord@test.example")
    text = flat(readers_paper(client, case_id, which_plan="agreed"))
    assert "Dit is versie 1 van jullie plan." in text
    assert "Ayşe Demir en Mehmet Demir zeiden er ja tegen op 4 maart 2026." in text
    assert (
        "We hebben er samen over gepraat. Een tolk Turks heeft het jullie uitgelegd: Tolk Kaya."
        in text
    ), text[:1500]
    assert "AFGESPROKEN-ACTIE" in text, text[:1500]
    for later in ("NIEUW-DOEL-NA-AKKOORD", "NIEUWE-ACTIE-NA-AKKOORD", "Voorstel", "Nieuw "):
        assert later not in text, later
    assert (
        "versie 1 van 4 maart 2026"
        in pages(readers_paper(client, case_id, which_plan="agreed"))[-1]
    )


def test_an_unchanged_plan_is_the_agreed_version_and_the_form_offers_only_that(app, client, world):
    case_id = world.case(world.pro_noord, name="Vast", members=c.lisa_and_noah("Vast"))
    with app.test_request_context():
        user = db.get(api.User, world.pro_noord)
        case = db.get(api.Case, case_id)
        plan = c.start_plan(user, case)
        c.goal(user, case, plan)
        c.agree(user, case, plan, [c.members_of(case)[0].id])
        db.commit()
    client.login("pro.noord@test.example")
    form = client.get(f"/cases/{case_id}/printouts/plan").get_data(as_text=True)
    assert 'value="agreed"' in form and 'value="proposal"' not in form
    text = flat(print_plan(client, case_id).data)
    assert "Dit is versie 1 van jullie plan." in text and "Voorstel" not in text
    # Asking for a proposal anyway is refused in the form, and nothing is made.
    with app.app_context():
        jobs = db.scalar(select(func.count(PrintJob.id)))
    asked = ask_plan(client, case_id, which_plan="proposal")
    assert asked.status_code == 422
    with app.app_context():
        assert db.scalar(select(func.count(PrintJob.id))) == jobs


# --- 2. a reader per printout --------------------------------------------------------------


READS = {
    # reader: (sees, does not see)
    "parents": (
        {"ELIF-EN-OUDERS", "ALLEEN-OUDERS", "HELE-GEZIN"},
        {"EMRE-ALLEEN", "ALLEEN-TEAM"},
    ),
    "emre": ({"EMRE-ALLEEN", "HELE-GEZIN"}, {"ELIF-EN-OUDERS", "ALLEEN-OUDERS", "ALLEEN-TEAM"}),
    "elif": ({"ELIF-EN-OUDERS", "HELE-GEZIN"}, {"EMRE-ALLEEN", "ALLEEN-OUDERS", "ALLEEN-TEAM"}),
    "ayse": (
        {"ELIF-EN-OUDERS", "ALLEEN-OUDERS", "HELE-GEZIN"},
        {"EMRE-ALLEEN", "ALLEEN-TEAM"},
    ),
}


@pytest.mark.parametrize("who", sorted(READS))
@pytest.mark.parametrize("fmt", ["pdf", "json"])
def test_each_reader_gets_only_their_parts(client, demir, who, fmt):
    case_id, ids = demir
    client.login("pro.noord@test.example")
    reader = "parents" if who == "parents" else str(ids[who])
    body = print_file(client, case_id, fmt, reader=reader).data
    text = flat(body) if fmt == "pdf" else body.decode()
    sees, not_sees = READS[who]
    for secret in sees:
        assert secret in text, (who, secret)
    for secret in not_sees:
        assert secret not in text, (who, secret)


def test_the_plan_for_a_reader_holds_only_their_strengths(client, demir):
    case_id, ids = demir
    client.login("pro.noord@test.example")
    parents = flat(readers_paper(client, case_id))
    emre = flat(readers_paper(client, case_id, str(ids["emre"])))
    assert "HELE-GEZIN" in parents and "EIGEN-WOORDEN-KRACHT" in parents
    assert "EMRE-ALLEEN" not in parents
    assert "EMRE-ALLEEN" in emre and "Gemaakt voor: Emre." in emre
    assert "Gemaakt voor: de ouders met gezag." in parents
    # Who signs: the reader, and the professional.
    assert "Emre Demir" in emre and "Ayşe Demir" not in emre.split("Handtekening")[0][-300:]


@pytest.mark.parametrize("bad", ["can", "other family", "abc", "-1", "99999999999999999999"])
def test_a_reader_who_may_not_read_for_themself_is_refused(app, client, demir, world, bad):
    case_id, ids = demir
    other = world.case(world.pro_noord, name="Ander", members=c.lisa_and_noah("Ander"))
    with app.app_context():
        other_member = c.members_of(db.get(api.Case, other))[0].id
    value = {"can": str(ids["can"]), "other family": str(other_member)}.get(bad, bad)
    client.login("pro.noord@test.example")
    for asked in (
        ask_plan(client, case_id, reader=value),
        ask_file(client, case_id, reader=value),
    ):
        assert asked.status_code == 422
    with app.app_context():
        assert db.scalar(select(PrintJob.id)) is None


def test_every_print_is_audited_with_its_reader(app, client, demir):
    case_id, ids = demir
    client.login("pro.noord@test.example")
    print_plan(client, case_id, reader=str(ids["emre"]), which_plan="agreed")
    print_file(client, case_id, "json", reader=str(ids["elif"]))
    with app.app_context():
        details = db.scalars(
            select(AuditEvent.detail)
            .where(AuditEvent.action.in_(["print.plan", "export.file_json"]))
            .order_by(AuditEvent.id)
        ).all()
    assert details == [
        f"lang=nl reader={ids['emre']} version=agreed",
        f"lang=nl reader={ids['elif']}",
    ]


# --- 3 and 4. chosen strengths; the team's ideas are a proposal ----------------------------


def test_only_chosen_strengths_go_on_paper(client, demir):
    case_id, _ids = demir
    client.login("pro.noord@test.example")
    text = flat(readers_paper(client, case_id))
    assert "NIET-GEKOZEN-KRACHT" not in text
    assert text.index("Waar jullie goed in zijn") < text.index("HELE-GEZIN")


def test_follow_ups_of_a_case_discussion_are_the_teams_ideas(app, client, demir, world):
    case_id, _ids = demir
    with app.test_request_context():
        case = db.get(api.Case, case_id)
        lead = db.get(api.User, world.lead_noord)
        goal = api.load_plan(case).goals[0]
        item = care.bring_in(db.get(api.User, world.pro_noord), case, "Hoe verder?")
        care.discussion(lead, TODAY, [world.pro_noord], [item])
        care.follow_up_in_plan(lead, item, goal.id, "IDEE-VAN-HET-TEAM")
        db.commit()
    client.login("pro.noord@test.example")
    text = flat(readers_paper(client, case_id))
    assert text.index("Ideeën van het team") < text.index("IDEE-VAN-HET-TEAM")
    who_does_what = text[text.index("Wie doet wat") : text.index("Ideeën van het team")]
    assert "IDEE-VAN-HET-TEAM" not in who_does_what
    # The agreed version has none of it.
    assert "IDEE-VAN-HET-TEAM" not in flat(readers_paper(client, case_id, which_plan="agreed"))


# --- 5. no hint of what the reader may not see ---------------------------------------------


def test_the_file_has_no_header_date_or_log_row_of_a_hidden_note(client, demir):
    case_id, ids = demir
    client.login("pro.noord@test.example")
    parents = json.loads(print_file(client, case_id, "json", "en").data)
    dates = [n["date"] for n in parents["notes"]]
    assert "2026-03-09" not in dates and "2026-03-05" not in dates  # team; Emre's
    assert "2026-03-06" in dates and "2026-03-07" in dates
    finished = [e for e in parents["access_log"] if e["what"] == "Finished a conversation note"]
    assert len(finished) == len(parents["notes"])
    pdf = flat(print_file(client, case_id, "pdf").data)
    assert "9 maart 2026" not in pdf and "5 maart 2026" not in pdf
    emre = json.loads(print_file(client, case_id, "json", reader=str(ids["emre"])).data)
    assert [n["date"] for n in emre["notes"]] == ["2026-03-05", "2026-03-08", "2026-03-10"]


def test_a_signal_never_shows_in_the_access_log(client, full_case):
    client.login("pro.noord@test.example")
    client.english()
    file = json.loads(print_file(client, full_case, "json").data)
    assert file["safety"], "the concern was told to the family: it is in the file"
    whats = {e["what"] for e in file["access_log"]}
    assert "Recorded a signal" not in whats and "Corrected a signal" not in whats
    assert SECRETS["signal source"] not in json.dumps(file)


# --- 6. what the family has a right to ------------------------------------------------------


def test_the_file_holds_what_gdpr_article_15_asks(app, client, full_case, world):
    with app.test_request_context():
        user = db.get(api.User, world.pro_noord)
        case = db.get(api.Case, full_case)
        oma = next(m for m in network_members(case) if m.name == "Oma Ria")
        lisa = c.members_of(case)[0]
        c.network_meeting(user, case, api.load_plan(case), [oma.id], [lisa.id])
        care.referral(user, case, care.resource(user, "BUURTGEZINNEN-TEST").id)
        db.commit()
    client.login("pro.noord@test.example")
    file = json.loads(print_file(client, full_case, "json").data)
    assert file["family"]["address"] == "Teststraat 1" and file["family"]["city"] == "Testdorp"
    assert "in_your_own_words" in file["family"]
    assert file["plan"]["who_decides"][0]["why"] == "Samen."
    assert file["plan"]["direction"][0]["why"] == "Samen."
    assert [m["who"] for m in file["network_meetings"]] == [["Lisa", "Oma Ria"]]
    assert [r["to"] for r in file["referrals"]] == ["BUURTGEZINNEN-TEST"]
    assert file["plan"]["agreed_versions"] == []
    pdf = flat(print_file(client, full_case, "pdf").data)
    assert "Wat hier niet in staat, en waarom" in pdf
    assert "Teststraat 1" in pdf and "BUURTGEZINNEN-TEST" in pdf
    assert "Bijeenkomst op 3 maart 2026 met Lisa en Oma Ria." in pdf


def test_the_file_is_written_without_office_words(client, demir):
    case_id, _ids = demir
    client.login("pro.noord@test.example")
    pdf = flat(print_file(client, case_id, "pdf").data).lower()
    for word in ("meldcode", "casusoverleg", "participatieladder", "schaalvraag", "vastgelegd"):
        assert word not in pdf, word
    assert re.search(r"\b\d{1,2} (januari|februari|maart|december) 2026\b", pdf)
    assert not re.search(r"\b2026-\d\d-\d\d\b", pdf)  # no ISO dates on paper


# --- 7. a closed case gets a closing letter -------------------------------------------------


def test_a_closed_case_gets_a_closing_letter(app, client, demir, world):
    case_id, _ids = demir
    with app.test_request_context():
        case = db.get(api.Case, case_id)
        api.close_case(
            db.get(api.User, world.pro_noord),
            case,
            expected_version=case.version,
            reason=api.CloseReason.GOALS_REACHED,
            closed_on=TODAY,
            note="Klaar.",
        )
        db.commit()
    client.login("pro.noord@test.example")
    resp = print_plan(client, case_id)
    assert "afsluitbrief" in resp.headers["Content-Disposition"]
    text = flat(resp.data)
    assert "Onze tijd samen" in text and "Je hebt bereikt wat je wilde bereiken." in text
    assert "Wie er nog voor je is" in text and "Je kunt altijd bij ons terugkomen." in text
    assert "Klopt dit?" not in text and "Wanneer we het plan weer bekijken" not in text


# --- 9. who to call, and your rights -------------------------------------------------------


def test_the_plan_says_who_to_call_and_the_familys_rights(client, demir):
    case_id, _ids = demir
    client.login("pro.noord@test.example")
    text = flat(readers_paper(client, case_id))
    assert "Je contactpersoon: Pro Noord" in text and "pro.noord@test.example" in text
    assert "Praat eerst met ons." in text and "klacht" in text
    assert "onafhankelijke cliëntondersteuner" in text and "AKJ" in text
    assert "Je mag lezen wat we over je opschrijven." in text
    assert "Alleen jullie krijgen dit plan." in text
    # No safety agreements: no emergency sheet.
    assert "112" not in text and "Veilig Thuis" not in text
    copies = flat(readers_paper(client, case_id, copies_to="de school van Can"))
    assert "Het gaat ook naar: de school van Can." in copies


def test_safety_agreements_are_on_a_sheet_of_their_own(client, full_case):
    client.login("pro.noord@test.example")
    sheets = pages(print_plan(client, full_case).data)
    last = sheets[-1]
    assert "Wat we hebben afgesproken over veiligheid" in last
    assert "Bel 112" in last and "Veilig Thuis: 0800-2000" in last
    assert "Lisa belt oma als ze boos wordt." in last
    assert "Wij willen rustige ochtenden." not in last
    assert all("Wat we hebben afgesproken over veiligheid" not in p for p in sheets[:-1])


# --- 10 and 12. progress and plain action words --------------------------------------------


def test_progress_rulers_and_plain_action_words(client, demir):
    case_id, _ids = demir
    client.login("pro.noord@test.example")
    text = flat(readers_paper(client, case_id))
    assert "Op 10 februari 2026 begon je bij 3. Op 3 maart 2026 was je bij 6." in text
    assert "Een stap hoger is: STAP-HOGER" in text
    assert re.search(r"Dit is gelukt: .*GEDANE-ACTIE", text)
    due = TODAY + timedelta(days=9)
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
              "september", "oktober", "november", "december"]  # fmt: skip
    assert f"AFGESPROKEN-ACTIE · voor {due.day} {months[due.month - 1]} {due.year} · doel 1" in text
    assert "ELKE-WEEK-ACTIE · elke week · doel 1" in text
    assert "VERLOPEN-ACTIE · dit stond voor 20 maart 2026: we kijken er samen opnieuw naar" in text
    assert "uiterlijk" not in text.lower()
    assert "Waarom: WAAROM-LADDER" in text


# --- 11. every page stands on its own ------------------------------------------------------


def test_every_page_names_the_family_the_paper_and_its_page(client, demir):
    case_id, _ids = demir
    client.login("pro.noord@test.example")
    sheets = pages(readers_paper(client, case_id))
    assert len(sheets) >= 2
    for number, page in enumerate(sheets, start=1):
        assert "Ons plan · Gezin Demir · voorstel van" in page, number
        assert f"Pagina {number} van {len(sheets)}" in page, number


def test_english_dates_and_long_links_stay_on_the_page(app, client, demir):
    case_id, _ids = demir
    with app.test_request_context():
        case = db.get(api.Case, case_id)
        user = db.get(api.User, case.lead_id)
        c.goal(user, case, api.load_plan(case), "Doel met link", why_it_matters=f"Zie {LONG_LINK}")
        db.commit()
    client.login("pro.noord@test.example")
    english = flat(print_plan(client, case_id, "en", which_plan="agreed").data)
    assert "on 4 March 2026" in english and "4 maart" not in english
    pdf = print_plan(client, case_id, which_plan="proposal").data
    assert "heel-lang-pad" in pdf_text(pdf)
    width = float(PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width)
    boxes = poppler("pdftotext", "-bbox", "-", "-", pdf=pdf)
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes)]
    assert right_edges and max(right_edges) < width - 20  # inside the right margin
