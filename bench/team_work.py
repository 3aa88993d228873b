"""The work around the cases that the team lead's dashboard reads, on top of build() and
add_notes(): dates relative to today, agreed plan versions with sign-off reviews, actions (a few
overdue), the latest ladder step, recent contact, safety concerns with Meldcode steps, and per
team case discussions (meetings with attendees and guests, agenda items, tasks).

Every choice for a case is drawn from a random generator seeded with that case's id, every choice
for a team from one seeded with the team's id. With teams of a fixed size (Shape.team_size),
team 1 gets the same cases, plans, signals and meetings at 100 and at 10,000 families; only the
rest of the database grows. With the shares in SHARES about a quarter of the open cases are on
the dashboard; `attention_counts()` says what came out.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from case_pages import Shape, finish_postgresql, insert_rows
from sqlalchemy import bindparam, func, select, update

from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core import clock
from wijkteam.core.db import db, make_engine
from wijkteam.dashboard.queries import attention
from wijkteam.discussions.models import (
    CaseDiscussion,
    DiscussionGuest,
    DiscussionItem,
    Task,
    discussion_attendees,
)
from wijkteam.notes.models import Note
from wijkteam.plans.models import Action, Goal, LadderEntry, Plan, PlanVersion
from wijkteam.reviews.models import Review
from wijkteam.safety.models import MeldcodeStep, SafetyConcern

SHARES = {
    "duo": 0.4,  # open cases with a duo colleague
    "evaluation_passed": 0.05,  # plans whose evaluation date has passed
    "quiet": 0.05,  # open cases without contact for more than six weeks
    "agreed": 0.97,  # plans of cases past intake with an agreed version
    "action_forgotten": 0.025,  # actions past their due date that are not done
    "low_ladder": 0.03,  # plans whose latest ladder step is level 1-2 for three months
    "concern_waiting": 0.02,  # open cases with a concern waiting on a Meldcode step
    "concern_done": 0.03,  # open cases with a concern whose five steps are done
    "review_waiting": 0.08,  # latest agreed versions waiting for the team lead's sign-off
    "review_returned": 0.03,  # latest agreed versions sent back with a comment
}
MEETING_EVERY_DAYS = 14
PAST_MEETINGS = 26  # a year of case discussions per team
ACTION_TEXTS = (
    "Samen een weekplanning maken.",
    "Bellen met de school over de afspraken.",
    "Oma vragen of zij op woensdag kan oppassen.",
    "De brief van de gemeente samen lezen.",
    "Aanmelden bij de sportclub.",
    "Een afspraak maken bij de huisarts.",
)
OWNERS = (("family", ""), ("family", ""), ("network", "Buurvrouw"), ("professional", "Collega"))
QUESTIONS = (
    "Hoe krijgen we vader weer betrokken bij de afspraken?",
    "Is de zorg om de jongste genoeg om verder te gaan dan vrijwillige hulp?",
    "Wie kan als duo mee naar het volgende huisbezoek?",
    "Past specialistische hulp hier, of eerst het netwerk?",
)
NEEDS = ("advice", "decision", "second_look", "duo")
INSERTED = (
    PlanVersion,
    LadderEntry,
    Action,
    SafetyConcern,
    MeldcodeStep,
    Review,
    CaseDiscussion,
    DiscussionGuest,
    DiscussionItem,
    Task,
)


def _stamp(on: date) -> datetime:
    return datetime.combine(on, time(10), UTC)


class TeamWork:
    """Collects the rows and updates for one database, then writes them in bulk."""

    def __init__(self, conn: Any, shape: Shape, today: date) -> None:
        self.shape, self.today = shape, today
        self.rows: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        self.updates: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.next_id = {
            model: (conn.scalar(select(func.max(model.id))) or 0) + 1 for model in INSERTED
        }
        self.cases = {
            row.id: row for row in conn.execute(select(Case.id, Case.status, Case.lead_id))
        }
        self.plans = dict(conn.execute(select(Plan.case_id, Plan.id)).all())
        self.goals: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for goal_id, plan_id, status in conn.execute(
            select(Goal.id, Goal.plan_id, Goal.status).order_by(Goal.id)
        ):
            self.goals[plan_id].append((goal_id, str(status)))
        self.last_final_note = dict(
            conn.execute(
                select(Note.case_id, func.max(Note.id))
                .where(Note.status == "final")
                .group_by(Note.case_id)
            ).all()
        )
        self.opened: dict[int, date] = {}

    def add(self, model: Any, **row: Any) -> int:
        """Queue a row with the next free id; returns that id."""
        row["id"] = self.next_id[model]
        self.next_id[model] += 1
        self.rows[model].append(row)
        return row["id"]

    # --- per case ----------------------------------------------------------------------

    def case(self, case_id: int) -> None:
        r = random.Random(f"case-{case_id}")
        case = self.cases[case_id]
        status, today = str(case.status), self.today
        is_open = status != "closed"
        back = {"intake": (0, 50), "active": (50, 700), "closed": (200, 700)}[status]
        opened = self.opened[case_id] = today - timedelta(days=r.randint(*back))
        colleagues = [
            u for u in self.shape.users_of(self.shape.team_of(case_id)) if u != case.lead_id
        ]
        self.updates["cases"].append(
            {
                "b_id": case_id,
                "b_opened": opened,
                "b_duo": r.choice(colleagues) if is_open and r.random() < SHARES["duo"] else None,
                "b_closed": None if is_open else opened + timedelta(days=r.randint(90, 190)),
                "b_reason": None if is_open else r.choice(("goals_reached", "referred")),
            }
        )
        if is_open and case_id in self.last_final_note:
            if r.random() < SHARES["quiet"]:
                self.updates["quiet"].append({"case_id": case_id})
            else:
                self.updates["notes"].append(
                    {
                        "b_id": self.last_final_note[case_id],
                        "b_on": today - timedelta(days=r.randint(0, 40)),
                    }
                )
        if case_id in self.plans:
            self.plan(r, case_id, status)
        if is_open:
            self.safety(r, case_id)

    def plan(self, r: random.Random, case_id: int, status: str) -> None:
        today, plan_id, lead = self.today, self.plans[case_id], self.cases[case_id].lead_id
        started = min(today, self.opened[case_id] + timedelta(days=r.randint(0, 20)))
        if r.random() < SHARES["evaluation_passed"]:
            evaluation = today - timedelta(days=r.randint(1, 40))
        else:
            evaluation = today + timedelta(days=r.randint(1, 180))
        self.updates["plans"].append({"b_id": plan_id, "b_started": started, "b_eval": evaluation})
        agreed = r.random() < (SHARES["agreed"] if status != "intake" else 0.3)
        number, agreed_on = 0, started
        while agreed and number < 3 and agreed_on < today:
            number += 1
            agreed_on = min(today, agreed_on + timedelta(days=r.randint(7, 120)))
            self.add(
                PlanVersion,
                plan_id=plan_id,
                number=number,
                agreed_on=agreed_on,
                agreed_how=r.choice(("in_person", "signed_printout")),
                agreed_by=[f"Persoon0 Fictief{case_id:05d}"],
                note="",
                finalised_by_id=lead,
                finalised_at=_stamp(agreed_on),
                snapshot={
                    "started_on": started.isoformat(),
                    "evaluation_on": evaluation.isoformat(),
                    "ladder_level": None,
                    "regie": None,
                    "goals": [],
                },
            )
            agreed = r.random() < 0.3
        if number:
            self.review(r, case_id, number, agreed_on)
        low = r.random() < SHARES["low_ladder"]
        self.add(
            LadderEntry,
            plan_id=plan_id,
            level=r.choice((1, 2)) if low else r.randint(3, 6),
            changed_on=today - timedelta(days=r.randint(91, 300) if low else r.randint(0, 200)),
            reason="Bij de evaluatie samen opnieuw bekeken.",
            climb_back="",
            safety_concern_id=None,
            recorded_by_id=lead,
            created_at=_stamp(today),
        )
        for goal_id, goal_status in self.goals[plan_id]:
            for _ in range(r.randint(1, 3)):
                due = today + timedelta(days=r.randint(-120, 90))
                if goal_status != "active" or (
                    due < today and r.random() >= SHARES["action_forgotten"]
                ):
                    state = "done"
                else:
                    state = r.choice(("planned", "doing"))
                owner_kind, owner_name = r.choice(OWNERS)
                self.add(
                    Action,
                    goal_id=goal_id,
                    text=r.choice(ACTION_TEXTS),
                    owner_kind=owner_kind,
                    owner_name=owner_name,
                    due_on=due,
                    status=state,
                )

    def review(self, r: random.Random, case_id: int, number: int, agreed_on: date) -> None:
        roll = r.random()
        if roll < SHARES["review_waiting"]:
            state = "waiting"
        elif roll < SHARES["review_waiting"] + SHARES["review_returned"]:
            state = "returned"
        elif roll < 0.7:
            state = "approved"
        else:
            return  # agreed before sign-off existed
        lead = self.cases[case_id].lead_id
        team_lead = self.shape.team_of(case_id)  # users 1..teams lead their team
        decided = agreed_on + timedelta(days=2)
        self.add(
            Review,
            case_id=case_id,
            kind="plan_version",
            ref_id=number,
            title=f"Fictief{case_id:05d}",
            status=state,
            requested_by_id=lead,
            decided_by_id=None if state == "waiting" else team_lead,
            decided_at=None if state == "waiting" else _stamp(decided),
            comment="Graag de stap van vader concreter maken." if state == "returned" else "",
            created_at=_stamp(agreed_on),
            updated_at=_stamp(agreed_on if state == "waiting" else decided),
        )

    def safety(self, r: random.Random, case_id: int) -> None:
        roll = r.random()
        if roll >= SHARES["concern_waiting"] + SHARES["concern_done"]:
            return
        waiting = roll < SHARES["concern_waiting"]
        steps = r.randint(0, 4) if waiting else 5
        opened = max(self.opened[case_id], self.today - timedelta(days=r.randint(5, 200)))
        closed = not waiting and r.random() < 0.5
        lead = self.cases[case_id].lead_id
        concern = self.add(
            SafetyConcern,
            case_id=case_id,
            title="Zorgen over de veiligheid van de jongste",
            opened_on=opened,
            status="closed" if closed else ("open" if steps == 0 else "being_handled"),
            closed_on=min(self.today, opened + timedelta(days=30)) if closed else None,
            close_reason="Afspraken lopen goed." if closed else "",
            regie_return="",
            opened_by_id=lead,
        )
        for step in range(1, steps + 1):
            self.add(
                MeldcodeStep,
                concern_id=concern,
                step=step,
                done_on=min(self.today, opened + timedelta(days=step)),
                done_by_id=lead,
                outcome="Besproken en vastgelegd.",
            )

    # --- per team ----------------------------------------------------------------------

    def team(self, team: int) -> None:
        """A year of case discussions every two weeks, two meetings ahead, a few cases waiting."""
        r = random.Random(f"team-{team}")
        today, users = self.today, self.shape.users_of(team)
        open_cases = [c for c in self.shape.cases_of(team) if str(self.cases[c].status) != "closed"]
        if not open_cases:
            return
        meetings = [today - timedelta(days=MEETING_EVERY_DAYS * k - 3) for k in range(1, 27)]
        meetings += [today + timedelta(days=4), today + timedelta(days=4 + MEETING_EVERY_DAYS)]
        for held_on in sorted(meetings):
            past = held_on < today
            discussion = self.add(
                CaseDiscussion,
                team_id=team,
                held_on=held_on,
                starts_at=time(9, 30),
                location="Buurthuis, zaal 2",
                chair_id=team,
            )
            for user in r.sample(users, min(len(users), r.randint(5, 8))):
                self.rows[discussion_attendees].append(
                    {"discussion_id": discussion, "user_id": user}
                )
            if r.random() < 0.3:
                self.add(DiscussionGuest, discussion_id=discussion, name="J. de Boer", role="GGD")
            for position in range(r.randint(3, 5) if past else r.randint(2, 4)):
                self.item(r, team, r.choice(open_cases), held_on, discussion, position)
        for _ in range(r.randint(1, 3)):
            self.item(r, team, r.choice(open_cases), today - timedelta(days=r.randint(1, 20)))

    def item(
        self,
        r: random.Random,
        team: int,
        case_id: int,
        held_on: date,
        discussion: int | None = None,
        position: int = 0,
    ) -> None:
        past = discussion is not None and held_on < self.today
        users = self.shape.users_of(team)
        item = self.add(
            DiscussionItem,
            case_id=case_id,
            submitted_by_id=self.cases[case_id].lead_id,
            question=r.choice(QUESTIONS),
            tried="Gesprekken thuis en met school.",
            need=r.choice(NEEDS),
            status="discussed" if past else ("on_agenda" if discussion else "waiting"),
            discussion_id=discussion,
            position=position,
            summary="Het team ziet vooruitgang." if past else "",
            advice="Netwerk vaker betrekken." if past else "",
            decisions="Duo gaat mee op huisbezoek." if past else "",
            recorded_by_id=team if past else None,
            created_at=_stamp(held_on - timedelta(days=7)),
            updated_at=_stamp(held_on),
        )
        if past and r.random() < 0.5:
            due = held_on + timedelta(days=14)
            self.add(
                Task,
                case_id=case_id,
                item_id=item,
                text="Veilig Thuis raadplegen en terugkoppelen.",
                owner_id=r.choice(users),
                due_on=due,
                done_on=due - timedelta(days=2) if due < self.today and r.random() < 0.9 else None,
                created_by_id=team,
            )

    # --- writing -----------------------------------------------------------------------

    def write(self, conn: Any) -> None:
        cases, plans, notes = Case.__table__, Plan.__table__, Note.__table__
        conn.execute(
            update(cases)
            .where(cases.c.id == bindparam("b_id"))
            .values(
                opened_on=bindparam("b_opened"),
                duo_id=bindparam("b_duo"),
                closed_on=bindparam("b_closed"),
                close_reason=bindparam("b_reason"),
            ),
            self.updates["cases"],
        )
        if self.updates["plans"]:
            conn.execute(
                update(plans)
                .where(plans.c.id == bindparam("b_id"))
                .values(started_on=bindparam("b_started"), evaluation_on=bindparam("b_eval")),
                self.updates["plans"],
            )
        # Quiet cases: the contacts of the last six weeks move back two months.
        quiet = [u["case_id"] for u in self.updates["quiet"]]
        cutoff = self.today - timedelta(days=42)
        moved = []
        for start in range(0, len(quiet), 500):
            moved += [
                {"b_id": note_id, "b_on": on - timedelta(days=60)}
                for note_id, on in conn.execute(
                    select(Note.id, Note.contact_on).where(
                        Note.case_id.in_(quiet[start : start + 500]), Note.contact_on >= cutoff
                    )
                )
            ]
        for changes in (self.updates["notes"], moved):
            if changes:
                conn.execute(
                    update(notes)
                    .where(notes.c.id == bindparam("b_id"))
                    .values(contact_on=bindparam("b_on")),
                    changes,
                )
        for model in INSERTED:
            insert_rows(conn, model, self.rows[model])
        insert_rows(conn, discussion_attendees, self.rows[discussion_attendees])


def add_team_work(url: str, shape: Shape, today: date | None = None) -> dict[str, int]:
    """Add the team work to a database made by build() and add_notes() with this shape;
    returns the number of rows made per table."""
    engine = make_engine(url)
    with engine.begin() as conn:
        work = TeamWork(conn, shape, today or clock.today())
        for case_id in sorted(work.cases):
            work.case(case_id)
        for team in range(1, shape.teams + 1):
            work.team(team)
        work.write(conn)
    finish_postgresql(engine, tuple(model.__tablename__ for model in INSERTED))
    engine.dispose()
    made = {model.__tablename__: len(work.rows[model]) for model in INSERTED}
    made["quiet cases"] = len(work.updates["quiet"])
    return made


def attention_counts(user_id: int) -> Counter[str]:
    """Cases on this team lead's dashboard, and how often each signal shows (app context)."""
    items = attention(db.get(User, user_id), mine=False, per_page=1_000_000).items
    counts: Counter[str] = Counter(signal.kind for item in items for signal in item.signals)
    counts["cases"] = len(items)
    return counts
