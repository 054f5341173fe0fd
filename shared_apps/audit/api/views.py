from typing import Any

from rest_framework import serializers, viewsets

from shared_apps.accounts.permissions import ActionPermission, request_board
from shared_apps.audit.models import AuditEvent
from shared_apps.audit.selectors import events_for_board


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor_email", "action", "object_type", "object_id", "summary", "changes"]


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet[AuditEvent]):
    """This board's audit log, newest first (board administrators)."""

    serializer_class = AuditEventSerializer
    permission_classes = [ActionPermission]
    permission_actions = {"read": "audit.read"}

    def get_queryset(self) -> Any:
        board = request_board(self.request)
        if board is None:
            return AuditEvent.objects.none()
        return events_for_board(board)
