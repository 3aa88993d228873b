"""Translated labels for the closed lists (enums)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from wijkteam.auth.models import Role
from wijkteam.cases.models import CaseStatus, CloseReason, Custody, MemberRole

ROLE = {
    Role.PROFESSIONAL: _l("Professional"),
    Role.TEAMLEAD: _l("Team lead"),
    Role.ADMIN: _l("Admin"),
}
MEMBER_ROLE = {
    MemberRole.PARENT: _l("Parent"),
    MemberRole.CHILD: _l("Child"),
    MemberRole.OTHER_CARER: _l("Other carer"),
    MemberRole.OTHER: _l("Other household member"),
}
CUSTODY = {
    Custody.BOTH_PARENTS: _l("Both parents"),
    Custody.MOTHER: _l("Mother"),
    Custody.FATHER: _l("Father"),
    Custody.GUARDIAN: _l("Guardian (voogd)"),
    Custody.OTHER: _l("Other"),
}
CASE_STATUS = {
    CaseStatus.INTAKE: lazy_pgettext("case status", "Intake"),
    CaseStatus.ACTIVE: lazy_pgettext("case status", "Active"),
    CaseStatus.CLOSED: lazy_pgettext("case status", "Closed"),
}
CLOSE_REASON = {
    CloseReason.GOALS_REACHED: _l("Goals reached"),
    CloseReason.FAMILY_ENDED: _l("The family chose to stop"),
    CloseReason.REFERRED: _l("Referred to other help"),
    CloseReason.MOVED: _l("Family moved away"),
    CloseReason.NO_CONTACT: _l("No contact anymore"),
    CloseReason.OTHER: _l("Other reason"),
}
AUDIT_ACTION = {
    "case.view": _l("Viewed the case"),
    "case.create": _l("Opened the case"),
    "case.update": _l("Changed the case"),
    "case.close": _l("Closed the case"),
    "family.create": _l("Registered the family"),
    "family.update": _l("Changed family details"),
    "member.create": _l("Added a family member"),
    "member.update": _l("Changed a family member"),
    "audit.view": _l("Viewed the audit trail"),
}

ALL = {
    "role": ROLE,
    "member_role": MEMBER_ROLE,
    "custody": CUSTODY,
    "case_status": CASE_STATUS,
    "close_reason": CLOSE_REASON,
    "audit_action": AUDIT_ACTION,
}
