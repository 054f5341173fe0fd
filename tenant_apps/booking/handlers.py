"""Due work of bookings, run by the per-board dispatcher when it falls due (registered in apps.ready)."""

from __future__ import annotations

from typing import Any

from tenant_apps.booking.models import Booking, BookingEmail
from tenant_apps.booking.services import REMINDER_KIND, email_on_commit
from tenant_apps.evaluation import services as evaluation
from tenant_apps.offer.models import Session
from tenant_apps.scheduling.registry import due_work_handler


@due_work_handler(REMINDER_KIND)
def send_session_reminders(payload: dict[str, Any]) -> None:
    """Remind everyone booked on the session, with the joining instructions (each person once: the send log)."""
    session = Session.objects.filter(pk=str(payload.get("session", "")), status=Session.Status.SCHEDULED).first()
    if session is None:
        return
    for booking in Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED):
        email_on_commit(booking, BookingEmail.Kind.REMINDER)
    # With the reminder, the knowledge and confidence self-assessment before the course.
    evaluation.invite_before(session)
