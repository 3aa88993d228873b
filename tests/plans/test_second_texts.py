"""A second text in the family's language (issue 19): a goal, its actions and "one point
higher" written in the family's language next to the Dutch, which stays the plan's text; the
family's paper prints a second text only while it renders the current Dutch."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html import unescape
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from tests.factories import app_api as api
from tests.factories import cases as c
from tests.fuzz.html_forms import find_form
from tests.test_queries import count_queries
from wijkteam.audit.history import Revision
from wijkteam.audit.models import AuditEvent
from wijkteam.core.db import db
from wijkteam.core.errors import EditConflict, FieldError, NotAllowed
from wijkteam.plans.models import Action, Goal, SecondText, SecondTextOf, WrittenHow
from wijkteam.plans.services import MAX_TEXT
from wijkteam.plans.services import second_texts as service
from wijkteam.plans.services.second_texts import Seen

GOAL_AR = "نريد أن نخرج من البيت صباحًا بدون شجار."
ACTION_AR = "تحضّر سميرة الملابس في المساء."
HIGHER_AR = "عندما نصل إلى المدرسة في الوقت."


@dataclass
class Family:
    """A case of team Noord whose mother speaks Tarifit and Arabic: a goal with an action, a
    stopped action and two scores; another goal with an action; and a goal of team Zuid."""

    case_id: int
    goal_id: int
    action_id: int
    stopped_id: int
    score_id: int  # the latest score
    old_score_id: int
    other_goal_id: int
    other_action_id: int
    zuid_case_id: int
    zuid_goal_id: int

    @property
    def page(self) -> str:
        return f"/cases/{self.case_id}/plan/goals/{self.goal_id}/second-language"

    @property
    def goal_page(self) -> str:
        return f"/cases/{self.case_id}/plan/goals/{self.goal_id}"

    @property
    def goal(self) -> tuple[str, int]:
        return ("goal", self.goal_id)

    @property
    def action(self) -> tuple[str, int]:
        return ("action", self.action_id)

    @property
    def score(self) -> tuple[str, int]:
        return ("score", self.score_id)


def _score(user: Any, case: Any, goal: Any, on: date, higher: str) -> Any:
    data = {"scored_on": on, "family_score": 4, "professional_score": 4, "one_point_higher": higher}
    return api.plans.add_score(user, case, goal, data)


@pytest.fixture
def family(app, world) -> Family:
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        members = [
            c.person("Samira", "El Amrani", languages=("Tarifit", "Arabisch (een beetje)")),
            c.person("Adam", "El Amrani", "child", date(2017, 3, 25), custody="both_parents"),
        ]
        case = c.register(pro, "El Amrani", members=members)
        plan = c.start_plan(pro, case)
        goal = c.goal(pro, case, plan, "Wij willen 's ochtends zonder ruzie de deur uit.")
        action = c.action(pro, case, goal, "Samira legt 's avonds de kleren klaar.")
        stopped = c.action(
            pro, case, goal, "Een wekker voor Adam.", status=api.ActionStatus.STOPPED
        )
        old = _score(pro, case, goal, date(2026, 2, 15), "Als Adam zelf opstaat.")
        latest = _score(pro, case, goal, date(2026, 3, 1), "Als we op tijd op school zijn.")
        other = c.goal(pro, case, c.fresh(plan), "Wij willen samen eten.")
        other_action = c.action(pro, case, other, "Op vrijdag samen koken.")
        zuid = db.get(api.User, world.pro_zuid)
        zuid_case = c.register(zuid, "Zuidhuis")
        zuid_goal = c.goal(zuid, zuid_case, c.start_plan(zuid, zuid_case))
        found = Family(
            case.id,
            goal.id,
            action.id,
            stopped.id,
            latest.id,
            old.id,
            other.id,
            other_action.id,
            zuid_case.id,
            zuid_goal.id,
        )
        db.commit()
    return found


def save(app, user_id: int, family: Family, texts, lang: str = "ar", **kw: Any) -> int:
    """save_second_texts as `user_id` on the family's goal (committed when it saves)."""
    with app.test_request_context():
        user = db.get(api.User, user_id)
        case = db.get(api.Case, family.case_id)
        goal = db.get(Goal, family.goal_id)
        how = kw.pop("written_how", WrittenHow.WITH_INTERPRETER)
        try:
            changed = service.save_second_texts(user, case, goal, lang, how, texts, **kw)
            db.commit()
            return changed
        finally:
            db.rollback()


