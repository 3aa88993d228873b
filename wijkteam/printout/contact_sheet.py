"""Who to call, and the family's rights: the facts the family's paper gives (issue 16).

The case lead and the duo colleague with their phone, e-mail address and working days; the
team with its phone, e-mail address and hours; how to complain, the independent client support,
the rights helpline for young people, Veilig Thuis and 112. The team's facts are set by an admin
on the team's page (`/admin/teams/<id>/edit`), a professional's phone and working days on their
account; what an admin left empty gets the default below.

This lives with the printouts because they are what it is for: it reads a case (admin pages
never do) and returns what goes on paper, like `content.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from wijkteam.cases.models import Case
from wijkteam.printout.wording import comma

# National numbers, the same in every language and for every team.
EMERGENCY = "112"
VEILIG_THUIS_PHONE = "0800-2000"
AKJ_PHONE = "088 555 1000"
AKJ_WEB = "www.akj.nl"
# Unicode's left-to-right isolate and its end, around a number in a text that is not markup.
LTR, END_LTR = "\u2066", "\u2069"


@dataclass(frozen=True)
class ContactSheet:
    """Who to call and where to go, for one case's paper.

    A professional's or the team's phone, e-mail address or hours that nobody filled in are ""
    (the paper leaves them out; no number is ever made up); the duo fields are None when the
    case has no duo colleague. complaints, client_support, youth_rights and veilig_thuis are
    never empty: the team's text, or the default; `typed` names those that are the team's
    text, printed as it was typed (in Dutch, as a rule: on a paper in another language it is
    marked as Dutch), where the default is in the paper's language."""

    lead_name: str
    lead_phone: str
    lead_email: str
    lead_reachable: str
    duo_name: str | None
    duo_phone: str | None
    duo_email: str | None
    duo_reachable: str | None
    team_name: str
    team_phone: str
    team_email: str
    team_reachable: str
    complaints: str
    client_support: str
    youth_rights: str
    veilig_thuis: str
    typed: frozenset[str] = frozenset()
    emergency: str = EMERGENCY


def default_texts() -> dict[str, str]:
    """What the paper says for a team field left empty, by field name, in the current language.

    Called when a sheet is made (never at import time), so that the print's language
    (`force_locale` in the print worker) applies. The admin's team page shows them too."""
    return {
        "complaints": _("Ask the team for the complaints procedure of the municipality."),
        # The paper says what client support and the AKJ are before these (printout/
        # _contact.html), so the defaults only say how to reach them; the AKJ's line as the
        # paper writes a contact's ("..., phone ..., ..."), its number left to right on any
        # paper (as `paper.ltr` in a template: a right-to-left line would turn its groups).
        "client_support": _("Ask the team or the municipality how to reach them."),
        "youth_rights": f"AKJ{comma()}{_('phone')} {LTR}{AKJ_PHONE}{END_LTR}{comma()}{AKJ_WEB}",
        "veilig_thuis": _("Veilig Thuis: %(phone)s, free, day and night", phone=VEILIG_THUIS_PHONE),
    }


def contact_sheet(case: Case) -> ContactSheet:
    """The contact facts of `case`'s paper: its case lead, duo colleague and team.

    Facts (names, phone numbers, e-mail addresses, hours, the team's own texts) are printed as
    the admin typed them, in any print language; only the defaults for what was left empty, and
    the sentences the template puts around the facts, are translated. Call it inside the print's
    `force_locale`, like the rest of the printout."""
    team = case.team
    lead = case.lead
    duo = case.duo
    defaults = default_texts()
    own = {name: str(getattr(team, name)).strip() for name in defaults}
    return ContactSheet(
        lead_name=lead.display_name,
        lead_phone=lead.phone,
        lead_email=lead.email,
        lead_reachable=lead.reachable,
        duo_name=duo.display_name if duo is not None else None,
        duo_phone=duo.phone if duo is not None else None,
        duo_email=duo.email if duo is not None else None,
        duo_reachable=duo.reachable if duo is not None else None,
        team_name=team.name,
        team_phone=team.phone,
        team_email=team.email,
        team_reachable=team.reachable,
        typed=frozenset(name for name, text in own.items() if text),
        **{name: own[name] or default for name, default in defaults.items()},
    )
