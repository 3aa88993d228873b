"""The demo data loads through the services and is safe to load twice.

The seed is loaded once for the whole module (it takes seconds): the tests only read it, apart
from loading it again to show that is harmless."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from yaml import safe_load

from tests.conftest import empty_database
from wijkteam.auth.models import Role, Team, User
from wijkteam.cases.models import Case, CaseStatus, Family, FamilyMember
from wijkteam.cli import SEED_FILE
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.notes.models import Audience as NoteAudience


@pytest.fixture(scope="module")
def seeded(app) -> Iterator[Any]:
    """The demo data, loaded once into an empty database; emptied again after the module."""
    empty_database(app)
    result = app.test_cli_runner().invoke(args=["seed"])
    yield result
    empty_database(app)


@pytest.fixture(autouse=True)
def clean_db(seeded) -> Iterator[None]:
    """Instead of the suite's own: every test of this module reads the one seeded database."""
    yield


def test_seed_loads_and_is_idempotent(app, seeded):
    spec = safe_load(SEED_FILE.read_text(encoding="utf-8"))
    runner = app.test_cli_runner()
    first = seeded
    assert first.exit_code == 0, first.output
    assert "admin@wijkteam.example" in first.output
    assert spec["password"] in first.output
    with app.app_context():
        counts = (
            db.scalar(select(func.count(Team.id))),
            db.scalar(select(func.count(User.id))),
            db.scalar(select(func.count(Family.id))),
            db.scalar(select(func.count(Case.id))),
        )
    # The families of the YAML, and the history's closed families of each team (history.py).
    families = len(spec["families"]) + len(spec["teams"]) * spec["history"]["per_team"]
    assert counts == (len(spec["teams"]), len(spec["users"]), families, families)
    second = runner.invoke(args=["seed"])
    assert second.exit_code == 0, second.output
    with app.app_context():
        assert db.scalar(select(func.count(Family.id))) == counts[2]
        assert db.scalar(select(func.count(User.id))) == counts[1]


def test_seed_has_the_shapes_the_demo_needs(app):
    with app.app_context():
        assert db.scalar(select(func.count(Team.id))) >= 2
        assert db.scalar(select(func.count(User.id)).where(User.role == Role.ADMIN)) >= 1
        for team in db.scalars(select(Team)):
            roles = [u.role for u in team.members]
            assert roles.count(Role.TEAMLEAD) >= 1
            assert roles.count(Role.PROFESSIONAL) >= 2
        assert db.scalar(select(func.count(Family.id))) >= 8
        assert db.scalar(select(func.count(Case.id)).where(Case.status == CaseStatus.CLOSED)) >= 1
        twi_only = db.scalars(select(FamilyMember).where(FamilyMember.interpreter_needed))
        assert any(m.languages == ["Twi"] for m in twi_only)
        assert (
            db.scalar(select(func.count(FamilyMember.id)).where(FamilyMember.role == "other_carer"))
            >= 1
        )


def test_seed_teams_and_professionals_have_contact_details(app):
    """Who to call on the family's paper: every demo team has its phone, e-mail address, hours,
    complaints route and client support (youth rights and Veilig Thuis left to the national
    defaults), every professional a phone and working days; all fictional."""
    with app.app_context():
        for team in db.scalars(select(Team)):
            assert team.phone.startswith("06-000003"), team.name
            assert team.email.endswith("@wijkteam.example")
            assert team.reachable and team.complaints and team.client_support
            assert (team.youth_rights, team.veilig_thuis) == ("", "")
        for user in db.scalars(select(User).where(User.role != Role.ADMIN)):
            assert user.phone.startswith("06-000003") and user.reachable, user.email


def test_demo_login_works(app, client):
    spec = safe_load(SEED_FILE.read_text(encoding="utf-8"))
    lead = next(u for u in spec["users"] if u["role"] == "teamlead")
    resp = client.login(lead["email"], spec["password"])
    assert resp.status_code == 302
    html = client.get("/cases").get_data(as_text=True)
    assert "Gezin" in html


def test_seed_plans_in_various_states(app):
    from wijkteam.plans.models import LadderEntry, Plan, PlanVersion

    with app.app_context():
        plans = list(db.scalars(select(Plan)))
        assert len(plans) >= 4
        agreed = {v.plan_id for v in db.scalars(select(PlanVersion))}
        assert any(p.id in agreed for p in plans)  # an agreed plan
        assert any(p.id not in agreed for p in plans)  # a draft
        histories = []
        for plan in plans:
            levels = db.scalars(
                select(LadderEntry.level)
                .where(LadderEntry.plan_id == plan.id)
                .order_by(LadderEntry.changed_on, LadderEntry.id)
            ).all()
            histories.append([int(level) for level in levels])
        assert any(h == sorted(h) and len(h) >= 3 for h in histories)  # moving up
        downs = [h for h in histories if any(b < a for a, b in zip(h, h[1:], strict=False))]
        assert downs  # a step down
        climb = db.scalars(select(LadderEntry.climb_back).where(LadderEntry.climb_back != ""))
        assert "veiligheidsplan" in " ".join(climb)
        # Each agreed version holds the plan as it was that day, not as it ends.
        for version in db.scalars(select(PlanVersion)):
            levels_then = db.scalars(
                select(LadderEntry.level)
                .where(
                    LadderEntry.plan_id == version.plan_id,
                    LadderEntry.changed_on <= version.agreed_on,
                )
                .order_by(LadderEntry.changed_on, LadderEntry.id)
            ).all()
            assert version.snapshot["ladder_level"] == int(levels_then[-1])


def test_seed_networks_are_varied(app):
    from wijkteam.network.models import NetworkKind, NetworkMeeting, NetworkMember, Quality
    from wijkteam.plans.models import Action

    with app.app_context():
        sizes = dict(
            db.execute(
                select(Family.name, func.count(NetworkMember.id))
                .outerjoin(
                    NetworkMember,
                    (NetworkMember.family_id == Family.id) & NetworkMember.archived_on.is_(None),
                )
                .group_by(Family.name)
            ).all()
        )
        assert max(sizes.values()) >= 6  # a rich network
        assert min(sizes.values()) <= 1  # an isolated family
        members = list(db.scalars(select(NetworkMember)))
        assert any(m.quality == Quality.UNSAFE and m.may_contact is False for m in members)
        assert any(m.kind == NetworkKind.INFORMAL_WORKER and m.organisation for m in members)
        assert any(m.may_contact is None for m in members)  # consent not yet recorded
        assert any(m.archived_on is not None for m in members)
        assert db.scalar(select(func.count(NetworkMeeting.id))) >= 2
        assert db.scalar(select(func.count(Action.id)).where(Action.meeting_id.is_not(None))) >= 2
        assert (
            db.scalar(select(func.count(Action.id)).where(Action.network_member_id.is_not(None)))
            >= 5
        )


