"""The trainer pool's API. On the platform host, a trainer's own data (profile, sessions in every board, dates away,
offers to boards); on a board's host, the offers made to that board and its decisions. Writes go through services.

Nothing here ever lists another person's rows on the platform host, or another board's rows on a board's host:
every queryset starts from the signed-in person or from the request's board.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lscb_platform.api_fields import StrictModelSerializer
from shared_apps.accounts.permissions import ActionPermission, request_board
from shared_apps.agencies.models import Agency
from shared_apps.trainers import selectors, services
from shared_apps.trainers.display import accreditation
from shared_apps.trainers.models import Blackout, BoardService, TrainerAssignment, TrainerProfile
from tenants.models import Board

PORTAL = {"read": "trainer.portal", "write": "trainer.portal"}
APPROVE = {"read": "trainers.approve", "write": "trainers.approve"}
NOT_IN_POOL = (
    "You are not in the trainer pool yet. Create your trainer profile on the trainer portal (/trainers/) first."
)
WEEKDAY_MESSAGE = "Give weekdays as numbers from 1 (Monday) to 7 (Sunday)."
TOPICS_MESSAGE = 'Give topics as a list of text, like ["neglect", "online safety"].'


def _me(request: Request) -> int:
    """The signed-in person's id (ActionPermission has already refused anyone signed out)."""
    return int(request.user.pk or 0)


def _profile_or_refuse(request: Request) -> TrainerProfile:
    profile = selectors.profile_of(request.user)
    if profile is None:
        raise exceptions.PermissionDenied(NOT_IN_POOL)
    return profile


# --- fields ------------------------------------------------------------------------------------------------------


class TextListField(serializers.ListField):
    """A list of short texts. Numbers or objects in it are refused (DRF would quietly turn 5 into "5")."""

    default_error_messages = {"not_text": TOPICS_MESSAGE}

    def to_internal_value(self, data: Any) -> list[Any]:
        if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
            self.fail("not_text")
        return list(super().to_internal_value(data))


def _topic() -> serializers.CharField:
    return serializers.CharField(
        max_length=80,
        error_messages={
            "blank": "Each topic needs some text.",
            "max_length": "Each topic must be 80 characters or fewer.",
        },
    )


def _weekday() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=7,
        error_messages={"invalid": WEEKDAY_MESSAGE, "min_value": WEEKDAY_MESSAGE, "max_value": WEEKDAY_MESSAGE},
    )


# --- the trainer's own profile (platform host) -------------------------------------------------------------------


class TrainerProfileSerializer(StrictModelSerializer[TrainerProfile]):
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    home_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True),
        help_text="The id of your home agency (the list is at /api/v1/agencies/).",
        error_messages={
            "required": "Give the id of your home agency (the list is at /api/v1/agencies/).",
            "does_not_exist": "There is no active agency with this id (the list is at /api/v1/agencies/).",
            "incorrect_type": "Give the agency's id, a whole number.",
        },
    )
    home_agency_name = serializers.CharField(source="home_agency.name", read_only=True)
    job_role = serializers.CharField(max_length=150)
    topics = TextListField(child=_topic(), max_length=30, required=False, help_text="Topics you can teach.")
    skills = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    bio = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    sessions_per_month_committed = serializers.IntegerField(min_value=0, max_value=31, required=False)
    available_weekdays = serializers.ListField(
        child=_weekday(),
        max_length=7,
        required=False,
        help_text="ISO weekdays you can usually train: 1 (Monday) to 7 (Sunday).",
        error_messages={"not_a_list": WEEKDAY_MESSAGE},
    )
    accreditation = serializers.SerializerMethodField()
    calendar_url = serializers.SerializerMethodField(help_text="Your personal calendar feed. Keep it private.")

    class Meta:
        model = TrainerProfile
        fields = [
            "id",
            "email",
            "full_name",
            "home_agency",
            "home_agency_name",
            "job_role",
            "topics",
            "skills",
            "bio",
            "trained_as_trainer_on",
            "accreditation_expires_on",
            "accreditation",
            "sessions_per_month_committed",
            "available_weekdays",
            "is_active",
            "calendar_url",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"is_active": {"required": False}}

    def get_accreditation(self, profile: TrainerProfile) -> str:
        return accreditation(profile, timezone.localdate()).text

    def get_calendar_url(self, profile: TrainerProfile) -> str:
        path = reverse("trainers:calendar", args=[profile.calendar_token])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def validate_available_weekdays(self, days: list[int]) -> list[int]:
        return sorted(set(days))


