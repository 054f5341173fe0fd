"""A person's bookings and certificates across every board, in the public schema, so that "My learning" is one
query for one person instead of a visit to every board's schema. Written only by the booking services, in the
same transaction as the booking itself; it holds what the person sees of their own bookings, nothing more."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class BookingEntry(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    board = models.ForeignKey("tenants.Board", on_delete=models.CASCADE, related_name="+")
    booking_id = models.UUIDField()
    course_id = models.UUIDField()
    course_title = models.CharField(max_length=200)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10)  # booking.Booking.Status values
    queue_position = models.PositiveIntegerField(null=True, blank=True)
    attendance = models.CharField(max_length=20, blank=True)
    certificate_code = models.CharField(max_length=12, blank=True)
    hours = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.UniqueConstraint(fields=["board", "booking_id"], name="one_entry_per_booking")]
        indexes = [models.Index(fields=["user", "starts_at"], name="entries_of_a_person_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.course_title} ({self.status})"