def test_seed_safety_concerns(app):
    from wijkteam.plans.models import LadderEntry, RegieEntry
    from wijkteam.safety.models import ConcernStatus, SafetyConcern

    with app.app_context():
        concerns = list(db.scalars(select(SafetyConcern)))
        assert any(not c.is_closed and c.next_step == 3 for c in concerns)  # open at step 3
        reported = [c for c in concerns if c.reported_to_veilig_thuis]
        assert reported and all(s.family_told for c in reported for s in c.steps if s.step == 5)
        assert any(c.status == ConcernStatus.CLOSED and c.regie_return for c in concerns)
        assert any(s.source_confidential for c in concerns for s in c.signals)
        linked = db.scalar(
            select(func.count(LadderEntry.id)).where(LadderEntry.safety_concern_id.is_not(None))
        )
        assert linked >= 1
        assert (
            db.scalar(
                select(func.count(RegieEntry.id)).where(RegieEntry.safety_concern_id.is_not(None))
            )
            >= 1
        )


def test_seed_sign_offs_of_closed_concerns_are_dated_before_the_closing(app):
    """A closed concern's decision was signed off by the time it closed (the seed dates it to
    the closing day, not to the day the demo was loaded), between the decision and the
    closing, and never by whoever asked."""
    from wijkteam.reviews.models import Review, ReviewKind, ReviewStatus
    from wijkteam.safety.models import ConcernStatus, SafetyConcern

    with app.app_context():
        closed = list(
            db.scalars(select(SafetyConcern).where(SafetyConcern.status == ConcernStatus.CLOSED))
        )
        assert closed
        for concern in closed:
            review = db.scalar(
                select(Review)
                .where(Review.kind == ReviewKind.SAFETY_DECISION, Review.ref_id == concern.id)
                .order_by(Review.id.desc())
            )
            assert review.status == ReviewStatus.APPROVED
            assert review.decided_by_id != review.requested_by_id
            decided = review.decided_at.astimezone(clock.local_zone()).date()
            decision = next(s for s in concern.steps if s.step == 5)
            assert decision.done_on <= decided <= concern.closed_on


def test_seed_notes(app):
    from wijkteam.notes.models import Audience, Note, NoteAddendum, NotePart, NoteStatus

    with app.app_context():
        assert db.scalar(select(func.count(Note.id))) >= 20
        assert db.scalar(select(func.count(Note.id)).where(Note.interpreter_language == "Twi"))
        assert db.scalar(select(func.count(NotePart.id)).where(NotePart.audience == Audience.TEAM))
        assert db.scalar(select(func.count(NoteAddendum.id))) >= 1
        assert db.scalar(select(func.count(Note.id)).where(Note.status == NoteStatus.DRAFT))


def test_seed_conversation_alone_with_emre_is_his(app):
    """Emre (17) talked alone with Youssef: only he reads it (the free text stays with the
    team); every other note is for the whole family or the team, as it always was."""
    from wijkteam.notes.models import Audience, Note, NotePart, PartKind

    with app.test_request_context():
        emre = db.scalar(select(FamilyMember).where(FamilyMember.first_name == "Emre"))
        alone = db.scalars(
            select(Note).join(Note.family_members).where(FamilyMember.id == emre.id)
        ).all()
        note = next(n for n in alone if [m.first_name for m in n.family_members] == ["Emre"])
        audiences = {p.kind: (p.audience, p.audience_member_id) for p in note.parts}
        assert audiences.pop(PartKind.FREE_TEXT) == (Audience.TEAM, None)
        assert set(audiences.values()) == {(Audience.MEMBER, emre.id)}
        assert note.part(PartKind.QUESTION).audience_words == "Alleen Emre"
        others = db.scalars(
            select(NotePart.audience).distinct().where(NotePart.note_id != note.id)
        ).all()
        assert set(others) == {Audience.FAMILY, Audience.TEAM}


def test_seed_catalogue_and_referrals(app):
    from wijkteam.plans.models import Action
    from wijkteam.resources.models import Direction, Referral, ReferralStatus, Resource

    with app.app_context():
        resources = list(db.scalars(select(Resource)))
        assert len({r.team_id for r in resources}) == 2
        assert any("Twi" in r.languages for r in resources)
        referrals = list(db.scalars(select(Referral)))
        assert any(r.direction == Direction.INCOMING for r in referrals)
        assert any(r.status == ReferralStatus.DECLINED for r in referrals)
        assert any(r.follow_up_on is None and r.is_open for r in referrals)
        assert db.scalar(select(func.count(Action.id)).where(Action.resource_id.is_not(None)))


def test_seed_case_discussions(app):

    from wijkteam.discussions.models import CaseDiscussion, DiscussionItem, ItemStatus, Task
    from wijkteam.plans.models import Action

    runner = app.test_cli_runner()
    with app.app_context():
        meetings = list(db.scalars(select(CaseDiscussion)))
        today = clock.today()
        planned = [m for m in meetings if m.held_on > today]
        held = [m for m in meetings if m.held_on < today]
        assert planned and any(
            i.status == ItemStatus.ON_AGENDA for m in planned for i in m.items
        ), "a planned meeting with items"
        assert any(m.guests for m in meetings)
        discussed = [i for m in held for i in m.items if i.status == ItemStatus.DISCUSSED]
        assert discussed and all(i.decisions for i in discussed), "a past meeting with decisions"
        assert db.scalar(
            select(func.count(Action.id)).where(Action.discussion_item_id.is_not(None))
        )
        assert db.scalar(select(func.count(Task.id)))
        assert db.scalar(
            select(func.count(DiscussionItem.id)).where(DiscussionItem.status == ItemStatus.WAITING)
        )
        count = len(meetings)
    assert runner.invoke(args=["seed"]).exit_code == 0
    with app.app_context():
        assert db.scalar(select(func.count(CaseDiscussion.id))) == count


def test_seed_plans_have_strengths_on_paper_repeating_actions_and_an_interpreter(app):
    from wijkteam.plans.models import Action, Plan, PlanVersion, Repeats

    with app.app_context():
        plans = list(db.scalars(select(Plan)))
        for plan in plans:
            assert 2 <= len(plan.strengths) <= 3, plan.case.family.name
        chosen = [s for plan in plans for s in plan.strengths]
        assert any(s.note_part_id is not None for s in chosen)
        assert any(s.text for s in chosen)
        for strength in chosen:
            if strength.note_part is not None:  # a shareable part of a final note of the case
                assert strength.note_part.audience != NoteAudience.TEAM
                assert strength.note_part.note.case_id == strength_case(plans, strength)
        assert db.scalar(select(func.count(Action.id)).where(Action.repeats == Repeats.WEEKLY))
        languages = {v.interpreter_language for v in db.scalars(select(PlanVersion))}
        assert "Twi" in languages and "" in languages


def strength_case(plans, strength) -> int:
    return next(p.case_id for p in plans if p.id == strength.plan_id)


