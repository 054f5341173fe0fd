"""The shared trainer pool (public schema): trainers lent in kind by partner agencies serve several boards.

`TrainerAssignment` is the cross-board index of every session part a trainer is booked for. A PostgreSQL
exclusion constraint on (trainer, time range) makes a clash impossible, even when two coordinators of two
boards assign the same trainer at the same moment.
"""

import secrets
import uuid
from datetime import date

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateTimeRangeField, RangeOperators
from django.db import models


def new_calendar_token() -> str:
    """The secret in a trainer's personal calendar address: 24 random bytes, unguessable."""
    return secrets.token_urlsafe(24)


class TrainerProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trainer_profile")
    home_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="trainers",
        help_text="The agency that lends this trainer in kind.",
    )
    job_role = models.CharField(max_length=150)
    topics = ArrayField(
        models.CharField(max_length=80),
        default=list,
        blank=True,
        help_text="Topics this trainer can teach, matched against courses' topics.",
    )
    skills = models.TextField(blank=True)
    bio = models.TextField(blank=True)
    trained_as_trainer_on = models.DateField(null=True, blank=True, help_text="Training for trainers completed.")
    accreditation_expires_on = models.DateField(null=True, blank=True)
    sessions_per_month_committed = models.PositiveSmallIntegerField(
        default=0, help_text="Sessions a month the home agency commits in kind."
    )
    # ISO weekdays the trainer can usually give (1 Monday .. 7 Sunday).
    available_weekdays = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True)
    is_active = models.BooleanField(default=True)
    # The calendar feed is read by calendar apps that cannot sign in: the address itself is the key.
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return str(self.user)

    def accredited_on(self, day: date) -> bool:
        """Trained as a trainer, and the accreditation has not expired by `day`."""
        if self.trained_as_trainer_on is None or self.trained_as_trainer_on > day:
            return False
        return self.accreditation_expires_on is None or self.accreditation_expires_on >= day


class BoardService(models.Model):
    """A trainer's offer to serve a board, and the board's decision."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for the board"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn"

    trainer = models.ForeignKey(TrainerProfile, on_delete=models.CASCADE, related_name="services")
    board = models.ForeignKey("tenants.Board", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trainer", "board"], name="one_service_per_trainer_board")]

    def __str__(self) -> str:
        return f"{self.trainer} for {self.board}: {self.get_status_display()}"


class Blackout(models.Model):
    """Dates a trainer cannot train (leave, their own agency's needs)."""

    trainer = models.ForeignKey(TrainerProfile, on_delete=models.CASCADE, related_name="blackouts")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="blackout_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainer}: {self.starts_on} to {self.ends_on}"


class TrainerAssignment(models.Model):
    """One session part a trainer is booked for, in any board. Written only by the offer's assignment service."""

    class Role(models.TextChoices):
        LEAD = "lead", "Lead trainer"
        CO = "co", "Co-trainer"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for the trainer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"

    HOLDS_TIME = (Status.PROPOSED, Status.ACCEPTED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    trainer = models.ForeignKey(TrainerProfile, on_delete=models.PROTECT, related_name="assignments")
    board = models.ForeignKey("tenants.Board", on_delete=models.CASCADE, related_name="+")
    session_id = models.UUIDField(help_text="The session in the board's schema.")
    session_part_id = models.UUIDField()
    role = models.CharField(max_length=4, choices=Role.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    during = DateTimeRangeField()
    # Copied from the board's session so the trainer portal and calendar need no other schema.
    title = models.CharField(max_length=200)
    location = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["during"]
        constraints = [
            ExclusionConstraint(
                name="trainer_never_in_two_places",
                expressions=[("trainer", RangeOperators.EQUAL), ("during", RangeOperators.OVERLAPS)],
                condition=models.Q(status__in=["proposed", "accepted"]),
            ),
        ]
        indexes = [models.Index(fields=["board", "session_id"])]

    def __str__(self) -> str:
        return f"{self.trainer}: {self.title} ({self.get_role_display()})"

    @property
    def hours(self) -> float:
        return (self.during.upper - self.during.lower).total_seconds() / 3600
