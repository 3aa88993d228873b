"""Which messages are print strings: the texts the family's paper can hold. Every print
language's catalogue must translate all of them (tests/printout/test_print_catalogs.py;
`python3 dev.py i18n --missing ar` lists what a language still lacks).

A print string is a message that is
- written in one of the paper's own sources (PAPER_SOURCES: the paper templates and the
  modules that word the paper), or
- looked up while the paper of a family is made (`recording`): labels that live with their
  models (the kind of a note, a level of the participation ladder) and reach the paper too.
`print_strings` takes both, the second by making every document of the given cases (plan or
closing letter, each version and reader; the family's file as PDF and JSON) as HTML."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from flask_babel import Domain, force_locale

# Message key as babel's Catalog has it: (msgid, or (singular, plural); context or None).
Key = tuple[str | tuple[str, str], str | None]

PAPER_SOURCES = (
    "templates/printout/plan.html",
    "templates/printout/family_file.html",
    "templates/printout/_contact.html",
    "templates/printout/_paper.html",
    "wijkteam/printout/wording.py",
    "wijkteam/printout/plan_paper.py",
    "wijkteam/printout/contact_sheet.py",
    "wijkteam/printout/family_file.py",
    "wijkteam/printout/access.py",
    "wijkteam/printout/bilingual.py",
)


def from_sources(messages: Iterable[Any]) -> set[Key]:
    """The keys of babel catalogue messages written in a paper source."""
    keys: set[Key] = set()
    for message in messages:
        if message.id and any(path in PAPER_SOURCES for path, _line in message.locations):
            keys.add((message.id, message.context))
    return keys


class _Recorder:
    """Translations that note every message asked of them."""

    def __init__(self, translations: Any, seen: set[Key]) -> None:
        self._translations = translations
        self._seen = seen

    def ugettext(self, message: str) -> str:
        self._seen.add((message, None))
        return str(self._translations.ugettext(message))

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        self._seen.add(((singular, plural), None))
        return str(self._translations.ungettext(singular, plural, n))

    def upgettext(self, context: str, message: str) -> str:
        self._seen.add((message, context))
        return str(self._translations.upgettext(context, message))

    def unpgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        self._seen.add(((singular, plural), context))
        return str(self._translations.unpgettext(context, singular, plural, n))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._translations, name)


@contextmanager
def recording() -> Iterator[set[Key]]:
    """Every message looked up inside the block (templates, gettext, lazy strings). A tool for
    tests and `dev.py i18n`: it swaps Flask-Babel's Domain.get_translations meanwhile."""
    seen: set[Key] = set()
    original = Domain.get_translations

    def get_translations(self: Domain) -> Any:
        return _Recorder(original(self), seen)

    Domain.get_translations = get_translations
    try:
        yield seen
    finally:
        Domain.get_translations = original


def rendered(cases: Iterable[Any]) -> set[Key]:
    """The messages looked up while making every document of these cases (as HTML; in Dutch:
    the messages asked are the same in every language). Needs an app and a request context."""
    from wijkteam.jobs.models import JobKind, PrintJob
    from wijkteam.printout import render
    from wijkteam.printout.reader import reader_choices

    # The readers are the print form's choices, looked up before the recording: their labels
    # are the form's words, not the paper's.
    cases = [(case, [value for value, _label in reader_choices(case.family)]) for case in cases]
    original = render.render_pdf
    render.render_pdf = lambda html, fetcher=None: html.encode()
    try:
        with recording() as seen, force_locale("nl"):
            for case, readers in cases:
                for reader in readers:
                    for kind in (JobKind.PLAN_PDF, JobKind.FILE_PDF, JobKind.FILE_JSON):
                        versions = ("proposal", "agreed") if kind == JobKind.PLAN_PDF else ("",)
                        for version in versions:
                            options = {"lang": "nl", "reader": reader, "version": version}
                            try:
                                render.render(PrintJob(case=case, kind=kind, options=options))
                            except render.NothingToPrint:
                                pass
    finally:
        render.render_pdf = original
    return seen


def print_strings(messages: Iterable[Any], cases: Iterable[Any]) -> set[Key]:
    """The print strings: those of the paper's sources among `messages` (a babel catalogue),
    and those looked up while making the documents of `cases`."""
    messages = list(messages)
    known = {(m.id, m.context) for m in messages if m.id}
    return from_sources(messages) | (rendered(cases) & known)
