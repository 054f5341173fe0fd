"""The needs audits API: designing audits, sending them, closing and publishing, the summary, and the answer route
that agencies reach with their link's token (no sign-in). Writes go through services."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from lscb_platform.api_fields import StrictModelSerializer, StrictSerializer
from lscb_platform.api_services import ServiceViewSet
from shared_apps.accounts.permissions import ActionPermission
from shared_apps.agencies.models import AgencyType
from tenant_apps.needs_audits import services
from tenant_apps.needs_audits.models import (
    AuditAnswer,
    AuditInvitation,
    AuditQuestion,
    AuditResponse,
    AuditTopic,
    NeedsAudit,
)
from tenant_apps.needs_audits.selectors import audit_summary, invitations, responses, summary_as_dict

READ_WRITE = {"read": "needs_audits.read", "write": "needs_audits.manage"}
BIGINT_MAX = 2**63 - 1


def _is_uuid(value: str | None) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _for_audit(request: Request, rows: QuerySet[Any], lookup: str) -> QuerySet[Any]:
    audit = request.query_params.get("audit")
    return rows.filter(**{lookup: audit}) if audit and _is_uuid(audit) else rows


AUDIT_FILTER = OpenApiParameter("audit", OpenApiTypes.UUID, description="Only rows of this audit.")


class NeedsAuditSerializer(StrictModelSerializer[NeedsAudit]):
    class Meta:
        model = NeedsAudit
        fields = [
            "id",
            "title",
            "introduction",
            "status",
            "opens_on",
            "closes_on",
            "closed_at",
            "summary_published",
            "summary_published_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "status",
            "closed_at",
            "summary_published",
            "summary_published_at",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"introduction": {"max_length": 20000}}


class SendSerializer(StrictSerializer):
    agencies = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=BIGINT_MAX),
        required=False,
        max_length=2000,
        help_text="Ids of agencies to invite.",
    )
    agency_types = serializers.ListField(
        child=serializers.ChoiceField(choices=AgencyType.choices),
        required=False,
        max_length=len(AgencyType.choices),
        help_text="Invite every active agency of these types as well.",
    )


class SentAgencySerializer(serializers.Serializer[Any]):
    agency = serializers.IntegerField()
    name = serializers.CharField()


class NotEmailedAgencySerializer(SentAgencySerializer):
    link = serializers.URLField(help_text="Pass this link on to the agency yourself: it is shown only once.")


class SendResultSerializer(serializers.Serializer[Any]):
    audit = NeedsAuditSerializer()
    emailed = SentAgencySerializer(many=True)
    not_emailed = NotEmailedAgencySerializer(many=True)
    already_invited = SentAgencySerializer(many=True)


class ResponseSentSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    message = serializers.CharField()


class NeedsAuditViewSet(ServiceViewSet):
    """Learning and development needs audits: agencies say, topic by topic, how well their staff's safeguarding
    learning needs are met. A draft is designed, then sent (which opens it), closed and its findings published."""

    serializer_class = NeedsAuditSerializer
    permission_classes = [ActionPermission]
    permission_actions = READ_WRITE
    create_service = staticmethod(services.create_audit)
    update_service = staticmethod(services.update_audit)
    delete_service = staticmethod(services.delete_audit)

    def get_queryset(self) -> QuerySet[NeedsAudit]:
        return NeedsAudit.objects.order_by("-opens_on", "title")

    @extend_schema(request=SendSerializer, responses=SendResultSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str | None = None) -> Response:
        """Open the audit (if it is a draft) and invite agencies, chosen by id or by type. Each agency with a
        contact address is emailed its own link; the links of those without one are returned here, once."""
        body = SendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = services.send_audit(
            self.get_object(),
            actor=request.user,
            agency_ids=body.validated_data.get("agencies", []),
            agency_types=body.validated_data.get("agency_types", []),
        )
        return Response(
            {
                "audit": NeedsAuditSerializer(result.audit).data,
                "emailed": [{"agency": i.agency_id, "name": i.agency.name} for i, _ in result.emailed],
                "not_emailed": [
                    {"agency": i.agency_id, "name": i.agency.name, "link": result.link(token)}
                    for i, token in result.not_emailed
                ],
                "already_invited": [{"agency": a.pk, "name": a.name} for a in result.already_invited],
            }
        )

    @extend_schema(request=None, responses=NeedsAuditSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Stop taking answers."""
        return Response(NeedsAuditSerializer(services.close_audit(self.get_object(), actor=request.user)).data)

    @extend_schema(request=None, responses=NeedsAuditSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Publish the findings of a closed audit (figures about fewer than 3 responses are hidden)."""
        return Response(NeedsAuditSerializer(services.publish_summary(self.get_object(), actor=request.user)).data)

    @extend_schema(request=None, responses=NeedsAuditSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """Take the published findings down again."""
        return Response(NeedsAuditSerializer(services.withdraw_summary(self.get_object(), actor=request.user)).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "published",
                OpenApiTypes.BOOL,
                description="true: the figures as published, with those about fewer than 3 responses hidden.",
            )
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["get"])
    def summary(self, request: Request, pk: str | None = None) -> Response:
        """Met (4-5), partly met (3) and unmet (1-2) need per topic and agency type, response rates per agency
        type, and each question's results."""
        published = request.query_params.get("published") == "true"
        return Response(summary_as_dict(audit_summary(self.get_object(), published=published)))


class AuditTopicSerializer(StrictModelSerializer[AuditTopic]):
    class Meta:
        model = AuditTopic
        fields = ["id", "audit", "title", "description", "order"]
        extra_kwargs = {"description": {"max_length": 5000}, "order": {"required": False}}


class AuditTopicViewSet(ServiceViewSet):
    """Topics of an audit (neglect, domestic abuse, parental mental health). Each gets the question “How well is
    this learning need currently met for your staff?” by itself. Changed only while the audit is a draft."""

    serializer_class = AuditTopicSerializer
    permission_classes = [ActionPermission]
    permission_actions = READ_WRITE
    parent_field = "audit"
    create_service = staticmethod(services.add_topic)
    update_service = staticmethod(services.update_topic)
    delete_service = staticmethod(services.remove_topic)

    @extend_schema(parameters=[AUDIT_FILTER])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[AuditTopic]:
        return _for_audit(self.request, AuditTopic.objects.select_related("audit"), "audit_id")


class AuditQuestionSerializer(StrictModelSerializer[AuditQuestion]):
    class Meta:
        model = AuditQuestion
        fields = ["id", "topic", "text", "kind", "required", "order"]
        extra_kwargs = {"order": {"required": False}}


class AuditQuestionViewSet(ServiceViewSet):
    """Questions of a topic: a 1 to 5 scale, yes or no, a number or a written answer."""

    serializer_class = AuditQuestionSerializer
    permission_classes = [ActionPermission]
    permission_actions = READ_WRITE
    parent_field = "topic"
    create_service = staticmethod(services.add_question)
    update_service = staticmethod(services.update_question)
    delete_service = staticmethod(services.remove_question)

    @extend_schema(parameters=[AUDIT_FILTER])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[AuditQuestion]:
        questions = AuditQuestion.objects.select_related("topic__audit").order_by("topic__order", "order")
        return _for_audit(self.request, questions, "topic__audit_id")


class AuditInvitationSerializer(serializers.ModelSerializer[AuditInvitation]):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    agency_type = serializers.CharField(source="agency.agency_type", read_only=True)
    response_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = AuditInvitation
        fields = ["id", "audit", "agency", "agency_name", "agency_type", "sent_to", "sent_at", "response_count"]


class AuditInvitationViewSet(viewsets.ReadOnlyModelViewSet[AuditInvitation]):
    """The agencies an audit was sent to, where their link was emailed, and how many responses each sent."""

    serializer_class = AuditInvitationSerializer
    permission_classes = [ActionPermission]
    permission_actions = READ_WRITE

    @extend_schema(parameters=[AUDIT_FILTER])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[AuditInvitation]:
        return _for_audit(self.request, invitations(), "audit_id")


class AnswerSerializer(serializers.ModelSerializer[AuditAnswer]):
    value = serializers.SerializerMethodField(method_name="answer_value")

    class Meta:
        model = AuditAnswer
        fields = ["question", "value"]

    @extend_schema_field(OpenApiTypes.ANY)
    def answer_value(self, answer: AuditAnswer) -> Any:
        return answer.value


class AuditResponseSerializer(serializers.ModelSerializer[AuditResponse]):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = AuditResponse
        fields = [
            "id",
            "audit",
            "agency",
            "agency_name",
            "respondent_name",
            "respondent_email",
            "job_role",
            "staff_represented",
            "submitted_at",
            "answers",
        ]


class AnswerInputSerializer(serializers.Serializer[Any]):
    """One answer. Nested, so it checks for unknown keys itself (the strict base reads the top-level body)."""

    question = serializers.UUIDField()
    value = serializers.JSONField(
        allow_null=True,
        help_text="1 to 5 for scales; true or false for yes-or-no; a number of 0 or more; or text (5,000 characters "
        "at most). null or leave the answer out for a question you skip.",
    )

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - {"question", "value"})
            if unknown:
                raise serializers.ValidationError(
                    {name: ["This field is not recognised: an answer has a question and a value."] for name in unknown}
                )
        return super().to_internal_value(data)


