"""Work due at a stored date, per board: reminders, surveys months after a course, review dates, dunning.

Never a long countdown on the broker (Redis re-delivers those every visibility timeout): a row with a due
date that the periodic per-board task picks up once it falls due.
"""

import uuid

from django.db import models
from django.utils import timezone


class DueWork(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=80, help_text="Name of the registered handler that does the work.")
    due_at = models.DateTimeField()
    payload = models.JSONField(default=dict, blank=True)
    # The same (kind, key) is never scheduled twice, so scheduling is idempotent.
    key = models.CharField(max_length=200)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="due_work_once_per_key")]
        indexes = [
            models.Index(fields=["due_at"], name="due_work_pending_idx", condition=models.Q(state="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.due_at:%Y-%m-%d %H:%M} ({self.state})"
