"""Booking emails, sent by a worker after the booking's transaction commits (services enqueue them on commit)."""

from celery import shared_task

from tenant_apps.booking.emails import deliver


@shared_task(name="booking.send_email", acks_late=True, reject_on_worker_lost=True)
def send_booking_email(booking_id: str, kind: str, user_id: int, change: int = 0) -> bool:
    """Runs in the board's schema (tenant-schemas-celery). Idempotent: the send log refuses a second send.
    `change`: for a session_changed email, which change of the session's schedule it tells of."""
    return deliver(booking_id, kind, user_id, change=change)
