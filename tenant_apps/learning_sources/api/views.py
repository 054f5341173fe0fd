"""The learning sources API: reviews and audits, the themes they raise with their evidence, the learning activity
that answers them, and the Appendix A matrix. Writes go through services."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lscb_platform.api_fields import StrictModelSerializer
from lscb_platform.api_services import ServiceViewSet
from shared_apps.accounts.permissions import ActionPermission
from tenant_apps.learning_sources import selectors, services
from tenant_apps.learning_sources.models import LearningActivity, LearningSource, Theme, ThemeEvidence

READ_WRITE = {"read": "sources.read", "write": "sources.manage"}
LONG_TEXT = 20000
MAX_LINKS = 500


@extend_schema_field({"type": "array", "items": {"type": "string", "format": "uuid"}})
class RelatedIds(serializers.ListField):
    """A writable list of ids, read from a (prefetched) relation of the instance."""

    def __init__(self, relation: str, id_attr: str = "pk", **kwargs: Any) -> None:
        self.relation, self.id_attr = relation, id_attr
        kwargs.setdefault("required", False)
        super().__init__(child=serializers.UUIDField(), max_length=MAX_LINKS, **kwargs)

    def get_attribute(self, instance: Any) -> list[Any]:
        return [getattr(obj, self.id_attr) for obj in getattr(instance, self.relation).all()]


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _is_true(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in ("true", "1", "yes")


# --- sources ---------------------------------------------------------------------------------------------------


class LearningSourceSerializer(StrictModelSerializer[LearningSource]):
    themes = serializers.SerializerMethodField(help_text="Ids of the themes this source raised.")
    theme_count = serializers.SerializerMethodField()

    class Meta:
        model = LearningSource
        fields = [
            "id",
            "kind",
            "title",
            "reference",
            "year",
            "published_on",
            "summary",
            "link",
            "themes",
            "theme_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {
            "summary": {"max_length": LONG_TEXT},
            "year": {"help_text": "The year it was published; set from the date when a date is given."},
        }

    @extend_schema_field({"type": "array", "items": {"type": "string", "format": "uuid"}})
    def get_themes(self, source: LearningSource) -> list[str]:
        return [str(evidence.theme_id) for evidence in source.evidence.all()]

    def get_theme_count(self, source: LearningSource) -> int:
        return len(source.evidence.all())


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("kind", enum=LearningSource.Kind.values, description="Only sources of this kind.")]
    )
)
class LearningSourceViewSet(ServiceViewSet):
    """Case reviews, inspections and audits the board learns from, each with the themes it raised."""

    serializer_class = LearningSourceSerializer
    permission_classes = [ActionPermission]
    permission_actions = READ_WRITE
    create_service = staticmethod(services.create_source)
    update_service = staticmethod(services.update_source)
    delete_service = staticmethod(services.delete_source)

    def get_queryset(self) -> QuerySet[LearningSource]:
        sources = LearningSource.objects.prefetch_related(
            Prefetch("evidence", queryset=ThemeEvidence.objects.only("id", "theme_id", "source_id"))
        )
        kind = self.request.query_params.get("kind")
        if kind in LearningSource.Kind.values:
            sources = sources.filter(kind=kind)
        return sources.order_by("kind", "-year", "title")


# --- themes ----------------------------------------------------------------------------------------------------


class EvidenceNoteSerializer(serializers.ModelSerializer[ThemeEvidence]):
    class Meta:
        model = ThemeEvidence
        fields = ["id", "source", "note"]


class ThemeSerializer(StrictModelSerializer[Theme]):
    sources = RelatedIds("evidence", "source_id", help_text="Ids of the sources that raised the theme (its evidence).")
    activities = RelatedIds("activities", help_text="Ids of the learning activities that answer the theme.")
    evidence = EvidenceNoteSerializer(many=True, read_only=True)
    gap = serializers.SerializerMethodField(help_text="True when no learning activity in place answers the theme.")

    class Meta:
        model = Theme
        fields = [
            "id",
            "title",
            "description",
            "order",
            "sources",
            "activities",
            "evidence",
            "gap",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {
            "description": {"max_length": LONG_TEXT},
            "order": {
                "required": False,
                "help_text": "Where the theme comes in the table; after the last if left out.",
            },
        }

    def get_gap(self, theme: Theme) -> bool:
        return selectors.is_gap(theme)


class MatrixSourceSerializer(serializers.ModelSerializer[LearningSource]):
    class Meta:
        model = LearningSource
        fields = ["id", "kind", "title", "reference", "year"]


class MatrixEvidenceSerializer(serializers.ModelSerializer[ThemeEvidence]):
    # A field named like Field.source, the attribute path DRF reads a field from.
    source = MatrixSourceSerializer()  # type: ignore[assignment]

    class Meta:
        model = ThemeEvidence
        fields = ["source", "note"]


class MatrixActivitySerializer(serializers.ModelSerializer[LearningActivity]):
    class Meta:
        model = LearningActivity
        fields = ["id", "title", "kind", "status"]


class MatrixRowSerializer(serializers.Serializer[Any]):
    """One row of the themes-to-activity table (Croydon's Appendix A)."""

    id = serializers.UUIDField(source="theme.pk")
    title = serializers.CharField(source="theme.title")
    description = serializers.CharField(source="theme.description")
    order = serializers.IntegerField(source="theme.order")
    evidence = MatrixEvidenceSerializer(many=True)
    activities = MatrixActivitySerializer(many=True, help_text="Activity in place or planned (retired left out).")
    gap = serializers.BooleanField(help_text="True when no learning activity in place answers the theme.")


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("gaps", OpenApiTypes.BOOL, description="Only themes nothing in place answers.")]
    )
)
class ThemeViewSet(ServiceViewSet):
    """Themes raised by the board's reviews and audits, with their evidence and the activity that answers them.
    `sources` and `activities` are writable lists of ids; sending one replaces the theme's links."""

    serializer_class = ThemeSerializer
    permission_classes = [ActionPermission]
    permission_actions = READ_WRITE
    create_service = staticmethod(services.create_theme)
    update_service = staticmethod(services.update_theme)
    delete_service = staticmethod(services.delete_theme)

    def get_queryset(self) -> QuerySet[Theme]:
        themes = selectors.themes_with_links()
        if _is_true(self.request, "gaps"):
            themes = themes.filter(pk__in=selectors.theme_gaps().values("pk"))
        return themes

    @extend_schema(responses=MatrixRowSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def matrix(self, request: Request) -> Response:
        """Every theme with its evidence and its learning activity, as in Croydon's Appendix A; `gap` marks the
        themes no activity in place answers yet."""
        return Response(MatrixRowSerializer(selectors.theme_matrix(), many=True).data)


class ThemeEvidenceSerializer(StrictModelSerializer[ThemeEvidence]):
    class Meta:
        model = ThemeEvidence
        fields = ["id", "theme", "source", "note", "created_at"]
        read_only_fields = ["id", "created_at"]
        validators: list[Any] = []  # the service says which link already exists, in words
        extra_kwargs = {
            "note": {"max_length": LONG_TEXT},
            "theme": {
                "pk_field": serializers.UUIDField(),
                "error_messages": {"does_not_exist": "There is no theme with the id {pk_value} in this board."},
            },
            "source": {
                "pk_field": serializers.UUIDField(),
                "error_messages": {
                    "does_not_exist": "There is no learning source with the id {pk_value} in this board."
                },
            },
        }


class ThemeEvidenceViewSet(ServiceViewSet):
    """Evidence links: a source raised a theme, with a note of what it found. A link is not moved to another
    theme or source: delete it and add another."""

    serializer_class = ThemeEvidenceSerializer
    permission_classes = [ActionPermission]
    permission_actions = READ_WRITE
    parent_field = "theme"
    create_service = staticmethod(services.link_evidence)
    delete_service = staticmethod(services.unlink_evidence)

    def get_queryset(self) -> QuerySet[ThemeEvidence]:
        evidence = ThemeEvidence.objects.select_related("theme", "source").order_by("theme__order", "theme__title")
        for name in ("theme", "source"):
            value = self.request.query_params.get(name)
            if value and _is_uuid(value):
                evidence = evidence.filter(**{f"{name}_id": value})
        return evidence

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.update_evidence(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )


# --- activities ------------------------------------------------------------------------------------------------


class LearningActivitySerializer(StrictModelSerializer[LearningActivity]):
    themes = RelatedIds("themes", help_text="Ids of the themes this activity answers.")

    class Meta:
        model = LearningActivity
        fields = ["id", "title", "description", "kind", "status", "themes", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {"description": {"max_length": LONG_TEXT}}


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("status", enum=LearningActivity.Status.values, description="Only activity in this state."),
            OpenApiParameter("theme", OpenApiTypes.UUID, description="Only activity that answers this theme."),
        ]
    )
)
class LearningActivityViewSet(ServiceViewSet):
    """Learning and development activity (courses, conferences, briefings, e-learning, resources) and the
    themes each answers; `themes` is a writable list of ids."""

    serializer_class = LearningActivitySerializer
    permission_classes = [ActionPermission]
    permission_actions = READ_WRITE
    create_service = staticmethod(services.create_activity)
    update_service = staticmethod(services.update_activity)
    delete_service = staticmethod(services.delete_activity)

    def get_queryset(self) -> QuerySet[LearningActivity]:
        status = self.request.query_params.get("status")
        activities = selectors.activities_with_themes(status if status in LearningActivity.Status.values else None)
        theme = self.request.query_params.get("theme")
        if theme and _is_uuid(theme):
            activities = activities.filter(themes=uuid.UUID(theme))
        return activities
