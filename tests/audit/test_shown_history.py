"""The "Earlier" cards: a record's stored earlier values as the form names and offers them
(wijkteam/web/history.py)."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from flask_babel import force_locale
from wtforms import Form, SelectField
from wtforms.fields.choices import SelectChoice

from wijkteam.safety.forms import ConditionForm
from wijkteam.safety.models import Condition, MeldcodeStep
from wijkteam.web.history import shown_history


def _revision(**old):
    return SimpleNamespace(changed_at=datetime(2026, 4, 2, 9, 30), changed_by=None, old=old)


def test_a_form_class_names_the_fields_and_offers_the_values(app):
    old = {
        "state": "not_reviewed",  # a closed list: its label
        "reviewed_on": "2026-04-01",  # a date: in the page's language
        "note": "",  # nothing: a dash
        "shared_with_family": True,  # yes or no
        "review_on": None,
    }
    with app.test_request_context():
        with force_locale("en"):
            (change,) = shown_history([_revision(**old)], Condition, ConditionForm)
            english = dict(change.fields)
        with force_locale("nl"):
            (change,) = shown_history([_revision(**old)], Condition, ConditionForm)
            dutch = dict(change.fields)
    assert english == {
        "Is it kept?": "Not checked yet",
        "Last checked on": "Apr 1, 2026",
        "Note": "—",
        "Agreed openly with the parents": "yes",
        "Review on": "—",
    }
    assert dutch["Wordt de voorwaarde nagekomen?"] == "Nog niet gecontroleerd"
    assert dutch["Laatst gecontroleerd op"] == "1 apr 2026"
    assert change.changed_at == datetime(2026, 4, 2, 9, 30) and change.changed_by is None


def test_a_form_instance_offers_its_own_choices_and_a_picked_person_by_name(app):
    """The interpreter is stored as one of two ids; the form offers both in one picker."""

    class StepLike(Form):
        interpreter = SelectField(
            "Who interpreted?",
            choices=[
                SelectChoice("", "Nobody"),
                SelectChoice("member-3", "Akosua (family)", optgroup="Family"),
                SelectChoice("network-5", "Yaw", optgroup="Network"),
            ],
        )

    with app.test_request_context():
        form = StepLike()
        (change,) = shown_history([_revision(interpreter_member_id=3)], MeldcodeStep, form)
        (other,) = shown_history([_revision(interpreter_network_member_id=5)], MeldcodeStep, form)
    assert change.fields == [("Who interpreted?", "Akosua (family)")]
    assert other.fields == [("Who interpreted?", "Yaw")]


def test_a_field_no_form_names_is_still_written_as_words(app):
    with app.test_request_context(), force_locale("en"):
        (change,) = shown_history([_revision(concern_id=7, text="Oud.")], Condition, ConditionForm)
    assert change.fields == [
        ("Concern", "7"),
        ("The condition, as agreed with the parents", "Oud."),
    ]
