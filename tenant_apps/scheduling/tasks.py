"""The periodic dispatcher: one beat task fans out one task per board, each running in its own schema."""

from typing import Any

from celery import shared_task
from django.db import connection

from tenant_apps.scheduling.services import run_due_work
from tenants.cross_board import enqueue_for_every_board


@shared_task(name="scheduling.dispatch_due_work", acks_late=True, reject_on_worker_lost=True)
def dispatch_due_work() -> int:
    """Sent by beat in the public schema; enqueues `run_board_due_work` once per board."""
    return enqueue_for_every_board(run_board_due_work)


@shared_task(name="scheduling.run_board_due_work", acks_late=True, reject_on_worker_lost=True)
def run_board_due_work() -> dict[str, Any]:
    """Runs in the board's schema (tenant-schemas-celery sets it from the task's header). Idempotent."""
    return {"schema": getattr(connection, "schema_name", ""), "done": run_due_work()}
