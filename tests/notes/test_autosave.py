"""A note's draft saves itself while it is typed (POST .../notes/autosave, JSON): once per form
instance, never over a newer save, never for an ended session, never after the form was saved
by hand, audited once per login; and the new note form suggests the people of the last visit."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select, update

from tests.notes.test_notes import note_data
from wijkteam.audit.models import AuditEvent
from wijkteam.auth.models import AuthSession
from wijkteam.core.db import db, utc_now
from wijkteam.notes.models import Note, NoteStatus, PartKind
from wijkteam.rescue.models import FormRescue

FORM_ID_RE = re.compile(r'name="form_id" type="hidden" value="([^"]+)"')
JSON = {"Accept": "application/json"}


@pytest.fixture
def notes(client, plan_case):
    client.login("pro.noord@test.example")
    return f"/cases/{plan_case}/notes"


def open_form(client, url):
    """The form page's CSRF token and one-time form id (one form instance)."""
    html = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    return token, FORM_ID_RE.search(html).group(1), html


def autosave(client, url, token, form_id, **values):
    data = note_data(save_draft=None, **values)
    data.update({"csrf_token": token, "autosave_of": form_id})
    return client.post(url, data=data, headers=JSON)


def drafts(app):
    with app.app_context():
        rows = list(db.scalars(select(Note).order_by(Note.id)))
        result = [(n.id, n.version, n.status, {p.kind: p.text for p in n.parts}) for n in rows]
        db.expunge_all()
        return result


def audit_rows(app, note_id):
    with app.app_context():
        return list(
            db.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.object_type == "Note", AuditEvent.object_id == note_id)
                .order_by(AuditEvent.id)
            )
        )


def test_a_new_note_autosaves_into_one_draft_and_the_page_learns_its_address(app, client, notes):
    token, form_id, _html = open_form(client, f"{notes}/new")
    first = autosave(client, f"{notes}/autosave", token, form_id, question="Eerste zin.")
    assert first.status_code == 200
    reply = first.get_json()
    [(note_id, version, status, parts)] = drafts(app)
    assert status == NoteStatus.DRAFT and parts[PartKind.QUESTION] == "Eerste zin."
    assert reply["version"] == version
    assert reply["edit_url"] == f"{notes}/{note_id}/edit"
    assert reply["autosave_url"] == f"{notes}/{note_id}/autosave"
    assert re.fullmatch(r"Opgeslagen om \d\d:\d\d", reply["message"])
    # The next save of the same form instance, even if its answer was lost and the page still
    # posts to the new-note address, continues the same draft.
    again = autosave(
        client,
        f"{notes}/autosave",
        token,
        form_id,
        question="Eerste zin. Tweede zin.",
        version=str(version),
    )
    assert again.status_code == 200
    [(same_id, newer, _s, parts)] = drafts(app)
    assert same_id == note_id and newer == version + 1
    assert parts[PartKind.QUESTION] == "Eerste zin. Tweede zin."
    # From its own address as well.
    third = autosave(
        client, reply["autosave_url"], token, form_id, question="Drie.", version=str(newer)
    )
    assert third.status_code == 200 and third.get_json()["version"] == newer + 1
    assert len(drafts(app)) == 1


def test_nothing_typed_makes_no_empty_draft(app, client, notes):
    token, form_id, _html = open_form(client, f"{notes}/new")
    resp = autosave(
        client,
        f"{notes}/autosave",
        token,
        form_id,
        question="",
        strengths="",
        family_member_ids=None,
    )
    assert resp.status_code == 200 and resp.get_json()["message"] == ""
    assert drafts(app) == []


def test_autosave_never_overwrites_a_newer_save_from_another_tab(app, client, notes):
    token, form_id, _html = open_form(client, f"{notes}/new")
    reply = autosave(client, f"{notes}/autosave", token, form_id, question="Tab een.").get_json()
    version = reply["version"]
    # Another tab opens the draft and saves it by hand.
    edit = reply["edit_url"]
    other_token, other_form, html = open_form(client, edit)
    resp = client.post(
        edit,
        data=note_data(
            question="Tab twee, nieuwer.",
            version=str(version),
            csrf_token=other_token,
            form_id=other_form,
        ),
    )
    assert resp.status_code == 302
    # The first tab's next autosave carries the old version: refused, and it stops.
    stale = autosave(
        client,
        reply["autosave_url"],
        token,
        form_id,
        question="Tab een, ouder.",
        version=str(version),
    )
    assert stale.status_code == 409
    assert stale.get_json()["stop"] is True
    assert "ergens anders" in stale.get_json()["message"]
    [(_id, _v, _s, parts)] = drafts(app)
    assert parts[PartKind.QUESTION] == "Tab twee, nieuwer."


