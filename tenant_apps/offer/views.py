"""The offer's pages: the public catalogue and course pages (anyone), the training calendar feed, and the pages
coordinators run the offer with (venues, courses, sessions and their trainers, standards, observations).
Thin: permissions from `can`, reads from the selectors, every write through a service."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shared_apps.accounts.permissions import can, request_board
from shared_apps.trainers.selectors import approved_trainers
from shared_apps.web.pages import apply_errors, requires
from tenant_apps.audiences.models import AudienceGroup
from tenant_apps.offer import selectors, services
from tenant_apps.offer.calendar import board_calendar, feed_version
from tenant_apps.offer.forms import (
    AssignTrainerForm,
    BookCoTrainerForm,
    CatalogueSearchForm,
    CourseForm,
    ObservationForm,
    ReasonForm,
    SessionForm,
    StandardForm,
    VenueForm,
)
from tenant_apps.offer.models import Course, Observation, Session, TrainingStandard, Venue
from tenants.models import Board

MANAGE = "offer.manage"
CATALOGUE_PAGE_SIZE = 20
MANAGER_PAGE_SIZE = 50
CALENDAR_CACHE_SECONDS = 600
View = Callable[..., HttpResponse]


def _board(request: HttpRequest) -> Board:
    board = request_board(request)
    if not isinstance(board, Board):
        raise Http404("No board or partnership here")
    return board


# The managers' links between the parts of the offer: (section, url name, text).
SECTIONS = [
    ("sessions", "offer:sessions", "Sessions"),
    ("courses", "offer:courses", "Courses"),
    ("venues", "offer:venues", "Venues"),
    ("standards", "offer:standards", "Training standards"),
    ("observations", "offer:observations", "Observations"),
]


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """A managers' page, with the links between the parts of the offer."""
    return render(request, template, {"offer_sections": SECTIONS, **context}, status=status)


def _form_page(
    request: HttpRequest, form: forms.Form, context: dict[str, Any], template: str = "offer/form.html"
) -> HttpResponse:
    return _render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- the public catalogue ---------------------------------------------------------------------------------------


@requires("catalogue.read")
def catalogue(request: HttpRequest) -> HttpResponse:
    """Every session still to come of the board's published courses, with a search form. Open to anyone."""
    form = CatalogueSearchForm(
        request.GET if request.GET else None,
        groups=AudienceGroup.objects.order_by("order", "code"),
        topics=selectors.topics(),
    )
    sessions = selectors.catalogue_sessions(form.filters())
    page = Paginator(sessions, CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "query": _query_without_page(request),
        "searched": bool(request.GET.keys() - {"page"}),
        "calendar_url": request.build_absolute_uri(reverse("offer:calendar")),
    }
    return render(request, "offer/catalogue.html", context)


