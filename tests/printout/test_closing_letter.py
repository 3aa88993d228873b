"""The closing letter (issue 18) says who stays involved and how the family can come back as
recorded when the case closed, instead of guessing them from the network and referrals."""

from __future__ import annotations

from tests.factories import app_api as api
from tests.factories import care
from tests.factories import cases as c
from tests.printout.conftest import print_file, print_plan
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
