"""Every write to bookings: booking a place or a waiting-list spot, cancelling, promoting, moving in the waiting
list, substituting a colleague.

Capacity is never exceeded, even with hundreds booking at once: every write that takes or frees a place first
locks the session's row (`SELECT ... FOR UPDATE`), so for one session they run one after another, and counts
read under the lock are true (pretix locks its quotas the same way). A partial unique index backs the rule of one
live booking per person per session.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from shared_apps.accounts.models import User
from shared_apps.agencies.models import Agency
from shared_apps.audit.services import record
from tenant_apps.audiences.models import LearnerProfile
from tenant_apps.boardhome.models import BoardSettings
from tenant_apps.booking.models import Booking, BookingEmail
from tenant_apps.booking.record import new as record_new
from tenant_apps.booking.record import sync as record_sync
from tenant_apps.booking.record import sync_session as record_session
from tenant_apps.charges import services as charges
from tenant_apps.offer.models import Course, Session
from tenant_apps.scheduling import services as due_work
from tenants.cross_board import enqueue_on_commit

REMINDER_KIND = "booking.session_reminders"
# What the person booking types in; book() checks these fields' rules (the rest it sets itself).
DETAILS_TYPED = ("job_role", "line_manager_email")


def schedule_reminders(session: Session) -> None:
    """One reminder run per session, the board's `session_reminder_days` before it starts (moved when the session
    moves; idempotent). Stored due work, not a countdown on the broker. A booking schedules it when it takes the
    session's first place (`book`); promotions and changes to the session schedule it again."""
    if session.starts_at is None:
        return
    settings = BoardSettings.objects.first()
    days = settings.session_reminder_days if settings is not None else 3
    if days:
        due_work.schedule(
            REMINDER_KIND,
            key=str(session.pk),
            due_at=session.starts_at - timedelta(days=days),
            payload={"session": str(session.pk)},
        )


def _when(moment: Any) -> str:
    local = timezone.localtime(moment)
    return f"{local:%A} {local.day} {local:%B %Y}"


def booking_problem(session: Session, *, now: Any = None) -> str:
    """Why this session cannot be booked now, in words for the person booking; empty when it can."""
    now = now or timezone.now()
    if session.course.status != Course.Status.PUBLISHED:
        return "This course is not open for booking."
    if session.status == Session.Status.CANCELLED:
        return "This session has been cancelled."
    if session.status == Session.Status.POSTPONED:
        return "This session has been postponed: look for a new date on the course page."
    if session.starts_at is None or session.starts_at <= now:
        return "This session has already started, so it can no longer be booked."
    if session.booking_opens_at and session.booking_opens_at > now:
        return f"Booking for this session opens on {_when(session.booking_opens_at)}."
    if session.booking_closes_at and session.booking_closes_at <= now:
        return f"Booking for this session closed on {_when(session.booking_closes_at)}."
    return ""


def _locked(session: Session) -> Session:
    """The session (with its course) read afresh under its row lock. `session` may be a bare reference: the API
    passes Session(pk=...) so that the session is read once, here; one that does not exist is a person's mistake."""
    try:
        return Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)
    except Session.DoesNotExist:
        raise ValidationError({"session": ["This session does not exist."]}) from None


def _places_taken(session: Session) -> int:
    return Booking.objects.filter(session=session, holds_place=True).count()


def _renumber_queue(session: Session) -> None:
    """Keep the waiting list numbered 1, 2, 3... after people leave it, so a number is a person's place in it."""
    queue = Booking.objects.filter(session=session, status=Booking.Status.WAITING).order_by(
        "queue_position", "booked_at"
    )
    moved = []
    for number, booking in enumerate(queue, start=1):
        if booking.queue_position != number:
            booking.queue_position = number
            booking.save(update_fields=["queue_position", "updated_at"])
            moved.append(booking)
    record_sync(moved)


def _places_and_own_booking(session: Session, user: User) -> tuple[int, int, str | None]:
    """For book(), under the session's lock, in one statement: the places taken, the last waiting-list number (0
    when nobody waits), and the status of the person's live booking of the session (None when they have none).
    Only live bookings hold places or wait (check constraints), so only they are read."""
    found = Booking.objects.filter(session=session, status__in=Booking.LIVE).aggregate(
        taken=Count("pk", filter=Q(holds_place=True)),
        last=Max("queue_position", filter=Q(status=Booking.Status.WAITING)),
        own=Max("status", filter=Q(user=user)),
    )
    return int(found["taken"]), int(found["last"] or 0), found["own"]


def _check_details(booking: Booking) -> None:
    """The field rules of what the person typed (the job role's length, the line manager's email address). The
    rest is set here and backed by the database's constraints: full_clean() would check them again with 7 more
    statements (3 queries, 2 savepoints)."""
    booking.clean_fields(exclude=[field.name for field in Booking._meta.fields if field.name not in DETAILS_TYPED])


