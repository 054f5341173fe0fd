"""The audiences API: audience groups and their pathway requirements, learner profiles, the learning ledger,
each learner's pathway status, and e-learning records (with their CSV import and report). Writes go through
services."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from lscb_platform.api_fields import StrictModelSerializer, StrictSerializer
from lscb_platform.api_limits import JSONParser, RequestTooLarge
from lscb_platform.api_services import ServiceViewSet
from shared_apps.accounts.permissions import ActionPermission, can, request_board
from shared_apps.agencies.models import Agency
from tenant_apps.audiences import elearning_csv, services
from tenant_apps.audiences.models import (
    AudienceGroup,
    ElearningRecord,
    LearnerProfile,
    LearningCompletion,
    PathwayRequirement,
)
from tenant_apps.audiences.rules import STATES
from tenant_apps.audiences.selectors import (
    board_member,
    board_members,
    elearning_records,
    elearning_report,
    groups_with_requirements,
    pathway_status,
    profile_of,
)

READ_WRITE = {"read": "audiences.read", "write": "audiences.manage"}
NOT_HERE = "There is no {} with this id in this board or partnership."
HOURS_ERRORS: dict[str, Any] = {
    "invalid": "Give the hours as a number, like 2 or 1.5.",
    "max_digits": "Give the hours as a number below 1000, like 2 or 1.5.",
    "max_whole_digits": "Give the hours as a number below 1000, like 2 or 1.5.",
    "max_decimal_places": "Give the hours to at most 2 decimal places, like 1.25.",
    "max_string_length": "Give the hours as a number, like 2 or 1.5.",
}


def _months_errors(field: str) -> dict[str, str]:
    message = services.MONTHS_MESSAGE[field]
    return {"min_value": message, "max_value": message, "invalid": message, "max_string_length": message}


def _caller_id(request: Request) -> int:
    return int(request.user.pk or 0)


def _can_manage(request: Request) -> bool:
    return can(request.user, "audiences.manage", request_board(request))


class BoardMemberField(serializers.PrimaryKeyRelatedField):
    """A person, by id, among those who hold a role in the request's board (no one else can be named)."""

    default_error_messages = {
        "required": "Give the person's id.",
        "does_not_exist": NOT_HERE.format("person"),
        "incorrect_type": "Give the person's id, a whole number.",
    }

    def get_queryset(self) -> QuerySet[Any]:
        return board_members(request_board(self.context["request"]))


# --- audience groups and requirements --------------------------------------------------------------------------


class PathwayRequirementSerializer(StrictModelSerializer[PathwayRequirement]):
    group = serializers.PrimaryKeyRelatedField(
        queryset=AudienceGroup.objects.all(),
        error_messages={"does_not_exist": NOT_HERE.format("audience group"), "incorrect_type": "Give the group's id."},
    )
    minimum_hours = serializers.DecimalField(max_digits=5, decimal_places=2, error_messages=HOURS_ERRORS)

    class Meta:
        model = PathwayRequirement
        fields = [
            "id",
            "group",
            "title",
            "description",
            "topic",
            "minimum_hours",
            "first_completion_within_months",
            "refresh_every_months",
            "order",
        ]
        validators: list[Any] = []  # the services check uniqueness, with messages a person understands
        extra_kwargs = {
            "description": {"max_length": 5000},
            "order": {"required": False},
            "first_completion_within_months": {
                "error_messages": _months_errors("first_completion_within_months"),
                "help_text": "Months from joining by which a new starter must complete it (1-120); null: no deadline.",
            },
            "refresh_every_months": {
                "error_messages": _months_errors("refresh_every_months"),
                "help_text": "How often it must be done again, in months (1-120); null: once only.",
            },
        }


class AudienceGroupSerializer(StrictModelSerializer[AudienceGroup]):
    requirements = PathwayRequirementSerializer(many=True, read_only=True)

    class Meta:
        model = AudienceGroup
        fields = ["id", "scheme", "code", "name", "description", "example_roles", "order", "requirements"]
        validators: list[Any] = []
        extra_kwargs = {
            "description": {"max_length": 5000},
            "example_roles": {"max_length": 5000},
            "order": {"required": False},
        }