def test_seed_families_papers_read_at_b1(app, monkeypatch):
    """Flesch-Douma of the Dutch plan and file of every demo family is 70 or more (B1; the
    figures per family: bench/readability.py). Measured on the text the worker hands to
    WeasyPrint, without the page furniture."""
    import re
    from html import unescape

    from flask_babel import force_locale

    from wijkteam.jobs.models import JobKind, PrintJob
    from wijkteam.printout import render
    from wijkteam.printout.readability import flesch_douma

    monkeypatch.setattr(render, "render_pdf", lambda html: html.encode())

    def text(html: str) -> str:
        html = re.sub(r"<(style|title)[^>]*>.*?</\1>", " ", html, flags=re.S)
        html = re.sub(r'<p class="running-title">.*?</p>', " ", html, flags=re.S)
        # Block ends end a line (a heading, a list item), as in the PDF's text.
        html = re.sub(r"</(p|li|h\d|td|th|div)>", "\n", html)
        return unescape(re.sub(r"<[^>]+>", " ", html))

    scores = {}
    spec = safe_load(SEED_FILE.read_text(encoding="utf-8"))
    named = {f["name"] for f in spec["families"]}  # the history's: in the test after this one
    with app.test_request_context(), force_locale("nl"):
        latest = {c.family_id: c for c in db.scalars(select(Case).order_by(Case.id))}
        for case in latest.values():
            if case.family.name not in named:
                continue
            for kind in (JobKind.PLAN_PDF, JobKind.FILE_PDF):
                try:
                    made = render.render(PrintJob(case=case, kind=kind, options={"lang": "nl"}))
                except render.NothingToPrint:
                    continue
                scores[(case.family.name, kind.value)] = flesch_douma(text(made.body.decode()))
    assert len(scores) >= 12  # every family's file, and the plans there are
    low = {key: round(score, 1) for key, score in scores.items() if score < 70}
    assert not low, low


def test_the_historys_words_read_at_b1():
    """The closed families of the history are made of a few phrases (history.py): each set
    of them, as a family or the team reads it, is B1 (Flesch-Douma 70 or more)."""
    from wijkteam.printout.readability import flesch_douma
    from wijkteam.seed import history

    sets = {
        "questions": history._QUESTIONS,
        "goals": [text for goal in history._GOALS for text in goal],
        "strengths": history._STRENGTHS,
        "results": history._SAYS,
        "closing notes": list(history._NOTES.values()),
    }
    low = {name: round(flesch_douma("\n".join(texts)), 1) for name, texts in sets.items()}
    assert all(score >= 70 for score in low.values()), low


def test_the_history_gives_the_outcome_overview_figures_to_show(app):
    """Issue 20: the team lead's overview of the last ended quarter shows figures, not only
    "< 5": closed cases with each kind of ending, satisfaction answers, the ladder moving both
    ways; and the history's families are all closed (off the caseloads)."""
    from wijkteam.outcomes.periods import Quarter
    from wijkteam.outcomes.queries import outcome_counts
    from wijkteam.outcomes.report import Report
    from wijkteam.outcomes.suppression import ALL, Mark

    quarter = Quarter.of(clock.today()).previous()
    with app.test_request_context():
        for team in db.scalars(select(Team)):
            counts = outcome_counts(quarter, team_id=team.id, by="lead")
            report = Report(quarter, "lead", counts, {})
            shown = {
                key
                for (key, group), mark in report.marks.items()
                if group == ALL and mark is Mark.SHOWN and report.values[(key, group)] > 0
            }
            assert {"closed", "in_care", "ended_together", "ladder_up"} <= shown, team.name
            assert {"plan_agreed", "goals_all_reached"} <= shown, shown
            # Every kind of ending, the ladder down and the family's answers (some of them
            # shown as "< 5" or hidden, so that no small number can be worked out).
            for key in (
                "ended_by_family",
                "ended_by_team",
                "moved",
                "ladder_down",
                "heard_answered",
                "mark_7_plus",
            ):
                assert report.values[(key, ALL)] > 0, key
        spec = safe_load(SEED_FILE.read_text(encoding="utf-8"))
        named = {f["name"] for f in spec["families"]}
        history = [c for c in db.scalars(select(Case)) if c.family.name not in named]
        assert len(history) == len(spec["teams"]) * spec["history"]["per_team"]
        assert all(c.status == CaseStatus.CLOSED for c in history)


def test_seed_key_figure_story(app):
    """Issue 18: the Mensahs came in through Dominee Owusu of their church, a key figure
    recorded once for the team, who helps two other families of the team too; with the
    Mensahs there is a role agreement and confidentiality was agreed."""
    from wijkteam.cases.models import WayIn
    from wijkteam.keyfigures.models import KeyFigure
    from wijkteam.network.models import NetworkMember

    with app.app_context():
        [owusu] = db.scalars(select(KeyFigure).where(KeyFigure.name == "Dominee Owusu"))
        assert owusu.resource is not None and "Grace Fellowship" in owusu.resource.name
        links = list(
            db.scalars(select(NetworkMember).where(NetworkMember.key_figure_id == owusu.id))
        )
        families = {m.family.name for m in links}
        assert families == {"Mensah", "Bakker", "Boateng"}
        mensah = db.scalar(select(Case).join(Family).where(Family.name == "Mensah"))
        assert mensah.way_in == WayIn.INTERMEDIARY
        member = mensah.way_in_network_member
        assert member is not None and member.key_figure_id == owusu.id
        assert {h.value for h in mensah.intermediary_help} == {
            "groundwork",
            "first_contact",
            "worded_question",
        }
        assert member.role_does and member.role_does_not and member.role_agreed_on
        assert member.confidentiality_agreed is True and member.confidentiality_on
        assert len(member.informal_roles) >= 2  # the roles blur: more than one


def test_seed_confidence_passed_on(app):
    """Issue 18: Auntie Adwoa passed on what Akosua told her in confidence; before acting the
    professional agreed with her how, and the parents were told up front; she is not named."""
    from wijkteam.safety.models import Signal

    with app.app_context():
        [signal] = db.scalars(select(Signal).where(Signal.confided_by_id.is_not(None)))
        assert signal.confided_by.name == "Auntie Adwoa"
        assert signal.source_confidential and signal.confidence_ready
        assert signal.parents_told_duty and not signal.confider_may_be_named


def _demo_login(client, email: str) -> None:
    spec = safe_load(SEED_FILE.read_text(encoding="utf-8"))
    assert client.login(email, spec["password"]).status_code == 302
    client.english()


def _case_of(name: str) -> Case:
    return db.scalar(select(Case).join(Case.family).where(Family.name == name))


