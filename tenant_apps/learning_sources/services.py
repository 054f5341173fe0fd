"""Every write to a board's learning sources, themes, evidence links and learning activities, each with its audit
entry. Lists of linked ids (a theme's sources, an activity's themes) are resolved in the board's own schema, so an
id of another board's record is refused like an id that does not exist."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Model
from django.utils import timezone

from shared_apps.audit.services import diff, record
from tenant_apps.learning_sources.models import ActivityTheme, LearningActivity, LearningSource, Theme, ThemeEvidence

SOURCE_FIELDS = ("kind", "title", "reference", "year", "published_on", "summary", "link")
THEME_FIELDS = ("title", "description", "order")
ACTIVITY_FIELDS = ("title", "description", "kind", "status")
EARLIEST_YEAR = 1900

M = TypeVar("M", bound=Model)


def _pick(fields: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError({name: ["This field cannot be set here."] for name in sorted(unknown)})
    return fields


def _stripped_title(title: str | None, errors: dict[str, list[str]], message: str) -> str:
    title = (title or "").strip()
    if not title:
        errors["title"] = [message]
    return title


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _full_clean(obj: Model, errors: dict[str, list[str]]) -> None:
    """Field-level rules (choices, lengths, web addresses) merged with the business rules' own messages."""
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)


def _save_unique(obj: Model, field: str, message: str, update_fields: list[str] | None = None) -> None:
    """Save; a unique constraint broken by a concurrent write becomes the same message as the check before it."""
    try:
        with transaction.atomic():
            obj.save(update_fields=update_fields)
    except IntegrityError as exc:
        raise ValidationError({field: [message]}) from exc


def _resolve(model: type[M], values: Iterable[Any], field: str, noun: str) -> list[M]:
    """The board's records named by `values` (ids or records), in the order given, without repeats."""
    ids: list[uuid.UUID] = []
    for value in values:
        raw = value.pk if isinstance(value, Model) else value
        try:
            pk = raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
        except (ValueError, TypeError, AttributeError) as exc:
            raise ValidationError({field: [f"“{str(raw)[:40]}” is not the id of a {noun}."]}) from exc
        if pk not in ids:
            ids.append(pk)
    found = model._default_manager.in_bulk(ids)
    missing = [pk for pk in ids if pk not in found]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise ValidationError({field: [f"There is no {noun} with the id {missing[0]} in this board{more}."]})
    return [found[pk] for pk in ids]


# --- sources ---------------------------------------------------------------------------------------------------


def _a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _check_source(source: LearningSource, today: date) -> None:
    errors: dict[str, list[str]] = {}
    source.title = _stripped_title(source.title, errors, "Enter the title of the review, inspection or audit.")
    source.reference = (source.reference or "").strip()
    if source.published_on is not None:
        if source.published_on > _a_year_after(today):
            errors["published_on"] = ["The date published cannot be more than a year from today."]
        elif source.published_on.year < EARLIEST_YEAR:
            errors["published_on"] = [f"Enter a date from {EARLIEST_YEAR} onwards."]
        if source.year is not None and source.year != source.published_on.year:
            errors["year"] = [
                f"The year must be the year of the date published ({source.published_on.year}), or be left out."
            ]
    if source.year is not None and "year" not in errors:
        if source.year > today.year + 1:
            errors["year"] = [f"The year cannot be more than a year ahead: {today.year + 1} at the latest."]
        elif source.year < EARLIEST_YEAR:
            errors["year"] = [f"Enter the year as four digits, {EARLIEST_YEAR} or later, like 2016."]
    _full_clean(source, errors)


def create_source(*, actor: Any, **fields: Any) -> LearningSource:
    with transaction.atomic():
        fields = _pick(fields, SOURCE_FIELDS)
        source = LearningSource(**fields)
        if source.published_on is not None and fields.get("year") is None:
            source.year = source.published_on.year
        _check_source(source, timezone.localdate())
        source.save()
        record(
            "learning_source.created",
            actor=actor,
            obj=source,
            summary=f"{source.get_kind_display()} “{source}” added to learning sources",
        )
    return source


