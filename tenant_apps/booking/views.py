"""Booking pages: book a session, my bookings (cancel), and for the board's managers the people booked on a
session with its waiting list."""

from __future__ import annotations

import uuid
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shared_apps.accounts.models import User
from shared_apps.accounts.permissions import can, request_board
from shared_apps.learning_record.selectors import entries_of
from shared_apps.web.pages import apply_errors, requires
from tenant_apps.audiences.selectors import pathway_status
from tenant_apps.booking import links, pdf, register, selectors, services
from tenant_apps.booking.forms import BookingForm, BookSomeoneForm, CancelForm, MoveForm, WalkInForm
from tenant_apps.booking.models import Booking, Certificate, Register
from tenant_apps.evaluation import services as evaluation
from tenant_apps.offer.models import Session
from tenant_apps.offer.selectors import with_places
from tenants.links import board_url
from tenants.models import Board

BOOK = "booking.book"
MANAGE = "bookings.manage"


def session_with_places(pk: uuid.UUID) -> Session:
    session = (
        with_places(Session.objects.select_related("course").prefetch_related("parts__venue")).filter(pk=pk).first()
    )
    if session is None:
        raise Http404("No such session")
    return session


def _person(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # `requires` let only signed-in people through
    return request.user


@requires(BOOK)
def book(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    session = session_with_places(pk)
    existing = selectors.live_booking(session, request.user)
    problem = services.booking_problem(session)
    # The learner profile's details, else what the person gave when they last booked in this board.
    details = services.booking_details_for(request.user) or selectors.last_booking_details(request.user)
    initial = {name: value.pk if name == "agency" and value else value for name, value in details.items()}
    form = BookingForm(request.POST or None, initial=initial, needs_approval=session.course.needs_manager_approval)
    if request.method == "POST" and existing is None and not problem and form.is_valid():
        try:
            booking = services.book(session, _person(request), actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if booking.status == Booking.Status.PENDING:
                messages.success(
                    request,
                    f"Your place on “{session.course.title}” is held: we have asked your line manager to approve "
                    "it, and will email you their answer.",
                )
            elif booking.status == Booking.Status.CONFIRMED:
                messages.success(
                    request, f"You are booked on “{session.course.title}”. We have emailed you the details."
                )
            else:
                messages.success(
                    request,
                    f"The session is full: you are number {booking.queue_position} on the waiting list for "
                    f"“{session.course.title}”. We will email you if a place comes free.",
                )
            return redirect("booking:mine")
    can_book_staff = can(request.user, "team.book", request_board(request))
    context = {
        "session": session,
        "form": form,
        "existing": existing,
        "problem": problem,
        "elsewhere": selectors.same_course_elsewhere(session, request.user) if existing is None else [],
        "can_book_staff": can_book_staff,
    }
    return render(request, "booking/book.html", context, status=400 if form.errors else 200)


def _over(session: Session) -> bool:
    return session.ends_at is not None and session.ends_at < timezone.now()


@requires(BOOK)
def my_bookings(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.my_bookings(request.user))
    context = {
        "live": [row for row in rows if row.status in Booking.LIVE and not _over(row.session)],
        "cancelled": [row for row in rows if row.status == Booking.Status.CANCELLED],
        "attended": [row for row in rows if getattr(row, "has_certificate", False)],
    }
    return render(request, "booking/mine.html", context)


@requires(BOOK)
def my_learning(request: HttpRequest) -> HttpResponse:
    """Bookings and certificates in every board (from the person's learning record, one query) and, in this
    board, the pathway items due or overdue."""
    now = timezone.now()
    entries = list(entries_of(request.user))
    for entry in entries:
        entry.board_address = board_url(entry.board, "/")  # type: ignore[attr-defined]
    pathway = pathway_status(request.user)
    context = {
        "upcoming": [e for e in entries if e.status in Booking.LIVE and (e.ends_at is None or e.ends_at >= now)],
        "certificates": [e for e in entries if e.certificate_code],
        "attended": [e for e in entries if e.attendance and not e.certificate_code],
        "to_do": [status for status in pathway.statuses if status.state in ("due", "overdue")],
        "pathway": pathway,
    }
    return render(request, "booking/my_learning.html", context)


@requires(BOOK)
def cancel(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    booking = get_object_or_404(
        Booking.objects.select_related("session__course"), pk=pk, user_id=request.user.pk, status__in=Booking.LIVE
    )
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_booking(booking, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            what = {
                Booking.Status.CONFIRMED: "booking",
                Booking.Status.PENDING: "booking, which was waiting for your line manager's approval,",
            }.get(Booking.Status(booking.status), "place on the waiting list")
            messages.success(request, f"Your {what} for “{booking.session.course.title}” is cancelled.")
            return redirect("booking:mine")
    context = {"booking": booking, "form": form, "late": services.would_be_late(booking)}
    return render(request, "booking/cancel.html", context, status=400 if form.errors else 200)


@requires(MANAGE)
def session_bookings(request: HttpRequest, pk: uuid.UUID, book_form: BookSomeoneForm | None = None) -> HttpResponse:
    session = session_with_places(pk)
    context = {
        "session": session,
        **selectors.session_bookings(session),
        "move_form": MoveForm(),
        "book_form": book_form or BookSomeoneForm(),
    }
    return render(request, "booking/session.html", context, status=400 if book_form is not None else 200)


@require_POST
@requires(MANAGE)
def book_someone(request: HttpRequest, pk: uuid.UUID) -> HttpResponseBase:
    """A coordinator books a named person (an agency's member of staff), by their account's email."""
    session = session_with_places(pk)
    form = BookSomeoneForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        person = User.objects.filter(email__iexact=data.pop("email"), is_active=True).first()
        if person is None:
            form.add_error("email", "No one has an account with that email: ask them to create one first.")
        else:
            try:
                booking = services.book(session, person, actor=request.user, **data)
            except ValidationError as error:
                apply_errors(form, error, {"session": "email"})
            else:
                what = {
                    Booking.Status.WAITING: "on the waiting list",
                    Booking.Status.PENDING: "holding a place, waiting for their line manager's approval",
                }.get(Booking.Status(booking.status), "booked")
                messages.success(request, f"{person} is {what}.")
                return redirect("booking:session", pk=pk)
    return session_bookings(request, pk, book_form=form)


@require_POST
@requires(MANAGE)
def move(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    booking = get_object_or_404(Booking, pk=pk, status=Booking.Status.WAITING)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.move_in_waiting_list(booking, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Moved {booking.user} to number {form.cleaned_data['position']}.")
            return redirect("booking:session", pk=booking.session_id)
    for problems in form.errors.values():
        for problem in problems:
            messages.error(request, f"{booking.user} was not moved: {problem}")
    return redirect("booking:session", pk=booking.session_id)


# --- the register and certificates ------------------------------------------------------------------------------


def keeps_register(view: Any) -> Any:
    """Like `requires`, for a session's register (its id is the view's `pk`): the board's managers and trainers, and
    a pool trainer who has accepted to deliver that session (register.may_keep)."""

    @wraps(view)
    def wrapped(request: HttpRequest, pk: uuid.UUID, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not register.may_keep(request.user, request_board(request), pk):
            raise PermissionDenied
        return view(request, pk, *args, **kwargs)

    return wrapped


def _register_context(session: Session, **extra: Any) -> dict[str, Any]:
    closed = Register.objects.filter(session=session, closed_at__isnull=False).first()
    rows = register.register_rows(session)
    return {
        "session": session,
        "rows": rows,
        "marks": Booking.Attendance.choices,
        "closed": closed,
        "late": Booking.objects.filter(session=session, cancelled_late=True).select_related("user"),
        "not_open_yet": register.not_open_yet(session),
        "walk_in_form": extra.pop("walk_in_form", None) or WalkInForm(),
        **extra,
    }


def _posted_marks(request: HttpRequest) -> dict[str, str]:
    return {
        key.removeprefix("mark-"): str(value)
        for key, value in request.POST.items()
        if key.startswith("mark-") and value
    }


def _save_marks(request: HttpRequest, session: Session, marks: dict[str, str], *, say_unchanged: bool = True) -> bool:
    """Save the marks, saying how many changed or why none could be saved; whether they were saved."""
    try:
        changed = register.mark(session, marks, actor=request.user)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
        return False
    if changed or say_unchanged:
        messages.success(request, f"Saved {changed} {'mark' if changed == 1 else 'marks'}.")
    return True


@requires("register.keep")
def registers(request: HttpRequest) -> HttpResponse:
    """The registers of the sessions around today: which are open, which still have people to mark, which are
    closed; for the board's trainers and managers."""
    rows = [(session, register.not_open_yet(session)) for session in selectors.registers_around(timezone.localdate())]
    return render(request, "booking/registers.html", {"rows": rows})


@keeps_register
def register_page(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    session = session_with_places(pk)
    if request.method == "POST":
        marks = _posted_marks(request)
        if request.POST.get("everyone") == "attended":
            marks = register.unmarked_as_attended(session, marks)
        _save_marks(request, session, marks)
        return redirect("booking:register", pk=pk)
    return render(request, "booking/register.html", _register_context(session))


@require_POST
@keeps_register
def register_walk_in(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    session = session_with_places(pk)
    form = WalkInForm(request.POST)
    if form.is_valid():
        person = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
        if person is None:
            form.add_error("email", "No one has an account with that email: ask them to create one first.")
        else:
            try:
                register.add_walk_in(
                    session, person, actor=request.user, agency=form.cleaned_data["agency"], job_role=""
                )
            except ValidationError as error:
                apply_errors(form, error, {"person": "email"})
            else:
                messages.success(request, f"Added {person} to the register as attended.")
                return redirect("booking:register", pk=pk)
    return render(request, "booking/register.html", _register_context(session, walk_in_form=form), status=400)


@require_POST
@keeps_register
def register_close(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Close the register, first saving the marks on the page (the close button submits them): a mark changed
    but not saved is never lost, nor a certificate issued on a mark the trainer had changed."""
    session = session_with_places(pk)
    marks = _posted_marks(request)
    if marks and not _save_marks(request, session, marks, say_unchanged=False):
        return redirect("booking:register", pk=pk)
    try:
        certificates = register.close(session, actor=request.user)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(request, f"Register closed. {len(certificates)} certificates issued.")
    return redirect("booking:register", pk=pk)


@keeps_register
def sign_in_sheet(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    session = session_with_places(pk)
    content = pdf.sign_in_sheet_pdf(session, register.register_rows(session), _board(request))
    return HttpResponse(
        content,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="sign-in-sheet-{session.pk}.pdf"'},
    )


@requires(BOOK)
def certificate(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The person's own certificate (a board's managers may open anyone's)."""
    rows = Certificate.objects.select_related("booking")
    if not can(request.user, MANAGE, request_board(request)):
        rows = rows.filter(booking__user_id=_person(request).pk)
    found = get_object_or_404(rows, booking_id=pk)
    withheld = evaluation.certificate_withheld(found.booking)
    if withheld and found.booking.user_id == request.user.pk:
        context = {"reason": withheld, "answer_url": evaluation.pending_reaction_path(found.booking)}
        return render(request, "booking/certificate_withheld.html", context, status=403)
    check_url = request.build_absolute_uri(reverse("booking:check-certificate"))
    content = pdf.certificate_pdf(found, _board(request), check_url=check_url)
    return HttpResponse(
        content,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{pdf.certificate_filename(found)}"'},
    )


def check_certificate(request: HttpRequest) -> HttpResponse:
    """Anyone checks a certificate's code: it shows the name, course, date and hours it was issued for."""
    code = request.GET.get("code", "")[:40]
    found = register.verify(code) if code else None
    status = 404 if code and found is None else 200
    return render(request, "booking/check_certificate.html", {"code": code, "found": found}, status=status)


def _board(request: HttpRequest) -> Board:
    board = request_board(request)
    if not isinstance(board, Board):
        raise Http404("No board or partnership here")
    return board


# --- line manager approval (no account: a signed link) ----------------------------------------------------------


def approval(request: HttpRequest, token: str) -> HttpResponse:
    """The line manager's page: the booking, then approve or decline. The link is the only credential."""
    try:
        booking = _linked_booking(links.APPROVAL, token)
    except ValidationError as error:
        return render(request, "booking/approval.html", {"problem": " ".join(error.messages)}, status=400)
    if booking is None:
        return render(request, "booking/approval.html", {"problem": "This booking no longer exists."}, status=404)
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision not in ("approve", "decline"):
            context = {"booking": booking, "error": "Choose whether to approve or decline the booking"}
            return render(request, "booking/approval.html", context, status=400)
        try:
            booking = services.decide_approval(
                booking, approve=decision == "approve", by=f"Line manager {booking.line_manager_email}"
            )
        except ValidationError as error:
            return render(request, "booking/approval.html", {"problem": " ".join(error.messages)}, status=400)
        return render(request, "booking/approval.html", {"booking": booking, "decided": decision})
    if booking.status != Booking.Status.PENDING:
        return render(request, "booking/approval.html", {"booking": booking, "already": True})
    return render(request, "booking/approval.html", {"booking": booking})


def give_up(request: HttpRequest, token: str) -> HttpResponse:
    """The person booked gives up their place, or leaves the waiting list, from the link in their email (a place
    offered from the waiting list, a reminder) without signing in: the link is the credential, for this booking."""
    page = "booking/give_up.html"
    try:
        booking = _linked_booking(links.GIVE_UP, token)
    except ValidationError as error:
        return render(request, page, {"problem": " ".join(error.messages)}, status=400)
    if booking is None:
        return render(request, page, {"problem": "This booking no longer exists."}, status=404)
    if booking.status == Booking.Status.CANCELLED:
        return render(request, page, {"booking": booking, "already": True})
    if request.method == "POST":
        was_waiting = booking.status == Booking.Status.WAITING
        try:
            booking = services.cancel_booking(booking, actor=booking.user, reason="Given up from the link in an email")
        except ValidationError as error:
            return render(request, page, {"problem": " ".join(error.messages)}, status=400)
        return render(request, page, {"booking": booking, "done": True, "was_waiting": was_waiting})
    return render(request, page, {"booking": booking, "late": services.would_be_late(booking)})


def _linked_booking(link: links.BookingLink, token: str) -> Booking | None:
    """The booking an emailed link names, in this board (None if there is none); ValidationError for a link that
    was altered, has expired or is of another kind."""
    booking_id = link.booking_id_from(token)
    if not _is_uuid(booking_id):
        return None
    return (
        Booking.objects.select_related("session__course", "user", "agency")
        .prefetch_related("session__parts__venue")
        .filter(pk=booking_id)
        .first()
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