def stored(app, lang: str | None = None) -> dict[tuple[str, int], tuple[str, str, str]]:
    """(object type, id) -> (lang, text, source_text) of every second text."""
    with app.app_context():
        query = select(SecondText)
        if lang:
            query = query.where(SecondText.lang == lang)
        return {
            (s.object_type.value, s.object_id): (s.lang, s.text, s.source_text)
            for s in db.scalars(query)
        }


def audit_rows(app) -> list[AuditEvent]:
    with app.app_context():
        rows = list(db.scalars(select(AuditEvent).where(AuditEvent.action == "plan.second_text")))
        db.expunge_all()
        return rows


def text_of(resp) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", resp.get_data(as_text=True))).split())


# --- the service ------------------------------------------------------------------------------


def test_saving_copies_the_dutch_and_is_audited(app, world, family):
    texts = {family.goal: f"  {GOAL_AR} ", family.action: ACTION_AR, family.score: ""}
    assert save(app, world.pro_noord, family, texts) == 2
    assert stored(app) == {
        family.goal: ("ar", GOAL_AR, "Wij willen 's ochtends zonder ruzie de deur uit."),
        family.action: ("ar", ACTION_AR, "Samira legt 's avonds de kleren klaar."),
    }
    with app.app_context():
        second = db.scalar(select(SecondText).where(SecondText.object_type == "goal"))
        assert (second.case_id, second.goal_id, second.written_by_id) == (
            family.case_id,
            family.goal_id,
            world.pro_noord,
        )
        assert second.written_how == WrittenHow.WITH_INTERPRETER
    (row,) = audit_rows(app)
    assert (row.user_id, row.case_id, row.object_type, row.object_id) == (
        world.pro_noord,
        family.case_id,
        "Goal",
        family.goal_id,
    )
    assert row.detail == "lang: ar, changed: 2"
    assert row.fields == sorted([f"goal #{family.goal_id}", f"action #{family.action_id}"])


def test_unchanged_texts_are_not_written_again(app, world, family):
    save(app, world.pro_noord, family, {family.goal: GOAL_AR, family.action: ACTION_AR})
    with app.app_context():
        before = {s.key: s.version for s in db.scalars(select(SecondText))}
    texts = {family.goal: GOAL_AR, family.action: f"{ACTION_AR}!"}
    assert save(app, world.pro2_noord, family, texts, written_how="by_family") == 1
    with app.app_context():
        after = {s.key: (s.version, s.written_by_id) for s in db.scalars(select(SecondText))}
    assert after[family.goal] == (before[family.goal], world.pro_noord)
    assert after[family.action] == (before[family.action] + 1, world.pro2_noord)
    assert save(app, world.pro_noord, family, texts) == 0
    assert len(audit_rows(app)) == 2  # nothing changed, nothing audited


def test_an_empty_text_removes_the_second_text_and_keeps_it_in_the_history(app, world, family):
    save(app, world.pro_noord, family, {family.goal: GOAL_AR, family.action: ACTION_AR})
    assert save(app, world.pro_noord, family, {family.action: "  "}) == 1
    assert list(stored(app)) == [family.goal]
    with app.app_context():
        kept = db.scalars(select(Revision).where(Revision.table_name == "second_texts")).all()
        assert [r.old["text"] for r in kept] == [ACTION_AR]
    assert save(app, world.pro_noord, family, {family.action: ""}) == 0  # nothing to remove


