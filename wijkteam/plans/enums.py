"""The closed lists of the family plan, with their labels (re-exported by plans/models.py,
where the models that store them live)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from wijkteam.core.enums import LabelledIntEnum, LabelledStrEnum


class LadderLevel(LabelledIntEnum):
    """The participation ladder: how much the family decides (after Pretty, 1995)."""

    NO_PARTICIPATION = 1, _l("No participation")
    INFORMING = 2, _l("Informing")
    CONSULTING = 3, _l("Consulting")
    ADVISING = 4, _l("Advising")
    SHARED_DECISIONS = 5, _l("Shared decision-making")
    SELF_DIRECTION = 6, _l("Self-direction")

    @property
    def meaning(self) -> str:
        """What the level means, for the professional."""
        return str(_LADDER_MEANING[self])

    @property
    def family_meaning(self) -> str:
        """The level in plain words for the family's printout ("jullie", "wij")."""
        return str(_LADDER_FAMILY_MEANING[self])


_LADDER_MEANING = {
    LadderLevel.NO_PARTICIPATION: _l("The professional decides without asking the family."),
    LadderLevel.INFORMING: _l("The professional decides and tells the family."),
    LadderLevel.CONSULTING: _l("The professional asks the family's view, then decides."),
    LadderLevel.ADVISING: _l("The family advises; its advice weighs heavily."),
    LadderLevel.SHARED_DECISIONS: _l("Family and professional make the plan together."),
    LadderLevel.SELF_DIRECTION: _l(
        "The family decides itself and, with its network, carries out the plan."
    ),
}
_LADDER_FAMILY_MEANING = {
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


class SocialLadderLevel(LabelledIntEnum):
    """The municipal social participation ladder (Participatieladder of VNG/Divosa)."""

    ISOLATED = 1, _l("Isolated")
    SOCIAL_CONTACTS = 2, _l("Social contacts outside the home")
    ORGANISED_ACTIVITIES = 3, _l("Taking part in organised activities")
    UNPAID_WORK = 4, _l("Unpaid work")
    PAID_WORK_WITH_SUPPORT = 5, _l("Paid work with support")
    PAID_WORK = 6, _l("Paid work")


class Regie(LabelledStrEnum):
    """Who directs: eigen, gedeelde or overgenomen regie."""

    OWN = "own", _l("Own regie (the family directs)")
    SHARED = "shared", _l("Shared regie")
    TAKEN_OVER = "taken_over", _l("Regie taken over (the professional directs)")


class GoalStatus(LabelledStrEnum):
    ACTIVE = "active", _l("Working on it")
    ACHIEVED = "achieved", _l("Achieved")
    CHANGED = "changed", _l("Changed")
    DROPPED = "dropped", _l("Dropped")


class OwnerKind(LabelledStrEnum):
    FAMILY = "family", _l("The family itself")
    NETWORK = "network", _l("Someone from the network")
    PROFESSIONAL = "professional", _l("A professional or service")

    @property
    def short_label(self) -> str:
        """The short form after a name: "Kwame (family)", "Oma Ria (network)"."""
        return str(_OWNER_KIND_SHORT[self])


_OWNER_KIND_SHORT = {
    OwnerKind.FAMILY: _l("family"),
    OwnerKind.NETWORK: _l("network"),
    OwnerKind.PROFESSIONAL: _l("professional"),
}


class ActionStatus(LabelledStrEnum):
    PLANNED = "planned", _l("Planned")
    DOING = "doing", _l("Under way")
    DONE = "done", _l("Done")
    STOPPED = "stopped", _l("Stopped")


class Repeats(LabelledStrEnum):
    """How often an action is done: once, or again and again ("every Wednesday")."""

    ONCE = "once", _l("Once")
    DAILY = "daily", _l("Every day")
    WEEKLY = "weekly", _l("Every week")
    MONTHLY = "monthly", _l("Every month")


class AgreedHow(LabelledStrEnum):
    IN_PERSON = "in_person", _l("In person")
    BY_PHONE = "by_phone", _l("By phone")
    SIGNED_PRINTOUT = "signed_printout", _l("Signed printout")


class ExplainedHow(LabelledStrEnum):
    """How the plan was explained to the family when they agreed (issue 19)."""

    TOGETHER = "together", _l("Read together (in Dutch)")
    INTERPRETER = "interpreter", _l("With an interpreter")
    READER = "reader", _l("Read aloud by someone the family chose")


class SecondTextOf(LabelledStrEnum):
    """What a second text in the family's language renders (issue 19): the goal's words, an
    action's words, or what would make a score one point higher."""

    GOAL = "goal", _l("The goal")
    ACTION = "action", _l("An action")
    SCORE = "score", _l("One point higher")


class WrittenHow(LabelledStrEnum):
    """How a second text in the family's language was written (issue 19)."""

    WITH_INTERPRETER = "with_interpreter", _l("With an interpreter")
    BY_FAMILY = "by_family", _l("By the family itself")
    BY_PROFESSIONAL = "by_professional", _l("By the professional")