class AudienceGroupViewSet(ServiceViewSet):
    """Audience groups (Berkshire West's groups 1 to 8, or the intercollegiate levels), with their requirements.

    Deleting a group that learners belong to is refused: move them to another group first.
    """

    serializer_class = AudienceGroupSerializer
    permission_classes = [ActionPermission]
    permission_actions = READ_WRITE
    create_service = staticmethod(services.create_group)
    update_service = staticmethod(services.update_group)
    delete_service = staticmethod(services.delete_group)

    def get_queryset(self) -> QuerySet[AudienceGroup]:
        return groups_with_requirements()


class PathwayRequirementViewSet(ServiceViewSet):
    """What each group must complete: minimum hours, first completion within N months of joining, refresh period."""

    serializer_class = PathwayRequirementSerializer
    permission_classes = [ActionPermission]
    permission_actions = READ_WRITE
    parent_field = "group"
    create_service = staticmethod(services.create_requirement)
    update_service = staticmethod(services.update_requirement)
    delete_service = staticmethod(services.delete_requirement)

    def get_queryset(self) -> QuerySet[PathwayRequirement]:
        requirements = PathwayRequirement.objects.select_related("group")
        group = self.request.query_params.get("group")
        return requirements.filter(group_id=uuid.UUID(group)) if group and _is_uuid(group) else requirements


# --- learner profiles ------------------------------------------------------------------------------------------


class LearnerProfileSerializer(StrictModelSerializer[LearnerProfile]):
    user = BoardMemberField(required=False, help_text="The person; leave it out to set up your own profile.")
    user_name = serializers.CharField(source="user.full_name", read_only=True)
    user_email = serializers.EmailField(source="user.email", read_only=True)
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True),
        allow_null=True,
        required=False,
        error_messages={
            "does_not_exist": "There is no active agency with this id.",
            "incorrect_type": "Give the agency's id.",
        },
    )
    agency_name = serializers.CharField(source="agency.name", read_only=True, default="")
    audience_group = serializers.PrimaryKeyRelatedField(
        queryset=AudienceGroup.objects.all(),
        allow_null=True,
        required=False,
        error_messages={"does_not_exist": NOT_HERE.format("audience group"), "incorrect_type": "Give the group's id."},
    )

    class Meta:
        model = LearnerProfile
        fields = [
            "id",
            "user",
            "user_name",
            "user_email",
            "agency",
            "agency_name",
            "job_role",
            "audience_group",
            "line_manager_email",
            "joined_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators: list[Any] = []

    def validate_user(self, user: Any) -> Any:
        if self.instance is not None and user.pk != self.instance.user_id:
            raise serializers.ValidationError("A profile belongs to one person: it cannot be moved to someone else.")
        return user


class LearnerProfileViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[LearnerProfile],
):
    """Practitioners' profiles in this board: agency, job role, audience group, line manager, joining date.

    Coordinators and board administrators see and change everyone's. Anyone else with a role in the board sees
    and changes only their own: POST without `user` sets up (or changes) the caller's own profile.
    """

    serializer_class = LearnerProfileSerializer
    permission_classes = [ActionPermission]
    # Any member may write (their own profile: the queryset and create() make sure); only managers delete.
    permission_actions = {"read": "audiences.read", "write": "audiences.read", "destroy": "audiences.manage"}

    def get_queryset(self) -> QuerySet[LearnerProfile]:
        profiles = LearnerProfile.objects.select_related("user", "agency", "audience_group").order_by("created_at")
        return profiles if _can_manage(self.request) else profiles.filter(user_id=_caller_id(self.request))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        user = data.pop("user", None) or request.user
        if user.pk != request.user.pk and not _can_manage(request):
            raise PermissionDenied("You can only set up your own learner profile.")
        profile, created = services.set_learner_profile(user, actor=request.user, **data)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(self.get_serializer(profile).data, status=code)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("user", None)
        profile, _ = services.set_learner_profile(serializer.instance.user, actor=self.request.user, **data)
        serializer.instance = profile

    def perform_destroy(self, instance: LearnerProfile) -> None:
        services.delete_learner_profile(instance, actor=self.request.user)

    @action(detail=False, methods=["get"])
    def me(self, request: Request) -> Response:
        """The caller's own profile in this board (404 until they have set one up)."""
        profile = profile_of(request.user)
        if profile is None:
            raise NotFound("You have not set up your learner profile in this board or partnership yet.")
        return Response(self.get_serializer(profile).data)


