"""Every form of the app, found through its URL rules, filled with hostile and random input:
never a server error, never markup that runs, and nothing of another team changes."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from tests.fuzz.conftest import (
    ADMIN_PAGES,
    LEAD,
    Target,
    check_pages,
    check_response,
    fuzz_settings,
    open_form,
    post_targets,
    resolve,
    rule_map_app,
)
from tests.fuzz.html_forms import Control, Form
from tests.fuzz.strategies import (
    CURRENT,
    NUMBER_TRAPS,
    VERY_LONG_TEXT,
    draw_value,
    file_strategy,
    file_upload,
)

TARGETS = post_targets(rule_map_app())
# Endpoints whose every request is expensive get fewer examples.
EXAMPLES = {"resources.import_csv": 8}


def draw_submission(data: st.DataObject, form: Form, foreign_ids: list[int]) -> MultiDict:
    """What to post, drawn for the controls of `form` as it was first opened (so that the same
    draws make the same submission); CURRENT stands for a value of the form when it is sent."""
    payload: MultiDict = MultiDict()
    controls = form.fuzzable()
    names = [c.name for c in controls if c.kind != "submit"]
    # A few fields get hostile values (sometimes all of them), the others plain ones.
    hostile: set[str] = set()
    if names:
        if data.draw(st.integers(0, 9), "all hostile?") == 0:
            hostile = set(names)
        else:
            hostile = set(data.draw(st.lists(st.sampled_from(names), max_size=3), "hostile"))
    texts = [c.name for c in controls if c.kind in ("text", "textarea")]
    very_long = None
    if texts and data.draw(st.integers(0, 3), "a very long text?") == 3:
        very_long = data.draw(st.sampled_from(texts), "very long text in")
    # A browser sends the button that was clicked (or none, when Enter was pressed).
    buttons = [c for c in controls if c.kind == "submit"]
    if buttons:
        clicked = data.draw(st.sampled_from([None, *buttons]), "button")
        if clicked is not None:
            payload.add(clicked.name, clicked.options[0] if clicked.options else "")
    for control in controls:
        if control.kind == "submit":
            continue
        if control.name == very_long:
            payload.add(control.name, data.draw(VERY_LONG_TEXT, control.name))
        elif control.kind == "file":
            if data.draw(st.booleans(), f"{control.name} sent?"):
                payload.add(control.name, file_upload(data.draw(file_strategy(), control.name)))
        else:
            for value in draw_value(data, control, foreign_ids, control.name in hostile) or []:
                payload.add(control.name, value)
    return payload


def fill_in(payload: MultiDict, first: Form, now: Form, with_token: bool) -> MultiDict:
    """The CSRF token (unless left out) and the CURRENT values from the form as it is now."""
    sent: MultiDict = MultiDict()
    token = now.csrf_token or first.csrf_token
    if token and with_token:
        sent.add("csrf_token", token)
    for name, value in payload.items(multi=True):
        if value == CURRENT:
            control = now.controls.get(name) or first.controls[name]
            for current in control.values:
                sent.add(name, current)
        else:
            sent.add(name, value)
    return sent


def test_every_post_endpoint_is_fuzzed():
    """A guard: the enumeration finds the app's forms (and would find new ones)."""
    endpoints = {t.endpoint for t in TARGETS}
    assert len(endpoints) >= 60
    assert {"cases.new", "notes.new", "resources.import_csv", "auth.login"} <= endpoints


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_form_survives_hostile_input(app, client, other_client, files, error_log, target: Target):
    team = files.noord
    where = resolve(app, target.endpoint, team, dict(target.extra))
    if where.user:
        client.login(where.user)
    first = open_form(client, where)
    assert first is not None, f"no form posting to {where.url} on {where.page}"
    statuses: Counter[int] = Counter()

    @fuzz_settings(EXAMPLES.get(target.endpoint))
    @given(data=st.data())
    def example(data: st.DataObject) -> None:
        payload = draw_submission(data, first, files.foreign_ids)
        # Now and then no CSRF token: a 400, or for long forms the text kept for after login.
        with_token = data.draw(st.integers(0, 7), "csrf token left out?") != 7
        # The page again (for the form's new version) only after a save changed something.
        saved = statuses[302] + statuses[303]
        now = (open_form(client, where) or first) if saved else first
        resp = client.post(where.url, data=fill_in(payload, first, now, with_token))
        statuses[resp.status_code] += 1
        check_response(client, resp, f"POST {where.url}", error_log)

    example()
    # The fuzzing got past the CSRF check into the view, not only 400s.
    assert set(statuses) - {400}, statuses
    blueprint = target.endpoint.split(".")[0]
    if blueprint == "admin":
        client.login(where.user)
        for page in ADMIN_PAGES:
            resp = client.get(page)
            check_response(client, resp, page, error_log)
            assert resp.status_code == 200, page
    # From another address: fuzzing the login form fails many logins from 127.0.0.1, which the
    # per-address limit rightly holds back.
    other_client.environ_base["REMOTE_ADDR"] = "127.0.0.2"
    other_client.login(LEAD)
    check_pages(other_client, team, blueprint, error_log)
    files.assert_other_team_untouched(app)


