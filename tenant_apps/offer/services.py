"""Every write to a board's offer: venues, courses, sessions and their parts, trainers, standards, observations."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from shared_apps.audit.services import diff, record
from shared_apps.trainers import services as pool
from shared_apps.trainers.models import TrainerAssignment, TrainerProfile
from tenant_apps.offer.models import Course, Observation, Session, SessionPart, TrainingStandard, Venue
from tenant_apps.offer.signals import session_changed
from tenants.cross_board import current_board

VENUE_FIELDS = (
    "name",
    "room",
    "address",
    "postcode",
    "capacity",
    "accessibility",
    "facilities",
    "cost_per_day",
    "is_active",
)
COURSE_FIELDS = (
    "title",
    "summary",
    "learning_outcomes",
    "intervention_type",
    "delivery",
    "multi_agency",
    "open_to_other_agencies",
    "needs_manager_approval",
    "duration_hours",
    "category",
    "topic",
    "prerequisites",
    "status",
)
COURSE_LINKS = ("audience_groups", "priorities", "themes")
SESSION_FIELDS = (
    "capacity",
    "booking_opens_at",
    "booking_closes_at",
    "has_waiting_list",
    "online_joining_details",
    "notes",
)


@dataclass(frozen=True)
class PartSpec:
    starts: datetime
    ends: datetime
    venue: Venue | None = None


def _pick(fields: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError({name: ["This field cannot be set here."] for name in sorted(unknown)})
    return fields


def _board() -> Any:
    board = current_board()
    if board is None:
        raise RuntimeError("Offer services run inside a board's schema.")
    return board


# --- venues and courses -----------------------------------------------------------------------------------------


def save_venue(venue: Venue | None = None, *, actor: Any, **fields: Any) -> Venue:
    with transaction.atomic():
        venue = venue or Venue()
        before = {name: getattr(venue, name) for name in VENUE_FIELDS} if venue.pk else {}
        for name, value in _pick(fields, VENUE_FIELDS).items():
            setattr(venue, name, value)
        venue.full_clean()
        created = venue._state.adding
        venue.save()
        record(
            "venue.created" if created else "venue.updated",
            actor=actor,
            obj=venue,
            changes=diff(before, {n: getattr(venue, n) for n in VENUE_FIELDS}) if before else {},
            summary=f"Venue {venue} {'added' if created else 'changed'}",
        )
    return venue


def save_course(course: Course | None = None, *, actor: Any, **fields: Any) -> Course:
    links = {name: fields.pop(name) for name in COURSE_LINKS if name in fields}
    with transaction.atomic():
        course = course or Course()
        before = {name: getattr(course, name) for name in COURSE_FIELDS} if course.pk else {}
        for name, value in _pick(fields, COURSE_FIELDS).items():
            setattr(course, name, value)
        course.topic = course.topic.strip().lower()
        course.full_clean()
        created = course._state.adding
        course.save()
        for name, values in links.items():
            getattr(course, name).set(values)
        record(
            "course.created" if created else "course.updated",
            actor=actor,
            obj=course,
            changes=diff(before, {n: getattr(course, n) for n in COURSE_FIELDS}) if before else {},
            summary=f"Course “{course.title}” {'added' if created else 'changed'}",
        )
    return course


# --- sessions ---------------------------------------------------------------------------------------------------


def _check_session(session: Session, parts: list[PartSpec]) -> None:
    errors: dict[str, list[str]] = {}
    if not parts:
        errors["parts"] = ["A session needs at least one dated part."]
    for number, part in enumerate(parts, start=1):
        label = f"Part {number}" if len(parts) > 1 else "The session"
        if part.ends <= part.starts:
            errors.setdefault("parts", []).append(f"{label} must end after it starts.")
        if part.venue is not None and session.capacity and session.capacity > part.venue.capacity:
            errors.setdefault("capacity", []).append(
                f"{part.venue} holds {part.venue.capacity} people; the session's capacity of {session.capacity} "
                "is more than that."
            )
    ordered = sorted(parts, key=lambda p: p.starts)
    if any(later.starts < earlier.ends for earlier, later in itertools.pairwise(ordered)):
        errors.setdefault("parts", []).append("The parts of a session cannot overlap each other.")
    if session.booking_opens_at and session.booking_closes_at and session.booking_closes_at <= session.booking_opens_at:
        errors["booking_closes_at"] = ["Booking must close after it opens."]
    if parts and session.booking_closes_at and session.booking_closes_at > min(p.ends for p in parts):
        errors.setdefault("booking_closes_at", []).append("Booking must close before the session ends.")
    if errors:
        raise ValidationError(errors)
    session.full_clean(exclude=["course"])


def _write_parts(session: Session, parts: list[PartSpec]) -> None:
    """Write the session's parts over its present ones in date order, keeping their ids (the first part stays the
    first): calendar events are named after a part's id, so a part that moves is the same event, moved."""
    present = list(session.parts.order_by("during"))
    wanted = sorted(parts, key=lambda p: p.starts)
    try:
        with transaction.atomic():
            # Free the rooms first, so that parts trading times with each other do not clash on the way.
            session.parts.update(holds_room=False)
            SessionPart.objects.filter(pk__in=[row.pk for row in present[len(wanted) :]]).delete()
            for row, part in zip(present, wanted, strict=False):
                row.venue, row.during = part.venue, DateTimeTZRange(part.starts, part.ends, "[)")
                row.holds_room = True
                row.save(update_fields=["venue", "during", "holds_room"])
            for part in wanted[len(present) :]:
                SessionPart.objects.create(
                    session=session, venue=part.venue, during=DateTimeTZRange(part.starts, part.ends, "[)")
                )
    except IntegrityError as exc:
        if "no_two_sessions_in_one_room_at_once" not in str(exc):
            raise
        raise ValidationError({"parts": [_room_clash(session, parts)]}) from exc
    session.starts_at = min(p.starts for p in parts)
    session.ends_at = max(p.ends for p in parts)
    session.save(update_fields=["starts_at", "ends_at"])


