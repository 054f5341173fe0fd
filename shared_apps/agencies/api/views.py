from typing import Any

from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from lscb_platform.api_fields import StrictModelSerializer
from shared_apps.accounts.permissions import ActionPermission
from shared_apps.agencies.models import Agency
from shared_apps.agencies.services import create_agency


class AgencySerializer(StrictModelSerializer[Agency]):
    class Meta:
        model = Agency
        fields = ["id", "name", "agency_type", "email", "is_active"]
        read_only_fields = ["id", "is_active"]


class AgencyViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Agency]):
    """Agencies across the platform. Anyone signed in can read the list; platform staff add agencies."""

    queryset = Agency.objects.filter(is_active=True)
    serializer_class = AgencySerializer
    permission_classes = [ActionPermission]
    permission_actions = {"read": "agencies.read", "write": "agencies.manage"}

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agency = create_agency(**serializer.validated_data, actor=request.user)
        return Response(self.get_serializer(agency).data, status=status.HTTP_201_CREATED)


__all__ = ["AgencyViewSet", "serializers"]