# --- Every whole-number and choice field, with each odd number (finding 15) -------------------

TYPED = "Mijn getypte tekst blijft staan"
ROW = re.compile(r"-\d+-")


def number_and_choice_controls(form: Form) -> list[Control]:
    """The controls that carry a number or one of our options: number inputs, selects, radios,
    groups of checkboxes, and hidden ids and versions."""
    found = []
    for control in form.fuzzable():
        kind, name = control.kind, control.name
        row = ROW.search(name)
        if row is not None and row.group() != "-0-":
            continue  # the second row's fields are the first row's again
        if kind in ("number", "select", "radio") or name.endswith(("_id", "_ids")):
            found.append(control)
        elif kind == "checkbox" and control.options != ["y"]:  # a lone tick box is any value
            found.append(control)
        elif kind == "hidden" and control.values and all(v.isdigit() for v in control.values):
            found.append(control)
    return found


def as_a_person_sends_it(form: Form) -> tuple[MultiDict, str | None]:
    """The form as it is, with empty text boxes filled in (so that the other fields pass and
    an odd number reaches the code behind the form) and TYPED in the first long text."""
    payload: MultiDict = MultiDict()
    texts = [c for c in form.fuzzable() if c.kind == "textarea"] or [
        c
        for c in form.fuzzable()
        if c.kind == "text" and "mail" not in c.name and not c.name.endswith("_on")
    ]
    typed_in = texts[0].name if texts else None
    for control in form.fuzzable():
        if control.kind == "submit" or control.kind == "file":
            continue
        values = list(control.values)
        # Extra rows (steps, agreements) stay empty, as people leave them.
        in_a_row = ROW.search(control.name) is not None
        if control.name == typed_in:
            values = [TYPED]
        elif in_a_row and control.kind != "number":
            pass
        elif control.kind in ("text", "textarea") and not any(v.strip() for v in values):
            values = ["Rustig aan"] if "mail" not in control.name else [""]
        elif control.kind == "number" and not any(v.strip() for v in values):
            values = ["5"]  # a score or an age: so that a score row is not left out as blank
        elif control.kind == "date" and not any(values):
            values = [date.today().isoformat()]
        elif control.kind == "select" and not values and control.options:
            values = [control.options[-1]]
        for value in values:
            payload.add(control.name, value)
    buttons = [c for c in form.fuzzable() if c.kind == "submit"]
    if buttons:  # the last button is the form's main one (save, finish)
        payload.add(buttons[-1].name, buttons[-1].options[0] if buttons[-1].options else "")
    return payload, typed_in


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_every_number_and_choice_field_reads_odd_numbers(
    app, client, files, error_log, target: Target
):
    """Each number or choice field gets each of NUMBER_TRAPS in turn, the rest of the form as
    a person would send it: never a server error; a refusal shows the form again (422, or 409
    for a stale version) with the typed text still in it."""
    where = resolve(app, target.endpoint, files.noord, dict(target.extra))
    if where.user:
        client.login(where.user)
    form = open_form(client, where)
    assert form is not None, f"no form posting to {where.url} on {where.page}"
    controls = number_and_choice_controls(form)
    for control in controls:
        for trap in NUMBER_TRAPS:
            payload, typed_in = as_a_person_sends_it(form)
            payload.setlist(control.name, [trap])
            if form.csrf_token:
                payload.add("csrf_token", form.csrf_token)
            upload = [c for c in form.fuzzable() if c.kind == "file"]
            extra = {}
            if upload:
                payload.add(upload[0].name, file_upload(b"name;kind;contact_name\r\n"))
                extra["content_type"] = "multipart/form-data"
            resp = client.post(where.url, data=payload, **extra)
            where_ = f"POST {where.url} {control.name}={trap[:12]!r}"
            check_response(client, resp, where_, error_log)
            assert resp.status_code != 400, where_
            if resp.status_code in (409, 422) and typed_in:
                assert TYPED in resp.get_data(as_text=True), f"{where_}: the typed text is lost"
            if resp.status_code in (302, 303):  # saved: the form has a new version now
                form = open_form(client, where) or form
