"""Every write to the shared trainer pool: profiles, boards served, blackouts, and the time index."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from shared_apps.audit.services import record
from shared_apps.trainers.models import (
    Blackout,
    BoardService,
    TrainerAssignment,
    TrainerProfile,
    new_calendar_token,
)
from tenants.models import Board

PROFILE_FIELDS = (
    "home_agency",
    "job_role",
    "topics",
    "skills",
    "bio",
    "trained_as_trainer_on",
    "accreditation_expires_on",
    "sessions_per_month_committed",
    "available_weekdays",
    "is_active",
)


def _normalise_topics(topics: list[str]) -> list[str]:
    return sorted({topic.strip().lower() for topic in topics if topic.strip()})


def save_profile(user: Any, *, actor: Any, **fields: Any) -> TrainerProfile:
    """Create or update a trainer's profile in the pool."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({name: ["This field cannot be set here."] for name in sorted(unknown)})
    if "topics" in fields:
        fields["topics"] = _normalise_topics(fields["topics"])
    if any(day not in range(1, 8) for day in fields.get("available_weekdays", [])):
        raise ValidationError({"available_weekdays": ["Give weekdays as numbers from 1 (Monday) to 7 (Sunday)."]})
    with transaction.atomic():
        profile = TrainerProfile.objects.select_for_update().filter(user=user).first()
        created = profile is None
        if profile is None:
            profile = TrainerProfile(user=user)
        for name, value in fields.items():
            setattr(profile, name, value)
        expires, trained = profile.accreditation_expires_on, profile.trained_as_trainer_on
        if expires and trained and expires < trained:
            raise ValidationError({"accreditation_expires_on": ["The accreditation cannot expire before it began."]})
        profile.full_clean(exclude=["user"])
        profile.save()
        record(
            "trainer.profile_created" if created else "trainer.profile_updated",
            actor=actor,
            obj=profile,
            board=None,
            summary=f"Trainer profile of {user.email} {'created' if created else 'updated'}",
        )
    return profile


def regenerate_calendar_token(profile: TrainerProfile, *, actor: Any) -> TrainerProfile:
    """A new secret calendar address: the old one stops working at once (a link shared by mistake)."""
    with transaction.atomic():
        profile.calendar_token = new_calendar_token()
        profile.save(update_fields=["calendar_token"])
        record(
            "trainer.calendar_link_renewed",
            actor=actor,
            obj=profile,
            board=None,
            summary=f"Calendar link of {profile.user.email} renewed; the old link no longer works",
        )
    return profile


def offer_to_serve(profile: TrainerProfile, board: Board, *, actor: Any) -> BoardService:
    with transaction.atomic():
        service, created = BoardService.objects.get_or_create(trainer=profile, board=board)
        if not created and service.status in (BoardService.Status.REFUSED, BoardService.Status.WITHDRAWN):
            service.status, service.decided_by, service.decided_at = BoardService.Status.REQUESTED, None, None
            service.save(update_fields=["status", "decided_by", "decided_at"])
        record(
            "trainer.offered",
            actor=actor,
            obj=service,
            board=board,
            summary=f"{profile.user.email} offered to train for {board.name}",
        )
    return service


def decide_service(service: BoardService, *, approve: bool, actor: Any) -> BoardService:
    """The board approves (or refuses) a trainer's offer to serve it."""
    with transaction.atomic():
        service = BoardService.objects.select_for_update().get(pk=service.pk)
        service.status = BoardService.Status.APPROVED if approve else BoardService.Status.REFUSED
        service.decided_by, service.decided_at = actor, timezone.now()
        service.save(update_fields=["status", "decided_by", "decided_at"])
        record(
            "trainer.approved" if approve else "trainer.refused",
            actor=actor,
            obj=service,
            board=service.board,
            summary=f"{service.trainer.user.email} {'approved' if approve else 'refused'} as a trainer",
        )
    return service


def add_blackout(profile: TrainerProfile, *, actor: Any, starts_on: date, ends_on: date, reason: str = "") -> Blackout:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": ["The last day cannot be before the first."]})
    with transaction.atomic():
        blackout = Blackout(trainer=profile, starts_on=starts_on, ends_on=ends_on, reason=reason.strip())
        blackout.full_clean(exclude=["trainer"])
        blackout.save()
        record(
            "trainer.blackout_added",
            actor=actor,
            obj=blackout,
            board=None,
            summary=f"{profile.user.email} unavailable {starts_on:%-d %b} to {ends_on:%-d %b %Y}",
        )
    return blackout


def remove_blackout(blackout: Blackout, *, actor: Any) -> None:
    with transaction.atomic():
        record("trainer.blackout_removed", actor=actor, obj=blackout, board=None, summary=f"Removed: {blackout}")
        blackout.delete()


def _when(during: DateTimeTZRange) -> str:
    start, end = timezone.localtime(during.lower), timezone.localtime(during.upper)
    return f"{start:%-d %B %Y %H:%M} to {end:%H:%M}"