def test_autosave_after_the_session_ended_saves_and_keeps_nothing(app, client, notes):
    token, form_id, _html = open_form(client, f"{notes}/new")
    with app.app_context():
        db.execute(update(AuthSession).values(revoked_at=utc_now()))
        db.commit()
    resp = autosave(client, f"{notes}/autosave", token, form_id, question="Na het verlopen.")
    assert resp.status_code == 401
    assert resp.get_json()["stop"] is True
    assert drafts(app) == []
    with app.app_context():
        # The page keeps the text; saving it by hand goes through the login and the rescue.
        assert db.scalar(select(func.count(FormRescue.id))) == 0


def test_autosave_stops_once_the_form_was_saved_by_hand(app, client, notes):
    token, form_id, _html = open_form(client, f"{notes}/new")
    reply = autosave(client, f"{notes}/autosave", token, form_id, question="Concept.").get_json()
    # Saved by hand from the draft's address, with the same form instance.
    resp = client.post(
        reply["edit_url"],
        data=note_data(
            question="Definitief.",
            save_draft=None,
            finalise="y",
            version=str(reply["version"]),
            csrf_token=token,
            form_id=form_id,
        ),
    )
    assert resp.status_code == 302
    late = autosave(
        client,
        reply["autosave_url"],
        token,
        form_id,
        question="Te laat.",
        version=str(reply["version"] + 1),
    )
    assert late.status_code == 409 and late.get_json()["stop"] is True
    [(_id, _v, status, parts)] = drafts(app)
    assert status == NoteStatus.FINAL and parts[PartKind.QUESTION] == "Definitief."


def test_a_save_by_hand_of_the_new_form_continues_its_autosaved_draft(app, client, notes):
    """Without the autosave's answer (a dropped connection) the form still posts to /new:
    the same form instance continues its draft, no second note."""
    token, form_id, _html = open_form(client, f"{notes}/new")
    reply = autosave(client, f"{notes}/autosave", token, form_id, question="Eerst.").get_json()
    resp = client.post(
        f"{notes}/new",
        data=note_data(
            question="Daarna.", version=str(reply["version"]), csrf_token=token, form_id=form_id
        ),
    )
    assert resp.status_code == 302
    [(note_id, _v, _s, parts)] = drafts(app)
    assert resp.headers["Location"].endswith(f"/notes/{note_id}")
    assert parts[PartKind.QUESTION] == "Daarna."


def test_typing_is_audited_as_one_change_per_note(app, client, notes):
    token, form_id, _html = open_form(client, f"{notes}/new")
    reply = autosave(client, f"{notes}/autosave", token, form_id, question="a").get_json()
    version = reply["version"]
    for n in range(5):
        resp = autosave(
            client,
            reply["autosave_url"],
            token,
            form_id,
            question="a" + "b" * (n + 1),
            version=str(version),
        )
        version = resp.get_json()["version"]
    [(note_id, *_rest)] = drafts(app)
    assert audit_rows(app, note_id) == ["note.create"]
    # A save by hand is a change of its own; finishing too.
    client.post(
        reply["edit_url"],
        data=note_data(
            save_draft=None,
            finalise="y",
            version=str(version),
            csrf_token=token,
            form_id=form_id,
        ),
    )
    assert audit_rows(app, note_id) == ["note.create", "note.update", "note.finalise"]


def test_a_new_login_audits_the_next_autosave_again(app, client, notes):
    token, form_id, _html = open_form(client, f"{notes}/new")
    reply = autosave(client, f"{notes}/autosave", token, form_id, question="Dag een.").get_json()
    client.logout()
    client.login("pro.noord@test.example")
    token, _new_form, _html = open_form(client, reply["edit_url"])
    resp = autosave(
        client,
        reply["autosave_url"],
        token,
        form_id,
        question="Dag twee.",
        version=str(reply["version"]),
    )
    assert resp.status_code == 200
    [(note_id, *_rest)] = drafts(app)
    assert audit_rows(app, note_id) == ["note.create", "note.update"]


