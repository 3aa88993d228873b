"""The closing letter (issue 18) says who stays involved and how the family can come back as
recorded when the case closed, instead of guessing them from the network and referrals."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

from pypdf import PdfReader

from tests.factories import app_api as api
from tests.factories import care
from tests.factories import cases as c
from tests.printout.conftest import print_file, print_plan
from tests.printout.poppler import poppler
from tests.printout.test_family_paper import flat
from wijkteam.core import clock
from wijkteam.core.db import db


def _closed_with_aftercare(app, world) -> int:
    case_id = world.case(world.pro_noord, name="Bakker", members=c.lisa_and_noah("Bakker"))
    with app.test_request_context():
        user = db.get(api.User, world.pro_noord)
        case = db.get(api.Case, case_id)
        plan = c.start_plan(user, case, level=5)
        c.goal(user, case, plan, "Wij willen rustige ochtenden.")
        stays = c.helper(user, case, "Oma Ria", relation="moeder van Lisa", supports_practical=True)
        c.helper(user, case, "Tante Ans", supports_emotional=True)  # helps, but not chosen
        library = care.resource(user, "Taalhuis Noord", when="dinsdag 10-12 uur")
        referred = care.resource(user, "Buurtgezinnen")
        care.referral(user, case, referred.id)  # still open, but not chosen
        db.commit()
        case = db.get(api.Case, case_id)
        api.close_case(
            user,
            case,
            expected_version=case.version,
            reason=api.CloseReason.GOALS_REACHED,
            closed_on=clock.today(),
            note="Klaar.",
            network_member_ids=[stays.id],
            resource_ids=[library.id],
            aftercare_agreement="Oma Ria brengt Noah op woensdag naar school. Sanne belt in maart.",
            come_back="Bel Sanne op het nummer hieronder, ook voor een kleine vraag.",
        )
        db.commit()
    return case_id


def test_the_closing_letter_uses_what_the_closing_recorded(app, client, world):
    case_id = _closed_with_aftercare(app, world)
    client.login("pro.noord@test.example")
    text = flat(print_plan(client, case_id).data)
    assert "Wie er nog voor je is" in text
    assert "Oma Ria (moeder van Lisa)" in text and "Taalhuis Noord: dinsdag 10-12 uur" in text
    assert "Tante Ans" not in text and "Buurtgezinnen" not in text
    assert "Wat we hebben afgesproken voor daarna" in text
    assert "Sanne belt in maart." in text
    assert "Bel Sanne op het nummer hieronder, ook voor een kleine vraag." in text
    assert "Je kunt altijd bij ons terugkomen." not in text  # their own words instead


def test_a_letter_for_a_family_without_a_parent_with_authority_greets_the_family(
    app, client, world
):
    """Lisa recorded as without parental authority (the children live with her, a guardian
    has it): nobody signs for the family, and the letter greets the family, not "Beste ,"."""
    case_id = _closed_with_aftercare(app, world)
    with app.app_context():
        lisa = db.get(api.Case, case_id).family.members[0]
        assert lisa.first_name == "Lisa"
        lisa.authority = False
        db.commit()
    client.login("pro.noord@test.example")
    text = flat(print_plan(client, case_id).data)
    assert "Beste Gezin Bakker," in text and "Beste ," not in text


def test_the_family_file_holds_what_the_closing_recorded(app, client, world):
    """GDPR art. 15: the family's own file says who stays involved, the aftercare agreement and
    how to come back, as recorded at closing (as the closing letter does)."""
    case_id = _closed_with_aftercare(app, world)
    client.login("pro.noord@test.example")
    after = print_file(client, case_id, "json").get_json()["case"]["after_closing"]
    assert after["people_staying"] == ["Oma Ria"]
    assert after["services_staying"] == ["Taalhuis Noord"]
    assert after["aftercare_agreement"].endswith("Sanne belt in maart.")
    assert after["how_to_come_back"].startswith("Bel Sanne")
    text = flat(print_file(client, case_id).data)
    assert "Na het stoppen" in text
    assert "Wie er bij je blijft: Oma Ria en Taalhuis Noord." in text
    assert "Sanne belt in maart." in text and "Bel Sanne op het nummer hieronder" in text


# --- issue 20: each goal's result, and the paper form about our help ----------------------


def _closed_with_outcomes(app, world) -> dict[str, int]:
    """Lisa, Noah (9) and Sara (14); three goals closed as reached, partly and not reached
    (one with the family's words) and a dropped one; answers about the help from Lisa, from
    Sara and from oma Ria (a name)."""
    members = [
        c.person("Lisa", "Bakker", "parent", date(1990, 3, 1)),
        c.person("Noah", "Bakker", "child", date(2017, 5, 2), custody="mother"),
        c.person("Sara", "Bakker", "child", date(2012, 6, 1), custody="mother"),
    ]
    case_id = world.case(world.pro_noord, name="Bakker", members=members)
    with app.test_request_context():
        user = db.get(api.User, world.pro_noord)
        case = db.get(api.Case, case_id)
        lisa, _noah, sara = c.members_of(case)
        plan = c.start_plan(user, case, level=5)
        school = c.goal(user, case, plan, "Noah gaat elke dag naar school.")
        calm = c.goal(user, case, plan, "Wij willen rustige ochtenden.")
        money = c.goal(user, case, plan, "Overzicht over het geld.")
        c.score(user, case, school)  # the family's 4
        db.commit()
        case = db.get(api.Case, case_id)
        c.close_with_outcomes(
            user,
            case,
            {school.id: "partly", calm.id: "reached", money.id: "not_reached"},
            on=clock.today(),
            words={school.id: "Hij gaat nu vier dagen per week."},
        )
        for who in ({"member_id": lisa.id}, {"member_id": sara.id}, {"who_name": "Oma Ria"}):
            name = "LISA" if who.get("member_id") == lisa.id else "SARA"
            name = name if "member_id" in who else "OMA"
            c.satisfaction(user, case, comment=f"ANTWOORD-{name}", on=clock.today(), **who)
        db.commit()
        return {"case": case_id, "lisa": lisa.id, "sara": sara.id}


def test_the_closing_letter_says_each_goals_result_in_family_words(app, client, world):
    ids = _closed_with_outcomes(app, world)
    client.login("pro.noord@test.example")
    text = flat(print_plan(client, ids["case"], lang="en").data)
    assert "Your goals, and how it went" in text
    assert "What you reached" not in text  # all goals, not only the reached ones
    for goal, result in (
        ("Noah gaat elke dag naar school.", "This partly worked out"),
        ("Wij willen rustige ochtenden.", "This worked out"),
        ("Overzicht over het geld.", "This did not work out (yet)"),
    ):
        assert f"{goal} (explained orally) {result}" in text, goal
    assert "What you said about it: Hij gaat nu vier dagen per week." in text
    assert "You started at 4. At the end you were at 4." in text


def test_the_closing_letter_ends_with_a_paper_form_about_our_help(app, client, world):
    ids = _closed_with_outcomes(app, world)
    client.login("pro.noord@test.example")
    pdf = print_plan(client, ids["case"], lang="en").data
    pages = len(PdfReader(BytesIO(pdf)).pages)
    last = " ".join(
        poppler("pdftotext", "-f", str(pages), "-l", str(pages), "-", "-", pdf=pdf).split()
    )
    # Its own page, with its own running title.
    assert last.startswith("What do you think of our help? · Family Bakker · closing letter of")
    for words in (
        "1. Did you feel heard?",
        "2. Could you decide about your plan yourself?",
        "3. Is it going better now than when we started?",
        "4. What mark do you give us, from 1 to 10?",
        "Not at all A little Sometimes yes, sometimes no Mostly Completely",
        "1 2 3 4 5 6 7 8 9 10",
        "You may give this paper to us or send it to us.",
        "What else do you want to tell us?",
        "Your name (if you want)",
    ):
        assert words in last, words
    assert last.count("Not at all") == 3  # five boxes for each of the three questions
    # The family's answers recorded before are never printed on the form to fill in.
    assert "ANTWOORD" not in flat(pdf)


def test_the_dutch_and_a_right_to_left_closing_letter_print_the_form(app, client, world):
    ids = _closed_with_outcomes(app, world)
    client.login("pro.noord@test.example")
    pdf = print_plan(client, ids["case"]).data
    dutch = flat(pdf)
    assert "Hij gaat nu vier dagen per week." in dutch
    # The marks 1 to 10 on the form's last page (pdftotext's reading order of a row of small
    # cells may differ from the row's order, so each is looked for on its own).
    marks = PdfReader(BytesIO(pdf)).pages[-1].extract_text()
    assert {str(n) for n in range(1, 11)} <= set(re.findall(r"\d+", marks))
    # Right to left (logical properties only): the same pages, the form on the last one whole.
    english = PdfReader(BytesIO(print_plan(client, ids["case"], lang="en").data))
    arabic = PdfReader(BytesIO(print_plan(client, ids["case"], lang="ar").data))
    assert len(arabic.pages) == len(english.pages)
    last = arabic.pages[-1].extract_text()
    assert all(str(n) in last for n in range(1, 11))


def test_a_letter_of_a_case_closed_before_results_were_asked_is_as_before(app, client, world):
    case_id = _closed_with_aftercare(app, world)
    client.login("pro.noord@test.example")
    text = flat(print_plan(client, case_id, lang="en").data)
    assert "What you reached" in text and "Your goals, and how it went" not in text
    assert "What do you think of our help?" in text


def test_the_family_file_has_the_results_and_the_readers_own_answers(app, client, world):
    """GDPR art. 15: the results and what the family said about the help are their data. A
    young person's answers are theirs: the parents' file has the parents' answers and those
    recorded under a name, Sara's file her own."""
    ids = _closed_with_outcomes(app, world)
    client.login("pro.noord@test.example")
    data = print_file(client, ids["case"], "json", lang="en").get_json()
    after = data["case"]["after_closing"]
    assert after["how_it_ended"] == "Together, as planned"
    assert [(g["goal"], g["in_words"], g["last_score"]) for g in after["goal_results"]] == [
        ("Noah gaat elke dag naar school.", "This partly worked out", 4),
        ("Wij willen rustige ochtenden.", "This worked out", None),
        ("Overzicht over het geld.", "This did not work out (yet)", None),
    ]
    parents = {s["what_you_said"] for s in data["satisfaction"]}
    assert parents == {"ANTWOORD-LISA", "ANTWOORD-OMA"}
    first = data["satisfaction"][0]
    assert first["answers"][0] == {
        "question": "Did you feel heard?",
        "answer": 4,
        "in_words": "Mostly",
    }
    assert first["mark"] == 8
    sara = print_file(client, ids["case"], "json", lang="en", reader=str(ids["sara"])).get_json()
    assert [s["what_you_said"] for s in sara["satisfaction"]] == ["ANTWOORD-SARA"]
    lisa = print_file(client, ids["case"], "json", lang="en", reader=str(ids["lisa"])).get_json()
    assert {s["what_you_said"] for s in lisa["satisfaction"]} == parents  # a parent
    text = flat(print_file(client, ids["case"], lang="en").data)
    for words in (
        "How it ended: Together, as planned.",
        "Your goals at the end",
        "This partly worked out · Your last number: 4 of 10.",
        "What you said about it: Hij gaat nu vier dagen per week.",
        "What you think of our help",
        "Did you feel heard? 4: Mostly",
        "What mark do you give us, from 1 to 10? 8",
        "ANTWOORD-LISA",
        "ANTWOORD-OMA",
    ):
        assert words in text, words
    assert "ANTWOORD-SARA" not in text
