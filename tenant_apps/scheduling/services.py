"""Scheduling and running due work in the current board's schema."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from tenant_apps.scheduling.models import DueWork
from tenant_apps.scheduling.registry import handler_for

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def schedule(kind: str, *, key: str, due_at: datetime, payload: dict[str, Any] | None = None) -> DueWork:
    """Schedule work once per (kind, key); scheduling again moves the due date of pending work."""
    with transaction.atomic():
        work, created = DueWork.objects.select_for_update().get_or_create(
            kind=kind, key=key, defaults={"due_at": due_at, "payload": payload or {}}
        )
        if not created and work.state == DueWork.State.PENDING and (work.due_at != due_at or payload is not None):
            work.due_at = due_at
            work.payload = payload if payload is not None else work.payload
            work.save(update_fields=["due_at", "payload"])
    return work


def cancel(kind: str, *, key: str) -> int:
    return DueWork.objects.filter(kind=kind, key=key, state=DueWork.State.PENDING).update(state=DueWork.State.CANCELLED)


def cancel_matching(kind: str, *, key_prefix: str, keep_key: str | None = None) -> int:
    """Cancel pending work of `kind` whose key starts with `key_prefix` (all but `keep_key`)."""
    pending = DueWork.objects.filter(kind=kind, key__startswith=key_prefix, state=DueWork.State.PENDING)
    if keep_key is not None:
        pending = pending.exclude(key=keep_key)
    return pending.update(state=DueWork.State.CANCELLED)


def run_due_work(now: datetime | None = None, limit: int = 500) -> int:
    """Run every pending item that has fallen due, each exactly once.

    Each item is claimed under `FOR UPDATE SKIP LOCKED` in its own transaction, so two workers never run
    the same item, and a failure rolls back only that item's work (it is retried up to MAX_ATTEMPTS).
    """
    now = now or timezone.now()
    done = 0
    for _ in range(limit):
        with transaction.atomic():
            work = (
                DueWork.objects.select_for_update(skip_locked=True)
                .filter(state=DueWork.State.PENDING, due_at__lte=now)
                .order_by("due_at")
                .first()
            )
            if work is None:
                break
            done += _run_one(work, now)
    return done


def _run_one(work: DueWork, now: datetime) -> int:
    handler = handler_for(work.kind)
    work.attempts += 1
    if handler is None:
        work.state, work.last_error = DueWork.State.FAILED, f"No handler registered for {work.kind!r}."
        work.save(update_fields=["state", "last_error", "attempts"])
        return 0
    try:
        with transaction.atomic():
            handler(work.payload)
    except Exception as exc:  # a handler's failure must not stop the rest of the board's due work
        log.exception("Due work %s failed", work.pk)
        work.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if work.attempts >= MAX_ATTEMPTS:
            work.state = DueWork.State.FAILED
        else:
            work.due_at = now + timedelta(minutes=5 * work.attempts)  # back off before the next try
        work.save(update_fields=["state", "last_error", "attempts", "due_at"])
        return 0
    work.state, work.done_at = DueWork.State.DONE, now
    work.save(update_fields=["state", "done_at", "attempts"])
    return 1
