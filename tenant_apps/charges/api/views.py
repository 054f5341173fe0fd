"""Charging over the API, for the board's managers: fees (waive, dispute, resolve), charging policies, invoices
and the figures for reports. Thin: reads from the selectors, every write through a service."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from shared_apps.accounts.permissions import ActionPermission
from tenant_apps.charges import selectors, services
from tenant_apps.charges.api.serializers import (
    ChargingPolicySerializer,
    FeeFiguresSerializer,
    FeeQuerySerializer,
    FeeReasonSerializer,
    FeeSerializer,
    InvoiceSerializer,
    PeriodQuerySerializer,
    ResolveDisputeSerializer,
)
from tenant_apps.charges.models import ChargingPolicy, Fee, Invoice

RULES = {"read": "charges.read", "write": "charges.manage"}


@extend_schema_view(list=extend_schema(parameters=[FeeQuerySerializer]))
class FeeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Fee]):
    """The board's non-attendance fees, newest first. Managers waive them, record disputes and resolve them; each
    change is in the fee's history (the audit log)."""

    serializer_class = FeeSerializer
    permission_classes = [ActionPermission]
    permission_actions = RULES

    def get_queryset(self) -> QuerySet[Fee]:
        if self.action != "list":
            return selectors.fee_list(selectors.FeeFilters())
        query = FeeQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        wanted = query.validated_data
        return selectors.fee_list(
            selectors.FeeFilters(
                status=wanted.get("status", ""), agency_id=wanted.get("agency"), reason=wanted.get("reason", "")
            )
        )

    def _answer(self, fee: Fee) -> Response:
        return Response(self.get_serializer(selectors.fee_detail(fee.pk)).data)

    @extend_schema(request=FeeReasonSerializer, responses=FeeSerializer)
    @action(detail=True, methods=["post"])
    def waive(self, request: Request, pk: str | None = None) -> Response:
        """Drop the fee, saying why. A fee already paid is refunded instead (on the fee's page)."""
        fee = self.get_object()
        body = FeeReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.waive(fee, reason=body.validated_data["reason"], actor=request.user))

    @extend_schema(request=FeeReasonSerializer, responses=FeeSerializer)
    @action(detail=True, methods=["post"])
    def dispute(self, request: Request, pk: str | None = None) -> Response:
        """Record that the agency disputes the fee: it cannot be paid until the dispute is resolved."""
        fee = self.get_object()
        body = FeeReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.dispute(fee, reason=body.validated_data["reason"], actor=request.user))

    @extend_schema(request=ResolveDisputeSerializer, responses=FeeSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        """Settle a dispute: upheld, the fee stands; otherwise it is waived. The note is recorded."""
        fee = self.get_object()
        body = ResolveDisputeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        return self._answer(services.resolve_dispute(fee, uphold=data["uphold"], note=data["note"], actor=request.user))


class ChargingPolicyViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ChargingPolicy]
):
    """Versions of the board's charging policy, newest first. A new version's dates must not overlap another's;
    amounts are in pence and must be more than 0; the only currency is gbp. A refused version saves nothing."""

    serializer_class = ChargingPolicySerializer
    permission_classes = [ActionPermission]
    permission_actions = RULES

    def get_queryset(self) -> QuerySet[ChargingPolicy]:
        return selectors.policies()

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        rates = [services.RateInput(**rate) for rate in data.pop("rates")]
        policy = services.create_policy(actor=self.request.user, rates=rates, **data)
        serializer.instance = self.get_queryset().get(pk=policy.pk)


class InvoiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Invoice]):
    """Invoices issued to agencies, newest first (issue them on the invoices page)."""

    serializer_class = InvoiceSerializer
    permission_classes = [ActionPermission]
    permission_actions = RULES

    def get_queryset(self) -> QuerySet[Invoice]:
        return selectors.invoices()


class FeeFiguresViewSet(viewsets.GenericViewSet[Fee]):
    """The figures for reports over a period of session dates: non-attendances, fees requested, paid, waived,
    refunded and outstanding, and the collection rate."""

    serializer_class = FeeFiguresSerializer
    permission_classes = [ActionPermission]
    permission_actions = RULES
    pagination_class = None

    def get_queryset(self) -> QuerySet[Fee]:
        return Fee.objects.none()

    @extend_schema(parameters=[PeriodQuerySerializer], responses=FeeFiguresSerializer)
    def list(self, request: Request) -> Response:
        query = PeriodQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, end = query.validated_data.get("from"), query.validated_data.get("to")
        if start is None or end is None:
            quarter = selectors.quarter_of(timezone.localdate())
            start, end = quarter.start, quarter.end
        return Response(FeeFiguresSerializer(selectors.figures(start, end)).data)
