"""Evaluation of training: each board's forms (versioned: a form with answers is never changed, a change makes a
new version), the invitations sent to people who attended (and their line managers) with single-use, expiring
links, and the answers. Anonymous forms keep no link from an answer to the person who gave it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

SCALE_MIN, SCALE_MAX = 1, 5


class Stage(models.TextChoices):
    """When a form is asked, and of whom (Kirkpatrick levels 1 to 3)."""

    REACTION = "reaction", "Reaction, right after the session"
    BEFORE = "before", "Knowledge and confidence, before the course"
    AFTER = "after", "Knowledge and confidence, after the course"
    IMPACT = "impact", "Impact on practice, months later"
    SUPERVISOR = "supervisor", "Supervisor's view of the learning applied"


class EvaluationForm(models.Model):
    """One version of one of the board's forms. The self-assessment form serves both BEFORE and AFTER, so the
    same items are asked twice and the shift per item can be read."""

    class Kind(models.TextChoices):
        REACTION = "reaction", "Reaction"
        SELF_ASSESSMENT = "self_assessment", "Knowledge and confidence self-assessment"
        IMPACT = "impact", "Impact on practice"
        SUPERVISOR = "supervisor", "Supervisor survey"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    version = models.PositiveSmallIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    anonymous = models.BooleanField(
        default=True, help_text="Answers are kept with no link to the person who gave them."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="one_form_per_kind_and_version"),
            models.UniqueConstraint(fields=["kind"], condition=Q(is_current=True), name="one_current_form_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", "A score from 1 to 5"
        TEXT = "text", "Free text"

    form = models.ForeignKey(EvaluationForm, on_delete=models.CASCADE, related_name="questions")
    # Stable across versions ("overall", "knowledge_1"), so summaries compare like with like.
    key = models.SlugField(max_length=50)
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    required = models.BooleanField(default=True)
    low_label = models.CharField(max_length=60, blank=True, help_text="What 1 means, e.g. “Very poor”.")
    high_label = models.CharField(max_length=60, blank=True, help_text="What 5 means, e.g. “Excellent”.")

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["form", "key"], name="question_keys_unique_in_a_form")]

    def __str__(self) -> str:
        return self.text


class Invitation(models.Model):
    """An invitation to answer one form about one booking: sent when due, reminded before it closes, answered once.
    Its link carries the invitation's id signed with the site's secret (nothing to guess, nothing stored)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    booking = models.ForeignKey("booking.Booking", on_delete=models.CASCADE, related_name="evaluation_invitations")
    stage = models.CharField(max_length=12, choices=Stage.choices)
    form = models.ForeignKey(EvaluationForm, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField()
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["opens_at"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "stage"], name="one_invitation_per_booking_and_stage"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="invitation_closes_after_opening"
            ),
        ]
        indexes = [models.Index(fields=["stage", "answered_at"], name="invitations_by_stage_idx")]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} for {self.booking_id}"


class Response(models.Model):
    """One set of answers. What summaries group by is copied here (session, course, agency type), so an anonymous
    response needs no path back to the booking or the person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    form = models.ForeignKey(EvaluationForm, on_delete=models.PROTECT, related_name="responses")
    stage = models.CharField(max_length=12, choices=Stage.choices)
    session = models.ForeignKey("offer.Session", on_delete=models.PROTECT, related_name="evaluation_responses")
    course = models.ForeignKey("offer.Course", on_delete=models.PROTECT, related_name="evaluation_responses")
    agency_type = models.CharField(max_length=30, blank=True)
    # Empty for anonymous forms: nobody, in any page, API or export, can tell who answered.
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+"
    )
    booking = models.ForeignKey("booking.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The day only: a timestamp could be matched to the invitation's answered_at.
    submitted_on = models.DateField()

    class Meta:
        ordering = ["-submitted_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(respondent__isnull=True, booking__isnull=True) | Q(respondent__isnull=False),
                name="anonymous_responses_name_nobody",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} on {self.submitted_on}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)]
    )
    text = models.TextField(blank=True, max_length=4000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_evaluation_answer_per_question"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=SCALE_MIN, score__lte=SCALE_MAX),
                name="scores_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.score or self.text[:30]}"
