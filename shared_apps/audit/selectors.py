"""Reads of the audit log. A board's administrators see only their board's entries: this is the one path."""

from django.db.models import Model, QuerySet

from shared_apps.audit.models import AuditEvent


def events_for_board(board: Model) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(board_id=board.pk).select_related("actor")
