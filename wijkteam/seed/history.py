"""The demo's history: families whose support ended in the last two quarters, so that the
outcome overview (issue 20) shows figures and not only "< 5".

Each family is written as a family of seed/demo.yaml would be (a dict of the same shape) and
loaded by `load_family`, through the same services; what it holds is drawn from a generator
seeded with the team's name and the family's number, so every run makes the same families.
They are all closed: a closed case counts in the quarter it closed in, both as closed and as
in care, and it stays off the demo's caseloads and dashboards. Names are made up from parts
(Berkenhof, Lindeveld...): fictional, like everything in the seed.

The services stamp a network member and a plan action with the moment they are saved; a family
replayed today would have had no network and no actions in any earlier quarter. So after
loading, the history's network members are dated to the day the case opened and its actions to
the day their goal was added: the dates of the story, as for the rest of its history.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update

from wijkteam.auth.models import Team, User
from wijkteam.cases.models import Case
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.network.models import NetworkMember
from wijkteam.outcomes.periods import Quarter
from wijkteam.plans.models import Action, Goal, Plan
from wijkteam.resources.models import Resource
from wijkteam.seed.families import load_family

_START = ("Berken", "Linde", "Wilgen", "Essen", "Eiken", "Hazel", "Vlier", "Elzen", "Beuken")
_END = ("hof", "veld", "rode", "horst", "burg", "kamp", "dijk", "meer", "stein", "wijk")
_PARENTS = ("Anouk", "Bram", "Dewi", "Farah", "Jesse", "Kim", "Lotte", "Milan", "Nora", "Ravi")
_CHILDREN = ("Ayla", "Boaz", "Cato", "Daan", "Elin", "Finn", "Isa", "Jip", "Luuk", "Mila")
_QUESTIONS = (
    "Ik wil meer rust in huis, en dat de kinderen op tijd naar school gaan.",
    "Ik wil weer grip op mijn geld, en de rekeningen op tijd betalen.",
    "Ik wil dat mijn zoon en ik weer gewoon met elkaar kunnen praten.",
    "Ik wil hulp bij het opvoeden, nu ik het alleen doe.",
)
_GOALS = (
    (
        "Ik wil dat de ochtenden rustig gaan en dat iedereen op tijd op school is.",
        "De avond ervoor samen de tassen klaarzetten",
    ),
    (
        "Ik wil weten wat er binnenkomt en wat eruit gaat, elke maand.",
        "Alle post in één map doen en die elke week samen openen",
    ),
    (
        "Ik wil één keer per week iets leuks doen met de kinderen.",
        "Samen een lijstje maken van dingen die niets kosten",
    ),
    (
        "Ik wil dat we thuis minder ruzie maken over het huiswerk.",
        "Een vaste tijd en plek voor het huiswerk afspreken",
    ),
)
_STRENGTHS = (
    "Je vraagt hulp als het nodig is.",
    "Je houdt vol, ook als het even tegenzit.",
    "Je kent veel mensen in de buurt.",
    "Je kinderen weten dat je er voor ze bent.",
)
_NETWORK = (
    ("Oma", "family", "moeder van de ouder"),
    ("Buurvrouw Ria", "neighbour", "woont ernaast"),
    ("Vriendin Sanne", "friend", "kent de familie al lang"),
    ("Oom Kees", "family", "broer van de ouder"),
    ("Trainer Mo", "volunteer", "trainer bij de sportclub"),
)
_SAYS = (
    "Het gaat nu veel beter. We doen het zelf.",
    "Een deel is gelukt. Met het geld gaat het nog niet vanzelf.",
    "Het is niet gelukt. We zijn gestopt voordat het klaar was.",
)
# What the families say at the end: each kind of ending, some not answered.
_ENDINGS = (
    ("goals_reached", "together"),
    ("referred", "together"),
    ("family_ended", "family"),
    ("goals_reached", "together"),
    ("other", "team"),
    ("moved", "together"),
)
# Per family: the result of every goal (all reached, mixed, none reached).
_ATTAINMENT = ("reached", "reached", "mixed", "mixed", "not_reached")


def history_families(team: Team, leads: list[str], count: int, today: date) -> list[dict[str, Any]]:
    """`count` closed families of this team, as seed/demo.yaml writes a family; `leads` are
    the e-mail addresses of the team's professionals who lead them in turn."""
    quarters = _quarters(today)
    return [
        _family(team, leads[i % len(leads)], i, quarters[i % len(quarters)], today)
        for i in range(count)
    ]


