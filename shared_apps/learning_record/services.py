"""Keeping a person's learning record in step with their bookings (called by the booking services)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from shared_apps.learning_record.models import BookingEntry


@dataclass(frozen=True)
class Entry:
    user_id: int
    board_id: int
    booking_id: Any
    course_id: Any
    course_title: str
    starts_at: datetime | None
    ends_at: datetime | None
    status: str
    queue_position: int | None = None
    attendance: str = ""
    certificate_code: str = ""
    hours: Decimal | None = None


def record_bookings(entries: list[Entry]) -> None:
    """Create or update the entries of some bookings of one board, in one statement."""
    if not entries:
        return
    fields = [name for name in asdict(entries[0]) if name not in ("board_id", "booking_id")]
    BookingEntry.objects.bulk_create(
        [BookingEntry(**asdict(entry)) for entry in entries],
        update_conflicts=True,
        unique_fields=["board", "booking_id"],
        update_fields=[*fields, "updated_at"],
    )
