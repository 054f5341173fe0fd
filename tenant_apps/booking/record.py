"""Mirroring bookings into the person's learning record in the public schema (`shared_apps.learning_record`), in
the same transaction as each change, so that My learning shows every board's bookings from one query."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, QuerySet, Subquery

from shared_apps.learning_record.services import Entry, record_bookings
from tenant_apps.booking.models import Booking, Certificate
from tenant_apps.offer.models import Session
from tenants.cross_board import current_board


def sync(bookings: Iterable[Booking]) -> None:
    """Write the current state of these bookings to their people's records (one read, one upsert)."""
    _write(Booking.objects.filter(pk__in=[booking.pk for booking in bookings]))


def sync_session(session: Session) -> None:
    """After a change to the session itself (its dates, its cancellation): every booking of it."""
    _write(Booking.objects.filter(session_id=session.pk))


def new(booking: Booking) -> None:
    """A booking just made by book(), its session and course in hand (read under the lock): one upsert, no read.
    A new booking has no attendance or certificate yet."""
    board = current_board()
    if board is not None:
        record_bookings([_entry(booking, board.pk, certificate_code="")])


def _write(chosen: QuerySet[Booking]) -> None:
    board = current_board()
    if board is None:
        return
    code = Certificate.objects.filter(booking=OuterRef("pk")).values("code")[:1]
    annotated = chosen.select_related("session__course")
    record_bookings(
        [
            _entry(row, board.pk, certificate_code=getattr(row, "certificate_code", None) or "")
            for row in annotated.annotate(certificate_code=Subquery(code))
        ]
    )


def _entry(booking: Booking, board_id: int, *, certificate_code: str) -> Entry:
    session = booking.session
    return Entry(
        user_id=booking.user_id,
        board_id=board_id,
        booking_id=booking.pk,
        course_id=session.course_id,
        course_title=session.course.title,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        status=booking.status,
        queue_position=booking.queue_position,
        attendance=booking.attendance,
        certificate_code=certificate_code,
        hours=session.course.duration_hours,
    )
