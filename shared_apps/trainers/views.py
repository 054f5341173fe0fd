"""The trainer portal on the platform host: one place for a trainer's sessions in every board, the boards they
serve, their dates away, the hours their agency lends, and their calendar feed. Thin: permissions from `can`,
reads from the selectors, every write through a service."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.views.decorators.http import require_POST

from shared_apps.accounts.permissions import can
from shared_apps.trainers import selectors, services
from shared_apps.trainers.calendar import trainer_calendar
from shared_apps.trainers.display import ASSIGNMENT_TAGS, SERVICE_TAGS, accreditation, weekday_names
from shared_apps.trainers.forms import (
    BlackoutForm,
    DateRangeForm,
    OfferForm,
    ProfileForm,
    WeekdaysForm,
)
from shared_apps.trainers.links import delivery_links
from shared_apps.trainers.models import Blackout, TrainerAssignment, TrainerProfile
from shared_apps.web.downloads import table_download
from shared_apps.web.pages import apply_errors

PORTAL = "trainer.portal"
ALL_AGENCIES_HOURS = "trainers.hours.read"
PortalView = Callable[..., HttpResponse]


def _join_page(request: HttpRequest, form: ProfileForm) -> HttpResponse:
    return render(request, "trainers/join.html", {"form": form}, status=400 if form.errors else 200)


def portal_page(view: PortalView) -> Callable[..., HttpResponse]:
    """Run the view for a signed-in trainer, with their profile. Anyone signed out goes to sign in; a signed-in
    person who has not joined the pool sees how to join."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can(request.user, PORTAL):
            raise PermissionDenied
        profile = selectors.profile_of(request.user)
        if profile is None:
            if request.method == "POST":
                return redirect("trainers:join")
            return _join_page(request, ProfileForm())
        return view(request, profile, *args, **kwargs)

    return wrapped


def _portal(
    request: HttpRequest, template: str, section: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, {"section": section, **context}, status=status)


def _long(day: Any) -> str:
    return format_date(day, "j F Y")


# --- joining and the profile -------------------------------------------------------------------------------------


