"""The offer API: venues, courses, sessions and their trainers, training standards and observations (managers),
and the public catalogue (anyone). Thin: every write is a service call, every read a selector."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from lscb_platform.api_fields import StrictModelSerializer, StrictSerializer
from lscb_platform.api_services import ServiceViewSet
from shared_apps.accounts.permissions import ActionPermission, request_board
from shared_apps.trainers.models import TrainerAssignment, TrainerProfile
from tenant_apps.audiences.models import AudienceGroup
from tenant_apps.learning_sources.models import Theme
from tenant_apps.offer import selectors, services
from tenant_apps.offer.calendar import part_location
from tenant_apps.offer.models import Course, Observation, Session, SessionPart, TrainingStandard, Venue
from tenant_apps.offer.services import CHECK_VALUES, PartSpec
from tenant_apps.strategy.models import PlanItem
from tenants.models import Board

MANAGE = {"read": "offer.manage", "write": "offer.manage"}
OBSERVATIONS = {"read": "observations.read", "write": "observations.manage"}
PUBLIC = {"read": "catalogue.read"}
MAX_PARTS = 10


def _board(request: Request) -> Board:
    board = request_board(request)
    if not isinstance(board, Board):
        raise NotFound("There is no board or partnership at this address.")
    return board


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# --- venues -----------------------------------------------------------------------------------------------------


class VenueSerializer(StrictModelSerializer[Venue]):
    class Meta:
        model = Venue
        fields = [
            "id",
            "name",
            "room",
            "address",
            "postcode",
            "capacity",
            "accessibility",
            "facilities",
            "cost_per_day",
            "is_active",
        ]
        extra_kwargs = {name: {"max_length": 2000} for name in ("address", "accessibility", "facilities")}


class VenueViewSet(ServiceViewSet):
    """Rooms the board trains in, with how many people each holds. Venues are never deleted: sessions name them;
    set `is_active` to false to stop offering one."""

    serializer_class = VenueSerializer
    permission_classes = [ActionPermission]
    permission_actions = MANAGE
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    create_service = staticmethod(services.save_venue)
    update_service = staticmethod(services.save_venue)

    def get_queryset(self) -> QuerySet[Venue]:
        return selectors.venues()


# --- courses ----------------------------------------------------------------------------------------------------


class PriorityField(serializers.PrimaryKeyRelatedField):
    """A row of an action plan of an adopted strategy, or one the course already answers (so that it keeps the
    priorities of a strategy since superseded)."""

    def get_queryset(self) -> QuerySet[PlanItem]:
        serializer = self.parent.parent if self.parent is not None else None
        course = getattr(serializer, "instance", None)
        return selectors.adopted_priorities(course if isinstance(course, Course) else None)


class CourseSerializer(StrictModelSerializer[Course]):
    audience_groups = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=AudienceGroup.objects.all(), help_text="Ids of the audience groups."
    )
    priorities = PriorityField(
        many=True,
        required=False,
        help_text="Ids of action plan rows of adopted strategies that the course answers.",
    )
    themes = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Theme.objects.all(), help_text="Ids of themes from case reviews."
    )

    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "summary",
            "learning_outcomes",
            "intervention_type",
            "delivery",
            "multi_agency",
            "open_to_other_agencies",
            "needs_manager_approval",
            "audience_groups",
            "duration_hours",
            "category",
            "topic",
            "prerequisites",
            "priorities",
            "themes",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {name: {"max_length": 10000} for name in ("summary", "learning_outcomes", "prerequisites")}


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("status", str, enum=Course.Status.values, description="Only courses in it.")]
    )
)
class CourseViewSet(ServiceViewSet):
    """The board's courses in every status (draft, published, archived). Only published courses appear in the
    catalogue. Courses are archived, never deleted: their sessions stay on record."""

    serializer_class = CourseSerializer
    permission_classes = [ActionPermission]
    permission_actions = MANAGE
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    create_service = staticmethod(services.save_course)
    update_service = staticmethod(services.save_course)

    def get_queryset(self) -> QuerySet[Course]:
        wanted = self.request.query_params.get("status", "")
        courses = selectors.courses_for_managers(wanted if wanted in Course.Status.values else "")
        return courses.prefetch_related("priorities", "themes")


# --- sessions ---------------------------------------------------------------------------------------------------


class PartSerializer(serializers.Serializer[SessionPart]):
    """One dated part of a session: read from the part's time range, written as a `PartSpec`."""

    id = serializers.UUIDField(read_only=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    venue = serializers.PrimaryKeyRelatedField(
        queryset=Venue.objects.all(), allow_null=True, required=False, help_text="Leave out or null for online."
    )
    location = serializers.CharField(read_only=True)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                {"non_field_errors": ['Send each part as an object: {"starts_at", "ends_at", "venue"}.']}
            )
        unknown = sorted(set(data) - {"starts_at", "ends_at", "venue"})
        if unknown:
            raise serializers.ValidationError(
                {name: [f"“{name}” is not a field of a part: send starts_at, ends_at and venue."] for name in unknown}
            )
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            # Nested errors reach the client flattened under "parts": name the part's field in each message.
            detail = error.detail if isinstance(error.detail, dict) else {}
            raise serializers.ValidationError(
                {name: [f"{name}: {message}" for message in messages] for name, messages in detail.items()}
            ) from error

    def to_representation(self, instance: SessionPart) -> dict[str, Any]:
        when = serializers.DateTimeField()
        return {
            "id": str(instance.pk),
            "starts_at": when.to_representation(instance.during.lower),
            "ends_at": when.to_representation(instance.during.upper),
            "venue": str(instance.venue_id) if instance.venue_id else None,
            "location": part_location(instance.session, instance),
        }


