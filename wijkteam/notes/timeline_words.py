"""What an event on the case timeline says (notes/queries.py, TimelineItem.headline): what
happened, in singular words, with who recorded it: "Huisbezoek · Sanne Kuipers · met
aanvulling", "Participatieladder vanaf nu: niveau 5, ...", "Stap 3 van de Meldcode gedaan: ..."."""

from __future__ import annotations

from typing import Protocol

from flask_babel import gettext as _
from flask_babel import ngettext

from wijkteam.network.models import MeetingKind
from wijkteam.notes.models import ContactKind
from wijkteam.plans.enums import LadderLevel, Regie
from wijkteam.safety.models import MeldcodeStepNumber


class Event(Protocol):
    """The fields of notes.queries.TimelineItem this module reads."""

    @property
    def kind(self) -> str: ...
    @property
    def ref_id(self) -> int: ...
    @property
    def detail(self) -> str: ...
    @property
    def who(self) -> str: ...
    @property
    def addenda(self) -> int: ...
    @property
    def state(self) -> str: ...


def headline(event: Event) -> str:
    """What happened, then who recorded it, a note's addenda and whether it is a draft."""
    words = [what_happened(event)]
    if event.who:
        words.append(event.who)
    if event.addenda:
        words.append(ngettext("with an addendum", "with %(num)d addenda", event.addenda))
    if event.state == "draft":
        words.append(_("Draft"))
    return " · ".join(words)


def what_happened(event: Event) -> str:
    kind, detail = event.kind, event.detail
    if kind == "note":
        return str(ContactKind(detail).label) if detail else _("Conversation note")
    if kind == "plan" and detail == "version":
        return _("Version %(n)d agreed with the family", n=event.ref_id)
    if kind == "plan":
        return _("Goal added")
    if kind == "ladder":
        level = LadderLevel(int(detail))
        return _(
            "Participation ladder from now on: level %(level)d, %(name)s",
            level=int(level),
            name=level.label,
        )
    if kind == "regie":
        return _("Regie from now on: %(regie)s", regie=Regie(detail).label)
    if kind == "safety":
        step = MeldcodeStepNumber(int(detail))
        if event.state == "not_applicable":
            return _("Meldcode step %(n)d not applicable: %(step)s", n=int(step), step=step.label)
        return _("Meldcode step %(n)d done: %(step)s", n=int(step), step=step.label)
    if kind == "meeting":
        return str(MeetingKind(detail).label) if detail else _("Network meeting")
    return _("Discussed in the case discussion")
