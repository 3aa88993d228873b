"""The case timeline says what happened (issue 17): per event its kind in singular words, who
recorded it and a note's addenda, without showing what the reader may not see, in a fixed
number of queries."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

from tests.factories import app_api as api
from tests.factories import care
from tests.factories import cases as c
from tests.test_queries import count_queries
from wijkteam.core.db import db
from wijkteam.notes.models import NoteAddendum

ENTRY = re.compile(
    r'<li class="timeline-(\w+)">\s*<span class="when">[^<]*</span>\s*<span class="event">\s*'
    r'<span class="what">(?:<a href="([^"]*)">)?([^<]*)(?:</a>)?</span>\s*'
    r'(?:<span class="summary">([^<]*)</span>)?',
)


def entries(html: str) -> list[tuple[str, str, str, str]]:
    """(kind, link, headline, summary) of every entry, in the page's order."""
    return [tuple(unescape(part) for part in m) for m in ENTRY.findall(html)]  # type: ignore[misc]


def headlines(html: str) -> list[str]:
    return [headline for _kind, _link, headline, _summary in entries(html)]


def build_case_file(app, world, plan_case: int) -> dict[str, int]:
    """pro.noord's case with an event of every kind, and a colleague's draft with an addendum
    (which the services never allow: it stands for any addendum of a note the reader may not
    see)."""
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        colleague = db.get(api.User, world.pro2_noord)
        case = db.get(api.Case, plan_case)
        parent, child = c.members_of(case)
        plan = c.start_plan(pro, case, level=3, regie="shared", reason="Samen met Lisa.")
        c.goal(pro, case, plan, "Wij willen rustige ochtenden.")
        c.agree(pro, case, plan, [parent.id])
        oma = c.helper(pro, case)
        c.network_meeting(pro, case, plan, [oma.id], [parent.id])
        concern = care.concern(pro, case, c.fresh(plan), [child.id], title="Zorg om Noah")
        care.meldcode(pro, case, concern, upto=1)
        two = c.note(pro, case, "Lisa vertelde over de fiets.", plan=plan, on=date(2026, 3, 10))
        c.addendum(pro, case, two, "Oma belde nog.")
        c.addendum(colleague, case, two, "Alleen voor ons.", internal=True)
        one = c.note(pro, case, "Noah was blij.", plan=plan, on=date(2026, 3, 11))
        c.addendum(pro, case, one, "Vergeten: de juf belde.")
        c.note(pro, case, "Kort gebeld.", plan=plan, on=date(2026, 3, 12))
        draft = c.note(
            colleague, case, "Concept van collega.", plan=plan, finalise=False, on=date(2026, 3, 13)
        )
        db.add(NoteAddendum(note_id=draft.id, author_id=colleague.id, text="Verborgen."))
        db.commit()
        return {"two": two.id, "one": one.id, "draft": draft.id, "concern": concern.id}


def test_each_entry_says_what_happened_who_and_the_addenda(app, client, world, plan_case):
    ids = build_case_file(app, world, plan_case)
    client.login("pro.noord@test.example")
    client.english()
    html = client.get(f"/cases/{plan_case}/timeline").get_data(as_text=True)
    found = entries(html)
    base = f"/cases/{plan_case}"
    assert ("note", f"{base}/notes/{ids['two']}") in {(k, link) for k, link, _h, _s in found}
    by_link = {link: (headline, summary) for _kind, link, headline, summary in found}
    assert by_link[f"{base}/notes/{ids['two']}"] == (
        "Home visit · Pro Noord · with 2 addenda",
        "Lisa vertelde over de fiets.",
    )
    assert by_link[f"{base}/notes/{ids['one']}"][0] == "Home visit · Pro Noord · with an addendum"
    assert by_link[f"{base}/plan/versions/1"][0] == "Version 1 agreed with the family · Pro Noord"
    assert by_link[f"{base}/safety/{ids['concern']}"] == (
        "Meldcode step 1 done: Map the signals · Pro Noord",
        "Zorg om Noah",
    )
    shown = headlines(html)
    assert "Home visit · Pro Noord" in shown  # the note without addenda says none
    assert "Goal added" in shown
    assert "Participation ladder from now on: level 3, Consulting · Pro Noord" in shown
    assert "Regie from now on: Shared regie · Pro Noord" in shown
    assert "Informal network meeting · Pro Noord" in shown
    # Nothing of the colleague's draft, nor its addendum in any count.
    assert f"{base}/notes/{ids['draft']}" not in html and "Concept van collega." not in html
    assert not any("3 addenda" in h or "Pro2 Noord" in h for h in shown)
    # No entry is named by the plural filter any more.
    filters = ("Conversation notes", "Participation ladder", "Network meetings", "Safety")
    assert not any(h in filters for h in shown)


