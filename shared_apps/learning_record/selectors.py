"""Reads of a person's learning record (their own rows only)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from shared_apps.learning_record.models import BookingEntry


def entries_of(user: Any) -> QuerySet[BookingEntry]:
    """Every booking of the person in every board, soonest first, with the board for its name and address."""
    return BookingEntry.objects.filter(user_id=user.pk).select_related("board").order_by("starts_at")