def test_seed_a_closed_case_with_aftercare(app, client):
    """The way out (issue 18): the de Vries case closed with who stays involved, the
    aftercare agreement and how Mark can come back; the case page shows them."""
    from wijkteam.closing.queries import closing_of, staying_involved
    from wijkteam.plans.enums import LadderLevel, Regie

    with app.app_context():
        case = _case_of("de Vries")
        assert case.is_closed
        closing = closing_of(case)
        assert closing is not None
        assert (closing.ladder_level, closing.regie) == (LadderLevel.SELF_DIRECTION, Regie.OWN)
        staying = staying_involved(case)
        assert [m.name for m in staying.people] == [
            "Tante Ingrid",
            "Henny",
            "Voetbalclub Wijkdorp",
        ]
        assert [r.name for r in staying.services] == ["Vadergroep Noord"]
        assert "Sanne belt Mark half december" in closing.aftercare_agreement
        assert "we kennen je verhaal nog" in closing.come_back
        case_id = case.id
    _demo_login(client, "sanne.noord@wijkteam.example")
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "The way out" in html and "Vadergroep Noord" in html and "Tante Ingrid" in html


def test_seed_a_case_whose_closing_is_refused(app, client):
    """The Ramsaran-Koster case cannot close: the worry about Priya's father is open. The
    close page names it and links to it; the service refuses too."""
    from wijkteam.closing.queries import open_concerns

    with app.app_context():
        case = _case_of("Ramsaran-Koster")
        assert not case.is_closed
        concerns = open_concerns(case.id)
        assert [c.title for c in concerns] == ["Dreiging door de vader van Priya"]
        case_id, concern_id, lead = case.id, concerns[0].id, case.lead.email
    _demo_login(client, lead)
    html = client.get(f"/cases/{case_id}/close").get_data(as_text=True)
    assert "This case cannot close yet" in html
    assert f'href="/cases/{case_id}/safety/{concern_id}"' in html


def test_seed_a_network_meeting_waits_for_its_check(app, client):
    """The Bakker family's network meeting has a check date that passed: Sanne's week says
    to check whether the contacts held."""
    from wijkteam.network.models import NetworkMeeting

    with app.app_context():
        case = _case_of("Bakker")
        meeting = db.scalar(
            select(NetworkMeeting).where(
                NetworkMeeting.case_id == case.id, NetworkMeeting.follow_up_on.is_not(None)
            )
        )
        assert meeting.follow_up_on < clock.today() and meeting.followed_up_on is None
        link = f"/cases/{case.id}/network/meetings/{meeting.id}/follow-up"
    _demo_login(client, "sanne.noord@wijkteam.example")
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Check whether the contacts of the network meeting held" in html and link in html


def test_seed_matching_profiles_and_caseload_norm(app):
    """Issue 18: professionals' languages, background and expertise, the team's caseload norm
    and parts of a full-time job, as the team lead sees them when choosing a case lead."""
    with app.app_context():
        noord = db.scalar(select(Team).where(Team.name == "Wijkteam Noord"))
        assert noord.caseload_norm == 3
        ama = db.scalar(select(User).where(User.email == "ama.noord@wijkteam.example"))
        assert "Twi" in ama.languages and ama.background and ama.expertise
        assert ama.work_percent == 89


def test_seed_has_texts_in_the_familys_language(app):
    """Issue 19: the El Idrissi family's first goal and one of its actions in Arabic, written
    with an interpreter; the Mensah family has none (its paper shows the Dutch, explained
    orally); the Tesfay family has no plan yet."""
    from wijkteam.plans.models import Action, Goal, Plan, SecondText, WrittenHow
    from wijkteam.plans.services import second_texts

    with app.app_context():
        rows = db.execute(
            select(Family.name, SecondText)
            .join(Case, Case.id == SecondText.case_id)
            .join(Family, Family.id == Case.family_id)
        ).all()
        assert {name for name, _second in rows} == {"El Idrissi"}
        seconds = [second for _name, second in rows]
        assert sorted(s.object_type.value for s in seconds) == ["action", "goal"]
        assert {(s.lang, s.written_how) for s in seconds} == {("ar", WrittenHow.WITH_INTERPRETER)}
        goal = db.get(Goal, seconds[0].goal_id)
        plan = db.get(Plan, goal.plan_id)
        assert goal.id == min(g.id for g in plan.goals)  # the first goal
        dutch = {("goal", goal.id): goal.text} | {("action", a.id): a.text for a in goal.actions}
        assert all(second_texts.is_current(s, dutch[s.key]) for s in seconds)
        action = db.get(Action, next(s.object_id for s in seconds if s.object_type == "action"))
        assert action.text.startswith("De afspraken op papier zetten")


def test_seed_closings_show_every_kind_of_ending_and_outcome(app):
    """Issue 20: the team overview has something real to count: closed cases with each kind of
    ending (goals reached together, the family stopped on its own, moved away, no contact,
    referred), goal results of all three kinds, and satisfaction answers of several families
    with different marks, given alone on paper and with the professional."""
    from wijkteam.cases.models import CloseReason
    from wijkteam.closing.models import (
        CaseClosing,
        EndedBy,
        GoalOutcome,
        GoalResult,
        SatisfactionAnswer,
        SatisfactionHow,
    )

    with app.app_context():
        endings = set(
            db.execute(
                select(Case.close_reason, CaseClosing.ended_by).join(
                    CaseClosing, CaseClosing.case_id == Case.id
                )
            ).all()
        )
        assert {
            (CloseReason.GOALS_REACHED, EndedBy.TOGETHER),
            (CloseReason.FAMILY_ENDED, EndedBy.FAMILY),  # one-sided: uitval
            (CloseReason.MOVED, EndedBy.TOGETHER),
            (CloseReason.NO_CONTACT, EndedBy.FAMILY),
            (CloseReason.REFERRED, EndedBy.TEAM),
        } <= endings
        results = set(db.scalars(select(GoalOutcome.result)))
        assert results == set(GoalResult)
        answers = list(db.scalars(select(SatisfactionAnswer)))
        assert len({a.case_id for a in answers}) >= 3
        assert len({a.rating for a in answers}) >= 3
        assert {SatisfactionHow.FAMILY_ALONE, SatisfactionHow.WITH_PROFESSIONAL} <= {
            a.how for a in answers
        }
        # Both teams have closings to count.
        closed_teams = db.scalars(
            select(Case.team_id).where(Case.status == CaseStatus.CLOSED).distinct()
        ).all()
        assert len(closed_teams) == 2


