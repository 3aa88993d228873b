"""Shared form pieces."""

from __future__ import annotations

import functools
import re
import secrets
from typing import Any

from babel import support
from flask import has_request_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Form, HiddenField
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import messages_path
from wtforms.validators import ValidationError

from wijkteam.core import clock
from wijkteam.core.errors import FieldError

# Control characters other than tab and newlines: PostgreSQL refuses NUL in text, and none of
# them belong in anything people type.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# --- Whole numbers and choices: one rule for everything people (or others) send -------------

# Every whole number the app keeps fits in 64 bits; a longer one is never meant, and int()
# refuses more than 4,300 digits with its own error (a 500 where a message was due).
MAX_DIGITS = 18
NOT_A_WHOLE_NUMBER = _l("Fill in a whole number, for example 12.")
TOO_LONG_A_NUMBER = _l("This number is too long. Fill in a smaller number.")
CHANGED_OUTSIDE = _l("This form was changed outside the app. Reload the page.")
CHOOSE_AN_OPTION = _l("Choose one of the options offered.")


def clean_text(value: str) -> str:
    return _CONTROL.sub("", value)


SEARCH_MAX = 100  # characters of a search that are used, unless a list says otherwise


def search_words(typed: str, limit: int = SEARCH_MAX) -> str:
    """Words typed to search or filter a list: control characters out, spaces around them
    off, at most `limit` characters (a longer search finds nothing more)."""
    return clean_text(typed).strip()[:limit]


def whole_number(value: Any) -> int:
    """A whole number as someone typed or sent it: spaces around it and a sign are fine, then
    decimal digits only (in any script, as int() reads them: '٣' is 3), at most MAX_DIGITS.
    Anything else ('²', '1e5', '0x10', '1_000', 'abc', 5,000 digits) is a ValueError whose
    message can go on the form as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if not isinstance(value, str):
        raise ValueError(NOT_A_WHOLE_NUMBER)
    text = value.strip()
    digits = text[1:] if text[:1] in ("+", "-") else text
    if not digits.isdecimal():  # '²'.isdigit() is True, but int('²') fails: isdecimal does not
        raise ValueError(NOT_A_WHOLE_NUMBER)
    if len(digits) > MAX_DIGITS:
        raise ValueError(TOO_LONG_A_NUMBER)
    return int(text)


def optional_whole_number(value: Any) -> int | None:
    """whole_number, with nothing chosen ('', None, 'None') as None: the coerce of selects
    whose options are ids."""
    if value is None or (isinstance(value, str) and value.strip() in ("", "None")):
        return None
    return whole_number(value)


# WTForms' own messages for a number or choice it could not read, as we say them (and in
# Dutch): they show up when someone sends what no option of ours offers.
_OUR_MESSAGES: dict[str, Any] = {
    "Not a valid integer value.": NOT_A_WHOLE_NUMBER,
    "Not a valid decimal value.": _l("Fill in a number, for example 12."),
    "Not a valid float value.": _l("Fill in a number, for example 12."),
    "Invalid Choice: could not coerce.": CHOOSE_AN_OPTION,
    "Not a valid choice.": CHOOSE_AN_OPTION,
    "Invalid choice(s): one or more data inputs could not be coerced.": CHOOSE_AN_OPTION,
    "'%(value)s' is not a valid choice for this field.": CHOOSE_AN_OPTION,
    "'%(value)s' are not valid choices for this field.": CHOOSE_AN_OPTION,
}


def tri_state(value: Any) -> bool | None:
    """A yes / no / not-said choice as the model keeps it: "yes" True, "no" False, else None."""
    return {"yes": True, "no": False}.get(value)


# A yes / no question answered with radio buttons (none chosen: not said), in the values
# `tri_state` reads.
YES_NO = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]


def tri_state_options(unsaid: Any, yes: Any, no: Any) -> list[SelectChoice]:
    """The choices of a yes / no / not-said field, in the values `tri_state` reads."""
    return [SelectChoice("", unsaid), SelectChoice("yes", yes), SelectChoice("no", no)]


def tri_state_choice(value: Any) -> str:
    """The other way, for a select's `coerce`: a stored True, False or None as "yes", "no" or
    ""; what the browser sent stays as it is (a value that is not offered is refused)."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "" if value is None else str(value)


@functools.lru_cache(maxsize=32)
def _wtforms_catalogue(locale: str) -> support.NullTranslations:
    """WTForms' own catalogue for a language (its messages, translated by WTForms), read once
    per process. Flask-WTF's `translations` read the file again in every request that builds
    a form: a quarter of a millisecond each time (issue 21). The language is the request's at
    the moment of asking, so `force_locale` (the printouts) still changes it."""
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


