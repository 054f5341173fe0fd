"""A session's new dates, times or venues are emailed to the people booked and waiting, once per change; the people
booked get the invitation again, with the same UIDs and a higher SEQUENCE, so that their calendars move the
events rather than add new ones."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import icalendar
import pytest
from django.core import mail

from conftest import World
from tenant_apps.booking import services
from tenant_apps.booking.emails import deliver
from tenant_apps.booking.models import Booking, BookingEmail
from tenant_apps.offer import services as offer
from tenant_apps.offer.models import Session
from tenant_apps.offer.services import PartSpec
from tests.test_booking import MORNING, _approval_session, _book, _in, _people, _session

pytestmark = pytest.mark.django_db
TITLE = "Neglect: recognising and responding"


def _parts(world: World, session: Session) -> list[PartSpec]:
    def read() -> list[PartSpec]:
        return [PartSpec(p.during.lower, p.during.upper, p.venue) for p in session.parts.select_related("venue")]

    return list(_in(world, "leeds", read))


def _move(world: World, session: Session, *, days: int) -> None:
    """Move every part of the session `days` later, as the session's edit page does (all its fields, all parts)."""
    later = [
        PartSpec(p.starts + timedelta(days=days), p.ends + timedelta(days=days), p.venue)
        for p in _parts(world, session)
    ]
    _in(world, "leeds", lambda: offer.update_session(session, actor=None, parts=later))


def _events(message: Any) -> list[Any]:
    (name, content, mimetype) = message.attachments[0]
    assert name == "invite.ics" and mimetype.startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar["method"] == ("CANCEL" if "method=CANCEL" in mimetype else "REQUEST")
    return list(calendar.walk("VEVENT"))


def _sent_to(email: str) -> list[Any]:
    return [message for message in mail.outbox if message.to == [email]]


def _booked_and_waiting(world: World, django_capture_on_commit_callbacks: Any) -> tuple[Session, list[Any]]:
    """A two-part session with two people booked and one waiting; the outbox keeps only the confirmations."""
    session = _session(world, capacity=2)
    people = _people(3)
    with django_capture_on_commit_callbacks(execute=True):
        for person in people:
            _book(world, session, person)
    mail.outbox[:] = [message for message in mail.outbox if message.subject.startswith("Booking confirmed")]
    return session, people


