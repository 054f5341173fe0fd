"""The resources library API. Writes go through services; files are uploaded as multipart form data and read
back through the download route, never from a storage address."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import parsers, serializers
from rest_framework.decorators import action
from rest_framework.fields import empty
from rest_framework.request import Request

from lscb_platform.api_fields import StrictModelSerializer
from lscb_platform.api_limits import JSONParser, RequestTooLarge
from lscb_platform.api_services import ServiceViewSet
from shared_apps.accounts.permissions import ActionPermission, can, request_board
from tenant_apps.resources import services
from tenant_apps.resources.downloads import file_response
from tenant_apps.resources.files import ACCEPT, MAX_BYTES, TOO_BIG
from tenant_apps.resources.models import Resource
from tenant_apps.resources.selectors import library

# The form fields around a file take a few kilobytes; anything much larger than the file limit is refused unread.
MAX_UPLOAD_REQUEST = MAX_BYTES + 512 * 1024
MAX_QUERY = 200


class UploadParser(parsers.MultiPartParser):
    """Multipart form data (a file and the other fields), refused before it is read when far too large."""

    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        request = (parser_context or {}).get("request")
        length = request.META.get("CONTENT_LENGTH") if request is not None else None
        if length and length.isdigit() and int(length) > MAX_UPLOAD_REQUEST:
            raise RequestTooLarge(f"The request is too large. {TOO_BIG}.")
        try:
            return super().parse(stream, media_type, parser_context)
        except RequestDataTooBig as exc:
            raise RequestTooLarge("The form's fields are too large: send at most 2.5 MB besides the file.") from exc
        except SuspiciousOperation as exc:
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        "The form has too many fields or files: send the resource's fields and one file."
                    ]
                }
            ) from exc


class DownloadFileField(serializers.FileField):
    """Written as an uploaded file; read as the address the file is downloaded from (never its storage path)."""

    def to_representation(self, value: Any) -> str | None:
        if not value:
            return None
        url = reverse("resource-download", kwargs={"pk": value.instance.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class KeptUnlessSentBooleanField(serializers.BooleanField):
    """Left out of a form (multipart), the value stays as it is, as when left out of JSON; DRF would read False."""

    default_empty_html = empty


class ResourceSerializer(StrictModelSerializer[Resource]):
    file = DownloadFileField(
        required=False,
        allow_null=True,
        help_text=(
            f"Upload as multipart/form-data: {ACCEPT}, smaller than 10 MB. Send null (or an empty value) to remove "
            "the file. Read back as the address to download it from."
        ),
    )
    file_type = serializers.CharField(source="file_type_label", read_only=True)
    published = KeptUnlessSentBooleanField(
        required=False, help_text="Published resources are seen by everyone in the board or partnership."
    )

    class Meta:
        model = Resource
        fields = [
            "id",
            "title",
            "kind",
            "topic",
            "summary",
            "body",
            "link_url",
            "file",
            "file_name",
            "file_size",
            "file_type",
            "provider_name",
            "contact_email",
            "website",
            "published",
            "published_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "file_name", "file_size", "published_on", "created_at", "updated_at"]
        extra_kwargs = {"body": {"max_length": 50000}}


def _param(request: Request, name: str) -> str:
    """A filter from the query string, without NUL characters (PostgreSQL refuses them) and not overlong."""
    return str(request.query_params.get(name, "")).replace("\x00", "")[:MAX_QUERY].strip()


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=Resource.Kind.values, description="Only resources of this kind."),
            OpenApiParameter("topic", str, description="Only resources on this topic (any case)."),
            OpenApiParameter("q", str, description="Words in the title, topic, summary, text or provider's name."),
        ]
    )
)
class ResourceViewSet(ServiceViewSet):
    """The board's library of learning and development resources. Everyone in the board reads what is published;
    coordinators also see unpublished resources and add, change and remove them."""

    serializer_class = ResourceSerializer
    permission_classes = [ActionPermission]
    permission_actions = {"read": "resources.read", "write": "resources.manage"}
    parser_classes = [JSONParser, UploadParser]
    create_service = staticmethod(services.create_resource)
    update_service = staticmethod(services.update_resource)
    delete_service = staticmethod(services.delete_resource)

    def get_queryset(self) -> QuerySet[Resource]:
        can_manage = can(self.request.user, "resources.manage", request_board(self.request))
        if self.action != "list":
            return library(can_manage=can_manage)
        return library(
            can_manage=can_manage,
            kind=_param(self.request, "kind"),
            topic=_param(self.request, "topic"),
            q=_param(self.request, "q"),
        )

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        """The resource's file, as an attachment with its own content type."""
        return file_response(self.get_object())