def _room_clash(session: Session, parts: list[PartSpec]) -> str:
    for part in parts:
        if part.venue is None:
            continue
        clash = (
            SessionPart.objects.filter(
                venue=part.venue, holds_room=True, during__overlap=DateTimeTZRange(part.starts, part.ends, "[)")
            )
            .exclude(session=session)
            .select_related("session__course")
            .first()
        )
        if clash:
            when = timezone.localtime(clash.during.lower)
            return f"{part.venue} is already booked then for “{clash.session.course.title}” ({when:%-d %B %H:%M})."
    return "That room is already booked at that time."


def schedule_session(course: Course, *, actor: Any, parts: list[PartSpec], **fields: Any) -> Session:
    if course.status == Course.Status.ARCHIVED:
        raise ValidationError({"course": [f"“{course.title}” is archived: make it a draft or publish it first."]})
    with transaction.atomic():
        session = Session(course=course, **_pick(fields, SESSION_FIELDS))
        _check_session(session, parts)
        session.save()
        _write_parts(session, parts)
        record(
            "session.scheduled",
            actor=actor,
            obj=session,
            summary=f"Session of “{course.title}” scheduled for {timezone.localtime(session.starts_at):%-d %B %Y}",
        )
    return session


def _when_and_where(parts: list[PartSpec]) -> list[tuple[datetime, datetime, object]]:
    return sorted((part.starts, part.ends, part.venue.pk if part.venue else None) for part in parts)


