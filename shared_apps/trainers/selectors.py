"""Reads of the trainer pool: suggestions, a trainer's sessions, hours lent per agency."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import (
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Lower, Upper
from django.utils import timezone

from shared_apps.agencies.models import Agency
from shared_apps.trainers.models import Blackout, BoardService, TrainerAssignment, TrainerProfile
from tenants.models import Board


def delivers_session(user: Any, board: Board, session_id: Any) -> bool:
    """Whether the person has accepted to deliver (a part of) this session of the board."""
    return TrainerAssignment.objects.filter(
        trainer__user_id=user.pk, board=board, session_id=session_id, status=TrainerAssignment.Status.ACCEPTED
    ).exists()


def approved_trainers(board: Board) -> QuerySet[TrainerProfile]:
    return TrainerProfile.objects.filter(
        is_active=True, services__board=board, services__status=BoardService.Status.APPROVED
    ).select_related("user", "home_agency")


def co_trainer_suggestions(
    board: Board,
    *,
    topic: str,
    periods: list[tuple[datetime, datetime]],
    exclude_agency_id: int | None = None,
    exclude_trainer_id: int | None = None,
    limit: int = 10,
) -> QuerySet[TrainerProfile]:
    """Approved trainers, accredited for every period, free in each of them and not away on any of their days,
    who cover the topic, from a different agency than the lead (Leeds matches trainers by agency, role and
    skills). The periods are a session's parts: a trainer busy between two parts a week apart is still free.
    One query."""
    busy_then, away_then = Q(), Q()
    for starts, ends in periods:
        busy_then |= Q(during__overlap=DateTimeTZRange(starts, ends, "[)"))
        away_then |= Q(starts_on__lte=timezone.localtime(ends).date(), ends_on__gte=timezone.localtime(starts).date())
    busy = TrainerAssignment.objects.filter(busy_then, trainer=OuterRef("pk"), status__in=TrainerAssignment.HOLDS_TIME)
    away = Blackout.objects.filter(away_then, trainer=OuterRef("pk"))
    first_day = timezone.localtime(min(starts for starts, _ in periods)).date()
    last_day = timezone.localtime(max(ends for _, ends in periods)).date()
    candidates = (
        approved_trainers(board)
        .filter(topics__contains=[topic.strip().lower()], trained_as_trainer_on__lte=first_day)
        .filter(Q(accreditation_expires_on__isnull=True) | Q(accreditation_expires_on__gte=last_day))
    )
    candidates = candidates.exclude(Exists(busy)).exclude(Exists(away))
    if exclude_agency_id is not None:
        candidates = candidates.exclude(home_agency_id=exclude_agency_id)
    if exclude_trainer_id is not None:
        candidates = candidates.exclude(pk=exclude_trainer_id)
    return candidates.order_by("user__full_name")[:limit]


def assignments_for_trainer(profile: TrainerProfile, *, upcoming_only: bool = False) -> QuerySet[TrainerAssignment]:
    rows = TrainerAssignment.objects.filter(trainer=profile).select_related("board").order_by("during")
    if upcoming_only:
        rows = rows.filter(during__endswith__gte=timezone.now())
    return rows


def bookings_during(profile: TrainerProfile, first_day: date, last_day: date) -> QuerySet[TrainerAssignment]:
    """The trainer's sessions, still holding their time, on any day from first_day to last_day (in local dates)."""
    return (
        TrainerAssignment.objects.filter(
            trainer=profile,
            status__in=TrainerAssignment.HOLDS_TIME,
            during__startswith__date__lte=last_day,
            during__endswith__date__gte=first_day,
        )
        .select_related("board")
        .order_by("during")
    )


def assignments_for_session(board: Board, session_ids: list[Any]) -> QuerySet[TrainerAssignment]:
    """The trainers of some of one board's sessions (never another board's rows)."""
    return TrainerAssignment.objects.filter(board=board, session_id__in=session_ids).select_related(
        "trainer__user", "trainer__home_agency"
    )


def _accepted_between(start: date, end: date) -> QuerySet[TrainerAssignment]:
    return TrainerAssignment.objects.filter(
        status=TrainerAssignment.Status.ACCEPTED,
        during__startswith__date__gte=start,
        during__startswith__date__lte=end,
    )


_DURATION = ExpressionWrapper(Upper("during") - Lower("during"), output_field=DurationField())