def test_load_plan_holds_what_the_relationships_hold(app):
    """`load_plan` fills the plan's lists with statements of its own (issue 21): for every plan
    of the demo, each list holds the same rows in the same order as the relationship itself
    loads (models.py's filters and order_by), and nothing the plan pages show needs a query
    more afterwards."""
    from sqlalchemy import inspect

    from tests.test_queries import count_queries
    from wijkteam.plans.models import Plan
    from wijkteam.plans.queries import load_plan

    plan_lists = ("goals", "ladder", "regie_history", "versions", "successes", "strengths")
    goal_lists = ("actions", "scores", "members")
    # The many-to-ones the pages show, read with their lists.
    named = {
        "ladder": ("recorded_by",),
        "regie_history": ("recorded_by",),
        "versions": ("finalised_by",),
        "strengths": ("note_part",),
        "actions": ("owner_member", "network_member", "resource", "check_by"),
        "scores": ("recorded_by",),
    }

    def ids(rows):
        return [row.id for row in rows]

    seen = dict.fromkeys(plan_lists + goal_lists, 0)
    with app.app_context():
        own = app.extensions["wijkteam.sessionmaker"]()  # lazy loads by the relationships
        try:
            for plan_id, case_id in own.execute(select(Plan.id, Plan.case_id)).all():
                theirs = own.get(Plan, plan_id)
                expected = {name: ids(getattr(theirs, name)) for name in plan_lists}
                expected_goals = [
                    {name: ids(getattr(goal, name)) for name in goal_lists} for goal in theirs.goals
                ]
                db.expunge_all()
                with count_queries(app) as loading:
                    plan = load_plan(db.get(Case, case_id))
                assert plan is not None and plan.id == plan_id
                with count_queries(app) as after:
                    for name in plan_lists:
                        assert ids(getattr(plan, name)) == expected[name], name
                        seen[name] += len(expected[name]) > 1
                    for goal, lists in zip(plan.goals, expected_goals, strict=True):
                        assert goal.plan is plan
                        for name in goal_lists:
                            assert ids(getattr(goal, name)) == lists[name], name
                            seen[name] += len(lists[name]) > 1
                    for name, ones in named.items():
                        rows = getattr(plan, name, None)
                        if rows is None:
                            rows = [row for goal in plan.goals for row in getattr(goal, name)]
                        for row in rows:
                            assert not {*ones} & inspect(row).unloaded, name
                            for one in ones:
                                getattr(row, one)
                    for strength in plan.strengths:
                        if strength.note_part is not None:
                            assert strength.note_part.note is not None
                assert after["n"] == 0
                # the case, the plan with its goals and their members, its five other lists
                # and its goals' two others
                assert loading["n"] == (9 if plan.goals else 7)
        finally:
            own.close()
    # The demo has lists of more than one row of every kind, so that the order is tested.
    assert all(seen.values()), seen


def test_a_case_page_reads_the_members_in_the_familys_order(app):
    """get_case_or_404 leaves the family's members to be read when a page uses them (issue 21):
    for every case of the demo, the same members in the order Family.members gives."""
    from wijkteam.web.loaders import get_case_or_404

    with app.test_request_context():
        cases = [(case.id, case.lead_id) for case in db.scalars(select(Case))]
        own = app.extensions["wijkteam.sessionmaker"]()
        several = 0
        try:
            for case_id, lead_id in cases:
                expected = [m.id for m in own.get(Case, case_id).family.members]
                db.expunge_all()
                case = get_case_or_404(case_id, db.get(User, lead_id), log_view=False)
                assert [m.id for m in case.family.members] == expected
                several += len(expected) > 1
        finally:
            own.close()
        assert several >= 5


def test_the_case_page_reads_where_the_plan_stands_and_the_other_cases(app):
    """The case page reads only where the plan stands (issue 21): for every case of the demo,
    the same ladder level and regie as the plan's whole histories give, as the same enums;
    and the family's other cases only when there are any, the same as read on their own."""
    from wijkteam.cases.page import read_case_page
    from wijkteam.cases.queries import other_cases_of_family
    from wijkteam.plans.queries import load_plan

    with app.app_context():
        compared, others = 0, set()
        for case in db.scalars(select(Case)).all():
            page, plan = read_case_page(case), load_plan(case)
            expected = [c.id for c in other_cases_of_family(case)]
            assert [c.id for c in page.other_cases] == expected, case.id
            others.add(bool(expected))
            standing = page.plan
            assert (standing is None) == (plan is None), case.id
            if plan is not None:
                assert (standing.ladder_level, standing.regie) == (plan.ladder_level, plan.regie)
                assert type(standing.ladder_level) is type(plan.ladder_level)
                assert type(standing.regie) is type(plan.regie)
                compared += plan.ladder_level is not None and len(plan.ladder) > 1
        assert compared >= 3  # plans with a history, not only a first level
        assert False in others  # the demo's families have one case each; several:
        # tests/cases/test_edit.py (a new case for a family after closing)


def test_the_plan_page_reads_each_goals_latest_score_only(app):
    """The plan page reads of the goals' scores only the latest per goal (issue 21: a case's
    own long history must not slow its first page): for every plan of the demo, the score
    `Goal.latest_score` gives from all of them (voided ones left out), as it is."""
    from wijkteam.plans.page import read_plan_page
    from wijkteam.plans.queries import load_plan

    def score(s: Any) -> tuple[Any, ...]:
        return (s.id, s.scored_on, s.family_score, s.professional_score)

    with app.app_context():
        compared = 0
        for case_id in db.scalars(select(Case.id)).all():
            db.expunge_all()
            full = load_plan(db.get(Case, case_id))
            if full is None:
                continue
            expected = {g.id: score(g.latest_score) for g in full.goals if g.latest_score}
            compared += sum(len(g.scores) > 1 for g in full.goals)
            db.expunge_all()
            page = read_plan_page(db.get(Case, case_id))
            assert page is not None
            assert {k: score(v) for k, v in page.latest_scores.items()} == expected, case_id
        assert compared >= 3  # goals with more than one score, so that "latest" is tested


def test_the_plan_pages_facts_are_what_its_lists_hold(app):
    """The plan page reads a list only when the plan's statement says it holds something
    (`PlanPage`, issue 21). For every plan of the demo: the number of strengths is the
    strengths' own, each "has" is whether the list it stands for is empty, and the small
    successes read are the plan's own; of the agreed versions only the last one's snapshot
    is read, and it is the version's own; each version's sign-off, read with the versions,
    is the one `version_sign_offs` finds. The demo has plans with and without successes,
    sign-offs and second texts, so that both sides are tested; every plan of the demo has
    scores and strengths and none a social-ladder entry (the other sides:
    tests/plans/test_scaling_and_ladders.py, the plan page with its lists empty and full)."""
    from wijkteam.plans.page import read_plan_page
    from wijkteam.plans.queries import latest_social_levels, load_plan
    from wijkteam.plans.services import second_texts
    from wijkteam.reviews.queries import version_sign_offs

    def sign_off(r: Any) -> tuple[Any, ...]:
        name = r.decided_by.display_name if r.decided_by is not None else None
        return (r.id, r.status, name, r.decided_at, r.comment)

    seen: dict[str, set[bool]] = {}
    several_versions = goals_with_members = 0
    with app.app_context():
        for case_id in db.scalars(select(Case.id)).all():
            db.expunge_all()
            case = db.get(Case, case_id)
            full = load_plan(case)
            if full is None:
                assert read_plan_page(case) is None
                continue
            truth = {
                "strengths": len(full.strengths),
                "successes": [(s.id, s.noted_on, s.text) for s in full.successes],
                "sign_offs": {n: sign_off(r) for n, r in version_sign_offs(case).items()},
                "second_texts": bool(second_texts.for_case(case.id)),
                "goals": [(g.id, [m.id for m in g.members]) for g in full.goals],
                "social_levels": bool(latest_social_levels(case)),
                "versions": [(v.number, v.agreed_on) for v in full.versions],
                "last_snapshot": full.versions[-1].snapshot if full.versions else None,
            }
            db.expunge_all()
            case = db.get(Case, case_id)
            page = read_plan_page(case)
            assert page is not None
            got = {
                "strengths": page.strengths,
                "successes": [(s.id, s.noted_on, s.text) for s in page.plan.successes],
                "sign_offs": {n: sign_off(r) for n, r in page.sign_offs.items()},
                "second_texts": page.second_texts,
                "goals": [(g.id, [m.id for m in g.members]) for g in page.plan.goals],
                "social_levels": page.social_levels,
                "versions": [(v.number, v.agreed_on) for v in page.plan.versions],
                # only the last version's snapshot is read (the page compares the draft with it)
                "last_snapshot": page.plan.versions[-1].snapshot if page.plan.versions else None,
            }
            assert all(v.snapshot is None for v in page.plan.versions[:-1])
            several_versions += len(page.plan.versions) > 1
            goals_with_members += any(g.members for g in page.plan.goals)
            assert got == truth, case_id
            for name in ("successes", "sign_offs", "second_texts"):
                seen.setdefault(name, set()).add(bool(truth[name]))
    assert all(found == {True, False} for found in seen.values()), sorted(seen.items())
    assert several_versions >= 1  # a plan agreed more than once: its earlier snapshots unread
    assert goals_with_members >= 1  # the goals' members are joined by hand: some to compare


