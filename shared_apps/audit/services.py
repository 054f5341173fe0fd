"""Recording to the audit log. Every service that writes calls `record` inside its own transaction."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from shared_apps.audit.models import AuditEvent
from tenants.cross_board import current_board


def record(
    action: str,
    *,
    actor: Any,
    summary: str,
    obj: Model | None = None,
    board: Model | str | None = "current",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit entry. `board` defaults to the board whose schema the connection is in."""
    target_board: Any = current_board() if isinstance(board, str) else board
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_email=getattr(actor, "email", "") if authenticated else "",
        board=target_board,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:300],
        changes=changes or {},
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Changed fields as {field: [old, new]}, JSON-safe, for the `changes` of an update."""
    return {key: [_plain(before.get(key)), _plain(value)] for key, value in after.items() if before.get(key) != value}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
