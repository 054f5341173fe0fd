"""Reads of the offer shaped for the catalogue, session pages and calendars. Query counts do not grow with rows.

Places left on a session are `capacity - places_taken`, computed in the same SQL query as the session itself
(`with_places`). `places_taken()` is the one expression that says how many places are taken (a subquery counting
the bookings that hold a place), and every list, page, API answer and benchmark that shows places left uses it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    Count,
    Expression,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from shared_apps.trainers.models import BoardService, TrainerAssignment, TrainerProfile
from shared_apps.trainers.selectors import assignments_for_session, co_trainer_suggestions
from tenant_apps.offer.models import Course, Observation, Session, SessionPart, TrainingStandard, Venue
from tenant_apps.strategy.models import PlanItem, Strategy
from tenants.models import Board

# --- places -----------------------------------------------------------------------------------------------------


def places_taken() -> Expression:
    """How many places of a session (the row being selected) are taken: its bookings that hold a place, as a
    correlated subquery (still one SQL query per list). The booking services keep `holds_place` true exactly
    while a booking takes a place; the offer reads the flag through the reverse relation and never imports them."""
    taken = (
        Session.objects.filter(pk=OuterRef("pk"))
        .annotate(taken=Count("bookings", filter=Q(bookings__holds_place=True)))
        .values("taken")
    )
    return Coalesce(Subquery(taken, output_field=IntegerField()), Value(0))


def with_places(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Annotate `places_taken` and `places_left` (never below zero) in the same query."""
    return sessions.annotate(places_taken=places_taken()).annotate(
        places_left=Greatest(F("capacity") - F("places_taken"), Value(0), output_field=IntegerField())
    )


def places_taken_by_session(session_ids: Iterable[uuid.UUID | str]) -> dict[uuid.UUID, int]:
    """{session id: places taken} for some sessions, in one query."""
    ids = list(session_ids)
    if not ids:
        return {}
    # Typed loosely: the type checker cannot see fields added by annotate().
    annotated: Any = with_places(Session.objects.filter(pk__in=ids))
    return {pk: int(taken) for pk, taken in annotated.values_list("pk", "places_taken")}


# --- the public catalogue ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueFilters:
    q: str = ""
    audience_group: str = ""
    intervention_type: str = ""
    topic: str = ""
    from_date: date | None = None
    to_date: date | None = None


def published_courses() -> QuerySet[Course]:
    return Course.objects.filter(status=Course.Status.PUBLISHED)


def _parts() -> Prefetch[Any]:
    return Prefetch("parts", queryset=SessionPart.objects.select_related("venue").order_by("during"))


def catalogue_sessions(filters: CatalogueFilters, *, include_past: bool = False) -> QuerySet[Session]:
    """Scheduled sessions of published courses that have not started yet, soonest first, filtered as the
    catalogue asks, with their parts and venues and places left: three queries however many sessions."""
    sessions = Session.objects.filter(
        course__status=Course.Status.PUBLISHED, status=Session.Status.SCHEDULED
    ).select_related("course")
    if not include_past:
        sessions = sessions.filter(starts_at__gte=timezone.now())
    if filters.q:
        sessions = sessions.filter(
            Q(course__title__icontains=filters.q)
            | Q(course__summary__icontains=filters.q)
            | Q(course__topic__icontains=filters.q)
        )
    if filters.audience_group:
        # A filter on a many-to-many join, written as a subquery so each session appears once without DISTINCT.
        courses = Course.objects.filter(audience_groups__code__iexact=filters.audience_group).values("pk")
        sessions = sessions.filter(course__in=courses)
    if filters.intervention_type:
        sessions = sessions.filter(course__intervention_type=filters.intervention_type)
    if filters.topic:
        sessions = sessions.filter(course__topic=filters.topic.strip().lower())
    if filters.from_date:
        sessions = sessions.filter(starts_at__gte=_start_of(filters.from_date))
    if filters.to_date:
        sessions = sessions.filter(starts_at__lt=_start_of(filters.to_date, next_day=True))
    return with_places(sessions).prefetch_related(_parts()).order_by("starts_at", "pk")


