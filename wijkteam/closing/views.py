"""Pages of the way out: the family's satisfaction with the help, recorded at or after closing.
(The close page itself is cases.views.close, next to the other pages that change a case.)"""

from __future__ import annotations

from flask import Blueprint, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from wijkteam.closing import services
from wijkteam.closing.forms import SatisfactionForm
from wijkteam.closing.models import RATING_QUESTION, SATISFACTION_QUESTIONS, SatisfactionScale
from wijkteam.closing.queries import satisfaction_answers
from wijkteam.core import clock
from wijkteam.core.errors import NotAllowed
from wijkteam.core.permissions import can_record_satisfaction
from wijkteam.notes.readers import is_own_reader
from wijkteam.web.helpers import Page, actor, form_page, require_login
from wijkteam.web.loaders import get_case_or_404

bp = Blueprint("closing", __name__)
require_login(bp)


@bp.route("/cases/<int:case_id>/satisfaction", methods=["GET", "POST"])
def satisfaction(case_id: int) -> Page:
    """What the family said about the help: the answers recorded so far, and a form to add
    what one person answered (on the paper form, with the professional or by phone)."""
    user = actor()
    case = get_case_or_404(case_id, user)
    if not can_record_satisfaction(user, case):
        raise NotAllowed(
            _l(
                "Only the case lead, the duo colleague or the team lead can record what the "
                "family said about the help."
            )
        )
    today = clock.today()
    form = SatisfactionForm()
    form.set_members(
        sorted(
            (m for m in case.family.members if is_own_reader(m, today)),
            key=lambda m: m.id,
        )
    )
    if request.method == "GET":
        form.answered_on.data = today
    return form_page(
        form,
        template="closing/satisfaction.html",
        context={
            "case": case,
            "answers": satisfaction_answers(case),
            "questions": SATISFACTION_QUESTIONS,
            "rating_question": RATING_QUESTION,
            "scale": SatisfactionScale,
        },
        save=lambda: services.record_satisfaction(user, case, **form.answer_data()),
        message=_("The answers are saved."),
        done=lambda _answer: url_for("closing.satisfaction", case_id=case.id),
    )
