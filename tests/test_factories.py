"""The test world put back for a test is the world the services built: every row, an intact
audit chain, and the ids that a build would hand out next. And the URL table fails on a
parameter it does not know."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from werkzeug.routing import Map, Rule

from tests.factories import app_api as api
from tests.factories.cases import register
from tests.factories.rows import Rows
from tests.factories.urls import UnknownParameter, resolve
from wijkteam.audit.chain import verify


def test_the_rows_put_back_are_the_rows_built(app, town, town_rows):
    built, _town = town_rows
    assert Rows.take(app).all_rows() == built.all_rows()


def test_a_town_put_back_goes_on_as_a_built_one(app, world, town):
    """What a test adds gets the next ids (PostgreSQL's sequences are put back too), and the
    audit chain goes on from the town's last row."""
    with app.test_request_context():
        last_case = api.db.scalar(select(func.max(api.Case.id)))
        case = register(api.db.get(api.User, world.pro_noord), "Nieuw")
        api.db.commit()
        assert case.id == last_case + 1
    with app.app_context():
        verdict = verify(api.get_engine())
    assert verdict.ok, verdict.problems
    assert verdict.rows > 100  # the town's own rows and the new case's


def test_a_url_parameter_that_is_not_in_the_table_fails_the_walks(app, town):
    rule = Rule("/widgets/<int:widget_id>", endpoint="widgets.show", methods=["GET"])
    Map([rule])
    with pytest.raises(UnknownParameter, match="widget_id.*tests/factories/urls.py"):
        resolve(app, rule, town.noord)