# --- the learning ledger ---------------------------------------------------------------------------------------


class LearningCompletionSerializer(StrictModelSerializer[LearningCompletion]):
    user = BoardMemberField()
    user_name = serializers.CharField(source="user.full_name", read_only=True)
    requirement = serializers.PrimaryKeyRelatedField(
        queryset=PathwayRequirement.objects.all(),
        allow_null=True,
        required=False,
        error_messages={
            "does_not_exist": NOT_HERE.format("pathway requirement"),
            "incorrect_type": "Give the requirement's id.",
        },
    )
    hours = serializers.DecimalField(max_digits=5, decimal_places=2, error_messages=HOURS_ERRORS)

    class Meta:
        model = LearningCompletion
        fields = [
            "id",
            "user",
            "user_name",
            "requirement",
            "title",
            "topic",
            "completed_on",
            "hours",
            "source",
            "reference",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        validators: list[Any] = []  # a repeated source and reference is not an error: it returns the record
        extra_kwargs = {
            "title": {"required": False, "allow_blank": True, "help_text": "Defaults to the requirement's title."},
            "topic": {"help_text": "Counts for every requirement with this topic. Defaults to the requirement's."},
            "reference": {"help_text": "Its id where it came from; the same source and reference is recorded once."},
        }

    def validate_user(self, user: Any) -> Any:
        if self.instance is not None and user.pk != self.instance.user_id:
            raise serializers.ValidationError("Completed learning belongs to one person: record it again for another.")
        return user


class LearningCompletionViewSet(ServiceViewSet):
    """The ledger of completed learning. Coordinators record it (a repeated source and reference returns the
    record already there, with 200); everyone else with a role in the board sees their own."""

    serializer_class = LearningCompletionSerializer
    permission_classes = [ActionPermission]
    permission_actions = READ_WRITE
    update_service = staticmethod(services.update_completion)
    delete_service = staticmethod(services.delete_completion)

    def get_queryset(self) -> QuerySet[LearningCompletion]:
        completions = LearningCompletion.objects.select_related("user", "requirement").order_by("-completed_on")
        if not _can_manage(self.request):
            return completions.filter(user_id=_caller_id(self.request))
        person = self.request.query_params.get("user", "")
        return completions.filter(user_id=int(person)) if person.isdigit() and len(person) < 19 else completions

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        completion, created = services.record_completion(actor=request.user, **serializer.validated_data)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(self.get_serializer(completion).data, status=code)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("user", None)
        serializer.instance = services.update_completion(serializer.instance, actor=self.request.user, **data)


# --- pathway status --------------------------------------------------------------------------------------------


class GroupBriefSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    scheme = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()


class RequirementStatusSerializer(serializers.Serializer[Any]):
    requirement = serializers.UUIDField(source="requirement.pk")
    title = serializers.CharField(source="requirement.title")
    topic = serializers.CharField(source="requirement.topic")
    minimum_hours = serializers.DecimalField(source="requirement.minimum_hours", max_digits=5, decimal_places=2)
    first_completion_within_months = serializers.IntegerField(
        source="requirement.first_completion_within_months", allow_null=True
    )
    refresh_every_months = serializers.IntegerField(source="requirement.refresh_every_months", allow_null=True)
    state = serializers.ChoiceField(choices=STATES, source="assessment.state")
    state_label = serializers.CharField(source="assessment.label")
    last_completed_on = serializers.DateField(source="assessment.last_completed_on", allow_null=True)
    hours_in_period = serializers.DecimalField(
        source="assessment.hours_in_period",
        max_digits=9,
        decimal_places=2,
        help_text="Hours that count now: the last N months for a refresher, all hours for once-only learning.",
    )
    next_due_on = serializers.DateField(source="assessment.next_due_on", allow_null=True)


class PathwayStatusSerializer(serializers.Serializer[Any]):
    today = serializers.DateField()
    user = serializers.IntegerField()
    profile = serializers.UUIDField(allow_null=True)
    audience_group = GroupBriefSerializer(allow_null=True)
    requirements = RequirementStatusSerializer(many=True)


class PathwayStatusViewSet(viewsets.ViewSet):
    """Where a learner stands on their pathway: each requirement of their audience group, done, due, overdue
    or not started, with the hours that count and the next due date. The rules: docs/audiences.md."""

    permission_classes = [ActionPermission]
    permission_actions = {"read": "audiences.read"}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "user", int, description="Another person's id (coordinators and board administrators only)."
            )
        ],
        responses=PathwayStatusSerializer,
    )
    def list(self, request: Request) -> Response:
        person: Any = request.user
        wanted = request.query_params.get("user", "").strip()
        if wanted and wanted != str(request.user.pk):
            if not _can_manage(request):
                raise PermissionDenied("Only coordinators can see another person's learning pathway.")
            if not wanted.isdigit():
                raise serializers.ValidationError({"user": ["Give the person's id, a whole number."]})
            person = board_member(request_board(request), int(wanted))
            if person is None:
                raise NotFound(NOT_HERE.format("person"))
        pathway = pathway_status(person)
        body = {
            "today": pathway.today,
            "user": person.pk,
            "profile": pathway.profile.pk if pathway.profile is not None else None,
            "audience_group": pathway.group,
            "requirements": pathway.statuses,
        }
        return Response(PathwayStatusSerializer(body).data)