class SessionSerializer(StrictModelSerializer[Session]):
    parts = PartSerializer(
        many=True, help_text="The dated parts, e.g. both days of a two-day course. Sending them replaces them all."
    )
    places_left = serializers.IntegerField(read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "course",
            "capacity",
            "places_left",
            "booking_opens_at",
            "booking_closes_at",
            "has_waiting_list",
            "online_joining_details",
            "notes",
            "parts",
            "status",
            "status_reason",
            "starts_at",
            "ends_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "status", "status_reason", "starts_at", "ends_at", "created_at", "updated_at"]
        extra_kwargs = {
            "online_joining_details": {"max_length": 2000},
            "notes": {"max_length": 10000},
            "course": {"help_text": "Set when the session is scheduled; schedule a new session for another course."},
        }

    def validate_parts(self, parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(parts) > MAX_PARTS:
            raise serializers.ValidationError(f"A session has at most {MAX_PARTS} parts.")
        # A PATCH makes every field optional, nested ones too: a part still needs both ends.
        if any("starts_at" not in part or "ends_at" not in part for part in parts):
            raise serializers.ValidationError("Give each part a start (starts_at) and an end (ends_at).")
        return parts

    def validate_course(self, course: Course) -> Course:
        if self.instance is not None and course != self.instance.course:
            raise serializers.ValidationError("A session's course cannot be changed: schedule a new session.")
        return course


def _part_specs(parts: list[dict[str, Any]]) -> list[PartSpec]:
    return [PartSpec(part["starts_at"], part["ends_at"], part.get("venue")) for part in parts]


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(
        max_length=2000,
        allow_blank=True,
        help_text="Why, in a sentence: it goes in the quarterly report and to people booked.",
    )


class TrainerSummarySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    name = serializers.SerializerMethodField()
    agency = serializers.CharField(source="home_agency.name", read_only=True)
    job_role = serializers.CharField(read_only=True)
    topics = serializers.ListField(child=serializers.CharField(), read_only=True)

    def get_name(self, profile: TrainerProfile) -> str:
        return profile.user.full_name or profile.user.email


@extend_schema_field(OpenApiTypes.INT)
class PoolTrainerField(serializers.PrimaryKeyRelatedField):
    """A trainer who has offered to serve this board (approved or not: the service says why it refuses one)."""

    default_error_messages = {
        "does_not_exist": "There is no trainer {pk_value} in this board's trainer pool.",
        "incorrect_type": "Give the trainer's id, a whole number.",
    }

    def get_queryset(self) -> QuerySet[TrainerProfile]:
        request = self.context.get("request")
        board = request_board(request) if request is not None else None
        return selectors.board_pool(board) if isinstance(board, Board) else TrainerProfile.objects.none()


class AssignTrainerSerializer(StrictSerializer):
    trainer = PoolTrainerField(help_text="The trainer's id in the trainer pool.")
    role = serializers.ChoiceField(choices=TrainerAssignment.Role.choices)


class SessionTrainerSerializer(serializers.Serializer[Any]):
    trainer = TrainerSummarySerializer(read_only=True)
    role = serializers.CharField(read_only=True)
    role_label = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(read_only=True)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=Session.Status.values, description="Only sessions in this state."),
            OpenApiParameter("course", str, description="Only sessions of this course (its id)."),
        ]
    )
)
class SessionViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet[Session]):
    """Sessions of the board's courses, each made of dated parts in a venue (or online). Sessions are cancelled or
    postponed with a reason, never deleted."""

    serializer_class = SessionSerializer
    permission_classes = [ActionPermission]
    permission_actions = MANAGE

    def get_queryset(self) -> QuerySet[Session]:
        sessions = selectors.with_places(Session.objects.select_related("course")).prefetch_related("parts__venue")
        wanted = self.request.query_params.get("status", "")
        if wanted in Session.Status.values:
            sessions = sessions.filter(status=wanted)
        course = self.request.query_params.get("course", "")
        if course and _is_uuid(course):
            sessions = sessions.filter(course_id=course)
        return sessions.order_by("starts_at", "pk")

    def _fresh(self, session: Session) -> Session:
        return self.get_queryset().get(pk=session.pk)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        parts = _part_specs(data.pop("parts"))
        session = services.schedule_session(data.pop("course"), actor=self.request.user, parts=parts, **data)
        serializer.instance = self._fresh(session)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("course", None)
        parts = _part_specs(data.pop("parts")) if "parts" in data else None
        session = services.update_session(serializer.instance, actor=self.request.user, parts=parts, **data)
        serializer.instance = self._fresh(session)

    @extend_schema(request=ReasonSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel the session, saying why: its rooms and trainers are freed."""
        return self._set_status(request, services.cancel_session)

    @extend_schema(request=ReasonSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def postpone(self, request: Request, pk: str | None = None) -> Response:
        """Postpone the session, saying why: its rooms and trainers are freed (schedule a new session for the new
        dates)."""
        return self._set_status(request, services.postpone_session)

    def _set_status(self, request: Request, service: Any) -> Response:
        session = self.get_object()
        reason = ReasonSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        session = service(session, actor=request.user, reason=reason.validated_data["reason"])
        return Response(SessionSerializer(self._fresh(session), context=self.get_serializer_context()).data)

    @extend_schema(methods=["GET"], request=None, responses=SessionTrainerSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=AssignTrainerSerializer, responses={201: SessionTrainerSerializer(many=True)}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def trainers(self, request: Request, pk: str | None = None) -> Response:
        """The session's trainers (GET), or book a lead or co-trainer for every part of it (POST). Booking checks,
        across every board, that the trainer is approved here, accredited on the day, not on leave and not
        already booked at that time."""
        session = self.get_object()
        board = _board(request)
        code: int = status.HTTP_200_OK
        if request.method == "POST":
            choice = AssignTrainerSerializer(data=request.data, context=self.get_serializer_context())
            choice.is_valid(raise_exception=True)
            services.assign_trainer(
                session, choice.validated_data["trainer"], role=choice.validated_data["role"], actor=request.user
            )
            code = status.HTTP_201_CREATED
        trainers = selectors.session_trainers(board, session)
        return Response(SessionTrainerSerializer(trainers, many=True).data, status=code)

    @extend_schema(request=None, responses=TrainerSummarySerializer(many=True))
    @action(detail=True, methods=["get"], url_path="co-trainer-suggestions", pagination_class=None)
    def co_trainer_suggestions(self, request: Request, pk: str | None = None) -> Response:
        """Approved trainers free in every part of the session who cover the course's topic, from another agency
        than the lead trainer's."""
        session = self.get_object()
        board = _board(request)
        lead = selectors.lead_trainer(selectors.session_trainers(board, session))
        suggestions = selectors.co_trainers_for_session(board, session, lead)
        return Response(TrainerSummarySerializer(suggestions, many=True).data)


class SessionTrainerViewSet(viewsets.GenericViewSet[TrainerAssignment]):
    """Taking a trainer off a session (booking one is `POST /sessions/{id}/trainers/`)."""

    permission_classes = [ActionPermission]
    permission_actions = MANAGE
    lookup_field = "trainer_id"
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[TrainerAssignment]:
        session_id = self.kwargs.get("session_pk", "")
        if not _is_uuid(session_id):
            return TrainerAssignment.objects.none()
        return TrainerAssignment.objects.filter(board=_board(self.request), session_id=session_id).select_related(
            "trainer__user"
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("session_pk", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The session's id."),
            OpenApiParameter("trainer_id", int, OpenApiParameter.PATH, description="The trainer's id."),
        ],
        responses={204: None},
    )
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Take the trainer off the session: their time is freed in every board's calendar."""
        session_id = self.kwargs["session_pk"]
        session = (
            Session.objects.select_related("course").filter(pk=session_id).first() if _is_uuid(session_id) else None
        )
        if session is None:
            raise NotFound("There is no session with this id in this board or partnership.")
        held = (
            self.get_queryset()
            .filter(trainer_id=self.kwargs["trainer_id"], status__in=TrainerAssignment.HOLDS_TIME)
            .first()
        )
        if held is None:
            raise NotFound("This trainer is not booked for this session.")
        services.unassign_trainer(session, held.trainer, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- training standards and observations ------------------------------------------------------------------------


class TrainingStandardSerializer(StrictModelSerializer[TrainingStandard]):
    class Meta:
        model = TrainingStandard
        fields = ["id", "title", "description", "order", "is_active"]
        extra_kwargs = {"description": {"max_length": 5000}}


class TrainingStandardViewSet(ServiceViewSet):
    """The standards the board expects of its trainers; observations judge a trainer against the active ones."""

    serializer_class = TrainingStandardSerializer
    permission_classes = [ActionPermission]
    permission_actions = MANAGE
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    create_service = staticmethod(services.save_standard)
    update_service = staticmethod(services.save_standard)

    def get_queryset(self) -> QuerySet[TrainingStandard]:
        return selectors.standards()


class ObservationSerializer(StrictModelSerializer[Observation]):
    trainer = PoolTrainerField(help_text="The trainer's id in the trainer pool.")
    trainer_name = serializers.SerializerMethodField()
    checklist = serializers.DictField(
        child=serializers.ChoiceField(choices=CHECK_VALUES),
        help_text='{standard id: "met" | "partly" | "not_met"}, for every active training standard.',
    )

    class Meta:
        model = Observation
        fields = [
            "id",
            "trainer",
            "trainer_name",
            "session",
            "observer_name",
            "observed_on",
            "checklist",
            "outcome",
            "strengths",
            "follow_up_actions",
            "follow_up_due_on",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {name: {"max_length": 10000} for name in ("strengths", "follow_up_actions")}

    def get_trainer_name(self, observation: Observation) -> str:
        user = observation.trainer.user
        return str(user.full_name or user.email)


class ObservationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Observation]):
    """Observations of trainers delivering, against the board's training standards (managers). Recorded once,
    never changed."""

    serializer_class = ObservationSerializer
    permission_classes = [ActionPermission]
    permission_actions = OBSERVATIONS

    def get_queryset(self) -> QuerySet[Observation]:
        return selectors.observations()

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        profile, checklist = data.pop("trainer"), data.pop("checklist")
        observation = services.record_observation(profile, actor=self.request.user, checklist=checklist, **data)
        serializer.instance = self.get_queryset().get(pk=observation.pk)


# --- the public catalogue ---------------------------------------------------------------------------------------


class CatalogueQuerySerializer(serializers.Serializer[Any]):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="Words to look for.")
    audience_group = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text="An audience group's code, e.g. “Group 3”."
    )
    intervention_type = serializers.ChoiceField(
        required=False, allow_blank=True, choices=Course.InterventionType.choices
    )
    topic = serializers.CharField(required=False, allow_blank=True, max_length=80)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        # "from" is a Python keyword, so these two cannot be class attributes.
        fields["from"] = serializers.DateField(required=False, help_text="Sessions starting on or after this date.")
        fields["to"] = serializers.DateField(required=False, help_text="Sessions starting on or before this date.")
        return fields

    def filters(self) -> selectors.CatalogueFilters:
        data = self.validated_data
        return selectors.CatalogueFilters(
            q=data.get("q", "").strip(),
            audience_group=data.get("audience_group", "").strip(),
            intervention_type=data.get("intervention_type", ""),
            topic=data.get("topic", "").strip(),
            from_date=data.get("from"),
            to_date=data.get("to"),
        )


