"""The demo's training offer: courses that answer each board's priorities, sessions in the weeks to come, trainers
from the shared pool (one of them serving Leeds and Bradford), and a few bookings, so that the catalogue, the
trainer portal, booking and the register have something to show. Idempotent: a course is found by its title, a
session by its course and start, a booking by its person."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from shared_apps.accounts.models import User
from shared_apps.agencies.models import Agency
from shared_apps.trainers import services as pool
from shared_apps.trainers.models import BoardService, TrainerAssignment, TrainerProfile
from tenant_apps.booking import services as booking
from tenant_apps.booking import team
from tenant_apps.booking.models import Booking
from tenant_apps.offer import services as offer
from tenant_apps.offer.models import Course, Session, Venue
from tenant_apps.offer.services import PartSpec
from tenants.cross_board import current_board
from tenants.models import Board


@dataclass(frozen=True)
class CourseData:
    title: str
    summary: str
    outcomes: str
    topic: str
    hours: str
    intervention_type: str = "classroom"
    capacity: int = 20
    needs_manager_approval: bool = False


COURSES: dict[str, tuple[CourseData, ...]] = {
    "leeds": (
        CourseData(
            "Neglect: recognising and responding",
            "Multi-agency level 3 training on the Leeds neglect strategy and toolkit.",
            "Recognise the signs of neglect\nUse the neglect toolkit\nKnow when and how to refer",
            "neglect",
            "3",
        ),
        CourseData(
            "Child sexual exploitation: working together",
            "How agencies in Leeds spot, share and act on concerns about exploitation.",
            "Recognise the signs of exploitation\nShare information safely\nRefer to the right team",
            "child sexual exploitation",
            "6",
            capacity=2,
            needs_manager_approval=True,
        ),
    ),
    "croydon": (
        CourseData(
            "Domestic abuse and its effect on children",
            "Croydon's multi-agency course on domestic abuse, coercive control and children's lived experience.",
            "Understand coercive control\nAssess the risk to children\nUse the MARAC referral pathway",
            "domestic abuse",
            "3",
        ),
    ),
    "berkshire-west": (
        CourseData(
            "Early help assessments in practice",
            "Completing an early help assessment with a family, for group 3 practitioners.",
            "Start an early help assessment\nPlan with the family\nReview and step up or down",
            "early help",
            "3",
        ),
    ),
}
VENUES = {
    "leeds": ("Leeds Civic Hall", "Committee Room 2", "Calverley Street, Leeds", "LS1 1UR"),
    "croydon": ("Bernard Weatherill House", "Training Room 1", "8 Mint Walk, Croydon", "CR0 1EA"),
    "berkshire-west": ("Reading Civic Offices", "Council Chamber", "Bridge Street, Reading", "RG1 2LU"),
}
# The pool trainer lent by West Yorkshire Police to Leeds and Bradford, and who trains what.
POOL_TRAINER = "trainer@westyorkshire.demo"
BOOKERS = {"leeds": ("practitioner@leeds.demo",), "croydon": ("practitioner@croydon.demo",)}
TEAM_MANAGER = "team.manager@leeds.demo"
STAFF_BOOKED = ("newly.qualified@leeds.demo", "Tom Hughes")


def _next_weekday(after: date, weeks: int) -> date:
    day = after + timedelta(weeks=weeks)
    return day + timedelta(days=(1 - day.weekday()) % 7)  # a Tuesday


def ensure_pool_trainer(boards: dict[str, Board], agency: Agency, created: Counter[str]) -> TrainerProfile | None:
    """The West Yorkshire Police trainer: a pool profile approved by Leeds and Bradford (public schema)."""
    user = User.objects.filter(email=POOL_TRAINER).first()
    if user is None:
        return None
    profile = TrainerProfile.objects.filter(user=user).first()
    if profile is None:
        profile = pool.save_profile(
            user,
            actor=user,
            home_agency=agency,
            job_role="Detective sergeant, safeguarding",
            topics=["child sexual exploitation", "neglect"],
            trained_as_trainer_on=date(2022, 9, 1),
            sessions_per_month_committed=2,
        )
        created["pool trainers"] += 1
    for slug in ("leeds", "bradford"):
        board = boards[slug]
        if not BoardService.objects.filter(trainer=profile, board=board).exists():
            service = pool.offer_to_serve(profile, board, actor=user)
            pool.decide_service(service, approve=True, actor=None)
    return profile


def ensure_offer(slug: str, trainer: TrainerProfile | None, created: Counter[str]) -> None:
    """Run inside the board: its venue, courses, two sessions of each, a trainer and a few bookings."""
    courses = COURSES.get(slug, ())
    if not courses:
        return
    name, room, address, postcode = VENUES[slug]
    venue = Venue.objects.filter(name=name, room=room).first() or offer.save_venue(
        actor=None, name=name, room=room, address=address, postcode=postcode, capacity=40
    )
    today = timezone.localdate()
    for number, course_data in enumerate(courses):
        course = Course.objects.filter(title=course_data.title).first()
        if course is None:
            course = offer.save_course(
                actor=None,
                title=course_data.title,
                summary=course_data.summary,
                learning_outcomes=course_data.outcomes,
                intervention_type=course_data.intervention_type,
                duration_hours=Decimal(course_data.hours),
                topic=course_data.topic,
                needs_manager_approval=course_data.needs_manager_approval,
                status="published",
            )
            created["courses"] += 1
        # Sessions to come made by an earlier seed are kept: a seed on a later day would otherwise add dates that
        # fall on the earlier seed's sessions of other courses in the same room.
        upcoming = list(Session.objects.filter(course=course, starts_at__gte=timezone.now()).order_by("starts_at"))
        for index, weeks in enumerate((3 + number, 8 + number)):
            day = _next_weekday(today, weeks)
            starts = timezone.make_aware(datetime.combine(day, time(9, 30)))
            ends = starts + timedelta(hours=float(course_data.hours))
            session = upcoming[index] if index < len(upcoming) else None
            if session is None:
                session = offer.schedule_session(
                    course, actor=None, capacity=course_data.capacity, parts=[PartSpec(starts, ends, venue)]
                )
                created["sessions"] += 1
                if trainer is not None and slug in ("leeds", "bradford") and course_data.topic in trainer.topics:
                    board = current_board()
                    if not TrainerAssignment.objects.filter(board=board, session_id=session.pk).exists():
                        offer.assign_trainer(session, trainer, role="lead", actor=None)
            if index == 0:  # the people of the demo book the first date of each course
                _ensure_bookings(slug, session, course_data, created)


def _ensure_bookings(slug: str, session: Session, course_data: CourseData, created: Counter[str]) -> None:
    for email in BOOKERS.get(slug, ()):
        person = User.objects.filter(email=email).first()
        if person is None or Booking.objects.filter(session=session, user=person).exists():
            continue
        manager = "team.manager@leeds.demo" if course_data.needs_manager_approval else ""
        booking.book(session, person, actor=person, job_role="Social worker", line_manager_email=manager)
        created["bookings"] += 1
    # Leeds' agency training manager has booked a newly qualified social worker (an account made for him).
    team_manager, board = User.objects.filter(email=TEAM_MANAGER).first(), current_board()
    if slug != "leeds" or team_manager is None or board is None or course_data.needs_manager_approval:
        return
    if not Booking.objects.filter(session=session, user__email=STAFF_BOOKED[0]).exists():
        team.book_staff(
            session,
            manager=team_manager,
            board=board,
            email=STAFF_BOOKED[0],
            full_name=STAFF_BOOKED[1],
            job_role="Newly qualified social worker",
        )
        created["bookings"] += 1
