"""The templates' `url_for` keeps the addresses it built (web/templating.py, issue 21): every
address it gives must be Flask's own, for every route, under any address the app is served
under, for values that are equal but not alike, and for what it does not keep."""

from __future__ import annotations

import pytest
from flask import Flask, render_template_string

from wijkteam.web.templating import template_url_for

SERVED_UNDER = ("", "/wijkteam", "/gemeente/wijk team")


def _values_for(app: Flask, endpoint: str) -> list[dict[str, object]]:
    """Values that build the endpoint's rules: a number for each of its arguments (all of ours
    are numbers or paths), and an extra one that becomes the query string."""
    found = []
    for rule in app.url_map.iter_rules(endpoint):
        values: dict[str, object] = {}
        for name in rule.arguments:
            values[name] = "print.css" if name == "filename" else 7
        found.append(values)
        found.append(values | {"page": 2, "q": "de Vries & zn"})
    return found


@pytest.mark.parametrize("root", SERVED_UNDER)
def test_every_route_gets_flasks_own_address(app, root):
    kept = template_url_for(app)
    endpoints = sorted({rule.endpoint for rule in app.url_map.iter_rules()})
    assert len(endpoints) > 100  # the whole app, not a stub of it
    with app.test_request_context("/", base_url=f"http://localhost{root}/"):
        for endpoint in endpoints:
            for values in _values_for(app, endpoint):
                own = app.url_for(endpoint, **values)
                assert kept(endpoint, **values) == own, (endpoint, values)
                assert kept(endpoint, **values) == own  # and from what it kept
                if root:
                    assert own.startswith(root + "/"), own


def test_the_address_the_app_is_served_under_is_part_of_what_is_kept(app):
    kept = template_url_for(app)
    for root in (*SERVED_UNDER, ""):
        with app.test_request_context("/", base_url=f"http://localhost{root}/"):
            assert kept("cases.show", case_id=3) == app.url_for("cases.show", case_id=3)
            assert kept("cases.show", case_id=3).startswith(root + "/c")


def test_equal_values_of_another_type_are_other_addresses(app):
    kept = template_url_for(app)
    with app.test_request_context("/"):
        one, true = kept("cases.index", flag=1), kept("cases.index", flag=True)
        assert (one, true) == ("/cases?flag=1", "/cases?flag=True")
        assert kept("cases.index", flag=1.0) == "/cases?flag=1.0"


def test_what_it_does_not_keep_is_flasks_own(app):
    kept = template_url_for(app)
    with app.test_request_context("/"):
        assert kept("cases.show", case_id=3, _anchor="goal-2") == "/cases/3#goal-2"
        assert kept("cases.show", case_id=3, _external=True) == "http://localhost/cases/3"
        assert kept("cases.index", status=["open", "closed"]) == (
            "/cases?status=open&status=closed"
        )
    with app.app_context():  # outside a request: as Flask's (no SERVER_NAME: no address)
        for build in (kept, app.url_for):
            with pytest.raises(RuntimeError, match="outside an active request"):
                build("cases.show", case_id=3)


def test_a_relative_endpoint_belongs_to_the_requests_blueprint(app):
    kept = template_url_for(app)
    with app.test_request_context("/cases/3"):
        in_cases = kept(".show", case_id=3)
    with app.test_request_context("/cases/3/plan"):
        in_plans = kept(".show", case_id=3)
    assert (in_cases, in_plans) == ("/cases/3", "/cases/3/plan")


def test_no_function_adds_values_to_an_address(app):
    """What the templates' url_for keeps would be wrong if a `url_defaults` function added
    values that depend on the request: if the app ever gets one, this fails first."""
    assert not any(app.url_default_functions.values())
    for blueprint in app.blueprints.values():
        assert not any(blueprint.url_default_functions.values())


def test_templates_use_it(app):
    with app.test_request_context("/"):
        html = render_template_string("{{ url_for('cases.show', case_id=4) }}")
        assert html == "/cases/4"
        assert app.jinja_env.globals["url_for"] is not app.url_for