def _next_queue_position(session: Session) -> int:
    last = Booking.objects.filter(session=session, status=Booking.Status.WAITING).aggregate(last=Max("queue_position"))
    return int(last["last"] or 0) + 1


def email_on_commit(booking: Booking, kind: str, *, change: int = 0) -> None:
    from tenant_apps.booking.tasks import send_booking_email

    enqueue_on_commit(send_booking_email, str(booking.pk), kind, booking.user_id, change)


def booking_details_for(user: Any) -> dict[str, Any]:
    """The agency, job role and line manager from the person's learner profile in this board (empty if none). The
    agency is read with the profile: one statement, not two."""
    profile = LearnerProfile.objects.select_related("agency").filter(user_id=user.pk).first()
    if profile is None:
        return {}
    return {
        "agency": profile.agency,
        "job_role": profile.job_role,
        "line_manager_email": profile.line_manager_email,
    }


def book(
    session: Session,
    user: User,
    *,
    actor: Any,
    agency: Agency | None = None,
    job_role: str = "",
    line_manager_email: str = "",
) -> Booking:
    """Book `user` on the session: a place while there is one, else the end of the waiting list.

    Anyone signed in may book any board's sessions (a Leeds worker books Bradford's course with the same account).
    The agency, job role and line manager default to the person's learner profile in this board, if any.
    """
    details = {"agency": agency, "job_role": job_role.strip(), "line_manager_email": line_manager_email.strip()}
    for name, value in booking_details_for(user).items():
        if not details[name]:
            details[name] = value
    with transaction.atomic():
        session = _locked(session)
        problem = booking_problem(session)
        if problem:
            raise ValidationError({"session": [problem]})
        if session.course.needs_manager_approval and not details["line_manager_email"]:
            whose = "your" if actor is not None and actor.pk == user.pk else "their"
            raise ValidationError(
                {
                    "line_manager_email": [
                        f"This course needs {whose} line manager's approval: enter the manager's email."
                    ]
                }
            )
        taken, last_in_queue, own_status = _places_and_own_booking(session, user)
        if own_status is not None:
            where = "on the waiting list for" if own_status == Booking.Status.WAITING else "booked on"
            who = "You are" if actor is not None and actor.pk == user.pk else f"{user} is"
            raise ValidationError({"session": [f"{who} already {where} this session."]})
        booking = Booking(session=session, user=user, booked_by=actor, **details)
        if taken < session.capacity:
            _take_place(booking, session)
        elif session.has_waiting_list:
            booking.status, booking.queue_position = Booking.Status.WAITING, last_in_queue + 1
        else:
            raise ValidationError({"session": ["This session is full and has no waiting list."]})
        _check_details(booking)
        try:
            # No savepoint: on a failure the error leaves this transaction, which rolls back as a whole.
            booking.save(force_insert=True)
        except IntegrityError as exc:  # only if the lock were bypassed; the index still holds the rule
            raise ValidationError({"session": [f"{user} is already booked on this session."]}) from exc
        record_new(booking)
        outcome = {
            Booking.Status.CONFIRMED: "booked",
            Booking.Status.PENDING: "booked, subject to their manager's approval, on",
            Booking.Status.WAITING: "added to the waiting list for",
        }[Booking.Status(booking.status)]
        record(
            f"booking.{booking.status}",
            actor=actor,
            obj=booking,
            summary=f"{user} {outcome} “{session.course.title}” on {_when(session.starts_at)}",
        )
        # The session's reminder run is scheduled with its first place; later places find it there.
        _email_after_taking_place(booking, reminders=taken == 0)
    return booking


def _take_place(booking: Booking, session: Session) -> None:
    """Give the booking a place: booked, or held for the line manager's approval when the course needs it (unless
    the line manager made the booking: asking them to approve their own booking would be a formality)."""
    booking.holds_place, booking.queue_position = True, None
    if session.course.needs_manager_approval and not _booked_by_the_line_manager(booking):
        booking.status = Booking.Status.PENDING
    else:
        booking.status, booking.confirmed_at = Booking.Status.CONFIRMED, timezone.now()


def _booked_by_the_line_manager(booking: Booking) -> bool:
    booker = booking.booked_by
    manager = booking.line_manager_email.strip().lower()
    return bool(booker is not None and manager and booker.email.lower() == manager)


def _email_after_taking_place(booking: Booking, *, promoted: bool = False, reminders: bool = True) -> None:
    if booking.holds_place and reminders:
        schedule_reminders(booking.session)
    if booking.status == Booking.Status.PENDING:
        email_on_commit(booking, BookingEmail.Kind.APPROVAL_REQUEST)
    elif booking.status == Booking.Status.CONFIRMED:
        email_on_commit(booking, BookingEmail.Kind.PROMOTION if promoted else BookingEmail.Kind.CONFIRMATION)
    else:
        email_on_commit(booking, BookingEmail.Kind.WAITING)