def update_source(source: LearningSource, *, actor: Any, **fields: Any) -> LearningSource:
    with transaction.atomic():
        source = LearningSource.objects.select_for_update().get(pk=source.pk)
        before = {name: getattr(source, name) for name in SOURCE_FIELDS}
        fields = _pick(fields, SOURCE_FIELDS)
        for name, value in fields.items():
            setattr(source, name, value)
        if "published_on" in fields and "year" not in fields:
            source.year = source.published_on.year if source.published_on else source.year
        _check_source(source, timezone.localdate())
        changed = diff(before, {name: getattr(source, name) for name in SOURCE_FIELDS})
        if changed:
            source.save()
            record(
                "learning_source.updated",
                actor=actor,
                obj=source,
                changes=changed,
                summary=f"Learning source “{source}” changed: {', '.join(changed)}",
            )
    return source


def delete_source(source: LearningSource, *, actor: Any) -> None:
    """Delete a source; the themes it was evidence for stay, without it."""
    with transaction.atomic():
        themes = list(source.themes.values_list("title", flat=True))
        summary = f"Learning source “{source}” deleted"
        if themes:
            summary += f"; it was evidence for {_count(len(themes), 'theme', 'themes')}"
        record("learning_source.deleted", actor=actor, obj=source, summary=summary, changes={"themes": themes})
        source.delete()


# --- themes ----------------------------------------------------------------------------------------------------


def _duplicate_theme_message(title: str) -> str:
    return f"A theme called “{title}” already exists."


def _check_theme(theme: Theme, errors: dict[str, list[str]]) -> None:
    theme.title = _stripped_title(
        theme.title, errors, "Enter the theme, like “Voice of the child in assessments and interventions”."
    )
    if theme.title and Theme.objects.filter(title__iexact=theme.title).exclude(pk=theme.pk).exists():
        errors["title"] = [_duplicate_theme_message(theme.title)]
    _full_clean(theme, errors)


def _resolve_links(
    sources: Iterable[Any] | None, activities: Iterable[Any] | None, errors: dict[str, list[str]]
) -> tuple[list[LearningSource] | None, list[LearningActivity] | None]:
    resolved_sources = resolved_activities = None
    try:
        if sources is not None:
            resolved_sources = _resolve(LearningSource, sources, "sources", "learning source")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        if activities is not None:
            resolved_activities = _resolve(LearningActivity, activities, "activities", "learning activity")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    return resolved_sources, resolved_activities


def create_theme(
    *, actor: Any, sources: Iterable[Any] | None = None, activities: Iterable[Any] | None = None, **fields: Any
) -> Theme:
    """A new theme, with the sources that raised it and the activities that answer it (ids or records)."""
    with transaction.atomic():
        fields = _pick(fields, THEME_FIELDS)
        if fields.get("order") is None:
            fields["order"] = (Theme.objects.aggregate(order=Max("order"))["order"] or 0) + 1
        theme = Theme(**fields)
        errors: dict[str, list[str]] = {}
        linked_sources, linked_activities = _resolve_links(sources, activities, errors)
        _check_theme(theme, errors)
        _save_unique(theme, "title", _duplicate_theme_message(theme.title))
        record("theme.created", actor=actor, obj=theme, summary=f"Theme “{theme}” added")
        if linked_sources is not None:
            _set_sources(theme, linked_sources, actor)
        if linked_activities is not None:
            _set_activities(theme, linked_activities, actor)
    return theme


def update_theme(
    theme: Theme,
    *,
    actor: Any,
    sources: Iterable[Any] | None = None,
    activities: Iterable[Any] | None = None,
    **fields: Any,
) -> Theme:
    """Change a theme; `sources` and `activities`, when given, replace its links (notes of kept links stay)."""
    with transaction.atomic():
        theme = Theme.objects.select_for_update().get(pk=theme.pk)
        before = {name: getattr(theme, name) for name in THEME_FIELDS}
        fields = _pick(fields, THEME_FIELDS)
        if "order" in fields and fields["order"] is None:
            del fields["order"]
        for name, value in fields.items():
            setattr(theme, name, value)
        errors: dict[str, list[str]] = {}
        linked_sources, linked_activities = _resolve_links(sources, activities, errors)
        _check_theme(theme, errors)
        changed = diff(before, {name: getattr(theme, name) for name in THEME_FIELDS})
        if changed:
            _save_unique(theme, "title", _duplicate_theme_message(theme.title))
            record(
                "theme.updated",
                actor=actor,
                obj=theme,
                changes=changed,
                summary=f"Theme “{theme}” changed: {', '.join(changed)}",
            )
        if linked_sources is not None:
            _set_sources(theme, linked_sources, actor)
        if linked_activities is not None:
            _set_activities(theme, linked_activities, actor)
    return theme


