"""Imports every model so Base.metadata is complete (for Alembic and tests)."""

from wijkteam.audit.models import AuditEvent
from wijkteam.auth.models import AuthSession, LoginThrottle, Role, Team, User
from wijkteam.cases.models import (
    Case,
    CaseStatus,
    CloseReason,
    Custody,
    Family,
    FamilyMember,
    MemberRole,
)
from wijkteam.db import Base

__all__ = [
    "AuditEvent",
    "AuthSession",
    "Base",
    "Case",
    "CaseStatus",
    "CloseReason",
    "Custody",
    "Family",
    "FamilyMember",
    "LoginThrottle",
    "MemberRole",
    "Role",
    "Team",
    "User",
]
