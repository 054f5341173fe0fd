"""Reads of learning sources, themes and activities shaped for the pages and the API: the Appendix A matrix,
the gaps (themes nothing in place answers yet) and the sources by kind with their theme counts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from tenant_apps.learning_sources.models import ActivityTheme, LearningActivity, LearningSource, Theme, ThemeEvidence

# Retired activity no longer answers a theme, so it is left out of the matrix (the activities list keeps it).
MATRIX_STATUSES = (LearningActivity.Status.IN_PLACE, LearningActivity.Status.PLANNED)


def _evidence_with_sources() -> Prefetch[str, QuerySet[ThemeEvidence], str]:
    evidence = ThemeEvidence.objects.select_related("source").order_by("source__year", "source__title")
    return Prefetch("evidence", queryset=evidence)


def _activities(statuses: tuple[str, ...] | None = None) -> Prefetch[str, QuerySet[LearningActivity], str]:
    activities = LearningActivity.objects.order_by("title")
    if statuses is not None:
        activities = activities.filter(status__in=statuses)
    return Prefetch("activities", queryset=activities)


def themes_with_links() -> QuerySet[Theme]:
    """Themes with their evidence (and its sources) and all their activities: three queries however many."""
    return Theme.objects.prefetch_related(_evidence_with_sources(), _activities()).order_by("order", "title")


def is_gap(theme: Theme) -> bool:
    """No activity in place answers the theme (reads the prefetched activities)."""
    return not any(activity.status == LearningActivity.Status.IN_PLACE for activity in theme.activities.all())


@dataclass(frozen=True)
class MatrixRow:
    """One row of Appendix A: the theme, the sources that raised it, and the activity that answers it."""

    theme: Theme
    evidence: list[ThemeEvidence]
    activities: list[LearningActivity]
    gap: bool


def theme_matrix() -> list[MatrixRow]:
    """Every theme, in order, with its evidence and its current (in place or planned) activities.

    Three queries whatever the number of themes: the themes, their evidence with its sources, their activities.
    """
    themes = Theme.objects.prefetch_related(_evidence_with_sources(), _activities(MATRIX_STATUSES))
    rows = []
    for theme in themes.order_by("order", "title"):
        activities = list(theme.activities.all())
        rows.append(
            MatrixRow(
                theme=theme,
                evidence=list(theme.evidence.all()),
                activities=activities,
                gap=not any(a.status == LearningActivity.Status.IN_PLACE for a in activities),
            )
        )
    return rows


def theme_gaps() -> QuerySet[Theme]:
    """Themes that no activity in place answers yet. (Courses of the training offer will count too, once they
    exist: see `LearningActivity`.)"""
    in_place = ActivityTheme.objects.filter(theme=OuterRef("pk"), activity__status=LearningActivity.Status.IN_PLACE)
    return Theme.objects.filter(~Exists(in_place)).order_by("order", "title")


def sources_with_theme_counts(kind: str | None = None) -> QuerySet[LearningSource]:
    sources = LearningSource.objects.annotate(theme_count=Count("evidence", distinct=True))
    if kind:
        sources = sources.filter(kind=kind)
    return sources.order_by("kind", "-year", "title")


@dataclass(frozen=True)
class SourceGroup:
    kind: str
    label: str
    sources: list[LearningSource]


def sources_by_kind(kind: str | None = None) -> list[SourceGroup]:
    """Sources grouped by kind, in the order the kinds are listed, each with its `theme_count` (one query)."""
    grouped: dict[str, list[LearningSource]] = {}
    for source in sources_with_theme_counts(kind):
        grouped.setdefault(source.kind, []).append(source)
    return [
        SourceGroup(value, str(label), grouped[value])
        for value, label in LearningSource.Kind.choices
        if value in grouped
    ]


def source_with_themes(source_id: uuid.UUID | str) -> LearningSource | None:
    """One source with the themes it raised (through its evidence, with the notes) and their activities."""
    themes = Theme.objects.prefetch_related(_activities(MATRIX_STATUSES))
    evidence = ThemeEvidence.objects.prefetch_related(Prefetch("theme", queryset=themes)).order_by(
        "theme__order", "theme__title"
    )
    return LearningSource.objects.prefetch_related(Prefetch("evidence", queryset=evidence)).filter(pk=source_id).first()


def activities_with_themes(status: str | None = None) -> QuerySet[LearningActivity]:
    activities = LearningActivity.objects.prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("order")))
    if status:
        activities = activities.filter(status=status)
    return activities.order_by("title")


def theme_with_links(theme_id: uuid.UUID | str) -> Theme | None:
    return themes_with_links().filter(pk=theme_id).first()