def test_only_texts_of_that_goal_are_accepted(app, world, family):
    for key in (
        ("action", family.other_action_id),  # an action of another goal
        ("goal", family.other_goal_id),
        ("goal", family.zuid_goal_id),  # another team's goal
        ("score", 999999),  # no score of this goal
        ("note", family.goal_id),
        ("goal", str(family.goal_id)),
    ):
        with pytest.raises(FieldError) as refused:
            save(app, world.pro_noord, family, {family.goal: GOAL_AR, key: "نص"})
        assert refused.value.field == "rows", key
    assert stored(app) == {}
    assert audit_rows(app) == []


@pytest.mark.parametrize(
    ("lang", "how", "field"),
    [
        ("nl", "with_interpreter", "lang"),
        ("xx", "with_interpreter", "lang"),
        ("", "with_interpreter", "lang"),
        ("ar", "", "written_how"),
        ("ar", "by_google", "written_how"),
    ],
)
def test_the_language_and_how_it_was_written_are_checked(app, world, family, lang, how, field):
    with pytest.raises(FieldError) as refused:
        save(app, world.pro_noord, family, {family.goal: GOAL_AR}, lang=lang, written_how=how)
    assert refused.value.field == field
    assert stored(app) == {}


def test_lengths_are_limited_like_the_plans_texts(app, world, family):
    with pytest.raises(FieldError) as refused:
        save(app, world.pro_noord, family, {family.action: "ب" * (MAX_TEXT + 1)})
    assert refused.value.field == f"action-{family.action_id}"
    assert save(app, world.pro_noord, family, {family.action: "ب" * MAX_TEXT}) == 1


def test_who_may_is_who_may_edit_the_plan(app, world, family):
    with pytest.raises(NotAllowed):
        save(app, world.pro_zuid, family, {family.goal: GOAL_AR})
    with pytest.raises(NotAllowed):
        save(app, world.admin, family, {family.goal: GOAL_AR})
    assert save(app, world.lead_noord, family, {family.goal: GOAL_AR}) == 1  # the team lead
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        c.close(pro, db.get(api.Case, family.case_id))
        db.commit()
    with pytest.raises(NotAllowed):  # a closed case: seen by the team, changed by nobody
        save(app, world.pro_noord, family, {family.goal: ""})
    assert list(stored(app)) == [family.goal]


def test_a_goal_of_another_case_is_refused(app, world, family):
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        other_case = c.register(pro, "Anders")
        goal = db.get(Goal, family.goal_id)
        with pytest.raises(NotAllowed):
            service.save_second_texts(
                pro, other_case, goal, "ar", WrittenHow.BY_FAMILY, {family.goal: GOAL_AR}
            )
        db.rollback()


def test_for_print_is_one_query_of_one_language_of_one_case(app, world, family):
    save(app, world.pro_noord, family, {family.goal: GOAL_AR, family.action: ACTION_AR})
    save(app, world.pro_noord, family, {family.goal: "Ti ዕላማ"}, lang="ti")
    with app.test_request_context():
        zuid = db.get(api.User, world.pro_zuid)
        zuid_case = db.get(api.Case, family.zuid_case_id)
        zuid_goal = db.get(Goal, family.zuid_goal_id)
        key = ("goal", zuid_goal.id)
        service.save_second_texts(zuid, zuid_case, zuid_goal, "ar", "by_family", {key: "آخر"})
        db.commit()
    with app.app_context(), count_queries(app) as counted:
        found = service.for_print(family.case_id, "ar")
    assert counted["n"] == 1
    assert {k: s.text for k, s in found.items()} == {family.goal: GOAL_AR, family.action: ACTION_AR}
    with app.app_context(), count_queries(app) as counted:
        by_lang = service.for_goal(db.get(Goal, family.goal_id))
    assert counted["n"] == 2  # the goal, then its second texts
    assert sorted(by_lang) == ["ar", "ti"]


