"""Shared form pieces."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField
from wtforms.validators import ValidationError

from wijkteam.errors import FieldError

# Control characters other than tab and newlines: PostgreSQL refuses NUL in text, and none of
# them belong in anything people type.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    return _CONTROL.sub("", value)


class AppForm(FlaskForm):
    """The base of every form: input is cleaned of control characters before validation."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            data = super().wrap_formdata(form, formdata)
            if data is None:
                return None
            cleaned = MultiDict()
            for key, value in data.items(multi=True):
                cleaned.add(key, clean_text(value) if isinstance(value, str) else value)
            return cleaned


class VersionField(HiddenField):
    """The version of the record when the form was opened (optimistic locking)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if valuelist and valuelist[0] != "":
            try:
                self.data = int(valuelist[0])
            except ValueError:
                self.data = None
                raise ValueError(
                    _l("This form was changed outside the app. Reload the page.")
                ) from None


class NotInFuture:
    def __init__(self, message: Any = None) -> None:
        self.message = message or _l("This date cannot be in the future.")

    def __call__(self, form: Any, field: Any) -> None:
        if field.data and field.data > date.today():
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