def load_history(
    team: Team, users: dict[str, User], resources: dict[str, Resource], count: int
) -> tuple[int, int]:
    """Load the history of one team; returns (families created, families already there)."""
    leads = [u.email for u in users.values() if u.team_id == team.id and u.active]
    made = skipped = 0
    for spec in history_families(team, sorted(leads), count, clock.today()):
        case = load_family(team, users, resources, spec)
        if case is None:
            skipped += 1
            continue
        made += 1
        _date_as_told(case, spec)
    return made, skipped


def _quarters(today: date) -> list[Quarter]:
    """The quarters the history closes in: the last ended one, and the current one when a
    month of it has passed (else the one before the last)."""
    now = Quarter.of(today)
    last = now.previous()
    if (today - now.start).days >= 30:
        return [last, now]
    return [last, last.previous()]


def _family(team: Team, lead: str, i: int, quarter: Quarter, today: date) -> dict[str, Any]:
    r = random.Random(f"{team.name}-{i}")  # noqa: S311 - demo data, not a secret
    name = _START[i % len(_START)] + _END[(i // len(_START) + team.id) % len(_END)]
    last_day = min(quarter.end, today - timedelta(days=2))
    closed_on = quarter.start + timedelta(days=r.randint(0, (last_day - quarter.start).days))
    opened_on = closed_on - timedelta(days=r.randint(120, 270))
    started_on = opened_on + timedelta(days=r.randint(7, 28))
    parent, child = _PARENTS[r.randrange(len(_PARENTS))], _CHILDREN[r.randrange(len(_CHILDREN))]
    network = r.sample(_NETWORK, r.randint(1, 4))
    # i // 2: the families of one quarter (every other one) get every kind in turn
    reason, ended_by = _ENDINGS[(i // 2) % len(_ENDINGS)]
    attainment = _ATTAINMENT[(i // 2) % len(_ATTAINMENT)]
    start_level = r.randint(2, 5)
    end_level = max(1, min(6, start_level + r.choice((-1, 1, 1, 1, 2, 0))))
    goals = r.sample(_GOALS, r.randint(1, 2))
    results = [
        r.choice(("reached", "partly")) if attainment == "mixed" else attainment for _ in goals
    ]
    middle = started_on + (closed_on - started_on) / 2
    family: dict[str, Any] = {
        "team": team.name,
        "lead": lead,
        "name": name,
        "question_for_help": r.choice(_QUESTIONS),
        "opened_on": opened_on,
        "status": "closed",
        "members": [
            {
                "first_name": parent,
                "last_name": name,
                "date_of_birth": date(1980 + i % 15, 1 + i % 12, 1 + i % 27),
                "role": "parent",
                "languages": ["Nederlands"],
            },
            {
                "first_name": child,
                "last_name": name,
                "date_of_birth": date(2012 + i % 8, 1 + (i * 5) % 12, 1 + (i * 7) % 27),
                "role": "child",
                "languages": ["Nederlands"],
            },
        ],
        "network": [
            {
                "name": who,
                "kind": kind,
                "related_to": parent,
                "relation": relation,
                "support": ["practical"],
                "closeness": "close",
                "quality": "supportive",
                # Not a key of demo.yaml: the day this person joined (_date_as_told).
                "joined": opened_on if k == 0 or r.random() < 0.6 else middle,
                **(
                    {"may_contact": True, "consent_on": opened_on + timedelta(days=14)}
                    if r.random() < 0.7
                    else {}
                ),
            }
            for k, (who, kind, relation) in enumerate(network)
        ],
        "plan": {
            "started_on": started_on,
            "ladder": [
                {"level": start_level, "reason": "Zo begonnen we samen."},
                *(
                    [
                        {
                            "level": end_level,
                            "on": middle,
                            "reason": "Bij de evaluatie samen bekeken.",
                            "climb_back": "Als het weer rustiger is, beslist de familie weer meer.",
                        }
                    ]
                    if end_level != start_level
                    else []
                ),
            ],
            "regie": [
                {"regie": r.choice(("own", "shared", "shared")), "reason": "Zo begonnen we."},
            ],
            "goals": [
                {
                    "text": text,
                    "about": [parent, child],
                    "first_step": step,
                    "actions": [
                        {"text": step, "owner_kind": "family", "owner": parent},
                        {
                            "text": "Een keer per week even bellen hoe het gaat",
                            "owner_kind": "network",
                            "owner": network[0][0],
                        },
                        *(
                            [
                                {
                                    "text": "Samen het plan bijhouden",
                                    "owner_kind": "professional",
                                    "owner": "wijkteam",
                                }
                            ]
                            if r.random() < 0.5
                            else []
                        ),
                    ],
                    "scores": _scores(r, started_on, closed_on),
                }
                for text, step in goals
            ],
            "strengths": [{"text": text} for text in r.sample(_STRENGTHS, 2)],
            "agreed": [
                {
                    "on": started_on + timedelta(days=r.randint(7, 35)),
                    "how": "in_person",
                    "by": [parent],
                    "explained": "together",
                }
            ]
            if r.random() < 0.9
            else [],
        },
        "closed": {
            "reason": reason,
            "on": closed_on,
            "note": _NOTES[reason],
            "ladder": end_level,
            "regie": "own" if results[0] == "reached" else "shared",
            "ended_by": ended_by,
            "goals": [
                {"goal": k + 1, "result": result, "words": _SAYS[_RESULTS.index(result)]}
                for k, result in enumerate(results)
            ],
            "satisfaction": [
                {
                    "who": parent,
                    "how": r.choice(("family_alone", "with_professional", "by_phone")),
                    "on": closed_on,
                    "heard": r.randint(3, 5),
                    "own_say": r.randint(2, 5),
                    "better_now": r.randint(2, 5),
                    "rating": r.randint(5, 9),
                }
            ]
            if i % 3 != 2  # a third gives no answers: 10 of the 30 in a quarter
            else [],
        },
    }
    return family


_RESULTS = ("reached", "partly", "not_reached")
_NOTES = {
    "goals_reached": "De doelen zijn gehaald. De familie weet dat ze ons weer kan bellen.",
    "referred": "De familie krijgt nu hulp van een andere organisatie. Die kent het plan.",
    "family_ended": "De familie wilde stoppen. We hebben gezegd dat ze altijd terug kan komen.",
    "no_contact": "We kregen geen contact meer. We hebben een brief gestuurd.",
    "other": "We zijn gestopt: er was geen vraag meer waar wij bij konden helpen.",
    "moved": "De familie is verhuisd. Het wijkteam daar weet ervan, als de familie dat wil.",
}


def _scores(r: random.Random, start: date, end: date) -> list[dict[str, Any]]:
    """A score near the start and one two thirds of the way to the end, mostly higher."""
    first = r.randint(2, 6)
    later = max(0, min(10, first + r.choice((-1, 1, 2, 2, 3))))
    days = (end - start).days
    return [
        {"on": start + timedelta(days=3), "family": first, "professional": first},
        {"on": start + timedelta(days=days * 2 // 3), "family": later, "professional": later},
    ]


def _date_as_told(case: Case, spec: dict[str, Any]) -> None:
    """Date the family's network members to the day each joined (most when the case opened)
    and the plan's actions to the day the plan started (module docstring)."""
    for person in spec["network"]:
        joined = datetime.combine(person["joined"], time(10), UTC)
        db.execute(
            update(NetworkMember)
            .where(NetworkMember.family_id == case.family_id, NetworkMember.name == person["name"])
            .values(created_at=joined, updated_at=joined)
        )
    started = datetime.combine(spec["plan"]["started_on"], time(10), UTC)
    goal_ids = select(Goal.id).join(Plan, Plan.id == Goal.plan_id).where(Plan.case_id == case.id)
    db.execute(
        update(Action)
        .where(Action.goal_id.in_(goal_ids))
        .values(created_at=started, updated_at=started)
    )
