"""Imports every model so Base.metadata is complete (for Alembic and tests)."""

from wijkteam.audit.history import Revision
from wijkteam.audit.models import AuditEvent
from wijkteam.auth.models import AuthSession, LoginThrottle, Role, Team, User
from wijkteam.cases.models import (
    Case,
    CaseHandover,
    CaseStatus,
    CloseReason,
    Custody,
    Family,
    FamilyMember,
    MemberRole,
)
from wijkteam.closing.models import AftercareContact, CaseClosing
from wijkteam.core.db import Base
from wijkteam.discussions.models import CaseDiscussion, DiscussionGuest, DiscussionItem, Task
from wijkteam.jobs.models import PrintJob
from wijkteam.keyfigures.models import KeyFigure
from wijkteam.network.models import NetworkMeeting, NetworkMember
from wijkteam.notes.models import Note, NoteAddendum, NotePart
from wijkteam.outcomes.models import OutcomeSnapshot
from wijkteam.plans.models import (
    Action,
    Goal,
    LadderEntry,
    Plan,
    PlanVersion,
    RegieEntry,
    ScaleScore,
    SocialLadderEntry,
    Success,
)
from wijkteam.rescue.models import FormRescue
from wijkteam.resources.models import Referral, ReferralStatusChange, Resource
from wijkteam.reviews.models import Review
from wijkteam.safety.models import (
    Condition,
    MeldcodeStep,
    SafetyConcern,
    SafetyMap,
    SafetyScore,
    Signal,
)
from wijkteam.submissions.models import FormSubmission

__all__ = [
    "OutcomeSnapshot",
    "AftercareContact",
    "CaseClosing",
    "PrintJob",
    "CaseHandover",
    "Review",
    "Referral",
    "ReferralStatusChange",
    "Resource",
    "FormRescue",
    "FormSubmission",
    "Note",
    "NoteAddendum",
    "NotePart",
    "Condition",
    "MeldcodeStep",
    "SafetyConcern",
    "SafetyMap",
    "SafetyScore",
    "Signal",
    "Action",
    "CaseDiscussion",
    "DiscussionGuest",
    "DiscussionItem",
    "Task",
    "Goal",
    "LadderEntry",
    "KeyFigure",
    "NetworkMeeting",
    "NetworkMember",
    "Plan",
    "PlanVersion",
    "RegieEntry",
    "Revision",
    "ScaleScore",
    "SocialLadderEntry",
    "Success",
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
