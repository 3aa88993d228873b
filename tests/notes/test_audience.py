"""Who of the family may read each part of a note: ages, the readers, the visibility of every
audience for every kind of reader, the rule's default, and the form (with what an attacker
might send instead of an option)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from tests.factories import app_api as api
from tests.factories import cases as c
from tests.factories.cases import lisa_and_noah, person
from wijkteam.cases.models import Family, FamilyMember, MemberRole
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.core.errors import FieldError
from wijkteam.notes.models import Audience, Note, NoteAddendum, NotePart, PartKind
from wijkteam.notes.readers import (
    Reader,
    addendum_visible_to,
    age_on,
    default_audience,
    parent_ids,
    parents_with_authority,
    part_visible_to,
    readers_for,
)

TODAY = clock.today()


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def aged(years: int, day: date = TODAY, days_past_birthday: int = 40) -> date:
    """A date of birth that makes someone `years` old on `day`, a while after their birthday."""
    return years_before(day - timedelta(days=days_past_birthday), years)


# --- Pure functions, on family members that are never saved --------------------------------


def member(member_id: int, name: str, role: MemberRole, born: date | None) -> FamilyMember:
    m = FamilyMember(id=member_id, first_name=name, last_name="Kaya", role=role)
    m.date_of_birth = born
    return m


@pytest.fixture
def kaya() -> Family:
    """Ayşe and Mehmet (parents), Emre (17), Zeynep (13) and Can (9)."""
    family = Family(id=1, name="Kaya")
    family.members = [
        member(1, "Ayşe", MemberRole.PARENT, aged(45)),
        member(2, "Mehmet", MemberRole.PARENT, aged(49)),
        member(3, "Emre", MemberRole.CHILD, aged(17)),
        member(4, "Zeynep", MemberRole.CHILD, aged(13)),
        member(5, "Can", MemberRole.CHILD, aged(9)),
    ]
    return family


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (date(2014, 6, 15), date(2026, 6, 14), 11),
        (date(2014, 6, 15), date(2026, 6, 15), 12),  # the birthday itself counts
        (date(2010, 6, 15), date(2026, 6, 14), 15),
        (date(2010, 6, 15), date(2026, 6, 15), 16),
        (date(2008, 6, 15), date(2026, 6, 15), 18),
        (date(1980, 1, 27), date(2026, 6, 15), 46),
        (date(2012, 2, 29), date(2024, 2, 29), 12),
        (date(2012, 2, 29), date(2025, 2, 28), 12),  # not yet 13 on the 28th
        (date(2012, 2, 29), date(2025, 3, 1), 13),
        (date(2026, 6, 15), date(2026, 6, 15), 0),
    ],
)
def test_age_on(born, day, age):
    assert age_on(member(1, "X", MemberRole.CHILD, born), day) == age


def test_age_without_a_date_of_birth_is_unknown():
    assert age_on(member(1, "X", MemberRole.OTHER, None), TODAY) is None


def test_parents_with_authority_are_the_parents_unless_the_team_recorded_otherwise(ctx, kaya):
    """By the role a parent holds parental authority and another carer (a grandparent, a
    step-parent) does not: until 2026-12-04 every other carer read and signed as a parent with
    authority. What the team records for an adult counts: a guardian who is another carer
    does, a parent without authority does not; a child never does."""
    hasan = member(6, "Hasan", MemberRole.OTHER_CARER, aged(40))
    kaya.members += [hasan, member(7, "Oma", MemberRole.OTHER, None)]
    assert [m.first_name for m in parents_with_authority(kaya)] == ["Ayşe", "Mehmet"]
    assert parent_ids(kaya) == {1, 2}
    hasan.authority = True  # the children's guardian (voogd)
    kaya.members[1].authority = False  # Mehmet has no parental authority
    emre = kaya.members[2]
    emre.authority = True  # refused by the form; never counts
    assert [m.first_name for m in parents_with_authority(kaya)] == ["Ayşe", "Hasan"]
    assert parent_ids(kaya) == {1, 6}
    assert readers_for(kaya, TODAY)[0] == (Reader.parents(), "De ouders met gezag (Ayşe en Hasan)")


def test_readers_are_the_parents_and_everyone_of_twelve_or_older(ctx, kaya):
    kaya.members.append(member(6, "Oma", MemberRole.OTHER, None))  # an adult, age unknown
    kaya.members.append(member(7, "Lale", MemberRole.CHILD, None))  # a child, age unknown
    kaya.members.append(member(8, "Deniz", MemberRole.CHILD, aged(12, days_past_birthday=0)))
    kaya.members.append(member(9, "Ela", MemberRole.CHILD, aged(12, days_past_birthday=-1)))
    readers = readers_for(kaya, TODAY)
    assert readers == [
        (Reader.parents(), "De ouders met gezag (Ayşe en Mehmet)"),
        (Reader(1), "Ayşe"),
        (Reader(2), "Mehmet"),
        (Reader(3), "Emre (17 jaar)"),
        (Reader(4), "Zeynep (13 jaar)"),
        (Reader(6), "Oma"),
        (Reader(8), "Deniz (12 jaar)"),  # twelve today: a reader from the birthday on
    ]
    assert Reader.parents() == Reader(None) and Reader.parents().is_parents


def test_readers_of_a_family_without_parents(ctx):
    family = Family(id=2, name="Alleen")
    family.members = [member(1, "Sem", MemberRole.OTHER, aged(19))]
    assert readers_for(family, TODAY) == [
        (Reader.parents(), "De ouders met gezag"),
        (Reader(1), "Sem"),
    ]


# Readers: the parents (P), Ayşe reading as herself (A, a parent), Emre (E, 17), Zeynep (Z, 13,
# Emre's sister when a part is his).
READERS = {"P": Reader.parents(), "A": Reader(1), "E": Reader(3), "Z": Reader(4)}
MATRIX = [
    (Audience.TEAM, None, ""),
    (Audience.FAMILY, None, "PAEZ"),
    (Audience.PARENTS, None, "PA"),
    (Audience.MEMBER, 3, "E"),
    (Audience.MEMBER_AND_PARENTS, 3, "PAE"),
    (Audience.MEMBER, 4, "Z"),
    (Audience.MEMBER_AND_PARENTS, 4, "PAZ"),
    (Audience.MEMBER, 1, "A"),  # a parent's own conversation: not the other parent's
]


@pytest.mark.parametrize(("audience", "member_id", "who"), MATRIX)
def test_who_sees_a_part(kaya, audience, member_id, who):
    part = NotePart(text="x", audience=audience, audience_member_id=member_id)
    parents = parent_ids(kaya)
    seen = {name for name, reader in READERS.items() if part_visible_to(part, reader, parents)}
    assert seen == set(who)
    # Mehmet, the other parent, reading as himself, sees what Ayşe sees as a parent.
    mehmet = part_visible_to(part, Reader(2), parents)
    assert mehmet == ("A" in who and member_id != 1)


def test_without_the_parents_ids_a_parent_as_member_sees_less_never_more():
    part = NotePart(text="x", audience=Audience.PARENTS)
    assert not part_visible_to(part, Reader(1))
    assert part_visible_to(part, Reader.parents())


def test_an_addendum_never_reveals_a_note_the_reader_cannot_see():
    shared, internal = NoteAddendum(text="a", internal=False), NoteAddendum(text="b", internal=True)
    assert addendum_visible_to(shared, parts_visible=True)
    assert not addendum_visible_to(shared, parts_visible=False)
    assert not addendum_visible_to(internal, parts_visible=True)
    assert not addendum_visible_to(internal, parts_visible=False)


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        ([], (Audience.FAMILY, None)),  # nobody ticked
        ([1], (Audience.FAMILY, None)),  # a parent alone
        ([1, 3], (Audience.FAMILY, None)),  # a parent with Emre
        ([3], (Audience.MEMBER, 3)),  # Emre (17) alone
        ([4], (Audience.MEMBER_AND_PARENTS, 4)),  # Zeynep (13) alone
        ([5], (Audience.FAMILY, None)),  # Can (9) alone: the parents read for him
        ([3, 4], (Audience.FAMILY, None)),  # several young people together
        ([4, 5], (Audience.FAMILY, None)),
    ],
)
def test_default_audience(kaya, present, expected):
    people = [m for m in kaya.members if m.id in present]
    assert default_audience(people, kaya, TODAY) == expected


def test_default_audience_at_the_age_boundaries(kaya):
    emre, zeynep, can = kaya.members[2], kaya.members[3], kaya.members[4]
    emre.date_of_birth = years_before(TODAY, 16)  # sixteen today
    assert default_audience([emre], kaya, TODAY) == (Audience.MEMBER, 3)
    assert default_audience([emre], kaya, TODAY - timedelta(days=1)) == (
        Audience.MEMBER_AND_PARENTS,
        3,
    )
    zeynep.date_of_birth = years_before(TODAY, 12)  # twelve today
    assert default_audience([zeynep], kaya, TODAY) == (Audience.MEMBER_AND_PARENTS, 4)
    assert default_audience([zeynep], kaya, TODAY - timedelta(days=1)) == (Audience.FAMILY, None)
    can.date_of_birth = None  # a child of unknown age
    assert default_audience([can], kaya, TODAY) == (Audience.FAMILY, None)
    adult = member(6, "Sem", MemberRole.OTHER, aged(30))
    kaya.members.append(adult)
    assert default_audience([adult], kaya, TODAY) == (Audience.MEMBER, 6)
    stranger = member(99, "Niet", MemberRole.CHILD, aged(17))  # of another family
    assert default_audience([stranger], kaya, TODAY) == (Audience.FAMILY, None)


# --- Through the services and the pages ---------------------------------------------------


@pytest.fixture
def kaya_case(world) -> int:
    """A case of Team Noord (pro.noord) with the Kaya family; Mila turned 12 yesterday."""
    return world.case(
        world.pro_noord,
        name="Kaya",
        members=[
            person("Ayşe", "Kaya", "parent", aged(45)),
            person("Mehmet", "Kaya", "parent", aged(49)),
            person("Emre", "Kaya", "child", aged(17), custody="both_parents"),
            person("Zeynep", "Kaya", "child", aged(13), custody="both_parents"),
            person("Mila", "Kaya", "child", aged(12, days_past_birthday=1), "both_parents"),
            person("Can", "Kaya", "child", aged(9), custody="both_parents"),
        ],
    )


@pytest.fixture
def ids(app, kaya_case) -> dict[str, int]:
    with app.app_context():
        members = db.scalars(select(FamilyMember).order_by(FamilyMember.id)).all()
        return {m.first_name: m.id for m in members}


@pytest.fixture
def notes(client, kaya_case) -> str:
    client.login("pro.noord@test.example")
    return f"/cases/{kaya_case}/notes"


def form_data(**values) -> dict[str, str]:
    data = {
        "contact_on": TODAY.isoformat(),
        "kind": "office",
        "question": "Emre wil zelf kiezen wat hij vertelt.",
        "strengths": "Emre sport drie keer per week.",
        "save_draft": "y",
    }
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


def save(client, url, **values):
    return client.submit(url, form_data(**values), page=url)


def saved_id(resp) -> int:
    assert resp.status_code == 302, unescape(resp.get_data(as_text=True))[-2000:]
    return int(resp.headers["Location"].rsplit("/", 1)[1])


def audiences(app, note_id: int) -> dict[PartKind, tuple[Audience, int | None]]:
    with app.app_context():
        parts = db.get(Note, note_id).parts
        return {p.kind: (p.audience, p.audience_member_id) for p in parts}


def options(html: str, name: str) -> dict[str, str]:
    select_html = html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return {
        value: unescape(label)
        for value, label in re.findall(
            r'<option(?: selected)? value="([^"]*)">([^<]*)<', select_html
        )
    }


def test_the_form_offers_the_family_s_readers(client, notes, ids):
    html = client.get(f"{notes}/new").get_data(as_text=True)
    assert unescape(html).count("Wie mag dit lezen?") == len(PartKind)
    assert "Van 12 tot 16 jaar mogen de jongere en de ouders met gezag het lezen." in unescape(html)
    assert options(html, "question_audience") == {
        "": "Standaard (volgens de regel)",
        "family": "Het hele gezin",
        "parents": "Alleen de ouders met gezag",
        "team": "Alleen het team",
        f"member:{ids['Ayşe']}": "Alleen Ayşe",
        f"member:{ids['Mehmet']}": "Alleen Mehmet",
        f"member:{ids['Emre']}": "Alleen Emre",
        f"member:{ids['Zeynep']}": "Alleen Zeynep",
        f"member_and_parents:{ids['Zeynep']}": "Zeynep en de ouders met gezag",
        f"member:{ids['Mila']}": "Alleen Mila",
        f"member_and_parents:{ids['Mila']}": "Mila en de ouders met gezag",
    }  # nothing for Can (9); no "with the parents" for Emre (17)


def test_only_emre_round_trip(client, notes, ids, app):
    emre = f"member:{ids['Emre']}"
    note_id = saved_id(
        save(
            client,
            f"{notes}/new",
            family_member_ids=str(ids["Emre"]),
            question_audience=emre,
            strengths_audience="team",
        )
    )
    assert audiences(app, note_id) == {
        PartKind.QUESTION: (Audience.MEMBER, ids["Emre"]),
        PartKind.STRENGTHS: (Audience.TEAM, None),
    }
    page = unescape(client.get(f"{notes}/{note_id}").get_data(as_text=True))
    assert "· Alleen Emre</small>" in page
    team_part = page.split("Alleen het team</small>")[0].rsplit("<section", 1)[1]
    assert "internal-note" in team_part  # team-only parts keep their marking
    listing = unescape(client.get(notes).get_data(as_text=True))
    assert "Alleen Emre" in listing
    found = unescape(client.get("/search?q=kiezen").get_data(as_text=True))
    assert "Alleen Emre" in found
    edit = f"{notes}/{note_id}/edit"
    html = client.get(edit).get_data(as_text=True)
    assert f'<option selected value="{emre}">' in html
    assert '<option selected value="team">' in html
    # Saving the draft again as it is keeps both.
    version = re.search(r'name="version" type="hidden" value="(\d*)"', html).group(1)
    resp = save(
        client,
        edit,
        family_member_ids=str(ids["Emre"]),
        question_audience=emre,
        strengths_audience="team",
        version=version,
    )
    assert saved_id(resp) == note_id
    assert audiences(app, note_id)[PartKind.QUESTION] == (Audience.MEMBER, ids["Emre"])


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        ("Emre", (Audience.MEMBER, "Emre")),
        ("Zeynep", (Audience.MEMBER_AND_PARENTS, "Zeynep")),
        ("Can", (Audience.FAMILY, None)),
        ("Ayşe", (Audience.FAMILY, None)),
        (None, (Audience.FAMILY, None)),
    ],
)
def test_standard_follows_the_rule(client, notes, ids, app, present, expected):
    resp = save(client, f"{notes}/new", family_member_ids=str(ids[present]) if present else None)
    note_id = saved_id(resp)
    audience, name = expected
    stored = (audience, ids[name] if name else None)
    assert set(audiences(app, note_id).values()) == {stored}
    # The draft shows what was stored, no longer "by the rule".
    html = client.get(f"{notes}/{note_id}/edit").get_data(as_text=True)
    value = f"{audience.value}:{ids[name]}" if name else audience.value
    assert f'<option selected value="{value}">' in html


def test_whole_note_internal_wins(client, notes, ids, app):
    resp = save(client, f"{notes}/new", all_internal="y", question_audience=f"member:{ids['Emre']}")
    assert set(audiences(app, saved_id(resp)).values()) == {(Audience.TEAM, None)}


@pytest.fixture
def other_family_member(world, app) -> int:
    world.case(world.pro_zuid, name="Bakker", members=lisa_and_noah("Bakker"))
    with app.app_context():
        return db.scalars(
            select(FamilyMember.id).join(Family).where(Family.name == "Bakker")
        ).first()


@pytest.mark.parametrize(
    "value",
    [
        "everyone",
        "Team",
        "member",
        "member:",
        "member_and_parents",
        "family:{Emre}",
        "member:{other}",
        "member_and_parents:{other}",
        "member:{Can}",
        "member_and_parents:{Emre}",  # not offered: Emre decides alone at 17
        "member:99999999999999999999999999",
        "member:{Emre}:{Emre}",
        "member: {Emre}",
    ],
)
def test_what_no_option_offers_is_refused(client, notes, ids, app, other_family_member, value):
    client.english()
    sent = value.format(other=other_family_member, **ids)
    resp = save(client, f"{notes}/new", question_audience=sent, location="Spreekkamer")
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert "Choose one of the options offered." in html
    assert "Spreekkamer" in html  # the typing stays
    with app.app_context():
        assert db.scalar(select(func.count(Note.id))) == 0
        assert db.scalar(select(func.count(NotePart.id))) == 0


def test_a_member_under_twelve_on_the_day_of_the_contact_is_refused(client, notes, ids, app):
    """Mila is 12 today (so the form offers her) but was 11 on the day of the contact."""
    client.english()
    day = (TODAY - timedelta(days=2)).isoformat()
    resp = save(client, f"{notes}/new", contact_on=day, question_audience=f"member:{ids['Mila']}")
    assert resp.status_code == 422
    assert (
        "Mila is younger than 12, or the age is not known: the parents with parental authority "
        "read for them." in unescape(resp.get_data(as_text=True))
    )
    with app.app_context():
        assert db.scalar(select(func.count(Note.id))) == 0


@pytest.mark.parametrize(
    ("audience", "member", "message"),
    [
        (Audience.MEMBER, "other", "Kies iemand uit dit gezin die dit onderdeel mag lezen."),
        (Audience.MEMBER, None, "Kies iemand uit dit gezin die dit onderdeel mag lezen."),
        (Audience.MEMBER_AND_PARENTS, None, "Kies iemand uit dit gezin"),
        (Audience.MEMBER, "Can", "Can is jonger dan 12, of de leeftijd is niet bekend."),
        (Audience.MEMBER_AND_PARENTS, "Can", "Can is jonger dan 12"),
        (Audience.FAMILY, "Emre", "Kies een van de mogelijkheden."),
        (None, "Emre", "Kies een van de mogelijkheden."),
    ],
)
def test_the_service_checks_the_member_itself(
    app, world, kaya_case, ids, other_family_member, audience, member, message
):
    """Not only the form: whoever calls the service (the seed, a script) gets the same rule."""
    member_id = other_family_member if member == "other" else ids[member] if member else None
    with app.test_request_context():
        user = db.get(api.User, world.pro_noord)
        case = db.get(api.Case, kaya_case)
        with pytest.raises(FieldError) as raised:
            c.note(user, case, parts={PartKind.STRENGTHS: ("Tekst", audience, member_id)}, on=TODAY)
        db.rollback()
        assert raised.value.field == "strengths_audience"
        assert message in str(raised.value.message)
        assert db.scalar(select(func.count(Note.id))) == 0


def test_the_family_file_for_the_parents_leaves_out_emre_s_conversation(app, world, kaya_case, ids):
    from wijkteam.printout.family_file import family_file

    with app.test_request_context():
        user = db.get(api.User, world.pro_noord)
        case = db.get(api.Case, kaya_case)
        c.note(
            user,
            case,
            parts={
                PartKind.QUESTION: ("ALLEEN-VOOR-EMRE", Audience.MEMBER, ids["Emre"]),
                PartKind.STRENGTHS: ("EMRE-EN-OUDERS", Audience.MEMBER_AND_PARENTS, ids["Emre"]),
                PartKind.FUTURE: ("ALLEEN-OUDERS", Audience.PARENTS),
                PartKind.COMPLIMENTS: ("HET-HELE-GEZIN", Audience.FAMILY),
                PartKind.FREE_TEXT: ("ALLEEN-TEAM", Audience.TEAM),
            },
            on=TODAY,
        )
        db.commit()
        printed = str(family_file(db.get(api.Case, kaya_case)))
    assert "ALLEEN-VOOR-EMRE" not in printed and "ALLEEN-TEAM" not in printed
    for shown in ("EMRE-EN-OUDERS", "ALLEEN-OUDERS", "HET-HELE-GEZIN"):
        assert shown in printed
