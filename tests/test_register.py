"""The attendance register, the sign-in sheet, certificates and checking a certificate's code."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from pypdf import PdfReader

from conftest import World
from shared_apps.accounts.models import Membership
from tenant_apps.audiences.models import LearningCompletion
from tenant_apps.booking import register
from tenant_apps.booking.models import Booking, Certificate
from tests.test_booking import MORNING, _book, _in, _people, _session

pytestmark = pytest.mark.django_db
ON_THE_DAY = MORNING + timedelta(hours=4)


def _client(world: World, user: Any, slug: str = "leeds") -> Client:
    client = Client(HTTP_HOST=world.host(slug))
    client.force_login(user)
    return client


def _text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _booked(world: World, count: int = 3) -> tuple[Any, list[Any], list[Booking]]:
    session = _session(world, capacity=10)
    people = _people(count)
    bookings = [_book(world, session, person) for person in people]
    return session, people, bookings


def test_the_register_opens_on_the_day_and_closes_only_when_everyone_is_marked(world: World) -> None:
    session, _, bookings = _booked(world)
    coordinator = world.user("coordinator", "leeds")
    with pytest.raises(ValidationError, match="The register opens on the day of the session"):
        _in(world, "leeds", lambda: register.mark(session, {str(bookings[0].pk): "attended"}, actor=coordinator))

    with time_machine.travel(ON_THE_DAY, tick=False):
        marked = {str(bookings[0].pk): "attended", str(bookings[1].pk): "no_show"}
        assert _in(world, "leeds", lambda: register.mark(session, marked, actor=coordinator)) == 2
        with pytest.raises(ValidationError, match="Mark each person"):
            _in(world, "leeds", lambda: register.mark(session, {str(bookings[2].pk): "maybe"}, actor=coordinator))
        with pytest.raises(ValidationError, match="Mark everyone before closing the register: Worker 2"):
            _in(world, "leeds", lambda: register.close(session, actor=coordinator))
        _in(world, "leeds", lambda: register.mark(session, {str(bookings[2].pk): "partial"}, actor=coordinator))
        certificates = _in(world, "leeds", lambda: register.close(session, actor=coordinator))
        with pytest.raises(ValidationError, match="The register is closed"):
            _in(world, "leeds", lambda: register.mark(session, {str(bookings[1].pk): "attended"}, actor=coordinator))

    assert [c.person_name for c in certificates] == ["Worker 0"]
    certificate = certificates[0]
    assert certificate.course_title == "Neglect: recognising and responding" and certificate.hours == 3
    assert certificate.attended_on == MORNING.date() and len(certificate.code) == 10


def test_closing_puts_the_learning_in_the_record_of_board_members(world: World) -> None:
    session, people, bookings = _booked(world, 2)
    member, visitor = people
    Membership.objects.create(user=member, board=world.boards["leeds"], role="practitioner")
    coordinator = world.user("coordinator", "leeds")
    with time_machine.travel(ON_THE_DAY, tick=False):
        everyone = {str(b.pk): "attended" for b in bookings}
        _in(world, "leeds", lambda: register.mark(session, everyone, actor=coordinator))
        _in(world, "leeds", lambda: register.close(session, actor=coordinator))
    records = _in(world, "leeds", lambda: list(LearningCompletion.objects.filter(source="attendance")))
    assert [(r.user_id, r.hours, r.reference) for r in records] == [(member.pk, 3, f"booking:{bookings[0].pk}")]
    # The visitor from another board still has a certificate.
    assert _in(world, "leeds", lambda: Certificate.objects.filter(booking__user=visitor).count()) == 1


def test_the_register_page_marks_everyone_adds_a_walk_in_and_closes(world: World) -> None:
    session, _, _ = _booked(world, 2)
    assert (
        _client(world, world.user("practitioner", "leeds")).get(f"/offer/sessions/{session.pk}/register/").status_code
        == 403
    )
    walk_in = _people(1, "walkin")[0]
    with time_machine.travel(ON_THE_DAY, tick=False):
        trainer = _client(world, world.user("trainer", "leeds"))  # signed in on the day (sessions expire)
        page = trainer.get(f"/offer/sessions/{session.pk}/register/")
        assert page.status_code == 200 and "People booked (2)" in page.content.decode()
        done = trainer.post(f"/offer/sessions/{session.pk}/register/", {"everyone": "attended"}, follow=True)
        assert "Saved 2 marks." in done.content.decode()
        unknown = trainer.post(f"/offer/sessions/{session.pk}/register/walk-in/", {"email": "nobody@x.test"})
        assert unknown.status_code == 400 and "No one has an account with that email" in unknown.content.decode()
        added = trainer.post(
            f"/offer/sessions/{session.pk}/register/walk-in/",
            {"email": walk_in.email, "agency": world.agencies["police"].pk},
            follow=True,
        )
        assert f"Added {walk_in} to the register as attended." in added.content.decode()
        closed = trainer.post(f"/offer/sessions/{session.pk}/register/close/", follow=True)
        assert "Register closed. 3 certificates issued." in closed.content.decode()
        assert "The register was closed on" in closed.content.decode()
    walk_in_booking = _in(world, "leeds", lambda: Booking.objects.get(user=walk_in))
    assert walk_in_booking.walk_in and not walk_in_booking.holds_place and walk_in_booking.attendance == "attended"


def test_marking_everyone_keeps_marks_chosen_and_closing_saves_the_marks_on_the_page(world: World) -> None:
    session, _, bookings = _booked(world, 3)
    early, late, absent = (str(booking.pk) for booking in bookings)
    before = _client(world, world.user("trainer", "leeds")).get(f"/offer/sessions/{session.pk}/register/")
    page = before.content.decode()
    assert "The register opens on the day of the session." in page and "Save the marks" not in page
    with time_machine.travel(ON_THE_DAY, tick=False):
        trainer = _client(world, world.user("trainer", "leeds"))
        trainer.post(f"/offer/sessions/{session.pk}/register/", {f"mark-{late}": "partial"})
        # "Mark everyone not yet marked": the saved partial mark and the one chosen on the page both stay.
        trainer.post(f"/offer/sessions/{session.pk}/register/", {"everyone": "attended", f"mark-{absent}": "no_show"})
        marks = _in(world, "leeds", lambda: dict(Booking.objects.values_list("pk", "attendance")))
        assert [marks[booking.pk] for booking in bookings] == ["attended", "partial", "no_show"]
        # A mark changed on the page and not saved, then "Close the register": the change is saved first.
        marks_on_page = {f"mark-{early}": "attended", f"mark-{late}": "partial", f"mark-{absent}": "attended"}
        closed = trainer.post(f"/offer/sessions/{session.pk}/register/close/", marks_on_page, follow=True)
    text = closed.content.decode()
    assert "Saved 1 mark." in text and "Register closed. 2 certificates issued." in text
    attended = _in(world, "leeds", lambda: set(Certificate.objects.values_list("booking_id", flat=True)))
    assert attended == {bookings[0].pk, bookings[2].pk}


def test_the_sign_in_sheet_lists_everyone_booked(world: World) -> None:
    session, _, _ = _booked(world, 2)
    response = _client(world, world.user("coordinator", "leeds")).get(f"/offer/sessions/{session.pk}/sign-in-sheet.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "Sign-in sheet: Neglect: recognising and responding" in text
    assert "9:30am to 12:30pm" in text  # times as the pages write them
    assert "Worker 0" in text and "Worker 1" in text and "Signature" in text


def test_a_certificate_is_issued_only_after_attendance_and_anyone_can_check_its_code(world: World) -> None:
    session, people, bookings = _booked(world, 2)
    attended, absent = people
    coordinator = world.user("coordinator", "leeds")
    client = _client(world, attended)
    assert client.get(f"/my-bookings/{bookings[0].pk}/certificate.pdf").status_code == 404  # not yet
    with time_machine.travel(ON_THE_DAY, tick=False):
        marks = {str(bookings[0].pk): "attended", str(bookings[1].pk): "no_show"}
        _in(world, "leeds", lambda: register.mark(session, marks, actor=coordinator))
        _in(world, "leeds", lambda: register.close(session, actor=coordinator))

    certificate = _in(world, "leeds", lambda: Certificate.objects.get())
    pdf = client.get(f"/my-bookings/{bookings[0].pk}/certificate.pdf")
    assert pdf.status_code == 200
    text = _text(pdf.content)
    assert "Certificate of attendance" in text and "Worker 0" in text
    assert "Neglect: recognising and responding" in text and "4 March 2031: 3 hours of learning" in text
    assert certificate.code in text and "Leeds Safeguarding Children Partnership" in text
    assert _client(world, absent).get(f"/my-bookings/{bookings[1].pk}/certificate.pdf").status_code == 404
    assert _client(world, absent).get(f"/my-bookings/{bookings[0].pk}/certificate.pdf").status_code == 404
    mine = client.get("/my-bookings/").content.decode()
    assert f'href="/my-bookings/{bookings[0].pk}/certificate.pdf"' in mine

    anyone = Client(HTTP_HOST=world.host("leeds"))
    typed = f"{certificate.code[:5].lower()} {certificate.code[5:]}"
    found = anyone.get("/certificates/check/", {"code": typed})
    assert found.status_code == 200 and "This certificate is genuine" in found.content.decode()
    assert "Worker 0" in found.content.decode()
    wrong = anyone.get("/certificates/check/", {"code": "ABCDEFGHJK"})
    assert wrong.status_code == 404 and "No certificate of the partnership has that code" in wrong.content.decode()
    # Another board does not know Leeds' certificates.
    assert (
        Client(HTTP_HOST=world.host("croydon")).get("/certificates/check/", {"code": certificate.code}).status_code
        == 404
    )


def test_my_learning_shows_bookings_and_certificates_from_every_board_and_learning_due(world: World) -> None:
    from datetime import date

    from tenant_apps.audiences import services as audiences

    practitioner = world.user("practitioner", "leeds")
    leeds = _session(world, capacity=5)
    bradford = _session(world, "bradford", capacity=5)
    _book(world, leeds, practitioner)
    bradford_booking = _book(world, bradford, practitioner, slug="bradford")

    def pathway() -> None:
        group = audiences.create_group(actor=None, scheme="group", code="Group 3", name="Practitioners")
        audiences.create_requirement(
            group,
            actor=None,
            title="Level 3 neglect",
            topic="neglect",
            minimum_hours="6",
            refresh_every_months=36,
            first_completion_within_months=12,
        )
        audiences.set_learner_profile(practitioner, actor=None, audience_group=group, joined_on=date(2025, 1, 5))

    _in(world, "leeds", pathway)
    with time_machine.travel(ON_THE_DAY, tick=False):
        coordinator = world.user("coordinator", "bradford")
        _in(
            world,
            "bradford",
            lambda: register.mark(bradford, {str(bradford_booking.pk): "attended"}, actor=coordinator),
        )
        _in(world, "bradford", lambda: register.close(bradford, actor=coordinator))
    code = _in(world, "bradford", lambda: Certificate.objects.get(booking=bradford_booking).code)

    page = _client(world, practitioner).get("/my-learning/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Leeds Safeguarding Children Partnership" in text and "Bradford Safeguarding Children Partnership" in text
    assert f"Code {code}" in text
    assert f"://bradford.localhost/my-bookings/{bradford_booking.pk}/certificate.pdf" in text
    assert "Level 3 neglect" in text and "Overdue" in text
    # Someone else sees none of it.
    other = _client(world, world.user("practitioner", "croydon")).get("/my-learning/").content.decode()
    assert code not in other and "Bradford Safeguarding" not in other


def test_the_register_through_the_api(world: World) -> None:
    from conftest import api_client

    session, _, bookings = _booked(world, 2)
    walk_in = _people(1, "walkin")[0]
    with time_machine.travel(ON_THE_DAY, tick=False):
        trainer = api_client(world.user("trainer", "leeds"), world.host("leeds"))
        read = trainer.get(f"/api/v1/registers/{session.pk}/")
        assert read.status_code == 200 and [p["name"] for p in read.json()["people"]] == ["Worker 0", "Worker 1"]
        wrong = trainer.post(
            f"/api/v1/registers/{session.pk}/marks/", {"marks": {str(bookings[0].pk): "x"}}, format="json"
        )
        assert wrong.status_code == 400
        marked = trainer.post(
            f"/api/v1/registers/{session.pk}/marks/",
            {"marks": {str(bookings[0].pk): "attended", str(bookings[1].pk): "no_show"}},
            format="json",
        )
        assert [p["attendance"] for p in marked.json()["people"]] == ["attended", "no_show"]
        added = trainer.post(f"/api/v1/registers/{session.pk}/walk-ins/", {"person": walk_in.email}, format="json")
        assert added.status_code == 200 and len(added.json()["people"]) == 3
        closed = trainer.post(f"/api/v1/registers/{session.pk}/close/", {}, format="json")
        assert closed.status_code == 200 and closed.json()["closed_at"]
        again = trainer.post(
            f"/api/v1/registers/{session.pk}/marks/", {"marks": {str(bookings[1].pk): "attended"}}, format="json"
        )
        assert again.status_code == 400 and "The register is closed" in again.json()["error"]["message"]
        practitioner = api_client(world.user("practitioner", "leeds"), world.host("leeds"))
        assert practitioner.get(f"/api/v1/registers/{session.pk}/").status_code == 403
    assert _in(world, "leeds", lambda: Certificate.objects.filter(booking__session=session).count()) == 2


def test_the_registers_page_shows_which_registers_are_open_to_mark_and_closed(world: World) -> None:
    session, _, bookings = _booked(world, 2)
    with time_machine.travel(ON_THE_DAY - timedelta(days=3), tick=False):
        trainer = _client(world, world.user("trainer", "leeds"))
        assert "Registers" in trainer.get("/").content.decode()
        before = trainer.get("/offer/registers/").content.decode()
    assert "Neglect: recognising and responding" in before and "Opens on the day" in before
    coordinator = world.user("coordinator", "leeds")
    with time_machine.travel(ON_THE_DAY, tick=False):
        _in(world, "leeds", lambda: register.mark(session, {str(bookings[0].pk): "attended"}, actor=coordinator))
        day = _client(world, world.user("trainer", "leeds")).get("/offer/registers/").content.decode()
        assert "Open: 1 not marked" in day
        _in(world, "leeds", lambda: register.mark(session, {str(bookings[1].pk): "no_show"}, actor=coordinator))
        _in(world, "leeds", lambda: register.close(session, actor=coordinator))
        closed = _client(world, world.user("trainer", "leeds")).get("/offer/registers/").content.decode()
    assert f"Closed {ON_THE_DAY:%-d %B}" in closed
    assert _client(world, world.user("practitioner", "leeds")).get("/offer/registers/").status_code == 403
    # Croydon's trainers see Croydon's registers: none of Leeds'.
    croydon = _client(world, world.user("trainer", "croydon"), "croydon")
    assert "Neglect: recognising and responding" not in croydon.get("/offer/registers/").content.decode()
