"""Writes to the public payment tables, called by the charges services of the board concerned."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from shared_apps.payments.models import ConnectedAccount, FeeEntry, StripeEvent

MIRRORED = (
    "agency_id",
    "person_name",
    "course_title",
    "session_date",
    "reason",
    "amount",
    "currency",
    "status",
    "invoice_number",
    "due_on",
    "raised_at",
    "paid_at",
    "payment_id",
)


def mirror_fees(board_id: int, entries: Iterable[dict[str, Any]]) -> None:
    """Upsert the agency-facing copy of these fees (each dict has fee_id and the MIRRORED fields)."""
    rows = [FeeEntry(board_id=board_id, **entry) for entry in entries]
    if rows:
        FeeEntry.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["board", "fee_id"], update_fields=[*MIRRORED, "updated_at"]
        )


def store_event_once(event_id: str, event_type: str, account_id: str, board_id: int | None) -> bool:
    """Store a webhook event by its id. False when it was stored and processed before (a redelivery: nothing more
    to do); True for a new event, or one stored but not yet processed (its task may have been lost: the work is
    idempotent, so handing it over again is safe)."""
    try:
        with transaction.atomic():
            StripeEvent.objects.create(
                event_id=event_id, event_type=event_type, account_id=account_id, board_id=board_id
            )
    except IntegrityError:
        return not StripeEvent.objects.filter(event_id=event_id, processed_at__isnull=False).exists()
    return True


def event_processed(event_id: str, outcome: str) -> None:
    StripeEvent.objects.filter(event_id=event_id).update(processed_at=timezone.now(), outcome=outcome[:300])


def save_connected_account(board_id: int, account: Any) -> ConnectedAccount:
    """Store (or refresh) a board's connected account from the Stripe account object."""
    connected, _ = ConnectedAccount.objects.update_or_create(
        board_id=board_id,
        defaults={
            "stripe_account_id": account["id"],
            "charges_enabled": bool(account["charges_enabled"]),
            "details_submitted": bool(account["details_submitted"]),
        },
    )
    return connected


def forget_connected_account(board_id: int) -> None:
    """Drop the board's record of its connected account: for an account Stripe no longer knows (the local stand-in
    keeps its accounts in memory and forgets them when it restarts), so that a fresh one can be opened."""
    ConnectedAccount.objects.filter(board_id=board_id).delete()