def decide_approval(booking: Booking, *, approve: bool, by: str) -> Booking:
    """The line manager's answer (from the emailed link): approved, the booking is confirmed; declined, it is
    cancelled and the place goes to the next person waiting."""
    with transaction.atomic():
        session = _locked(booking.session)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != Booking.Status.PENDING:
            raise ValidationError({"booking": ["This booking is no longer waiting for approval."]})
        if approve:
            booking.status, booking.confirmed_at = Booking.Status.CONFIRMED, timezone.now()
            booking.save(update_fields=["status", "confirmed_at", "updated_at"])
            record_sync([booking])
            email_on_commit(booking, BookingEmail.Kind.CONFIRMATION)
        else:
            booking.status, booking.holds_place = Booking.Status.CANCELLED, False
            booking.cancelled_at, booking.cancel_reason = timezone.now(), "Not approved by the line manager"
            booking.save()
            record_sync([booking])
            email_on_commit(booking, BookingEmail.Kind.CANCELLATION)
            promote_waiting(session)
        record(
            "booking.approved" if approve else "booking.declined",
            actor=None,
            obj=booking,
            summary=f"{by} {'approved' if approve else 'declined'} the booking of {booking.user} on "
            f"“{session.course.title}”",
        )
    return booking


def promote_waiting(session: Session, *, actor: Any = None) -> list[Booking]:
    """Fill free places from the waiting list, first in the queue first; each person promoted is emailed.
    Call with the session locked (every caller here is)."""
    if booking_problem(session):
        return []
    free = session.capacity - _places_taken(session)
    if free <= 0:
        return []
    waiting = Booking.objects.filter(session=session, status=Booking.Status.WAITING).select_related("booked_by")
    promoted = list(waiting.order_by("queue_position", "booked_at")[:free])
    for booking in promoted:
        _take_place(booking, session)
        booking.save(update_fields=["status", "holds_place", "queue_position", "confirmed_at", "updated_at"])
        record(
            "booking.promoted",
            actor=actor,
            obj=booking,
            summary=f"{booking.user} given a place on “{session.course.title}” from the waiting list",
        )
        _email_after_taking_place(booking, promoted=True)
    record_sync(promoted)
    _renumber_queue(session)
    return promoted


def would_be_late(booking: Booking, *, now: datetime | None = None) -> bool:
    """Whether cancelling the booking now counts as late under the board's charging policy (its agency may be
    charged): only a place held, not a waiting-list place."""
    return bool(booking.holds_place and charges.is_late_cancellation(booking.session, now or timezone.now()))


def cancel_booking(booking: Booking, *, actor: Any, reason: str = "", notify: bool = True) -> Booking:
    """Cancel a place or leave the waiting list, up to the session's start. A freed place goes to the next
    person waiting. Cancelling with less notice than the board's charging policy asks (working days) is recorded
    as late, and raises the agency's fee when the policy charges late cancellations."""
    with transaction.atomic():
        session = _locked(booking.session)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        booking.session = session  # the row just locked, with its course
        if booking.status == Booking.Status.CANCELLED:
            raise ValidationError({"status": ["This booking is already cancelled."]})
        now = timezone.now()
        if session.status == Session.Status.SCHEDULED and session.starts_at and session.starts_at <= now:
            raise ValidationError({"status": ["The session has started: a booking can be cancelled only before."]})
        freed_a_place = booking.holds_place
        booking.cancelled_late = would_be_late(booking, now=now)
        booking.status, booking.holds_place, booking.queue_position = Booking.Status.CANCELLED, False, None
        booking.cancelled_at, booking.cancel_reason = now, reason.strip()[:300]
        booking.save()
        record_sync([booking])
        charges.raise_late_cancellation_fee(booking, actor=actor)
        record(
            "booking.cancelled",
            actor=actor,
            obj=booking,
            summary=f"Booking of {booking.user} on “{session.course.title}” cancelled"
            + (" late" if booking.cancelled_late else "")
            + (f": {booking.cancel_reason}" if booking.cancel_reason else ""),
        )
        if notify:
            email_on_commit(booking, BookingEmail.Kind.CANCELLATION)
        if freed_a_place:
            promote_waiting(session, actor=actor)
        else:
            _renumber_queue(session)
    return booking