def test_a_draft_shows_as_a_draft_to_its_author_only(app, client, world, plan_case):
    ids = build_case_file(app, world, plan_case)
    client.login("pro2.noord@test.example")
    client.english()
    html = client.get(f"/cases/{plan_case}/timeline").get_data(as_text=True)
    by_link = {link: headline for _kind, link, headline, _summary in entries(html)}
    assert by_link[f"/cases/{plan_case}/notes/{ids['draft']}"] == (
        "Home visit · Pro2 Noord · with an addendum · Draft"
    )


def test_the_timeline_speaks_dutch(app, client, world, plan_case):
    ids = build_case_file(app, world, plan_case)
    client.login("pro.noord@test.example")
    html = client.get(f"/cases/{plan_case}/timeline").get_data(as_text=True)
    by_link = {link: headline for _kind, link, headline, _summary in entries(html)}
    base = f"/cases/{plan_case}"
    assert by_link[f"{base}/notes/{ids['two']}"] == "Huisbezoek · Pro Noord · met 2 aanvullingen"
    assert by_link[f"{base}/notes/{ids['one']}"] == "Huisbezoek · Pro Noord · met aanvulling"
    assert by_link[f"{base}/safety/{ids['concern']}"].startswith("Stap 1 van de Meldcode gedaan: ")
    shown = headlines(html)
    assert "Doel toegevoegd" in shown
    assert any(h.startswith("Participatieladder vanaf nu: niveau 3, ") for h in shown)
    assert any(h.startswith("Regie vanaf nu: ") for h in shown)


def test_addenda_and_authors_do_not_add_queries(app, client, world, plan_case):
    client.login("pro.noord@test.example")
    timeline = f"/cases/{plan_case}/timeline"
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        c.note(pro, db.get(api.Case, plan_case), "Eerste bezoek.")
        db.commit()
    client.get(timeline)
    with count_queries(app) as few:
        client.get(timeline)
    with app.test_request_context():
        case = db.get(api.Case, plan_case)
        authors = [db.get(api.User, world.pro_noord), db.get(api.User, world.pro2_noord)]
        for i in range(12):
            note = c.note(authors[i % 2], case, f"Bezoek {i}.", on=date(2026, 4, 1 + i))
            for n in range(i % 3):
                c.addendum(authors[n % 2], case, note, f"Aanvulling {n}.", internal=n == 1)
        db.commit()
    with count_queries(app) as many:
        html = client.get(timeline).get_data(as_text=True)
    assert "Bezoek 11." in html and "met 2 aanvullingen" in html
    assert many["n"] == few["n"]


def test_its_pages_together_hold_every_event_once_in_order(app, world, plan_case):
    """Each kind of event gives only the rows up to the page asked for (issue 21): paging
    through small pages gives exactly the one long list, for all events and for one kind."""
    from wijkteam.notes.queries import timeline

    build_case_file(app, world, plan_case)
    with app.test_request_context():
        case = db.get(api.Case, plan_case)
        pro = db.get(api.User, world.pro_noord)
        for kind in (None, "note", "plan", "ladder", "regie", "safety", "meeting"):
            whole = timeline(case, pro, kind, page=1, per_page=1000)
            assert whole.total == len(whole.items) and whole.total >= 1, kind
            for per_page in (1, 2, 3):
                paged = []
                for page in range(1, whole.total // per_page + 2):
                    paged += timeline(case, pro, kind, page=page, per_page=per_page).items
                # The page after the last repeats the last one (page_number): cut it.
                assert paged[: whole.total] == whole.items, (kind, per_page)
        kinds = {item.kind.value for item in timeline(case, pro, None, 1, 1000).items}
        assert {"note", "plan", "ladder", "regie", "safety", "meeting"} <= kinds


def test_the_statements_are_built_once_and_bound_to_each_reader(app, world, plan_case):
    """The timeline's statements are built once per kind (issue 21), with the case and the
    reader as bound parameters: one reader's draft never shows on another's timeline, asked
    for in turns through the same statements."""
    from wijkteam.notes.queries import _timeline_statements, timeline

    ids = build_case_file(app, world, plan_case)
    with app.test_request_context():
        case = db.get(api.Case, plan_case)
        pro, colleague = db.get(api.User, world.pro_noord), db.get(api.User, world.pro2_noord)
        seen = {}
        for user in (pro, colleague, pro, colleague):
            for kind in (None, "note"):
                items = timeline(case, user, kind, page=1, per_page=100).items
                notes = {item.ref_id for item in items if item.kind == "note"}
                seen.setdefault((user.id, kind), notes)
                assert seen[user.id, kind] == notes
        for kind in (None, "note"):
            assert ids["draft"] in seen[colleague.id, kind]
            assert ids["draft"] not in seen[pro.id, kind]
            assert seen[pro.id, kind] == seen[colleague.id, kind] - {ids["draft"]}
        assert _timeline_statements(None) is _timeline_statements(None)
        assert _timeline_statements("note") is not _timeline_statements(None)
        other = world.case(world.pro_noord, name="Visser")
        assert timeline(db.get(api.Case, other), pro, None, page=1, per_page=100).items == []