def _start_of(day: date, *, next_day: bool = False) -> datetime:
    moment = timezone.make_aware(datetime.combine(day, time.min))
    return moment + timedelta(days=1) if next_day else moment


def catalogue_courses() -> QuerySet[Course]:
    """Published courses with their audience groups, themes, and their scheduled sessions still to start (with
    parts, venues and places left): four queries for one course or many."""
    upcoming = (
        with_places(Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__gte=timezone.now()))
        .prefetch_related(_parts())
        .order_by("starts_at", "pk")
    )
    return published_courses().prefetch_related(Prefetch("sessions", queryset=upcoming), "audience_groups", "themes")


def course_with_sessions(course_id: uuid.UUID | str) -> Course | None:
    return catalogue_courses().filter(pk=course_id).first()


def topics() -> list[str]:
    return list(published_courses().order_by("topic").values_list("topic", flat=True).distinct())


def calendar_sessions(since: datetime) -> QuerySet[Session]:
    """Scheduled sessions of published courses ending after `since`, with their parts and venues (the feed)."""
    return catalogue_sessions(CatalogueFilters(), include_past=True).filter(ends_at__gte=since)


def calendar_fingerprint(since: datetime) -> str:
    """How many sessions the feed from `since` holds and when they or their courses last changed. One query."""
    sessions = Session.objects.filter(
        course__status=Course.Status.PUBLISHED, status=Session.Status.SCHEDULED, ends_at__gte=since
    )
    seen = sessions.aggregate(count=Count("pk"), changed=Max("updated_at"), course_changed=Max("course__updated_at"))
    changed, course_changed = seen["changed"], seen["course_changed"]
    return (
        f"{seen['count']}-{changed.timestamp() if changed else 0}-{course_changed.timestamp() if course_changed else 0}"
    )


# --- managers' lists --------------------------------------------------------------------------------------------


def venues() -> QuerySet[Venue]:
    return Venue.objects.order_by("-is_active", "name", "room")


def courses_for_managers(status: str = "") -> QuerySet[Course]:
    courses = Course.objects.prefetch_related("audience_groups").order_by("title")
    return courses.filter(status=status) if status else courses


def bookable_courses() -> QuerySet[Course]:
    """Courses a session can be scheduled for: everything not archived."""
    return Course.objects.exclude(status=Course.Status.ARCHIVED).order_by("title")


def adopted_priorities(course: Course | None = None) -> QuerySet[PlanItem]:
    """Rows of the action plans of adopted strategies: the priorities a course can answer. With `course`, also the
    rows it already answers (of a strategy since superseded), so that saving the course keeps them."""
    wanted = Q(plan__strategy__status=Strategy.Status.ADOPTED)
    if course is not None and course.pk:
        wanted |= Q(pk__in=course.priorities.values("pk"))
    return (
        PlanItem.objects.filter(wanted)
        .select_related("plan__strategy")
        .order_by("plan__strategy__title", "plan__order", "number")
    )


def sessions_for_managers(*, upcoming: bool = True) -> QuerySet[Session]:
    """Every status; upcoming soonest first, or past most recent first."""
    now = timezone.now()
    sessions = with_places(Session.objects.select_related("course")).prefetch_related(_parts())
    if upcoming:
        return sessions.filter(ends_at__gte=now).order_by("starts_at", "pk")
    return sessions.filter(ends_at__lt=now).order_by("-starts_at", "pk")


def session_for_manager(session_id: uuid.UUID | str) -> Session | None:
    return (
        with_places(Session.objects.select_related("course")).prefetch_related(_parts()).filter(pk=session_id).first()
    )


def recent_sessions(days: int = 365) -> QuerySet[Session]:
    """Sessions that started in the last `days` days or start today: the ones an observation can be of."""
    now = timezone.now()
    return (
        Session.objects.select_related("course")
        .filter(starts_at__gte=now - timedelta(days=days), starts_at__lte=now + timedelta(days=1))
        .order_by("-starts_at")
    )