def test_the_plan_pages_rows_are_the_models(app):
    """The plan page reads the plan as plain rows (plans/page.py, issue 21), each with the
    attribute names of the model it stands for. For every plan of the demo they hold what
    the mapped plan holds, in the relationships' order: the plan's content as the family
    sees it (`snapshot`: goals, the members they are about, actions and their owners), and
    the rest of what the page shows of the goals, actions, ladder, regie and versions."""
    from wijkteam.plans.page import read_plan_page
    from wijkteam.plans.queries import load_plan
    from wijkteam.plans.services.versions import snapshot

    def shown(plan: Any) -> dict[str, Any]:
        return {
            "content": snapshot(plan),
            "plan": (plan.id, plan.ladder_level, plan.regie),
            "goals": [
                (g.id, g.version, g.is_open, [(m.id, m.first_name) for m in g.members])
                for g in plan.goals
            ],
            "actions": [
                (a.id, a.owner_kind, a.owner_display, a.from_team, a.repeats)
                for g in plan.goals
                for a in g.actions
            ],
            "ladder": [
                (e.id, e.level, e.changed_on, e.reason, e.climb_back, e.recorded_by.display_name)
                for e in plan.ladder
            ],
            "regie": [
                (e.id, e.regie, e.changed_on, e.reason, e.recorded_by.display_name)
                for e in plan.regie_history
            ],
            "versions": [
                (v.id, v.number, v.agreed_on, v.agreed_by, v.agreed_how) for v in plan.versions
            ],
        }

    owners: Counter[str] = Counter()
    with app.app_context():
        for case_id in db.scalars(select(Case.id)).all():
            db.expunge_all()
            full = load_plan(db.get(Case, case_id))
            if full is None:
                continue
            db.expunge_all()
            page = read_plan_page(db.get(Case, case_id))
            assert page is not None
            assert shown(page.plan) == shown(full), case_id
            for action in (a for g in full.goals for a in g.actions):
                owners["member" if action.owner_member else action.owner_kind.value] += 1
                owners["network member"] += action.network_member is not None
                owners["from the team"] += action.from_team
            owners["climb back"] += any(e.climb_back for e in full.ladder)
            owners["regie"] += len(full.regie_history) > 1
    # every way of naming an action's owner, and the lists' less common fields, are compared
    assert all(owners[kind] for kind in ("member", "network member", "from the team")), owners
    assert owners["climb back"] and owners["regie"], owners


def test_the_plan_page_shows_the_rows_as_the_models(app, monkeypatch):
    """The plan page rendered from its rows (plans/page.py) is, to the byte, the page
    rendered from the mapped plan and its relationships (the models' own properties:
    `Plan.ladder_level`, `Goal.latest_score`, `Action.owner_display`, ...): for every plan of
    the demo, as its case lead (with the forms) and, for a closed case, as read only. Only
    the tokens of the page's forms differ between two requests."""
    from types import SimpleNamespace

    from wijkteam.plans.queries import latest_social_levels, load_plan
    from wijkteam.plans.services import second_texts
    from wijkteam.plans.views import plan as plan_view
    from wijkteam.reviews.queries import version_sign_offs

    def from_the_models(case: Case) -> Any:
        plan = load_plan(case)
        if plan is None:
            return None
        return SimpleNamespace(
            plan=plan,
            strengths=len(plan.strengths),
            sign_offs=version_sign_offs(case),
            second_texts=bool(second_texts.for_case(case.id)),
            social_levels=bool(latest_social_levels(case)),
            latest_scores={g.id: g.latest_score for g in plan.goals if g.latest_score},
        )

    def page(client: Any, path: str) -> str:
        resp = client.get(path)
        assert resp.status_code == 200, path
        return re.sub(r'<input[^>]*name="(csrf_token|form_id)"[^>]*>', "", resp.text)

    with app.app_context():
        cases = db.execute(
            select(Case.id, User.email, Case.status).join(User, User.id == Case.lead_id)
        ).all()
    clients: dict[str, Any] = {}
    compared = closed = 0
    for case_id, email, status in cases:
        client = _lead_client(app, clients, email)
        path = f"/cases/{case_id}/plan"
        rows = page(client, path)
        with monkeypatch.context() as patched:
            patched.setattr(plan_view, "read_plan_page", from_the_models)
            models = page(client, path)
        assert rows == models, case_id
        compared += "goal-name" in rows
        closed += status == CaseStatus.CLOSED and "goal-name" in rows
    assert compared >= 5 and closed >= 1, (compared, closed)


def test_the_dashboards_one_statement_finds_what_the_rules_say(app):
    """Every signal of every user's dashboard (team and "my week") equals the rules worked out
    by hand, case by case; the demo has most kinds of signal, so this is not a comparison of
    two empty lists (the kinds it lacks, and the edge cases of each: tests/dashboard)."""
    from dataclasses import astuple

    from tests.dashboard.signals import checks_by_hand, signals_by_hand
    from wijkteam.dashboard.queries import attention, my_checks

    kinds: set[str] = set()
    with app.app_context():
        users = db.scalars(select(User).where(User.team_id.is_not(None)).order_by(User.id)).all()
        for user in users:
            assert [astuple(c) for c in my_checks(user).items] == checks_by_hand(user), user.email
            for mine in (False, True):
                listed = attention(user, mine=mine, per_page=100_000).items
                got = {item.case.id: [(s.kind, s.detail) for s in item.signals] for item in listed}
                assert got == signals_by_hand(user, mine), (user.email, mine)
                kinds |= {kind for signals in got.values() for kind, _ in signals}
    assert len(kinds) >= 5, kinds