def join(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can(request.user, PORTAL):
        raise PermissionDenied
    if selectors.profile_of(request.user) is not None:
        return redirect("trainers:profile")
    form = ProfileForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_profile(request.user, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "You are in the trainer pool. Now offer to train for a board or partnership.")
            return redirect("trainers:boards")
    return _join_page(request, form)


@portal_page
def profile_page(request: HttpRequest, profile: TrainerProfile) -> HttpResponse:
    initial = ProfileForm.initial_from(profile)
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_profile(request.user, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Your trainer profile is saved.")
            return redirect("trainers:profile")
    calendar_url = request.build_absolute_uri(reverse("trainers:calendar", args=[profile.calendar_token]))
    context = {
        "profile": profile,
        "form": form,
        "calendar_url": calendar_url,
        "webcal_url": "webcal://" + calendar_url.split("://", 1)[1],
        "accreditation": accreditation(profile, timezone.localdate()),
    }
    return _portal(request, "trainers/profile.html", "profile", context, status=400 if form.errors else 200)


@require_POST
@portal_page
def new_calendar_link(request: HttpRequest, profile: TrainerProfile) -> HttpResponse:
    services.regenerate_calendar_token(profile, actor=request.user)
    messages.success(
        request, "Your calendar has a new address. Subscribe to it again: the old address has stopped working."
    )
    return redirect(reverse("trainers:profile") + "#calendar")


# --- sessions ----------------------------------------------------------------------------------------------------


@portal_page
def sessions(request: HttpRequest, profile: TrainerProfile) -> HttpResponse:
    grouped = selectors.sessions_for_portal(profile, timezone.now())
    waiting = sum(1 for row in grouped["upcoming"] if row.status == TrainerAssignment.Status.PROPOSED)
    context: dict[str, Any] = {"profile": profile, "waiting": waiting}
    # Each row's board is loaded with it, so the links to each board's register cost no query.
    for group, rows in grouped.items():
        context[group] = [(row, ASSIGNMENT_TAGS[row.status], delivery_links(row)) for row in rows]
    return _portal(request, "trainers/sessions.html", "sessions", context)


def _own_assignment(profile: TrainerProfile, pk: uuid.UUID) -> TrainerAssignment:
    return get_object_or_404(TrainerAssignment.objects.select_related("board"), pk=pk, trainer=profile)


def _when(assignment: TrainerAssignment) -> str:
    start = timezone.localtime(assignment.during.lower)
    return f"{format_date(start, 'l j F Y')}, {format_date(start, 'g:iA').lower()}"


@require_POST
@portal_page
def accept(request: HttpRequest, profile: TrainerProfile, pk: uuid.UUID) -> HttpResponse:
    assignment = _own_assignment(profile, pk)
    try:
        services.respond_to_assignment(assignment, accept=True, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"You accepted “{assignment.title}” for {assignment.board.name}, {_when(assignment)}."
        )
    return redirect("trainers:sessions")


@portal_page
def decline(request: HttpRequest, profile: TrainerProfile, pk: uuid.UUID) -> HttpResponse:
    """Declining asks first: it gives the time back, and the board has to find someone else."""
    assignment = _own_assignment(profile, pk)
    if assignment.status not in TrainerAssignment.HOLDS_TIME:
        messages.error(request, "This session is no longer waiting for an answer.")
        return redirect("trainers:sessions")
    if request.method == "POST":
        try:
            services.respond_to_assignment(assignment, accept=False, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            verb = "withdrew from" if assignment.status == TrainerAssignment.Status.ACCEPTED else "declined"
            messages.success(
                request,
                f"You {verb} “{assignment.title}” for {assignment.board.name}: "
                "its coordinators see this on the session.",
            )
        return redirect("trainers:sessions")
    context = {"assignment": assignment, "when": _when(assignment)}
    return _portal(request, "trainers/decline.html", "sessions", context)


# --- boards ------------------------------------------------------------------------------------------------------


@portal_page
def boards(request: HttpRequest, profile: TrainerProfile) -> HttpResponse:
    open_boards = selectors.boards_open_to_offer(profile)
    form = OfferForm(request.POST if request.method == "POST" else None, boards=open_boards)
    if request.method == "POST" and form.is_valid():
        board = form.cleaned_data["board"]
        try:
            services.offer_to_serve(profile, board, actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, f"You offered to train for {board.name}. Its learning and development team will decide."
            )
            return redirect("trainers:boards")
    context = {
        "profile": profile,
        "services": [(service, SERVICE_TAGS[service.status]) for service in selectors.services_of(profile)],
        "form": form,
        "has_open_boards": open_boards.exists(),
    }
    return _portal(request, "trainers/boards.html", "boards", context, status=400 if form.errors else 200)


# --- availability ------------------------------------------------------------------------------------------------


def _availability(
    request: HttpRequest,
    profile: TrainerProfile,
    blackout_form: BlackoutForm | None = None,
    weekdays_form: WeekdaysForm | None = None,
) -> HttpResponse:
    blackout_form = blackout_form or BlackoutForm()
    weekdays_form = weekdays_form or WeekdaysForm(
        initial={"available_weekdays": [str(day) for day in profile.available_weekdays]}
    )
    context = {
        "profile": profile,
        "blackouts": selectors.blackouts_from(profile, timezone.localdate()),
        "blackout_form": blackout_form,
        "weekdays_form": weekdays_form,
        "weekdays": weekday_names(profile.available_weekdays),
        # The error summary include reads `form`: the one with errors, if any.
        "form": blackout_form if blackout_form.errors else weekdays_form,
    }
    status = 400 if blackout_form.errors or weekdays_form.errors else 200
    return _portal(request, "trainers/availability.html", "availability", context, status=status)


@portal_page
def availability(request: HttpRequest, profile: TrainerProfile) -> HttpResponse:
    if request.method != "POST":
        return _availability(request, profile)
    form = BlackoutForm(request.POST)
    if form.is_valid():
        try:
            blackout = services.add_blackout(profile, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, f"Boards will not book you from {_long(blackout.starts_on)} to {_long(blackout.ends_on)}."
            )
            # Dates away stop new bookings only: sessions already booked then stay until the trainer withdraws.
            for booking in selectors.bookings_during(profile, blackout.starts_on, blackout.ends_on):
                messages.warning(
                    request,
                    f"You are still booked for “{booking.title}” for {booking.board.name} on "
                    f"{_long(timezone.localtime(booking.during.lower))}: withdraw from it on My sessions if you "
                    "cannot go.",
                )
            return redirect("trainers:availability")
    return _availability(request, profile, blackout_form=form)


@require_POST
@portal_page
def remove_blackout(request: HttpRequest, profile: TrainerProfile, pk: int) -> HttpResponse:
    blackout = get_object_or_404(Blackout, pk=pk, trainer=profile)
    services.remove_blackout(blackout, actor=request.user)
    messages.success(request, f"Removed your dates away from {_long(blackout.starts_on)} to {_long(blackout.ends_on)}.")
    return redirect("trainers:availability")


@require_POST
@portal_page
def weekdays(request: HttpRequest, profile: TrainerProfile) -> HttpResponse:
    form = WeekdaysForm(request.POST)
    if form.is_valid():
        try:
            services.save_profile(request.user, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Your usual days are saved.")
            return redirect("trainers:availability")
    return _availability(request, profile, weekdays_form=form)


# --- hours lent --------------------------------------------------------------------------------------------------


@portal_page
def hours(request: HttpRequest, profile: TrainerProfile) -> HttpResponse:
    start, end = selectors.financial_year(timezone.localdate())
    rows = selectors.hours_lent_by_board(profile.home_agency, start, end)
    context = {
        "profile": profile,
        "start": start,
        "end": end,
        "rows": rows,
        "total": sum((row["hours"] for row in rows), Decimal("0")),
    }
    return _portal(request, "trainers/hours.html", "hours", context)


def _agency_hours_scope(request: HttpRequest) -> TrainerProfile | None:
    """Platform staff see every agency (None); a trainer sees their own agency only; anyone else is refused."""
    if can(request.user, ALL_AGENCIES_HOURS):
        return None
    profile = selectors.profile_of(request.user) if can(request.user, PORTAL) else None
    if profile is None:
        raise PermissionDenied
    return profile


def _agency_hours_rows(request: HttpRequest) -> tuple[DateRangeForm, TrainerProfile | None, list[dict[str, Any]]]:
    scope = _agency_hours_scope(request)
    first, last = selectors.financial_year(timezone.localdate())
    data = request.GET if {"start", "end"} & set(request.GET) else {"start": first, "end": last}
    form = DateRangeForm(data)
    rows: list[dict[str, Any]] = []
    if form.is_valid():
        agency = scope.home_agency if scope is not None else None
        rows = selectors.hours_lent_by_agency(form.cleaned_data["start"], form.cleaned_data["end"], agency=agency)
    return form, scope, rows


def agency_hours(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form, scope, rows = _agency_hours_rows(request)
    top = max((row["hours"] for row in rows), default=Decimal("0"))
    bars = [{**row, "percent": int(row["hours"] * 100 / top) if top else 0} for row in rows]
    context = {
        "form": form,
        "own_agency": scope.home_agency if scope is not None else None,
        "rows": bars,
        "total": sum((row["hours"] for row in rows), Decimal("0")),
        "query": request.GET.urlencode() if form.is_valid() and request.GET else "",
    }
    section = "hours" if scope is not None else ""
    return _portal(request, "trainers/agency_hours.html", section, context, status=400 if form.errors else 200)


def agency_hours_csv(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form, _scope, rows = _agency_hours_rows(request)
    if not form.is_valid():
        problems = "; ".join(str(message) for messages_ in form.errors.values() for message in messages_)
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    table = [[row["agency"], f"{row['hours']:.1f}"] for row in rows]
    table.append(["Total", f"{sum((row['hours'] for row in rows), Decimal('0')):.1f}"])
    return table_download(["Agency", "Hours lent"], table, name=f"hours-lent-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}")


# --- the calendar feed -------------------------------------------------------------------------------------------


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal calendar: read by calendar apps, which cannot sign in, so the secret address is the key. A
    wrong or renewed address is a plain 404 that says nothing about whether any trainer exists."""
    profile = selectors.profile_by_calendar_token(token)
    if profile is None:
        raise Http404
    assignments = selectors.calendar_assignments(profile, timezone.now())
    portal_url = request.build_absolute_uri(reverse("trainers:sessions"))
    body = trainer_calendar(profile, assignments, host=settings.PLATFORM_HOST, portal_url=portal_url)
    return HttpResponse(
        body,
        content_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": 'inline; filename="training-sessions.ics"',
            "Cache-Control": "private, max-age=900",
            "X-Robots-Tag": "noindex",
            "Referrer-Policy": "no-referrer",
        },
    )
