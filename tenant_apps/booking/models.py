"""Bookings of a board's sessions: places, the waiting list in arrival order, cancellations, and the log of
emails sent about each booking (so that none is ever sent twice)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Booking(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for manager approval"
        CONFIRMED = "confirmed", "Booked"
        WAITING = "waiting", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"

    class Attendance(models.TextChoices):
        ATTENDED = "attended", "Attended"
        PARTIAL = "partial", "Partially attended"
        NO_SHOW = "no_show", "Did not attend"
        LATE_CANCELLATION = "late_cancellation", "Cancelled on the day"

    LIVE = (Status.PENDING, Status.CONFIRMED, Status.WAITING)
    HOLD_PLACES = (Status.PENDING, Status.CONFIRMED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey("offer.Session", on_delete=models.PROTECT, related_name="bookings")
    # People and agencies are global (public schema); a board's rows name them and never delete them.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+")
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+")
    job_role = models.CharField(max_length=150, blank=True)
    line_manager_email = models.EmailField(blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    # True while the booking takes one of the session's places: what `offer.selectors.places_taken` counts.
    holds_place = models.BooleanField(default=False)
    # The waiting list's order: arrival order, changed only by a recorded manual move.
    queue_position = models.PositiveIntegerField(null=True, blank=True)
    booked_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Cancelled within the board's notice period before the start (non-attendance fees depend on it).
    cancelled_late = models.BooleanField(default=False)
    cancel_reason = models.CharField(max_length=300, blank=True)
    # The register: filled in at or after the session; locked when the register is closed.
    attendance = models.CharField(max_length=20, choices=Attendance.choices, blank=True)
    # Came without a booking and was added at the register (takes no place from the capacity).
    walk_in = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["booked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=models.Q(status__in=["pending", "confirmed", "waiting"]),
                name="one_live_booking_per_person_per_session",
            ),
            models.CheckConstraint(
                condition=models.Q(holds_place=False) | models.Q(status__in=["pending", "confirmed"]),
                name="only_confirmed_bookings_hold_places",
            ),
            models.CheckConstraint(
                condition=models.Q(queue_position__isnull=True) | models.Q(status="waiting"),
                name="only_waiting_bookings_have_a_queue_position",
            ),
        ]
        indexes = [
            models.Index(fields=["session"], name="booking_places_idx", condition=models.Q(holds_place=True)),
            models.Index(fields=["user", "status"], name="booking_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.session} ({self.get_status_display()})"


class BookingEmail(models.Model):
    """One email sent about a booking. The key is unique, so a task that runs twice sends once."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", "Booking confirmed"
        WAITING = "waiting", "Added to the waiting list"
        PROMOTION = "promotion", "Promoted from the waiting list"
        CANCELLATION = "cancellation", "Booking cancelled"
        APPROVAL_REQUEST = "approval_request", "Approval asked of the line manager"
        REMINDER = "reminder", "Reminder before the session"
        SESSION_CHANGED = "session_changed", "The session's dates, times or venues changed"

    id = models.BigAutoField(primary_key=True)
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # "<kind>:<person's id>"; "session_changed:<person's id>:<the session's schedule_changes>", one per change.
    key = models.CharField(max_length=80)
    sent_to = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at"]
        constraints = [models.UniqueConstraint(fields=["booking", "key"], name="each_booking_email_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.sent_to}"


class Register(models.Model):
    """A session's attendance register. Once closed, nobody changes the marks, and certificates are issued."""

    session = models.OneToOneField("offer.Session", on_delete=models.PROTECT, related_name="register")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+"
    )

    def __str__(self) -> str:
        return f"Register of {self.session}"


class Certificate(models.Model):
    """Proof that a person attended: what it says is fixed when it is issued, and anyone can check the code."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="certificate")
    # Short, unambiguous (no 0/O, 1/I), printed on the certificate and typed into the check page.
    code = models.CharField(max_length=12, unique=True)
    person_name = models.CharField(max_length=200)
    course_title = models.CharField(max_length=200)
    learning_outcomes = models.TextField(blank=True)
    attended_on = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    issued_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Certificate {self.code}"
