from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from lscb_platform.api_fields import StrictSerializer
from shared_apps.accounts.models import Membership, RegionMembership, User
from shared_apps.accounts.permissions import ActionPermission, requires_two_factor
from shared_apps.accounts.services import attempt_sign_in, verify_totp


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
