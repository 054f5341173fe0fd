from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from lscb_platform.api_fields import StrictModelSerializer, StrictSerializer
from shared_apps.accounts.models import Membership, RegionMembership, Role, User
from shared_apps.accounts.permissions import ActionPermission, request_board, requires_two_factor
from shared_apps.accounts.selectors import board_memberships
from shared_apps.accounts.services import attempt_sign_in, give_role, take_role, verify_totp
from shared_apps.agencies.models import Agency


class TokenRequestSerializer(StrictSerializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=200, trim_whitespace=False)
    code = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        help_text="Two-factor code: required for board administrators and platform staff.",
    )


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()


class SignInThrottle(AnonRateThrottle):
    rate = "30/minute"


class TokenView(APIView):
    """Exchange email, password (and a two-factor code where required) for an API token."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [SignInThrottle]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer}, auth=[])
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = attempt_sign_in(data.validated_data["email"], data.validated_data["password"])
        if result.user is None:
            raise serializers.ValidationError({"non_field_errors": [result.message]})
        if requires_two_factor(result.user) and not (
            result.user.has_two_factor and verify_totp(result.user, data.validated_data.get("code", ""))
        ):
            message = (
                "Enter the current code from your authenticator app."
                if result.user.has_two_factor
                else "Set up two-factor authentication by signing in on the website first."
            )
            raise serializers.ValidationError({"code": [message]})
        token, _ = Token.objects.get_or_create(user=result.user)
        return Response({"token": token.key}, status=status.HTTP_200_OK)


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    board = serializers.CharField(source="board.slug")
    board_name = serializers.CharField(source="board.name")

    class Meta:
        model = Membership
        fields = ["board", "board_name", "role"]


class RegionMembershipSerializer(serializers.ModelSerializer[RegionMembership]):
    region = serializers.CharField(source="region.slug")

    class Meta:
        model = RegionMembership
        fields = ["region", "role"]


class MeSerializer(serializers.ModelSerializer[User]):
    memberships = MembershipSerializer(many=True)
    region_memberships = RegionMembershipSerializer(many=True)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "is_staff", "has_two_factor", "memberships", "region_memberships"]


class MeView(APIView):
    """The signed-in person: their account and their roles in every board and region."""

    permission_classes = [ActionPermission]
    permission_actions = {"read": "self.read"}

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        people = User.objects.prefetch_related("memberships__board", "region_memberships__region")
        user = people.get(pk=request.user.pk or 0)
        return Response(MeSerializer(user).data)


class BoardRoleSerializer(StrictModelSerializer[Membership]):
    """A role in this board. Given by email: someone with no account gets one (`full_name` is needed then)."""

    email = serializers.EmailField(source="user.email", help_text="The person's email (their account's).")
    full_name = serializers.CharField(
        source="user.full_name",
        required=False,
        allow_blank=True,
        max_length=150,
        help_text="Needed when the person has no account yet: one is made.",
    )
    role = serializers.ChoiceField(choices=Role.choices)
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(),
        required=False,
        allow_null=True,
        help_text="The agency a finance contact or an agency training manager acts for.",
    )

    class Meta:
        model = Membership
        fields = ["id", "email", "full_name", "role", "agency", "created_at"]
        read_only_fields = ["id", "created_at"]


class BoardRoleViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet[Membership]
):
    """Everyone's roles in this board: its managers read them; its administrators give and remove them (the
    board keeps at least one administrator)."""

    serializer_class = BoardRoleSerializer
    permission_classes = [ActionPermission]
    permission_actions = {"read": "members.read", "create": "members.manage", "destroy": "members.manage"}

    def get_queryset(self) -> QuerySet[Membership]:
        board = request_board(self.request)
        return board_memberships(board) if board is not None else Membership.objects.none()

    def perform_create(self, serializer: Any) -> None:
        data, board = serializer.validated_data, request_board(self.request)
        agency = data.get("agency")
        assert board is not None and isinstance(self.request.user, User)  # members.manage is held in a board
        serializer.instance = give_role(
            board,  # type: ignore[arg-type]
            email=data["user"]["email"],
            full_name=data["user"].get("full_name", ""),
            role=data["role"],
            agency_id=agency.pk if agency is not None else None,
            actor=self.request.user,
        )

    def perform_destroy(self, instance: Membership) -> None:
        assert isinstance(self.request.user, User)
        take_role(instance, actor=self.request.user)
