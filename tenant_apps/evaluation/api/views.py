"""Evaluation over the API, by the same rules as the pages: figures per course (a trainer's only from the sessions
they trained), the forms and their questions, and, for the board's managers, the responses themselves (anonymous
ones with nothing about the person). Read-only: forms are changed on their pages, answers through their links."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from shared_apps.accounts.permissions import ActionPermission, can, request_board
from tenant_apps.evaluation import selectors
from tenant_apps.evaluation.api.serializers import (
    EvaluationFormSerializer,
    EvaluationPeriodQuerySerializer,
    EvaluationResponseQuerySerializer,
    EvaluationResponseSerializer,
    EvaluationSummarySerializer,
)
from tenant_apps.evaluation.models import EvaluationForm
from tenant_apps.evaluation.models import Response as EvaluationResponse

READ = {"read": "evaluation.read"}
MANAGE = {"read": "evaluation.manage"}


class EvaluationSummaryViewSet(viewsets.GenericViewSet[EvaluationResponse]):
    """Evaluation figures per course over a period of session dates: response rates by stage, each scale question's
    mean and distribution, the shift before and after per self-assessment item, and the share of positive impact.
    A trainer gets the figures of the sessions they trained only."""

    serializer_class = EvaluationSummarySerializer
    permission_classes = [ActionPermission]
    permission_actions = READ
    pagination_class = None

    def get_queryset(self) -> QuerySet[EvaluationResponse]:
        return EvaluationResponse.objects.none()

    @extend_schema(parameters=[EvaluationPeriodQuerySerializer], responses=EvaluationSummarySerializer(many=True))
    def list(self, request: Request) -> Response:
        query = EvaluationPeriodQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        wanted: dict[str, Any] = dict(query.validated_data)
        board = request_board(request)
        own = (
            None
            if can(request.user, "evaluation.manage", board)
            else selectors.trainer_session_ids(board, request.user)
        )
        scope = selectors.Scope(
            start=wanted.get("from"), end=wanted.get("to"), course_id=wanted.get("course"), session_ids=own
        )
        return Response(EvaluationSummarySerializer(selectors.course_summaries(scope), many=True).data)


class EvaluationFormViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[EvaluationForm]):
    """Every version of the board's evaluation forms with their questions, current versions marked."""

    serializer_class = EvaluationFormSerializer
    permission_classes = [ActionPermission]
    permission_actions = READ

    def get_queryset(self) -> QuerySet[EvaluationForm]:
        return selectors.forms()


@extend_schema_view(list=extend_schema(parameters=[EvaluationResponseQuerySerializer]))
class EvaluationResponseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[EvaluationResponse]
):
    """The responses themselves, for the board's managers, newest first. A response to an anonymous form has no
    field about the person at all; a named form's response says who answered."""

    serializer_class = EvaluationResponseSerializer
    permission_classes = [ActionPermission]
    permission_actions = MANAGE

    def get_queryset(self) -> QuerySet[EvaluationResponse]:
        if self.action != "list":
            return selectors.responses(selectors.Scope())
        query = EvaluationResponseQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        wanted = query.validated_data
        scope = selectors.Scope(start=wanted.get("from"), end=wanted.get("to"), course_id=wanted.get("course"))
        return selectors.responses(scope, stage=wanted.get("stage", ""), form_id=wanted.get("form"))
