"""The board directory and provisioning API on the platform host, and the current board on a board host."""

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lscb_platform.api_fields import StrictSerializer
from shared_apps.accounts.permissions import ActionPermission, request_board
from tenants.models import Board, Region
from tenants.services import BoardSpec, board_domain_for, provision_board


class BoardSerializer(serializers.ModelSerializer[Board]):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    domain = serializers.SerializerMethodField()

    class Meta:
        model = Board
        fields = ["slug", "name", "kind", "self_term", "region", "description", "brand_colour", "domain"]

    def get_domain(self, board: Board) -> str:
        return board_domain_for(board.slug)


class NewBoardSerializer(StrictSerializer):
    slug = serializers.CharField(max_length=40, help_text="Short name for the web address, e.g. leeds")
    name = serializers.CharField(max_length=150)
    kind = serializers.ChoiceField(choices=Board.Kind.choices, default=Board.Kind.CHILDREN)
    self_term = serializers.ChoiceField(choices=Board.SelfTerm.choices, default=Board.SelfTerm.PARTNERSHIP)
    region = serializers.SlugRelatedField(
        slug_field="slug", queryset=Region.objects.all(), required=False, allow_null=True
    )
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class BoardViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Board]):
    """Every board on the platform (public information). Platform staff create boards here."""

    serializer_class = BoardSerializer
    lookup_field = "slug"
    permission_classes = [ActionPermission]
    permission_actions = {"list": "directory.read", "retrieve": "directory.read", "create": "boards.provision"}

    def get_queryset(self) -> Any:
        return Board.objects.boards().select_related("region")

    def get_serializer_class(self) -> Any:
        return NewBoardSerializer if self.action == "create" else BoardSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = NewBoardSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            board = provision_board(BoardSpec(**data.validated_data), actor=request.user)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return Response(BoardSerializer(board).data, status=status.HTTP_201_CREATED)


class CurrentBoardView(APIView):
    """The board this host serves."""

    permission_classes = [ActionPermission]
    permission_actions = {"read": "directory.read"}

    @extend_schema(responses=BoardSerializer)
    def get(self, request: Request) -> Response:
        board = request_board(request)
        assert isinstance(board, Board)
        return Response(BoardSerializer(board).data)


__all__ = ["BoardViewSet", "CurrentBoardView"]
