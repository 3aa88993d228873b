"""A second text in the family's language (issue 19): a goal's words, an action's words or what
would make a score one point higher, written with an interpreter, by the family or by the
professional. The Dutch stays the plan's text; the second text keeps the Dutch it renders
(`source_text`), so that a change of the Dutch shows: the family's paper prints a second text
only while it is current, else the Dutch, explained orally (wijkteam/printout).

A second text is keyed by what it renders: (object type, object id), e.g. ("action", 12). Who
may write one: whoever may edit the case's plan. An earlier text, changed or removed, is kept
in the history (wijkteam.audit.history)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from wijkteam.audit import history
from wijkteam.audit.services import record
from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core.db import db
from wijkteam.core.errors import EditConflict, FieldError, NotAllowed
from wijkteam.core.permissions import require_can_edit_case
from wijkteam.plans.enums import ActionStatus, SecondTextOf, WrittenHow
from wijkteam.plans.models import Goal, SecondText
from wijkteam.plans.services.rules import MAX_TEXT
from wijkteam.printout import languages
from wijkteam.printout.languages import PrintLanguage

if TYPE_CHECKING:
    from wijkteam.plans.page import GoalCard

Key = tuple[str, int]

CHOOSE_A_LANGUAGE = _l("Choose one of the languages offered.")
DUTCH_IS_THE_PLAN = _l(
    "Dutch is the language the plan is written in. Choose the language of the family."
)
NOT_OF_THIS_GOAL = _l("This text does not belong to this goal. Reload the page and try again.")


@dataclass(frozen=True)
class Seen:
    """What a form showed of one text when it was opened: the version of its second text (None:
    there was none yet) and the Dutch next to it. A save over anything else is a conflict."""

    version: int | None
    dutch: str


def field_of(key: Key) -> str:
    """The name a refusal about one text carries (FieldError.field): "action-12"."""
    return f"{key[0]}-{key[1]}"


def normal(text: str) -> str:
    return " ".join(text.split())


def is_current(second: SecondText, dutch: str) -> bool:
    """Whether the second text still renders this Dutch text (whitespace aside)."""
    return normal(second.source_text) == normal(dutch)


def language_of(lang: str | None) -> PrintLanguage:
    """The print language of a code a page or a caller gives: never Dutch (FieldError "lang")."""
    if lang == "nl":
        raise FieldError("lang", DUTCH_IS_THE_PLAN)
    found = languages.BY_CODE.get(lang or "")
    if found is None:
        raise FieldError("lang", CHOOSE_A_LANGUAGE)
    return found


def dutch_texts(goal: Goal) -> dict[Key, str]:
    """Every Dutch text of the goal that can have a second text: the goal's own words, each of
    its actions (`goal_and_action_texts`) and each of its scores' "one point higher"."""
    texts = goal_and_action_texts(goal)
    for score in goal.scores:
        texts[(SecondTextOf.SCORE.value, score.id)] = score.one_point_higher
    return texts


def goal_and_action_texts(goal: Goal | GoalCard) -> dict[Key, str]:
    """The goal's own words and each of its actions' text: what of a goal the plan page shows
    with its second texts (of the mapped goal, or of the plan page's rows: plans/page.py)."""
    texts: dict[Key, str] = {(SecondTextOf.GOAL.value, goal.id): goal.text}
    for action in goal.actions:
        texts[(SecondTextOf.ACTION.value, action.id)] = action.text
    return texts


def offered(goal: Goal) -> list[Key]:
    """What the page offers to write in the family's language, in the order it shows them: the
    goal, each action that is not stopped, and the latest score's "one point higher" (when it
    has one)."""
    keys: list[Key] = [(SecondTextOf.GOAL.value, goal.id)]
    keys += [
        (SecondTextOf.ACTION.value, a.id) for a in goal.actions if a.status != ActionStatus.STOPPED
    ]
    latest = goal.latest_score
    if latest is not None and latest.one_point_higher.strip():
        keys.append((SecondTextOf.SCORE.value, latest.id))
    return keys


def for_goal(goal: Goal) -> dict[str, dict[Key, SecondText]]:
    """Every second text of a goal, by language and then by what it renders (one query)."""
    found: dict[str, dict[Key, SecondText]] = {}
    for second in db.scalars(
        select(SecondText).where(SecondText.goal_id == goal.id).order_by(SecondText.lang)
    ):
        found.setdefault(second.lang, {})[second.key] = second
    return found


def for_case(case_id: int) -> dict[Key, list[SecondText]]:
    """Every second text of a case, by what it renders, in the order of their languages (one
    query: the plan page)."""
    found: dict[Key, list[SecondText]] = {}
    for second in db.scalars(_OF_CASE, {"case_id": case_id}):
        found.setdefault(second.key, []).append(second)
    return found


