"""Multi-agency learning and development needs audits (Croydon priority 9): a board asks its partner agencies, topic
by topic, how well their staff's safeguarding learning needs are met, and publishes what it found (Croydon 5.1)."""

import uuid

from django.db import models

from shared_apps.agencies.models import Agency


class NeedsAudit(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True, help_text="What the audit is for, shown to agencies above the form.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT, editable=False)
    opens_on = models.DateField()
    closes_on = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    summary_published = models.BooleanField(default=False, editable=False)
    summary_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gt=models.F("opens_on")), name="needs_audit_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=models.Q(summary_published=False) | models.Q(status="closed"),
                name="needs_audit_published_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AuditTopic(models.Model):
    """An area of safeguarding practice the audit asks about, such as neglect or domestic abuse."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    audit = models.ForeignKey(NeedsAudit, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["audit", "order", "title"]

    def __str__(self) -> str:
        return self.title


class AuditQuestion(models.Model):
    class Kind(models.TextChoices):
        NEED_MET = "need_met", "How well the need is met (1 to 5)"
        SCALE = "scale", "Scale of 1 to 5"
        YES_NO = "yes_no", "Yes or no"
        NUMBER = "number", "Number"
        TEXT = "text", "Written answer"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    topic = models.ForeignKey(AuditTopic, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=500)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    required = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["topic", "order"]
        constraints = [
            # Met and unmet need is worked out from this one question, so a topic has exactly one.
            models.UniqueConstraint(
                fields=["topic"], condition=models.Q(kind="need_met"), name="one_need_met_question_per_topic"
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_scale(self) -> bool:
        return self.kind in (self.Kind.NEED_MET, self.Kind.SCALE)


class AuditInvitation(models.Model):
    """An agency asked to answer. The link's token is only ever held by the email; this keeps its SHA-256."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    audit = models.ForeignKey(NeedsAudit, on_delete=models.CASCADE, related_name="invitations")
    # Agencies live in the public schema, where Django's delete collector cannot see this board's tables: the
    # database's foreign key is what refuses deleting an agency that has been invited (agencies are deactivated).
    agency = models.ForeignKey(Agency, on_delete=models.DO_NOTHING, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_to = models.EmailField(blank=True, help_text="The address the link was emailed to; empty when not sent.")
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["audit", "created_at"]
        constraints = [models.UniqueConstraint(fields=["audit", "agency"], name="one_invitation_per_agency")]

    def __str__(self) -> str:
        return f"Invitation to answer “{self.audit}” (agency {self.agency_id})"


class AuditResponse(models.Model):
    """One set of answers sent through an agency's link. An agency may send several (one per service or team)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    audit = models.ForeignKey(NeedsAudit, on_delete=models.CASCADE, related_name="responses")
    invitation = models.ForeignKey(AuditInvitation, on_delete=models.CASCADE, related_name="responses")
    agency = models.ForeignKey(Agency, on_delete=models.DO_NOTHING, related_name="+")  # see AuditInvitation
    respondent_name = models.CharField(max_length=150)
    respondent_email = models.EmailField(blank=True)
    job_role = models.CharField(max_length=150, blank=True)
    staff_represented = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many staff the answers speak for."
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["audit", "-submitted_at"]

    def __str__(self) -> str:
        return f"{self.respondent_name} ({self.submitted_at:%d %b %Y})"


class AuditAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(AuditResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(AuditQuestion, on_delete=models.CASCADE, related_name="answers")
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    yes_no = models.BooleanField(null=True, blank=True)
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["response", "question"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question"),
            models.CheckConstraint(
                condition=models.Q(scale__isnull=True) | models.Q(scale__gte=1, scale__lte=5),
                name="answer_scale_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(number__isnull=True) | models.Q(number__gte=0), name="answer_number_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to “{self.question}”"

    @property
    def value(self) -> object:
        for name in ("scale", "yes_no", "number"):
            if getattr(self, name) is not None:
                return getattr(self, name)
        return self.text
