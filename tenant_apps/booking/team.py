"""Agency training managers: a school's designated safeguarding lead or a trust's training lead books named members
of their staff and looks after the bookings made for their agency in this board.

An agency manager holds the board role `agency_manager` for one agency (the membership names it). They book
staff by email: someone with no account yet gets one, made in the same transaction,
so that the confirmation (with its calendar invitation) reaches them and they can later sign in to see it. They
see, cancel and pass on their agency's bookings in this board, and nothing else of the board's bookings. A
person whose learner profile in this board names another agency is not theirs to book.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model

from shared_apps.accounts.models import User
from shared_apps.accounts.services import person_for
from shared_apps.agencies.models import Agency
from tenant_apps.audiences.models import LearnerProfile
from tenant_apps.booking import services
from tenant_apps.booking.models import Booking
from tenant_apps.booking.selectors import managed_agency
from tenant_apps.offer.models import Session


def _their_agency(manager: User, board: Model, asked: Agency | None) -> Agency:
    agency = managed_agency(manager, board)
    if agency is None:
        raise ValidationError({"agency": ["Your role names no agency: ask the board to add it."]})
    if asked is not None and asked.pk != agency.pk:
        raise ValidationError({"agency": [f"You book training for {agency} only."]})
    return agency


def staff_member(email: str, full_name: str, agency: Agency, *, manager: User) -> User:
    """The member of staff with this email (made now when they have no account). Refused when their profile in
    this board says they work for another agency. Call inside a transaction (see person_for)."""
    person = person_for(email, full_name, actor=manager)
    profile = LearnerProfile.objects.select_related("agency").filter(user_id=person.pk).first()
    if profile is not None and profile.agency_id and profile.agency_id != agency.pk:
        raise ValidationError(
            {"email": [f"{person} works for {profile.agency} (their profile in this board), not {agency}."]}
        )
    return person


def book_staff(
    session: Session,
    *,
    manager: User,
    board: Model,
    email: str,
    full_name: str = "",
    agency: Agency | None = None,
    job_role: str = "",
    line_manager_email: str = "",
) -> Booking:
    """An agency manager books a named member of staff (a place, or the waiting list when it is full). The
    booking records the manager's agency and the manager as the one who booked; the person is emailed."""
    agency = _their_agency(manager, board, agency)
    with transaction.atomic():
        person = staff_member(email, full_name, agency, manager=manager)
        return services.book(
            session,
            person,
            actor=manager,
            agency=agency,
            job_role=job_role,
            line_manager_email=line_manager_email,
        )


def pass_on(booking: Booking, *, manager: User, email: str, full_name: str = "") -> Booking:
    """The manager gives a booking of their agency to another member of staff (made an account if need be)."""
    if booking.agency is None:
        raise ValidationError({"booking": ["This booking names no agency."]})
    with transaction.atomic():
        colleague = staff_member(email, full_name, booking.agency, manager=manager)
        return services.substitute(booking, colleague, actor=manager)