_OF_CASE = (  # built once (issue 21): every view of the plan reads it
    select(SecondText)
    .where(SecondText.case_id == bindparam("case_id"))
    .order_by(SecondText.lang, SecondText.id)
)


def for_print(case_id: int, lang: str) -> dict[Key, SecondText]:
    """Every second text of a case in one language, by what it renders (one query). The caller
    shows one only where `is_current` says it still renders the Dutch it prints."""
    return {
        second.key: second
        for second in db.scalars(
            select(SecondText).where(SecondText.case_id == case_id, SecondText.lang == lang)
        )
    }


def conflicts(
    goal: Goal, lang: str, seen: Mapping[Key, Seen], current: Mapping[Key, SecondText] | None = None
) -> list[Key]:
    """The texts changed since a form showed them (`seen`): their second text saved, added or
    removed by someone else, or their Dutch changed."""
    if current is None:
        current = for_goal(goal).get(lang, {})
    dutch = dutch_texts(goal)
    changed = []
    for key, shown in seen.items():
        second = current.get(key)
        version = second.version if second is not None else None
        if version != shown.version or normal(dutch.get(key, "")) != normal(shown.dutch):
            changed.append(key)
    return changed


def _written_how(value: WrittenHow | str | None) -> WrittenHow:
    try:
        return WrittenHow(value or "")
    except ValueError:
        raise FieldError("written_how", _l("How were the texts written? Choose one.")) from None


def _check_texts(texts: Mapping[Key, str], dutch: Mapping[Key, str]) -> dict[Key, str]:
    """The texts, stripped, each about this goal and not too long."""
    checked: dict[Key, str] = {}
    for key, text in texts.items():
        if key not in dutch:
            raise FieldError("rows", NOT_OF_THIS_GOAL)
        text = (text or "").strip()
        if len(text) > MAX_TEXT:
            raise FieldError(field_of(key), _l("Write at most %(n)d characters.", n=MAX_TEXT))
        if text and not dutch[key].strip():
            raise FieldError(field_of(key), _l("There is no Dutch text to go with this."))
        checked[key] = text
    return checked


def _old_values(second: SecondText) -> dict[str, Any]:
    return {
        "text": second.text,
        "source_text": second.source_text,
        "written_how": second.written_how,
        "written_by_id": second.written_by_id,
    }


def save_second_texts(
    actor: User,
    case: Case,
    goal: Goal,
    lang: str,
    written_how: WrittenHow | str,
    texts: Mapping[Key, str],
    *,
    seen: Mapping[Key, Seen] | None = None,
    confirmed: Collection[Key] = (),
) -> int:
    """Set the second texts of one goal in one language, keyed by what they render: the goal,
    its actions, its scores (anything else: FieldError). An empty text removes that second
    text; a new or changed one keeps the Dutch it renders now (`source_text`) and how and by
    whom it was written. A text left as it was is not written again, unless its Dutch changed
    since and the key is `confirmed` (still right for the new Dutch: it becomes current).
    `seen` (from a form): what the form showed, a save over a newer state is an EditConflict.
    Returns how many second texts changed; one audit row names them."""
    require_can_edit_case(actor, case)
    if goal.plan.case_id != case.id:
        raise NotAllowed(_l("This goal is not part of this family's plan."))
    language = language_of(lang)
    how = _written_how(written_how)
    dutch = dutch_texts(goal)
    checked = _check_texts(texts, dutch)
    current = for_goal(goal).get(language.code, {})
    if seen:
        stale = conflicts(goal, language.code, seen, current)
        if stale:
            raise EditConflict(current.get(stale[0]) or goal)
    changed: list[Key] = []
    for key, text in checked.items():
        second = current.get(key)
        if second is None:
            if text:
                db.add(
                    SecondText(
                        case_id=case.id,
                        goal_id=goal.id,
                        object_type=SecondTextOf(key[0]),
                        object_id=key[1],
                        lang=language.code,
                        text=text,
                        source_text=dutch[key],
                        written_how=how,
                        written_by_id=actor.id,
                    )
                )
                changed.append(key)
            continue
        if not text:
            history.keep(actor, second, _old_values(second), case.id)
            db.delete(second)
            changed.append(key)
            continue
        renewed = key in confirmed and not is_current(second, dutch[key])
        if text == second.text and not renewed:
            continue
        history.keep(actor, second, _old_values(second), case.id)
        second.text, second.source_text = text, dutch[key]
        second.written_how, second.written_by_id = how, actor.id
        changed.append(key)
    if not changed:
        return 0
    try:
        db.flush()
    except (IntegrityError, StaleDataError):  # saved by someone else between read and write
        raise EditConflict(goal) from None
    record(
        actor,
        "plan.second_text",
        case_id=case.id,
        obj=goal,
        fields=[f"{kind} #{object_id}" for kind, object_id in changed],
        detail=f"lang: {language.code}, changed: {len(changed)}",
    )
    return len(changed)
