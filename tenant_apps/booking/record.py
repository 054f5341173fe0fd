"""Mirroring bookings into the person's learning record in the public schema (`shared_apps.learning_record`), in
the same transaction as each change, so that My learning shows every board's bookings from one query."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, Subquery

from shared_apps.learning_record.services import Entry, record_bookings
from tenant_apps.booking.models import Booking, Certificate
from tenant_apps.offer.models import Session
from tenants.cross_board import current_board


def sync(bookings: Iterable[Booking]) -> None:
    """Write the current state of these bookings to their people's records (one read, one upsert)."""
    ids = [booking.pk for booking in bookings]
    _write(Booking.objects.filter(pk__in=ids))


def sync_session(session: Session) -> None:
    """After a change to the session itself (its dates, its cancellation): every booking of it."""
    _write(Booking.objects.filter(session_id=session.pk))


def _write(rows: Iterable[Booking]) -> None:
    board = current_board()
    if board is None:
        return
    code = Certificate.objects.filter(booking=OuterRef("pk")).values("code")[:1]
    annotated = Booking.objects.filter(pk__in=[row.pk for row in rows]).select_related("session__course")
    record_bookings(
        [
            Entry(
                user_id=row.user_id,
                board_id=board.pk,
                booking_id=row.pk,
                course_id=row.session.course_id,
                course_title=row.session.course.title,
                starts_at=row.session.starts_at,
                ends_at=row.session.ends_at,
                status=row.status,
                queue_position=row.queue_position,
                attendance=row.attendance,
                certificate_code=getattr(row, "certificate_code", None) or "",
                hours=row.session.course.duration_hours,
            )
            for row in annotated.annotate(certificate_code=Subquery(code))
        ]
    )
