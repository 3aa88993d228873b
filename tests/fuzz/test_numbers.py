"""Every whole-number and choice field of every form, with each odd number (issue 14, finding 15):
never a server error; a refusal shows the form again with the typed text still in it.

Apart from tests/fuzz/test_forms.py so that the two heavy walks run on different workers."""

from __future__ import annotations

import re

import pytest
from werkzeug.datastructures import MultiDict

from tests.fuzz.conftest import (
    Target,
    check_response,
    open_form,
    post_targets,
    resolve,
    rule_map_app,
)
from tests.fuzz.html_forms import Control, Form
from tests.fuzz.strategies import NUMBER_TRAPS, file_upload
from wijkteam.core import clock

TARGETS = post_targets(rule_map_app())
# The traps that fail in different ways: isdigit() but not int(), too many digits, no number.
CORE_TRAPS = ["\u00b2", "9" * 5_000, "abc"]


def traps_for(index: int) -> list[str]:
    """The first number field of a form gets every trap; the others the three core traps and one
    more in turn, so each trap still reaches many fields (they all go through one rule, and the
    random fuzzing of test_forms draws from NUMBER_TRAPS too) at a third of the requests."""
    if index == 0:
        return list(NUMBER_TRAPS)
    extra = NUMBER_TRAPS[index % len(NUMBER_TRAPS)]
    return [*CORE_TRAPS, *([extra] if extra not in CORE_TRAPS else [])]


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
            values = [clock.today().isoformat()]
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
    app, client, town, error_log, target: Target
):
    """Each number or choice field gets odd numbers (traps_for) in turn, the rest of the form as
    a person would send it: never a server error; a refusal shows the form again (422, or 409
    for a stale version) with the typed text still in it."""
    where = resolve(town, target.endpoint, dict(target.extra))
    if where.user:
        client.login(where.user)
    form = open_form(client, where)
    assert form is not None, f"no form posting to {where.url} on {where.page}"
    controls = number_and_choice_controls(form)
    for index, control in enumerate(controls):
        for trap in traps_for(index):
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
            if resp.status_code in (409, 422) and resp.is_json:
                # A page's script (autosave): the text stays on its page; the answer says why.
                assert resp.get_json()["message"], f"{where_}: refused without a word"
            elif resp.status_code in (409, 422) and typed_in:
                assert TYPED in resp.get_data(as_text=True), f"{where_}: the typed text is lost"
            if resp.status_code in (302, 303):  # saved: the form has a new version now
                form = open_form(client, where) or form
