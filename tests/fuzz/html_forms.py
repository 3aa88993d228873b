"""Read the forms of a page the way a browser does: names, kinds, current values and choices."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

TEXT_TYPES = {"text", "search", "email", "tel", "url", "password", ""}


@dataclass
class Control:
    """One named thing a form submits: a text box, a select, a group of checkboxes..."""

    name: str
    kind: str  # text, textarea, date, number, hidden, select, radio, checkbox, file, submit
    values: list[str] = field(default_factory=list)  # what a browser sends as it is
    options: list[str] = field(default_factory=list)  # the choices (select, radio, checkbox)
    multiple: bool = False


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    controls: dict[str, Control] = field(default_factory=dict)
    # Where the page's script also posts the form (data-autosave: a draft saving itself).
    script_action: str = ""

    @property
    def csrf_token(self) -> str | None:
        control = self.controls.get("csrf_token")
        return control.values[0] if control and control.values else None

    def fuzzable(self) -> list[Control]:
        return [c for name, c in self.controls.items() if name != "csrf_token"]


class _Parser(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.textarea: Control | None = None
        self.select: Control | None = None
        self.option: tuple[str | None, bool] | None = None
        self.option_text = ""

    def _control(self, name: str, kind: str, multiple: bool = False) -> Control:
        assert self.form is not None
        existing = self.form.controls.get(name)
        if existing is None:
            existing = self.form.controls[name] = Control(name, kind, multiple=multiple)
        elif existing.kind == kind and kind == "checkbox":
            existing.multiple = True  # several checkboxes with one name: a multi-choice
        return existing

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            action = a.get("action") or self.page_path
            self.form = Form(
                action=urlsplit(action).path or self.page_path,
                method=(a.get("method") or "get").lower(),
                enctype=a.get("enctype", ""),
                script_action=urlsplit(a.get("data-autosave", "")).path,
            )
            self.forms.append(self.form)
            return
        if tag == "option" and self.select is not None:
            self.option = (a.get("value"), "selected" in a)
            self.option_text = ""
            return
        if self.form is None or "name" not in a or "disabled" in a:
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in TEXT_TYPES:
                kind = "text"
            if kind in ("checkbox", "radio"):
                control = self._control(name, kind)
                value = a.get("value", "on")
                control.options.append(value)
                if "checked" in a:
                    control.values.append(value)
            elif kind in ("submit", "image", "button", "reset"):
                if kind == "submit":
                    self._control(name, "submit").options.append(a.get("value", ""))
            else:
                self._control(name, kind).values.append(a.get("value", ""))
        elif tag == "button" and a.get("type", "submit").lower() == "submit":
            self._control(name, "submit").options.append(a.get("value", ""))
        elif tag == "textarea":
            self.textarea = self._control(name, "textarea")
            self.textarea.values.append("")
        elif tag == "select":
            self.select = self._control(name, "select", multiple="multiple" in a)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea.values[-1] += data
        if self.option is not None:
            self.option_text += data

    def _end_option(self) -> None:
        if self.option is None or self.select is None:
            return
        value, selected = self.option
        value = self.option_text.strip() if value is None else value
        self.select.options.append(value)
        if selected:
            self.select.values.append(value)
        self.option = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            if self.textarea is not None:
                # A browser drops the newline right after <textarea>.
                value = self.textarea.values[-1]
                self.textarea.values[-1] = value.removeprefix("\r").removeprefix("\n")
            self.textarea = None
        elif tag == "option":
            self._end_option()
        elif tag == "select":
            self._end_option()
            if self.select is not None and not self.select.values and self.select.options:
                if not self.select.multiple:
                    self.select.values.append(self.select.options[0])  # a browser's default
            self.select = None
        elif tag == "form":
            self.form = None


def parse_forms(html: str, page_path: str) -> list[Form]:
    parser = _Parser(page_path)
    parser.feed(html)
    parser.close()
    return parser.forms


def find_form(html: str, page_path: str, action: str) -> Form | None:
    """The POST form of the page that submits to `action`, or whose script posts it there (the
    last one: the page's own form comes after the header's language and logout forms)."""
    found = [
        f
        for f in parse_forms(html, page_path)
        if f.method == "post" and action in (f.action, f.script_action)
    ]
    return found[-1] if found else None
