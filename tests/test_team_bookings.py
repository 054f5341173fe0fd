"""Agency training managers: booking named staff (making accounts for new staff), their team's bookings page and
CSV, cancelling and passing places on, the API, and the limits: their own agency, in the board they hold the role."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from conftest import World, api_client
from shared_apps.accounts.models import Membership, Role, User
from shared_apps.audit.models import AuditEvent
from tenant_apps.audiences.models import LearnerProfile
from tenant_apps.booking.models import Booking
from tenant_apps.offer.models import Session
from tests.test_booking import _book, _in, _people, _session

pytestmark = pytest.mark.django_db


def _manager(world: World, agency_type: str, board: str = "leeds", email: str = "dsl@school.test") -> User:
    """A new person holding the agency manager role in `board` for the agency of this type."""
    manager = User.objects.create_user(email=email, password="correct horse battery staple", full_name="Dee Lead")
    Membership.objects.create(
        user=manager, board=world.boards[board], role=Role.AGENCY_MANAGER, agency=world.agencies[agency_type]
    )
    return manager


def _client(world: World, user: Any, board: str = "leeds") -> Client:
    client = Client(HTTP_HOST=world.host(board))
    client.force_login(user)
    return client


def _booking_of(world: World, session: Session, email: str) -> Booking:
    return _in(
        world,
        "leeds",
        lambda: Booking.objects.select_related("agency", "booked_by").get(
            session=session, user__email=email, status__in=Booking.LIVE
        ),
    )


def test_a_manager_books_a_member_of_staff_who_has_an_account_and_they_are_emailed(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    session = _session(world, capacity=1)
    manager = _manager(world, "education")
    (teacher,) = _people(1, "teacher")
    client = _client(world, manager)
    page = client.get(f"/courses/sessions/{session.pk}/book-staff/")
    assert page.status_code == 200
    assert 'name="agency"' not in page.content.decode()  # one agency: nothing to choose

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            f"/courses/sessions/{session.pk}/book-staff/", {"email": teacher.email.upper(), "job_role": "Teacher"}
        )
    assert done.status_code == 302 and done["Location"].endswith("/team/")
    booking = _booking_of(world, session, teacher.email)
    assert (booking.status, booking.agency, booking.booked_by) == ("confirmed", world.agencies["education"], manager)
    assert booking.job_role == "Teacher"
    (confirmation,) = mail.outbox
    assert confirmation.to == [teacher.email] and "text/calendar" in str(confirmation.message())

    # Full now: the next member of staff goes on the waiting list, and the page says so.
    (assistant,) = _people(1, "assistant")
    queued = client.post(f"/courses/sessions/{session.pk}/book-staff/", {"email": assistant.email}, follow=True)
    assert "is number 1 on the waiting list" in queued.content.decode()


def test_someone_new_gets_an_account_made_with_the_booking_and_nothing_when_it_fails(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    session = _session(world, capacity=3)
    manager = _manager(world, "health")
    client = _client(world, manager)
    url = f"/courses/sessions/{session.pk}/book-staff/"

    nameless = client.post(url, {"email": "new.nurse@trust.test"})
    assert nameless.status_code == 400
    assert "Enter their full name: new.nurse@trust.test has no account yet" in nameless.content.decode()
    assert not User.objects.filter(email="new.nurse@trust.test").exists()

    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(url, {"email": "new.nurse@trust.test", "full_name": "Nia Nurse"})
    assert made.status_code == 302
    nurse = User.objects.get(email="new.nurse@trust.test")
    assert nurse.full_name == "Nia Nurse" and not nurse.has_usable_password()
    (confirmation,) = [message for message in mail.outbox if message.to == [nurse.email]]
    assert "Dee Lead booked this for you." in confirmation.body
    # A single-use link that sets the new account's password.
    host = f"leeds.{settings.PLATFORM_HOST}"
    link = re.search(rf"set a password .*:\nhttps://{re.escape(host)}(/password/set/\S+/)\n", confirmation.body)
    assert link, confirmation.body
    visitor = Client(HTTP_HOST=world.host("leeds"))
    form = visitor.get(link[1], follow=True)
    chosen = "a long walk by the river"
    done = visitor.post(form.redirect_chain[-1][0], {"new_password1": chosen, "new_password2": chosen})
    assert done.status_code == 302 and User.objects.get(pk=nurse.pk).check_password(chosen)
    assert AuditEvent.objects.filter(action="account.created", actor=manager).count() == 1
    assert _booking_of(world, session, nurse.email).agency == world.agencies["health"]

    # A booking refused (the session has been cancelled) leaves no account behind.
    _in(world, "leeds", lambda: Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED))
    refused = client.post(url, {"email": "late.joiner@trust.test", "full_name": "Lee Joiner"})
    assert refused.status_code == 200 and "This session has been cancelled" in refused.content.decode()
    assert not User.objects.filter(email="late.joiner@trust.test").exists()


def test_a_manager_books_only_for_their_own_agency_and_only_their_staff(world: World) -> None:
    session = _session(world, capacity=5)
    manager = _manager(world, "education")
    (police_officer,) = _people(1, "officer")
    _in(
        world,
        "leeds",
        lambda: LearnerProfile.objects.create(user=police_officer, agency=world.agencies["police"], job_role="PC"),
    )
    client = _client(world, manager)
    url = f"/courses/sessions/{session.pk}/book-staff/"

    # Someone whose profile in this board names another agency is not theirs to book.
    theirs = client.post(url, {"email": police_officer.email})
    assert theirs.status_code == 400
    assert "works for Test Police agency (their profile in this board), not Test Education agency" in (
        theirs.content.decode()
    )
    assert _in(world, "leeds", lambda: Booking.objects.filter(session=session).count()) == 0

    # The API refuses another agency than the manager's.
    api = api_client(manager, world.host("leeds"))
    wrong = api.post(
        "/api/v1/bookings/",
        {"session": str(session.pk), "person": "b@school.test", "agency": world.agencies["police"].pk},
        format="json",
    )
    assert wrong.status_code == 400
    assert "You book training for Test Education agency only" in wrong.json()["error"]["message"]
    assert not User.objects.filter(email="b@school.test").exists()

    # Practitioners have no team to book, and the role means nothing in another board.
    practitioner = _client(world, world.user("practitioner", "leeds"))
    assert practitioner.get(url).status_code == 403
    assert practitioner.get("/team/").status_code == 403
    assert _client(world, manager, "croydon").get("/team/").status_code == 403


def test_the_team_page_and_csv_show_every_booking_of_the_agency_and_no_other(world: World) -> None:
    session = _session(world, capacity=1)
    manager = _manager(world, "health")
    nurse, doctor, officer = _people(3, "staff")
    _book(world, session, nurse, agency=world.agencies["health"], job_role="Nurse")  # booked by herself
    _book(world, session, doctor, agency=world.agencies["health"], job_role="GP")  # waiting
    _book(world, session, officer, agency=world.agencies["police"], job_role="PC")

    page = _client(world, manager).get("/team/").content.decode()
    assert nurse.email in page and doctor.email in page and officer.email not in page
    assert "Waiting list: number 1" in page
    assert "Team bookings" in page  # in the navigation

    exported = _client(world, manager).get("/team/bookings.csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "Email", "Agency"]
    assert sorted(row[1] for row in rows[1:]) == sorted([nurse.email, doctor.email])
    assert {row[2] for row in rows[1:]} == {"Test Health agency"}


def test_a_manager_cancels_or_passes_on_their_staffs_places_but_not_others(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    session = _session(world, capacity=1)
    manager = _manager(world, "health")
    nurse, doctor, officer = _people(3, "staff")
    mine = _book(world, session, nurse, agency=world.agencies["health"])
    theirs = _book(world, session, officer, agency=world.agencies["police"])  # waiting
    client = _client(world, manager)

    assert client.get(f"/team/bookings/{theirs.pk}/cancel/").status_code == 404
    assert client.post(f"/team/bookings/{theirs.pk}/pass-on/", {"email": doctor.email}).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        passed = client.post(f"/team/bookings/{mine.pk}/pass-on/", {"email": doctor.email})
    assert passed.status_code == 302
    assert _booking_of(world, session, doctor.email).pk == mine.pk
    assert {tuple(message.to) for message in mail.outbox} == {(nurse.email,), (doctor.email,)}
    (told,) = [message for message in mail.outbox if message.to == [nurse.email]]
    assert f"Your place has been passed to {doctor.full_name} by {manager.full_name}, so you are no longer" in told.body

    new_colleague = client.post(f"/team/bookings/{mine.pk}/pass-on/", {"email": "locum@trust.test"})
    assert new_colleague.status_code == 400 and "Enter their full name" in new_colleague.content.decode()

    cancel_page = client.get(f"/team/bookings/{mine.pk}/cancel/").content.decode()
    assert "late cancellation" not in cancel_page  # the session is years away
    assert client.post(f"/team/bookings/{mine.pk}/cancel/", {"reason": "Left the trust"}).status_code == 302
    cancelled = _in(world, "leeds", lambda: Booking.objects.get(pk=mine.pk))
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "Left the trust")
    # The place went to the person waiting, from another agency: the manager's action reaches no further.
    assert _booking_of(world, session, officer.email).status == "confirmed"


def test_cancelling_close_to_the_start_warns_that_the_agency_may_be_charged(world: World) -> None:
    tomorrow = timezone.localtime() + timedelta(days=1)
    session = _session(world, capacity=2, starts=tomorrow.replace(hour=9, minute=30, second=0, microsecond=0))
    manager = _manager(world, "health")
    (nurse,) = _people(1, "nurse")
    booking = _book(world, session, nurse, agency=world.agencies["health"])
    page = _client(world, manager).get(f"/team/bookings/{booking.pk}/cancel/").content.decode()
    assert "This is a late cancellation under the board's charging policy" in page.replace("&#x27;", "'")


def test_the_api_lets_a_manager_book_list_cancel_and_pass_on_for_their_agency(world: World) -> None:
    session = _session(world, capacity=5)
    manager = _manager(world, "health")
    nurse, officer = _people(2, "staff")
    police = _book(world, session, officer, agency=world.agencies["police"])
    api = api_client(manager, world.host("leeds"))

    booked = api.post(
        "/api/v1/bookings/",
        {"session": str(session.pk), "person": nurse.email, "job_role": "Health visitor"},
        format="json",
    )
    assert booked.status_code == 201, booked.content
    assert booked.json()["user"] == nurse.email and booked.json()["agency"] == world.agencies["health"].pk

    # Someone new: their name makes the account; without it, the API says what is missing.
    nameless = api.post("/api/v1/bookings/", {"session": str(session.pk), "person": "new@trust.test"}, format="json")
    assert nameless.status_code == 400 and "Enter their full name" in nameless.json()["error"]["message"]
    made = api.post(
        "/api/v1/bookings/",
        {"session": str(session.pk), "person": "new@trust.test", "person_name": "Ned New"},
        format="json",
    )
    assert made.status_code == 201 and User.objects.get(email="new@trust.test").full_name == "Ned New"

    listed = api.get("/api/v1/bookings/").json()
    assert [row["user"] for row in listed["results"]] == [nurse.email, "new@trust.test"]
    assert api.post(f"/api/v1/bookings/{police.pk}/cancel/", {}, format="json").status_code == 404

    passed = api.post(
        f"/api/v1/bookings/{booked.json()['id']}/substitute/",
        {"colleague": "bank.nurse@trust.test", "colleague_name": "Bea Bank"},
        format="json",
    )
    assert passed.status_code == 200, passed.content
    assert passed.json()["user"] == "bank.nurse@trust.test"
    cancelled = api.post(f"/api/v1/bookings/{booked.json()['id']}/cancel/", {"reason": "Off sick"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_booking_for_staff_says_their_line_manager_not_yours(world: World) -> None:
    session = _session(world, capacity=2)
    _in(
        world,
        "leeds",
        lambda: type(session.course).objects.filter(pk=session.course_id).update(needs_manager_approval=True),
    )
    manager = _manager(world, "health")
    (nurse,) = _people(1, "nurse")
    refused = _client(world, manager).post(f"/courses/sessions/{session.pk}/book-staff/", {"email": nurse.email})
    assert refused.status_code == 400
    assert "This course needs their line manager&#x27;s approval" in refused.content.decode()


def test_a_manager_who_is_the_line_manager_books_without_approving_their_own_booking(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    session = _session(world, capacity=1)
    _in(
        world,
        "leeds",
        lambda: type(session.course).objects.filter(pk=session.course_id).update(needs_manager_approval=True),
    )
    manager = _manager(world, "health")
    nurse, other_nurse = _people(2, "nurse")
    client = _client(world, manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/courses/sessions/{session.pk}/book-staff/",
            {"email": nurse.email, "line_manager_email": "DSL@school.test"},
        )
    assert _booking_of(world, session, nurse.email).status == "confirmed"
    assert [message.to for message in mail.outbox] == [[nurse.email]]  # the confirmation, no approval request
    # Named someone else as the line manager: that manager is asked, as before.
    mail.outbox.clear()
    _in(world, "leeds", lambda: Session.objects.filter(pk=session.pk).update(capacity=2))
    with django_capture_on_commit_callbacks(execute=True):
        held = client.post(
            f"/courses/sessions/{session.pk}/book-staff/",
            {"email": other_nurse.email, "line_manager_email": "ward.manager@trust.test"},
            follow=True,
        )
    assert "We have emailed ward.manager@trust.test to ask" in held.content.decode()
    assert _booking_of(world, session, other_nurse.email).status == "pending"
    assert [message.to for message in mail.outbox] == [["ward.manager@trust.test"]]
