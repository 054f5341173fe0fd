"""Charging work done by a worker in the board's schema: emails about fees, and Stripe events."""

from celery import shared_task

from shared_apps.payments import services as public_records
from tenant_apps.charges import emails, services


@shared_task(name="charges.send_email", acks_late=True, reject_on_worker_lost=True)
def send_charges_email(kind: str, object_id: str, extra: int = 0) -> int:
    """Idempotent: the send log refuses a second send of the same email to the same person."""
    return emails.deliver(kind, object_id, extra)


@shared_task(name="charges.handle_stripe_event", acks_late=True, reject_on_worker_lost=True)
def handle_stripe_event(event_id: str, event_type: str, object_id: str) -> str:
    """Runs in the board's schema (the webhook sends it there). Acting re-reads the object from Stripe, so a
    duplicate or late event changes nothing twice."""
    outcome = services.handle_stripe_event(event_type, object_id)
    public_records.event_processed(event_id, outcome)
    return outcome
