"""The shared trainer pool: a trainer is never in two places at once, across every board, even under a race."""

import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from conftest import World
from shared_apps.agencies.models import Agency
from shared_apps.trainers import services as pool
from shared_apps.trainers.models import BoardService, TrainerAssignment, TrainerProfile
from shared_apps.trainers.selectors import co_trainer_suggestions, hours_lent_by_agency
from tenant_apps.offer import services as offer
from tenant_apps.offer.models import Course, Session, Venue
from tenant_apps.offer.services import PartSpec
from tenants.cross_board import inside_board, run_in_board

LONDON = ZoneInfo("Europe/London")
MORNING = (datetime(2031, 3, 3, 9, 30, tzinfo=LONDON), datetime(2031, 3, 3, 12, 30, tzinfo=LONDON))


def _trainer(world: World, email: str, agency: Agency, boards: list[str], topics: list[str]) -> TrainerProfile:
    from shared_apps.accounts.services import create_user

    user = create_user(email, email.split("@")[0].replace(".", " ").title(), "correct horse battery staple")
    profile = pool.save_profile(
        user,
        actor=None,
        home_agency=agency,
        job_role="Safeguarding nurse",
        topics=topics,
        trained_as_trainer_on=date(2030, 1, 10),
    )
    for slug in boards:
        service = pool.offer_to_serve(profile, world.boards[slug], actor=user)
        pool.decide_service(service, approve=True, actor=world.user("coordinator", slug))
    return profile


def _session(
    world: World,
    slug: str,
    times: tuple[datetime, datetime] = MORNING,
    venue: Venue | None = None,
    topic: str = "neglect",
    capacity: int = 20,
) -> Session:
    def make() -> Session:
        course = offer.save_course(
            actor=None,
            title=f"Neglect: recognising and responding ({slug})",
            summary="Level 3 neglect course",
            intervention_type="classroom",
            duration_hours=Decimal("3"),
            topic=topic,
            status="published",
        )
        return offer.schedule_session(course, actor=None, capacity=capacity, parts=[PartSpec(*times, venue)])

    return run_in_board(world.boards[slug], make)


def _assign(world: World, slug: str, session: Session, profile: TrainerProfile, role: str = "lead") -> None:
    run_in_board(world.boards[slug], lambda: offer.assign_trainer(session, profile, role=role, actor=None))


# --- in a rolled-back transaction --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_trainer_booked_in_leeds_cannot_be_booked_in_bradford_at_the_same_time(world: World) -> None:
    nurse = _trainer(world, "sam.nurse@nhs.test", world.agencies["health"], ["leeds", "bradford"], ["neglect"])
    _assign(world, "leeds", _session(world, "leeds"), nurse)
    overlapping = (MORNING[0] + timedelta(hours=2), MORNING[1] + timedelta(hours=2))
    bradford = _session(world, "bradford", overlapping)

    with pytest.raises(ValidationError) as error:
        _assign(world, "bradford", bradford, nurse)

    message = error.value.message_dict["trainer"][0]
    assert "already booked at that time" in message and "Leeds" in message and "3 March 2031" in message
    assert TrainerAssignment.objects.filter(trainer=nurse).count() == 1


@pytest.mark.django_db
def test_back_to_back_sessions_are_fine(world: World) -> None:
    nurse = _trainer(world, "sam.nurse@nhs.test", world.agencies["health"], ["leeds", "bradford"], ["neglect"])
    _assign(world, "leeds", _session(world, "leeds"), nurse)
    afternoon = (MORNING[1], MORNING[1] + timedelta(hours=3))
    _assign(world, "bradford", _session(world, "bradford", afternoon), nurse)
    assert TrainerAssignment.objects.filter(trainer=nurse).count() == 2


@pytest.mark.django_db
def test_an_unapproved_or_unaccredited_trainer_is_refused_with_the_reason(world: World) -> None:
    nurse = _trainer(world, "sam.nurse@nhs.test", world.agencies["health"], ["leeds"], ["neglect"])
    with pytest.raises(ValidationError, match="not approved to train for Croydon"):
        _assign(world, "croydon", _session(world, "croydon"), nurse)

    pool.save_profile(nurse.user, actor=None, accreditation_expires_on=date(2031, 1, 31))
    nurse.refresh_from_db()
    with pytest.raises(ValidationError, match="accreditation expired on 31 January 2031"):
        _assign(world, "leeds", _session(world, "leeds"), nurse)


