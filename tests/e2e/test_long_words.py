"""Long words and links (a pasted URL, a name without spaces) wrap on screen: the page is never
wider than the window, on a tablet (1024 px) or a phone (390 px)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import markup_only
from tests.e2e.test_journeys import login
from tests.factories import app_api as api
from tests.factories import cases as c

LINK = "https://www.voorbeeld.nl/" + "zorg-en-welzijn/" * 13 + "x" * 7  # 240 characters
WORD = "Ontwikkelingsbegeleidings" * 9 + "traject" * 3  # 246 letters, no space


def _case_with_long_words(app, world) -> tuple[int, int, int]:
    case_id = world.case(world.pro_noord, name="Bakker", members=c.lisa_and_noah("Bakker"))
    with app.test_request_context():
        user = api.db.get(api.User, world.pro_noord)
        case = api.db.get(api.Case, case_id)
        plan = c.start_plan(user, case)
        goal = c.goal(user, case, plan, f"Wij willen rustige ochtenden, zie {LINK}")
        note = c.note(user, case, f"Lisa vertelde over het {WORD} en {LINK}.", plan=plan)
        api.db.commit()
        return case_id, goal.id, note.id


@markup_only
@pytest.mark.parametrize("width", [1024, 390])
def test_long_words_and_links_do_not_widen_the_page(page, live_server, world, app, width):
    assert len(LINK) == 240 and len(WORD) > 240
    case_id, goal_id, note_id = _case_with_long_words(app, world)
    page.set_viewport_size({"width": width, "height": 800})
    login(page, live_server, "pro.noord@test.example")
    for path in (
        f"/cases/{case_id}/plan",
        f"/cases/{case_id}/plan/goals/{goal_id}",
        f"/cases/{case_id}/notes/{note_id}",
    ):
        page.goto(f"{live_server}{path}")
        assert "voorbeeld.nl" in page.inner_text("main"), path
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client, f"{path} at {width} px is {scroll} px wide"