def test_a_second_text_is_current_until_its_dutch_changes(app, world, family):
    save(app, world.pro_noord, family, {family.goal: GOAL_AR, family.action: ACTION_AR})
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        case = db.get(api.Case, family.case_id)
        goal = db.get(Goal, family.goal_id)
        found = service.for_print(case.id, "ar")
        assert service.is_current(found[family.goal], goal.text)
        assert service.is_current(found[family.goal], f"  {goal.text.replace(' ', '  ')}\n")
        data = {"text": "Wij willen 's ochtends rustig de deur uit.", "member_ids": []}
        api.plans.update_goal(pro, case, goal, expected_version=goal.version, data=data)
        db.commit()
        assert not service.is_current(found[family.goal], goal.text)
        assert service.is_current(found[family.action], goal.actions[0].text)
    # Saved again as it was: still written for the earlier Dutch (not current).
    assert save(app, world.pro_noord, family, {family.goal: GOAL_AR}) == 0
    assert stored(app)[family.goal][2] == "Wij willen 's ochtends zonder ruzie de deur uit."
    # Still right for the new Dutch (confirmed): current again, the text unchanged.
    assert save(app, world.pro_noord, family, {family.goal: GOAL_AR}, confirmed={family.goal}) == 1
    assert stored(app)[family.goal] == ("ar", GOAL_AR, "Wij willen 's ochtends rustig de deur uit.")


def test_a_save_over_what_the_form_did_not_show_is_a_conflict(app, world, family):
    save(app, world.pro_noord, family, {family.goal: GOAL_AR})
    with app.app_context():
        version = db.scalar(select(SecondText.version))
    dutch = "Wij willen 's ochtends zonder ruzie de deur uit."
    for seen in (
        {family.goal: Seen(None, dutch)},  # written by someone else meanwhile
        {family.goal: Seen(version + 1, dutch)},
        {family.goal: Seen(version, "Een andere Nederlandse tekst.")},  # the Dutch changed
    ):
        with pytest.raises(EditConflict):
            save(app, world.pro_noord, family, {family.goal: "جديد"}, seen=seen)
    seen = {family.goal: Seen(version, dutch), family.action: Seen(None, "")}
    with pytest.raises(EditConflict):  # the action's Dutch is not what the form showed
        save(app, world.pro_noord, family, {family.goal: "جديد", family.action: ""}, seen=seen)
    seen[family.action] = Seen(None, "Samira legt 's avonds de kleren klaar.")
    assert save(app, world.pro_noord, family, {family.goal: "جديد"}, seen=seen) == 1


def test_offered_are_the_goal_the_actions_not_stopped_and_the_latest_one_point_higher(app, family):
    with app.app_context():
        goal = db.get(Goal, family.goal_id)
        assert service.offered(goal) == [family.goal, family.action, family.score]
        assert set(service.dutch_texts(goal)) == {
            family.goal,
            family.action,
            ("action", family.stopped_id),
            family.score,
            ("score", family.old_score_id),
        }
        assert [k.value for k in SecondTextOf] == ["goal", "action", "score"]


# --- the page -------------------------------------------------------------------------------


def textareas(html: str, lang: str, direction: str) -> list[str]:
    """The text boxes in this language and direction (WTForms sorts the attributes)."""
    return re.findall(rf'<textarea dir="{direction}" id="[^"]+" lang="{lang}"', html)


def post_form(client, url: str) -> dict[str, str]:
    """The values the page's text form sends as it stands (hidden fields and texts)."""
    html = client.get(url).get_data(as_text=True)
    path = urlsplit(url).path
    form = find_form(html, path, path)
    assert form is not None, html[-3000:]
    return {
        name: control.values[0] if control.values else ""
        for name, control in form.controls.items()
        if control.kind not in ("submit", "radio", "checkbox")
    }