def test_bad_input_is_said_and_saves_nothing(app, client, notes):
    token, form_id, _html = open_form(client, f"{notes}/new")
    resp = autosave(
        client, f"{notes}/autosave", token, form_id, question="Iets.", contact_on="2999-01-01"
    )
    assert resp.status_code == 422
    reply = resp.get_json()
    assert reply["stop"] is False
    assert "toekomst" in reply["message"]
    assert drafts(app) == []


def test_nobody_else_autosaves_into_a_draft(app, client, other_client, notes, world):
    token, form_id, _html = open_form(client, f"{notes}/new")
    reply = autosave(client, f"{notes}/autosave", token, form_id, question="Van mij.").get_json()
    # A colleague of the team: the draft is not theirs (404, as for a missing note).
    other_client.login("pro2.noord@test.example")
    other_token, other_form, _html = open_form(other_client, f"{notes}/new")
    resp = autosave(
        other_client,
        reply["autosave_url"],
        other_token,
        other_form,
        question="Van een ander.",
        version=str(reply["version"]),
    )
    assert resp.status_code == 404 and resp.get_json()["stop"] is True
    # Nor by passing the author's form id to the new-note address: a new draft of their own.
    resp = autosave(
        other_client,
        f"{notes}/autosave",
        other_token,
        form_id,
        question="Van een ander.",
        version=str(reply["version"]),
    )
    assert resp.status_code == 200
    # Another team: the case does not exist for them.
    outsider = app.test_client()
    outsider.login("pro.zuid@test.example")
    zuid_token = outsider.csrf_token("/cases")
    resp = autosave(outsider, f"{notes}/autosave", zuid_token, "z" * 22, question="x")
    assert resp.status_code == 404
    texts = sorted(parts[PartKind.QUESTION] for _i, _v, _s, parts in drafts(app))
    assert texts == ["Van een ander.", "Van mij."]


def test_the_new_note_form_suggests_the_people_of_the_last_visit(
    app, client, notes, plan_case, world
):
    from tests.factories import cases as make
    from wijkteam.auth.models import User
    from wijkteam.cases.models import Case

    with app.test_request_context():
        pro = db.get(User, world.pro_noord)
        case = db.get(Case, plan_case)
        oma, buurman = make.helper(pro, case).id, make.helper(pro, case, "Buurman Joost").id
        db.commit()
    html = unescape(client.get(f"{notes}/new").get_data(as_text=True))
    assert "vorige verslag" not in html
    resp = client.submit(
        f"{notes}/new",
        note_data(
            family_member_ids=["1", "2"],
            network_member_ids=[str(oma)],
            colleague_ids=[str(world.lead_noord)],
            location="Bij oma",
            kind="phone",
        ),
        page=f"{notes}/new",
    )
    assert resp.status_code == 302
    html = unescape(client.get(f"{notes}/new").get_data(as_text=True))
    assert "Ingevuld zoals bij je vorige verslag van 10 mrt 2026" in html

    def checked(name):
        found = re.findall(rf'<input checked[^>]*name="{name}"[^>]*value="(\d+)"', html)
        found += re.findall(rf'<input[^>]*name="{name}"[^>]*value="(\d+)"[^>]*checked', html)
        offered = re.findall(rf'<input[^>]*name="{name}"[^>]*value="(\d+)"', html)
        assert len(offered) >= 2, name  # one chosen among others: the choice is read back
        return sorted(set(found))

    assert checked("family_member_ids") == ["1", "2"]
    assert checked("network_member_ids") == [str(oma)]
    assert str(buurman) not in checked("network_member_ids")
    assert checked("colleague_ids") == [str(world.lead_noord)]
    assert 'value="Bij oma"' in html
    assert re.search(r'<option selected value="phone">|<option value="phone" selected', html)