@pytest.mark.django_db
def test_a_trainer_on_leave_is_refused(world: World) -> None:
    nurse = _trainer(world, "sam.nurse@nhs.test", world.agencies["health"], ["leeds"], ["neglect"])
    pool.add_blackout(nurse, actor=None, starts_on=date(2031, 3, 1), ends_on=date(2031, 3, 7), reason="annual leave")
    with pytest.raises(ValidationError, match="unavailable from 1 March to 7 March 2031 \\(annual leave\\)"):
        _assign(world, "leeds", _session(world, "leeds"), nurse)


@pytest.mark.django_db
def test_declining_or_cancelling_frees_the_trainers_time(world: World) -> None:
    nurse = _trainer(world, "sam.nurse@nhs.test", world.agencies["health"], ["leeds", "bradford"], ["neglect"])
    leeds = _session(world, "leeds")
    _assign(world, "leeds", leeds, nurse)
    assignment = TrainerAssignment.objects.get(trainer=nurse)
    pool.respond_to_assignment(assignment, accept=False, actor=nurse.user)
    _assign(world, "bradford", _session(world, "bradford"), nurse)  # free again

    other = _session(world, "leeds", (MORNING[0] + timedelta(days=7), MORNING[1] + timedelta(days=7)))
    _assign(world, "leeds", other, nurse)
    run_in_board(world.boards["leeds"], lambda: offer.cancel_session(other, actor=None, reason="Trainer unwell"))
    assert not TrainerAssignment.objects.filter(session_id=other.pk, status__in=TrainerAssignment.HOLDS_TIME).exists()


@pytest.mark.django_db
def test_co_trainers_are_suggested_from_another_agency_who_cover_the_topic_and_are_free(world: World) -> None:
    lead = _trainer(world, "sam.nurse@nhs.test", world.agencies["health"], ["leeds"], ["Neglect"])
    police = _trainer(
        world, "pat.officer@police.test", world.agencies["police"], ["leeds", "bradford"], ["neglect", "cse"]
    )
    _trainer(world, "alex.health@nhs.test", world.agencies["health"], ["leeds"], ["neglect"])  # same agency
    _trainer(world, "jo.school@school.test", world.agencies["education"], ["leeds"], ["online safety"])  # topic
    busy = _trainer(
        world, "kim.social@council.test", world.agencies["childrens_social_care"], ["leeds", "bradford"], ["neglect"]
    )
    _assign(world, "bradford", _session(world, "bradford"), busy)

    suggestions = co_trainer_suggestions(
        world.boards["leeds"],
        topic="neglect",
        periods=[MORNING],
        exclude_agency_id=lead.home_agency_id,
        exclude_trainer_id=lead.pk,
    )
    assert list(suggestions) == [police]

    # A two-part session a week apart: busy in between is still free, busy in the second part is not.
    week_later = (MORNING[0] + timedelta(days=7), MORNING[1] + timedelta(days=7))
    between = (MORNING[0] + timedelta(days=3), MORNING[1] + timedelta(days=3))
    _assign(world, "bradford", _session(world, "bradford", between), police)
    two_parts = {"topic": "neglect", "periods": [MORNING, week_later], "exclude_agency_id": lead.home_agency_id}
    assert list(co_trainer_suggestions(world.boards["leeds"], **two_parts)) == [police]
    _assign(world, "bradford", _session(world, "bradford", week_later), police)
    assert list(co_trainer_suggestions(world.boards["leeds"], **two_parts)) == []


@pytest.mark.django_db
def test_hours_lent_are_counted_per_agency(world: World) -> None:
    nurse = _trainer(world, "sam.nurse@nhs.test", world.agencies["health"], ["leeds", "bradford"], ["neglect"])
    _assign(world, "leeds", _session(world, "leeds"), nurse)
    _assign(
        world,
        "bradford",
        _session(world, "bradford", (MORNING[0] + timedelta(days=1), MORNING[1] + timedelta(days=1))),
        nurse,
    )
    for assignment in TrainerAssignment.objects.filter(trainer=nurse):
        pool.respond_to_assignment(assignment, accept=True, actor=nurse.user)
    rows = hours_lent_by_agency(date(2031, 3, 1), date(2031, 3, 31))
    assert rows == [{"agency": world.agencies["health"].name, "hours": Decimal("6.0")}]
    assert hours_lent_by_agency(date(2031, 3, 1), date(2031, 3, 31), board=world.boards["leeds"])[0]["hours"] == 3


