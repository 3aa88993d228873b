"""Every form of the app, found through its URL rules, filled with hostile and random input:
never a server error, never markup that runs, and nothing of another team changes."""

from __future__ import annotations

from collections import Counter

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
from tests.fuzz.html_forms import Form
from tests.fuzz.strategies import (
    CURRENT,
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
def test_form_survives_hostile_input(app, client, other_client, town, error_log, target: Target):
    team = town.noord
    where = resolve(town, target.endpoint, dict(target.extra))
    if where.user:
        client.login(where.user)
    first = open_form(client, where)
    assert first is not None, f"no form posting to {where.url} on {where.page}"
    statuses: Counter[int] = Counter()

    @fuzz_settings(EXAMPLES.get(target.endpoint))
    @given(data=st.data())
    def example(data: st.DataObject) -> None:
        payload = draw_submission(data, first, town.foreign_ids)
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
    town.assert_other_team_untouched()
