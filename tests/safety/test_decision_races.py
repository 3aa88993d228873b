"""A safety decision (Meldcode step 5) and its sign-off when two people act at the same moment.

The rules: a concern closes only once its decision is signed off, and a changed decision goes
for sign-off again. Each rule is checked by reading one row and acted on by writing another,
so two requests in flight at once could each pass their check and both be saved: a concern
closed on a decision nobody signed off, or a team lead's approval of a wording that was
changed under their eyes. Here the other request runs, for real and committed, in the gap
between one request's check and its save (another thread with its own session and
connection, as a second gunicorn worker would); the one saved second must get a conflict."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from tests.factories import app_api as api
from tests.factories import care
from tests.factories.cases import members_of, start_plan
from wijkteam.cases.models import Case
from wijkteam.core.db import db
from wijkteam.core.errors import EditConflict, FieldError
from wijkteam.reviews import services as review_services
from wijkteam.reviews.models import Review, ReviewKind, ReviewStatus
from wijkteam.safety.models import ConcernStatus, MeldcodeStep, SafetyConcern
from wijkteam.safety.services import concerns as concern_services
from wijkteam.safety.services import meldcode as meldcode_services

# The decision in other words: the family was not told yet.
CHANGED_DECISION: dict[str, Any] = {
    **care.STEPS[5],
    "done_on": care.STEPS_ON,
    "family_told": False,
    "why_not_told": "Eerst de veiligheid van Noah regelen.",
}


def _decided(app, world, plan_case: int, *, signed_off: bool, upto: int = 5) -> int:
    """A concern of the case with the Meldcode's steps 1 to `upto` (all five: a decision,
    signed off or waiting). Returns the concern's id."""
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        case = db.get(Case, plan_case)
        plan = start_plan(pro, case, level=4, regie="shared")
        child = [m.id for m in members_of(case) if m.role.value == "child"]
        concern = care.concern(pro, case, plan, child)
        care.meldcode(pro, case, concern, upto)
        if signed_off:
            care.sign_off_decision(db.get(api.User, world.lead_noord), case, concern)
        db.commit()
        return concern.id


def _in_another_request(app, work: Callable[[], None]) -> None:
    """`work` in a request of its own (another thread: its own session and connection),
    committed before this returns."""
    errors: list[str] = []

    def run() -> None:
        with app.test_request_context():
            try:
                work()
                db.commit()
            except Exception as error:  # noqa: BLE001 - reported below, the test fails
                db.rollback()
                errors.append(repr(error))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "the other request did not finish"
    assert not errors, errors


def _change_decision(world, plan_case: int, concern_id: int) -> Callable[[], None]:
    def work() -> None:
        pro = db.get(api.User, world.pro_noord)
        case = db.get(Case, plan_case)
        concern = db.get(SafetyConcern, concern_id)
        decision = next(s for s in concern.steps if s.step == 5)
        api.safety.record_step(
            pro, case, concern, 5, expected_version=decision.version, data=CHANGED_DECISION
        )

    return work


def _decisions(app, concern_id: int) -> list[ReviewStatus]:
    with app.app_context():
        return list(
            db.scalars(
                select(Review.status)
                .where(Review.kind == ReviewKind.SAFETY_DECISION, Review.ref_id == concern_id)
                .order_by(Review.id)
            )
        )


def _state(app, concern_id: int) -> tuple[ConcernStatus, bool]:
    """The concern's status, and whether its decision says the family was told."""
    with app.app_context():
        concern = db.get(SafetyConcern, concern_id)
        decision = db.scalar(
            select(MeldcodeStep).where(
                MeldcodeStep.concern_id == concern_id, MeldcodeStep.step == 5
            )
        )
        return concern.status, decision.family_told


def _close(world, plan_case: int, concern_id: int) -> None:
    care.close_concern(
        db.get(api.User, world.pro_noord),
        db.get(Case, plan_case),
        db.get(SafetyConcern, concern_id),
    )