# --- e-learning records ----------------------------------------------------------------------------------------

# The provider's name and the multipart framing take a few kilobytes; anything much larger is refused unread.
MAX_IMPORT_REQUEST = elearning_csv.MAX_BYTES + 64 * 1024
DATE_HINT = "Give the date as YYYY-MM-DD, like 2024-03-31."


class CsvUploadParser(parsers.MultiPartParser):
    """Multipart form data (the CSV file and the provider's name), refused before it is read when far too large."""

    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        request = (parser_context or {}).get("request")
        length = request.META.get("CONTENT_LENGTH") if request is not None else None
        if length and length.isdigit() and int(length) > MAX_IMPORT_REQUEST:
            raise RequestTooLarge(f"The request is too large. {elearning_csv.TOO_BIG}")
        try:
            return super().parse(stream, media_type, parser_context)
        except RequestDataTooBig as exc:
            raise RequestTooLarge("The form's fields are too large: send the provider's name and one file.") from exc
        except SuspiciousOperation as exc:
            raise serializers.ValidationError(
                {"non_field_errors": ["The form has too many fields or files: send the provider's name and one file."]}
            ) from exc


class ElearningRecordSerializer(StrictModelSerializer[ElearningRecord]):
    user = BoardMemberField(help_text="The person who started the module: someone with a role in this board.")
    user_name = serializers.CharField(source="user.full_name", read_only=True)
    user_email = serializers.EmailField(source="user.email", read_only=True)
    started_on = serializers.DateField(error_messages={"invalid": DATE_HINT, "required": "Give the start date."})
    completed_on = serializers.DateField(
        allow_null=True,
        required=False,
        error_messages={"invalid": DATE_HINT},
        help_text="Empty (null) while not completed. Completing it adds it to the person's completed learning.",
    )
    hours = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        required=False,
        error_messages=HOURS_ERRORS,
        help_text="Hours of learning; needed once the module is completed.",
    )

    class Meta:
        model = ElearningRecord
        fields = [
            "id",
            "user",
            "user_name",
            "user_email",
            "module_title",
            "topic",
            "provider",
            "provider_reference",
            "started_on",
            "completed_on",
            "hours",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators: list[Any] = []  # the services check one record per person, module and start date
        extra_kwargs = {
            "module_title": {
                "error_messages": {
                    "required": "Give the module's title.",
                    "blank": "Give the module's title.",
                    "max_length": "The module title must be 200 characters or fewer.",
                }
            },
            "provider": {
                "error_messages": {
                    "required": "Give the name of the e-learning provider.",
                    "blank": "Give the name of the e-learning provider.",
                    "max_length": "The provider's name must be 200 characters or fewer.",
                }
            },
        }

    def validate_user(self, user: Any) -> Any:
        if self.instance is not None and user.pk != self.instance.user_id:
            raise serializers.ValidationError(
                "An e-learning record belongs to one person: add a new record for someone else."
            )
        return user


class ElearningImportSerializer(StrictSerializer):
    file = serializers.FileField(
        help_text="The provider's CSV export (UTF-8, at most 5 MB and 20,000 rows). Columns: email, module, "
        "started_on (needed), topic, completed_on, hours, reference.",
        error_messages={
            "required": "Choose a CSV file to import.",
            "invalid": "Send the CSV file as a file in multipart/form-data.",
            "empty": "The file is empty.",
            "no_name": "Send the CSV file as a file in multipart/form-data.",
        },
    )
    provider = serializers.CharField(max_length=200, help_text="The e-learning provider the file comes from.")


class ElearningImportResultSerializer(serializers.Serializer[Any]):
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    completed = serializers.IntegerField(help_text="Rows recorded as completed (each counts in the ledger).")


class ElearningReportRowSerializer(serializers.Serializer[Any]):
    agency_type = serializers.CharField(allow_null=True, help_text="Null: no learner profile or no agency in it.")
    agency_type_label = serializers.CharField(source="label")
    completed = serializers.IntegerField()
    started_not_completed = serializers.IntegerField()
    learners = serializers.IntegerField(help_text="Different people.")


class ElearningReportSerializer(serializers.Serializer[Any]):
    started_from = serializers.DateField(allow_null=True)
    started_to = serializers.DateField(allow_null=True)
    rows = ElearningReportRowSerializer(many=True)
    total = ElearningReportRowSerializer()


def _date_param(request: Request, name: str) -> date | None:
    value = str(request.query_params.get(name, "")).strip()
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise serializers.ValidationError({name: [f"“{value[:40]}” is not a date. {DATE_HINT}"]}) from exc


class ElearningRecordViewSet(ServiceViewSet):
    """E-learning starts and completions (coordinators and board administrators only).

    A record with a completion date is in the person's completed learning (source "e_learning"), so their
    pathway counts it; taking the date away or deleting the record removes it. `import/` takes a provider's CSV
    export, all or nothing; `report/` counts completed and started-not-completed records by agency type.
    """

    serializer_class = ElearningRecordSerializer
    permission_classes = [ActionPermission]
    permission_actions = {"read": "audiences.manage", "write": "audiences.manage"}
    parser_classes = [JSONParser]
    create_service = staticmethod(services.save_elearning_record)
    update_service = staticmethod(services.save_elearning_record)
    delete_service = staticmethod(services.delete_elearning_record)

    @extend_schema(
        parameters=[
            OpenApiParameter("from", date, description="Only records started on or after this date."),
            OpenApiParameter("to", date, description="Only records started on or before this date."),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[ElearningRecord]:
        if self.action != "list":
            return elearning_records()
        return elearning_records(_date_param(self.request, "from"), _date_param(self.request, "to"))

    @extend_schema(
        request={"multipart/form-data": ElearningImportSerializer},
        responses={201: ElearningImportResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[CsvUploadParser])
    def import_file(self, request: Request) -> Response:
        """Import a provider's CSV export. All or nothing: when any row is wrong nothing is saved and the 400
        lists every wrong row under `fields.file` ("Row 4: completed_on 2024-13-01 is not a real date:
        write it like 2024-03-31 or 31/03/2024"). Importing the same file again changes nothing."""
        serializer = ElearningImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        if upload.size > elearning_csv.MAX_BYTES:
            raise serializers.ValidationError({"file": [elearning_csv.TOO_BIG]})
        result = services.import_elearning_csv(
            upload.read(), actor=request.user, provider=serializer.validated_data["provider"]
        )
        return Response(ElearningImportResultSerializer(result).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("from", date, description="Records started on or after this date (default: no limit)."),
            OpenApiParameter("to", date, description="Records started on or before this date (default: no limit)."),
        ],
        responses=ElearningReportSerializer,
    )
    @action(detail=False, methods=["get"])
    def report(self, request: Request) -> Response:
        """Completed and started-not-completed records started within the dates, by the agency type of each
        person's employer (from their learner profile here; "Agency not recorded" without one)."""
        started_from, started_to = _date_param(request, "from"), _date_param(request, "to")
        if started_from and started_to and started_from > started_to:
            raise serializers.ValidationError({"to": ["The end date must be on or after the start date."]})
        return Response(ElearningReportSerializer(elearning_report(started_from, started_to)).data)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