def update_session(session: Session, *, actor: Any, parts: list[PartSpec] | None = None, **fields: Any) -> Session:
    """Change a session's details or its dates (the trainers' bookings move with the dates). A change of when or
    where (not of the capacity, notes or joining details alone) counts in `schedule_changes` and is sent with the
    `session_changed` signal as `rescheduled=True`, so that people booked are told."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        before = {name: getattr(session, name) for name in SESSION_FIELDS}
        for name, value in _pick(fields, SESSION_FIELDS).items():
            setattr(session, name, value)
        current_parts = [PartSpec(p.during.lower, p.during.upper, p.venue) for p in session.parts.all()]
        _check_session(session, parts if parts is not None else current_parts)
        rescheduled = parts is not None and _when_and_where(parts) != _when_and_where(current_parts)
        if rescheduled:
            session.schedule_changes += 1  # under the row's lock
        session.save()
        if parts is not None:
            trainers = list(_held_trainers(session))
            pool.release_time(board=_board(), session_id=session.pk)
            _write_parts(session, parts)
            for profile, role in trainers:
                _claim_for_parts(session, profile, role)
        record(
            "session.updated",
            actor=actor,
            obj=session,
            changes=diff(before, {n: getattr(session, n) for n in SESSION_FIELDS}),
            summary=f"Session of “{session.course.title}” " + ("moved" if rescheduled else "changed"),
        )
        session_changed.send(sender=Session, session=session, actor=actor, rescheduled=rescheduled)
    return session


def _set_status(session: Session, status: str, reason: str, actor: Any) -> Session:
    if not reason.strip():
        raise ValidationError({"status_reason": ["Say why, so that it can be reported."]})
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.status == Session.Status.CANCELLED:
            raise ValidationError({"status": ["This session is already cancelled."]})
        session.status, session.status_reason = status, reason.strip()
        session.save(update_fields=["status", "status_reason", "updated_at"])
        session.parts.update(holds_room=False)
        pool.release_time(board=_board(), session_id=session.pk)
        record(
            f"session.{status}",
            actor=actor,
            obj=session,
            summary=f"Session of “{session.course.title}” {session.get_status_display().lower()}: {reason}",
        )
        session_changed.send(sender=Session, session=session, actor=actor)
    return session


def cancel_session(session: Session, *, actor: Any, reason: str) -> Session:
    return _set_status(session, Session.Status.CANCELLED, reason, actor)


def postpone_session(session: Session, *, actor: Any, reason: str) -> Session:
    return _set_status(session, Session.Status.POSTPONED, reason, actor)


# --- trainers ---------------------------------------------------------------------------------------------------


def _held_trainers(session: Session) -> set[tuple[TrainerProfile, str]]:
    rows = TrainerAssignment.objects.filter(
        board=_board(), session_id=session.pk, status__in=TrainerAssignment.HOLDS_TIME
    ).select_related("trainer__user")
    return {(row.trainer, row.role) for row in rows}


def _location(session: Session, part: SessionPart) -> str:
    if part.venue is not None:
        return f"{part.venue}, {part.venue.postcode}".strip(", ")
    return "Online" if session.course.delivery == Course.Delivery.ONLINE else ""


def _claim_for_parts(session: Session, profile: TrainerProfile, role: str) -> None:
    board = _board()
    for part in session.parts.select_related("venue").all():
        pool.claim_time(
            profile,
            board,
            session_id=session.pk,
            session_part_id=part.pk,
            role=role,
            starts=part.during.lower,
            ends=part.during.upper,
            title=session.course.title,
            location=_location(session, part),
        )


def assign_trainer(session: Session, profile: TrainerProfile, *, role: str, actor: Any) -> None:
    """Book a lead or co-trainer for every part of a session, or nothing: a clash in any board refuses it all."""
    if role not in TrainerAssignment.Role.values:
        raise ValidationError({"role": ["Choose lead trainer or co-trainer."]})
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.status != Session.Status.SCHEDULED:
            raise ValidationError({"session": ["Trainers can only be booked for a scheduled session."]})
        held = _held_trainers(session)
        if any(existing == profile for existing, _ in held):
            raise ValidationError({"trainer": [f"{profile.user} is already booked for this session."]})
        if role == TrainerAssignment.Role.LEAD and any(r == TrainerAssignment.Role.LEAD for _, r in held):
            raise ValidationError({"role": ["This session already has a lead trainer."]})
        _claim_for_parts(session, profile, role)
        record(
            "session.trainer_assigned",
            actor=actor,
            obj=session,
            summary=f"{profile.user} booked as {TrainerAssignment.Role(role).label.lower()} for "
            f"“{session.course.title}”",
        )


def unassign_trainer(session: Session, profile: TrainerProfile, *, actor: Any) -> None:
    with transaction.atomic():
        released = pool.release_time(board=_board(), session_id=session.pk, trainer=profile)
        if released:
            record(
                "session.trainer_unassigned",
                actor=actor,
                obj=session,
                summary=f"{profile.user} no longer training “{session.course.title}”",
            )


# --- standards and observations ---------------------------------------------------------------------------------


def save_standard(standard: TrainingStandard | None = None, *, actor: Any, **fields: Any) -> TrainingStandard:
    with transaction.atomic():
        standard = standard or TrainingStandard()
        for name, value in _pick(fields, ("title", "description", "order", "is_active")).items():
            setattr(standard, name, value)
        standard.full_clean()
        standard.save()
        record("standard.saved", actor=actor, obj=standard, summary=f"Training standard “{standard.title}” saved")
    return standard


CHECK_VALUES = ("met", "partly", "not_met")


def record_observation(profile: TrainerProfile, *, actor: Any, checklist: dict[str, str], **fields: Any) -> Observation:
    """An observation of a trainer against every active standard of the board."""
    standards = {str(pk) for pk in TrainingStandard.objects.filter(is_active=True).values_list("pk", flat=True)}
    errors: list[str] = []
    if set(checklist) != standards:
        errors.append("Give a judgement for every active training standard, and only those.")
    if any(value not in CHECK_VALUES for value in checklist.values()):
        errors.append("Judge each standard as met, partly met or not met.")
    if errors:
        raise ValidationError({"checklist": errors})
    with transaction.atomic():
        observation = Observation(
            trainer=profile,
            checklist=checklist,
            **_pick(
                fields,
                (
                    "session",
                    "observer_name",
                    "observed_on",
                    "outcome",
                    "strengths",
                    "follow_up_actions",
                    "follow_up_due_on",
                ),
            ),
        )
        observation.full_clean(exclude=["trainer"])
        observation.save()
        record(
            "observation.recorded",
            actor=actor,
            obj=observation,
            summary=f"{profile.user} observed on {observation.observed_on:%-d %B %Y}: "
            f"{observation.get_outcome_display()}",
        )
    return observation