def test_the_dashboards_load_nothing_lazily(app):
    """The dashboard reads each of its parts in one query that loads what the part shows and
    no more (issue 21: names only of the people and families it names). Nothing it shows may
    then be loaded afterwards, a row or a column at a time: checked for the dashboard of every
    active demo user, the team's and "my week", with every part but the hand-overs (the demo
    has none: tests/cases/test_handover.py) shown somewhere in the demo; and their case lists
    (their own and the team's), which name each case's lead and duo."""
    from tests.test_queries import lazy_loads

    with app.app_context():
        emails = db.scalars(
            select(User.email).where(User.team_id.is_not(None), User.active.is_(True))
        ).all()
    shown: set[str] = set()
    for email in emails:
        client = app.test_client()
        _demo_login(client, email)
        for path in ("/dashboard", "/dashboard?scope=mine", "/cases", "/cases?scope=team"):
            with lazy_loads() as lazy:
                resp = client.get(path)
            assert resp.status_code == 200, (email, path)
            assert not lazy, (email, path, lazy)
            shown |= set(re.findall(r'<h2 id="([a-z-]+)-heading"', resp.get_data(as_text=True)))
    assert {
        "caseload",
        "sign",
        "waiting",
        "tasks",
        "checks",
        "discussion",
        "my-items",
        "attention",
    } <= shown, shown


# What a case's pages read when they use it, once per page (web/loaders.py: not every page
# needs the family's members; the case page names the key figure a family came in through).
READ_WHEN_USED = {"relationship Family.members", "relationship Case.way_in_network_member"}
# The pages that load the family's members with the case (get_case_or_404's `with_members`).
WITH_MEMBERS = ("", "/plan", "/notes/new")


def _lead_client(app: Any, clients: dict[str, Any], email: str) -> Any:
    """One logged-in client per user, made on first use (a login hashes a password)."""
    if email not in clients:
        clients[email] = app.test_client()
        _demo_login(clients[email], email)
    return clients[email]


def _get_loading_nothing_lazily(
    client: Any, path: str, allowed: set[str], statuses: tuple[int, ...]
) -> int:
    """GET `path` (its status one of `statuses`); a page it shows (200) loads lazily only
    what `allowed` names, each once at most. Returns the status."""
    from tests.test_queries import lazy_loads

    with lazy_loads() as lazy:
        resp = client.get(path)
    assert resp.status_code in statuses, (path, resp.status_code)
    if resp.status_code == 200:
        loaded = Counter(entry.split(":")[0] for entry in lazy)
        assert set(loaded) <= allowed and max(loaded.values(), default=0) <= 1, (path, lazy)
    return int(resp.status_code)


def test_the_case_pages_load_nothing_lazily(app):
    """As the dashboards (above): the case page, its timeline, the plan page and every goal's
    page of every demo case, as its case lead, load what they show in their own queries, the
    people they name by their names only (issue 21); afterwards only what READ_WHEN_USED
    says, once, and never a column or a row of a list."""
    from wijkteam.plans.models import Goal, Plan

    with app.app_context():
        cases = db.execute(
            select(Case.id, User.email).join(User, User.id == Case.lead_id).order_by(Case.id)
        ).all()
        goals = db.execute(select(Plan.case_id, Goal.id).join(Goal.plan)).all()
    pages = 0
    clients: dict[str, Any] = {}
    for case_id, email in cases:
        client = _lead_client(app, clients, email)
        paths = [f"/cases/{case_id}{page}" for page in (*WITH_MEMBERS, "/timeline")]
        paths += [f"/cases/{case_id}/plan/goals/{g}" for c, g in goals if c == case_id]
        for path in paths:
            allowed = set(READ_WHEN_USED)
            if path.removeprefix(f"/cases/{case_id}") in WITH_MEMBERS:
                allowed.discard("relationship Family.members")
            # 403 and 404: a closed case's note form, a goal of another plan
            if _get_loading_nothing_lazily(client, path, allowed, (200, 403, 404)) == 200:
                pages += 1
    assert pages > 4 * len(cases)


def test_the_plans_other_pages_load_nothing_lazily(app):
    """Issue 21: every other page of every demo plan (its forms, the ladder, the versions,
    what changed, the strengths, each goal's and action's and score's forms), as the case
    lead, loads what it shows in its own queries: the pages that show no score read none (a
    plan of some years holds hundreds), and nothing is read one by one afterwards."""
    from wijkteam.plans.models import Action, Goal, Plan, PlanVersion, ScaleScore

    with app.app_context():
        cases = db.execute(
            select(Case.id, User.email)
            .join(User, User.id == Case.lead_id)
            .join(Plan, Plan.case_id == Case.id)
            .where(Case.status != CaseStatus.CLOSED)
            .order_by(Case.id)
        ).all()
        goals = db.execute(select(Plan.case_id, Goal.id).join(Goal.plan)).all()
        actions = db.execute(
            select(Plan.case_id, Action.id).join(Goal, Goal.plan_id == Plan.id).join(Action)
        ).all()
        scores = db.execute(
            select(Plan.case_id, ScaleScore.id)
            .join(Goal, Goal.plan_id == Plan.id)
            .join(ScaleScore)
            .where(ScaleScore.voided_at.is_(None))
        ).all()
        versions = db.execute(select(Plan.case_id, PlanVersion.number).join(PlanVersion)).all()
    plan_pages = ("/goals/new", "/edit", "/ladder", "/regie", "/successes/new", "/strengths")
    plan_pages += ("/finalise", "/changes")
    goal_pages = ("", "/edit", "/status", "/actions/new", "/scores/new", "/second-language")
    pages = 0
    seen: Counter[str] = Counter()
    clients: dict[str, Any] = {}
    # the cases with the most goals first: their pages have the most to load one by one
    most = Counter(c for c, _g in goals)
    cases.sort(key=lambda row: -most[row[0]])
    # the strengths page reads the candidates' audience members in one selectinload; an
    # action's form reads the action's goal (handing it over, as for a score, made a service's
    # later snapshot in the same session miss an action added by id)
    allowed = {
        *READ_WHEN_USED,
        "relationship NotePart.audience_member",
        "relationship Action.goal",
    }
    for case_id, email in cases:
        client = _lead_client(app, clients, email)
        base = f"/cases/{case_id}/plan"
        paths = [base + page for page in plan_pages]
        paths += [
            f"{base}/goals/{g}{page}" for c, g in goals if c == case_id for page in goal_pages
        ]
        paths += [
            f"{base}/actions/{a}{page}"
            for c, a in actions
            if c == case_id
            for page in ("/edit", "/checked")
        ]
        paths += [
            f"{base}/scores/{s}{page}"
            for c, s in scores
            if c == case_id
            for page in ("/edit", "/void")
        ]
        paths += [f"{base}/versions/{n}" for c, n in versions if c == case_id]
        for path in paths:
            kind = re.sub(r"/\d+", "/N", path.removeprefix(base))
            if seen[kind] >= EACH_PAGE:  # each page a few times, on different plans
                continue
            if _get_loading_nothing_lazily(client, path, allowed, (200, 302, 403, 404)) == 200:
                seen[kind] += 1
                pages += 1
    assert set(seen) >= {"/finalise", "/versions/N", "/goals/N", "/scores/N/edit"}, seen
    assert pages >= 3 * len(seen)


