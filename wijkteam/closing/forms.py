"""Forms of the way out: a goal's result on the close page (a row of CloseCaseForm in
cases/forms.py) and the family's satisfaction answers. They check the shape of input only;
closing/services.py holds the rules (which goals, who may answer)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from wijkteam.closing.models import (
    RATING_QUESTION,
    SATISFACTION_QUESTIONS,
    GoalResult,
    SatisfactionHow,
    SatisfactionScale,
)
from wijkteam.web.forms import (
    AppForm,
    IdField,
    NotInFuture,
    RowForm,
    optional_whole_number,
    strip,
)

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
NOT_ANSWERED = _l("No answer")


class GoalResultRow(RowForm):
    """One goal of the plan on the close page: reached, partly or not, and the family's own
    words about it. The view names the radio group after the goal (its legend)."""

    goal_id = IdField()
    result = RadioField(
        _l("Was this goal reached?"),
        choices=GoalResult.choices(),
        validators=[InputRequired(_l("Choose whether this goal was reached."))],
    )
    family_words = TextAreaField(
        _l("What the family says about this goal now (optional)"),
        filters=[strip],
        validators=[Length(max=2000, message=_l("Write at most %(max)d characters."))],
        description=_l("In the family's own words. The closing letter prints it."),
    )


def _scale_label(level: SatisfactionScale) -> Any:
    return LazyString(lambda: f"{int(level)} · {level.label}")


def _scale_field(question: Any) -> RadioField:
    return RadioField(
        question,
        choices=[
            *(SelectChoice(str(int(level)), _scale_label(level)) for level in SatisfactionScale),
            SelectChoice("", NOT_ANSWERED),
        ],
        coerce=optional_whole_number,
        validators=[Optional()],
        default="",
    )


class SatisfactionForm(AppForm):
    """What one person of the family answered about the help."""

    answered_on = DateField(
        _l("Answered on"),
        format=DATE_FORMATS,
        validators=[InputRequired(_l("Fill in a date.")), NotInFuture()],
    )
    member_id = SelectField(
        _l("Who answered?"),
        coerce=optional_whole_number,
        validators=[Optional()],
        validate_choice=False,  # the service says what is wrong with a member (too young, ...)
        description=_l("A family member of 12 or older. Someone else: write the name below."),
    )
    who_name = StringField(
        _l("Or the name of who answered"),
        filters=[strip],
        validators=[Length(max=200, message=_l("Write at most %(max)d characters."))],
    )
    how = RadioField(
        _l("How were the questions answered?"),
        choices=SatisfactionHow.choices(),
        validators=[InputRequired(_l("Choose how the questions were answered."))],
    )
    heard = _scale_field(SATISFACTION_QUESTIONS["heard"])
    own_say = _scale_field(SATISFACTION_QUESTIONS["own_say"])
    better_now = _scale_field(SATISFACTION_QUESTIONS["better_now"])
    rating = SelectField(
        RATING_QUESTION,
        choices=[
            SelectChoice("", NOT_ANSWERED),
            *(SelectChoice(str(n), str(n)) for n in range(1, 11)),
        ],
        coerce=optional_whole_number,
        validators=[Optional()],
        default="",
    )
    comment = TextAreaField(
        _l("What else did they say?"),
        filters=[strip],
        validators=[Length(max=2000, message=_l("Write at most %(max)d characters."))],
        description=_l("In their own words, as they said or wrote it."),
    )

    def set_members(self, members: list[Any]) -> None:
        """The family members who may answer for themselves (12 or older)."""
        self.member_id.choices = [
            SelectChoice("", _l("Someone else (write the name below)")),
            *(SelectChoice(m.id, m.full_name) for m in members),
        ]

    def answer_data(self) -> dict[str, Any]:
        return {
            "answered_on": self.answered_on.data,
            "how": SatisfactionHow(self.how.data),
            "member_id": self.member_id.data,
            "who_name": self.who_name.data or "",
            "heard": self.heard.data,
            "own_say": self.own_say.data,
            "better_now": self.better_now.data,
            "rating": self.rating.data,
            "comment": self.comment.data or "",
        }