class RespondSerializer(StrictSerializer):
    token = serializers.CharField(max_length=200, help_text="The token in the link the agency was emailed.")
    respondent_name = serializers.CharField(max_length=150)
    respondent_email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    job_role = serializers.CharField(max_length=150, required=False, allow_blank=True)
    staff_represented = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False, allow_null=True)
    answers = serializers.ListField(child=AnswerInputSerializer(), max_length=1000)


class AnyoneWithALinkOrManagers(BasePermission):
    """Answering needs no sign-in: the token, checked by the service, is the permission. Reading is for managers."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if getattr(view, "action", None) == "create":
            return AllowAny().has_permission(request, view)
        return ActionPermission().has_permission(request, view)


class AuditResponseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[AuditResponse]):
    """Agencies' answers. Managers read them here; an agency sends its answers with the token from its link."""

    serializer_class = AuditResponseSerializer
    permission_classes = [AnyoneWithALinkOrManagers]
    permission_actions = READ_WRITE

    @extend_schema(parameters=[AUDIT_FILTER])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[AuditResponse]:
        if getattr(self, "action", None) == "create":
            return AuditResponse.objects.none()
        return _for_audit(self.request, responses(), "audit_id")

    @extend_schema(
        request=RespondSerializer,
        responses={201: ResponseSentSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Send an agency's answers with the token from its link (no sign-in). All or nothing: one bad answer, a
        closed audit or a wrong token refuses the whole response with a 400 that says why."""
        body = RespondSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        response = services.submit_response(
            token=data.pop("token"),
            answers=[{"question": row["question"], "value": row.get("value")} for row in data.pop("answers")],
            **data,
        )
        message = "Thank you: your answers have been sent."
        return Response({"id": str(response.pk), "message": message}, status=status.HTTP_201_CREATED)
