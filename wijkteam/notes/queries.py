"""Notes, the case timeline and search: paginated, with a fixed number of queries."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Integer,
    Select,
    String,
    bindparam,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy import case as sql_case
from sqlalchemy import text as sql_text
from sqlalchemy.orm import joinedload, selectinload

from wijkteam.auth.models import User
from wijkteam.cases.models import Case, Family, FamilyMember
from wijkteam.cases.queries import visible_cases
from wijkteam.core.db import db
from wijkteam.core.enums import LabelledStrEnum
from wijkteam.discussions.models import CaseDiscussion, DiscussionItem, ItemStatus
from wijkteam.network.models import NetworkMeeting
from wijkteam.notes import timeline_words
from wijkteam.notes.models import (
    Audience,
    ContactKind,
    Note,
    NoteAddendum,
    NotePart,
    NoteStatus,
    note_colleagues,
    note_family_members,
    note_network_members,
)
from wijkteam.plans.models import Goal, LadderEntry, Plan, PlanVersion, RegieEntry
from wijkteam.safety.models import MeldcodeStep, SafetyConcern
from wijkteam.web.pagination import Pagination, page_number, paginate


class TimelineKind(LabelledStrEnum):
    """What an event on the case timeline is (and the timeline's filters, in this order)."""

    NOTE = "note", _l("Conversation notes")
    PLAN = "plan", _l("Plan")
    LADDER = "ladder", _l("Participation ladder")
    REGIE = "regie", _l("Regie")
    SAFETY = "safety", _l("Safety")
    MEETING = "meeting", _l("Network meetings")
    DISCUSSION = "discussion", _l("Case discussions")


TIMELINE_KINDS = tuple(TimelineKind)


def _seen_by(user_id: Any) -> Any:
    """The notes a user sees: final ones, and their own drafts (`user_id`: an id, or a bound
    parameter for a statement built once)."""
    return or_(Note.status == NoteStatus.FINAL, Note.author_id == user_id)


# The timeline's statements, built once, bind the reader's id when they run.
_SEEN_BY_READER = _seen_by(bindparam("user_id"))


def _visible_notes(user: User) -> Any:
    """Final notes, plus the user's own drafts."""
    return _seen_by(user.id)


def notes_of_case(case: Case, user: User, page: int, per_page: int) -> Pagination[Any]:
    stmt = (
        select(Note)
        .where(Note.case_id == case.id, _visible_notes(user))
        .options(
            joinedload(Note.author),
            selectinload(Note.parts).joinedload(NotePart.audience_member),
        )
        .order_by(Note.contact_on.desc(), Note.id.desc())
    )
    return paginate(db, stmt, page, per_page)


def get_note_or_404(case: Case, note_id: int, user: User) -> Note:
    note = db.scalar(
        select(Note)
        .where(Note.id == note_id, Note.case_id == case.id, _visible_notes(user))
        .options(
            joinedload(Note.author),
            selectinload(Note.parts).joinedload(NotePart.audience_member),
            selectinload(Note.family_members),
            selectinload(Note.network_members),
            selectinload(Note.colleagues),
            selectinload(Note.addenda).joinedload(NoteAddendum.author),
        )
    )
    if note is None:
        abort(404)
    return note


def _with_people(stmt: Select[Any]) -> Select[Any]:
    return stmt.options(
        selectinload(Note.family_members),
        selectinload(Note.network_members),
        selectinload(Note.colleagues),
    )


def draft_of_form(user: User, case: Case, form_id: str | None) -> Note | None:
    """The note this form instance started (by autosave, or a save by hand), if any: saving
    the same form again continues it instead of starting a second note."""
    if form_id is None:
        return None
    params = {"user_id": user.id, "case_id": case.id, "form_id": form_id}
    return db.scalar(_DRAFT_OF_FORM, params)


_DRAFT_OF_FORM = _with_people(  # built once (issue 21): every save of a new note asks
    select(Note).where(
        Note.author_id == bindparam("user_id"),
        Note.case_id == bindparam("case_id"),
        Note.origin_form_id == bindparam("form_id"),
    )
).options(selectinload(Note.parts))


@dataclass(frozen=True)
class LastNote:
    """The user's own latest note in a case (draft or finished), as the new note form suggests
    from it: its day, kind of contact and place, and the ids of who took part: "family"
    members, "network" members and "colleagues"."""

    contact_on: date
    kind: ContactKind
    location: str
    people: dict[str, set[int]]


def last_note_by(user: User, case: Case) -> LastNote | None:
    """The user's own latest note in this case with who took part, in one query (issue 21:
    the note, then its people, were two)."""
    rows = db.execute(_LAST_NOTE_BY, {"user_id": user.id, "case_id": case.id}).all()
    if not rows:
        return None
    people: dict[str, set[int]] = {"family": set(), "network": set(), "colleagues": set()}
    for row in rows:
        if row.who in people:
            people[row.who].add(row.person_id)
    first = rows[0]
    return LastNote(first.contact_on, first.kind, first.location, people)


# Built once (issue 21). The latest note (a CTE: found once), a row for it and a row for each
# person who took part, each with the note's day, kind and place.
_LAST = (
    select(Note.id, Note.contact_on, Note.kind, Note.location)
    .where(Note.author_id == bindparam("user_id"), Note.case_id == bindparam("case_id"))
    .order_by(Note.contact_on.desc(), Note.id.desc())
    .limit(1)
    .cte("last_note")
)
_LAST_NOTE_BY = union_all(
    select(
        literal("note").label("who"),
        cast(None, Integer).label("person_id"),
        _LAST.c.contact_on,
        _LAST.c.kind,
        _LAST.c.location,
    ),
    *(
        select(literal(kind), column, _LAST.c.contact_on, _LAST.c.kind, _LAST.c.location).join(
            _LAST, table.c.note_id == _LAST.c.id
        )
        for kind, table, column in (
            ("family", note_family_members, note_family_members.c.member_id),
            ("network", note_network_members, note_network_members.c.network_member_id),
            ("colleagues", note_colleagues, note_colleagues.c.user_id),
        )
    ),
)


@dataclass(frozen=True)
class TimelineItem:
    """One event of the case timeline: when, which kind, the object it links to (`ref_id`), and
    what tells what happened. `summary` is the event's own text (a note's first part, a goal,
    a reason); `detail` a code per kind (the contact kind, the ladder level, the regie, the
    Meldcode step, the meeting kind; "goal" or "version" for the plan); `who` the colleague who
    recorded it; `addenda` a note's addenda; `state` "draft" (a note) or "not_applicable" (a
    Meldcode step)."""

    on: date
    kind: TimelineKind
    ref_id: int
    summary: str
    detail: str = ""
    who: str = ""
    addenda: int = 0
    state: str = ""

    @property
    def headline(self) -> str:
        """What happened, in one line: "Home visit · Sanne Kuipers · with 2 addenda"."""
        return timeline_words.headline(self)


_NO_TEXT = cast(literal(None), String)
_NONE = cast(literal(0), Integer)
_CASE_ID = bindparam("case_id", type_=Integer)


def _timeline_parts() -> dict[str, list[Select[Any]]]:
    """SELECTs per kind of event, all with the same columns: on, kind, ref_id, summary,
    detail, who, addenda, state (see TimelineItem), for the case `case_id` as the user
    `user_id` sees it (bound parameters: built once, see `_timeline_statements`). Each joins
    the one user it names, so the page stays one query however many events it shows."""
    plan_ids = select(Plan.id).where(Plan.case_id == _CASE_ID)
    concern_ids = select(SafetyConcern.id).where(SafetyConcern.case_id == _CASE_ID)
    return {
        # A note's summary and addenda are read for the notes of the page only (_with_note_text):
        # for every note of a long case they cost more than the whole page.
        "note": [
            select(
                Note.contact_on.label("on"),
                literal("note").label("kind"),
                Note.id.label("ref_id"),
                _NO_TEXT.label("summary"),
                cast(Note.kind, String).label("detail"),
                User.display_name.label("who"),
                _NONE.label("addenda"),
                cast(Note.status, String).label("state"),
            )
            .join(User, User.id == Note.author_id)
            .where(Note.case_id == _CASE_ID, _SEEN_BY_READER)
        ],
        "plan": [
            select(
                func.date(Goal.created_at).label("on"),
                literal("plan").label("kind"),
                Goal.id.label("ref_id"),
                Goal.text.label("summary"),
                cast(literal("goal"), String).label("detail"),
                _NO_TEXT.label("who"),
                _NONE.label("addenda"),
                _NO_TEXT.label("state"),
            ).where(Goal.plan_id.in_(plan_ids)),
            select(
                PlanVersion.agreed_on.label("on"),
                literal("plan").label("kind"),
                PlanVersion.number.label("ref_id"),
                _NO_TEXT.label("summary"),
                cast(literal("version"), String).label("detail"),
                User.display_name.label("who"),
                _NONE.label("addenda"),
                _NO_TEXT.label("state"),
            )
            .join(User, User.id == PlanVersion.finalised_by_id)
            .where(PlanVersion.plan_id.in_(plan_ids)),
        ],
        "ladder": [
            select(
                LadderEntry.changed_on.label("on"),
                literal("ladder").label("kind"),
                LadderEntry.id.label("ref_id"),
                LadderEntry.reason.label("summary"),
                cast(LadderEntry.level, String).label("detail"),
                User.display_name.label("who"),
                _NONE.label("addenda"),
                _NO_TEXT.label("state"),
            )
            .join(User, User.id == LadderEntry.recorded_by_id)
            .where(LadderEntry.plan_id.in_(plan_ids))
        ],
        "regie": [
            select(
                RegieEntry.changed_on.label("on"),
                literal("regie").label("kind"),
                RegieEntry.id.label("ref_id"),
                RegieEntry.reason.label("summary"),
                cast(RegieEntry.regie, String).label("detail"),
                User.display_name.label("who"),
                _NONE.label("addenda"),
                _NO_TEXT.label("state"),
            )
            .join(User, User.id == RegieEntry.recorded_by_id)
            .where(RegieEntry.plan_id.in_(plan_ids))
        ],
        "safety": [
            select(
                MeldcodeStep.done_on.label("on"),
                literal("safety").label("kind"),
                MeldcodeStep.concern_id.label("ref_id"),
                SafetyConcern.title.label("summary"),
                cast(MeldcodeStep.step, String).label("detail"),
                User.display_name.label("who"),
                _NONE.label("addenda"),
                cast(
                    sql_case((MeldcodeStep.not_applicable, literal("not_applicable")), else_=""),
                    String,
                ).label("state"),
            )
            .join(SafetyConcern, SafetyConcern.id == MeldcodeStep.concern_id)
            .join(User, User.id == MeldcodeStep.done_by_id)
            .where(MeldcodeStep.concern_id.in_(concern_ids))
        ],
        "meeting": [
            select(
                NetworkMeeting.held_on.label("on"),
                literal("meeting").label("kind"),
                NetworkMeeting.id.label("ref_id"),
                NetworkMeeting.agreed.label("summary"),
                cast(NetworkMeeting.kind, String).label("detail"),
                User.display_name.label("who"),
                _NONE.label("addenda"),
                _NO_TEXT.label("state"),
            )
            .join(User, User.id == NetworkMeeting.recorded_by_id)
            .where(NetworkMeeting.case_id == _CASE_ID)
        ],
        "discussion": [
            select(
                CaseDiscussion.held_on.label("on"),
                literal("discussion").label("kind"),
                DiscussionItem.id.label("ref_id"),
                cast(
                    func.coalesce(func.nullif(DiscussionItem.decisions, ""), DiscussionItem.advice),
                    String,
                ).label("summary"),
                _NO_TEXT.label("detail"),
                _NO_TEXT.label("who"),
                _NONE.label("addenda"),
                _NO_TEXT.label("state"),
            )
            .join(CaseDiscussion, CaseDiscussion.id == DiscussionItem.discussion_id)
            .where(
                DiscussionItem.case_id == _CASE_ID,
                DiscussionItem.status == ItemStatus.DISCUSSED,
            )
        ],
    }


def _with_note_text(shown: Any) -> Select[Any]:
    """The page's events with each note's summary (its first part, in the order of the
    conversation) and its addenda (every one the note page shows its reader, who may see the
    note; the internal ones included: they are the team's, the family's papers leave them out).
    Still one query; the subqueries run for the notes of the page only."""
    is_note = shown.c.kind == "note"
    first_part = (
        select(NotePart.text)
        .where(NotePart.note_id == shown.c.ref_id)
        .order_by(NotePart.id)
        .limit(1)
        .scalar_subquery()
    )
    addenda = (
        select(func.count(NoteAddendum.id))
        .where(NoteAddendum.note_id == shown.c.ref_id)
        .scalar_subquery()
    )
    return select(
        shown.c.on,
        shown.c.kind,
        shown.c.ref_id,
        sql_case((is_note, func.coalesce(first_part, "")), else_=shown.c.summary).label("summary"),
        shown.c.detail,
        shown.c.who,
        sql_case((is_note, addenda), else_=shown.c.addenda).label("addenda"),
        shown.c.state,
    ).order_by(shown.c.on.desc(), shown.c.kind, shown.c.ref_id.desc())


# The notes of the case `case_id` that the user `user_id` may see on its timeline, counted.
_NOTES_SEEN = select(func.count(Note.id)).where(Note.case_id == _CASE_ID, _SEEN_BY_READER)


@functools.cache
def _timeline_statements(kind: str | None) -> tuple[Select[Any], Select[Any]]:
    """The timeline's count and page statements for one kind of event (None: all), built once
    per kind and process (issue 21: built for every request, a long UNION cost more to build
    and to find in SQLAlchemy's statement cache than to run). Bound parameters: case_id,
    user_id, depth (how many rows each kind gives: the events up to the page's end), limit
    and offset (the page)."""
    parts = _timeline_parts()
    chosen = parts[kind] if kind in parts else [s for selects in parts.values() for s in selects]
    # The count adds up each kind's own count: no UNION of every row with its columns, and a
    # case's notes are counted from their index (the join to their author, whose id is never
    # empty, cannot drop a note; issue 21: the busy case's 2,000 notes 1.0 -> 0.17 ms).
    counts = [
        _NOTES_SEEN
        if part is parts["note"][0]
        else select(func.count()).select_from(part.subquery())
        for part in chosen
    ]
    count = select(
        sum((each.scalar_subquery() for each in counts[1:]), counts[0].scalar_subquery())
    )
    depth = bindparam("depth", type_=Integer)
    # Each kind of event gives at most the rows of the pages up to this one, newest first (in
    # the order below, a kind's rows keep their own order): a case's long history is not
    # joined and sorted whole for its first page (issue 21; ix_notes_case_id_contact_on).
    events = union_all(
        *(
            select(
                part.order_by(
                    part.selected_columns["on"].desc(), part.selected_columns["ref_id"].desc()
                )
                .limit(depth)
                .subquery()
            )
            for part in chosen
        )
    ).subquery("events")
    order = (events.c.on.desc(), events.c.kind, events.c.ref_id.desc())
    shown = (
        select(events)
        .order_by(*order)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )
    return count, _with_note_text(shown.subquery("shown"))


def timeline(case: Case, user: User, kind: str | None, page: int, per_page: int) -> Pagination[Any]:
    """Everything that happened in the case, newest first: one COUNT and one page query."""
    count, page_rows = _timeline_statements(str(kind) if kind in TIMELINE_KINDS else None)
    params = {"case_id": case.id, "user_id": user.id}
    total = db.scalar(count, params) or 0
    page = page_number(page, total, per_page)
    params |= {"depth": page * per_page, "limit": per_page, "offset": (page - 1) * per_page}
    rows = db.execute(page_rows, params).all()
    items = [
        TimelineItem(
            on=row.on if isinstance(row.on, date) else date.fromisoformat(str(row.on)[:10]),
            kind=TimelineKind(row.kind),
            ref_id=int(row.ref_id),
            summary=str(row.summary or ""),
            detail=str(row.detail or ""),
            who=str(row.who or ""),
            addenda=int(row.addenda or 0),
            state=str(row.state or ""),
        )
        for row in rows
    ]
    return Pagination(items=items, page=page, per_page=per_page, total=total)


@dataclass(frozen=True)
class SearchHit:
    case_id: int
    family_name: str
    kind: str  # "note" or "goal"
    ref_id: int
    on: date | None
    text: str
    audience: Audience | None  # a note part's (a goal has none)
    audience_member: str = ""  # the first name an audience of one member names

    @property
    def audience_words(self) -> str:
        return self.audience.describe(self.audience_member) if self.audience else ""


SEARCH_COUNT_CAP = 1000


def _fts5_query(q: str) -> str:
    """Each word as a quoted prefix term: typing 'fiets' finds 'fietsplan'."""
    words = [w.replace('"', '""') for w in q.split() if w.strip('"')]
    return " ".join(f'"{w}"*' for w in words) or '""'


def _matches(column: Any, q: str) -> Any:
    dialect = db.get_bind().dialect.name
    if dialect == "postgresql":
        # Uses the GIN index made in the notes migration (Dutch stemming).
        return func.to_tsvector("dutch", column).op("@@")(func.plainto_tsquery("dutch", q))
    if dialect == "sqlite" and column is NotePart.text:
        # The FTS5 index made in the search migration (words, not substrings).
        fts: Select[Any] = (
            select(literal_column("rowid"))
            .select_from(sql_text("note_parts_fts"))
            .where(literal_column("note_parts_fts").op("MATCH")(_fts5_query(q)))
        )
        return NotePart.id.in_(fts)
    return column.ilike(f"%{q}%")


def search(user: User, q: str, page: int, per_page: int) -> Pagination[Any]:
    """Notes and goals matching `q`, only in cases the user may see; drafts only their own."""
    case_ids = visible_cases(user).with_only_columns(Case.id)
    note_hits = (
        select(
            Note.case_id.label("case_id"),
            Family.name.label("family_name"),
            literal("note").label("kind"),
            Note.id.label("ref_id"),
            Note.contact_on.label("on"),
            NotePart.text.label("text"),
            cast(NotePart.audience, String).label("audience"),
            FamilyMember.first_name.label("audience_member"),
        )
        .join(NotePart, NotePart.note_id == Note.id)
        .outerjoin(FamilyMember, FamilyMember.id == NotePart.audience_member_id)
        .join(Case, Case.id == Note.case_id)
        .join(Family, Family.id == Case.family_id)
        .where(Note.case_id.in_(case_ids), _visible_notes(user), _matches(NotePart.text, q))
    )
    goal_hits = (
        select(
            Plan.case_id.label("case_id"),
            Family.name.label("family_name"),
            literal("goal").label("kind"),
            Goal.id.label("ref_id"),
            func.date(Goal.created_at).label("on"),
            Goal.text.label("text"),
            cast(literal(None), String).label("audience"),
            cast(literal(None), String).label("audience_member"),
        )
        .join(Plan, Plan.id == Goal.plan_id)
        .join(Case, Case.id == Plan.case_id)
        .join(Family, Family.id == Case.family_id)
        .where(Plan.case_id.in_(case_ids), _matches(Goal.text, q))
    )
    hits = union_all(note_hits, goal_hits).subquery("hits")
    # Counting every hit of a common word costs more than the page itself: count up to a cap.
    capped = select(hits.c.ref_id).limit(SEARCH_COUNT_CAP + 1).subquery()
    total = db.scalar(select(func.count()).select_from(capped)) or 0
    page = page_number(page, total, per_page)
    rows = db.execute(
        select(hits)
        .order_by(hits.c.on.desc(), hits.c.ref_id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    items = [
        SearchHit(
            case_id=row.case_id,
            family_name=row.family_name,
            kind=row.kind,
            ref_id=row.ref_id,
            on=row.on
            if isinstance(row.on, date) or row.on is None
            else date.fromisoformat(str(row.on)[:10]),
            text=row.text,
            audience=Audience(row.audience) if row.audience else None,
            audience_member=row.audience_member or "",
        )
        for row in rows
    ]
    return Pagination(items=items, page=page, per_page=per_page, total=total)
