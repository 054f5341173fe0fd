"""A board's training offer: venues, courses, sessions made of dated parts, training standards and trainer
observations. Which trainer teaches which part lives in the public trainer pool's index
(`shared_apps.trainers.models.TrainerAssignment`), the one place that sees every board's bookings of a trainer."""

import uuid
from decimal import Decimal

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


class Venue(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=150)
    room = models.CharField(max_length=100, blank=True)
    address = models.TextField()
    postcode = models.CharField(max_length=10, blank=True)
    capacity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(2000)])
    accessibility = models.TextField(blank=True, help_text="Step-free access, hearing loop, accessible toilets…")
    facilities = models.TextField(blank=True, help_text="Projector, flip charts, parking, refreshments…")
    cost_per_day = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "room"]

    def __str__(self) -> str:
        return f"{self.name}, {self.room}" if self.room else self.name


class Course(models.Model):
    class InterventionType(models.TextChoices):
        CLASSROOM = "classroom", "Classroom"
        ELEARNING = "elearning", "E-learning"
        REFLECTIVE = "reflective", "Reflective learning"
        ACTION_LEARNING = "action_learning", "Action learning"
        READING = "reading", "Reading"
        COACHING = "coaching", "Coaching"
        BRIEFING = "briefing", "Briefing"
        LIGHT_BITE = "light_bite", "Light-bite session"
        WORKSHOP = "workshop", "Workshop"
        CONFERENCE = "conference", "Conference"

    class Delivery(models.TextChoices):
        FACE_TO_FACE = "face_to_face", "Face to face"
        ONLINE = "online", "Online"
        BLENDED = "blended", "Blended"

    class Category(models.TextChoices):
        CORE = "core", "Core"
        ADDITIONAL = "additional", "Additional"
        SPECIALIST = "specialist", "Specialist"
        TRAINING_FOR_TRAINERS = "training_for_trainers", "Training for trainers"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    learning_outcomes = models.TextField(blank=True, help_text="One outcome per line.")
    intervention_type = models.CharField(max_length=20, choices=InterventionType.choices)
    delivery = models.CharField(max_length=15, choices=Delivery.choices, default=Delivery.FACE_TO_FACE)
    multi_agency = models.BooleanField(default=True)
    open_to_other_agencies = models.BooleanField(default=True)
    needs_manager_approval = models.BooleanField(
        default=False, help_text="Each booking waits for the person's line manager to approve it by an emailed link."
    )
    audience_groups = models.ManyToManyField("audiences.AudienceGroup", blank=True, related_name="courses")
    duration_hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25"))],
        help_text="Length of the whole course; non-attendance fees depend on it.",
    )
    category = models.CharField(max_length=25, choices=Category.choices, default=Category.CORE)
    topic = models.CharField(max_length=80, help_text="Matched against trainers' topics, e.g. “neglect”.")
    prerequisites = models.TextField(blank=True)
    priorities = models.ManyToManyField("strategy.PlanItem", blank=True, related_name="courses")
    themes = models.ManyToManyField("learning_sources.Theme", blank=True, related_name="courses")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        POSTPONED = "postponed", "Postponed"
        CANCELLED = "cancelled", "Cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    capacity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(2000)])
    booking_opens_at = models.DateTimeField(null=True, blank=True)
    booking_closes_at = models.DateTimeField(null=True, blank=True)
    online_joining_details = models.TextField(blank=True, help_text="Link and instructions, sent to people booked.")
    has_waiting_list = models.BooleanField(
        default=True, help_text="When it is full, people join a waiting list and get places that come free in turn."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    status_reason = models.TextField(blank=True, help_text="Why it was postponed or cancelled (reported quarterly).")
    # Kept from the parts, so lists and the catalogue can sort and filter without a join.
    starts_at = models.DateTimeField(null=True, blank=True, editable=False)
    ends_at = models.DateTimeField(null=True, blank=True, editable=False)
    notes = models.TextField(blank=True)
    # Counts the changes of its dates, times or venues: the SEQUENCE of the calendar invitations sent to people
    # booked, so that each change moves the event in their calendars (and a cancellation, one higher, removes it).
    schedule_changes = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.course} ({self.starts_at:%-d %b %Y})" if self.starts_at else str(self.course)

    @property
    def held(self) -> bool:
        """Scheduled and over (its last part has ended): nothing is left to book, postpone or cancel."""
        return self.status == self.Status.SCHEDULED and self.ends_at is not None and self.ends_at < timezone.now()


class SessionPart(models.Model):
    """One dated part of a session (a two-day course has two). No two parts share a room at the same time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="parts")
    during = DateTimeRangeField()
    venue = models.ForeignKey(Venue, null=True, blank=True, on_delete=models.PROTECT, related_name="parts")
    # Parts of postponed or cancelled sessions free their room.
    holds_room = models.BooleanField(default=True)

    class Meta:
        ordering = ["during"]
        constraints = [
            ExclusionConstraint(
                name="no_two_sessions_in_one_room_at_once",
                expressions=[("venue", RangeOperators.EQUAL), ("during", RangeOperators.OVERLAPS)],
                condition=models.Q(venue__isnull=False, holds_room=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.during.lower:%-d %b %H:%M}"


class TrainingStandard(models.Model):
    """A standard the board expects of its trainers (Leeds' training standards), observed against."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title


class Observation(models.Model):
    class Outcome(models.TextChoices):
        MEETS = "meets", "Meets the standards"
        DEVELOPING = "developing", "Meets most standards: development needed"
        NOT_MET = "not_met", "Does not meet the standards"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    trainer = models.ForeignKey(
        "trainers.TrainerProfile", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    observer_name = models.CharField(max_length=150)
    observed_on = models.DateField()
    # {standard id: "met" | "partly" | "not_met"} for the board's standards at the time.
    checklist = models.JSONField(default=dict)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    strengths = models.TextField(blank=True)
    follow_up_actions = models.TextField(blank=True)
    follow_up_due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-observed_on"]

    def __str__(self) -> str:
        return f"Observation of {self.trainer_id} on {self.observed_on}"
