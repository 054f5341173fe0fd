"""Pages for an agency's training manager: their team's bookings in this board (with a CSV), booking a named member
of staff, cancelling a booking and passing it to someone else."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from shared_apps.accounts.models import User
from shared_apps.accounts.permissions import request_board
from shared_apps.agencies.models import Agency
from shared_apps.web.downloads import table_download
from shared_apps.web.pages import apply_errors, requires
from tenant_apps.booking import selectors, services, team
from tenant_apps.booking.forms import BookStaffForm, CancelForm, StaffForm
from tenant_apps.booking.models import Booking
from tenant_apps.booking.views import session_with_places

TEAM = "team.book"


def _manager(request: HttpRequest) -> tuple[User, Agency | None]:
    assert isinstance(request.user, User)  # `requires` let only people with the role through
    return request.user, selectors.managed_agency(request.user, request_board(request))


def _booking(request: HttpRequest, pk: uuid.UUID) -> tuple[User, Booking]:
    manager, agency = _manager(request)
    booking = selectors.team_booking(agency, pk)
    if booking is None:
        raise Http404("No such booking of your agency")
    return manager, booking


@requires(TEAM)
def team_page(request: HttpRequest) -> HttpResponse:
    _, agency = _manager(request)
    now = timezone.now()
    rows = list(selectors.team_bookings(agency).prefetch_related("session__parts__venue"))

    def over(row: Booking) -> bool:
        return row.session.ends_at is not None and row.session.ends_at < now

    past = [row for row in rows if over(row) and (row.status in Booking.HOLD_PLACES or row.attendance)]
    context = {
        "agency": agency,
        "coming": [row for row in rows if row.status in Booking.LIVE and not over(row)],
        "past": sorted(past, key=lambda row: row.session.starts_at or now, reverse=True),
        "cancelled": [row for row in rows if row.status == Booking.Status.CANCELLED and not row.attendance],
        "no_shows": sum(1 for row in past if row.attendance == Booking.Attendance.NO_SHOW),
        "attended": sum(
            1 for row in past if row.attendance in (Booking.Attendance.ATTENDED, Booking.Attendance.PARTIAL)
        ),
    }
    return render(request, "booking/team.html", context)


TEAM_CSV_HEADINGS = [
    "Name",
    "Email",
    "Agency",
    "Course",
    "Starts",
    "Status",
    "Attendance",
    "Cancelled late",
    "Booked by",
]


@requires(TEAM)
def team_csv(request: HttpRequest) -> HttpResponse:
    _, agency = _manager(request)
    rows = (
        [
            row.user.full_name,
            row.user.email,
            row.agency.name if row.agency else "",
            row.session.course.title,
            timezone.localtime(row.session.starts_at).strftime("%Y-%m-%d %H:%M") if row.session.starts_at else "",
            row.get_status_display(),
            row.get_attendance_display(),
            "yes" if row.cancelled_late else "",
            str(row.booked_by or ""),
        ]
        for row in selectors.team_bookings(agency)
    )
    return table_download(TEAM_CSV_HEADINGS, rows, name="team-bookings")


@requires(TEAM)
def book_staff(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    manager, agency = _manager(request)
    session = session_with_places(pk)
    problem = services.booking_problem(session)
    form = BookStaffForm(request.POST or None)
    if request.method == "POST" and agency is not None and not problem and form.is_valid():
        board = request_board(request)
        assert board is not None  # `requires` found a role in it
        try:
            booking = team.book_staff(session, manager=manager, board=board, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, {"session": "email"})
        else:
            title = session.course.title
            if booking.status == Booking.Status.WAITING:
                told = f"is number {booking.queue_position} on the waiting list for “{title}”. We have emailed them."
            elif booking.status == Booking.Status.PENDING:
                told = (
                    f"has a place held on “{title}”, waiting for their line manager's approval. We have emailed "
                    f"{booking.line_manager_email} to ask, and will email {booking.user} once they answer."
                )
            else:
                told = f"is booked on “{title}”. We have emailed them the details."
            messages.success(request, f"{booking.user} {told}")
            return redirect("booking:team")
    context = {"session": session, "form": form, "problem": problem, "agency": agency}
    return render(request, "booking/book_staff.html", context, status=400 if form.errors else 200)


@requires(TEAM)
def cancel(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    manager, booking = _booking(request, pk)
    if booking.status not in Booking.LIVE:
        raise Http404("This booking is not live")
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_booking(booking, actor=manager, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, f"The booking of {booking.user} on “{booking.session.course.title}” is cancelled."
            )
            return redirect("booking:team")
    late = services.would_be_late(booking)
    context = {"booking": booking, "form": form, "late": late}
    return render(request, "booking/team_cancel.html", context, status=400 if form.errors else 200)


@requires(TEAM)
def pass_on(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    manager, booking = _booking(request, pk)
    if booking.status not in Booking.LIVE:
        raise Http404("This booking is not live")
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        previous = booking.user
        try:
            booking = team.pass_on(booking, manager=manager, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, {"colleague": "email"})
        else:
            messages.success(request, f"{booking.user} goes to “{booking.session.course.title}” instead of {previous}.")
            return redirect("booking:team")
    return render(
        request, "booking/team_pass_on.html", {"booking": booking, "form": form}, status=400 if form.errors else 200
    )
