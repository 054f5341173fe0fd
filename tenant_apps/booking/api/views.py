"""Bookings over the API: book a session, see your bookings (a board's managers see all), cancel, pass a place
to a colleague, and reorder a waiting list."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from lscb_platform.api_fields import FieldsBuiltOnce, StrictModelSerializer, StrictSerializer
from shared_apps.accounts.models import User
from shared_apps.accounts.permissions import ActionPermission, can, request_board
from shared_apps.agencies.models import Agency
from tenant_apps.booking import register, selectors, services, team
from tenant_apps.booking.models import Booking, Register
from tenant_apps.offer.models import Session


class SessionReference(serializers.PrimaryKeyRelatedField[Session]):
    """A session by its id, not read here: book() reads it once, under its row lock, and says when it does not
    exist (reading it here too would cost one more query per booking)."""

    def to_internal_value(self, data: Any) -> Session:
        if not isinstance(data, str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            return Session(pk=uuid.UUID(data))
        except ValueError:
            self.fail("does_not_exist", pk_value=data)


class BookingSerializer(FieldsBuiltOnce, StrictModelSerializer[Booking]):
    session = SessionReference(queryset=Session.objects.all())
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), required=False, allow_null=True)
    person = serializers.EmailField(
        write_only=True,
        required=False,
        help_text="Coordinators and agency training managers: book this person (by their email) instead of yourself.",
    )
    person_name = serializers.CharField(
        write_only=True,
        required=False,
        max_length=150,
        help_text="Agency training managers: the person's full name, when they have no account yet (one is made).",
    )
    user = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = [
            "id",
            "session",
            "user",
            "person",
            "person_name",
            "agency",
            "job_role",
            "line_manager_email",
            "status",
            "queue_position",
            "booked_at",
            "confirmed_at",
            "cancelled_at",
            "cancelled_late",
            "cancel_reason",
        ]
        read_only_fields = [
            "id",
            "status",
            "queue_position",
            "booked_at",
            "confirmed_at",
            "cancelled_at",
            "cancelled_late",
            "cancel_reason",
        ]
        extra_kwargs = {"job_role": {"max_length": 150}}

    def get_user(self, booking: Booking) -> str:
        return str(booking.user.email)


class CancelSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class MoveSerializer(StrictSerializer):
    position = serializers.IntegerField(min_value=1, max_value=100000, help_text="1 is the next to get a place.")
    reason = serializers.CharField(max_length=500, help_text="Recorded in the audit log.")


class SubstituteSerializer(StrictSerializer):
    colleague = serializers.EmailField(help_text="The email of the colleague's account.")
    colleague_name = serializers.CharField(
        max_length=150,
        required=False,
        default="",
        help_text="Agency training managers: the colleague's full name, when they have no account yet (one is made).",
    )


def _person(email: str, field: str) -> User:
    person = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if person is None:
        raise serializers.ValidationError({field: [f"No one has an account with the email {email}."]})
    return person


class BookingViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Booking]
):
    """Bookings of this board's sessions. Anyone signed in books (across boards, with one account) and sees their
    own; the board's coordinators and administrators see everyone's, book named people and reorder waiting lists;
    an agency's training manager books named staff and sees, cancels and passes on the agency's bookings."""

    serializer_class = BookingSerializer
    permission_classes = [ActionPermission]
    permission_actions = {
        "read": "booking.book",
        "create": "booking.book",
        "cancel": "booking.book",
        "substitute": "booking.book",
        "move": "bookings.manage",
    }

    def get_queryset(self) -> QuerySet[Booking]:
        return selectors.visible_bookings(self.request.user, request_board(self.request)).order_by("booked_at")

    def _check_own_or_manager(self, booking: Booking) -> None:
        """The person's own booking, any booking for the board's managers, or one of an agency manager's agency
        (get_queryset lets nobody else see it)."""
        user, board = self.request.user, request_board(self.request)
        if booking.user_id == user.pk or can(user, "bookings.manage", board):
            return
        agency = selectors.managed_agency(user, board)
        if agency is None or booking.agency_id != agency.pk:
            raise PermissionDenied

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        actor: Any = self.request.user  # signed in: ActionPermission let nobody else through
        board = request_board(self.request)
        email, name = data.pop("person", None), data.pop("person_name", "")
        if not email:
            serializer.instance = services.book(data.pop("session"), actor, actor=actor, **data)
        elif can(actor, "bookings.manage", board):
            serializer.instance = services.book(data.pop("session"), _person(email, "person"), actor=actor, **data)
        elif can(actor, "team.book", board):
            assert board is not None  # a role is held in a board
            serializer.instance = team.book_staff(
                data.pop("session"),
                manager=actor,
                board=board,
                email=email,
                full_name=name,
                **data,
            )
        else:
            raise serializers.ValidationError(
                {"person": ["Only the board's coordinators and agency training managers can book someone else."]}
            )

    @extend_schema(request=CancelSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel the place or leave the waiting list (up to the start); a freed place goes to the next waiting."""
        booking = self.get_object()
        self._check_own_or_manager(booking)
        body = CancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        booking = services.cancel_booking(booking, actor=request.user, reason=body.validated_data["reason"])
        return Response(self.get_serializer(booking).data)

    @extend_schema(request=SubstituteSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def substitute(self, request: Request, pk: str | None = None) -> Response:
        """Pass the place (or waiting-list spot) to a colleague from the same agency."""
        booking = self.get_object()
        self._check_own_or_manager(booking)
        body = SubstituteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        email, name = body.validated_data["colleague"], body.validated_data["colleague_name"]
        if booking.user_id != request.user.pk and not can(request.user, "bookings.manage", request_board(request)):
            assert isinstance(request.user, User)  # an agency manager: their colleague may need an account made
            booking = team.pass_on(booking, manager=request.user, email=email, full_name=name)
        else:
            booking = services.substitute(booking, _person(email, "colleague"), actor=request.user)
        return Response(self.get_serializer(booking).data)

    @extend_schema(request=MoveSerializer, responses=BookingSerializer(many=True))
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        """Move a waiting booking to another place in the queue, saying why (recorded in the audit log)."""
        booking = self.get_object()
        body = MoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        queue = services.move_in_waiting_list(booking, actor=request.user, **body.validated_data)
        return Response(self.get_serializer(queue, many=True).data, status=status.HTTP_200_OK)


class RegisterRowSerializer(StrictModelSerializer[Booking]):
    user = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = ["id", "user", "name", "agency", "job_role", "attendance", "walk_in"]
        read_only_fields = fields

    def get_user(self, booking: Booking) -> str:
        return str(booking.user.email)

    def get_name(self, booking: Booking) -> str:
        return str(booking.user.full_name or booking.user.email)


class RegisterSerializer(StrictSerializer):
    session = serializers.UUIDField(read_only=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    people = RegisterRowSerializer(many=True, read_only=True)


class MarksSerializer(StrictSerializer):
    marks = serializers.DictField(
        child=serializers.ChoiceField(choices=Booking.Attendance.choices),
        allow_empty=False,
        help_text="{booking id: attended | partial | no_show | late_cancellation}",
    )


class WalkInSerializer(StrictSerializer):
    person = serializers.EmailField(help_text="The email of the account of the person who came without a booking.")
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), required=False, allow_null=True)


