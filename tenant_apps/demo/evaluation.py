"""The demo's evaluations of last month's sessions (tenant_apps.demo.charges makes them and closes their registers,
which invites everyone who came to evaluate): the reaction and after-course invitations answered through the
evaluation service, with varied answers, and the before-course self-assessments that pair with them, so the board's
summaries show ratings, comments, the shift in knowledge and confidence and, for Leeds, a quality flag.

Leeds' course is rated lower on purpose: its three responses are the only ones enough to judge a course by
(selectors.MIN_RESPONSES_TO_FLAG), and its mean overall rating falls under the default threshold of 3.5.

Idempotent like the rest of the demo: only invitations still open and unanswered are answered, and a before-course
self-assessment is added only for a booking that has none. Impact and line manager surveys are left alone: they
open months after the session.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from tenant_apps.booking.models import Booking
from tenant_apps.demo.offer import COURSES
from tenant_apps.evaluation import services as evaluation
from tenant_apps.evaluation.models import Answer, EvaluationForm, Invitation, Response, Stage

# The self-assessment's items (defaults.py), in the order the scores below are given.
SELF_ASSESSMENT_KEYS = ("know_signs", "know_procedure", "confident_act", "confident_record")
BEFORE_OPENS = timedelta(days=7)  # the before-course survey goes with the session reminder, a week ahead


@dataclass(frozen=True)
class Feedback:
    """What one person who came to last month's session answers (a charges.HISTORY attendee marked as there)."""

    email: str
    overall: int
    presentation: int
    facilitator: int
    understanding: int
    change_practice: str
    before: tuple[int, int, int, int]  # SELF_ASSESSMENT_KEYS, a few days before the session
    after: tuple[int, int, int, int]  # the same items, after it
    comments: str = ""
    days_ahead: int = 3  # how many days before the session the before-course answers came in

    @property
    def reaction(self) -> dict[str, str]:
        """The answers to the reaction form, keyed as its questions are (scores as the page sends them)."""
        scores = {
            "overall": self.overall,
            "presentation": self.presentation,
            "facilitator": self.facilitator,
            "understanding": self.understanding,
        }
        answers = {key: str(score) for key, score in scores.items()}
        answers["change_practice"] = self.change_practice
        if self.comments:
            answers["comments"] = self.comments
        return answers


FEEDBACK: dict[str, tuple[Feedback, ...]] = {
    # Neglect: recognising and responding. Useful content, squeezed into too short a session: the course is flagged.
    "leeds": (
        Feedback(
            "practitioner@leeds.demo",
            overall=4,
            presentation=3,
            facilitator=5,
            understanding=4,
            change_practice="I will use the neglect toolkit at my next home visit and go through it with the family.",
            comments="The trainer knew the toolkit inside out, but three hours was not enough to practise it.",
            before=(3, 3, 2, 3),
            after=(4, 4, 4, 4),
            days_ahead=5,
        ),
        Feedback(
            "priya.chauhan@leeds-hospitals.demo",
            overall=3,
            presentation=2,
            facilitator=4,
            understanding=3,
            change_practice="I will ask about home conditions at antenatal booking rather than waiting for a concern.",
            comments="The slides were hard to read from the back of the room and the case studies felt rushed.",
            before=(2, 3, 2, 2),
            after=(3, 4, 3, 3),
            days_ahead=2,
        ),
        Feedback(
            "tom.whiteley@leeds.demo",
            overall=3,
            presentation=3,
            facilitator=4,
            understanding=3,
            change_practice="I will record small signs of neglect as they happen so the pattern shows over time.",
            comments="I had to leave before the section on referrals. Could it be offered as a shorter e-learning?",
            before=(2, 2, 2, 1),
            after=(3, 3, 3, 3),
            days_ahead=4,
        ),
    ),
    # Domestic abuse and its effect on children.
    "croydon": (
        Feedback(
            "hannah.price@croydonhealth.demo",
            overall=5,
            presentation=5,
            facilitator=5,
            understanding=5,
            change_practice="I will ask about coercive control at every new birth visit, with the partner out.",
            comments="The survivor's account of her children's experience will stay with me.",
            before=(3, 2, 2, 3),
            after=(5, 4, 4, 4),
            days_ahead=6,
        ),
        Feedback(
            "james.okafor@met.demo",
            overall=4,
            presentation=4,
            facilitator=5,
            understanding=4,
            change_practice="I will complete the MARAC referral the same day and check who else knows the children.",
            before=(3, 3, 3, 2),
            after=(4, 5, 4, 4),
            days_ahead=3,
        ),
    ),
    # Early help assessments in practice.
    "berkshire-west": (
        Feedback(
            "practitioner@berkshire-west.demo",
            overall=5,
            presentation=4,
            facilitator=5,
            understanding=5,
            change_practice="I will start an early help assessment with the family myself instead of referring on.",
            comments="Practising the conversation with a family in pairs was the most useful part.",
            before=(3, 2, 2, 2),
            after=(4, 4, 4, 3),
            days_ahead=4,
        ),
        Feedback(
            "ben.carter@thamesvalley.demo",
            overall=4,
            presentation=4,
            facilitator=4,
            understanding=4,
            change_practice="I will pass early help concerns from call-outs to the school's lead the next morning.",
            before=(3, 2, 3, 2),
            after=(4, 3, 4, 3),
            days_ahead=2,
        ),
    ),
}


