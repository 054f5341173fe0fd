"""Reads of bookings shaped for pages and the API (no N+1: people and agencies come in the same query)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet, Subquery

from shared_apps.accounts.models import Membership, Role
from shared_apps.accounts.permissions import can
from shared_apps.agencies.models import Agency
from tenant_apps.booking.models import Booking, Certificate, Register
from tenant_apps.offer.models import Session


def visible_bookings(user: Any, board: Any) -> QuerySet[Booking]:
    """A board's managers see every booking; an agency's training manager their agency's; anyone else their own
    (in any board they booked)."""
    rows = Booking.objects.select_related("session__course", "user", "agency", "booked_by")
    if can(user, "bookings.manage", board):
        return rows
    agency = managed_agency(user, board) if can(user, "team.book", board) else None
    if agency is not None:
        return rows.filter(Q(user_id=user.pk) | Q(agency_id=agency.pk))
    return rows.filter(user_id=user.pk)


def managed_agency(user: Any, board: Model | None) -> Agency | None:
    """The agency `user` manages training for in `board` (a person holds a role once in a board), if any."""
    if board is None or not getattr(user, "is_authenticated", False):
        return None
    ids = Membership.objects.filter(user_id=user.pk, board_id=board.pk, role=Role.AGENCY_MANAGER).values("agency_id")
    return Agency.objects.filter(pk__in=ids).first()


def team_bookings(agency: Agency | None) -> QuerySet[Booking]:
    """Every booking of this board made for the agency, whoever made it: the person, their manager or the board.
    People, courses and agencies come in the same query."""
    if agency is None:
        return Booking.objects.none()
    return (
        Booking.objects.filter(agency_id=agency.pk)
        .select_related("session__course", "user", "agency", "booked_by")
        .order_by("session__starts_at", "user__full_name")
    )


def team_booking(agency: Agency | None, pk: Any) -> Booking | None:
    """One of the agency's bookings, or None when it is not theirs (or does not exist)."""
    return team_bookings(agency).filter(pk=pk).first()


def my_bookings(user: Any) -> QuerySet[Booking]:
    """The person's bookings in this board, soonest first (a place and a waiting-list place side by side)."""
    return (
        Booking.objects.filter(user_id=user.pk)
        .annotate(has_certificate=Exists(Certificate.objects.filter(booking=OuterRef("pk"))))
        .select_related("session__course")
        .prefetch_related("session__parts__venue")
        .order_by("session__starts_at", "booked_at")
    )


def session_bookings(session: Session) -> dict[str, list[Booking]]:
    """A session's people: holding a place (booked, or held for their line manager's approval), waiting (in queue
    order) and cancelled. One query."""
    rows = list(
        Booking.objects.filter(session=session).select_related("user", "agency").order_by("queue_position", "booked_at")
    )
    return {
        "holding": [row for row in rows if row.holds_place],
        "waiting": [row for row in rows if row.status == Booking.Status.WAITING],
        "cancelled": [row for row in rows if row.status == Booking.Status.CANCELLED],
    }


def same_course_elsewhere(session: Session, user: Any) -> list[Booking]:
    """The person's other sessions of this course: booked or waiting, or attended. Booking it again is allowed
    (a refresher), but the page says so first, so that nobody takes a second place by mistake."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Booking.objects.filter(user_id=user.pk, session__course_id=session.course_id)
        .exclude(session_id=session.pk)
        .filter(Q(status__in=Booking.LIVE) | Q(attendance=Booking.Attendance.ATTENDED))
        .select_related("session")
        .order_by("session__starts_at")
    )


def registers_around(today: date, days: int = 14) -> QuerySet[Session]:
    """The scheduled sessions from `days` before today to `days` after, soonest first, each with the number of
    people booked, how many of them are not marked yet and when its register was closed (None: still open). One
    query, however many sessions."""
    booked = Q(bookings__status=Booking.Status.CONFIRMED)
    return (
        Session.objects.filter(
            status=Session.Status.SCHEDULED,
            starts_at__date__gte=today - timedelta(days=days),
            starts_at__date__lte=today + timedelta(days=days),
        )
        .select_related("course")
        .annotate(
            booked=Count("bookings", filter=booked),
            unmarked=Count("bookings", filter=booked & Q(bookings__attendance="")),
            closed_at=Subquery(Register.objects.filter(session=OuterRef("pk")).values("closed_at")[:1]),
        )
        .order_by("starts_at")
    )


def last_booking_details(user: Any) -> dict[str, Any]:
    """The agency, job role and line manager the person gave on their latest booking in this board (empty if none):
    the booking form starts from them for someone with no learner profile here."""
    latest = Booking.objects.filter(user_id=user.pk).select_related("agency").order_by("-booked_at").first()
    if latest is None:
        return {}
    return {"agency": latest.agency, "job_role": latest.job_role, "line_manager_email": latest.line_manager_email}


def live_booking(session: Session, user: Any) -> Booking | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Booking.objects.filter(session=session, user_id=user.pk, status__in=Booking.LIVE).first()
