"""Every write to evaluation: the board's forms and their versions, inviting people (and their line managers) at
the right time through stored due dates, and taking answers through signed, single-use, expiring links.

Timing (all stored as due work, picked up by the periodic dispatcher, never as countdowns on the broker):
- BEFORE: the knowledge and confidence self-assessment, sent with the session reminder; closes at the start.
- REACTION and AFTER: when the register closes, to everyone who came; open `evaluation_days_open` days.
- IMPACT, and SUPERVISOR to the line manager on the booking: `impact_survey_days` after the session.
Each invitation is sent once when it opens and reminded once, three days before it closes (halfway through a
shorter window).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shared_apps.audit.services import record
from tenant_apps.boardhome.services import board_settings
from tenant_apps.booking.models import Booking
from tenant_apps.evaluation.defaults import DEFAULT_FORMS, QuestionInput
from tenant_apps.evaluation.models import (
    SCALE_MAX,
    SCALE_MIN,
    Answer,
    EvaluationForm,
    Invitation,
    Question,
    Response,
    Stage,
)
from tenant_apps.offer.models import Session
from tenant_apps.scheduling import services as due_work

SEND_KIND = "evaluation.send"
REMIND_KIND = "evaluation.remind"
REMIND_BEFORE_CLOSING = timedelta(days=3)
IMPACT_OPEN_FOR = timedelta(days=21)
LINK_SALT = "evaluation.invitation"
FORM_OF_STAGE = {
    Stage.REACTION: EvaluationForm.Kind.REACTION,
    Stage.BEFORE: EvaluationForm.Kind.SELF_ASSESSMENT,
    Stage.AFTER: EvaluationForm.Kind.SELF_ASSESSMENT,
    Stage.IMPACT: EvaluationForm.Kind.IMPACT,
    Stage.SUPERVISOR: EvaluationForm.Kind.SUPERVISOR,
}
ATTENDED = (Booking.Attendance.ATTENDED, Booking.Attendance.PARTIAL)


# Forms


def seed_default_forms() -> int:
    """The forms every board starts with (Croydon 6.2's reaction questions and the others). Idempotent."""
    made = 0
    for kind, (title, introduction, questions) in DEFAULT_FORMS.items():
        if EvaluationForm.objects.filter(kind=kind).exists():
            continue
        form = EvaluationForm.objects.create(kind=kind, title=title, introduction=introduction)
        Question.objects.bulk_create(
            Question(form=form, order=number, **question.__dict__) for number, question in enumerate(questions)
        )
        made += 1
    return made


def current_form(kind: str) -> EvaluationForm:
    form = EvaluationForm.objects.filter(kind=kind, is_current=True).first()
    if form is None:
        seed_default_forms()
        form = EvaluationForm.objects.get(kind=kind, is_current=True)
    return form


def _check_questions(questions: list[QuestionInput]) -> None:
    errors: list[str] = []
    if not questions:
        errors.append("A form needs at least one question.")
    keys = [question.key for question in questions]
    if len(set(keys)) != len(keys):
        errors.append("Each question needs its own key.")
    for question in questions:
        if not question.text.strip():
            errors.append("Every question needs its wording.")
        if question.kind not in Question.Kind.values:
            errors.append(f"“{question.kind}” is not a kind of question: use a score from 1 to 5 or free text.")
    if errors:
        raise ValidationError({"questions": errors})


def revise_form(
    form: EvaluationForm,
    *,
    actor: Any,
    title: str,
    introduction: str = "",
    anonymous: bool = True,
    questions: list[QuestionInput],
) -> EvaluationForm:
    """Change a form. Once anyone has been invited to answer it (or has answered), the change makes a new version:
    the old one, every answer given to it and every link already sent stay exactly as they were. Before that, the
    form is changed in place."""
    if not title.strip():
        raise ValidationError({"title": ["Give the form a title."]})
    _check_questions(questions)
    with transaction.atomic():
        form = EvaluationForm.objects.select_for_update().get(pk=form.pk)
        if not form.is_current:
            raise ValidationError({"form": ["This is an old version: change the current one."]})
        answered = Response.objects.filter(form=form).exists() or Invitation.objects.filter(form=form).exists()
        if answered:
            form.is_current = False
            form.save(update_fields=["is_current"])
            form = EvaluationForm.objects.create(
                kind=form.kind,
                version=form.version + 1,
                title=title.strip(),
                introduction=introduction.strip(),
                anonymous=anonymous,
            )
        else:
            form.title, form.introduction, form.anonymous = title.strip(), introduction.strip(), anonymous
            form.save(update_fields=["title", "introduction", "anonymous"])
            form.questions.all().delete()
        Question.objects.bulk_create(
            Question(form=form, order=number, **question.__dict__) for number, question in enumerate(questions)
        )
        record(
            "evaluation.form_changed",
            actor=actor,
            obj=form,
            summary=f"“{form.title}” changed" + (f": version {form.version}" if answered else ""),
        )
    return form


# Invitations


def link_token(invitation: Invitation) -> str:
    return signing.dumps(str(invitation.pk), salt=LINK_SALT, compress=True)


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link names, if the signature holds (whether it may still be answered is `answer`'s
    business, so that the page can say why not)."""
    try:
        invitation_id = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature:
        return None
    return (
        Invitation.objects.select_related("form", "booking__session__course", "booking__user")
        .filter(pk=invitation_id)
        .first()
    )


def _current_forms() -> dict[str, EvaluationForm]:
    """The current form of each kind, read once for a batch of invitations."""
    return {kind: current_form(kind) for kind in set(FORM_OF_STAGE.values())}


def _invite(
    booking: Booking,
    stage: str,
    *,
    forms: dict[str, EvaluationForm],
    email: str,
    opens_at: datetime,
    closes_at: datetime,
) -> Invitation | None:
    """One invitation per booking and stage (again: nothing new), with its sending and reminder stored as due work."""
    if not email or closes_at <= opens_at:
        return None
    invitation, created = Invitation.objects.get_or_create(
        booking=booking,
        stage=stage,
        defaults={
            "form": forms[FORM_OF_STAGE[Stage(stage)]],
            "email": email,
            "opens_at": opens_at,
            "closes_at": closes_at,
        },
    )
    if created:
        key = str(invitation.pk)
        due_work.schedule(SEND_KIND, key=key, due_at=opens_at, payload={"invitation": key})
        # Three days before it closes, or halfway through a shorter window (never right after the invitation).
        remind_at = max(closes_at - REMIND_BEFORE_CLOSING, opens_at + (closes_at - opens_at) / 2)
        due_work.schedule(REMIND_KIND, key=key, due_at=remind_at, payload={"invitation": key})
    return invitation if created else None


def invite_before(session: Session) -> int:
    """The self-assessment before the course, to everyone booked; it closes when the session starts."""
    now = timezone.now()
    if session.starts_at is None or session.starts_at <= now:
        return 0
    forms = _current_forms()
    rows = Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).select_related("user")
    invited = [
        _invite(booking, Stage.BEFORE, forms=forms, email=booking.user.email, opens_at=now, closes_at=session.starts_at)
        for booking in rows
    ]
    return sum(invitation is not None for invitation in invited)


def invite_after_session(session: Session) -> int:
    """When the register closes: reaction and after-course self-assessment now, impact (and the line manager's
    survey) later, for everyone who came."""
    settings = board_settings()
    now = timezone.now()
    closes = now + timedelta(days=settings.evaluation_days_open)
    impact_opens = max((session.ends_at or now) + timedelta(days=settings.impact_survey_days), now)
    impact_closes = impact_opens + IMPACT_OPEN_FOR
    forms = _current_forms()
    made = 0
    rows = Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED, attendance__in=ATTENDED)
    for booking in rows.select_related("user"):
        person = booking.user.email
        plan = [
            (Stage.REACTION, person, now, closes),
            (Stage.AFTER, person, now, closes),
            (Stage.IMPACT, person, impact_opens, impact_closes),
            (Stage.SUPERVISOR, booking.line_manager_email, impact_opens, impact_closes),  # none without a manager
        ]
        for stage, email, opens_at, closes_at in plan:
            invitation = _invite(booking, stage, forms=forms, email=email, opens_at=opens_at, closes_at=closes_at)
            made += invitation is not None
    return made


def _day(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y}"


def why_closed(invitation: Invitation, *, now: datetime | None = None) -> str:
    """Why this invitation cannot be answered now, in words for the person; empty when it can."""
    now = now or timezone.now()
    if invitation.answered_at is not None:
        return "This link has already been used: the answers were received. Thank you."
    if now < invitation.opens_at:
        return f"This survey opens on {_day(invitation.opens_at)}."
    if now >= invitation.closes_at:
        return f"This survey closed on {_day(invitation.closes_at)}."
    if invitation.booking.status == Booking.Status.CANCELLED:
        return "The booking this survey was about was cancelled."
    return ""


def answer(token: str, answers: dict[str, Any]) -> Response:
    """Take the answers given through a link (whoever holds it: no account needed). All or nothing: any answer off
    the scale, any required question left out, a used, expired or altered link: a clear message and nothing
    stored. A named form records the person the invitation was for, never whoever happens to be signed in."""
    found = invitation_for_token(token)
    if found is None:
        raise ValidationError({"link": ["This link is not valid: use the link in your email as it was sent."]})
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("form").get(pk=found.pk)
        invitation.booking = found.booking
        problem = why_closed(invitation)
        if problem:
            raise ValidationError({"link": [problem]})
        questions = list(invitation.form.questions.all())
        cleaned, errors = _clean(questions, answers)
        if errors:
            raise ValidationError(errors)
        booking = found.booking
        session = booking.session
        anonymous = invitation.form.anonymous
        response = Response.objects.create(
            form=invitation.form,
            stage=invitation.stage,
            session=session,
            course_id=session.course_id,
            agency_type=booking.agency.agency_type if booking.agency_id and booking.agency else "",
            respondent=None if anonymous or invitation.stage == Stage.SUPERVISOR else booking.user,
            booking=None if anonymous or invitation.stage == Stage.SUPERVISOR else booking,
            submitted_on=timezone.localdate(),
        )
        Answer.objects.bulk_create(Answer(response=response, question=question, **value) for question, value in cleaned)
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["answered_at"])
        due_work.cancel(REMIND_KIND, key=str(invitation.pk))
    return response


def _clean(
    questions: list[Question], answers: dict[str, Any]
) -> tuple[list[tuple[Question, dict[str, Any]]], dict[str, list[str]]]:
    cleaned: list[tuple[Question, dict[str, Any]]] = []
    errors: dict[str, list[str]] = {}
    for question in questions:
        raw = answers.get(question.key)
        text = "" if raw is None else str(raw).strip()
        if question.kind == Question.Kind.SCALE:
            if not text:
                if question.required:
                    errors[question.key] = [f"Choose a score from {SCALE_MIN} to {SCALE_MAX}: {question.text}"]
                continue
            # ASCII digits only: str.isdigit() also accepts "³", which int() refuses.
            if not re.fullmatch(r"[0-9]", text) or not SCALE_MIN <= int(text) <= SCALE_MAX:
                errors[question.key] = [f"Choose a whole number from {SCALE_MIN} to {SCALE_MAX}: {question.text}"]
                continue
            cleaned.append((question, {"score": int(text)}))
        else:
            if not text:
                if question.required:
                    errors[question.key] = [f"Answer this question: {question.text}"]
                continue
            if len(text) > 4000:
                errors[question.key] = ["Keep the answer under 4,000 characters."]
                continue
            cleaned.append((question, {"text": text}))
    unknown = sorted(set(answers) - {question.key for question in questions})
    if unknown:
        errors["answers"] = [f"These are not questions on this form: {', '.join(unknown)}."]
    return cleaned, errors


# Certificates


def certificate_withheld(booking: Booking) -> str:
    """Why the person's certificate is held back (the board asks for the reaction evaluation first); empty if not.
    Once the evaluation has closed unanswered, the certificate is no longer held: nobody could earn it any more."""
    if not board_settings().certificates_need_evaluation:
        return ""
    pending = (
        Invitation.objects.select_related("booking")
        .filter(booking=booking, stage=Stage.REACTION, answered_at__isnull=True)
        .first()
    )
    if pending is None or why_closed(pending):
        return ""
    return "Your certificate is ready once you have answered the short evaluation of the session we emailed you."


def pending_reaction_path(booking: Booking) -> str:
    """The link to the person's own unanswered reaction evaluation, for the page that withholds the certificate."""
    pending = Invitation.objects.filter(booking=booking, stage=Stage.REACTION, answered_at__isnull=True).first()
    return f"/evaluate/{link_token(pending)}/" if pending is not None and not why_closed(pending) else ""


# Sending (from the due-work handlers)


def mark_sent(invitation: Invitation, *, reminder: bool) -> bool:
    """Record a send; False if it went before (the due work ran twice) or can no longer be answered."""
    with transaction.atomic():
        row = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if row.answered_at is not None or timezone.now() >= row.closes_at:
            return False
        field = "reminded_at" if reminder else "sent_at"
        if getattr(row, field) is not None or (reminder and row.sent_at is None):
            return False
        setattr(row, field, timezone.now())
        row.save(update_fields=[field])
    return True
