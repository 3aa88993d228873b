"""Which object each URL parameter names: one table for the fuzzing (tests/fuzz) and the security
walks (tests/security), which visit every URL rule of the app.

A route whose parameters are all known here is covered as soon as it exists. A new parameter
name needs one entry in PARAMS (and the object in tests/factories/team_file.py); a route where a
known name means another object needs one entry in ROUTES; so does a POST-only route, for the
page that shows its form. A parameter that is not known fails every walk (UnknownParameter)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from werkzeug.routing import Rule

# URL parameter -> key in a team's file (tests/factories/team_file.py).
PARAMS: dict[str, str] = {
    "case_id": "case_id",
    "member_id": "family_member_id",
    "network_member_id": "network_member_id",
    "goal_id": "goal_id",
    "action_id": "action_id",
    "score_id": "score_id",  # a score of a plan's goal
    "number": "number",  # an agreed plan version
    "strength_id": "strength_id",  # the first of two strengths on the plan's paper
    "note_id": "note_id",
    "referral_id": "referral_id",
    "concern_id": "concern_id",
    "signal_id": "signal_id",
    "condition_id": "condition_id",
    "meeting_id": "meeting_id",  # a meeting of the family's network
    "resource_id": "resource_id",
    "review_id": "review_id",
    "team_id": "team_id",
    "user_id": "user_id",  # a colleague (pro2.noord in team Noord)
    "discussion_id": "discussion_id",  # a case discussion meeting (held, with two items)
    "item_id": "item_id",  # a case brought into it, on the agenda
    "task_id": "task_id",
    "job_id": "job_id",  # a finished print job of the case lead
    "token": "token",  # a one-time password link of pro2.noord
    "key_figure_id": "key_figure_id",  # a key figure of the team, in the case's network
}
# URL parameters that name no object.
FIXED: dict[str, str | int] = {
    "step": 4,  # a step of the Meldcode (1 to 4 are recorded)
    "filename": "app.css",  # a static file
}


@dataclass(frozen=True)
class Route:
    """What is particular about a blueprint's or an endpoint's URLs.

    `objects`: parameter -> team file key, where the name means another object here.
    `form_on`: for a POST-only endpoint, the endpoint of the page with its form (with
    `form_objects` for that page's parameters, where they differ)."""

    objects: Mapping[str, str] = field(default_factory=dict)
    form_on: str | None = None
    form_objects: Mapping[str, str] = field(default_factory=dict)


# Blueprint or endpoint -> Route (an endpoint's entry comes after its blueprint's).
ROUTES: dict[str, Route] = {
    "safety": Route({"score_id": "safety_score_id"}),
    "cases.new_case": Route({"case_id": "case_closed"}),  # a new case for a closed one
    "closing.satisfaction": Route({"case_id": "case_closed"}),  # asked at the end
    "notes.edit": Route({"note_id": "note_draft"}),  # only drafts are edited
    "notes.autosave": Route({"note_id": "note_draft"}, form_on="notes.edit"),
    "notes.autosave_new": Route(form_on="notes.new"),
    "network.restore": Route(
        {"network_member_id": "network_member_archived"}, form_on="network.member"
    ),
    "plans.start": Route({"case_id": "case_noplan"}, form_on="plans.show"),
    "plans.quick_score": Route(form_on="plans.show"),  # the family's score on the plan page
    "plans.add_strength": Route(form_on="plans.strengths"),
    "plans.remove_strength": Route(form_on="plans.strengths"),
    "plans.move_strength": Route(form_on="plans.strengths"),
    "discussions.withdraw_item": Route({"item_id": "item_waiting"}, form_on="discussions.item"),
    "discussions.task_done": Route(
        form_on="discussions.item", form_objects={"item_id": "item_discussed"}
    ),
    "discussions.add_to_agenda": Route(form_on="discussions.show"),
    "discussions.move": Route(form_on="discussions.show"),
    "resources.archive": Route(form_on="resources.show"),
    "plans.action_checked": Route({"action_id": "action_checked"}),
    "safety.confidence": Route({"signal_id": "signal_confided"}),
    "auth.logout": Route(form_on="cases.index"),
    "auth.set_language": Route(form_on="cases.index"),
    "admin.password_link": Route(form_on="admin.edit_user"),
    "admin.unlock": Route(form_on="admin.edit_user"),
}


class UnknownParameter(AssertionError):
    """A URL rule names a parameter no walk can fill."""


def _routes(endpoint: str) -> list[Route]:
    """The blueprint's entry, then the endpoint's."""
    names = (endpoint.split(".")[0], endpoint) if "." in endpoint else (endpoint,)
    return [ROUTES[name] for name in names if name in ROUTES]


def url_keys(endpoint: str, arguments: set[str]) -> dict[str, str | int]:
    """URL parameter -> team file key (a str) or fixed value, for one endpoint's parameters."""
    unknown = sorted(arguments - PARAMS.keys() - FIXED.keys())
    if unknown:
        raise UnknownParameter(
            f"{endpoint}: URL parameter(s) {unknown} are not in tests/factories/urls.py: add "
            "what they name to PARAMS (and the object to tests/factories/team_file.py), or to "
            "ROUTES where the name means another object for this route"
        )
    keys: dict[str, str | int] = {
        name: PARAMS[name] if name in PARAMS else FIXED[name] for name in arguments
    }
    for route in _routes(endpoint):
        keys.update({k: v for k, v in route.objects.items() if k in arguments})
    return keys


@dataclass
class Resolved:
    """A URL with every parameter filled, and the page that shows its form."""

    endpoint: str
    url: str
    page: str
    values: dict[str, Any]


def find_rule(app: Flask, endpoint: str) -> Rule:
    return app.url_map._rules_by_endpoint[endpoint][0]  # one rule per endpoint in this app


def resolve(
    app: Flask,
    rule: Rule | str,
    team: Mapping[str, Any],
    extra: Mapping[str, Any] | None = None,
) -> Resolved:
    """`rule` (or the rule of an endpoint) filled with the objects of `team` (a team file):
    the URL, the page with its form (a GET rule is its own page) and the values used. `extra`
    gives values for some parameters (a team file key, or a number for `step`)."""
    if isinstance(rule, str):
        rule = find_rule(app, rule)
    endpoint = rule.endpoint
    keys = url_keys(endpoint, set(rule.arguments))
    keys.update({k: v for k, v in (extra or {}).items() if k in rule.arguments})
    values = {name: _value(team, key, name) for name, key in keys.items()}
    _domain, url = rule.build(values, append_unknown=False)

    route = next((r for r in reversed(_routes(endpoint)) if r.form_on), None)
    if route is None or route.form_on is None:
        if "GET" not in (rule.methods or ()):
            raise UnknownParameter(
                f"{endpoint} takes no GET: add the page with its form to ROUTES in "
                "tests/factories/urls.py (form_on)"
            )
        return Resolved(endpoint, url, url, values)
    page_rule = find_rule(app, route.form_on)
    page_values = {**values, **{k: team[v] for k, v in route.form_objects.items()}}
    page_keys = url_keys(route.form_on, set(page_rule.arguments))
    page_values = {
        name: page_values[name] if name in page_values else _value(team, key, name)
        for name, key in page_keys.items()
    }
    _domain, page = page_rule.build(page_values, append_unknown=False)
    return Resolved(endpoint, url, page, values)


def _value(team: Mapping[str, Any], key: str | int, name: str) -> Any:
    """A fixed value as it is; a team file key looked up."""
    if name in FIXED or not isinstance(key, str):
        return key
    if key not in team:
        raise UnknownParameter(f"the team file has no {key!r} (for the URL parameter {name!r})")
    return team[key]
