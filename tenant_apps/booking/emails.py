"""Emails about a booking, each with a calendar invitation where it changes someone's diary, and each sent once.

The invitation's UID is the booking's (one event per dated part), so a cancellation (METHOD:CANCEL, same UID,
higher SEQUENCE) removes exactly the event the confirmation added, and a change of the session's dates, times or
venues (METHOD:REQUEST, same UID, higher SEQUENCE) moves it. The SEQUENCE is the session's `schedule_changes`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from icalendar import Calendar, Event, vCalAddress, vText

from shared_apps.accounts.emails import set_password_path
from shared_apps.accounts.models import User
from tenant_apps.booking.links import APPROVAL, GIVE_UP
from tenant_apps.booking.models import Booking, BookingEmail
from tenant_apps.offer.calendar import part_location
from tenants.cross_board import current_board
from tenants.links import board_url

SUBJECTS: dict[str, str] = {
    BookingEmail.Kind.CONFIRMATION: "Booking confirmed: {title}",
    BookingEmail.Kind.WAITING: "On the waiting list: {title}",
    BookingEmail.Kind.PROMOTION: "A place has come free for you: {title}",
    BookingEmail.Kind.CANCELLATION: "Booking cancelled: {title}",
    BookingEmail.Kind.APPROVAL_REQUEST: "Please approve a training booking: {title}",
    BookingEmail.Kind.REMINDER: "Coming up: {title}",
    BookingEmail.Kind.SESSION_CHANGED: "Session changed: {title}",
}
# Invitations for the kinds that put the session in a diary; a cancellation takes it out again.
INVITES: set[str] = {BookingEmail.Kind.CONFIRMATION, BookingEmail.Kind.PROMOTION}


def event_uid(booking: Booking, part_id: object) -> str:
    return f"booking-{booking.pk}-{part_id}@{settings.PLATFORM_HOST}"


def invitation(booking: Booking, user: User, *, cancel: bool) -> bytes:
    """An iTIP invitation (RFC 5546) to each dated part of the session, or its cancellation."""
    board = current_board()
    session = booking.session
    calendar = Calendar()
    calendar.add("prodid", f"-//{board.name if board else 'LSCB'}//Bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    organiser = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organiser.params["cn"] = vText(board.name if board else "Training")
    for part in session.parts.select_related("venue").all():
        event = Event()
        event.add("uid", event_uid(booking, part.pk))
        # Each change of the schedule counts one up; a cancellation is one higher than the latest change.
        event.add("sequence", session.schedule_changes + (1 if cancel else 0))
        event.add("dtstamp", datetime.now(UTC))
        event.add("dtstart", part.during.lower)
        event.add("dtend", part.during.upper)
        event.add("summary", session.course.title)
        location = part_location(session, part)
        if location:
            event.add("location", location)
        if session.online_joining_details and not cancel:
            event.add("description", session.online_joining_details)
        event.add("status", "CANCELLED" if cancel else "CONFIRMED")
        event["organizer"] = organiser
        attendee = vCalAddress(f"mailto:{user.email}")
        attendee.params["cn"] = vText(user.full_name or user.email)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=False)
        calendar.add_component(event)
    return calendar.to_ical()


def _message(booking: Booking, kind: str, user: User) -> EmailMessage:
    board = current_board()
    session = booking.session
    context = {
        "booking": booking,
        "session": session,
        "person": user,
        "board": board,
        "parts": list(session.parts.select_related("venue").all()),
        "my_bookings_url": board_url(board, "/my-bookings/") if board else "",
        "courses_url": board_url(board, "/courses/") if board else "",
        "position": booking.queue_position,
        "approval_url": board_url(board, APPROVAL.path(booking.pk)) if board else "",
        "approval_days": APPROVAL.valid_for_days,
        # Giving up the place needs no sign-in (a person whose account was made for them may have no password).
        "give_up_url": board_url(board, GIVE_UP.path(booking.pk)) if board else "",
        # Booked by someone else (their agency's training manager, the board): say who, and, for an account made
        # with the booking, how to set its password.
        "booked_for_them": booking.booked_by_id is not None and booking.booked_by_id != user.pk,
        "set_password_url": board_url(board, set_password_path(user))
        if board and not user.has_usable_password()
        else "",
    }
    body = render_to_string(f"booking/email/{kind}.txt", context)
    # The approval request goes to the line manager, who may have no account; every other email to the person.
    to = booking.line_manager_email if kind == BookingEmail.Kind.APPROVAL_REQUEST else user.email
    message = EmailMessage(SUBJECTS[kind].format(title=session.course.title), body, to=[to])
    # A change moves the events of people booked; pending and waiting people have none in their calendars yet.
    moved = kind == BookingEmail.Kind.SESSION_CHANGED and booking.status == Booking.Status.CONFIRMED
    if kind in INVITES or moved or (kind == BookingEmail.Kind.CANCELLATION and booking.confirmed_at):
        cancel = kind == BookingEmail.Kind.CANCELLATION
        message.attach(
            "invite.ics",
            invitation(booking, user, cancel=cancel),
            f"text/calendar; charset=utf-8; method={'CANCEL' if cancel else 'REQUEST'}",
        )
    return message


def _stale_change(booking: Booking, change: int) -> bool:
    """Whether a session_changed email is no longer worth sending: the booking was cancelled since, or the session
    changed again (that later change's email carries the newer dates and a higher SEQUENCE)."""
    return booking.status not in Booking.LIVE or booking.session.schedule_changes != change


def deliver(booking_id: str, kind: str, user_id: int, *, change: int = 0) -> bool:
    """Send one email about a booking unless it was sent before (idempotent: a task retried or delivered twice
    sends once). The log row and the sending share a transaction, so a failed send is tried again. A session can
    change many times: its emails are logged per change (`change`, the session's `schedule_changes` then)."""
    with transaction.atomic():
        booking = Booking.objects.select_related("session__course").filter(pk=booking_id).first()
        user = User.objects.filter(pk=user_id).first()
        if booking is None or user is None:
            return False
        key = f"{kind}:{user_id}"
        if kind == BookingEmail.Kind.SESSION_CHANGED:
            if _stale_change(booking, change):
                return False
            key = f"{key}:{change}"
        log, created = BookingEmail.objects.get_or_create(
            booking=booking, key=key, defaults={"kind": kind, "sent_to": user.email}
        )
        if not created:
            return False
        message = _message(booking, kind, user)
        log.sent_to = message.to[0]
        log.save(update_fields=["sent_to"])
        message.send()
    return True
