"""Leeds evaluations for the sweep: a named reaction form (the canary in its title) and one person's answers to it,
the canary in their free-text answer. Anonymous answers hold no canary: nothing of them may name anyone anyway."""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from shared_apps.accounts.services import create_user
from tenant_apps.booking import services as booking
from tenant_apps.booking.models import Booking
from tenant_apps.evaluation import services
from tenant_apps.evaluation.defaults import DEFAULT_FORMS
from tenant_apps.evaluation.models import EvaluationForm, Invitation, Stage
from tenant_apps.offer import services as offer
from tenant_apps.offer.services import PartSpec

DAY = datetime(2032, 7, 13, 9, 30, tzinfo=ZoneInfo("Europe/London"))


def make(world: Any, canary: str) -> list[str]:
    _, introduction, questions = DEFAULT_FORMS[EvaluationForm.Kind.REACTION]
    form = services.revise_form(
        services.current_form(EvaluationForm.Kind.REACTION),
        actor=None,
        title=f"{canary} reaction",
        introduction=introduction,
        anonymous=False,
        questions=questions,
    )
    course = offer.save_course(
        actor=None,
        title="Sweep evaluation course",
        summary="A course people evaluate.",
        intervention_type="classroom",
        duration_hours=Decimal("2"),
        topic="neglect",
        status="published",
    )
    session = offer.schedule_session(
        course, actor=None, capacity=3, parts=[PartSpec(DAY, DAY + timedelta(hours=2), None)]
    )
    person = create_user("sweep.evaluator@school.test", "Sweep Evaluator", "correct horse battery staple")
    place = booking.book(session, person, actor=person)
    # The register's mark (the register itself opens only on the day).
    Booking.objects.filter(pk=place.pk).update(attendance=Booking.Attendance.ATTENDED)
    services.invite_after_session(session)
    invitation = Invitation.objects.get(booking=place, stage=Stage.REACTION)
    scores = {"overall": 4, "presentation": 4, "facilitator": 5, "understanding": 4}
    response = services.answer(
        services.link_token(invitation), scores | {"change_practice": f"{canary}: I will act sooner"}
    )
    return [str(form.pk), str(response.pk)]
