"""Pages: learning from reviews and audits. Everyone in the board reads; board administrators and coordinators
add and change sources, themes and activities."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from shared_apps.accounts.permissions import can, request_board
from shared_apps.web.pages import requires
from tenant_apps.learning_sources import selectors, services
from tenant_apps.learning_sources.forms import ActivityForm, SourceForm, ThemeForm, add_service_errors
from tenant_apps.learning_sources.models import LearningActivity, LearningSource, Theme

READ, MANAGE = "sources.read", "sources.manage"
View = Callable[..., HttpResponse]


def _can_manage(request: HttpRequest) -> bool:
    return can(request.user, MANAGE, request_board(request))


def _form_page(request: HttpRequest, form: Any, **context: Any) -> HttpResponse:
    status = 400 if form.errors else 200
    return render(request, "learning_sources/form.html", {"form": form, **context}, status=status)


# --- reading ---------------------------------------------------------------------------------------------------


@requires(READ)
def index(request: HttpRequest) -> HttpResponse:
    """The sources the board learns from, by kind, with a filter by kind."""
    kind = request.GET.get("kind", "")
    if kind not in LearningSource.Kind.values:
        kind = ""
    context = {
        "groups": selectors.sources_by_kind(kind or None),
        "kinds": LearningSource.Kind.choices,
        "kind": kind,
        "theme_count": Theme.objects.count(),
        "gap_count": selectors.theme_gaps().count(),
        "can_manage": _can_manage(request),
    }
    return render(request, "learning_sources/index.html", context)


@requires(READ)
def source_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    source = selectors.source_with_themes(pk)
    if source is None:
        raise Http404("No such learning source")
    evidence = [(item, selectors.is_gap(item.theme)) for item in source.evidence.all()]
    context = {"source": source, "evidence": evidence, "can_manage": _can_manage(request)}
    return render(request, "learning_sources/source_detail.html", context)


@requires(READ)
def matrix(request: HttpRequest) -> HttpResponse:
    """Themes from case reviews linked to learning activity: Croydon's Appendix A."""
    rows = selectors.theme_matrix()
    context = {"rows": rows, "gap_count": sum(row.gap for row in rows), "can_manage": _can_manage(request)}
    return render(request, "learning_sources/matrix.html", context)


@requires(READ)
def activities(request: HttpRequest) -> HttpResponse:
    context = {"activities": selectors.activities_with_themes(), "can_manage": _can_manage(request)}
    return render(request, "learning_sources/activities.html", context)


# --- sources ---------------------------------------------------------------------------------------------------

SOURCE_FORM_FIELDS = ("kind", "title", "reference", "year", "published_on", "summary", "link")


def _source_fields(form: SourceForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in SOURCE_FORM_FIELDS}