def delete_theme(theme: Theme, *, actor: Any) -> None:
    """Delete a theme with its evidence and activity links (the pages ask first when activities answer it);
    the sources and activities themselves stay."""
    with transaction.atomic():
        sources = [e.source.short_name for e in theme.evidence.select_related("source")]
        activities = list(theme.activities.values_list("title", flat=True))
        summary = f"Theme “{theme}” deleted"
        if sources or activities:
            summary += (
                f", with its links to {_count(len(sources), 'source', 'sources')} and "
                f"{_count(len(activities), 'activity', 'activities')}"
            )
        record(
            "theme.deleted",
            actor=actor,
            obj=theme,
            summary=summary,
            changes={"sources": sources, "activities": activities},
        )
        theme.delete()


# --- evidence: a source raised a theme -------------------------------------------------------------------------


def link_evidence(theme: Theme, *, actor: Any, source: LearningSource | Any, note: str = "") -> ThemeEvidence:
    with transaction.atomic():
        theme = _resolve(Theme, [theme], "theme", "theme")[0]
        source = _resolve(LearningSource, [source], "source", "learning source")[0]
        message = f"“{source.short_name}” is already evidence for the theme “{theme}”."
        if ThemeEvidence.objects.filter(theme=theme, source=source).exists():
            raise ValidationError({"source": [message]})
        evidence = ThemeEvidence(theme=theme, source=source, note=note or "")
        _full_clean(evidence, {})
        _save_unique(evidence, "source", message)
        record(
            "theme.evidence_added",
            actor=actor,
            obj=evidence,
            summary=f"“{source.short_name}” added as evidence for the theme “{theme}”",
        )
    return evidence


def update_evidence(
    evidence: ThemeEvidence, *, actor: Any, note: str | None = None, source: Any = None, theme: Any = None
) -> ThemeEvidence:
    """Change the note of an evidence link. A link is not moved: remove it and add another."""
    with transaction.atomic():
        evidence = ThemeEvidence.objects.select_for_update().select_related("theme", "source").get(pk=evidence.pk)
        for name, value in (("source", source), ("theme", theme)):
            pk = value.pk if isinstance(value, Model) else value
            if pk is not None and str(pk) != str(getattr(evidence, f"{name}_id")):
                raise ValidationError(
                    {name: [f"Evidence cannot be moved to another {name}: remove it and add a new link instead."]}
                )
        if note is not None and note != evidence.note:
            changed = diff({"note": evidence.note}, {"note": note})
            evidence.note = note
            _full_clean(evidence, {})
            evidence.save(update_fields=["note"])
            record(
                "theme.evidence_updated",
                actor=actor,
                obj=evidence,
                changes=changed,
                summary=f"Note on “{evidence.source.short_name}” as evidence for “{evidence.theme}” changed",
            )
    return evidence


def unlink_evidence(evidence: ThemeEvidence, *, actor: Any) -> None:
    with transaction.atomic():
        record(
            "theme.evidence_removed",
            actor=actor,
            obj=evidence,
            summary=f"“{evidence.source.short_name}” removed as evidence for the theme “{evidence.theme}”",
        )
        evidence.delete()


def _set_sources(theme: Theme, sources: list[LearningSource], actor: Any) -> None:
    current = {e.source_id: e for e in ThemeEvidence.objects.filter(theme=theme).select_related("source", "theme")}
    wanted = {source.pk for source in sources}
    for source in sources:
        if source.pk not in current:
            link_evidence(theme, actor=actor, source=source)
    for source_id, evidence in current.items():
        if source_id not in wanted:
            unlink_evidence(evidence, actor=actor)


# --- learning activity: what answers a theme -------------------------------------------------------------------


def _duplicate_activity_message(title: str) -> str:
    return f"A learning activity called “{title}” already exists."


def _check_activity(activity: LearningActivity, errors: dict[str, list[str]]) -> None:
    activity.title = _stripped_title(
        activity.title, errors, "Enter the name of the activity, like “Critical Thinking and Risk Assessment”."
    )
    if (
        activity.title
        and LearningActivity.objects.filter(title__iexact=activity.title).exclude(pk=activity.pk).exists()
    ):
        errors["title"] = [_duplicate_activity_message(activity.title)]
    _full_clean(activity, errors)


def _resolve_themes(themes: Iterable[Any] | None, errors: dict[str, list[str]]) -> list[Theme] | None:
    if themes is None:
        return None
    try:
        return _resolve(Theme, themes, "themes", "theme")
    except ValidationError as exc:
        errors.update(exc.message_dict)
        return None