@requires("catalogue.read")
def course_page(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    course = selectors.course_with_sessions(pk)
    if course is None:
        raise Http404("No such course")
    outcomes = [line.strip() for line in course.learning_outcomes.splitlines() if line.strip()]
    context = {"course": course, "outcomes": outcomes, "sessions": list(course.sessions.all())}
    return render(request, "offer/course.html", context)


@requires("catalogue.read")
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """The board's sessions as an iCalendar feed, for Outlook or Google Calendar to subscribe to.

    Building it costs about 1.5 ms of CPU per event, and calendar programs poll it: it is cached per board and
    address until a session or course changes (a venue's new name shows within CALENDAR_CACHE_SECONDS)."""
    board = _board(request)

    def course_url(course: Course) -> str:
        return request.build_absolute_uri(reverse("offer:course", args=[course.pk]))

    base = request.build_absolute_uri(reverse("offer:catalogue"))
    key = f"offer-calendar:{board.slug}:{base}:{feed_version()}"
    content = cache.get(key)
    if content is None:
        content = board_calendar(board, course_url)
        cache.set(key, content, CALENDAR_CACHE_SECONDS)
    return HttpResponse(
        content,
        content_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{board.slug}-training.ics"'},
    )


# --- venues -----------------------------------------------------------------------------------------------------


@requires(MANAGE)
def venue_list(request: HttpRequest) -> HttpResponse:
    return _render(request, "offer/venues.html", {"venues": selectors.venues(), "section": "venues"})


VENUE_FIELDS = tuple(VenueForm.base_fields)


@requires(MANAGE)
def venue_edit(request: HttpRequest, pk: uuid.UUID | None = None) -> HttpResponse:
    venue = get_object_or_404(Venue, pk=pk) if pk else None
    initial = {name: getattr(venue, name) for name in VENUE_FIELDS} if venue else None
    form = VenueForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_venue(venue, actor=request.user, **form.service_fields())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{saved} {'saved' if venue else 'added'}")
            return redirect("offer:venues")
    title = f"Change {venue}" if venue else "Add a venue"
    return _form_page(
        request,
        form,
        {"title": title, "back_url": reverse("offer:venues"), "submit": "Save venue", "section": "venues"},
    )


# --- courses ----------------------------------------------------------------------------------------------------


@requires(MANAGE)
def course_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in Course.Status.values else ""
    context = {
        "courses": selectors.courses_for_managers(status),
        "statuses": Course.Status.choices,
        "status": status,
        "section": "courses",
    }
    return _render(request, "offer/courses.html", context)


COURSE_FIELDS = tuple(
    name for name in CourseForm.base_fields if name not in ("audience_groups", "priorities", "themes")
)


@requires(MANAGE)
def course_edit(request: HttpRequest, pk: uuid.UUID | None = None) -> HttpResponse:
    course = get_object_or_404(Course, pk=pk) if pk else None
    initial: dict[str, Any] | None = None
    if course is not None:
        initial = {name: getattr(course, name) for name in COURSE_FIELDS}
        for name in ("audience_groups", "priorities", "themes"):
            initial[name] = list(getattr(course, name).values_list("pk", flat=True))
    form = CourseForm(request.POST if request.method == "POST" else None, initial=initial, course=course)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_course(course, actor=request.user, **form.service_fields())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"“{saved.title}” {'saved' if course else 'added'}")
            return redirect("offer:courses")
    title = "Change the course" if course else "Add a course"
    context = {
        "title": title,
        "caption": course.title if course else "",
        "back_url": reverse("offer:courses"),
        "submit": "Save course",
        "section": "courses",
    }
    return _form_page(request, form, context)


# --- sessions ---------------------------------------------------------------------------------------------------


@requires(MANAGE)
def session_list(request: HttpRequest) -> HttpResponse:
    past = request.GET.get("when") == "past"
    sessions = selectors.sessions_for_managers(upcoming=not past)
    page = Paginator(sessions, MANAGER_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "past": past, "query": _query_without_page(request), "section": "sessions"}
    return _render(request, "offer/sessions.html", context)


def _session_form_page(
    request: HttpRequest, form: SessionForm, title: str, back_url: str, session: Session | None = None
) -> HttpResponse:
    context = {
        "title": title,
        "back_url": back_url,
        "submit": "Save changes" if session else "Schedule session",
        "locked_course": session.course if session else None,
        "section": "sessions",
    }
    return _form_page(request, form, context, template="offer/session_form.html")


@requires(MANAGE)
def session_schedule(request: HttpRequest) -> HttpResponse:
    initial = {"course": request.GET.get("course")} if request.GET.get("course") else None
    form = SessionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.schedule_session(
                form.cleaned_data["course"], actor=request.user, parts=form.parts(), **form.service_fields()
            )
        except ValidationError as error:
            apply_errors(form, error, SessionForm.SERVICE_NAMES)
        else:
            if session.starts_at is not None and session.starts_at < timezone.now():
                # Allowed (a board may record a session held before it used this site), but never by accident.
                messages.warning(
                    request,
                    "Session scheduled in the past: nobody can book it. If you meant a future date, change it.",
                )
            else:
                messages.success(request, "Session scheduled")
            return redirect("offer:session", pk=session.pk)
    return _session_form_page(request, form, "Schedule a session", reverse("offer:sessions"))