def _hours(total: timedelta) -> Decimal:
    return Decimal(total.total_seconds() / 3600).quantize(Decimal("0.1"))


def hours_lent_by_agency(
    start: date, end: date, board: Board | None = None, agency: Agency | None = None
) -> list[dict[str, Any]]:
    """Hours of accepted training each agency lent in kind between two dates (optionally to one board, or of
    one agency only)."""
    rows = _accepted_between(start, end)
    if board is not None:
        rows = rows.filter(board=board)
    if agency is not None:
        rows = rows.filter(trainer__home_agency=agency)
    totals = rows.values(agency=F("trainer__home_agency__name")).annotate(total=Sum(_DURATION)).order_by("agency")
    return [{"agency": row["agency"], "hours": _hours(row["total"])} for row in totals]


def hours_lent_by_board(agency: Agency, start: date, end: date) -> list[dict[str, Any]]:
    """Hours of accepted training one agency lent in kind between two dates, per board it trained for."""
    rows = _accepted_between(start, end).filter(trainer__home_agency=agency)
    totals = (
        rows.values(board_name=F("board__name"))
        .annotate(total=Sum(_DURATION), sessions=Count("session_id", distinct=True))
        .order_by("board_name")
    )
    return [{"board": row["board_name"], "hours": _hours(row["total"]), "sessions": row["sessions"]} for row in totals]


def financial_year(day: date) -> tuple[date, date]:
    """The UK public sector's financial year (1 April to 31 March) that `day` falls in."""
    first = day.year if day.month >= 4 else day.year - 1
    return date(first, 4, 1), date(first + 1, 3, 31)


# --- the trainer portal ---------------------------------------------------------------------------------------


def profile_of(user: Any) -> TrainerProfile | None:
    """The signed-in person's place in the pool, or None for someone who has not joined."""
    if not getattr(user, "is_authenticated", False):
        return None
    return TrainerProfile.objects.select_related("user", "home_agency").filter(user_id=user.pk).first()


def profile_by_calendar_token(token: str) -> TrainerProfile | None:
    return TrainerProfile.objects.select_related("user").filter(calendar_token=token, user__is_active=True).first()


def sessions_for_portal(profile: TrainerProfile, now: datetime, past_days: int = 365) -> dict[str, list[Any]]:
    """The trainer's sessions in every board, split into upcoming (soonest first) and past (latest first, the last
    year only). One query."""
    rows = list(assignments_for_trainer(profile).filter(during__endswith__gte=now - timedelta(days=past_days)))
    upcoming = [row for row in rows if row.during.upper >= now]
    past = [row for row in rows if row.during.upper < now]
    past.reverse()
    return {"upcoming": upcoming, "past": past}


def calendar_assignments(profile: TrainerProfile, now: datetime) -> QuerySet[TrainerAssignment]:
    """What the personal calendar feed holds: the last year and everything to come, cancelled ones included so
    that calendar apps remove them."""
    return assignments_for_trainer(profile).filter(during__endswith__gte=now - timedelta(days=365))


def services_of(profile: TrainerProfile) -> QuerySet[BoardService]:
    return BoardService.objects.filter(trainer=profile).select_related("board").order_by("board__name")


def boards_open_to_offer(profile: TrainerProfile) -> QuerySet[Board]:
    """Boards the trainer has not offered to serve (or whose offer they withdrew)."""
    offered = BoardService.objects.filter(trainer=profile).exclude(status=BoardService.Status.WITHDRAWN)
    return Board.objects.boards().exclude(pk__in=offered.values("board_id")).order_by("name")


def blackouts_from(profile: TrainerProfile, day: date) -> QuerySet[Blackout]:
    """The trainer's dates away that have not ended before `day`."""
    return Blackout.objects.filter(trainer=profile, ends_on__gte=day).order_by("starts_on")


# --- a board's side of the pool -------------------------------------------------------------------------------


def offers_to_board(board: Board) -> QuerySet[BoardService]:
    """Every trainer who offered to serve this board (never another board's rows): waiting first, then approved,
    then the rest, by name."""
    waiting_first = Case(
        When(status=BoardService.Status.REQUESTED, then=Value(0)),
        When(status=BoardService.Status.APPROVED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        BoardService.objects.filter(board=board)
        .select_related("trainer__user", "trainer__home_agency", "decided_by", "board")
        .annotate(waiting_first=waiting_first)
        .order_by("waiting_first", "trainer__user__full_name", "pk")
    )
