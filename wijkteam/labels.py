"""Translated labels for the closed lists (enums)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from wijkteam.auth.models import Role
from wijkteam.cases.models import CaseStatus, CloseReason, Custody, MemberRole
from wijkteam.discussions.models import ItemStatus, Need
from wijkteam.network.models import (
    Closeness,
    InformalRole,
    MeetingKind,
    NetworkKind,
    OrganisedBy,
    Quality,
)
from wijkteam.notes.models import ContactKind, PartKind
from wijkteam.plans.models import (
    ActionStatus,
    AgreedHow,
    GoalStatus,
    LadderLevel,
    OwnerKind,
    Regie,
    SocialLadderLevel,
)
from wijkteam.resources.models import Audience, Direction, ReferralStatus, ResourceKind
from wijkteam.reviews.models import ReviewKind, ReviewStatus
from wijkteam.safety.models import ConcernStatus, ConditionState

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
# The participation ladder: how much the family decides about its plan.
LADDER_LEVEL = {
    LadderLevel.NO_PARTICIPATION: _l("No participation"),
    LadderLevel.INFORMING: _l("Informing"),
    LadderLevel.CONSULTING: _l("Consulting"),
    LadderLevel.ADVISING: _l("Advising"),
    LadderLevel.SHARED_DECISIONS: _l("Shared decision-making"),
    LadderLevel.SELF_DIRECTION: _l("Self-direction"),
}
LADDER_MEANING = {
    LadderLevel.NO_PARTICIPATION: _l("The professional decides without asking the family."),
    LadderLevel.INFORMING: _l("The professional decides and tells the family."),
    LadderLevel.CONSULTING: _l("The professional asks the family's view, then decides."),
    LadderLevel.ADVISING: _l("The family advises; its advice weighs heavily."),
    LadderLevel.SHARED_DECISIONS: _l("Family and professional make the plan together."),
    LadderLevel.SELF_DIRECTION: _l(
        "The family decides itself and, with its network, carries out the plan."
    ),
}
# The participation ladder in plain words for the family's printout ("jullie", "wij").
LADDER_FAMILY = {
    LadderLevel.NO_PARTICIPATION: _l(
        "At the moment we decide about the plan. We want you to have more say again soon."
    ),
    LadderLevel.INFORMING: _l(
        "At the moment we decide about the plan and tell you what we decide. We want you to "
        "have more say again soon."
    ),
    LadderLevel.CONSULTING: _l(
        "We ask what you think and take that into account, but we still decide."
    ),
    LadderLevel.ADVISING: _l("You give advice about the plan and your advice counts heavily."),
    LadderLevel.SHARED_DECISIONS: _l("You and we make this plan together and decide together."),
    LadderLevel.SELF_DIRECTION: _l(
        "You decide about your plan yourselves, with the people around you. We help where "
        "you ask us to."
    ),
}
# The municipal social participation ladder (VNG/Divosa): taking part in society.
SOCIAL_LADDER_LEVEL = {
    SocialLadderLevel.ISOLATED: _l("Isolated"),
    SocialLadderLevel.SOCIAL_CONTACTS: _l("Social contacts outside the home"),
    SocialLadderLevel.ORGANISED_ACTIVITIES: _l("Taking part in organised activities"),
    SocialLadderLevel.UNPAID_WORK: _l("Unpaid work"),
    SocialLadderLevel.PAID_WORK_WITH_SUPPORT: _l("Paid work with support"),
    SocialLadderLevel.PAID_WORK: _l("Paid work"),
}
REGIE = {
    Regie.OWN: _l("Own regie (the family directs)"),
    Regie.SHARED: _l("Shared regie"),
    Regie.TAKEN_OVER: _l("Regie taken over (the professional directs)"),
}
GOAL_STATUS = {
    GoalStatus.ACTIVE: _l("Working on it"),
    GoalStatus.ACHIEVED: _l("Achieved"),
    GoalStatus.CHANGED: _l("Changed"),
    GoalStatus.DROPPED: _l("Dropped"),
}
OWNER_KIND = {
    OwnerKind.FAMILY: _l("The family itself"),
    OwnerKind.NETWORK: _l("Someone from the network"),
    OwnerKind.PROFESSIONAL: _l("A professional or service"),
}
# Short form after a name: "Kwame (family)", "Oma Ria (network)".
OWNER_KIND_SHORT = {
    OwnerKind.FAMILY: _l("family"),
    OwnerKind.NETWORK: _l("network"),
    OwnerKind.PROFESSIONAL: _l("professional"),
}
ACTION_STATUS = {
    ActionStatus.PLANNED: _l("Planned"),
    ActionStatus.DOING: _l("Under way"),
    ActionStatus.DONE: _l("Done"),
    ActionStatus.STOPPED: _l("Stopped"),
}
AGREED_HOW = {
    AgreedHow.IN_PERSON: _l("In person"),
    AgreedHow.BY_PHONE: _l("By phone"),
    AgreedHow.SIGNED_PRINTOUT: _l("Signed printout"),
}

NETWORK_KIND = {
    NetworkKind.FAMILY: lazy_pgettext("network kind", "Family"),
    NetworkKind.FRIEND: _l("Friend"),
    NetworkKind.NEIGHBOUR: _l("Neighbour"),
    NetworkKind.VOLUNTEER: _l("Volunteer"),
    NetworkKind.INFORMAL_WORKER: _l("Informal worker / key figure"),
    NetworkKind.PROFESSIONAL: _l("Professional / service"),
}
CLOSENESS = {
    Closeness.CLOSE: _l("Close"),
    Closeness.MIDDLE: _l("In between"),
    Closeness.FAR: _l("Further away"),
}
QUALITY = {
    Quality.SUPPORTIVE: _l("Supportive"),
    Quality.STRAINED: _l("Strained"),
    Quality.UNSAFE: _l("Unsafe"),
}
INFORMAL_ROLE = {
    InformalRole.CONFIDANT: _l("Confidant"),
    InformalRole.ADVISER: _l("Engaged adviser"),
    InformalRole.MEDIATOR_PARENTS_CHILDREN: _l("Mediator between parents and children"),
    InformalRole.SOCIAL_BROKER: _l("Social broker (bridge to services)"),
    InformalRole.INFORMAL_HELPER: _l("Informal helper"),
    InformalRole.CARE_MEDIATOR: _l("Mediator alongside professional care"),
    InformalRole.CULTURAL_INTERPRETER: _l("Interpreter of language and culture"),
}
SUPPORT_KIND = {
    "emotional": _l("emotional"),
    "practical": _l("practical"),
    "information": _l("information and advice"),
}
MEETING_KIND = {
    MeetingKind.INFORMAL: _l("Informal network meeting"),
    MeetingKind.FAMILY_GROUP_CONFERENCE: _l("Family group conference (Eigen Kracht-conferentie)"),
}
ORGANISED_BY = {
    OrganisedBy.FAMILY: _l("The family itself"),
    OrganisedBy.PROFESSIONAL: _l("The professional"),
}

CONCERN_STATUS = {
    ConcernStatus.OPEN: _l("Open"),
    ConcernStatus.BEING_HANDLED: _l("Being handled"),
    ConcernStatus.CLOSED: _l("Closed"),
}
CONDITION_STATE = {
    ConditionState.NOT_REVIEWED: _l("Not checked yet"),
    ConditionState.KEPT: _l("Kept"),
    ConditionState.PARTLY: _l("Partly kept"),
    ConditionState.NOT_KEPT: _l("Not kept"),
    ConditionState.ENDED: _l("No longer needed"),
}
MELDCODE_STEP = {
    1: _l("Map the signals"),
    2: _l("Consult a colleague and, if needed, Veilig Thuis"),
    3: _l("Talk with the parents (and the child)"),
    4: _l("Weigh: the afwegingskader"),
    5: _l("Decide: organise help and/or report"),
}

CONTACT_KIND = {
    ContactKind.HOME_VISIT: _l("Home visit"),
    ContactKind.PHONE: _l("Phone call"),
    ContactKind.VIDEO: _l("Video call"),
    ContactKind.OFFICE: _l("At the office"),
    ContactKind.MEETING: _l("Meeting"),
    ContactKind.OTHER: _l("Other"),
}
PART_KIND = {
    PartKind.QUESTION: _l("Question or wish"),
    PartKind.STRENGTHS: _l("Strengths"),
    PartKind.EXCEPTIONS: _l("Exceptions"),
    PartKind.FUTURE: _l("Future wishes"),
    PartKind.COMPLIMENTS: _l("Compliments"),
    PartKind.AGREEMENTS: _l("Agreements"),
    PartKind.FREE_TEXT: _l("Other notes"),
}
TIMELINE_KIND = {
    "note": _l("Conversation notes"),
    "plan": _l("Plan"),
    "ladder": _l("Participation ladder"),
    "regie": _l("Regie"),
    "safety": _l("Safety"),
    "meeting": _l("Network meetings"),
    "discussion": _l("Case discussions"),
}

DISCUSSION_NEED = {
    Need.ADVICE: _l("Advice"),
    Need.DECISION: _l("A decision"),
    Need.SECOND_LOOK: _l("A second pair of eyes"),
    Need.DUO: _l("A duo colleague"),
}
ITEM_STATUS = {
    ItemStatus.WAITING: _l("Waiting for a meeting"),
    ItemStatus.ON_AGENDA: _l("On the agenda"),
    ItemStatus.DISCUSSED: _l("Discussed"),
    ItemStatus.WITHDRAWN: _l("Withdrawn"),
}

RESOURCE_KIND = {
    ResourceKind.VOLUNTEER_ORG: _l("Volunteer organisation"),
    ResourceKind.SELF_ORG: _l("Migrant self-organisation"),
    ResourceKind.PARENT_GROUP: _l("Parent meeting or group"),
    ResourceKind.PREVENTIVE: _l("CJG / preventive service"),
    ResourceKind.SPECIALIST: _l("Specialist care"),
    ResourceKind.OTHER: _l("Other"),
}
AUDIENCE = {
    Audience.EVERYONE: _l("Everyone"),
    Audience.PARENTS: _l("Parents"),
    Audience.MOTHERS: _l("Mothers"),
    Audience.FATHERS: _l("Fathers"),
    Audience.CHILDREN: _l("Children"),
    Audience.YOUTH: _l("Young people"),
}
DIRECTION = {
    Direction.OUTGOING: _l("We refer the family to the resource"),
    Direction.INCOMING: _l("The resource referred the family to us"),
}
REFERRAL_STATUS = {
    ReferralStatus.PROPOSED: _l("Proposed"),
    ReferralStatus.AGREED: _l("Agreed with the family"),
    ReferralStatus.MADE: _l("Referral made"),
    ReferralStatus.STARTED: _l("Started"),
    ReferralStatus.ENDED: _l("Ended"),
    ReferralStatus.DECLINED: _l("Declined"),
}

REVIEW_KIND = {
    ReviewKind.PLAN_VERSION: _l("Agreed plan version"),
    ReviewKind.SAFETY_DECISION: _l("Safety decision (Meldcode step 5)"),
}
REVIEW_STATUS = {
    ReviewStatus.WAITING: _l("Waiting for sign-off"),
    ReviewStatus.APPROVED: _l("Approved"),
    ReviewStatus.RETURNED: _l("Sent back"),
}

AUDIT_ACTION = {
    "case.view": _l("Viewed the case"),
    "case.create": _l("Opened the case"),
    "case.update": _l("Changed the case"),
    "case.close": _l("Closed the case"),
    "case.handover": _l("Changed the case lead or duo colleague"),
    "family.create": _l("Registered the family"),
    "family.update": _l("Changed family details"),
    "member.create": _l("Added a family member"),
    "member.update": _l("Changed a family member"),
    "audit.view": _l("Viewed the audit trail"),
    "case.denied": _l("Was refused access to the case (not in the team)"),
    "access.denied": _l("Was refused a page or an action"),
    "csrf.refused": _l("Sent a form that was refused (security code missing or wrong)"),
    "plan.create": _l("Started the plan"),
    "plan.update": _l("Changed the plan's dates"),
    "plan.finalise": _l("Recorded the family's agreement to the plan"),
    "goal.create": _l("Added a goal"),
    "goal.update": _l("Changed a goal"),
    "goal.status": _l("Changed a goal's status"),
    "action.create": _l("Added an action"),
    "action.update": _l("Changed an action"),
    "score.create": _l("Recorded a scaling score"),
    "score.update": _l("Corrected a scaling score"),
    "score.void": _l("Struck out a scaling score"),
    "ladder.change": _l("Changed the participation ladder"),
    "regie.change": _l("Changed regie"),
    "social_ladder.create": _l("Recorded the social participation ladder"),
    "success.create": _l("Noted a small success"),
    "network.create": _l("Added someone to the network"),
    "network.update": _l("Changed a network member"),
    "network.archive": _l("Archived a network member"),
    "network.restore": _l("Brought back a network member"),
    "meeting.create": _l("Recorded a network meeting"),
    "safety.view": _l("Viewed a safety concern"),
    "safety.create": _l("Opened a safety concern"),
    "safety.update": _l("Changed a safety concern"),
    "safety.signal": _l("Recorded a signal"),
    "safety.signal_update": _l("Corrected a signal"),
    "safety.step": _l("Recorded a step of the Meldcode"),
    "safety.step_update": _l("Corrected a step of the Meldcode"),
    "safety.map": _l("Changed the Signs of Safety map"),
    "safety.score": _l("Scored the safety scale"),
    "safety.score_void": _l("Struck out a safety score"),
    "safety.condition": _l("Set a condition"),
    "safety.condition_update": _l("Changed a condition"),
    "safety.close": _l("Closed a safety concern"),
    "safety.withhold": _l("Held a safety concern back from the family's file"),
    "safety.release": _l("Showed a safety concern in the family's file again"),
    "note.create": _l("Started a conversation note"),
    "note.update": _l("Changed a draft note"),
    "note.finalise": _l("Finished a conversation note"),
    "note.addendum": _l("Added an addendum to a note"),
    "search": _l("Searched"),
    "search.view": _l("Saw this case in search results"),
    "print.plan": _l("Printed the plan"),
    "export.file_pdf": _l("Produced the family's file (PDF)"),
    "export.file_json": _l("Produced the family's file (JSON)"),
    "referral.create": _l("Recorded a referral"),
    "referral.update": _l("Changed a referral"),
    "referral.status": _l("Changed a referral's status"),
    "review.request": _l("Asked for sign-off"),
    "review.decide": _l("Signed off or sent back"),
    "review.view": _l("Viewed a sign-off request"),
    "discussion.submit": _l("Brought the case to the case discussion"),
    "discussion.item_update": _l("Changed the question for the case discussion"),
    "discussion.withdraw": _l("Withdrew the case from the case discussion"),
    "discussion.agenda": _l("Put the case on the agenda of a case discussion"),
    "discussion.postpone": _l("Postponed the case in the case discussion"),
    "discussion.view": _l("Viewed the case in a case discussion"),
    "discussion.outcome": _l("Recorded the outcome of the case discussion"),
    "task.create": _l("Added a task"),
    "task.done": _l("Finished a task"),
}

ALL: dict[str, dict] = {  # kind -> {value: label}
    "role": ROLE,
    "member_role": MEMBER_ROLE,
    "custody": CUSTODY,
    "case_status": CASE_STATUS,
    "close_reason": CLOSE_REASON,
    "audit_action": AUDIT_ACTION,
    "ladder_level": LADDER_LEVEL,
    "ladder_meaning": LADDER_MEANING,
    "ladder_family": LADDER_FAMILY,
    "social_ladder_level": SOCIAL_LADDER_LEVEL,
    "regie": REGIE,
    "goal_status": GOAL_STATUS,
    "owner_kind": OWNER_KIND,
    "owner_kind_short": OWNER_KIND_SHORT,
    "action_status": ACTION_STATUS,
    "agreed_how": AGREED_HOW,
    "network_kind": NETWORK_KIND,
    "closeness": CLOSENESS,
    "quality": QUALITY,
    "informal_role": INFORMAL_ROLE,
    "support_kind": SUPPORT_KIND,
    "meeting_kind": MEETING_KIND,
    "organised_by": ORGANISED_BY,
    "concern_status": CONCERN_STATUS,
    "condition_state": CONDITION_STATE,
    "meldcode_step": MELDCODE_STEP,
    "contact_kind": CONTACT_KIND,
    "part_kind": PART_KIND,
    "timeline_kind": TIMELINE_KIND,
    "resource_kind": RESOURCE_KIND,
    "audience": AUDIENCE,
    "direction": DIRECTION,
    "referral_status": REFERRAL_STATUS,
    "review_kind": REVIEW_KIND,
    "review_status": REVIEW_STATUS,
    "discussion_need": DISCUSSION_NEED,
    "item_status": ITEM_STATUS,
}