def test_changing_the_decision_moves_the_concern_and_its_waiting_request_on(app, world, plan_case):
    """What makes the races below exclusive: a change of the decision writes the concern
    row and the waiting request under their versions."""
    concern_id = _decided(app, world, plan_case, signed_off=False)
    with app.test_request_context():
        concern = db.get(SafetyConcern, concern_id)
        review = review_services.waiting_review(
            db.get(Case, plan_case), ReviewKind.SAFETY_DECISION, concern_id
        )
        before = (concern.version, review.version)
    _in_another_request(app, _change_decision(world, plan_case, concern_id))
    with app.test_request_context():
        concern = db.get(SafetyConcern, concern_id)
        review = db.get(Review, review.id)
        assert (concern.version, review.version) == (before[0] + 1, before[1] + 1)
    assert _decisions(app, concern_id) == [ReviewStatus.WAITING]  # no second request


def test_a_decision_changed_between_the_check_and_the_save_stops_the_closing(
    app, world, plan_case, monkeypatch
):
    """The closing checked (the decision is signed off), then a colleague changed the
    decision and saved (it waits for sign-off again), then the closing writes: refused as a
    conflict. Before, the concern closed on a decision nobody had signed off."""
    concern_id = _decided(app, world, plan_case, signed_off=True)
    real_check = concern_services._check_decision_signed_off  # noqa: SLF001 - the seam

    def check_then_the_decision_changes(case: Case, concern: SafetyConcern) -> None:
        real_check(case, concern)  # signed off: may close
        _in_another_request(app, _change_decision(world, plan_case, concern_id))

    monkeypatch.setattr(
        concern_services, "_check_decision_signed_off", check_then_the_decision_changes
    )
    with app.test_request_context():
        with pytest.raises(EditConflict):
            _close(world, plan_case, concern_id)
        db.rollback()
    assert _state(app, concern_id) == (ConcernStatus.BEING_HANDLED, False)
    assert _decisions(app, concern_id) == [ReviewStatus.APPROVED, ReviewStatus.WAITING]
    monkeypatch.undo()
    with app.test_request_context():  # and tried again, the usual refusal
        with pytest.raises(FieldError) as refused:
            _close(world, plan_case, concern_id)
        assert refused.value.field == "sign_off"


def test_a_decision_changed_while_the_team_lead_approves_is_not_approved(
    app, world, plan_case, monkeypatch
):
    """The team lead opened the request and approves; in between, the professional changed
    the decision and saved. The approval was of the old wording: refused as a conflict, and
    the request waits, now for the new wording."""
    concern_id = _decided(app, world, plan_case, signed_off=False)
    real_may_decide = review_services.can_decide_review

    def may_decide_then_the_decision_changes(*args: Any) -> bool:
        allowed = real_may_decide(*args)
        _in_another_request(app, _change_decision(world, plan_case, concern_id))
        return allowed

    monkeypatch.setattr(review_services, "can_decide_review", may_decide_then_the_decision_changes)
    with app.test_request_context():
        lead = db.get(api.User, world.lead_noord)
        review = review_services.waiting_review(
            db.get(Case, plan_case), ReviewKind.SAFETY_DECISION, concern_id
        )
        with pytest.raises(EditConflict):
            review_services.decide(
                lead, review, expected_version=review.version, approve=True, comment=""
            )
        db.rollback()
    assert _decisions(app, concern_id) == [ReviewStatus.WAITING]
    assert _state(app, concern_id) == (ConcernStatus.BEING_HANDLED, False)


def test_an_approval_saved_while_the_decision_changes_stops_the_change(
    app, world, plan_case, monkeypatch
):
    """The other order: the change found the request still waiting (so it asks no new
    sign-off), then the team lead's approval of the old wording was saved, then the change
    writes: refused as a conflict, so the new wording never counts as approved. Tried
    again, it goes for sign-off anew.

    PostgreSQL only: the change has written its step before it looks for the request, and
    SQLite lets one transaction write at a time (there the approval waits for the change,
    and the approval is the one refused: the test above)."""
    with app.app_context():
        dialect = db.get_bind().dialect.name
    if dialect != "postgresql":
        pytest.skip("SQLite writes one transaction at a time: this order cannot happen there")
    concern_id = _decided(app, world, plan_case, signed_off=False)
    real_waiting = meldcode_services.waiting_review

    def approve(case_id: int) -> Callable[[], None]:
        def work() -> None:
            review = review_services.waiting_review(
                db.get(Case, case_id), ReviewKind.SAFETY_DECISION, concern_id
            )
            lead = db.get(api.User, world.lead_noord)
            review_services.decide(
                lead, review, expected_version=review.version, approve=True, comment=""
            )

        return work

    def waiting_then_approved(*args: Any) -> Review | None:
        found = real_waiting(*args)
        _in_another_request(app, approve(plan_case))
        return found

    monkeypatch.setattr(meldcode_services, "waiting_review", waiting_then_approved)
    with app.test_request_context():
        with pytest.raises(EditConflict):
            _change_decision(world, plan_case, concern_id)()
        db.rollback()
    assert _decisions(app, concern_id) == [ReviewStatus.APPROVED]
    assert _state(app, concern_id) == (ConcernStatus.BEING_HANDLED, True)  # the old wording
    monkeypatch.undo()
    _in_another_request(app, _change_decision(world, plan_case, concern_id))
    assert _decisions(app, concern_id) == [ReviewStatus.APPROVED, ReviewStatus.WAITING]
    assert _state(app, concern_id) == (ConcernStatus.BEING_HANDLED, False)