def test_the_form_opens_with_the_usual_parts_and_folds_the_others(client, notes):
    html = client.get(f"{notes}/new").get_data(as_text=True)
    usual = re.findall(r'<div class="note-part">\s*<div[^>]*>\s*<label for="(\w+)"', html)
    folded = re.findall(
        r'<details class="note-part more">\s*<summary>[^<]*</summary>'
        r'\s*<div[^>]*>\s*<label for="(\w+)"',
        html,
    )
    assert usual == ["question", "strengths", "agreements"]
    assert folded == ["exceptions", "future", "compliments", "free_text"]
    # A folded part with text opens.
    resp = client.submit(f"{notes}/new", note_data(future="Over een jaar."), page=f"{notes}/new")
    edit = resp.headers["Location"] + "/edit"
    html = client.get(edit).get_data(as_text=True)
    usual = re.findall(r'<div class="note-part">\s*<div[^>]*>\s*<label for="(\w+)"', html)
    assert usual == ["question", "strengths", "future", "agreements"]


def test_a_bad_next_step_row_is_said_with_its_field(app, client, notes):
    """A message inside a row (a next step without who does it) reaches the status line."""
    token, form_id, _html = open_form(client, f"{notes}/new")
    resp = autosave(
        client,
        f"{notes}/autosave",
        token,
        form_id,
        **{"steps-0-text": "Samen naar de bieb", "steps-0-goal_id": "", "steps-0-owner": ""},
    )
    assert resp.status_code == 422
    assert resp.get_json()["message"].startswith("Nog niet automatisch opgeslagen:")
    assert drafts(app) == []


def test_the_form_reads_who_can_take_part_once_and_saves_against_it(app, client, notes, plan_case):
    """Who can take part (the family's network, the team's people) is read once per request:
    the form offers the network members not archived, and saving, by hand or by autosave,
    checks against the same lists instead of reading them again (issue 21). An archived
    member is neither offered nor accepted; one still in the network is saved with the note."""
    from datetime import date

    from sqlalchemy import event

    from wijkteam.cases.models import Case
    from wijkteam.core.db import get_engine
    from wijkteam.network.models import Closeness, NetworkKind, NetworkMember, Quality

    with app.app_context():
        family_id = db.get(Case, plan_case).family_id
        ids = []
        for name, archived in (("Oma Ria", None), ("Buurman Piet", date(2026, 2, 1))):
            member = NetworkMember(
                family_id=family_id,
                name=name,
                kind=NetworkKind.FAMILY,
                closeness=Closeness.CLOSE,
                quality=Quality.SUPPORTIVE,
                archived_on=archived,
                archive_reason="Verhuisd." if archived else "",
            )
            db.add(member)
            db.flush()
            ids.append(member.id)
        db.commit()
    ria, piet = ids
    token, form_id, html = open_form(client, f"{notes}/new")
    assert "Oma Ria" in html and "Buurman Piet" not in html

    read: list[str] = []

    def _read(_conn, _cursor, statement, *_args, **_kwargs):
        flat = " ".join(statement.split())
        if "FROM network_members" in flat or "FROM users WHERE users.team_id" in flat:
            read.append(flat.split(" FROM ")[1].split(" ")[0])

    with app.app_context():
        engine = get_engine()
    event.listen(engine, "before_cursor_execute", _read)
    try:
        refused = autosave(
            client, f"{notes}/autosave", token, form_id, network_member_ids=str(piet)
        )
        assert refused.status_code == 422 and drafts(app) == []
        read.clear()
        saved = autosave(client, f"{notes}/autosave", token, form_id, network_member_ids=str(ria))
        assert saved.status_code == 200
        assert sorted(read) == ["network_members", "users"]
        read.clear()
        url = f"{notes}/{saved.get_json()['edit_url'].rsplit('/', 2)[1]}/edit"
        data = note_data(save_draft=None, finalise="y", network_member_ids=str(ria))
        data |= {"version": str(saved.get_json()["version"]), "form_id": form_id}
        resp = client.post(url, data=data | {"csrf_token": token})
        assert resp.status_code == 302, resp.status_code
        assert sorted(read) == ["network_members", "users"]
    finally:
        event.remove(engine, "before_cursor_execute", _read)
    with app.app_context():
        [note] = db.scalars(select(Note)).all()
        assert note.status == NoteStatus.FINAL
        assert [m.name for m in note.network_members] == ["Oma Ria"]