def ensure_evaluations(slug: str, created: Counter[str]) -> None:
    """Run inside the board: answer the open reaction and after-course invitations of the demo's past session,
    then add the before-course self-assessments that pair with the after-course ones."""
    if slug not in FEEDBACK:
        return
    form = evaluation.current_form(EvaluationForm.Kind.SELF_ASSESSMENT)
    for feedback in FEEDBACK[slug]:
        invitations = _past_invitations(slug, feedback.email)
        for invitation in invitations.filter(stage__in=[Stage.REACTION, Stage.AFTER], answered_at__isnull=True):
            if evaluation.why_closed(invitation):
                continue  # it closed since the register was: nobody can answer it now, so the demo leaves it too
            if invitation.stage == Stage.REACTION:
                evaluation.answer(evaluation.link_token(invitation), feedback.reaction)
                created["reaction evaluations answered"] += 1
            else:
                evaluation.answer(evaluation.link_token(invitation), _self_assessment(feedback.after))
                created["after-course self-assessments answered"] += 1
        after = invitations.filter(stage=Stage.AFTER, answered_at__isnull=False).first()
        if after is not None and not invitations.filter(stage=Stage.BEFORE).exists():
            _import_before(after.booking, form, feedback)
            created["before-course self-assessments (imported history)"] += 1


def _past_invitations(slug: str, email: str) -> QuerySet[Invitation]:
    """The person's invitations about the demo's past session of the board's first course."""
    return Invitation.objects.select_related("booking__session__course", "booking__agency").filter(
        booking__user__email=email,
        booking__session__course__title=COURSES[slug][0].title,
        booking__session__starts_at__lt=timezone.now(),
    )


def _self_assessment(scores: tuple[int, int, int, int]) -> dict[str, str]:
    return {key: str(score) for key, score in zip(SELF_ASSESSMENT_KEYS, scores, strict=True)}


def _import_before(booking: Booking, form: EvaluationForm, feedback: Feedback) -> None:
    """The before-course self-assessment as imported history. The service invites only to sessions still to come
    (invite_before) and takes answers only while the survey is open (it closed when the session started), so the
    invitation, the response and its answers are written as records, as the board's old system held them."""
    session = booking.session
    starts = session.starts_at
    assert starts is not None  # the demo's past session has its time
    answered_at = starts - timedelta(days=feedback.days_ahead) + timedelta(hours=10)  # that evening
    Invitation.objects.create(
        booking=booking,
        stage=Stage.BEFORE,
        form=form,
        email=booking.user.email,
        opens_at=starts - BEFORE_OPENS,
        closes_at=starts,
        sent_at=starts - BEFORE_OPENS,
        answered_at=answered_at,
    )
    # Anonymous like answer() makes it for an anonymous form: no person and no booking, the day only.
    named = not form.anonymous
    response = Response.objects.create(
        form=form,
        stage=Stage.BEFORE,
        session=session,
        course_id=session.course_id,
        agency_type=booking.agency.agency_type if booking.agency else "",
        respondent=booking.user if named else None,
        booking=booking if named else None,
        submitted_on=timezone.localdate(answered_at),
    )
    questions = {question.key: question for question in form.questions.all()}
    Answer.objects.bulk_create(
        Answer(response=response, question=questions[key], score=score)
        for key, score in zip(SELF_ASSESSMENT_KEYS, feedback.before, strict=True)
        if key in questions
    )