def move_in_waiting_list(booking: Booking, *, position: int, reason: str, actor: Any) -> list[Booking]:
    """Put a waiting booking at `position` (1 is next to be promoted). The reason goes in the audit log."""
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the waiting list is being reordered: it is recorded."]})
    with transaction.atomic():
        session = _locked(booking.session)
        queue = list(
            Booking.objects.filter(session=session, status=Booking.Status.WAITING).order_by(
                "queue_position", "booked_at"
            )
        )
        moving = next((row for row in queue if row.pk == booking.pk), None)
        if moving is None:
            raise ValidationError({"booking": ["This booking is not on the waiting list."]})
        if not 1 <= position <= len(queue):
            raise ValidationError({"position": [f"Choose a position from 1 to {len(queue)}."]})
        old_position = queue.index(moving) + 1
        queue.remove(moving)
        queue.insert(position - 1, moving)
        for number, row in enumerate(queue, start=1):
            if row.queue_position != number:
                row.queue_position = number
                row.save(update_fields=["queue_position", "updated_at"])
        record_sync(queue)
        record(
            "booking.waiting_list_moved",
            actor=actor,
            obj=moving,
            changes={"position": [old_position, position]},
            summary=f"{moving.user} moved from {old_position} to {position} on the waiting list for "
            f"“{session.course.title}”: {reason.strip()}",
        )
    return queue


def substitute(booking: Booking, colleague: User, *, actor: Any) -> Booking:
    """Give a booking to a colleague from the same agency: the place (or waiting-list spot) passes to them."""
    with transaction.atomic():
        session = _locked(booking.session)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status not in Booking.LIVE:
            raise ValidationError({"booking": ["Only a live booking can be passed to a colleague."]})
        if booking.status == Booking.Status.PENDING:
            raise ValidationError({"booking": ["Wait for the line manager's answer before passing the place on."]})
        if session.starts_at and session.starts_at <= timezone.now():
            raise ValidationError({"booking": ["The session has started: it is too late to send someone else."]})
        if colleague.pk == booking.user_id or not colleague.is_active:
            raise ValidationError({"colleague": ["Choose another person with an active account."]})
        if Booking.objects.filter(session=session, user=colleague, status__in=Booking.LIVE).exists():
            raise ValidationError({"colleague": [f"{colleague} already has a booking on this session."]})
        their_agency = booking_details_for(colleague).get("agency")
        if booking.agency_id and their_agency is not None and their_agency.pk != booking.agency_id:
            raise ValidationError(
                {"colleague": [f"{colleague} works for {their_agency}: a substitute must come from the same agency."]}
            )
        previous = booking.user
        email_on_commit(booking, BookingEmail.Kind.CANCELLATION)  # to the person giving up the place
        booking.user = colleague
        booking.booked_by = actor
        booking.save(update_fields=["user", "booked_by", "updated_at"])
        record_sync([booking])
        record(
            "booking.substituted",
            actor=actor,
            obj=booking,
            summary=f"{colleague} goes to “{session.course.title}” instead of {previous}",
        )
        email_on_commit(booking, BookingEmail.Kind.CONFIRMATION if booking.holds_place else BookingEmail.Kind.WAITING)
    return booking


def session_changed(session: Session, *, actor: Any, rescheduled: bool = False) -> None:
    """After a session's details change: more places promote people waiting; new dates, times or venues
    (`rescheduled`) are emailed to everyone booked or waiting; a cancelled or postponed session cancels its bookings
    (and tells each person)."""
    with transaction.atomic():
        session = _locked(session)
        if session.status in (Session.Status.CANCELLED, Session.Status.POSTPONED):
            reason = f"The session was {session.get_status_display().lower()}: {session.status_reason}"
            for booking in Booking.objects.filter(session=session, status__in=Booking.LIVE):
                booking.status, booking.holds_place, booking.queue_position = Booking.Status.CANCELLED, False, None
                booking.cancelled_at, booking.cancel_reason = timezone.now(), reason[:300]
                booking.save()
                email_on_commit(booking, BookingEmail.Kind.CANCELLATION)
            record_session(session)
            return
        promoted = promote_waiting(session, actor=actor)
        record_session(session)  # new dates or a new title reach everyone's record
        if rescheduled:
            tell_of_new_schedule(session, already_told=promoted)
        if Booking.objects.filter(session=session, holds_place=True).exists():
            schedule_reminders(session)


def tell_of_new_schedule(session: Session, *, already_told: list[Booking]) -> None:
    """Email everyone booked, waiting for their manager's approval or on the waiting list the session's new dates,
    times and venues, once for this change (`schedule_changes` is in the send log's key); those booked get the
    invitation again, moving its events. People just promoted are left out: their email has the new dates."""
    live = Booking.objects.filter(session=session, status__in=Booking.LIVE).exclude(
        pk__in=[booking.pk for booking in already_told]
    )
    for booking in live:
        email_on_commit(booking, BookingEmail.Kind.SESSION_CHANGED, change=session.schedule_changes)