def check_can_train(profile: TrainerProfile, board: Board, starts: datetime, ends: datetime) -> None:
    """Refuse, with a reason a coordinator understands, a trainer who cannot take this time for this board."""
    name = profile.user.full_name or profile.user.email
    if not profile.is_active:
        raise ValidationError({"trainer": [f"{name} is not active in the trainer pool."]})
    approved = BoardService.objects.filter(trainer=profile, board=board, status=BoardService.Status.APPROVED)
    if not approved.exists():
        raise ValidationError({"trainer": [f"{name} is not approved to train for {board.name}."]})
    day = timezone.localtime(starts).date()
    if not profile.accredited_on(day):
        expired = profile.accreditation_expires_on
        reason = (
            f"their trainer accreditation expired on {expired:%-d %B %Y}"
            if expired and expired < day
            else "they have not completed training for trainers"
        )
        raise ValidationError({"trainer": [f"{name} cannot train on {day:%-d %B %Y}: {reason}."]})
    blackout = profile.blackouts.filter(starts_on__lte=timezone.localtime(ends).date(), ends_on__gte=day).first()
    if blackout is not None:
        raise ValidationError(
            {
                "trainer": [
                    f"{name} is unavailable from {blackout.starts_on:%-d %B} to {blackout.ends_on:%-d %B %Y}"
                    + (f" ({blackout.reason})." if blackout.reason else ".")
                ]
            }
        )


def claim_time(
    profile: TrainerProfile,
    board: Board,
    *,
    session_id: Any,
    session_part_id: Any,
    role: str,
    starts: datetime,
    ends: datetime,
    title: str,
    location: str = "",
    status: str = TrainerAssignment.Status.PROPOSED,
) -> TrainerAssignment:
    """Book the trainer's time in the cross-board index. The exclusion constraint refuses any clash, across every
    board, even under concurrency; the clash is explained in the error."""
    # One booking of a trainer at a time: two boards claiming several parts each would otherwise wait on each
    # other's rows inside the exclusion constraint and deadlock instead of one getting a clear refusal.
    list(TrainerProfile.objects.select_for_update().filter(pk=profile.pk).values_list("pk", flat=True))
    check_can_train(profile, board, starts, ends)
    during = DateTimeTZRange(starts, ends, "[)")
    try:
        with transaction.atomic():
            return TrainerAssignment.objects.create(
                trainer=profile,
                board=board,
                session_id=session_id,
                session_part_id=session_part_id,
                role=role,
                status=status,
                during=during,
                title=title[:200],
                location=location[:300],
            )
    except IntegrityError as exc:
        if "trainer_never_in_two_places" not in str(exc):
            raise
        clash = (
            TrainerAssignment.objects.filter(
                trainer=profile, status__in=TrainerAssignment.HOLDS_TIME, during__overlap=during
            )
            .select_related("board")
            .first()
        )
        where = f" training “{clash.title}” for {clash.board.name}, {_when(clash.during)}" if clash else ""
        name = profile.user.full_name or profile.user.email
        raise ValidationError({"trainer": [f"{name} is already booked at that time{where}."]}) from exc


def release_time(*, board: Board, session_id: Any, trainer: TrainerProfile | None = None) -> int:
    """Free the trainer's (or every trainer's) time for a session: cancelled, postponed or unassigned."""
    held = TrainerAssignment.objects.filter(board=board, session_id=session_id, status__in=TrainerAssignment.HOLDS_TIME)
    if trainer is not None:
        held = held.filter(trainer=trainer)
    return held.update(status=TrainerAssignment.Status.CANCELLED, updated_at=timezone.now())


def respond_to_assignment(assignment: TrainerAssignment, *, accept: bool, actor: Any) -> TrainerAssignment:
    """The trainer accepts or declines; declining frees the time at once."""
    with transaction.atomic():
        assignment = TrainerAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.status not in TrainerAssignment.HOLDS_TIME:
            raise ValidationError({"status": ["This session is no longer waiting for an answer."]})
        assignment.status = TrainerAssignment.Status.ACCEPTED if accept else TrainerAssignment.Status.DECLINED
        assignment.save(update_fields=["status", "updated_at"])
        # Every part of the same session gets the same answer.
        TrainerAssignment.objects.filter(
            trainer=assignment.trainer,
            board=assignment.board,
            session_id=assignment.session_id,
            status__in=TrainerAssignment.HOLDS_TIME,
        ).exclude(pk=assignment.pk).update(status=assignment.status, updated_at=timezone.now())
        record(
            "trainer.accepted" if accept else "trainer.declined",
            actor=actor,
            obj=assignment,
            board=assignment.board,
            summary=f"{assignment.trainer.user.email} "
            f"{'accepted' if accept else 'declined'} “{assignment.title}”, {_when(assignment.during)}",
        )
    return assignment
