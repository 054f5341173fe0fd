"""Pages of the resources library: the library with search and filters, a resource, and for coordinators
adding, changing, publishing and deleting resources. Files are downloaded through a view that checks first."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shared_apps.accounts.permissions import can, request_board
from shared_apps.web.pages import requires
from tenant_apps.resources import services
from tenant_apps.resources.downloads import file_response
from tenant_apps.resources.forms import AddResourceForm, EditResourceForm, LibraryFilterForm, ResourceForm
from tenant_apps.resources.models import Resource
from tenant_apps.resources.selectors import library as library_of
from tenant_apps.resources.selectors import resource_for, topics

View = Callable[..., HttpResponseBase]


def _can_manage(request: HttpRequest) -> bool:
    return can(request.user, "resources.manage", request_board(request))


def _resource(request: HttpRequest, pk: uuid.UUID) -> Resource:
    resource = resource_for(pk, can_manage=_can_manage(request))
    if resource is None:
        raise Http404("No such resource")
    return resource


def _param(request: HttpRequest, name: str) -> str:
    return str(request.GET.get(name, "")).replace("\x00", "")[:200].strip()


@requires("resources.read")
def library(request: HttpRequest) -> HttpResponse:
    can_manage = _can_manage(request)
    kind = _param(request, "kind")
    kind = kind if kind in Resource.Kind.values else ""
    filters = {"q": _param(request, "q"), "kind": kind, "topic": _param(request, "topic")}
    topic_list = topics(can_manage=can_manage)
    form = LibraryFilterForm(initial=filters, topics=topic_list)
    resources = list(library_of(can_manage=can_manage, **filters)[:500])
    context = {
        "form": form,
        "resources": resources,
        "filtered": any(filters.values()),
        "can_manage": can_manage,
    }
    return render(request, "resources/library.html", context)


@requires("resources.read")
def detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    resource = _resource(request, pk)
    return render(request, "resources/detail.html", {"resource": resource, "can_manage": _can_manage(request)})


@requires("resources.read")
def download(request: HttpRequest, pk: uuid.UUID) -> FileResponse:
    return file_response(_resource(request, pk))


def _show_errors(form: ResourceForm, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


def _show_missing(form: ResourceForm, has_file: bool) -> None:
    """Alongside the form's own errors, what the rules say is missing, so every problem shows at once."""
    values = {name: value for name, value in form.cleaned_data.items() if name in services.FIELDS}
    has_file = has_file or "file" in form.errors or form.cleaned_data.get("file") is not None
    for field, messages_ in services.missing(Resource(**values), has_file=has_file).items():
        if field not in form.errors:
            form.add_error(field, messages_)


def _fields(form: ResourceForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("remove_file", None)
    if data.get("file") is None:
        data.pop("file", None)
    return data


@requires("resources.manage")
def add(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = AddResourceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                resource = services.create_resource(actor=request.user, **_fields(form))
            except ValidationError as error:
                _show_errors(form, error)
            else:
                messages.success(request, f"“{resource.title}” has been added to the library.")
                return redirect("resources:detail", pk=resource.pk)
        else:
            _show_missing(form, has_file=False)
    else:
        form = AddResourceForm()
    return render(request, "resources/form.html", {"form": form, "adding": True}, status=400 if form.errors else 200)


@requires("resources.manage")
def edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    resource = _resource(request, pk)
    has_file = bool(resource.file)
    initial = {name: getattr(resource, name) for name in ResourceForm.base_fields if name != "file"}
    if request.method == "POST":
        form = EditResourceForm(request.POST, request.FILES, has_file=has_file, initial=initial)
        if form.is_valid():
            fields = _fields(form)
            if form.cleaned_data.get("remove_file") and "file" not in fields:
                fields["file"] = None
            try:
                resource = services.update_resource(resource, actor=request.user, **fields)
            except ValidationError as error:
                _show_errors(form, error)
            else:
                messages.success(request, f"“{resource.title}” has been saved.")
                return redirect("resources:detail", pk=resource.pk)
        else:
            _show_missing(form, has_file=has_file and not form.cleaned_data.get("remove_file"))
    else:
        form = EditResourceForm(has_file=has_file, initial=initial)
    context = {"form": form, "resource": resource, "adding": False}
    return render(request, "resources/form.html", context, status=400 if form.errors else 200)


@require_POST
@requires("resources.manage")
def publish(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    resource = services.publish_resource(_resource(request, pk), actor=request.user)
    messages.success(request, f"“{resource.title}” is published: everyone in the {_term(request)} can see it.")
    return redirect("resources:detail", pk=resource.pk)


@require_POST
@requires("resources.manage")
def unpublish(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    resource = services.unpublish_resource(_resource(request, pk), actor=request.user)
    messages.success(request, f"“{resource.title}” is no longer published: only coordinators can see it.")
    return redirect("resources:detail", pk=resource.pk)


@requires("resources.manage")
def delete(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    resource = _resource(request, pk)
    if request.method == "POST":
        title = resource.title
        services.delete_resource(resource, actor=request.user)
        messages.success(request, f"“{title}” has been deleted.")
        return redirect("resources:library")
    return render(request, "resources/delete.html", {"resource": resource})


def _term(request: HttpRequest) -> str:
    board: Any = request_board(request)
    return str(board.get_self_term_display()) if board is not None else "board"