class TrainerProfileViewSet(viewsets.GenericViewSet[TrainerProfile]):
    """Your own trainer profile. Create it on the trainer portal; read and change it here."""

    serializer_class = TrainerProfileSerializer
    permission_classes = [ActionPermission]
    permission_actions = PORTAL
    pagination_class = None

    def get_queryset(self) -> QuerySet[TrainerProfile]:
        return TrainerProfile.objects.filter(user_id=_me(self.request)).select_related("user", "home_agency")

    @extend_schema(methods=["GET"], request=None, responses=TrainerProfileSerializer)
    @extend_schema(methods=["PUT"], request=TrainerProfileSerializer, responses=TrainerProfileSerializer)
    @action(detail=False, methods=["get", "put"], url_path="me")
    def me(self, request: Request) -> Response:
        """GET your profile; PUT changes it (home agency and job role are required; other fields you leave out stay
        as they are)."""
        profile = self.get_queryset().first()
        if profile is None:
            raise exceptions.NotFound(NOT_IN_POOL)
        if request.method == "PUT":
            serializer = self.get_serializer(profile, data=request.data)
            serializer.is_valid(raise_exception=True)
            profile = services.save_profile(request.user, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(profile).data)


# --- the trainer's sessions in every board (platform host) -------------------------------------------------------


class TrainerAssignmentSerializer(serializers.ModelSerializer[TrainerAssignment]):
    board: serializers.SlugRelatedField[Board] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    board_name = serializers.CharField(source="board.name", read_only=True)
    starts_at = serializers.DateTimeField(source="during.lower", read_only=True)
    ends_at = serializers.DateTimeField(source="during.upper", read_only=True)
    hours = serializers.FloatField(read_only=True)

    class Meta:
        model = TrainerAssignment
        fields = [
            "id",
            "board",
            "board_name",
            "session_id",
            "session_part_id",
            "title",
            "location",
            "role",
            "status",
            "starts_at",
            "ends_at",
            "hours",
            "updated_at",
        ]
        read_only_fields = fields


class TrainerAssignmentViewSet(viewsets.ReadOnlyModelViewSet[TrainerAssignment]):
    """Your sessions in every board you train for, soonest first. Accept or decline the ones waiting for an answer:
    declining gives the time back at once, so any board can book you then."""

    serializer_class = TrainerAssignmentSerializer
    permission_classes = [ActionPermission]
    permission_actions = PORTAL

    def get_queryset(self) -> QuerySet[TrainerAssignment]:
        rows = TrainerAssignment.objects.filter(trainer__user_id=_me(self.request)).select_related("board")
        if self.request.query_params.get("upcoming") in ("1", "true"):
            rows = rows.filter(during__endswith__gte=timezone.now())
        return rows.order_by("during", "pk")

    def _respond(self, accept: bool) -> Response:
        assignment = services.respond_to_assignment(self.get_object(), accept=accept, actor=self.request.user)
        assignment = self.get_queryset().get(pk=assignment.pk)
        return Response(self.get_serializer(assignment).data)

    @extend_schema(request=None, responses=TrainerAssignmentSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """Accept the session (every part of it)."""
        return self._respond(True)

    @extend_schema(request=None, responses=TrainerAssignmentSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        """Decline the session (every part of it): the board is told and your time is free again."""
        return self._respond(False)


# --- dates away (platform host) ----------------------------------------------------------------------------------


class BlackoutSerializer(StrictModelSerializer[Blackout]):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)

    class Meta:
        model = Blackout
        fields = ["id", "starts_on", "ends_on", "reason"]
        read_only_fields = ["id"]


class BlackoutViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet[Blackout]):
    """Your dates away: no board can book you on them."""

    serializer_class = BlackoutSerializer
    permission_classes = [ActionPermission]
    permission_actions = PORTAL

    def get_queryset(self) -> QuerySet[Blackout]:
        return Blackout.objects.filter(trainer__user_id=_me(self.request)).order_by("starts_on", "pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        profile = _profile_or_refuse(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        blackout = services.add_blackout(profile, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(blackout).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Blackout) -> None:
        services.remove_blackout(instance, actor=self.request.user)


# --- offers to boards (platform host) ----------------------------------------------------------------------------


class BoardServiceSerializer(StrictModelSerializer[BoardService]):
    board: serializers.SlugRelatedField[Board] = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Board.objects.boards(),
        help_text="The board's slug, as in the board directory (/api/v1/boards/).",
        error_messages={
            "does_not_exist": "There is no board or partnership with this slug (see /api/v1/boards/).",
            "invalid": "Give the board's slug as text.",
        },
    )
    board_name = serializers.CharField(source="board.name", read_only=True)

    class Meta:
        model = BoardService
        fields = ["id", "board", "board_name", "status", "decided_at"]
        read_only_fields = ["id", "status", "decided_at"]


class BoardServiceViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[BoardService]):
    """The boards you offered to train for, and each board's decision. Offer to train for another board here."""

    serializer_class = BoardServiceSerializer
    permission_classes = [ActionPermission]
    permission_actions = PORTAL

    def get_queryset(self) -> QuerySet[BoardService]:
        return (
            BoardService.objects.filter(trainer__user_id=_me(self.request))
            .select_related("board")
            .order_by("board__name", "pk")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        profile = _profile_or_refuse(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        board = serializer.validated_data["board"]
        already = (
            BoardService.objects.filter(trainer=profile, board=board)
            .exclude(status__in=[BoardService.Status.REFUSED, BoardService.Status.WITHDRAWN])
            .exists()
        )
        service = services.offer_to_serve(profile, board, actor=request.user)
        code = status.HTTP_200_OK if already else status.HTTP_201_CREATED
        return Response(self.get_serializer(service).data, status=code)


# --- a board's offers (board host) -------------------------------------------------------------------------------


class PoolEntrySerializer(serializers.ModelSerializer[BoardService]):
    trainer = serializers.IntegerField(source="trainer.pk", read_only=True)
    name = serializers.CharField(source="trainer.user.full_name", read_only=True)
    email = serializers.EmailField(source="trainer.user.email", read_only=True)
    home_agency = serializers.CharField(source="trainer.home_agency.name", read_only=True)
    job_role = serializers.CharField(source="trainer.job_role", read_only=True)
    topics = serializers.ListField(child=serializers.CharField(), source="trainer.topics", read_only=True)
    trained_as_trainer_on = serializers.DateField(source="trainer.trained_as_trainer_on", read_only=True)
    accreditation_expires_on = serializers.DateField(source="trainer.accreditation_expires_on", read_only=True)
    accreditation = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = BoardService
        fields = [
            "id",
            "trainer",
            "name",
            "email",
            "home_agency",
            "job_role",
            "topics",
            "trained_as_trainer_on",
            "accreditation_expires_on",
            "accreditation",
            "status",
            "decided_at",
            "decided_by",
        ]
        read_only_fields = fields

    def get_accreditation(self, service: BoardService) -> str:
        return accreditation(service.trainer, timezone.localdate()).text

    def get_decided_by(self, service: BoardService) -> str:
        person = service.decided_by
        return (person.full_name or person.email) if person is not None else ""


class TrainerPoolViewSet(viewsets.ReadOnlyModelViewSet[BoardService]):
    """Trainers who offered to train for this board, waiting ones first. Approve or refuse each offer."""

    serializer_class = PoolEntrySerializer
    permission_classes = [ActionPermission]
    permission_actions = APPROVE

    def get_queryset(self) -> QuerySet[BoardService]:
        board = request_board(self.request)
        if not isinstance(board, Board):
            return BoardService.objects.none()
        return selectors.offers_to_board(board)

    def _decide(self, approve: bool) -> Response:
        service = services.decide_service(self.get_object(), approve=approve, actor=self.request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=service.pk)).data)

    @extend_schema(request=None, responses=PoolEntrySerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve the trainer: coordinators can then book them for this board's sessions."""
        return self._decide(True)

    @extend_schema(request=None, responses=PoolEntrySerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: str | None = None) -> Response:
        """Refuse the offer (or withdraw an approval): the trainer can no longer be booked for new sessions here."""
        return self._decide(False)