def _wtforms_translations() -> support.NullTranslations | None:
    """As Flask-WTF's: none outside a request (the message stays in English)."""
    if not has_request_context():
        return None
    locale = get_locale()
    return _wtforms_catalogue(str(locale)) if locale is not None else None


class _Messages:
    """WTForms' translations with our wording for the messages above (the rest in WTForms'
    own translations)."""

    def gettext(self, string: str) -> str:
        ours = _OUR_MESSAGES.get(string)
        if ours is not None:
            return str(ours)
        catalogue = _wtforms_translations()
        return string if catalogue is None else catalogue.ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        ours = _OUR_MESSAGES.get(singular if n == 1 else plural)
        if ours is not None:
            return str(ours)
        catalogue = _wtforms_translations()
        if catalogue is None:
            return singular if n == 1 else plural
        return catalogue.ungettext(singular, plural, n)


_MESSAGES = _Messages()


def new_form_id() -> str:
    return secrets.token_urlsafe(16)


class AppForm(FlaskForm):
    """The base of every form: input is cleaned of control characters before validation, and
    a number or choice that cannot be read gets a clear message on its field.

    `form_id` is this form instance's one-time id (a new one each time the form is opened, the
    same one when it comes back with a message): a second POST with it is not saved again
    (wijkteam/submissions). Templates put it next to the CSRF token."""

    form_id = HiddenField(default=new_form_id)

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            data = super().wrap_formdata(form, formdata)
            if data is None:
                return None
            cleaned: MultiDict[str, Any] = MultiDict()
            for key, value in data.items(multi=True):
                cleaned.add(key, clean_text(value) if isinstance(value, str) else value)
            return cleaned

        def get_translations(self, form: Any) -> Any:
            return _MESSAGES


class RowForm(Form):
    """The base of a row in a FieldList(FormField(...)): a row is a form of its own, so it
    needs the same messages as AppForm (the outer form's input is already cleaned)."""

    class Meta:
        def get_translations(self, form: Any) -> Any:
            return _MESSAGES


class VersionField(HiddenField):
    """The version of the record when the form was opened (optimistic locking)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if valuelist and valuelist[0] != "":
            try:
                self.data = whole_number(valuelist[0])
            except ValueError:
                raise ValueError(CHANGED_OUTSIDE) from None


class IdField(HiddenField):
    """A hidden field with the id of one of our objects (or nothing). Only a changed page sends
    anything but our own number: that is an error on the form, never a crash."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if valuelist:
            try:
                self.data = optional_whole_number(valuelist[0])
            except ValueError:
                raise ValueError(CHANGED_OUTSIDE) from None

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else str(self.data)


class NotInFuture:
    def __init__(self, message: Any = None) -> None:
        self.message = message or _l("This date cannot be in the future.")

    def __call__(self, form: Any, field: Any) -> None:
        if field.data and field.data > clock.today():
            raise ValidationError(self.message)


class Between:
    """NumberRange for whole numbers. NumberRange turns the number into a float to check for
    NaN, which overflows for a number of a few hundred digits (a 500 instead of a message)."""

    def __init__(self, low: int, high: int, message: Any) -> None:
        self.low, self.high, self.message = low, high, message
        self.field_flags = {"min": low, "max": high}

    def __call__(self, form: Any, field: Any) -> None:
        if field.data is not None and not self.low <= field.data <= self.high:
            raise ValidationError(self.message)


# What a phone number may hold, as people write one: 020 555 0101, +31 20 555 0101, 0800-2000,
# (020) 555 0101. Only ASCII digits: other scripts' digits ('٠٢٠') are not dialled.
_PHONE_DIGITS = frozenset("0123456789")
_PHONE_CHARACTERS = _PHONE_DIGITS | frozenset(" +-()")


class PhoneNumber:
    """Digits, spaces, +, - and brackets only, with at least one digit (empty is fine: add
    InputRequired to ask for one). A check of characters, not a regular expression, so that a
    very long value costs no more than reading it."""

    def __init__(self, message: Any = None) -> None:
        self.message = message or _l(
            "Use only digits, spaces, +, - and brackets, for example 020 555 0101."
        )

    def __call__(self, form: Any, field: Any) -> None:
        if not field.data:
            return
        characters = set(field.data)
        if not characters <= _PHONE_CHARACTERS or not characters & _PHONE_DIGITS:
            raise ValidationError(self.message)


class NotBefore1900:
    def __call__(self, form: Any, field: Any) -> None:
        if field.data and field.data.year < 1900:
            raise ValidationError(_l("This date is too far in the past. Check the year."))


def show_field_error(form: FlaskForm, error: FieldError) -> None:
    """Put a service's FieldError on the form field it is about (or on the form)."""
    field = getattr(form, error.field, None)
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value