def row_of(data: dict[str, str], key: tuple[str, int]) -> str:
    """The field prefix of the row of `key`: "rows-1-"."""
    for name, value in data.items():
        if name.endswith("-object_type") and value == key[0]:
            prefix = name.removesuffix("object_type")
            if data[f"{prefix}object_id"] == str(key[1]):
                return prefix
    raise AssertionError(f"no row for {key}")


def fill(data: dict[str, str], texts: dict[tuple[str, int], str], **more: str) -> dict[str, str]:
    filled = {**data, **more}
    for key, text in texts.items():
        filled[f"{row_of(data, key)}text"] = text
    return filled


@pytest.fixture
def pro(client, family):
    client.login("pro.noord@test.example")
    return client


def test_the_goal_page_links_to_the_page_which_suggests_the_familys_language(pro, family):
    pro.english()
    goal_page = pro.get(family.goal_page).get_data(as_text=True)
    assert f'href="{family.page}"' in goal_page
    assert "Text in the family's language" in goal_page
    html = pro.get(family.page).get_data(as_text=True)
    options = re.findall(r'<option value="(\w*)"( selected)?>([^<]*)</option>', html)
    # Arabic (written as "Arabisch (een beetje)") first and chosen; Tarifit is no print
    # language; Dutch is never offered.
    assert options[0] == ("ar", " selected", "العربية (Arabic)")
    assert [code for code, *_ in options] == ["ar", "en", "tr", "pl", "uk", "ti", "so", "fa"]
    assert f'action="{family.page}?lang=ar"' in html
    # The goal, the action, one point higher: in Arabic, right to left.
    assert len(textareas(html, "ar", "rtl")) == 3
    assert "Samira legt &#39;s avonds de kleren klaar." in html
    assert "Een wekker voor Adam." not in html  # stopped
    assert "Als we op tijd op school zijn." in html
    assert "Als Adam zelf opstaat." not in html  # an earlier score
    assert 'name="written_how"' in html and "With an interpreter" in html


def test_a_left_to_right_language_and_no_suggestion(pro, app, world, family):
    html = pro.get(f"{family.page}?lang=tr").get_data(as_text=True)
    assert len(textareas(html, "tr", "ltr")) == 3
    assert 'lang="ar"' not in html
    # A family that speaks no print language: the choice only, nothing chosen yet.
    with app.test_request_context():
        pro_user = db.get(api.User, world.pro_noord)
        case = c.register(pro_user, "Bakker")
        goal = c.goal(pro_user, case, c.start_plan(pro_user, case))
        page = f"/cases/{case.id}/plan/goals/{goal.id}/second-language"
        db.commit()
    resp = pro.get(page)
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert '<option value="">' in html and 'name="written_how"' not in html
    pro.english()
    refused = pro.submit(page, {"written_how": "by_family"}, page=page)
    assert refused.status_code == 422
    assert "Choose the language of the family first." in text_of(refused)


def test_saving_goes_back_to_the_goal_page_which_shows_the_texts(pro, app, family):
    data = post_form(pro, family.page)
    texts = {family.goal: GOAL_AR, family.action: ACTION_AR, family.score: HIGHER_AR}
    resp = pro.post(f"{family.page}?lang=ar", data=fill(data, texts, written_how="by_family"))
    assert resp.status_code == 302, text_of(resp)[:2000]
    assert resp.headers["Location"] == family.goal_page
    assert stored(app)[family.score] == ("ar", HIGHER_AR, "Als we op tijd op school zijn.")
    html = pro.get(family.goal_page).get_data(as_text=True)
    for text in (GOAL_AR, ACTION_AR, HIGHER_AR):
        assert f'<p lang="ar" dir="rtl">{text}</p>' in html
    assert "Arabisch" in html
    plan = pro.get(f"/cases/{family.case_id}/plan").get_data(as_text=True)
    assert f'<p lang="ar" dir="rtl">{GOAL_AR}</p>' in plan
    assert f'<p lang="ar" dir="rtl">{ACTION_AR}</p>' in plan
    (row,) = audit_rows(app)
    assert row.detail == "lang: ar, changed: 3"