EACH_PAGE = 4


def test_the_dashboards_lists_in_one_query_equal_their_own_statements(app):
    """Issue 21: the dashboard reads its lists of sign-off requests, and the team lead's lists
    of cases brought in for discussion, in one query each; for every demo user they are the
    lists the statements of their own give, item by item and in order (the limits too: one
    and two waiting cases a page). Each is a plain row (`Listed`, `ItemLine`) that holds
    what the mapped request or item and the rows it names hold."""
    from wijkteam.discussions import queries as discussions
    from wijkteam.discussions.models import DiscussionItem
    from wijkteam.reviews import queries as reviews
    from wijkteam.reviews.models import Review

    def request_as_listed(r: Any) -> Any:
        return reviews.Listed(
            r.id,
            r.case_id,
            r.kind,
            r.ref_id,
            r.title,
            r.status,
            r.comment,
            r.requested_by_id,
            r.requested_by.display_name,
        )

    def item_as_line(i: Any) -> Any:
        held_on = i.discussion.held_on if i.discussion is not None else None
        name = i.case.family.name
        return discussions.ItemLine(
            i.id, name, i.need, i.status, i.submitted_by.display_name, held_on
        )

    seen = {"to sign": 0, "asked": 0, "waiting": 0, "mine": 0, "on an agenda": 0}
    with app.test_request_context():
        for user in db.scalars(select(User).where(User.team_id.is_not(None))).all():
            waiting = reviews.waiting_for_me(user)
            mine_alone = reviews.mine(user)
            own = (waiting.items, mine_alone.waiting, mine_alone.returned)
            to_sign, asked = reviews.for_the_dashboard(user)
            one = (to_sign.items, asked.waiting, asked.returned)
            assert [[r.id for r in part] for part in one] == [[r.id for r in p] for p in own]
            assert to_sign.more == waiting.more and asked.more == mine_alone.more
            for listed in (r for part in one for r in part):
                assert listed == request_as_listed(db.get(Review, listed.id))
            seen["to sign"] += len(one[0])
            seen["asked"] += len(one[1]) + len(one[2])
            for per_page in (1, 2, 10):
                shown, mine = discussions.for_the_dashboard(user, per_page=per_page)
                expected = discussions.waiting_items(user, per_page=per_page)
                assert shown.items == [item_as_line(i) for i in expected.items]
                assert shown.more == expected.more
                assert mine == discussions.my_open_items(user)
                for line in mine.items:
                    assert line == item_as_line(db.get(DiscussionItem, line.id))
                seen["waiting"] += len(shown.items)
                seen["mine"] += len(mine.items)
                seen["on an agenda"] += sum(line.held_on is not None for line in mine.items)
    assert all(seen.values()), seen


def test_the_dashboard_reads_every_list_in_one_statement_as_each_reads_alone(app):
    """Issue 21: the dashboard reads its lists (sign-off requests, cases brought in, the
    caseload, the next meetings, tasks, checks and hand-overs) as one
    (`dashboard.lists.lists`: one statement on PostgreSQL). For every demo user, in each of
    their views, each list is the list its own function gives, row by row and in order, with
    its limit: the caseload as `caseload` counts it, the meetings as `upcoming`, the tasks as
    the mapped tasks hold them."""
    from wijkteam.cases.queries import recent_handovers, visible_case_ids
    from wijkteam.dashboard import lists as dashboard_lists
    from wijkteam.dashboard import queries as dashboard
    from wijkteam.discussions import queries as discussions
    from wijkteam.discussions.models import Task
    from wijkteam.reviews import queries as reviews

    def task_as_line(t: Any) -> Any:
        return discussions.TaskLine(
            t.id, t.case_id, t.case.family.name, t.text, t.due_on, t.version
        )

    def load_row(c: Any) -> tuple[Any, ...]:
        person = (c.user.id, c.user.display_name, c.user.work_percent)
        return (*person, c.open_cases, c.new_this_month, c.as_duo, c.norm)

    seen: Counter[str] = Counter()
    with app.test_request_context():
        users = db.scalars(select(User).where(User.team_id.is_not(None))).all()
        for user in users:
            views = (
                [(True, False), (False, True)] if user.role == Role.TEAMLEAD else [(False, True)]
            )
            for whole_team, mine in views:
                got = dashboard_lists.lists(user, whole_team=whole_team, mine=mine)
                assert (got.to_sign, got.asked) == reviews.for_the_dashboard(user)
                assert got.my_items == discussions.my_open_items(user)
                tasks = db.scalars(
                    select(Task)
                    .where(
                        Task.owner_id == user.id,
                        Task.done_on.is_(None),
                        Task.case_id.in_(visible_case_ids()),
                    )
                    .order_by(Task.due_on, Task.id),
                    {"team_id": user.team_id},
                ).all()
                shown = discussions.MY_TASKS_SHOWN
                assert got.tasks.items == [task_as_line(t) for t in tasks[:shown]]
                assert got.tasks.more == (len(tasks) > shown)
                assert got.tasks == discussions.my_tasks(user)
                assert got.checks == dashboard.my_checks(user)
                assert got.handovers == recent_handovers(user, mine=mine)
                if whole_team:
                    waiting, _mine = discussions.for_the_dashboard(
                        user, per_page=dashboard_lists.DASHBOARD_WAITING
                    )
                    assert got.waiting_items == waiting
                    assert got.caseload is not None
                    assert [load_row(c) for c in got.caseload] == [
                        load_row(c) for c in dashboard.caseload(user)
                    ]
                    coming = discussions.upcoming(user, limit=discussions.DASHBOARD_COMING)
                    assert got.next_discussions == [
                        discussions.ComingLine(d.id, d.held_on, n) for d, n in coming.items
                    ]
                    seen["caseload"] += len(got.caseload)
                    seen["coming"] += len(got.next_discussions)
                    seen["waiting"] += len(waiting.items)
                else:
                    assert got.waiting_items is None and got.caseload is None
                    assert got.next_discussions == []
                seen["to sign"] += len(got.to_sign.items)
                seen["asked"] += len(got.asked.waiting) + len(got.asked.returned)
                seen["my items"] += len(got.my_items.items)
                seen["tasks"] += len(got.tasks.items)
                seen["checks"] += len(got.checks.items)
                seen["handovers"] += len(got.handovers.items)
    wanted = ("to sign", "asked", "my items", "tasks", "checks", "caseload", "coming", "waiting")
    assert all(seen[k] for k in wanted), seen