def test_a_concern_closed_while_its_first_decision_is_recorded_answers_a_conflict(
    app, world, plan_case, client, monkeypatch
):
    """Through the page: the professional records the decision (step 5, new); in between, a
    colleague closes the concern (nothing was decided yet, so it may close). The decision is
    not added to the closed concern: the form comes back as a conflict with what was typed
    (a 409, not an error page), and nothing waits for sign-off."""
    concern_id = _decided(app, world, plan_case, signed_off=False, upto=4)
    real_check = meldcode_services._check_step  # noqa: SLF001 - the seam

    def check_then_the_concern_closes(*args: Any) -> dict[str, Any]:
        checked = real_check(*args)
        _in_another_request(app, lambda: _close(world, plan_case, concern_id))
        return checked

    monkeypatch.setattr(meldcode_services, "_check_step", check_then_the_concern_closes)
    client.login("pro.noord@test.example")
    page = f"/cases/{plan_case}/safety/{concern_id}/steps/5"
    resp = client.submit(
        page,
        {
            "done_on": "2026-03-04",
            "organise_help": "y",
            "family_told": "no",
            "why_not_told": "Eerst met de school overleggen.",
        },
        page=page,
    )
    assert resp.status_code == 409
    html = resp.get_data(as_text=True)
    assert 'class="conflict" role="alert"' in html
    box = html.split('class="conflict" role="alert"', 1)[1].split("</div>", 1)[0]
    assert "iets veranderd aan de zorg over veiligheid" in box, box
    assert "Eerst met de school overleggen." in html
    with app.app_context():
        concern = db.get(SafetyConcern, concern_id)
        assert concern.status == ConcernStatus.CLOSED
        assert [s.step for s in concern.steps] == [1, 2, 3, 4]
    assert _decisions(app, concern_id) == []


def test_a_decision_changed_while_the_concern_closes_answers_a_conflict_without_a_table(
    app, world, plan_case, client, monkeypatch
):
    """Through the page: the professional changes the signed-off decision; in between, a
    colleague closes the concern. The change is refused as a conflict with what was typed,
    and without a table of what "the other person saved" in this form: nobody changed the
    decision itself (the table would show the professional's own old wording as theirs)."""
    concern_id = _decided(app, world, plan_case, signed_off=True)
    real_check = meldcode_services._check_step  # noqa: SLF001 - the seam

    def check_then_the_concern_closes(*args: Any) -> dict[str, Any]:
        checked = real_check(*args)
        _in_another_request(app, lambda: _close(world, plan_case, concern_id))
        return checked

    client.login("pro.noord@test.example")
    page = f"/cases/{plan_case}/safety/{concern_id}/steps/5"
    html = client.get(page).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    monkeypatch.setattr(meldcode_services, "_check_step", check_then_the_concern_closes)
    resp = client.submit(
        page,
        {
            "done_on": "2026-03-03",
            "organise_help": "y",
            "family_told": "no",
            "why_not_told": "Eerst met de school overleggen.",
            "version": version,
        },
        page=page,
    )
    assert resp.status_code == 409
    html = resp.get_data(as_text=True)
    box = html.split('class="conflict" role="alert"', 1)[1].split("</div>", 1)[0]
    assert "<table>" not in box
    assert "iets veranderd aan de zorg over veiligheid" in box, box  # what changed, named
    assert "Eerst met de school overleggen." in html
    assert _state(app, concern_id) == (ConcernStatus.CLOSED, True)  # the signed-off wording
    assert _decisions(app, concern_id) == [ReviewStatus.APPROVED]