def test_texts_written_for_an_earlier_dutch_text_are_marked(pro, app, world, family):
    save(app, world.pro_noord, family, {family.goal: GOAL_AR, family.action: ACTION_AR})
    with app.test_request_context():
        user = db.get(api.User, world.pro_noord)
        case = db.get(api.Case, family.case_id)
        goal = db.get(Goal, family.goal_id)
        data = {"text": "Wij willen rustig de deur uit.", "member_ids": []}
        api.plans.update_goal(user, case, goal, expected_version=goal.version, data=data)
        db.commit()
    pro.english()
    goal_page = text_of(pro.get(family.goal_page))
    assert "written for an earlier Dutch text" in goal_page
    assert goal_page.count("written for an earlier Dutch text") == 1  # not the action
    html = pro.get(family.page).get_data(as_text=True)
    text = text_of(pro.get(family.page))
    assert "The Dutch text changed since this was written." in text
    assert "Wij willen 's ochtends zonder ruzie de deur uit." in text  # the old Dutch
    # Only the goal's text asks whether it is still right for the new Dutch.
    assert re.findall(r'name="(rows-\d+-)still_right"', html) == [
        row_of(post_form(pro, family.page), family.goal)
    ]
    # Ticked: still right for the new Dutch, current again.
    data = post_form(pro, family.page)
    data.update(written_how="with_interpreter")
    data[f"{row_of(data, family.goal)}still_right"] = "y"
    assert pro.post(f"{family.page}?lang=ar", data=data).status_code == 302
    assert stored(app)[family.goal][2] == "Wij willen rustig de deur uit."
    assert "written for an earlier Dutch text" not in text_of(pro.get(family.goal_page))


def test_how_it_was_written_is_required_and_the_typed_text_stays(pro, app, family):
    pro.english()
    data = fill(post_form(pro, family.page), {family.goal: GOAL_AR})
    resp = pro.post(f"{family.page}?lang=ar", data=data)
    assert resp.status_code == 422
    assert "How were the texts written? Choose one." in text_of(resp)
    assert GOAL_AR in resp.get_data(as_text=True)
    assert stored(app) == {}