def standards(*, active_only: bool = False) -> QuerySet[TrainingStandard]:
    rows = TrainingStandard.objects.all()
    return rows.filter(is_active=True) if active_only else rows


# --- trainers as this board sees them ---------------------------------------------------------------------------


def board_pool(board: Board) -> QuerySet[TrainerProfile]:
    """Trainers who have offered to serve this board, whatever the board decided (the ones it can name)."""
    offered = BoardService.objects.filter(board=board).values("trainer_id")
    return TrainerProfile.objects.filter(pk__in=offered).select_related("user", "home_agency")


@dataclass(frozen=True)
class SessionTrainer:
    """One trainer of one session, whatever the number of parts (each part has its own index row)."""

    trainer: TrainerProfile
    role: str
    role_label: str
    status: str
    status_label: str

    @property
    def holds_time(self) -> bool:
        return self.status in TrainerAssignment.HOLDS_TIME


def session_trainers(board: Board, session: Session) -> list[SessionTrainer]:
    """The session's trainers, one entry per trainer: booked ones first (lead before co), then any who declined.
    Trainers taken off the session are left out. One query."""
    latest: dict[int, TrainerAssignment] = {}
    for row in assignments_for_session(board, [session.pk]).order_by("updated_at"):
        current = latest.get(row.trainer_id)
        if (
            current is None
            or current.status not in TrainerAssignment.HOLDS_TIME
            or row.status in (TrainerAssignment.HOLDS_TIME)
        ):
            latest[row.trainer_id] = row
    entries = [
        SessionTrainer(row.trainer, row.role, row.get_role_display(), row.status, row.get_status_display())
        for row in latest.values()
        if row.status != TrainerAssignment.Status.CANCELLED
    ]
    order: dict[str, int] = {TrainerAssignment.Role.LEAD: 0, TrainerAssignment.Role.CO: 1}
    return sorted(entries, key=lambda e: (not e.holds_time, order.get(e.role, 2), str(e.trainer)))


def lead_trainer(trainers: list[SessionTrainer]) -> TrainerProfile | None:
    return next((t.trainer for t in trainers if t.holds_time and t.role == TrainerAssignment.Role.LEAD), None)


def held_trainer_ids(board: Board, session: Session) -> set[int]:
    rows = TrainerAssignment.objects.filter(
        board=board, session_id=session.pk, status__in=TrainerAssignment.HOLDS_TIME
    ).values_list("trainer_id", flat=True)
    return set(rows)


def co_trainers_for_session(
    board: Board, session: Session, lead: TrainerProfile | None, limit: int = 10
) -> list[TrainerProfile]:
    """Approved trainers free in every part of the session who cover the course's topic, from another agency than
    the lead's (none when the session has no dates or is not scheduled)."""
    periods = [(part.during.lower, part.during.upper) for part in session.parts.all()]
    if not periods or session.status != Session.Status.SCHEDULED:
        return []
    return list(
        co_trainer_suggestions(
            board,
            topic=session.course.topic,
            periods=periods,
            exclude_agency_id=lead.home_agency_id if lead else None,
            exclude_trainer_id=lead.pk if lead else None,
            limit=limit,
        )
    )


# --- observations -----------------------------------------------------------------------------------------------


def observations() -> QuerySet[Observation]:
    return Observation.objects.select_related("trainer__user", "trainer__home_agency", "session__course").order_by(
        "-observed_on", "-created_at"
    )


def latest_observation_per_trainer() -> list[Observation]:
    """Each observed trainer's most recent observation: their quality status. One query."""
    latest = (
        Observation.objects.select_related("trainer__user", "trainer__home_agency")
        .order_by("trainer_id", "-observed_on", "-created_at")
        .distinct("trainer_id")
    )
    return sorted(latest, key=lambda o: str(o.trainer))