class KeepsRegister(BasePermission):
    """The session's register is kept by the board's managers and trainers, and by a pool trainer who has accepted
    to deliver the session (register.may_keep): decided once the session is found."""

    message = "Only the board's trainers and coordinators, and the trainers delivering the session, keep its register."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return register.may_keep(request.user, request_board(request), obj.pk)


class RegisterViewSet(viewsets.GenericViewSet[Session]):
    """A session's attendance register, kept by its trainers and the board's managers: read it, mark people (all or
    some at once), add someone who came without a booking, and close it (which issues certificates)."""

    permission_classes = [KeepsRegister]
    serializer_class = RegisterSerializer

    def get_queryset(self) -> QuerySet[Session]:
        return Session.objects.select_related("course")

    def _answer(self, session: Session) -> Response:
        closed = Register.objects.filter(session=session).values_list("closed_at", flat=True).first()
        body = {"session": session.pk, "closed_at": closed, "people": register.register_rows(session)}
        return Response(RegisterSerializer(body).data)

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return self._answer(self.get_object())

    @extend_schema(request=MarksSerializer, responses=RegisterSerializer)
    @action(detail=True, methods=["post"])
    def marks(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        body = MarksSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        register.mark(session, dict(body.validated_data["marks"]), actor=request.user)
        return self._answer(session)

    @extend_schema(request=WalkInSerializer, responses=RegisterSerializer)
    @action(detail=True, methods=["post"], url_path="walk-ins")
    def walk_ins(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        body = WalkInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        person = _person(body.validated_data["person"], "person")
        register.add_walk_in(session, person, actor=request.user, agency=body.validated_data.get("agency"))
        return self._answer(session)

    @extend_schema(request=None, responses=RegisterSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Close the register once everyone is marked: marks lock, attendees get certificates."""
        session = self.get_object()
        register.close(session, actor=request.user)
        return self._answer(session)
