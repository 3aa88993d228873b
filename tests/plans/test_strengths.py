"""What goes on the family's paper as "what you are good at" (issue 16, point 1): chosen from
the strengths and compliments of the case's final notes, or written in the family's words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html import unescape

import pytest
from sqlalchemy import func, select

from tests.factories import app_api as api
from tests.factories import cases as c
from wijkteam.audit.models import AuditEvent
from wijkteam.core.db import db
from wijkteam.core.errors import FieldError, NotAllowed
from wijkteam.plans.models import Plan, PlanStrength
from wijkteam.plans.services import MAX_STRENGTHS, MAX_TEXT
from wijkteam.plans.services import strengths as service

SHARED = "Lisa plant de week goed."
COMPLIMENT = "Noah helpt zijn zus met haar jas."
INTERNAL = "Intern: moeder is erg moe."
DRAFT = "Nog een concept over sterke kanten."
OTHER_CASE = "Een ander gezin kan goed koken."
OTHER_TEAM = "Gezin van team Zuid fietst samen."


@dataclass
class Paper:
    case_id: int
    other_case_id: int
    shared: int  # the strengths part of a final, shareable note
    compliment: int  # its compliments part
    internal: int
    draft: int
    other_case: int  # a part of another case of the same team
    other_team: int  # a part of a case of team Zuid

    @property
    def base(self) -> str:
        return f"/cases/{self.case_id}/plan/strengths"


def _part(note, kind=None) -> int:
    return c.fresh(note).part(kind or api.PartKind.STRENGTHS).id


@pytest.fixture
def paper(app, world, plan_case) -> Paper:
    """plan_case with a plan and notes of every kind, another case of the team with a note, and
    a case of team Zuid with one."""
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        case = db.get(api.Case, plan_case)
        plan = c.start_plan(pro, case)
        shared = c.strengths_note(pro, case, plan, SHARED, COMPLIMENT)
        internal = c.strengths_note(pro, case, plan, INTERNAL, "", internal=True)
        draft = c.strengths_note(pro, case, plan, DRAFT, "", finalise=False, on=date(2026, 3, 5))
        other_case = c.register(pro, "Anders")
        other = c.strengths_note(pro, other_case, None, OTHER_CASE, "")
        zuid = db.get(api.User, world.pro_zuid)
        zuid_note = c.strengths_note(zuid, c.register(zuid, "Zuidhuis"), None, OTHER_TEAM, "")
        found = Paper(
            case_id=case.id,
            other_case_id=other_case.id,
            shared=_part(shared),
            compliment=_part(shared, api.PartKind.COMPLIMENTS),
            internal=_part(internal),
            draft=_part(draft),
            other_case=_part(other),
            other_team=_part(zuid_note),
        )
        db.commit()
    return found


@pytest.fixture
def pro(client, paper):
    client.login("pro.noord@test.example")
    client.english()
    return client


def add_part(client, paper: Paper, part_id: object):
    return client.submit(f"{paper.base}/add", {"note_part_id": str(part_id)}, page=paper.base)


def add_text(client, paper: Paper, text: str):
    return client.submit(paper.base, {"text": text}, page=paper.base)


def on_paper(app, case_id: int) -> list[tuple[int | None, str | None]]:
    """(note part id, own text) of the strengths on paper, in their order."""
    with app.app_context():
        plan = db.scalar(select(Plan).where(Plan.case_id == case_id))
        return [(s.note_part_id, s.text) for s in plan.strengths]


def all_rows(app) -> int:
    with app.app_context():
        return db.scalar(select(func.count(PlanStrength.id))) or 0


def strength_events(app) -> list[tuple[str, int | None, list[str]]]:
    with app.app_context():
        rows = db.scalars(
            select(AuditEvent).where(AuditEvent.action.like("strength.%")).order_by(AuditEvent.id)
        )
        return [(e.action, e.case_id, list(e.fields)) for e in rows]


def test_the_page_offers_shareable_parts_of_final_notes_of_this_case_only(pro, paper):
    html = pro.get(paper.base).get_data(as_text=True)
    assert SHARED in html and COMPLIMENT in html
    for hidden in (INTERNAL, DRAFT, OTHER_CASE, OTHER_TEAM):
        assert hidden not in html
    assert f'name="note_part_id" value="{paper.shared}"' in html
    assert "Nothing chosen yet" in html
    # The plan page links to it, near the printout.
    plan_page = pro.get(f"/cases/{paper.case_id}/plan").get_data(as_text=True)
    assert paper.base in plan_page and "0 strengths chosen" in plan_page


def test_add_from_a_note_and_in_own_words_then_remove(pro, app, paper):
    assert add_part(pro, paper, paper.shared).status_code == 302
    resp = add_text(pro, paper, "  Wij eten elke zondag samen.  ")
    assert resp.status_code == 302
    assert on_paper(app, paper.case_id) == [
        (paper.shared, None),
        (None, "Wij eten elke zondag samen."),
    ]
    html = pro.get(paper.base).get_data(as_text=True)
    chosen = html.split('id="chosen-heading"')[1].split("</section>")[0]
    assert chosen.index(SHARED) < chosen.index("Wij eten elke zondag samen.")
    assert "From the note of Mar 2, 2026 (Strengths)" in chosen
    assert "Written for the paper" in chosen
    assert "2 strengths chosen" in pro.get(f"/cases/{paper.case_id}/plan").get_data(as_text=True)

    with app.app_context():
        first = db.scalar(select(PlanStrength).where(PlanStrength.note_part_id == paper.shared))
        first_id = first.id
    resp = pro.submit(f"{paper.base}/{first_id}/remove", {}, page=paper.base)
    assert resp.status_code == 302
    assert on_paper(app, paper.case_id) == [(None, "Wij eten elke zondag samen.")]
    with app.app_context():
        removed = db.get(PlanStrength, first_id)
        assert removed.removed_at is not None  # marked, kept on record
    # the plan page counts the ones on paper, not the removed one (plans.queries counts them)
    assert "1 strength chosen" in pro.get(f"/cases/{paper.case_id}/plan").get_data(as_text=True)
    # Removed once: a second time it is gone (404), and it can be chosen again.
    assert pro.submit(f"{paper.base}/{first_id}/remove", {}, page=paper.base).status_code == 404
    assert add_part(pro, paper, paper.shared).status_code == 302
    assert strength_events(app) == [
        ("strength.add", paper.case_id, ["note_part_id"]),
        ("strength.add", paper.case_id, ["text"]),
        ("strength.remove", paper.case_id, []),
        ("strength.add", paper.case_id, ["note_part_id"]),
    ]


def test_moving_up_and_down(pro, app, paper):
    add_part(pro, paper, paper.shared)
    add_part(pro, paper, paper.compliment)
    add_text(pro, paper, "Wij lachen veel samen.")
    with app.app_context():
        ids = [s.id for s in db.scalar(select(Plan)).strengths]
    resp = pro.submit(f"{paper.base}/{ids[2]}/move", {"direction": "up"}, page=paper.base)
    assert resp.status_code == 302
    resp = pro.submit(f"{paper.base}/{ids[2]}/move", {"direction": "up"}, page=paper.base)
    assert resp.status_code == 302
    # At the top already: nothing moves.
    pro.submit(f"{paper.base}/{ids[2]}/move", {"direction": "up"}, page=paper.base)
    assert [t for _p, t in on_paper(app, paper.case_id)][0] == "Wij lachen veel samen."
    pro.submit(f"{paper.base}/{ids[0]}/move", {"direction": "down"}, page=paper.base)
    assert [p for p, _t in on_paper(app, paper.case_id)] == [None, paper.compliment, paper.shared]
    resp = pro.submit(f"{paper.base}/{ids[0]}/move", {"direction": "sideways"}, page=paper.base)
    assert resp.status_code == 422
    assert [e[0] for e in strength_events(app)].count("strength.move") == 3


@pytest.mark.parametrize(
    "which", ["other_case", "other_team", "draft", "internal", "missing", "not a number"]
)
def test_a_part_that_may_not_go_on_paper_is_refused_and_nothing_is_saved(pro, app, paper, which):
    part_id = {"missing": 999_999, "not a number": "abc"}.get(which) or getattr(paper, which)
    resp = add_part(pro, paper, part_id)
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert "Choose a strength or compliment from this family's notes." in html or (
        "This form was changed outside the app." in html
    )
    for text in (OTHER_CASE, OTHER_TEAM, DRAFT, INTERNAL):
        assert text not in html  # never another case's text, nor a hidden one
    assert all_rows(app) == 0
    assert strength_events(app) == []


def test_the_same_part_twice_and_the_limit(pro, app, paper):
    add_part(pro, paper, paper.shared)
    resp = add_part(pro, paper, paper.shared)
    assert resp.status_code == 422
    assert "This one is on paper already." in resp.get_data(as_text=True)
    for n in range(MAX_STRENGTHS - 1):
        assert add_text(pro, paper, f"Sterk punt {n}.").status_code == 302
    resp = add_text(pro, paper, "Nog eentje.")
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert "There are already 10 strengths on paper" in html
    assert "Nog eentje." in html  # the typed text stays
    resp = add_part(pro, paper, paper.compliment)
    assert resp.status_code == 422
    assert len(on_paper(app, paper.case_id)) == MAX_STRENGTHS
    # A full paper offers no more to add.
    html = pro.get(paper.base).get_data(as_text=True)
    assert f'action="{paper.base}/add"' not in html and 'name="text"' not in html


def test_own_text_must_be_written_and_not_too_long(pro, app, paper):
    resp = add_text(pro, paper, "   ")
    assert resp.status_code == 422
    assert "Write what the family is good at." in resp.get_data(as_text=True)
    resp = add_text(pro, paper, "x" * (MAX_TEXT + 1))
    assert resp.status_code == 422
    assert all_rows(app) == 0


def test_another_team_gets_a_404_and_changes_nothing(client, app, world, paper):
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        case = db.get(api.Case, paper.case_id)
        plan = db.scalar(select(Plan).where(Plan.case_id == case.id))
        strength_id = service.add_text(pro, case, plan, "Wij zijn een team.").id
        db.commit()
    client.login("pro.zuid@test.example")
    assert client.get(paper.base).status_code == 404
    token = client.csrf_token("/cases")
    for url, data in (
        (paper.base, {"text": "Gekaapt"}),
        (f"{paper.base}/add", {"note_part_id": paper.shared}),
        (f"{paper.base}/{strength_id}/remove", {}),
        (f"{paper.base}/{strength_id}/move", {"direction": "down"}),
    ):
        resp = client.post(url, data={**data, "csrf_token": token})
        assert resp.status_code == 404, url
    assert on_paper(app, paper.case_id) == [(None, "Wij zijn een team.")]
    with app.app_context():
        denied = db.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.action == "case.denied", AuditEvent.user_id == world.pro_zuid
            )
        )
        assert denied == 5


def test_a_strength_of_another_plan_is_a_404(pro, app, world, paper):
    with app.test_request_context():
        user = db.get(api.User, world.pro_noord)
        other = db.get(api.Case, paper.other_case_id)
        other_plan = c.start_plan(user, other)
        strength_id = service.add_text(user, other, other_plan, "Ander plan.").id
        db.commit()
    resp = pro.submit(f"{paper.base}/{strength_id}/remove", {}, page=paper.base)
    assert resp.status_code == 404
    with app.app_context():
        assert db.get(PlanStrength, strength_id).removed_at is None


def test_the_services_check_every_way_in(app, world, paper):
    """The rules hold for the seed, the CLI and the fuzz world too, not only for the pages."""
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        zuid = db.get(api.User, world.pro_zuid)
        case = db.get(api.Case, paper.case_id)
        plan = db.scalar(select(Plan).where(Plan.case_id == case.id))
        with pytest.raises(NotAllowed):
            service.add_text(zuid, case, plan, "Gekaapt")
        with pytest.raises(FieldError):
            service.add_from_note_part(pro, case, plan, paper.other_team)
        with pytest.raises(FieldError):
            service.add_from_note_part(pro, case, plan, None)
        with pytest.raises(FieldError):
            service.remove(pro, case, plan, 999_999)
        db.rollback()
        assert db.scalar(select(func.count(PlanStrength.id))) == 0


def test_the_page_runs_no_more_queries_for_more_strengths(pro, app, paper):
    from tests.test_queries import count_queries

    add_part(pro, paper, paper.shared)
    with count_queries(app) as one:
        assert pro.get(paper.base).status_code == 200
    add_part(pro, paper, paper.compliment)
    for n in range(3):
        add_text(pro, paper, f"Sterk punt {n}.")
    with count_queries(app) as five:
        assert pro.get(paper.base).status_code == 200
    assert five["selects"] == one["selects"]


def test_a_double_click_on_a_button_moves_once(pro, app, paper):
    """The move buttons carry no version: a second POST of the same button's form (a double
    click on a slow connection) is answered with the first's result and moves nothing more."""
    add_part(pro, paper, paper.shared)
    add_part(pro, paper, paper.compliment)
    add_text(pro, paper, "Wij lachen veel samen.")
    with app.app_context():
        ids = [s.id for s in db.scalar(select(Plan)).strengths]
    html = pro.get(paper.base).get_data(as_text=True)
    form = html.split(f'action="{paper.base}/{ids[2]}/move"')[1].split("</form>")[0]
    form_id = re.search(r'name="form_id" value="([^"]+)"', form).group(1)
    token = pro.csrf_token(paper.base)
    data = {"direction": "up", "form_id": form_id, "csrf_token": token}
    first = pro.post(f"{paper.base}/{ids[2]}/move", data=data)
    again = pro.post(f"{paper.base}/{ids[2]}/move", data=data)
    assert first.status_code == 302 and again.status_code == 303
    assert again.headers["Location"].endswith(paper.base)
    assert [t for _p, t in on_paper(app, paper.case_id)][1] == "Wij lachen veel samen."
    assert [e[0] for e in strength_events(app)].count("strength.move") == 1