class CatalogueCourseSummarySerializer(serializers.ModelSerializer[Course]):
    class Meta:
        model = Course
        fields = ["id", "title", "intervention_type", "delivery", "category", "topic", "duration_hours"]


class CatalogueSessionSerializer(serializers.ModelSerializer[Session]):
    course = CatalogueCourseSummarySerializer(read_only=True)
    parts = PartSerializer(many=True, read_only=True)
    places_left = serializers.IntegerField(read_only=True)
    full = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id",
            "course",
            "starts_at",
            "ends_at",
            "capacity",
            "places_left",
            "full",
            "booking_opens_at",
            "booking_closes_at",
            "parts",
        ]

    def get_full(self, session: Session) -> bool:
        return bool(session.places_left <= 0)  # type: ignore[attr-defined]

    def to_representation(self, instance: Session) -> dict[str, Any]:
        data = super().to_representation(instance)
        # The venue's id is the board's business; the public gets the place's name and address.
        for part in data["parts"]:
            part.pop("venue", None)
        return data


class CatalogueSessionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Session]):
    """The public catalogue: scheduled sessions of published courses that have not started, soonest first, with
    places left. Open to anyone, signed in or not."""

    serializer_class = CatalogueSessionSerializer
    permission_classes = [ActionPermission]
    permission_actions = PUBLIC

    def get_queryset(self) -> QuerySet[Session]:
        query = CatalogueQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.catalogue_sessions(query.filters())

    @extend_schema(parameters=[CatalogueQuerySerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


class AudienceGroupSummarySerializer(serializers.ModelSerializer[AudienceGroup]):
    class Meta:
        model = AudienceGroup
        fields = ["code", "name"]


class CourseSessionSerializer(CatalogueSessionSerializer):
    class Meta(CatalogueSessionSerializer.Meta):
        fields = [name for name in CatalogueSessionSerializer.Meta.fields if name != "course"]


class CatalogueCourseSerializer(serializers.ModelSerializer[Course]):
    learning_outcomes = serializers.SerializerMethodField()
    audience_groups = AudienceGroupSummarySerializer(many=True, read_only=True)
    sessions = CourseSessionSerializer(many=True, read_only=True, help_text="Sessions still to start, soonest first.")

    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "summary",
            "learning_outcomes",
            "intervention_type",
            "delivery",
            "category",
            "topic",
            "duration_hours",
            "prerequisites",
            "multi_agency",
            "audience_groups",
            "sessions",
        ]

    def get_learning_outcomes(self, course: Course) -> list[str]:
        return [line.strip() for line in course.learning_outcomes.splitlines() if line.strip()]


class CatalogueCourseViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[Course]):
    """One published course of the public catalogue, with its sessions still to start and their places left."""

    serializer_class = CatalogueCourseSerializer
    permission_classes = [ActionPermission]
    permission_actions = PUBLIC

    def get_queryset(self) -> QuerySet[Course]:
        return selectors.catalogue_courses()