def create_activity(*, actor: Any, themes: Iterable[Any] | None = None, **fields: Any) -> LearningActivity:
    """A new learning activity and the themes it answers (ids or records)."""
    with transaction.atomic():
        activity = LearningActivity(**_pick(fields, ACTIVITY_FIELDS))
        errors: dict[str, list[str]] = {}
        linked = _resolve_themes(themes, errors)
        _check_activity(activity, errors)
        _save_unique(activity, "title", _duplicate_activity_message(activity.title))
        record(
            "learning_activity.created",
            actor=actor,
            obj=activity,
            summary=f"Learning activity “{activity}” ({activity.get_status_display().lower()}) added",
        )
        if linked is not None:
            _set_themes(activity, linked, actor)
    return activity


def update_activity(
    activity: LearningActivity, *, actor: Any, themes: Iterable[Any] | None = None, **fields: Any
) -> LearningActivity:
    """Change an activity; `themes`, when given, replaces the themes it answers."""
    with transaction.atomic():
        activity = LearningActivity.objects.select_for_update().get(pk=activity.pk)
        before = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
        for name, value in _pick(fields, ACTIVITY_FIELDS).items():
            setattr(activity, name, value)
        errors: dict[str, list[str]] = {}
        linked = _resolve_themes(themes, errors)
        _check_activity(activity, errors)
        changed = diff(before, {name: getattr(activity, name) for name in ACTIVITY_FIELDS})
        if changed:
            _save_unique(activity, "title", _duplicate_activity_message(activity.title))
            record(
                "learning_activity.updated",
                actor=actor,
                obj=activity,
                changes=changed,
                summary=f"Learning activity “{activity}” changed: {', '.join(changed)}",
            )
        if linked is not None:
            _set_themes(activity, linked, actor)
    return activity


def delete_activity(activity: LearningActivity, *, actor: Any) -> None:
    """Delete an activity; the themes it answered stay, and show as gaps if nothing else answers them."""
    with transaction.atomic():
        themes = list(activity.themes.values_list("title", flat=True))
        record(
            "learning_activity.deleted",
            actor=actor,
            obj=activity,
            summary=f"Learning activity “{activity}” deleted",
            changes={"themes": themes},
        )
        activity.delete()


def link_activity(activity: LearningActivity, theme: Theme, *, actor: Any) -> ActivityTheme:
    """Record that `activity` answers `theme`; linking twice is a no-op."""
    with transaction.atomic():
        activity = _resolve(LearningActivity, [activity], "activity", "learning activity")[0]
        theme = _resolve(Theme, [theme], "theme", "theme")[0]
        existing = ActivityTheme.objects.filter(activity=activity, theme=theme).first()
        if existing is not None:
            return existing
        link = ActivityTheme(activity=activity, theme=theme)
        _save_unique(link, "themes", f"“{activity}” already answers the theme “{theme}”.")
        record(
            "theme.activity_linked",
            actor=actor,
            obj=link,
            summary=f"“{activity}” now answers the theme “{theme}”",
        )
    return link


def unlink_activity(activity: LearningActivity, theme: Theme, *, actor: Any) -> None:
    """`activity` no longer answers `theme`; unlinking what is not linked is a no-op."""
    with transaction.atomic():
        link = ActivityTheme.objects.filter(activity=activity, theme=theme).first()
        if link is None:
            return
        record(
            "theme.activity_unlinked",
            actor=actor,
            obj=link,
            summary=f"“{activity}” no longer answers the theme “{theme}”",
        )
        link.delete()


def _set_activities(theme: Theme, activities: list[LearningActivity], actor: Any) -> None:
    current = {
        link.activity_id: link.activity for link in ActivityTheme.objects.filter(theme=theme).select_related("activity")
    }
    wanted = {activity.pk for activity in activities}
    for activity in activities:
        if activity.pk not in current:
            link_activity(activity, theme, actor=actor)
    for activity_id, activity in current.items():
        if activity_id not in wanted:
            unlink_activity(activity, theme, actor=actor)


def _set_themes(activity: LearningActivity, themes: list[Theme], actor: Any) -> None:
    current = {
        link.theme_id: link.theme for link in ActivityTheme.objects.filter(activity=activity).select_related("theme")
    }
    wanted = {theme.pk for theme in themes}
    for theme in themes:
        if theme.pk not in current:
            link_activity(activity, theme, actor=actor)
    for theme_id, theme in current.items():
        if theme_id not in wanted:
            unlink_activity(activity, theme, actor=actor)