def test_moving_a_session_sends_each_person_booked_the_invitation_again_to_move_their_events(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    session, (first, second, waiting) = _booked_and_waiting(world, django_capture_on_commit_callbacks)
    confirmations = {message.to[0]: _events(message) for message in mail.outbox}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _move(world, session, days=14)

    assert sorted(message.to[0] for message in mail.outbox) == sorted([first.email, second.email, waiting.email])
    for person in (first, second):
        (changed,) = _sent_to(person.email)
        assert changed.subject == f"Session changed: {TITLE}"
        assert "Tuesday 18 March 2031, 9:30am to 12:30pm" in changed.body  # two weeks on from 4 March
        assert "Tuesday 25 March 2031" in changed.body and "Civic Hall, Calverley Street" in changed.body
        moved, confirmed = _events(changed), confirmations[person.email]
        assert [str(e["uid"]) for e in moved] == [str(e["uid"]) for e in confirmed]
        assert all(int(e["sequence"]) > int(old["sequence"]) for e, old in zip(moved, confirmed, strict=True))
        assert moved[0]["dtstart"].dt == MORNING + timedelta(days=14)
        assert str(moved[0]["status"]) == "CONFIRMED"
    # Once for the change: the task run again sends nothing.
    booking = _in(world, "leeds", lambda: Booking.objects.get(user=first))
    change = _in(world, "leeds", lambda: Session.objects.get(pk=session.pk).schedule_changes)
    again = _in(
        world, "leeds", lambda: deliver(str(booking.pk), BookingEmail.Kind.SESSION_CHANGED, first.pk, change=change)
    )
    assert again is False and len(_sent_to(first.email)) == 1


def test_people_waiting_are_told_the_new_dates_without_an_invitation(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    session, (*_, waiting) = _booked_and_waiting(world, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _move(world, session, days=14)
    (told,) = _sent_to(waiting.email)
    assert told.subject == f"Session changed: {TITLE}" and not told.attachments
    assert "you are on the waiting list for" in told.body and "still number 1 on its waiting list" in told.body
    assert "Tuesday 18 March 2031, 9:30am to 12:30pm" in told.body


def test_a_place_waiting_for_the_managers_approval_is_told_without_an_invitation(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    session = _approval_session(world)
    person = _people(1)[0]
    _book(world, session, person, line_manager_email="manager@school.test")
    with django_capture_on_commit_callbacks(execute=True):
        _move(world, session, days=7)
    (told,) = _sent_to(person.email)
    assert told.subject == f"Session changed: {TITLE}" and not told.attachments
    assert "still held until your line manager answers" in told.body


def test_each_move_is_a_new_email_with_a_higher_sequence_and_a_cancellation_is_higher_still(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    session, (first, *_) = _booked_and_waiting(world, django_capture_on_commit_callbacks)
    sequences = [int(_events(_sent_to(first.email)[0])[0]["sequence"])]
    for days in (14, 7):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            _move(world, session, days=days)
        (changed,) = _sent_to(first.email)
        sequences.append(int(_events(changed)[0]["sequence"]))
    assert sequences[0] < sequences[1] < sequences[2]
    assert "Tuesday 25 March 2031, 9:30am" in changed.body  # three weeks on, in all

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _in(world, "leeds", lambda: services.cancel_booking(Booking.objects.get(user=first), actor=first))
    (cancelled,) = _sent_to(first.email)
    assert all(int(event["sequence"]) > sequences[-1] for event in _events(cancelled))
    booking = _in(world, "leeds", lambda: Booking.objects.get(user=first))
    assert (
        _in(world, "leeds", lambda: BookingEmail.objects.filter(booking=booking, kind="session_changed").count()) == 2
    )


def test_a_new_room_is_a_change_but_new_places_notes_or_joining_details_are_not(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    session, (first, *_) = _booked_and_waiting(world, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    same_parts = _parts(world, session)
    with django_capture_on_commit_callbacks(execute=True):
        _in(
            world,
            "leeds",
            lambda: offer.update_session(
                session,
                actor=None,
                parts=same_parts,
                capacity=3,
                notes="Bring a laptop",
                online_joining_details="Parking behind the hall",
            ),
        )
    assert not any(message.subject.startswith("Session changed") for message in mail.outbox)
    assert [message.subject for message in mail.outbox] == [f"A place has come free for you: {TITLE}"]
    assert _in(world, "leeds", lambda: Session.objects.get(pk=session.pk).schedule_changes) == 0

    mail.outbox.clear()
    annexe = _in(
        world,
        "leeds",
        lambda: offer.save_venue(actor=None, name="Civic Hall annexe", address="Calverley Street", capacity=30),
    )
    new_room = [PartSpec(part.starts, part.ends, annexe) for part in same_parts]
    with django_capture_on_commit_callbacks(execute=True):
        _in(world, "leeds", lambda: offer.update_session(session, actor=None, parts=new_room))
    (changed,) = _sent_to(first.email)
    assert "Civic Hall annexe" in changed.body
    assert all("Civic Hall annexe" in str(event["location"]) for event in _events(changed))


def test_an_email_for_a_change_overtaken_by_another_is_not_sent(world: World) -> None:
    session = _session(world, capacity=1)
    person = _people(1)[0]
    booking = _book(world, session, person)
    _move(world, session, days=7)
    _move(world, session, days=7)
    mail.outbox.clear()
    sent = [
        _in(world, "leeds", lambda change=change: deliver(str(booking.pk), "session_changed", person.pk, change=change))
        for change in (1, 2, 2)
    ]
    assert sent == [False, True, False] and len(mail.outbox) == 1
