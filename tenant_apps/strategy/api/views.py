"""The strategy API: the document, its content, sign-offs, versions and action plans. Writes go through services."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lscb_platform.api_fields import StrictModelSerializer
from lscb_platform.api_services import ServiceViewSet
from shared_apps.accounts.permissions import ActionPermission, can, request_board
from tenant_apps.strategy import services
from tenant_apps.strategy.models import (
    ActionPlan,
    Kpi,
    Milestone,
    PlanItem,
    ProgressUpdate,
    SignOff,
    Strategy,
    StrategyItem,
    StrategyVersion,
)
from tenant_apps.strategy.rules import TARGET_HELP, effective_rag, is_overdue
from tenant_apps.strategy.selectors import strategies_visible

READ_WRITE = {"read": "strategy.read", "write": "strategy.manage"}


def _can_manage(request: Request) -> bool:
    return can(request.user, "strategy.manage", request_board(request))


def _visible_strategies(request: Request) -> QuerySet[Strategy]:
    return strategies_visible(_can_manage(request))


class StrategySerializer(StrictModelSerializer[Strategy]):
    class Meta:
        model = Strategy
        fields = [
            "id",
            "title",
            "period_start",
            "period_end",
            "status",
            "adopted_on",
            "review_cycle_months",
            "last_reviewed_on",
            "next_review_due",
            "version_label",
            "headline",
            "introduction",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "next_review_due", "created_at", "updated_at"]
        extra_kwargs = {"introduction": {"max_length": 50000}}


class StrategyViewSet(ServiceViewSet):
    """The board's learning and development strategies. Practitioners see adopted ones; managers see drafts."""

    serializer_class = StrategySerializer
    permission_classes = [ActionPermission]
    permission_actions = READ_WRITE
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    create_service = staticmethod(services.create_strategy)
    update_service = staticmethod(services.update_strategy)

    def get_queryset(self) -> QuerySet[Strategy]:
        return _visible_strategies(self.request)

    @extend_schema(request=None, responses=StrategySerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        """Record that the board reviewed the strategy today: the next review falls one cycle later."""
        strategy = services.record_review(self.get_object(), actor=request.user, reviewed_on=timezone.localdate())
        return Response(StrategySerializer(strategy).data)


class StrategyItemSerializer(StrictModelSerializer[StrategyItem]):
    class Meta:
        model = StrategyItem
        fields = ["id", "strategy", "section", "order", "title", "body"]
        extra_kwargs = {"body": {"max_length": 20000}}


class StrategyItemViewSet(ServiceViewSet):
    """Aims, objectives, learning principles, standards and roles: the numbered content of a strategy."""

    serializer_class = StrategyItemSerializer
    permission_classes = [ActionPermission]
    permission_actions = READ_WRITE
    parent_field = "strategy"
    create_service = staticmethod(services.add_item)
    update_service = staticmethod(services.update_item)
    delete_service = staticmethod(services.remove_item)

    def get_queryset(self) -> QuerySet[StrategyItem]:
        items = StrategyItem.objects.filter(strategy__in=_visible_strategies(self.request)).select_related("strategy")
        strategy = self.request.query_params.get("strategy")
        return items.filter(strategy_id=strategy) if strategy and _is_uuid(strategy) else items


class SignOffSerializer(StrictModelSerializer[SignOff]):
    class Meta:
        model = SignOff
        fields = ["id", "strategy", "role", "name", "signed_on", "version_label"]


class SignOffViewSet(ServiceViewSet):
    """Document control: who signed the strategy off, in which role, on which version."""

    serializer_class = SignOffSerializer
    permission_classes = [ActionPermission]
    permission_actions = READ_WRITE
    parent_field = "strategy"
    http_method_names = ["get", "post", "delete", "head", "options"]
    create_service = staticmethod(services.add_sign_off)
    delete_service = staticmethod(services.remove_sign_off)

    def get_queryset(self) -> QuerySet[SignOff]:
        return SignOff.objects.filter(strategy__in=_visible_strategies(self.request)).select_related("strategy")


class StrategyVersionSerializer(serializers.ModelSerializer[StrategyVersion]):
    class Meta:
        model = StrategyVersion
        fields = ["id", "strategy", "number", "at", "actor_email", "summary", "changes", "snapshot"]


class StrategyVersionViewSet(viewsets.ReadOnlyModelViewSet[StrategyVersion]):
    """Every change to a strategy document: who, when, what changed, and the document after it (managers)."""

    serializer_class = StrategyVersionSerializer
    permission_classes = [ActionPermission]
    permission_actions = {"read": "strategy.manage"}

    def get_queryset(self) -> QuerySet[StrategyVersion]:
        versions = StrategyVersion.objects.all()
        strategy = self.request.query_params.get("strategy")
        return versions.filter(strategy_id=strategy) if strategy and _is_uuid(strategy) else versions


class ActionPlanSerializer(StrictModelSerializer[ActionPlan]):
    class Meta:
        model = ActionPlan
        fields = ["id", "strategy", "title", "period_label", "order"]


class ActionPlanViewSet(ServiceViewSet):
    """Plans that deliver a strategy (priority planning, a year's delivery plan)."""

    serializer_class = ActionPlanSerializer
    permission_classes = [ActionPermission]
    permission_actions = READ_WRITE
    parent_field = "strategy"
    create_service = staticmethod(services.create_plan)
    update_service = staticmethod(services.update_plan)
    delete_service = staticmethod(services.delete_plan)

    def get_queryset(self) -> QuerySet[ActionPlan]:
        return ActionPlan.objects.filter(strategy__in=_visible_strategies(self.request))


class PlanItemSerializer(StrictModelSerializer[PlanItem]):
    overdue = serializers.SerializerMethodField()
    effective_rag = serializers.SerializerMethodField()

    class Meta:
        model = PlanItem
        fields = [
            "id",
            "plan",
            "number",
            "priority",
            "action_needed",
            "responsible",
            "target",
            "target_date",
            "expected_impact",
            "status",
            "rag",
            "effective_rag",
            "overdue",
            "completed_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "target_date", "created_at", "updated_at"]
        extra_kwargs = {
            "target": {"help_text": TARGET_HELP},
            "number": {"required": False},
            **{name: {"max_length": 5000} for name in ("priority", "action_needed", "expected_impact")},
        }

    def get_overdue(self, item: PlanItem) -> bool:
        return is_overdue(item, timezone.localdate())

    def get_effective_rag(self, item: PlanItem) -> str:
        return effective_rag(item, timezone.localdate())


class PlanItemViewSet(ServiceViewSet):
    """Rows of an action plan: priority, action needed, who, target (“Q2 2017”), impact, status and RAG."""

    serializer_class = PlanItemSerializer
    permission_classes = [ActionPermission]
    permission_actions = READ_WRITE
    parent_field = "plan"
    create_service = staticmethod(services.add_plan_item)
    update_service = staticmethod(services.update_plan_item)
    delete_service = staticmethod(services.delete_plan_item)

    def get_queryset(self) -> QuerySet[PlanItem]:
        rows = PlanItem.objects.filter(plan__strategy__in=_visible_strategies(self.request))
        if self.request.query_params.get("overdue") == "true":
            rows = rows.filter(target_date__lt=timezone.localdate()).exclude(status=PlanItem.Status.COMPLETED)
        return rows.order_by("plan", "number")


class ProgressUpdateSerializer(StrictModelSerializer[ProgressUpdate]):
    status = serializers.ChoiceField(
        choices=PlanItem.Status.choices, required=False, write_only=True, help_text="Also set the row's status."
    )
    author: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="email", read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = ["id", "item", "at", "author", "note", "evidence", "rag", "status"]
        read_only_fields = ["id", "at", "author"]
        extra_kwargs = {"note": {"max_length": 10000}, "evidence": {"max_length": 10000}}


class ProgressUpdateViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[ProgressUpdate]):
    """Progress updates with evidence on a plan row; the update's RAG becomes the row's."""

    serializer_class = ProgressUpdateSerializer
    permission_classes = [ActionPermission]
    permission_actions = READ_WRITE

    def get_queryset(self) -> QuerySet[ProgressUpdate]:
        return ProgressUpdate.objects.filter(item__plan__strategy__in=_visible_strategies(self.request)).select_related(
            "author"
        )

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.record_progress(data.pop("item"), actor=self.request.user, **data)


class KpiSerializer(StrictModelSerializer[Kpi]):
    met = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = Kpi
        fields = ["id", "item", "name", "unit", "target_value", "actual_value", "higher_is_better", "met"]


class KpiViewSet(ServiceViewSet):
    """Key performance indicators of a plan row: target and actual values."""

    serializer_class = KpiSerializer
    permission_classes = [ActionPermission]
    permission_actions = READ_WRITE
    parent_field = "item"
    create_service = staticmethod(services.add_kpi)
    update_service = staticmethod(services.update_kpi)
    delete_service = staticmethod(services.delete_kpi)

    def get_queryset(self) -> QuerySet[Kpi]:
        return Kpi.objects.filter(item__plan__strategy__in=_visible_strategies(self.request))


class MilestoneSerializer(StrictModelSerializer[Milestone]):
    class Meta:
        model = Milestone
        fields = ["id", "item", "title", "due_on", "completed_on"]


class MilestoneViewSet(ServiceViewSet):
    """Milestones of a plan row, with their completion dates."""

    serializer_class = MilestoneSerializer
    permission_classes = [ActionPermission]
    permission_actions = READ_WRITE
    parent_field = "item"
    create_service = staticmethod(services.add_milestone)
    update_service = staticmethod(services.update_milestone)
    delete_service = staticmethod(services.delete_milestone)

    def get_queryset(self) -> QuerySet[Milestone]:
        return Milestone.objects.filter(item__plan__strategy__in=_visible_strategies(self.request))


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