@requires(MANAGE)
def session_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        initial=SessionForm.initial_for(session),
        course_locked=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(session, actor=request.user, parts=form.parts(), **form.service_fields())
        except ValidationError as error:
            apply_errors(form, error, SessionForm.SERVICE_NAMES)
        else:
            messages.success(request, "Session changed")
            return redirect("offer:session", pk=session.pk)
    back_url = reverse("offer:session", args=[session.pk])
    return _session_form_page(request, form, "Change the session", back_url, session)


def _session_or_404(pk: uuid.UUID) -> Session:
    session = selectors.session_for_manager(pk)
    if session is None:
        raise Http404("No such session")
    return session


def _session_page(request: HttpRequest, session: Session, assign_form: AssignTrainerForm | None = None) -> HttpResponse:
    board = _board(request)
    trainers = selectors.session_trainers(board, session)
    lead = selectors.lead_trainer(trainers)
    scheduled = session.status == Session.Status.SCHEDULED
    upcoming = scheduled and not session.held
    context = {
        "session": session,
        "parts": list(session.parts.all()),
        "trainers": trainers,
        "has_lead": lead is not None,
        "suggestions": selectors.co_trainers_for_session(board, session, lead) if upcoming else [],
        "assign_form": assign_form
        or AssignTrainerForm(trainers=approved_trainers(board), initial={"role": "lead" if lead is None else "co"}),
        "scheduled": scheduled,
        "held": session.held,
        "section": "sessions",
    }
    return _render(request, "offer/session.html", context, status=400 if assign_form and assign_form.errors else 200)


@requires(MANAGE)
def session_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _session_page(request, _session_or_404(pk))


