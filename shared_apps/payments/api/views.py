"""The agency finance API on the platform host: my agency's fees in every board, read from the public mirror.
Only the agencies the person is a finance contact for are ever in the queryset."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from lscb_platform.api_fields import StrictModelSerializer
from shared_apps.accounts.permissions import ActionPermission
from shared_apps.agencies.models import Agency
from shared_apps.payments.models import FeeEntry
from shared_apps.payments.selectors import fees_of_agencies, finance_agencies
from tenants.models import Board


class AgencyFeeSerializer(StrictModelSerializer[FeeEntry]):
    id = serializers.UUIDField(source="fee_id", read_only=True)
    board = serializers.SlugRelatedField[Board](slug_field="slug", read_only=True)
    agency = serializers.PrimaryKeyRelatedField[Agency](read_only=True)

    class Meta:
        model = FeeEntry
        fields = [
            "id",
            "board",
            "agency",
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
        ]
        read_only_fields = fields


class AgencyFeeViewSet(viewsets.ReadOnlyModelViewSet[FeeEntry]):
    """Fees raised against the agencies you are a finance contact for, in every board. Amounts are in pence.
    Filter with ?agency=<id>, ?board=<slug>, ?status=<raised|invoiced|paid|waived|disputed|refunded>."""

    serializer_class = AgencyFeeSerializer
    permission_classes = [ActionPermission]
    permission_actions = {"read": "self.read"}
    lookup_field = "fee_id"

    def get_queryset(self) -> QuerySet[FeeEntry]:
        if getattr(self, "swagger_fake_view", False):
            return FeeEntry.objects.none()
        mine = [agency.pk for agency in finance_agencies(self.request.user.pk)]
        rows = fees_of_agencies(mine).order_by("-raised_at", "fee_id")
        params: Any = self.request.query_params
        if params.get("agency", "").isdigit():
            rows = rows.filter(agency_id=int(params["agency"]))
        if params.get("board"):
            rows = rows.filter(board__slug=params["board"])
        if params.get("status"):
            rows = rows.filter(status=params["status"])
        return rows
