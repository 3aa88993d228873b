"""A team's whole case file: one object of every kind a URL of the app can name, built through
the services. The fuzzing opens and posts every form with it; the security walks ask for every
URL with it (tests/factories/urls.py fills a URL's parameters from it)."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import select

from tests.factories import app_api as api
from tests.factories import care
from tests.factories import cases as c


def build_team_file(app: Flask, user_id: int, lead_id: int, name: str) -> dict[str, int]:
    """Everything a URL of the app can name, for the team of `user_id` (who leads the cases;
    `lead_id` is the team lead, who plans the case discussions and signs off).

    Returns ids by the names tests/factories/urls.py uses (mostly the URL parameter's), plus a
    few variants: case_noplan, case_closed, note_draft, network_member_archived,
    safety_score_id, item_discussed, item_waiting, action_checked (a key figure's action that a
    professional checks), signal_confided (a confidence passed on by that key figure). The
    plan's paper has two strengths, the first (strength_id) from a note."""
    with app.test_request_context():
        user = api.db.get(api.User, user_id)
        assert user is not None and user.team_id is not None
        case = c.register(user, name, members=c.lisa_and_noah(name))
        parent, child = c.members_of(case)
        ids: dict[str, int] = {
            "case_id": case.id,
            "family_member_id": parent.id,
            "child_id": child.id,
            "team_id": user.team_id,
        }
        resource = care.resource(user, f"Buurtgezinnen {name}")
        ids["resource_id"] = resource.id

        plan = c.start_plan(user, case, reason="Ouders denken mee.")
        goal = c.goal(user, case, plan, member_ids=[parent.id])
        ids["goal_id"] = goal.id
        oma = c.helper(
            user,
            case,
            related_member_id=parent.id,
            relation="moeder van Lisa",
            supports_practical=True,
        )
        ids["network_member_id"] = oma.id
        ids["network_member_archived"] = c.former_helper(user, case).id
        ids["action_id"] = c.action(user, case, goal, helper_id=oma.id, resource_id=resource.id).id
        ids["score_id"] = c.score(user, case, goal).id
        c.success(user, case, plan, goal_id=goal.id)
        ids["meeting_id"] = c.network_meeting(user, case, plan, [oma.id], [parent.id]).id
        ids["number"] = c.agree(user, case, plan, [parent.id]).number
        ids["review_id"] = api.db.scalars(
            select(api.Review.id).where(api.Review.case_id == case.id)
        ).one()

        ids["note_id"] = c.note(user, case, plan=plan).id
        ids["note_draft"] = c.note(user, case, "Nog niet af.", plan=plan, finalise=False).id
        # Two strengths on the family's paper: one from a note, one in the family's words.
        ids["strength_id"] = c.strength(user, case, plan, c.strengths_note(user, case, plan)).id
        c.strength(user, case, plan, text="Wij eten elke zondag samen.")
        ids["referral_id"] = care.referral(user, case, resource.id).id

        # A key figure of the team, the family's network member who is that person, and an
        # action they do with a professional who checks it (issue 18).
        key_figure = care.key_figure(user, f"Mevrouw {name}", resource_id=resource.id)
        ids["key_figure_id"] = key_figure.id
        confidant = care.key_figure_member(user, case, key_figure, informal_roles=["confidant"])
        ids["action_checked"] = c.action(
            user, case, goal, "Gaat mee naar de huisarts.", helper_id=confidant.id
        ).id

        # A concern whose signal came from a confidential source (only the case lead and the
        # team lead may change it), weighed up to step 4 of the Meldcode.
        concern = care.concern(user, case, c.fresh(plan), [child.id], confidential=True)
        ids["concern_id"] = concern.id
        ids["signal_id"] = concern.signals[0].id
        care.meldcode(user, case, concern, upto=4)
        ids["signal_confided"] = care.confided_signal(user, case, concern, confidant.id).id
        ids["safety_score_id"] = care.safety_score(user, case, concern).id
        ids["condition_id"] = care.condition(user, case, concern).id

        # Case discussions: three cases brought in; two on a past meeting's agenda (the second
        # discussed, with a task), one waiting; and a later meeting to postpone to.
        on_agenda, discussed, waiting = (
            care.bring_in(user, case, question)
            for question in ("Hoe verder met school?", "Wie belt de huisarts?", "Wat nu?")
        )
        lead = api.db.get(api.User, lead_id)
        people = [user_id, lead_id]
        meeting = care.discussion(
            lead, date(2026, 3, 10), people, [on_agenda, discussed], location="Wijkcentrum"
        )
        care.discussion(lead, date(2026, 12, 10), people, [])
        ids["task_id"] = care.discussed(lead, discussed, task_owner_id=user_id)
        ids["discussion_id"] = meeting.id
        ids["item_id"] = on_agenda.id
        ids["item_discussed"] = discussed.id
        ids["item_waiting"] = waiting.id

        # A case without a plan (to start one) and a closed case (to open a new one for).
        noplan, closed = (
            c.register(user, last, members=c.lisa_and_noah(last, with_child=False))
            for last in (f"{name} Zonderplan", f"{name} Gesloten")
        )
        ids["case_noplan"] = noplan.id
        c.close_with_outcomes(user, closed, ended_by="family", reason="moved")
        lisa = c.members_of(closed)[0]
        c.satisfaction(user, closed, member_id=lisa.id, comment="Fijn dat jullie er waren.")
        ids["case_closed"] = closed.id

        # A finished print job of the case's professional (the job page and its download).
        ids["job_id"] = care.finished_print_job(case, user.id).id
        api.db.commit()
        return ids