@requires(MANAGE)
@require_POST
def session_assign(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    session = _session_or_404(pk)
    form = AssignTrainerForm(request.POST, trainers=approved_trainers(_board(request)))
    if form.is_valid():
        trainer, role = form.cleaned_data["trainer"], form.cleaned_data["role"]
        try:
            services.assign_trainer(session, trainer, role=role, actor=request.user)
        except ValidationError as error:
            apply_errors(form, error, {"session": "trainer"})
        else:
            messages.success(
                request, f"{trainer.user.full_name or trainer.user.email} booked. They will be asked to accept."
            )
            return redirect("offer:session", pk=session.pk)
    return _session_page(request, session, form)


@requires(MANAGE)
@require_POST
def session_book_co_trainer(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The one-click “Book as co-trainer” button next to a suggestion."""
    session = _session_or_404(pk)
    form = BookCoTrainerForm(request.POST, trainers=approved_trainers(_board(request)))
    if not form.is_valid():
        messages.error(request, "That trainer can no longer be booked for this board.")
        return redirect("offer:session", pk=session.pk)
    trainer = form.cleaned_data["trainer"]
    try:
        services.assign_trainer(session, trainer, role="co", actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{trainer.user.full_name or trainer.user.email} booked as co-trainer.")
    return redirect("offer:session", pk=session.pk)


@requires(MANAGE)
@require_POST
def session_unassign(request: HttpRequest, pk: uuid.UUID, trainer_id: int) -> HttpResponse:
    session = _session_or_404(pk)
    trainer = next(
        (
            t.trainer
            for t in selectors.session_trainers(_board(request), session)
            if t.trainer.pk == trainer_id and t.holds_time
        ),
        None,
    )
    if trainer is None:
        raise Http404("That trainer is not booked for this session")
    services.unassign_trainer(session, trainer, actor=request.user)
    messages.success(request, f"{trainer.user.full_name or trainer.user.email} taken off the session.")
    return redirect("offer:session", pk=session.pk)


def _status_change(request: HttpRequest, pk: uuid.UUID, *, cancel: bool) -> HttpResponse:
    session = _session_or_404(pk)
    label = "Why is the session being cancelled?" if cancel else "Why is the session being postponed?"
    form = ReasonForm(request.POST if request.method == "POST" else None, label=label)
    if request.method == "POST" and form.is_valid():
        service = services.cancel_session if cancel else services.postpone_session
        try:
            service(session, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error, {"status_reason": "reason", "status": "reason"})
        else:
            messages.success(request, "Session cancelled" if cancel else "Session postponed")
            return redirect("offer:session", pk=session.pk)
    context = {
        "title": "Cancel the session" if cancel else "Postpone the session",
        "caption": str(session),
        "intro": (
            "Its room and trainers are freed at once. This cannot be undone."
            if cancel
            else "Its room and trainers are freed. Schedule a new session when you have new dates."
        ),
        "back_url": reverse("offer:session", args=[session.pk]),
        "submit": "Cancel the session" if cancel else "Postpone the session",
        "warning": cancel,
        "section": "sessions",
    }
    return _form_page(request, form, context)


@requires(MANAGE)
def session_cancel(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _status_change(request, pk, cancel=True)


@requires(MANAGE)
def session_postpone(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _status_change(request, pk, cancel=False)


# --- training standards -----------------------------------------------------------------------------------------


@requires(MANAGE)
def standard_list(request: HttpRequest) -> HttpResponse:
    context = {
        "standards": selectors.standards(),
        "section": "standards",
    }
    return _render(request, "offer/standards.html", context)


STANDARD_FIELDS = tuple(StandardForm.base_fields)


@requires(MANAGE)
def standard_edit(request: HttpRequest, pk: uuid.UUID | None = None) -> HttpResponse:
    standard = get_object_or_404(TrainingStandard, pk=pk) if pk else None
    initial = {name: getattr(standard, name) for name in STANDARD_FIELDS} if standard else None
    form = StandardForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_standard(standard, actor=request.user, **form.service_fields())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Training standard saved")
            return redirect("offer:standards")
    context = {
        "title": "Change the training standard" if standard else "Add a training standard",
        "back_url": reverse("offer:standards"),
        "submit": "Save standard",
        "section": "standards",
    }
    return _form_page(request, form, context)


# --- observations -----------------------------------------------------------------------------------------------


OUTCOME_TAGS: dict[str, str] = {
    Observation.Outcome.MEETS: "govuk-tag--green",
    Observation.Outcome.DEVELOPING: "govuk-tag--yellow",
    Observation.Outcome.NOT_MET: "govuk-tag--red",
}


@requires("observations.read")
def observation_list(request: HttpRequest) -> HttpResponse:
    latest = [(row, OUTCOME_TAGS.get(row.outcome, "")) for row in selectors.latest_observation_per_trainer()]
    page = Paginator(selectors.observations(), MANAGER_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "quality": latest,
        "page_obj": page,
        "rows": [(row, OUTCOME_TAGS.get(row.outcome, "")) for row in page.object_list],
        "query": _query_without_page(request),
        "can_manage": can(request.user, "observations.manage", request_board(request)),
        "today": timezone.localdate(),
        "section": "observations",
    }
    return _render(request, "offer/observations.html", context)


@requires("observations.manage")
def observation_record(request: HttpRequest) -> HttpResponse:
    board = _board(request)
    standards = list(selectors.standards(active_only=True))
    recent = selectors.recent_sessions()
    initial = {"trainer": request.GET.get("trainer")} if request.GET.get("trainer", "").isdigit() else None
    form = ObservationForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        trainers=approved_trainers(board),
        standards=standards,
        sessions=recent,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_observation(
                form.cleaned_data["trainer"], actor=request.user, checklist=form.checklist(), **form.service_fields()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Observation recorded")
            return redirect("offer:observations")
    context = {
        "title": "Record an observation",
        "intro": "Judge the trainer against each of the board's training standards.",
        "back_url": reverse("offer:observations"),
        "submit": "Record observation",
        "no_standards": not standards,
        "section": "observations",
    }
    return _form_page(request, form, context)
