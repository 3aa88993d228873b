"""Everything the factories take from the app, in one place: when a module of the app moves or
a service is renamed, this is the one file of the factories to change."""

# ruff: noqa: F401 - re-exported for the factories

from __future__ import annotations

from wijkteam import create_app, migrate
from wijkteam import models as all_models  # every table in Base.metadata
from wijkteam.auth.models import Role, Team, User
from wijkteam.auth.services import create_team, create_user, issue_password_link
from wijkteam.cases.models import Case, CaseHandover, CloseReason, MemberRole
from wijkteam.cases.services import close_case, register_family
from wijkteam.closing import services as closing
from wijkteam.closing.models import EndedBy, GoalResult, SatisfactionHow
from wijkteam.core.config import TestConfig
from wijkteam.core.db import Base, db, get_engine, make_engine, utc_now
from wijkteam.discussions import services as discussions
from wijkteam.discussions.models import Need, Task
from wijkteam.jobs.models import JobKind, JobStatus, PrintJob
from wijkteam.keyfigures import services as keyfigures
from wijkteam.keyfigures.models import KeyFigureKind
from wijkteam.network import services as network
from wijkteam.network.models import Closeness, MeetingKind, NetworkKind, OrganisedBy, Quality
from wijkteam.notes import services as notes
from wijkteam.notes.models import Audience as NoteAudience
from wijkteam.notes.models import ContactKind, PartKind
from wijkteam.plans import services as plans
from wijkteam.plans.models import (
    ActionStatus,
    AgreedHow,
    ExplainedHow,
    LadderLevel,
    OwnerKind,
    Regie,
    WrittenHow,
)
from wijkteam.plans.queries import load_plan
from wijkteam.resources import services as resources
from wijkteam.resources.models import Audience, Direction, ReferralStatus, ResourceKind
from wijkteam.reviews.models import Review
from wijkteam.safety import services as safety
from wijkteam.safety.models import ConditionState
