"""Reads of bookings shaped for pages and the API (no N+1: people and agencies come in the same query)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from shared_apps.accounts.permissions import can
from tenant_apps.booking.models import Booking, Certificate
from tenant_apps.offer.models import Session


def visible_bookings(user: Any, board: Any) -> QuerySet[Booking]:
    """A board's managers see every booking; anyone else sees their own (in any board they booked)."""
    rows = Booking.objects.select_related("session__course", "user", "agency", "booked_by")
    if can(user, "bookings.manage", board):
        return rows
    return rows.filter(user_id=user.pk)


def my_bookings(user: Any) -> QuerySet[Booking]:
    """The person's bookings in this board, live ones first, soonest first."""
    return (
        Booking.objects.filter(user_id=user.pk)
        .annotate(has_certificate=Exists(Certificate.objects.filter(booking=OuterRef("pk"))))
        .select_related("session__course")
        .prefetch_related("session__parts__venue")
        .order_by("status", "session__starts_at")
    )


def session_bookings(session: Session) -> dict[str, list[Booking]]:
    """A session's people: booked, waiting (in queue order) and cancelled. One query."""
    rows = list(
        Booking.objects.filter(session=session).select_related("user", "agency").order_by("queue_position", "booked_at")
    )
    return {
        "confirmed": [row for row in rows if row.status == Booking.Status.CONFIRMED],
        "waiting": [row for row in rows if row.status == Booking.Status.WAITING],
        "cancelled": [row for row in rows if row.status == Booking.Status.CANCELLED],
    }


def live_booking(session: Session, user: Any) -> Booking | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Booking.objects.filter(session=session, user_id=user.pk, status__in=Booking.LIVE).first()