@requires(MANAGE)
def source_add(request: HttpRequest) -> HttpResponse:
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            source = services.create_source(actor=request.user, **_source_fields(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{source}” added")
            return redirect("learning_sources:source", pk=source.pk)
    back = reverse("learning_sources:index")
    return _form_page(request, form, title="Add a review, inspection or audit", button="Add source", back=back)


@requires(MANAGE)
def source_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    source = get_object_or_404(LearningSource, pk=pk)
    initial = {name: getattr(source, name) for name in SOURCE_FORM_FIELDS}
    form = SourceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = _source_fields(form)
        if fields["published_on"] and fields["year"] == source.year:
            del fields["year"]  # the year shown came from the old date: the new date's year replaces it
        try:
            source = services.update_source(source, actor=request.user, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{source}” saved")
            return redirect("learning_sources:source", pk=source.pk)
    back = reverse("learning_sources:source", kwargs={"pk": source.pk})
    return _form_page(request, form, title=f"Change “{source}”", button="Save changes", back=back)


@requires(MANAGE)
def source_delete(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    source = get_object_or_404(LearningSource, pk=pk)
    if request.method == "POST":
        services.delete_source(source, actor=request.user)
        messages.success(request, f"“{source}” deleted")
        return redirect("learning_sources:index")
    themes = list(source.themes.order_by("order", "title"))
    context = {
        "title": f"Delete “{source}”?",
        "object": source,
        "links": themes,
        "links_intro": f"It is evidence for {len(themes)} theme{'s' if len(themes) != 1 else ''}:",
        "links_outro": "The themes stay, without this source as evidence.",
        "button": "Yes, delete this source",
        "back": reverse("learning_sources:source", kwargs={"pk": source.pk}),
    }
    return render(request, "learning_sources/confirm_delete.html", context)


# --- themes ----------------------------------------------------------------------------------------------------


@requires(MANAGE)
def theme_add(request: HttpRequest) -> HttpResponse:
    form = ThemeForm(request.POST or None, initial={"sources": request.GET.getlist("source")})
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.create_theme(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Theme “{theme}” added")
            return redirect("learning_sources:matrix")
    back = reverse("learning_sources:matrix")
    return _form_page(request, form, title="Add a theme", button="Add theme", back=back)


@requires(MANAGE)
def theme_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    theme = get_object_or_404(Theme, pk=pk)
    initial = {
        "title": theme.title,
        "description": theme.description,
        "order": theme.order,
        "sources": list(theme.evidence.values_list("source_id", flat=True)),
    }
    form = ThemeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.update_theme(theme, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Theme “{theme}” saved")
            return redirect("learning_sources:matrix")
    back = reverse("learning_sources:matrix")
    return _form_page(request, form, title=f"Change the theme “{theme}”", button="Save changes", back=back)


@requires(MANAGE)
def theme_delete(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Asks first, naming the activities that answer the theme: deleting it removes those links."""
    theme = get_object_or_404(Theme, pk=pk)
    if request.method == "POST":
        services.delete_theme(theme, actor=request.user)
        messages.success(request, f"Theme “{theme}” deleted")
        return redirect("learning_sources:matrix")
    answered_by = list(theme.activities.order_by("title"))
    context = {
        "title": f"Delete the theme “{theme}”?",
        "object": theme,
        "links": answered_by,
        "links_intro": (
            f"{len(answered_by)} learning activit{'ies answer' if len(answered_by) != 1 else 'y answers'} this theme:"
        ),
        "links_outro": "Deleting the theme removes these links and its evidence. The activities themselves stay.",
        "button": "Yes, delete this theme",
        "back": reverse("learning_sources:matrix"),
    }
    return render(request, "learning_sources/confirm_delete.html", context)


# --- activities ------------------------------------------------------------------------------------------------


@requires(MANAGE)
def activity_add(request: HttpRequest) -> HttpResponse:
    initial = {"kind": LearningActivity.Kind.COURSE, "status": LearningActivity.Status.IN_PLACE}
    form = ActivityForm(request.POST or None, initial={**initial, "themes": request.GET.getlist("theme")})
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.create_activity(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{activity}” added")
            return redirect("learning_sources:activities")
    back = reverse("learning_sources:activities")
    return _form_page(request, form, title="Add learning activity", button="Add activity", back=back)


@requires(MANAGE)
def activity_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    activity = get_object_or_404(LearningActivity, pk=pk)
    initial = {
        "title": activity.title,
        "description": activity.description,
        "kind": activity.kind,
        "status": activity.status,
        "themes": list(activity.theme_links.values_list("theme_id", flat=True)),
    }
    form = ActivityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.update_activity(activity, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{activity}” saved")
            return redirect("learning_sources:activities")
    back = reverse("learning_sources:activities")
    return _form_page(request, form, title=f"Change “{activity}”", button="Save changes", back=back)


@requires(MANAGE)
def activity_delete(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    activity = get_object_or_404(LearningActivity, pk=pk)
    if request.method == "POST":
        services.delete_activity(activity, actor=request.user)
        messages.success(request, f"“{activity}” deleted")
        return redirect("learning_sources:activities")
    themes = list(activity.themes.order_by("order", "title"))
    context = {
        "title": f"Delete “{activity}”?",
        "object": activity,
        "links": themes,
        "links_intro": f"It answers {len(themes)} theme{'s' if len(themes) != 1 else ''}:",
        "links_outro": "The themes stay; any that nothing else in place answers will show as gaps.",
        "button": "Yes, delete this activity",
        "back": reverse("learning_sources:activities"),
    }
    return render(request, "learning_sources/confirm_delete.html", context)
