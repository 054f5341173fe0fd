"""Who needs which safeguarding learning: a board's audience groups (Berkshire West's groups 1 to 8, or the
intercollegiate levels 1 to 5 for health staff), the requirements of each group's learning pathway, each
practitioner's profile in the board, and the ledger of learning they have completed."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

MAX_MONTHS = 120


class AudienceGroup(models.Model):
    """A target audience for training: a group of roles with the same safeguarding learning needs."""

    class Scheme(models.TextChoices):
        GROUP = "group", "Audience group (groups 1 to 8)"
        LEVEL = "level", "Intercollegiate level (health staff)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scheme = models.CharField(max_length=8, choices=Scheme.choices, default=Scheme.GROUP)
    code = models.CharField(max_length=40, help_text="A short name, like “Group 3” or “Level 3”.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Who belongs to this group.")
    example_roles = models.TextField(blank=True, help_text="Jobs that usually belong here, one per line.")
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(
                Lower("code"),
                name="audience_group_code_unique",
                violation_error_message="There is already an audience group with this code.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class PathwayRequirement(models.Model):
    """One piece of learning everyone in a group must complete, how many hours, by when and how often."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(AudienceGroup, on_delete=models.CASCADE, related_name="requirements")
    title = models.CharField(max_length=200, help_text="For example “Level 3 safeguarding children”.")
    description = models.TextField(blank=True)
    # Matched case-insensitively with the topic of completed learning (and, later, of courses in the offer).
    topic = models.CharField(max_length=120, blank=True)
    minimum_hours = models.DecimalField(max_digits=5, decimal_places=2)
    first_completion_within_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)],
        help_text="Months from joining by which a new starter must have completed it. Empty: no deadline.",
    )
    refresh_every_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)],
        help_text="How often it must be done again, in months. Empty: once only.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["group__order", "group__code", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["group", "title"], name="one_requirement_title_per_group"),
            models.CheckConstraint(condition=models.Q(minimum_hours__gt=0), name="requirement_hours_positive"),
            models.CheckConstraint(
                condition=models.Q(refresh_every_months__isnull=True)
                | models.Q(refresh_every_months__gte=1, refresh_every_months__lte=MAX_MONTHS),
                name="requirement_refresh_months_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(first_completion_within_months__isnull=True)
                | models.Q(first_completion_within_months__gte=1, first_completion_within_months__lte=MAX_MONTHS),
                name="requirement_first_within_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title


# People and agencies live in the public schema. Django's own cascade would look for the rows below in the
# public schema, where these tables do not exist; DO_NOTHING leaves it to the database's foreign key, which
# refuses to delete a person or an agency that a board's records still name.


class LearnerProfile(models.Model):
    """A practitioner as one board knows them: employer, job, audience group, manager and start date."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+")
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+")
    job_role = models.CharField(max_length=150, blank=True)
    audience_group = models.ForeignKey(
        AudienceGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="learners"
    )
    line_manager_email = models.EmailField(blank=True)
    joined_on = models.DateField(null=True, blank=True, help_text="When they started in their current role.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["user"], name="one_learner_profile_per_person")]

    def __str__(self) -> str:
        return f"Learner profile of {self.user}"


class LearningCompletion(models.Model):
    """One piece of learning a person completed: the ledger the pathway is measured against."""

    class Source(models.TextChoices):
        ATTENDANCE = "attendance", "Attendance at a session"
        E_LEARNING = "e_learning", "E-learning"
        RECORDED = "recorded", "Recorded by a coordinator"
        IMPORTED = "imported", "Imported"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+")
    requirement = models.ForeignKey(
        PathwayRequirement, null=True, blank=True, on_delete=models.SET_NULL, related_name="completions"
    )
    title = models.CharField(max_length=200)
    topic = models.CharField(max_length=120, blank=True)
    completed_on = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.RECORDED)
    # The record's id where it came from (a booking, an e-learning certificate, a row of an import file).
    reference = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "title"]
        indexes = [models.Index(fields=["user", "completed_on"], name="completion_user_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "reference"],
                condition=~models.Q(reference=""),
                name="one_completion_per_source_reference",
            ),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="completion_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.completed_on})"


class ElearningRecord(models.Model):
    """A person's start (and, once done, completion) of an e-learning module, entered or imported from a provider.

    A completed record is mirrored in the ledger as a `LearningCompletion` with source "e_learning" and the
    record's id as its reference (`ledger_reference`), written by the services, so the pathway counts it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+")
    module_title = models.CharField(max_length=200)
    topic = models.CharField(max_length=120, blank=True, help_text="Counts for every requirement with this topic.")
    provider = models.CharField(max_length=200, help_text="Who runs the e-learning, like “Virtual College”.")
    provider_reference = models.CharField(
        max_length=120, blank=True, help_text="The provider's id for the learner, module or enrolment."
    )
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    hours = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="Needed once the module is completed."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "module_title"]
        indexes = [models.Index(fields=["started_on"], name="elearning_started_on")]
        constraints = [
            models.UniqueConstraint(
                models.F("user"),
                Lower("module_title"),
                models.F("started_on"),
                name="one_elearning_record_per_start",
                violation_error_message="This person already has a record of this module started on this date.",
            ),
            models.CheckConstraint(
                condition=models.Q(completed_on__isnull=True) | models.Q(completed_on__gte=models.F("started_on")),
                name="elearning_completed_not_before_start",
            ),
            models.CheckConstraint(
                condition=models.Q(hours__isnull=True) | models.Q(hours__gt=0), name="elearning_hours_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(completed_on__isnull=True) | models.Q(hours__isnull=False),
                name="elearning_completed_has_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module_title} (started {self.started_on})"

    @property
    def ledger_reference(self) -> str:
        """The reference of the record's `LearningCompletion` in the ledger (source "e_learning")."""
        return str(self.pk)
