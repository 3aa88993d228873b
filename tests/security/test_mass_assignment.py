"""No right is gained by editing a field of one's own (issue 14, item 1, as a class of test).

A plain professional of team Noord (neither case lead nor duo, no second reviewer) posts to
every POST rule of the app, with the page's usual fields plus every field that carries a right:
case lead, duo, team, role, second reviewer, who asked or decided a sign-off, who wrote or
owns something. Whatever the answer, no existing row may afterwards name him in such a column,
and his own account keeps its role, team and flags. New routes are in the walk as soon as they
exist (the URL table, tests/factories/urls.py, fails loudly on a URL parameter it cannot fill)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select

import wijkteam.models  # noqa: F401 - every table in Base.metadata
from tests.fuzz.html_forms import find_form
from tests.security.test_idor import METHODS, PAYLOAD
from wijkteam.auth.models import User
from wijkteam.core.db import Base, db

# Columns that decide who may see or do what (permission checks read them), or that only
# someone with a right may fill (who decided a sign-off, who held something back). Columns that
# only say who did something anyone in the team may do (recorded_by_id: who wrote the outcome
# of a case discussion) are not rights.
RIGHTS = {
    "lead_id",
    "duo_id",
    "team_id",
    "role",
    "second_reviewer",
    "active",
    "requested_by_id",
    "decided_by_id",
    "author_id",
    "submitted_by_id",
    "file_withheld_by_id",
    "user_id",
}
# Rules a logged-in user posts to that end the session or are not forms of the app.
SKIP = {"auth.logout", "auth.login", "static"}


def rights_snapshot(app) -> dict[tuple[str, Any], dict[str, Any]]:
    """{(table, primary key): {rights column: value}} for every existing row."""
    rows: dict[tuple[str, Any], dict[str, Any]] = {}
    with app.app_context():
        for table in Base.metadata.sorted_tables:
            cols = [c for c in table.columns if c.name in RIGHTS]
            if not cols:
                continue
            pk = list(table.primary_key.columns)
            for row in db.execute(select(*pk, *cols)):
                key = tuple(row[: len(pk)])
                rows[(table.name, key)] = dict(
                    zip([c.name for c in cols], row[len(pk) :], strict=True)
                )
    return rows


def own_form_values(client, url: str, rule) -> dict[str, Any]:
    """What the page's own form sends as it stands (current version, current choices), so the
    attack is a valid save plus the injected fields: a stale version or a wrong choice would only
    get an error page and prove nothing."""
    if "GET" not in rule.methods:
        return {}
    resp = client.get(url)
    if resp.status_code != 200:
        return {}
    form = find_form(resp.get_data(as_text=True), url, url)
    if form is None:
        return {}
    values: dict[str, Any] = {}
    for control in form.fuzzable():
        if control.kind == "submit":
            continue
        if control.values:
            values[control.name] = control.values if control.multiple else control.values[0]
        elif control.kind in ("select", "radio") and control.options:
            values[control.name] = next((o for o in control.options if o), control.options[0])
    submit = next((c for c in form.fuzzable() if c.kind == "submit"), None)
    if submit is not None:
        values[submit.name] = submit.values[0] if submit.values else "y"
    return values


def walk(app, client, town, me: int, injected: dict[str, Any], token: str) -> tuple[int, list]:
    """Post to every rule once with `injected` on top of the form's own values; report every
    existing row that now names `me` in a rights column, and any change to my own account."""
    before = rights_snapshot(app)
    rules = [
        r
        for r in app.url_map.iter_rules()
        if "POST" in r.methods and r.endpoint not in SKIP and not r.endpoint.startswith("admin.")
    ]
    problems = []
    tried = 0
    for rule in sorted(rules, key=lambda r: r.rule):
        url = town.url(rule)
        data = {**PAYLOAD, **own_form_values(client, url, rule), **injected}
        data["csrf_token"] = token
        for method in (m for m in METHODS if m in rule.methods and m != "GET"):
            resp = client.open(url, method=method, data=data)
            tried += 1
            assert resp.status_code < 500, (url, resp.status_code)
            after = rights_snapshot(app)
            for key, old in before.items():
                new = after.get(key)
                if new is None:
                    continue  # removed rows are the IDOR matrix's business
                for col, value in new.items():
                    if value != old[col] and (value == me or key == ("users", (me,))):
                        problems.append(f"{method} {url} ({rule.endpoint}): {key} {col} -> {value}")
            before = after
    return tried, problems


def test_no_post_anywhere_gives_a_colleague_a_right(app, client, world, town):
    me = world.pro2_noord
    client.login(world.email(me))
    token = client.csrf_token("/login")
    everything = {
        **{name: str(me) for name in RIGHTS if name.endswith("_id") and name != "duo_id"},
        "role": "teamlead",
        "second_reviewer": "y",
        "active": "y",
        "team_id": str(world.noord),
        # Not a right, but only an admin sets a professional's phone on the family's paper.
        "phone": "06-00000399",
        "reachable": "altijd",
    }
    # Case lead and duo cannot both be me (the form refuses that before any rule is tested),
    # so the duo gets a walk of its own.
    tried, problems = walk(app, client, town, me, everything, token)
    tried_duo, problems_duo = walk(app, client, town, me, {"duo_id": str(me)}, token)
    assert tried >= 60 and tried_duo == tried, "the walk tried too little"
    assert not problems + problems_duo, "\n".join(problems + problems_duo)
    with app.app_context():
        user = db.get(User, me)
        assert (user.role.value, user.team_id, user.second_reviewer, user.active) == (
            "professional",
            world.noord,
            False,
            True,
        )
        assert (user.phone, user.reachable) == ("", "")
        assert inspect(user).persistent