@pytest.mark.django_db
def test_no_two_sessions_in_one_room_at_once(world: World) -> None:
    def make() -> Any:
        room = offer.save_venue(actor=None, name="Civic Hall", room="Committee Room 2", address="Leeds", capacity=25)
        course = offer.save_course(
            actor=None,
            title="Neglect",
            summary="s",
            intervention_type="classroom",
            duration_hours=Decimal("3"),
            topic="neglect",
        )
        offer.schedule_session(course, actor=None, capacity=20, parts=[PartSpec(*MORNING, room)])
        with pytest.raises(ValidationError) as error:
            offer.schedule_session(
                course, actor=None, capacity=20, parts=[PartSpec(MORNING[0] + timedelta(hours=1), MORNING[1], room)]
            )
        return error.value.message_dict

    errors = run_in_board(world.boards["leeds"], make)
    assert errors["parts"] == ["Civic Hall, Committee Room 2 is already booked then for “Neglect” (3 March 09:30)."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("times", "capacity", "field", "message"),
    [
        ((MORNING[1], MORNING[0]), 20, "parts", "The session must end after it starts."),
        (MORNING, 0, "capacity", "Ensure this value is greater than or equal to 1."),
        (MORNING, 40, "capacity", "holds 25 people; the session's capacity of 40 is more than that."),
    ],
)
def test_impossible_sessions_are_refused_with_a_reason(
    world: World, times: tuple[datetime, datetime], capacity: int, field: str, message: str
) -> None:
    def make() -> dict[str, list[str]]:
        room = offer.save_venue(actor=None, name="Civic Hall", address="Leeds", capacity=25)
        course = offer.save_course(
            actor=None,
            title="Neglect",
            summary="s",
            intervention_type="classroom",
            duration_hours=Decimal("3"),
            topic="neglect",
        )
        with pytest.raises(ValidationError) as error:
            offer.schedule_session(course, actor=None, capacity=capacity, parts=[PartSpec(*times, room)])
        assert Session.objects.count() == 0
        return error.value.message_dict

    errors = run_in_board(world.boards["leeds"], make)
    assert any(message in text for text in errors[field]), errors


# --- real threads, real PostgreSQL --------------------------------------------------------------------------------


@pytest.fixture
def racing_sessions(world: World, django_db_blocker: Any) -> Iterator[tuple[TrainerProfile, list[Session]]]:
    """Committed: a trainer approved for Leeds and Bradford, and one overlapping session in each, per round."""
    with django_db_blocker.unblock():
        nurse = _trainer(world, "race.nurse@nhs.test", world.agencies["health"], ["leeds", "bradford"], ["neglect"])
        sessions = []
        for round_number in range(8):
            day = timedelta(days=round_number)
            sessions.append(_session(world, "leeds", (MORNING[0] + day, MORNING[1] + day)))
            sessions.append(
                _session(
                    world, "bradford", (MORNING[0] + day + timedelta(hours=1), MORNING[1] + day + timedelta(hours=1))
                )
            )
        yield nurse, sessions
        TrainerAssignment.objects.filter(trainer=nurse).delete()
        for slug in ("leeds", "bradford"):

            def clean(slug: str = slug) -> None:
                Session.objects.filter(course__title__endswith=f"({slug})").delete()
                Course.objects.filter(title__endswith=f"({slug})").delete()

            run_in_board(world.boards[slug], clean)
        BoardService.objects.filter(trainer=nurse).delete()
        user = nurse.user
        nurse.delete()
        # Accounts are never deleted (board rows point at them); give the address back for the next run.
        user.email, user.is_active = f"raced-{user.pk}@deactivated.test", False
        user.save(update_fields=["email", "is_active"])


def test_two_coordinators_racing_to_book_one_trainer_end_with_one_booking(
    world: World, racing_sessions: tuple[TrainerProfile, list[Session]], django_db_blocker: Any
) -> None:
    nurse, sessions = racing_sessions
    with django_db_blocker.unblock():
        for round_number in range(8):
            leeds, bradford = sessions[2 * round_number], sessions[2 * round_number + 1]
            barrier = threading.Barrier(2)
            outcomes: dict[str, str] = {}

            def book(
                slug: str,
                session: Session,
                barrier: threading.Barrier = barrier,
                outcomes: dict[str, str] = outcomes,
            ) -> None:
                try:
                    with inside_board(world.boards[slug]):
                        barrier.wait(timeout=10)
                        offer.assign_trainer(session, nurse, role="lead", actor=None)
                    outcomes[slug] = "booked"
                except ValidationError as exc:
                    outcomes[slug] = exc.message_dict["trainer"][0]
                finally:
                    connection.close()

            threads = [threading.Thread(target=book, args=args) for args in (("leeds", leeds), ("bradford", bradford))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)

            assert sorted(outcomes.values(), key=lambda v: v != "booked")[0] == "booked", outcomes
            refused = [value for value in outcomes.values() if value != "booked"]
            assert len(refused) == 1 and "already booked at that time" in refused[0], outcomes
            held = TrainerAssignment.objects.filter(
                trainer=nurse, session_id__in=[leeds.pk, bradford.pk], status__in=TrainerAssignment.HOLDS_TIME
            )
            assert held.count() == 1
