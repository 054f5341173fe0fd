"""Audience pages: the groups and their requirements (everyone with a role), forms to change them (coordinators
and board administrators), each person's own learning pathway and profile, and the board's e-learning records
with their report and CSV import (coordinators and board administrators)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from shared_apps.accounts.permissions import can, request_board
from shared_apps.web.pages import apply_errors
from tenant_apps.audiences import elearning_csv, services
from tenant_apps.audiences.forms import (
    ElearningFilterForm,
    ElearningImportForm,
    ElearningRecordForm,
    GroupForm,
    ProfileForm,
    RequirementForm,
)
from tenant_apps.audiences.models import AudienceGroup, ElearningRecord, PathwayRequirement
from tenant_apps.audiences.selectors import (
    completions_of,
    elearning_records,
    elearning_report,
    groups_with_requirements,
    members_by_email,
    pathway_counts,
    pathway_status,
    profile_of,
)

GROUP_FIELDS = ("scheme", "code", "name", "description", "example_roles", "order")
REQUIREMENT_FIELDS = (
    "title",
    "topic",
    "description",
    "minimum_hours",
    "first_completion_within_months",
    "refresh_every_months",
    "order",
)
PROFILE_FIELDS = ("agency", "job_role", "audience_group", "line_manager_email", "joined_on")
ELEARNING_FIELDS = ("module_title", "topic", "provider", "provider_reference", "started_on", "completed_on", "hours")
ELEARNING_PAGE_SIZE = 50


def _refused(request: HttpRequest, action: str) -> HttpResponse | None:
    """None when the person may do `action` here; else the sign-in page, or PermissionDenied when signed in."""
    if can(request.user, action, request_board(request)):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _posted(request: HttpRequest) -> Any:
    """The submitted data on a POST (even an empty one, so the form is checked), else None."""
    return request.POST if request.method == "POST" else None


def _cleaned(form: forms.Form, names: tuple[str, ...]) -> dict[str, Any]:
    data = {name: form.cleaned_data[name] for name in names}
    if data.get("order") is None:
        data.pop("order", None)
    return data


def _status(form: forms.Form) -> int:
    return 400 if form.errors else 200


def groups(request: HttpRequest) -> HttpResponse:
    if refused := _refused(request, "audiences.read"):
        return refused
    can_manage = can(request.user, "audiences.manage", request_board(request))
    counts = pathway_counts() if can_manage else {}
    rows = [
        {"group": group, "requirements": [(r, counts.get(r.pk)) for r in group.requirements.all()]}
        for group in groups_with_requirements()
    ]
    context = {"rows": rows, "can_manage": can_manage}
    return render(request, "audiences/groups.html", context)


def group_form(request: HttpRequest, pk: str | None = None) -> HttpResponse:
    if refused := _refused(request, "audiences.manage"):
        return refused
    group = get_object_or_404(AudienceGroup, pk=pk) if pk else None
    initial = {name: getattr(group, name) for name in GROUP_FIELDS} if group else {"scheme": AudienceGroup.Scheme.GROUP}
    form = GroupForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if group is None:
                group = services.create_group(actor=request.user, **_cleaned(form, GROUP_FIELDS))
                messages.success(request, f"Audience group “{group.code}” added.")
            else:
                group = services.update_group(group, actor=request.user, **_cleaned(form, GROUP_FIELDS))
                messages.success(request, f"Audience group “{group.code}” saved.")
            return redirect("audiences:groups")
        except ValidationError as error:
            apply_errors(form, error)
    return render(request, "audiences/group_form.html", {"form": form, "group": group}, status=_status(form))


def group_delete(request: HttpRequest, pk: str) -> HttpResponse:
    if refused := _refused(request, "audiences.manage"):
        return refused
    group = get_object_or_404(AudienceGroup, pk=pk)
    form = forms.Form(_posted(request))
    if form.is_valid():
        try:
            services.delete_group(group, actor=request.user)
            messages.success(request, f"Audience group “{group.code}” deleted.")
            return redirect("audiences:groups")
        except ValidationError as error:
            apply_errors(form, error)
    context = {
        "form": form,
        "heading": f"Delete audience group “{group.code}: {group.name}”?",
        "warning": "Its requirements are deleted with it. Completed learning stays in people's records.",
        "cancel_url": "audiences:groups",
    }
    return render(request, "audiences/confirm_delete.html", context, status=_status(form))


def requirement_form(request: HttpRequest, group_pk: str | None = None, pk: str | None = None) -> HttpResponse:
    if refused := _refused(request, "audiences.manage"):
        return refused
    requirement = get_object_or_404(PathwayRequirement.objects.select_related("group"), pk=pk) if pk else None
    group = requirement.group if requirement else get_object_or_404(AudienceGroup, pk=group_pk)
    initial = {name: getattr(requirement, name) for name in REQUIREMENT_FIELDS} if requirement else {}
    form = RequirementForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if requirement is None:
                requirement = services.create_requirement(
                    group, actor=request.user, **_cleaned(form, REQUIREMENT_FIELDS)
                )
                messages.success(request, f"Requirement “{requirement.title}” added to {group.code}.")
            else:
                requirement = services.update_requirement(
                    requirement, actor=request.user, **_cleaned(form, REQUIREMENT_FIELDS)
                )
                messages.success(request, f"Requirement “{requirement.title}” saved.")
            return redirect("audiences:groups")
        except ValidationError as error:
            apply_errors(form, error)
    context = {"form": form, "group": group, "requirement": requirement}
    return render(request, "audiences/requirement_form.html", context, status=_status(form))


def requirement_delete(request: HttpRequest, pk: str) -> HttpResponse:
    if refused := _refused(request, "audiences.manage"):
        return refused
    requirement = get_object_or_404(PathwayRequirement.objects.select_related("group"), pk=pk)
    form = forms.Form(_posted(request))
    if form.is_valid():
        services.delete_requirement(requirement, actor=request.user)
        messages.success(request, f"Requirement “{requirement.title}” deleted.")
        return redirect("audiences:groups")
    context = {
        "form": form,
        "heading": f"Delete the requirement “{requirement.title}” of {requirement.group.code}?",
        "warning": "Completed learning recorded against it stays in people's records.",
        "cancel_url": "audiences:groups",
    }
    return render(request, "audiences/confirm_delete.html", context)


def my_pathway(request: HttpRequest) -> HttpResponse:
    if refused := _refused(request, "audiences.read"):
        return refused
    pathway = pathway_status(request.user)
    context = {"pathway": pathway, "completions": completions_of(request.user)[:100]}
    return render(request, "audiences/my_pathway.html", context)


def my_profile(request: HttpRequest) -> HttpResponse:
    if refused := _refused(request, "audiences.read"):
        return refused
    profile = profile_of(request.user)
    initial = {name: getattr(profile, name) for name in PROFILE_FIELDS} if profile else {}
    form = ProfileForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_learner_profile(request.user, actor=request.user, **_cleaned(form, PROFILE_FIELDS))
            messages.success(request, "Your learner profile is saved.")
            return redirect("audiences:my-pathway")
        except ValidationError as error:
            apply_errors(form, error)
    return render(request, "audiences/profile_form.html", {"form": form, "profile": profile}, status=_status(form))


# --- e-learning records ----------------------------------------------------------------------------------------


def elearning(request: HttpRequest) -> HttpResponse:
    """The report by agency type over a range of start dates, then the records in that range, 50 a page."""
    if refused := _refused(request, "audiences.manage"):
        return refused
    form = ElearningFilterForm(request.GET or None)
    started_from = started_to = None
    if form.is_bound and form.is_valid():
        started_from, started_to = form.cleaned_data["started_from"], form.cleaned_data["started_to"]
    records = elearning_records(started_from, started_to)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "report": elearning_report(started_from, started_to),
        "page_obj": Paginator(records, ELEARNING_PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query.urlencode(),
    }
    return render(request, "audiences/elearning.html", context, status=_status(form))


def elearning_form(request: HttpRequest, pk: str | None = None) -> HttpResponse:
    if refused := _refused(request, "audiences.manage"):
        return refused
    entry = get_object_or_404(ElearningRecord.objects.select_related("user"), pk=pk) if pk else None
    initial = {name: getattr(entry, name) for name in ELEARNING_FIELDS} if entry else {}
    if entry is not None:
        initial["email"] = entry.user.email
    form = ElearningRecordForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        person = members_by_email(request_board(request), [email]).get(email.lower())
        if person is None:
            form.add_error("email", "No one with a role in this board or partnership has this email address")
        else:
            try:
                fields = _cleaned(form, ELEARNING_FIELDS)
                entry = services.save_elearning_record(entry, actor=request.user, user=person, **fields)
                messages.success(request, f"E-learning record of {person} for “{entry.module_title}” saved.")
                return redirect("audiences:elearning")
            except ValidationError as error:
                errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
                apply_errors(form, ValidationError({"email" if k == "user" else k: v for k, v in errors.items()}))
    context = {"form": form, "entry": entry}
    return render(request, "audiences/elearning_form.html", context, status=_status(form))


def elearning_delete(request: HttpRequest, pk: str) -> HttpResponse:
    if refused := _refused(request, "audiences.manage"):
        return refused
    entry = get_object_or_404(ElearningRecord.objects.select_related("user"), pk=pk)
    form = forms.Form(_posted(request))
    if form.is_valid():
        services.delete_elearning_record(entry, actor=request.user)
        messages.success(request, f"E-learning record of {entry.user} for “{entry.module_title}” deleted.")
        return redirect("audiences:elearning")
    context = {
        "form": form,
        "heading": f"Delete {entry.user}'s record of “{entry.module_title}”, started {entry.started_on:%-d %B %Y}?",
        "warning": "If it was completed, the completion is taken out of their learning record too.",
        "cancel_url": "audiences:elearning",
    }
    return render(request, "audiences/confirm_delete.html", context)


def elearning_import(request: HttpRequest) -> HttpResponse:
    """Upload a provider's CSV export: all rows are saved, or none and every wrong row is listed."""
    if refused := _refused(request, "audiences.manage"):
        return refused
    form = ElearningImportForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > elearning_csv.MAX_BYTES:
            form.add_error("file", elearning_csv.TOO_BIG)
        else:
            try:
                result = services.import_elearning_csv(
                    upload.read(), actor=request.user, provider=form.cleaned_data["provider"]
                )
                messages.success(request, str(result))
                return redirect("audiences:elearning")
            except ValidationError as error:
                apply_errors(form, error)
    context: dict[str, Any] = {
        "form": form,
        "file_errors": form.errors.get("file", []),
        "max_rows": f"{elearning_csv.MAX_ROWS:,}",
    }
    return render(request, "audiences/elearning_import.html", context, status=_status(form))
