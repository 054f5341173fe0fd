"""Capacity under concurrency, on real PostgreSQL with real threads: 200 people booking 20 places at the same
moment end with exactly 20 booked and 180 waiting, numbered 1 to 180 in the order their bookings were taken,
round after round. Each thread has its own database connection, as each web request would."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from conftest import World
from shared_apps.accounts.models import User
from shared_apps.learning_record.models import BookingEntry
from tenant_apps.booking import services
from tenant_apps.booking.models import Booking
from tenant_apps.offer import services as offer
from tenant_apps.offer.models import Course, Session
from tenant_apps.offer.services import PartSpec
from tenant_apps.scheduling.models import DueWork
from tenants.cross_board import inside_board, run_in_board

PEOPLE = 200
PLACES = 20
ROUNDS = 8
STARTS = datetime(2031, 6, 2, 9, 30, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def crowd(world: World, django_db_blocker: Any) -> Iterator[tuple[list[User], list[Session]]]:
    """200 people and one 20-place session per round, committed (the threads read them on their own
    connections), removed afterwards. Accounts are never deleted, so they are reused from run to run."""
    board = world.boards["leeds"]
    with django_db_blocker.unblock():
        people = []
        for number in range(PEOPLE):
            user, _ = User.objects.get_or_create(
                email=f"crowd{number}@race.test", defaults={"full_name": f"Crowd {number}"}
            )
            people.append(user)

        def schedule() -> list[Session]:
            course = offer.save_course(
                actor=None,
                title="Race: safeguarding in a rush",
                summary="Level 1",
                intervention_type="classroom",
                duration_hours=Decimal("2"),
                topic="neglect",
                status="published",
            )
            return [
                offer.schedule_session(
                    course,
                    actor=None,
                    capacity=PLACES,
                    parts=[PartSpec(STARTS + timedelta(days=n), STARTS + timedelta(days=n, hours=2), None)],
                )
                for n in range(ROUNDS)
            ]

        sessions = run_in_board(board, schedule)
        try:
            yield people, sessions
        finally:

            def remove() -> None:
                booking_ids = list(
                    Booking.objects.filter(session__course__title="Race: safeguarding in a rush").values_list(
                        "pk", flat=True
                    )
                )
                BookingEntry.objects.filter(booking_id__in=booking_ids).delete()  # the people's learning records
                DueWork.objects.filter(key__in=[str(session.pk) for session in sessions]).delete()  # reminders
                Booking.objects.filter(session__course__title="Race: safeguarding in a rush").delete()
                Session.objects.filter(course__title="Race: safeguarding in a rush").delete()
                Course.objects.filter(title="Race: safeguarding in a rush").delete()

            run_in_board(board, remove)
            connection.close()


def test_200_people_booking_20_places_at_once_give_20_booked_and_180_waiting_in_order(
    world: World, crowd: tuple[list[User], list[Session]], django_db_blocker: Any
) -> None:
    people, sessions = crowd
    board = world.boards["leeds"]
    with django_db_blocker.unblock():
        for session in sessions:
            barrier = threading.Barrier(PEOPLE)
            outcomes: dict[int, str] = {}
            errors: list[BaseException] = []

            def attempt(
                person: User,
                session: Session = session,
                barrier: threading.Barrier = barrier,
                outcomes: dict[int, str] = outcomes,
                errors: list[BaseException] = errors,
            ) -> None:
                try:
                    with inside_board(board):
                        barrier.wait(timeout=60)
                        outcomes[person.pk] = services.book(session, person, actor=person).status
                except BaseException as error:
                    errors.append(error)
                finally:
                    connection.close()

            threads = [threading.Thread(target=attempt, args=(person,)) for person in people]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)

            assert not errors, errors[:3]
            assert len(outcomes) == PEOPLE
            rows = run_in_board(board, lambda session=session: list(Booking.objects.filter(session=session)))
            booked = [row for row in rows if row.status == Booking.Status.CONFIRMED]
            waiting = sorted((row for row in rows if row.status == Booking.Status.WAITING), key=lambda r: r.booked_at)
            assert len(booked) == PLACES and sum(row.holds_place for row in rows) == PLACES
            assert len(waiting) == PEOPLE - PLACES
            # The waiting list's numbers are 1..180 in the order the bookings were taken (each under the lock).
            assert [row.queue_position for row in waiting] == list(range(1, PEOPLE - PLACES + 1))
            assert max(row.booked_at for row in booked) <= min(row.booked_at for row in waiting)
            assert sorted(outcomes.values()).count("confirmed") == PLACES
