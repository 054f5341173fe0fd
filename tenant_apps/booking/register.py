"""The attendance register: marking who came (one by one or all at once), adding people who came without a
booking, and closing the register, which locks it, puts the learning in each attendee's record and issues
certificates."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shared_apps.accounts.models import Membership, User
from shared_apps.accounts.permissions import can
from shared_apps.agencies.models import Agency
from shared_apps.audit.services import record
from shared_apps.trainers.selectors import delivers_session
from tenant_apps.audiences import services as audiences
from tenant_apps.audiences.models import LearningCompletion
from tenant_apps.booking.models import Booking, Certificate, Register
from tenant_apps.booking.record import sync
from tenant_apps.charges import services as charges
from tenant_apps.evaluation import services as evaluation
from tenant_apps.offer.models import Session
from tenants.cross_board import current_board

# Without 0/O and 1/I, so a code read off paper is typed right.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MARKS = set(Booking.Attendance.values)


def may_keep(user: Any, board: Any, session_id: Any) -> bool:
    """Who keeps a session's register: the board's administrators, coordinators and trainers, and a trainer from
    the shared pool who has accepted to deliver the session, though they hold no role in the board."""
    if not getattr(user, "is_authenticated", False) or board is None:
        return False
    return can(user, "register.keep", board) or delivers_session(user, board, session_id)


def _register(session: Session) -> Register:
    """The session's register, locked for this transaction (made on first use)."""
    Register.objects.get_or_create(session=session)
    return Register.objects.select_for_update().get(session=session)


def _check_open(session: Session, register: Register) -> None:
    if register.closed_at is not None:
        raise ValidationError({"register": ["The register is closed: marks can no longer change."]})
    problem = not_open_yet(session)
    if problem:
        raise ValidationError({"register": [problem]})


def not_open_yet(session: Session) -> str:
    """Why the session's register cannot be marked today, other than being closed; empty when it can."""
    if session.status != Session.Status.SCHEDULED:
        return f"The session was {session.get_status_display().lower()}."
    if session.starts_at is None or timezone.localtime(session.starts_at).date() > timezone.localdate():
        return "The register opens on the day of the session."
    return ""


def unmarked_as_attended(session: Session, marks: dict[str, str]) -> dict[str, str]:
    """`marks` with everyone not marked yet, neither there nor saved, marked as attended: "mark everyone" never
    overwrites a mark someone chose."""
    return {
        **{str(row.pk): Booking.Attendance.ATTENDED for row in register_rows(session) if not row.attendance},
        **marks,
    }


def register_rows(session: Session) -> list[Booking]:
    """Everyone on the register: people booked (and walk-ins), by name."""
    return list(
        Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED)
        .select_related("user", "agency")
        .order_by("user__full_name", "user__email")
    )


def mark(session: Session, marks: dict[str, str], *, actor: Any) -> int:
    """Mark attendance for some or all of the people booked ({booking id: mark}); all or nothing."""
    unknown = {value for value in marks.values() if value not in MARKS}
    if unknown:
        raise ValidationError(
            {"marks": ["Mark each person as attended, partially attended, did not attend or cancelled on the day."]}
        )
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        register = _register(session)
        _check_open(session, register)
        rows = {str(row.pk): row for row in register_rows(session)}
        strangers = [key for key in marks if key not in rows]
        if strangers:
            raise ValidationError({"marks": ["Some of the people marked are not booked on this session."]})
        changed = 0
        for key, value in marks.items():
            row = rows[key]
            if row.attendance != value:
                row.attendance = value
                row.save(update_fields=["attendance", "updated_at"])
                changed += 1
        sync(rows.values())
        record(
            "register.marked",
            actor=actor,
            obj=session,
            summary=f"{changed} attendance marks for “{session.course.title}”",
        )
    return changed


def add_walk_in(
    session: Session, person: User, *, actor: Any, agency: Agency | None = None, job_role: str = ""
) -> Booking:
    """Someone came without a booking: on the register as attended (takes no place from the capacity)."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        register = _register(session)
        _check_open(session, register)
        if Booking.objects.filter(session=session, user=person, status__in=Booking.LIVE).exists():
            raise ValidationError({"person": [f"{person} is already booked on this session: mark them instead."]})
        booking = Booking.objects.create(
            session=session,
            user=person,
            agency=agency,
            job_role=job_role.strip()[:150],
            booked_by=actor,
            status=Booking.Status.CONFIRMED,
            confirmed_at=timezone.now(),
            attendance=Booking.Attendance.ATTENDED,
            walk_in=True,
        )
        sync([booking])
        record("register.walk_in", actor=actor, obj=booking, summary=f"{person} came without a booking")
    return booking


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
        if not Certificate.objects.filter(code=code).exists():
            return code


def close(session: Session, *, actor: Any) -> list[Certificate]:
    """Close the register once everyone booked is marked: it locks, each attendee's learning goes in the board's
    record (for people with a role in this board) and each gets a certificate."""
    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
        register = _register(session)
        _check_open(session, register)
        rows = register_rows(session)
        unmarked = [row for row in rows if not row.attendance]
        if unmarked:
            names = ", ".join(str(row.user.full_name or row.user.email) for row in unmarked[:5])
            more = f" and {len(unmarked) - 5} more" if len(unmarked) > 5 else ""
            raise ValidationError({"register": [f"Mark everyone before closing the register: {names}{more}."]})
        register.closed_at, register.closed_by = timezone.now(), actor
        register.save(update_fields=["closed_at", "closed_by"])
        attended = [row for row in rows if row.attendance == Booking.Attendance.ATTENDED]
        course = session.course
        day = timezone.localtime(session.starts_at).date() if session.starts_at else timezone.localdate()
        board = current_board()
        members = set(
            Membership.objects.filter(board=board, user_id__in=[r.user_id for r in attended]).values_list(
                "user_id", flat=True
            )
        )
        certificates = []
        for row in attended:
            certificates.append(
                Certificate.objects.create(
                    booking=row,
                    code=_new_code(),
                    person_name=row.user.full_name or row.user.email,
                    course_title=course.title,
                    learning_outcomes=course.learning_outcomes,
                    attended_on=day,
                    hours=course.duration_hours,
                )
            )
            if row.user_id in members:
                audiences.record_completion(
                    actor=actor,
                    user=row.user,
                    title=course.title,
                    topic=course.topic,
                    completed_on=day,
                    hours=course.duration_hours,
                    source=LearningCompletion.Source.ATTENDANCE,
                    reference=f"booking:{row.pk}",
                )
        sync(attended)
        fees = charges.raise_fees_for_register(session, actor=actor)
        evaluation.invite_after_session(session)
        record(
            "register.closed",
            actor=actor,
            obj=session,
            summary=f"Register of “{course.title}” closed: {len(attended)} attended, {len(certificates)} certificates, "
            f"{len(fees)} fees",
        )
    return certificates


def verify(code: str) -> Certificate | None:
    """The certificate with this code, typed as people type it (spaces, dashes and case do not matter)."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    if not 6 <= len(cleaned) <= 12:
        return None
    return Certificate.objects.select_related("booking__session__course").filter(code=cleaned).first()