def test_too_long_a_text_is_a_422_at_its_field(pro, app, family):
    data = fill(post_form(pro, family.page), {family.action: "ب" * (MAX_TEXT + 1)})
    resp = pro.post(f"{family.page}?lang=ar", data={**data, "written_how": "by_family"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    prefix = row_of(data, family.action)
    assert f'id="{prefix}text-error"' in html and "ب" * (MAX_TEXT + 1) in html
    assert stored(app) == {}


@pytest.mark.parametrize(
    "attack",
    [
        {"object_id": "{other_action}"},  # an action of another goal
        {"object_id": "{zuid_goal}", "object_type": "goal"},  # another team's goal
        {"object_type": "note"},
        {"object_id": "abc"},
        {"object_id": "9" * 30},
        {"version": "abc"},
    ],
)
def test_a_changed_form_is_a_422_and_saves_nothing(pro, app, family, attack):
    data = fill(post_form(pro, family.page), {family.goal: GOAL_AR, family.action: ACTION_AR})
    prefix = row_of(data, family.action)
    ids = {"other_action": family.other_action_id, "zuid_goal": family.zuid_goal_id}
    for name, value in attack.items():
        data[f"{prefix}{name}"] = value.format(**ids)
    resp = pro.post(f"{family.page}?lang=ar", data={**data, "written_how": "by_family"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    # What was typed stays, also in the changed row, which names its own text again.
    assert GOAL_AR in html and ACTION_AR in html
    again = post_form_from(resp, family.page)
    assert again[f"{row_of(again, family.action)}text"] == ACTION_AR
    assert stored(app) == {}


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("xx", "Choose one of the languages offered."),
        ("nl", "Dutch is the language the plan is written in."),
        ("", "Choose one of the languages offered."),
    ],
)
def test_an_unknown_language_or_dutch_is_a_422(pro, app, family, lang, message):
    pro.english()
    data = fill(post_form(pro, family.page), {family.goal: GOAL_AR}, written_how="by_family")
    resp = pro.post(f"{family.page}?lang={lang}", data=data)
    assert resp.status_code == 422
    assert message in text_of(resp)
    assert 'id="lang-error"' in resp.get_data(as_text=True)
    assert pro.get(f"{family.page}?lang={lang}").status_code == 422
    assert stored(app) == {}


def test_a_double_submit_saves_once(pro, app, family):
    data = fill(post_form(pro, family.page), {family.goal: GOAL_AR}, written_how="by_family")
    first = pro.post(f"{family.page}?lang=ar", data=data)
    second = pro.post(f"{family.page}?lang=ar", data=data)
    assert first.status_code == 302
    assert second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert len(audit_rows(app)) == 1
    with app.app_context():
        assert db.scalar(select(func.count(SecondText.id))) == 1


def test_a_text_saved_meanwhile_shows_the_conflict_page(pro, app, world, family):
    pro.english()
    data = fill(post_form(pro, family.page), {family.goal: GOAL_AR}, written_how="by_family")
    save(app, world.pro2_noord, family, {family.goal: "نص زميل"})  # a colleague, meanwhile
    resp = pro.post(f"{family.page}?lang=ar", data=data)
    assert resp.status_code == 409
    text = text_of(resp)
    assert "Someone else saved changes while you were editing" in text
    assert "نص زميل" in text and GOAL_AR in text
    assert stored(app)[family.goal][1] == "نص زميل"
    # The form moved to the colleague's version: saving again is a deliberate overwrite.
    again = post_form_from(resp, family.page)
    assert again[f"{row_of(again, family.goal)}text"] == GOAL_AR
    resp = pro.post(f"{family.page}?lang=ar", data={**again, "written_how": "by_family"})
    assert resp.status_code == 302
    assert stored(app)[family.goal][1] == GOAL_AR


def test_a_dutch_text_changed_meanwhile_shows_the_conflict_page(pro, app, world, family):
    pro.english()
    data = fill(post_form(pro, family.page), {family.action: ACTION_AR}, written_how="by_family")
    with app.test_request_context():
        user = db.get(api.User, world.pro2_noord)
        case = db.get(api.Case, family.case_id)
        action = db.get(Action, family.action_id)
        new = {"text": "Samira en Adam leggen de kleren klaar.", "owner_kind": api.OwnerKind.FAMILY}
        api.plans.update_action(user, case, action, expected_version=action.version, data=new)
        db.commit()
    resp = pro.post(f"{family.page}?lang=ar", data=data)
    assert resp.status_code == 409
    assert "The Dutch text is now: Samira en Adam leggen de kleren klaar." in text_of(resp)
    assert stored(app) == {}


def post_form_from(resp, url: str) -> dict[str, str]:
    html = resp.get_data(as_text=True)
    path = urlsplit(url).path
    form = find_form(html, path, path)
    assert form is not None
    return {
        name: control.values[0] if control.values else ""
        for name, control in form.controls.items()
        if control.kind not in ("submit", "radio", "checkbox")
    }


# --- who may ------------------------------------------------------------------------------


def test_another_team_gets_a_404_and_the_attempt_is_audited(client, app, family):
    client.login("pro.zuid@test.example")
    assert client.get(family.page).status_code == 404
    resp = client.submit(
        f"{family.page}?lang=ar",
        {"written_how": "by_family", "rows-0-object_type": "goal", "rows-0-text": "x"},
        page="/cases",
    )
    assert resp.status_code == 404
    with app.app_context():
        denied = db.scalars(
            select(AuditEvent.case_id).where(AuditEvent.action == "case.denied")
        ).all()
    assert denied == [family.case_id, family.case_id]
    assert stored(app) == {}


def test_a_closed_case_is_seen_but_its_texts_are_not_changed(pro, app, world, family):
    save(app, world.pro_noord, family, {family.goal: GOAL_AR})
    data = post_form(pro, family.page)
    with app.test_request_context():
        c.close(db.get(api.User, world.pro_noord), db.get(api.Case, family.case_id))
        db.commit()
    html = pro.get(family.goal_page).get_data(as_text=True)
    assert GOAL_AR in html and family.page not in html  # shown, no link to change it
    assert pro.get(family.page).status_code == 403
    data = fill(data, {family.goal: ""}, written_how="by_family")
    assert pro.post(f"{family.page}?lang=ar", data=data).status_code == 403
    assert list(stored(app)) == [family.goal]


# --- in Dutch -----------------------------------------------------------------------------


def test_the_pages_are_dutch(pro, app, world, family):
    save(app, world.pro_noord, family, {family.goal: GOAL_AR})
    goal_page = text_of(pro.get(family.goal_page))
    assert "Tekst in de taal van het gezin" in goal_page
    resp = pro.get(family.page)
    html = resp.get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert "العربية (Arabisch)" in html
    text = text_of(resp)
    for dutch in (
        "Tekst in de taal van het gezin",
        "De teksten in het Arabisch",
        "In het Nederlands",
        "In het Arabisch",
        "Hoe zijn de teksten geschreven?",
        "Met een tolk",
        "Door het gezin zelf",
        "Door de professional",
        "Opslaan",
    ):
        assert dutch in text, dutch
    data = fill(post_form(pro, family.page), {family.action: ACTION_AR})
    refused = text_of(pro.post(f"{family.page}?lang=ar", data=data))
    assert "Hoe zijn de teksten geschreven? Kies er een." in refused
    saved = pro.post(f"{family.page}?lang=ar", data={**data, "written_how": "by_family"})
    assert "De teksten in het Arabisch zijn opgeslagen." in text_of(
        pro.get(saved.headers["Location"])
    )


def test_the_plan_and_goal_pages_show_them_in_a_fixed_number_of_queries(pro, app, world, family):
    plan_page = f"/cases/{family.case_id}/plan"
    pro.get(plan_page)
    with count_queries(app) as without:
        pro.get(plan_page)
    with count_queries(app) as goal_without:
        pro.get(family.goal_page)
    save(app, world.pro_noord, family, {family.goal: GOAL_AR, family.action: ACTION_AR})
    save(app, world.pro_noord, family, {family.goal: "ዕላማ", family.score: "ቀጻሊ"}, lang="ti")
    with app.test_request_context():
        user = db.get(api.User, world.pro_noord)
        case = db.get(api.Case, family.case_id)
        other = db.get(Goal, family.other_goal_id)
        texts = {("goal", other.id): "نأكل معًا.", ("action", family.other_action_id): "نطبخ."}
        service.save_second_texts(user, case, other, "ar", "by_family", texts)
        db.commit()
    with count_queries(app) as with_texts:
        html = pro.get(plan_page).get_data(as_text=True)
    with count_queries(app) as goal_with:
        goal_html = pro.get(family.goal_page).get_data(as_text=True)
    assert "نطبخ." in html and "ዕላማ" in html
    assert "ቀጻሊ" in goal_html and 'lang="ti" dir="ltr"' in goal_html
    # however many texts: the plan page reads them once there are any (none: not at all)
    assert with_texts["n"] == without["n"] + 1
    assert goal_with["n"] == goal_without["n"]
