"""Booking: places and the waiting list, cancelling and promotion, moving and substituting, emails with calendar
invitations, and the API, on real board schemas."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from conftest import World, api_client
from shared_apps.accounts.services import create_user, grant_membership
from shared_apps.audit.models import AuditEvent
from tenant_apps.audiences import services as audiences
from tenant_apps.booking import services
from tenant_apps.booking.emails import deliver
from tenant_apps.booking.models import Booking, BookingEmail
from tenant_apps.offer import selectors as offer_selectors
from tenant_apps.offer import services as offer
from tenant_apps.offer.models import Session
from tenant_apps.offer.services import PartSpec
from tenants.cross_board import run_in_board

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
MORNING = datetime(2031, 3, 4, 9, 30, tzinfo=LONDON)


def _in(world: World, slug: str, work: Any) -> Any:
    return run_in_board(world.boards[slug], work)


def _session(
    world: World, slug: str = "leeds", *, capacity: int = 2, waiting_list: bool = True, starts: datetime = MORNING
) -> Session:
    def make() -> Session:
        course = offer.save_course(
            actor=None,
            title="Neglect: recognising and responding",
            summary="Level 3",
            intervention_type="classroom",
            duration_hours=Decimal("3"),
            topic="neglect",
            status="published",
        )
        room = offer.save_venue(actor=None, name="Civic Hall", address="Calverley Street", capacity=30)
        parts = [
            PartSpec(starts, starts + timedelta(hours=3), room),
            PartSpec(starts + timedelta(days=7), starts + timedelta(days=7, hours=3), room),
        ]
        return offer.schedule_session(course, actor=None, capacity=capacity, has_waiting_list=waiting_list, parts=parts)

    return _in(world, slug, make)


def _people(count: int, prefix: str = "worker") -> list[Any]:
    return [
        create_user(f"{prefix}{n}@school.test", f"{prefix.title()} {n}", "correct horse battery staple")
        for n in range(count)
    ]


def _book(world: World, session: Session, person: Any, slug: str = "leeds", **details: Any) -> Booking:
    return _in(world, slug, lambda: services.book(session, person, actor=person, **details))


def _statuses(world: World, session: Session, slug: str = "leeds") -> list[tuple[str, str, int | None]]:
    def read() -> list[tuple[str, str, int | None]]:
        rows = Booking.objects.filter(session=session).select_related("user").order_by("booked_at")
        return [(row.user.email, row.status, row.queue_position) for row in rows]

    return _in(world, slug, read)


def _places_left(world: World, session: Session) -> int:
    def read() -> int:
        row: Any = offer_selectors.with_places(Session.objects.filter(pk=session.pk)).get()
        return int(row.places_left)

    return _in(world, "leeds", read)


# --- places and the waiting list --------------------------------------------------------------------------------


def test_places_go_first_then_the_waiting_list_in_arrival_order(world: World) -> None:
    session = _session(world, capacity=2)
    people = _people(4)
    for person in people:
        _book(world, session, person)

    assert _statuses(world, session) == [
        ("worker0@school.test", "confirmed", None),
        ("worker1@school.test", "confirmed", None),
        ("worker2@school.test", "waiting", 1),
        ("worker3@school.test", "waiting", 2),
    ]
    assert _places_left(world, session) == 0


def test_one_live_booking_per_person_per_session(world: World) -> None:
    session = _session(world, capacity=1)
    first, second = _people(2)
    _book(world, session, first)
    _book(world, session, second)
    with pytest.raises(ValidationError, match="You are already booked on this session"):
        _book(world, session, first)
    with pytest.raises(ValidationError, match="You are already on the waiting list for this session"):
        _book(world, session, second)
    booking = _in(world, "leeds", lambda: Booking.objects.get(user=first))
    _in(world, "leeds", lambda: services.cancel_booking(booking, actor=first))
    # Cancelled, the person may book again (and queues behind the person promoted into their place).
    again = _book(world, session, first)
    assert again.status == Booking.Status.WAITING


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"waiting_list": False}, "This session is full and has no waiting list."),
        ({"starts": datetime(2020, 3, 4, 9, 30, tzinfo=LONDON)}, "already started"),
    ],
)
def test_sessions_that_cannot_be_booked_say_why_and_save_nothing(
    world: World, change: dict[str, Any], message: str
) -> None:
    full_or_past = _session(world, capacity=1, **change)
    first, second = _people(2)
    if "waiting_list" in change:
        _book(world, full_or_past, first)
    with pytest.raises(ValidationError, match=message):
        _book(world, full_or_past, second)
    assert all(email != second.email for email, *_ in _statuses(world, full_or_past))


def test_cancelled_closed_and_unpublished_sessions_are_refused(world: World) -> None:
    person = _people(1)[0]
    cancelled = _session(world)
    _in(world, "leeds", lambda: offer.cancel_session(cancelled, actor=None, reason="Trainer unwell"))
    with pytest.raises(ValidationError, match="This session has been cancelled"):
        _book(world, cancelled, person)

    closed = _session(world)
    _in(
        world,
        "leeds",
        lambda: offer.update_session(closed, actor=None, booking_closes_at=datetime(2025, 1, 1, tzinfo=LONDON)),
    )
    with pytest.raises(ValidationError, match="Booking for this session closed on Wednesday 1 January 2025"):
        _book(world, closed, person)

    draft = _session(world)
    _in(world, "leeds", lambda: offer.save_course(draft.course, actor=None, status="draft"))
    with pytest.raises(ValidationError, match="This course is not open for booking"):
        _book(world, draft, person)


def test_a_cancellation_promotes_the_next_person_and_a_chain_follows(world: World) -> None:
    session = _session(world, capacity=1)
    first, second, third = _people(3)
    for person in (first, second, third):
        _book(world, session, person)

    def cancel(person: Any) -> None:
        booking = Booking.objects.get(user=person, status__in=Booking.LIVE)
        services.cancel_booking(booking, actor=person, reason="Clash with a case conference")

    _in(world, "leeds", lambda: cancel(first))
    assert _statuses(world, session)[1:] == [
        ("worker1@school.test", "confirmed", None),
        ("worker2@school.test", "waiting", 1),
    ]
    _in(world, "leeds", lambda: cancel(second))
    assert _statuses(world, session) == [
        ("worker0@school.test", "cancelled", None),
        ("worker1@school.test", "cancelled", None),
        ("worker2@school.test", "confirmed", None),
    ]
    promoted = _in(world, "leeds", lambda: AuditEvent.objects.filter(action="booking.promoted").count())
    assert promoted == 2


def test_leaving_the_waiting_list_promotes_nobody_and_keeps_the_order(world: World) -> None:
    session = _session(world, capacity=1)
    people = _people(4)
    for person in people:
        _book(world, session, person)
    leaving = _in(world, "leeds", lambda: Booking.objects.get(user=people[2]))
    _in(world, "leeds", lambda: services.cancel_booking(leaving, actor=people[2]))
    assert [row[1:] for row in _statuses(world, session)] == [
        ("confirmed", None),
        ("waiting", 1),
        ("cancelled", None),
        ("waiting", 2),
    ]


def test_more_places_promote_people_waiting(world: World) -> None:
    session = _session(world, capacity=1)
    for person in _people(3):
        _book(world, session, person)
    _in(world, "leeds", lambda: offer.update_session(session, actor=None, capacity=2))
    assert [row[1] for row in _statuses(world, session)] == ["confirmed", "confirmed", "waiting"]


def test_a_cancelled_session_cancels_its_bookings(world: World) -> None:
    session = _session(world, capacity=1)
    for person in _people(2):
        _book(world, session, person)
    _in(world, "leeds", lambda: offer.cancel_session(session, actor=None, reason="Trainer unwell"))
    rows = _in(world, "leeds", lambda: list(Booking.objects.filter(session=session)))
    assert {row.status for row in rows} == {"cancelled"}
    assert all(row.cancel_reason == "The session was cancelled: Trainer unwell" for row in rows)
    assert not any(row.cancelled_late for row in rows)


def test_cancelling_within_two_days_of_the_start_is_late(world: World) -> None:
    session = _session(world, capacity=2)
    early, late = _people(2)
    _book(world, session, early)
    _book(world, session, late)
    with time_machine.travel(MORNING - timedelta(days=10), tick=False):
        done_early = _in(world, "leeds", lambda: services.cancel_booking(Booking.objects.get(user=early), actor=early))
    with time_machine.travel(MORNING - timedelta(hours=20), tick=False):
        done_late = _in(world, "leeds", lambda: services.cancel_booking(Booking.objects.get(user=late), actor=late))
    assert not done_early.cancelled_late and done_late.cancelled_late
    assert done_late.cancelled_at == MORNING - timedelta(hours=20)
    with time_machine.travel(MORNING + timedelta(minutes=5), tick=False):
        again = _book(world, _session(world, starts=MORNING + timedelta(days=30)), early)
        with pytest.raises(ValidationError):
            _in(world, "leeds", lambda: services.cancel_booking(done_late, actor=late))
    assert again.status == "confirmed"


def test_reordering_the_waiting_list_needs_a_reason_that_is_audited(world: World) -> None:
    session = _session(world, capacity=1)
    people = _people(4)
    for person in people:
        _book(world, session, person)
    coordinator = world.user("coordinator", "leeds")
    last = _in(world, "leeds", lambda: Booking.objects.get(user=people[3]))
    with pytest.raises(ValidationError, match="Say why"):
        _in(world, "leeds", lambda: services.move_in_waiting_list(last, position=1, reason=" ", actor=coordinator))
    _in(
        world,
        "leeds",
        lambda: services.move_in_waiting_list(
            last, position=1, reason="Needs it for a new DSL role", actor=coordinator
        ),
    )
    assert [row[0] for row in _statuses(world, session) if row[1] == "waiting"] == [
        "worker1@school.test",
        "worker2@school.test",
        "worker3@school.test",
    ]
    queue = {row[0]: row[2] for row in _statuses(world, session)}
    assert queue["worker3@school.test"] == 1 and queue["worker1@school.test"] == 2
    event = _in(world, "leeds", lambda: AuditEvent.objects.get(action="booking.waiting_list_moved"))
    assert "moved from 3 to 1" in event.summary and "Needs it for a new DSL role" in event.summary


def test_a_colleague_from_the_same_agency_takes_the_place(world: World) -> None:
    session = _session(world, capacity=1)
    booker, colleague, outsider = _people(3)
    school = world.agencies["education"]
    booking = _book(world, session, booker, agency=school)
    swapped = _in(world, "leeds", lambda: services.substitute(booking, colleague, actor=booker))
    assert swapped.user_id == colleague.pk and swapped.status == "confirmed" and swapped.agency_id == school.pk

    def police_profile() -> None:
        from shared_apps.accounts.models import Membership

        Membership.objects.create(user=outsider, board=world.boards["leeds"], role="practitioner")
        audiences.set_learner_profile(outsider, actor=outsider, agency=world.agencies["police"])

    _in(world, "leeds", police_profile)
    with pytest.raises(ValidationError, match="a substitute must come from the same agency"):
        _in(world, "leeds", lambda: services.substitute(swapped, outsider, actor=colleague))


# --- emails -----------------------------------------------------------------------------------------------------


def test_emails_carry_invitations_and_a_cancellation_removes_the_same_event(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    session = _session(world, capacity=1)
    first, second = _people(2)
    with django_capture_on_commit_callbacks(execute=True):
        _book(world, session, first)
        _book(world, session, second)
    confirmation, waiting = mail.outbox
    assert confirmation.subject == "Booking confirmed: Neglect: recognising and responding"
    assert waiting.subject == "On the waiting list: Neglect: recognising and responding"
    assert "You are number 1 on its waiting list" in waiting.body and not waiting.attachments
    invite = icalendar.Calendar.from_ical(confirmation.attachments[0][1])
    assert invite["method"] == "REQUEST"
    events = invite.walk("VEVENT")
    assert len(events) == 2  # one per dated part
    assert events[0]["dtstart"].dt == MORNING and str(events[0]["location"]) == "Civic Hall, Calverley Street"
    assert str(events[0]["attendee"]) == "mailto:worker0@school.test"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _in(world, "leeds", lambda: services.cancel_booking(Booking.objects.get(user=first), actor=first))
    cancelled, promoted = mail.outbox
    cancel = icalendar.Calendar.from_ical(cancelled.attachments[0][1])
    assert cancel["method"] == "CANCEL"
    assert [str(e["uid"]) for e in cancel.walk("VEVENT")] == [str(e["uid"]) for e in events]
    assert all(int(e["sequence"]) > int(old["sequence"]) for e, old in zip(cancel.walk("VEVENT"), events, strict=True))
    assert promoted.subject == "A place has come free for you: Neglect: recognising and responding"
    assert promoted.to == ["worker1@school.test"] and promoted.attachments


def test_an_email_is_never_sent_twice(world: World) -> None:
    session = _session(world, capacity=1)
    person = _people(1)[0]
    booking = _book(world, session, person)
    mail.outbox.clear()
    sent = [_in(world, "leeds", lambda: deliver(str(booking.pk), "confirmation", person.pk)) for _ in range(3)]
    assert sent == [True, False, False] and len(mail.outbox) == 1
    assert _in(world, "leeds", lambda: BookingEmail.objects.filter(booking=booking).count()) == 1


# --- the API ----------------------------------------------------------------------------------------------------


def test_a_leeds_practitioner_books_a_bradford_session_with_the_same_account(world: World) -> None:
    session = _session(world, "bradford", capacity=1)
    practitioner = world.user("practitioner", "leeds")
    client = api_client(practitioner, world.host("bradford"))
    created = client.post(
        "/api/v1/bookings/",
        {"session": str(session.pk), "agency": world.agencies["health"].pk, "job_role": "Health visitor"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "confirmed" and created.json()["user"] == practitioner.email
    twice = client.post("/api/v1/bookings/", {"session": str(session.pk)}, format="json")
    assert twice.status_code == 400
    assert twice.json()["error"]["fields"]["session"] == ["You are already booked on this session."]

    mine = client.get("/api/v1/bookings/").json()
    assert [row["id"] for row in mine["results"]] == [created.json()["id"]]
    # The Leeds host knows nothing of it.
    assert api_client(practitioner, world.host("leeds")).get("/api/v1/bookings/").json()["results"] == []

    cancelled = client.post(f"/api/v1/bookings/{created.json()['id']}/cancel/", {"reason": "Off sick"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_people_see_only_their_own_bookings_and_managers_see_all(world: World) -> None:
    session = _session(world, capacity=5)
    mine, theirs = _people(2)
    own = _book(world, session, mine)
    other = _book(world, session, theirs)
    client = api_client(mine, world.host("leeds"))
    assert [row["id"] for row in client.get("/api/v1/bookings/").json()["results"]] == [str(own.pk)]
    assert client.get(f"/api/v1/bookings/{other.pk}/").status_code == 404
    assert client.post(f"/api/v1/bookings/{other.pk}/cancel/", {}, format="json").status_code == 404
    manager = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
    assert {row["id"] for row in manager.get("/api/v1/bookings/").json()["results"]} == {str(own.pk), str(other.pk)}
    assert (
        manager.post(f"/api/v1/bookings/{other.pk}/move/", {"position": 1, "reason": "x"}, format="json").status_code
        == 400
    )


def test_a_coordinator_books_a_named_person_but_a_practitioner_cannot(world: World) -> None:
    session = _session(world, capacity=5)
    person = _people(1)[0]
    manager = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
    booked = manager.post("/api/v1/bookings/", {"session": str(session.pk), "person": person.email}, format="json")
    assert booked.status_code == 201 and booked.json()["user"] == person.email
    unknown = manager.post("/api/v1/bookings/", {"session": str(session.pk), "person": "nobody@x.test"}, format="json")
    assert unknown.status_code == 400 and "No one has an account" in unknown.json()["error"]["message"]
    practitioner = api_client(world.user("practitioner", "leeds"), world.host("leeds"))
    refused = practitioner.post(
        "/api/v1/bookings/", {"session": str(session.pk), "person": person.email}, format="json"
    )
    assert refused.status_code == 400 and "Only the board's coordinators" in refused.json()["error"]["message"]


def test_signed_out_people_cannot_book(world: World) -> None:
    session = _session(world)
    response = api_client(None, world.host("leeds")).post(
        "/api/v1/bookings/", {"session": str(session.pk)}, format="json"
    )
    assert response.status_code in (401, 403)


def test_the_catalogue_counts_places_taken(world: World) -> None:
    session = _session(world, capacity=3)
    for person in _people(2):
        _book(world, session, person)
    rows = api_client(None, world.host("leeds")).get("/api/v1/catalogue/sessions/").json()["results"]
    assert [row["places_left"] for row in rows if row["id"] == str(session.pk)] == [1]


# --- pages ------------------------------------------------------------------------------------------------------


def _page(world: World, user: Any, slug: str = "leeds") -> Any:
    from django.test import Client

    client = Client(HTTP_HOST=world.host(slug))
    client.force_login(user)
    return client


def test_booking_from_the_course_page_then_cancelling_from_my_bookings(world: World) -> None:
    session = _session(world, capacity=1)
    person = _people(1)[0]
    client = _page(world, person)
    course = client.get(f"/courses/{session.course.pk}/").content.decode()
    assert f'href="/courses/sessions/{session.pk}/book/">Book' in course

    form = client.get(f"/courses/sessions/{session.pk}/book/")
    assert form.status_code == 200 and "Book my place" in form.content.decode()
    wrong = client.post(f"/courses/sessions/{session.pk}/book/", {"job_role": "", "line_manager_email": "boss"})
    text = wrong.content.decode()
    assert wrong.status_code == 400
    assert "Choose the agency you work for" in text and "Enter your job role" in text
    assert "Enter your line manager" in text
    assert _statuses(world, session) == []

    done = client.post(
        f"/courses/sessions/{session.pk}/book/",
        {"agency": world.agencies["education"].pk, "job_role": "Teacher", "line_manager_email": "head@school.test"},
        follow=True,
    )
    page = done.content.decode()
    assert "You are booked on “Neglect: recognising and responding”" in page and "My bookings" in page
    booking = _in(world, "leeds", lambda: Booking.objects.get(user=person))
    assert booking.agency_id == world.agencies["education"].pk and booking.job_role == "Teacher"
    again = client.get(f"/courses/sessions/{session.pk}/book/").content.decode()
    assert "You are already booked on this session." in again

    other = _people(1, "waiter")[0]
    waited = _page(world, other).post(
        f"/courses/sessions/{session.pk}/book/",
        {"agency": world.agencies["health"].pk, "job_role": "Nurse"},
        follow=True,
    )
    assert "you are number 1 on the waiting list" in waited.content.decode()

    confirm = client.get(f"/my-bookings/{booking.pk}/cancel/")
    assert "Cancel your place on “Neglect: recognising and responding”?" in confirm.content.decode()
    assert _page(world, other).get(f"/my-bookings/{booking.pk}/cancel/").status_code == 404
    cancelled = client.post(f"/my-bookings/{booking.pk}/cancel/", {"reason": "Ofsted visit"}, follow=True)
    assert "Your booking for “Neglect: recognising and responding” is cancelled." in cancelled.content.decode()
    assert [row[1] for row in _statuses(world, session)] == ["cancelled", "confirmed"]


def test_a_course_needing_approval_says_so_before_booking_and_asks_for_the_manager(world: World) -> None:
    session = _approval_session(world)
    person = _people(1)[0]
    client = _page(world, person)
    course = client.get(f"/courses/{session.course.pk}/").content.decode()
    assert "Your line manager approves your booking" in course and "Nothing: anyone" not in course
    form = client.get(f"/courses/sessions/{session.pk}/book/").content.decode()
    assert "This course needs your line manager&#x27;s approval" in form
    details = {"agency": world.agencies["education"].pk, "job_role": "Teacher"}
    missing = client.post(f"/courses/sessions/{session.pk}/book/", details)
    assert missing.status_code == 400
    assert "Enter your line manager&#x27;s email address: this course needs their approval" in missing.content.decode()
    assert _statuses(world, session) == []
    client.post(f"/courses/sessions/{session.pk}/book/", {**details, "line_manager_email": "head@school.test"})
    assert _statuses(world, session) == [(person.email, "pending", None)]
    again = client.get(f"/courses/sessions/{session.pk}/book/").content.decode()
    assert "You have a place on this session, held until your line manager approves it." in again
    # The coordinator sees the place held, marked as waiting for approval.
    people = _page(world, world.user("coordinator", "leeds")).get(f"/offer/sessions/{session.pk}/bookings/")
    text = people.content.decode()
    assert "1 of 1 places taken" in text and "Waiting for line manager approval" in text and person.email in text
    assert 'href="/audiences/e-learning/">E-learning</a>' in text  # in the coordinators' menu
    booking = _in(world, "leeds", lambda: Booking.objects.get(user=person))
    cancelled = client.post(f"/my-bookings/{booking.pk}/cancel/", {"reason": ""}, follow=True).content.decode()
    assert "Your booking, which was waiting for your line manager&#x27;s approval, for" in cancelled


def test_booking_a_course_again_warns_of_the_other_date_first(world: World) -> None:
    first = _session(world, capacity=1)
    person = _people(1)[0]
    _book(world, first, person, job_role="Designated safeguarding lead")
    second = _in(
        world,
        "leeds",
        lambda: offer.schedule_session(
            first.course,
            actor=None,
            capacity=5,
            parts=[PartSpec(MORNING + timedelta(days=30), MORNING + timedelta(days=30, hours=3), None)],
        ),
    )
    page = _page(world, person).get(f"/courses/sessions/{second.pk}/book/").content.decode()
    assert f"You already have a place on this course on {first.starts_at:%-d %B %Y}" in page
    # With no learner profile here, the form starts from what they gave last time.
    assert 'value="Designated safeguarding lead"' in page
    assert "Book my place" in page  # a refresher stays possible
    assert (
        "already have a place"
        not in _page(world, _people(1, "fresh")[0]).get(f"/courses/sessions/{second.pk}/book/").content.decode()
    )


def test_my_bookings_are_in_date_order_whatever_their_status(world: World) -> None:
    later, sooner = _session(world, capacity=1), _session(world, capacity=1, starts=MORNING - timedelta(days=20))
    person, other = _people(2)
    _book(world, sooner, other)
    _book(world, later, person)  # booked
    _book(world, sooner, person)  # waiting, but sooner
    page = _page(world, person).get("/my-bookings/").content.decode()
    assert page.index(sooner.starts_at.strftime("%-d %B %Y")) < page.index(later.starts_at.strftime("%-d %B %Y"))


def test_managers_see_people_booked_and_move_someone_up_the_waiting_list(world: World) -> None:
    session = _session(world, capacity=1)
    people = _people(3)
    for person in people:
        _book(world, session, person)
    manager = _page(world, world.user("coordinator", "leeds"))
    page = manager.get(f"/offer/sessions/{session.pk}/bookings/").content.decode()
    assert "1 of 1 places taken; 2 waiting." in page
    assert _page(world, people[0]).get(f"/offer/sessions/{session.pk}/bookings/").status_code == 403

    last = _in(world, "leeds", lambda: Booking.objects.get(user=people[2]))
    refused = manager.post(f"/offer/bookings/{last.pk}/move/", {"position": "1", "reason": ""}, follow=True)
    assert "was not moved: Say why the waiting list is being reordered" in refused.content.decode()
    moved = manager.post(f"/offer/bookings/{last.pk}/move/", {"position": "1", "reason": "Urgent"}, follow=True)
    assert "Moved Worker 2 to number 1." in moved.content.decode()
    assert _in(world, "leeds", lambda: Booking.objects.get(pk=last.pk).queue_position) == 1


def test_signed_out_people_are_asked_to_sign_in_before_booking(world: World) -> None:
    from django.test import Client

    session = _session(world)
    response = Client(HTTP_HOST=world.host("leeds")).get(f"/courses/sessions/{session.pk}/book/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


# --- line manager approval --------------------------------------------------------------------------------------


def _approval_session(world: World, capacity: int = 1) -> Session:
    session = _session(world, capacity=capacity)
    _in(world, "leeds", lambda: offer.save_course(session.course, actor=None, needs_manager_approval=True))
    return session


def _link(message: Any) -> str:
    import re

    found = re.search(r"https?://[^/\s]+(/bookings/approval/[^\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_a_course_needing_approval_asks_the_line_manager_and_holds_the_place(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    session = _approval_session(world)
    person, next_person = _people(2)
    with pytest.raises(ValidationError, match="needs your line manager's approval"):
        _book(world, session, person)
    with django_capture_on_commit_callbacks(execute=True):
        booking = _book(world, session, person, line_manager_email="Head.Teacher@school.test")
        waiting = _book(world, session, next_person, line_manager_email="deputy@school.test")
    assert booking.status == "pending" and booking.holds_place and waiting.status == "waiting"
    request = next(m for m in mail.outbox if m.to == ["Head.Teacher@school.test"])
    assert request.subject == "Please approve a training booking: Neglect: recognising and responding"
    assert "Worker 0" in request.body and not request.attachments

    from django.test import Client

    manager = Client(HTTP_HOST=world.host("leeds"))  # no account, no sign-in
    link = _link(request)
    page = manager.get(link)
    assert page.status_code == 200 and "Do you approve this booking?" in page.content.decode()
    unanswered = manager.post(link, {})
    assert unanswered.status_code == 400 and "Choose whether to approve or decline" in unanswered.content.decode()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        declined = manager.post(link, {"decision": "decline"})
    assert "Booking declined" in declined.content.decode()
    assert [row[1] for row in _statuses(world, session)] == ["cancelled", "pending"]
    # The next person's manager is asked in turn; the first person is told.
    assert {tuple(m.to) for m in mail.outbox} == {("worker0@school.test",), ("deputy@school.test",)}
    again = manager.post(link, {"decision": "approve"})
    assert again.status_code == 400 and "no longer waiting for approval" in again.content.decode()

    deputy_link = _link(next(m for m in mail.outbox if m.to == ["deputy@school.test"]))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approved = manager.post(deputy_link, {"decision": "approve"})
    assert "Booking approved" in approved.content.decode()
    assert [row[1] for row in _statuses(world, session)] == ["cancelled", "confirmed"]
    (confirmation,) = mail.outbox
    assert confirmation.to == ["worker1@school.test"] and confirmation.attachments


def test_a_tampered_or_expired_approval_link_is_refused(world: World) -> None:
    from django.test import Client

    from tenant_apps.booking.links import APPROVAL

    session = _approval_session(world)
    booking = _book(world, session, _people(1)[0], line_manager_email="boss@school.test")
    manager = Client(HTTP_HOST=world.host("leeds"))
    link = _in(world, "leeds", lambda: APPROVAL.path(booking.pk))
    tampered = manager.get(link[:-6] + "XXXXX/")
    assert tampered.status_code == 400 and "This link is not valid" in tampered.content.decode()
    with time_machine.travel(timezone_now() + timedelta(days=15)):
        expired = manager.post(link, {"decision": "approve"})
    assert expired.status_code == 400 and "This link has expired" in expired.content.decode()
    assert _statuses(world, session)[0][1] == "pending"
    # A Croydon address for a Leeds booking finds nothing.
    assert Client(HTTP_HOST=world.host("croydon")).get(link).status_code == 404


# --- giving up a place from the emailed link ------------------------------------------------------------------


def _give_up_link(message: Any) -> str:
    import re

    found = re.search(r"https?://[^/\s]+(/bookings/give-up/[^\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_someone_given_a_place_from_the_waiting_list_declines_it_from_the_email_without_signing_in(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from django.test import Client

    session = _session(world, capacity=1)
    first, second, third = _people(3)
    for person in (first, second, third):
        _book(world, session, person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _in(world, "leeds", lambda: services.cancel_booking(Booking.objects.get(user=first), actor=first))
    (offered,) = [message for message in mail.outbox if message.to == [second.email]]
    assert offered.subject == "A place has come free for you: Neglect: recognising and responding"
    link = _give_up_link(offered)

    visitor = Client(HTTP_HOST=world.host("leeds"))  # not signed in: the link is the credential
    page = visitor.get(link).content.decode()
    assert "Give up your place?" in page and "Neglect: recognising and responding" in page
    assert "late cancellation" not in page  # weeks ahead: no fee
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = visitor.post(link)
    assert done.status_code == 200 and "Place given up" in done.content.decode()
    # The place goes on down the waiting list, and both people are told.
    assert [row[1] for row in _statuses(world, session)] == ["cancelled", "cancelled", "confirmed"]
    assert {tuple(message.to) for message in mail.outbox} == {(second.email,), (third.email,)}
    given_up = _in(world, "leeds", lambda: Booking.objects.get(user=second))
    assert given_up.cancel_reason == "Given up from the link in an email"
    audited = _in(world, "leeds", lambda: AuditEvent.objects.get(action="booking.cancelled", object_id=given_up.pk))
    assert audited.actor == second
    # Used again: nothing more happens, and the page says why.
    again = visitor.post(link)
    assert again.status_code == 200 and "This booking is cancelled" in again.content.decode()
    assert [row[1] for row in _statuses(world, session)] == ["cancelled", "cancelled", "confirmed"]


def test_the_reminder_carries_the_link_and_a_late_give_up_warns_of_the_fee(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from django.test import Client

    session = _session(world, capacity=1)
    (booked,) = _people(1)
    booking = _book(world, session, booked)
    with time_machine.travel(MORNING - timedelta(hours=30), tick=False):
        assert _in(world, "leeds", lambda: deliver(str(booking.pk), BookingEmail.Kind.REMINDER, booked.pk))
        link = _give_up_link(mail.outbox[-1])
        visitor = Client(HTTP_HOST=world.host("leeds"))
        assert "This is a late cancellation" in visitor.get(link).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            assert "may be charged" in visitor.post(link).content.decode()
    assert _in(world, "leeds", lambda: Booking.objects.get(pk=booking.pk).cancelled_late)


def test_a_give_up_link_that_is_altered_of_another_kind_another_boards_or_too_late_changes_nothing(
    world: World,
) -> None:
    from django.test import Client

    from tenant_apps.booking.links import APPROVAL, GIVE_UP

    session = _session(world, capacity=1)
    (booked,) = _people(1)
    booking = _book(world, session, booked)
    link = _in(world, "leeds", lambda: GIVE_UP.path(booking.pk))
    visitor = Client(HTTP_HOST=world.host("leeds"))
    tampered = visitor.post(link[:-6] + "XXXXX/")
    assert tampered.status_code == 400 and "This link is not valid" in tampered.content.decode()
    # An approval link's token does not give up a place, nor the other way round.
    approval_token = _in(world, "leeds", lambda: APPROVAL.path(booking.pk)).rstrip("/").rsplit("/", 1)[1]
    assert visitor.post(f"/bookings/give-up/{approval_token}/").status_code == 400
    assert visitor.get(link.replace("/give-up/", "/approval/")).status_code == 400
    # A Croydon address for a Leeds booking finds nothing there.
    assert Client(HTTP_HOST=world.host("croydon")).post(link).status_code == 404
    with time_machine.travel(MORNING + timedelta(minutes=5), tick=False):
        started = visitor.post(link)
    assert started.status_code == 400 and "The session has started" in started.content.decode()
    assert _statuses(world, session) == [(booked.email, "confirmed", None)]


def test_the_cancel_page_warns_of_a_late_cancellation(world: World) -> None:
    session = _session(world, capacity=1)
    (booked,) = _people(1)
    booking = _book(world, session, booked)
    assert "late cancellation" not in _page(world, booked).get(f"/my-bookings/{booking.pk}/cancel/").content.decode()
    with time_machine.travel(MORNING - timedelta(hours=30), tick=False):  # signed in then: sessions expire
        page = _page(world, booked).get(f"/my-bookings/{booking.pk}/cancel/").content.decode()
    assert "This is a late cancellation under the board's charging policy" in page


def timezone_now() -> datetime:
    from django.utils import timezone

    return timezone.now()


def test_reminders_go_the_boards_number_of_days_before_once_to_each_person_booked(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from tenant_apps.scheduling.models import DueWork
    from tenant_apps.scheduling.services import run_due_work

    session = _session(world, capacity=1)
    booked, waiting = _people(2)
    _book(world, session, booked)
    _book(world, session, waiting)
    work = _in(world, "leeds", lambda: DueWork.objects.get(kind="booking.session_reminders"))
    assert work.due_at == MORNING - timedelta(days=3) and work.payload == {"session": str(session.pk)}

    moved = MORNING + timedelta(days=1)
    _in(
        world,
        "leeds",
        lambda: offer.update_session(session, actor=None, parts=[PartSpec(moved, moved + timedelta(hours=3), None)]),
    )
    assert _in(world, "leeds", lambda: DueWork.objects.get(pk=work.pk).due_at) == moved - timedelta(days=3)

    mail.outbox.clear()
    # At the due date (the clock there too: the reminder run also opens the pre-course self-assessment).
    with time_machine.travel(moved - timedelta(days=2), tick=False), django_capture_on_commit_callbacks(execute=True):
        # The reminders, and the self-assessment's invitation they opened (sent at once).
        assert _in(world, "leeds", lambda: run_due_work()) == 2
    before, reminder = sorted(mail.outbox, key=lambda message: message.subject)
    assert reminder.subject == "Coming up: Neglect: recognising and responding" and reminder.to == [booked.email]
    assert before.subject.startswith("Before Neglect: recognising and responding") and before.to == [booked.email]
    with (
        time_machine.travel(moved - timedelta(days=1, hours=12), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        # Nothing more to do, and no second reminder (the self-assessment's own reminder comes later).
        assert _in(world, "leeds", lambda: run_due_work()) == 0
    assert len(mail.outbox) == 2


def test_a_coordinator_books_a_named_member_of_an_agencys_staff_on_the_page(world: World) -> None:
    session = _session(world, capacity=1)
    staff, other = _people(2)
    manager = _page(world, world.user("coordinator", "leeds"))
    unknown = manager.post(
        f"/offer/sessions/{session.pk}/bookings/add/",
        {"email": "nobody@x.test", "agency": world.agencies["police"].pk, "job_role": "x"},
    )
    assert unknown.status_code == 400 and "No one has an account with that email" in unknown.content.decode()
    # The questions are about the person booked, not the coordinator.
    assert "Their job role" in unknown.content.decode() and "Your job role" not in unknown.content.decode()
    booked = manager.post(
        f"/offer/sessions/{session.pk}/bookings/add/",
        {"email": staff.email.upper(), "agency": world.agencies["police"].pk, "job_role": "PCSO"},
        follow=True,
    )
    assert f"{staff} is booked." in booked.content.decode()
    twice = manager.post(
        f"/offer/sessions/{session.pk}/bookings/add/",
        {"email": staff.email, "agency": world.agencies["police"].pk, "job_role": "PCSO"},
    )
    assert twice.status_code == 400 and f"{staff} is already booked on this session." in twice.content.decode()
    booking = _in(world, "leeds", lambda: Booking.objects.get(user=staff))
    assert (
        booking.booked_by_id == world.user("coordinator", "leeds").pk
        and booking.agency_id == world.agencies["police"].pk
    )
    assert (
        _page(world, other).post(f"/offer/sessions/{session.pk}/bookings/add/", {"email": other.email}).status_code
        == 403
    )


# --- what one booking costs (issue 5: benchmarks/booking.py) ----------------------------------------------------


def _statements(work: Any) -> tuple[Any, list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        result = work()
    return result, [query["sql"] for query in captured.captured_queries]


def test_a_booking_through_the_api_costs_ten_statements_and_its_transaction(
    world: World, settings: Any, django_assert_max_num_queries: Any
) -> None:
    """As settings.prod runs it (TENANT_LIMIT_SET_CALLS): the board's domain, the token and its user, the learner
    profile, the session locked, one count of its bookings, the booking, its learning-record entry and the audit
    entry, with one search_path for the domain and one for the board; and the transaction's start and end (here a
    savepoint and its release, inside the test's transaction). It was 56 (benchmarks/booking.py) with full_clean(),
    a search_path before every statement, and the session and the booking each read twice."""
    settings.TENANT_LIMIT_SET_CALLS = True
    session = _session(world, capacity=1)
    first, second = _people(2)
    _book(world, session, first)  # the first place schedules the session's reminders: later bookings need not
    # A profile naming the person's agency, as most practitioners have: read with it, in the same statement.
    grant_membership(second, world.boards["leeds"], "practitioner")
    _in(world, "leeds", lambda: audiences.set_learner_profile(second, actor=second, agency=world.agencies["health"]))
    client = api_client(second, world.host("leeds"))
    with django_assert_max_num_queries(12):
        booked, sql = _statements(lambda: client.post("/api/v1/bookings/", {"session": str(session.pk)}, format="json"))
    assert booked.status_code == 201 and booked.json()["status"] == "waiting" and booked.json()["queue_position"] == 1
    assert booked.json()["agency"] == world.agencies["health"].pk
    assert sum(statement.startswith("SET search_path") for statement in sql) == 2
    assert sum(statement.startswith("INSERT") for statement in sql) == 3
    # A session that does not exist (or is another board's) is read once, under the lock, and refused in words.
    assert api_client(first, world.host("leeds")).post(
        "/api/v1/bookings/", {"session": str(_session(world, "bradford").pk)}, format="json"
    ).json()["error"]["fields"]["session"] == ["This session does not exist."]


def test_a_kept_connection_sets_the_search_path_again_after_a_rollback_and_between_boards(
    world: World, settings: Any
) -> None:
    """settings.prod sets the search_path once after each change of board (TENANT_LIMIT_SET_CALLS), on connections
    it keeps. A rollback to a savepoint taken before it was set undoes it in PostgreSQL: the next statement must
    set it again, or Bradford's booking would look for its session in Leeds' schema."""
    from django.db import transaction

    settings.TENANT_LIMIT_SET_CALLS = True  # the tests keep one connection throughout, as a web thread does
    leeds, bradford = _session(world, capacity=1), _session(world, "bradford", capacity=1)
    person = _people(1)[0]

    def in_leeds() -> Booking:
        Session.objects.count()  # the search_path is Leeds'
        before_bradford = transaction.savepoint()

        def in_bradford() -> Booking:
            Session.objects.count()  # Bradford's search_path, set inside the savepoint
            transaction.savepoint_rollback(before_bradford)  # PostgreSQL is back on Leeds' search_path
            return services.book(bradford, person, actor=person)

        return _in(world, "bradford", in_bradford)

    assert _in(world, "leeds", in_leeds).session_id == bradford.pk
    booked = api_client(person, world.host("leeds")).post(
        "/api/v1/bookings/", {"session": str(leeds.pk)}, format="json"
    )
    assert booked.status_code == 201, booked.content
    assert [row[0] for row in _statuses(world, leeds)] == [person.email]
    assert [row[0] for row in _statuses(world, bradford, "bradford")] == [person.email]
