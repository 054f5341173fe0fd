"""The trainer pool's people-facing side: the trainer portal on the platform host (sessions in every board, boards
served, dates away, hours lent, a personal calendar), the board's approvals on its own host, and the API of both."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from conftest import World, api_client
from shared_apps.accounts.middleware import SESSION_KEY
from shared_apps.agencies.models import Agency
from shared_apps.trainers import services as pool
from shared_apps.trainers.models import Blackout, BoardService, TrainerAssignment, TrainerProfile
from tenant_apps.offer import services as offer
from tenant_apps.offer.models import Session
from tenant_apps.offer.services import PartSpec
from tenants.cross_board import run_in_board

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
MORNING = (datetime(2031, 3, 3, 9, 30, tzinfo=LONDON), datetime(2031, 3, 3, 12, 30, tzinfo=LONDON))
PLATFORM = settings.PLATFORM_HOST


def _later(days: int, times: tuple[datetime, datetime] = MORNING) -> tuple[datetime, datetime]:
    return times[0] + timedelta(days=days), times[1] + timedelta(days=days)


def _trainer(
    world: World,
    email: str,
    agency: Agency,
    boards: list[str],
    topics: tuple[str, ...] = ("neglect",),
    approve: bool = True,
) -> TrainerProfile:
    from shared_apps.accounts.services import create_user

    user = create_user(email, email.split("@")[0].replace(".", " ").title(), "correct horse battery staple")
    profile = pool.save_profile(
        user,
        actor=user,
        home_agency=agency,
        job_role="Named nurse for safeguarding",
        topics=list(topics),
        trained_as_trainer_on=date(2020, 1, 10),
    )
    for slug in boards:
        service = pool.offer_to_serve(profile, world.boards[slug], actor=user)
        if approve:
            pool.decide_service(service, approve=True, actor=world.user("coordinator", slug))
    return profile


def _session(world: World, slug: str, title: str, times: tuple[datetime, datetime] = MORNING) -> Session:
    def make() -> Session:
        course = offer.save_course(
            actor=None,
            title=title,
            summary="Level 3 multi-agency course",
            intervention_type="classroom",
            duration_hours=Decimal("3"),
            topic="neglect",
            status="published",
        )
        room = offer.save_venue(actor=None, name=f"{slug.title()} Civic Hall", address=slug.title(), capacity=30)
        return offer.schedule_session(course, actor=None, capacity=20, parts=[PartSpec(*times, room)])

    return run_in_board(world.boards[slug], make)


def _assign(world: World, slug: str, session: Session, profile: TrainerProfile, role: str = "lead") -> None:
    run_in_board(world.boards[slug], lambda: offer.assign_trainer(session, profile, role=role, actor=None))


def _booking(profile: TrainerProfile, session: Session) -> TrainerAssignment:
    return TrainerAssignment.objects.get(trainer=profile, session_id=session.pk)


def _portal(user: Any = None) -> Client:
    client = Client(HTTP_HOST=PLATFORM)
    if user is not None:
        client.force_login(user)
        if user.is_staff:
            session = client.session
            session[SESSION_KEY] = True
            session.save()
    return client


def _board_client(world: World, slug: str, user: Any) -> Client:
    client = Client(HTTP_HOST=world.host(slug))
    client.force_login(user)
    return client


@pytest.fixture
def nurse(world: World) -> TrainerProfile:
    """A health trainer approved by Leeds and Bradford (not Croydon)."""
    return _trainer(world, "sam.nurse@nhs.test", world.agencies["health"], ["leeds", "bradford"])


# --- my sessions across boards ------------------------------------------------------------------------------------


def test_a_trainer_serving_leeds_and_bradford_sees_both_boards_sessions_and_no_other_board(
    world: World, nurse: TrainerProfile
) -> None:
    _assign(world, "leeds", _session(world, "leeds", "Neglect: recognising and responding"), nurse)
    _assign(world, "bradford", _session(world, "bradford", "Child sexual exploitation", _later(1)), nurse)
    a_month_ago = timezone.localtime(timezone.now() - timedelta(days=30)).replace(hour=9, minute=30, second=0)
    past = _session(world, "leeds", "Domestic abuse and children", (a_month_ago, a_month_ago + timedelta(hours=3)))
    _assign(world, "leeds", past, nurse, role="co")
    officer = _trainer(world, "pat.officer@police.test", world.agencies["police"], ["croydon"])
    _assign(world, "croydon", _session(world, "croydon", "Croydon only: county lines"), officer)

    page = _portal(nurse.user).get("/trainers/")

    text = page.content.decode()
    assert page.status_code == 200
    for expected in (
        "Neglect: recognising and responding",
        "Child sexual exploitation",
        "Leeds Safeguarding Children Partnership",
        "Bradford Safeguarding Children Partnership",
        "Monday 3 March 2031",
        "9:30am to 12:30pm",
        "Leeds Civic Hall",
        "Lead trainer",
        "Waiting for your answer",
        "2 sessions waiting for your answer",
    ):
        assert expected in text, expected
    assert "Croydon only" not in text and "Croydon Safeguarding" not in text
    upcoming, past_part = text.split("Past sessions", 1)
    assert "Domestic abuse and children" in past_part and "Domestic abuse" not in upcoming
    assert "Co-trainer" in past_part

    answer = api_client(nurse.user, PLATFORM).get("/api/v1/trainer-assignments/")
    assert answer.status_code == 200
    rows = answer.json()["results"]
    assert {row["board"] for row in rows} == {"leeds", "bradford"}
    assert len(rows) == 3 and rows[1]["starts_at"] == "2031-03-03T09:30:00Z" and rows[1]["hours"] == 3.0
    upcoming_rows = api_client(nurse.user, PLATFORM).get("/api/v1/trainer-assignments/", {"upcoming": "1"}).json()
    assert upcoming_rows["count"] == 2


def test_signed_out_people_are_sent_to_sign_in_and_others_see_how_to_join(world: World) -> None:
    assert _portal().get("/trainers/")["Location"].startswith("/sign-in/")
    assert _portal().get("/trainers/agencies/hours/")["Location"].startswith("/sign-in/")

    page = _portal(world.users["outsider"]).get("/trainers/availability/")

    assert page.status_code == 200
    assert b"Join the trainer pool" in page.content and b"Create my trainer profile" in page.content
    assert _portal(world.users["outsider"]).post("/trainers/boards/", {"board": "1"})["Location"] == "/trainers/join/"


def test_joining_the_pool_from_the_portal_makes_a_profile(world: World) -> None:
    person = world.users["outsider"]
    form = {
        "home_agency": world.agencies["police"].pk,
        "job_role": "Detective sergeant, public protection",
        "topics": "Neglect, CSE,  online safety, neglect",
        "skills": "Joint investigations",
        "trained_as_trainer_on": "2029-05-01",
        "accreditation_expires_on": "2032-05-01",
        "sessions_per_month_committed": "2",
        "available_weekdays": ["1", "3"],
    }

    response = _portal(person).post("/trainers/join/", form)

    assert response.status_code == 302 and response["Location"] == "/trainers/boards/"
    profile = TrainerProfile.objects.get(user=person)
    assert profile.topics == ["cse", "neglect", "online safety"]
    assert profile.available_weekdays == [1, 3] and profile.sessions_per_month_committed == 2
    assert len(profile.calendar_token) >= 32
    assert _portal(person).get("/trainers/join/")["Location"] == "/trainers/profile/"


def test_the_join_form_explains_what_is_wrong(world: World) -> None:
    form = {
        "home_agency": "",
        "job_role": "",
        "topics": "x" * 81,
        "trained_as_trainer_on": "2031-05-01",
        "accreditation_expires_on": "2030-05-01",
        "available_weekdays": ["9"],
    }

    response = _portal(world.users["outsider"]).post("/trainers/join/", form)

    text = response.content.decode()
    assert response.status_code == 400
    for message in (
        "There is a problem",
        "Choose your home agency",
        "Enter your job role",
        "Each topic must be 80 characters or fewer",
        "Choose days of the week from the list",
    ):
        assert message in text, message
    assert not TrainerProfile.objects.filter(user=world.users["outsider"]).exists()

    form.update(home_agency=world.agencies["police"].pk, job_role="Sergeant", topics="cse", available_weekdays=["2"])
    response = _portal(world.users["outsider"]).post("/trainers/join/", form)
    assert response.status_code == 400
    assert "The accreditation cannot expire before it began." in response.content.decode()
    assert not TrainerProfile.objects.filter(user=world.users["outsider"]).exists()


# --- accepting and declining ---------------------------------------------------------------------------------------


def test_accepting_and_declining_on_the_page_and_declining_frees_the_time_for_another_board(
    world: World, nurse: TrainerProfile
) -> None:
    leeds = _session(world, "leeds", "Neglect: recognising and responding")
    later = _session(world, "leeds", "Neglect: recognising and responding", _later(7))
    _assign(world, "leeds", leeds, nurse)
    _assign(world, "leeds", later, nurse)
    client = _portal(nurse.user)

    accepted = client.post(f"/trainers/sessions/{_booking(nurse, later).pk}/accept/", follow=True)
    assert "You accepted “Neglect: recognising and responding”" in accepted.content.decode()
    assert _booking(nurse, later).status == TrainerAssignment.Status.ACCEPTED

    booking = _booking(nurse, leeds)
    confirm = client.get(f"/trainers/sessions/{booking.pk}/decline/")
    assert confirm.status_code == 200
    assert b"Are you sure you want to decline this session?" in confirm.content
    assert _booking(nurse, leeds).status == TrainerAssignment.Status.PROPOSED  # asking changes nothing

    declined = client.post(f"/trainers/sessions/{booking.pk}/decline/", follow=True)
    assert "You declined" in declined.content.decode()
    assert _booking(nurse, leeds).status == TrainerAssignment.Status.DECLINED

    bradford = _session(world, "bradford", "Child sexual exploitation")  # the very same morning
    _assign(world, "bradford", bradford, nurse)
    assert _booking(nurse, bradford).status == TrainerAssignment.Status.PROPOSED

    again = client.post(f"/trainers/sessions/{booking.pk}/accept/", follow=True)
    assert "no longer waiting for an answer" in again.content.decode()


def test_a_trainer_who_books_time_away_is_warned_of_sessions_still_booked_and_can_withdraw(
    world: World, nurse: TrainerProfile
) -> None:
    session = _session(world, "leeds", "Neglect: recognising and responding")
    _assign(world, "leeds", session, nurse)
    client = _portal(nurse.user)
    client.post(f"/trainers/sessions/{_booking(nurse, session).pk}/accept/")

    away = client.post(
        "/trainers/availability/", {"starts_on": "2031-03-02", "ends_on": "2031-03-04", "reason": "Leave"}, follow=True
    )
    page = away.content.decode()
    assert "Boards will not book you from 2 March 2031 to 4 March 2031" in page
    assert (
        "You are still booked for “Neglect: recognising and responding” for Leeds Safeguarding Children Partnership"
        " on 3 March 2031" in page
    )

    mine = client.get("/trainers/").content.decode()
    assert 'Withdraw<span class="govuk-visually-hidden"> from Neglect: recognising and responding' in mine
    confirm = client.get(f"/trainers/sessions/{_booking(nurse, session).pk}/decline/")
    assert b"Are you sure you want to withdraw from this session?" in confirm.content
    withdrawn = client.post(f"/trainers/sessions/{_booking(nurse, session).pk}/decline/", follow=True)
    assert "You withdrew from “Neglect: recognising and responding”" in withdrawn.content.decode()
    assert _booking(nurse, session).status == TrainerAssignment.Status.DECLINED


def _link(page: str, text: str, title: str) -> tuple[str, str]:
    """The host and path of the link `text` in the row of the session called `title` (no link: ("", ""))."""
    found = re.search(
        rf'href="([^"]+)">{re.escape(text)}<span class="govuk-visually-hidden"> for {re.escape(title)},', page
    )
    if found is None:
        return "", ""
    url = urlsplit(found.group(1))
    return url.netloc, url.path


def test_an_accepted_session_links_to_its_register_and_sign_in_sheet_on_its_own_boards_host(
    world: World, nurse: TrainerProfile
) -> None:
    leeds = _session(world, "leeds", "Neglect: recognising and responding")
    bradford = _session(world, "bradford", "Child sexual exploitation", _later(1))
    waiting = _session(world, "leeds", "Domestic abuse and children", _later(2))
    for slug, session in (("leeds", leeds), ("bradford", bradford), ("leeds", waiting)):
        _assign(world, slug, session, nurse)
    client = _portal(nurse.user)
    client.post(f"/trainers/sessions/{_booking(nurse, leeds).pk}/accept/")
    client.post(f"/trainers/sessions/{_booking(nurse, bradford).pk}/accept/")

    mine = client.get("/trainers/").content.decode()

    for slug, session in (("leeds", leeds), ("bradford", bradford)):
        title = session.course.title
        assert _link(mine, "Attendance register", title) == (
            world.host(slug),
            f"/offer/sessions/{session.pk}/register/",
        )
        assert _link(mine, "Sign-in sheet (PDF)", title) == (
            world.host(slug),
            f"/offer/sessions/{session.pk}/sign-in-sheet.pdf",
        )
        assert f'Withdraw<span class="govuk-visually-hidden"> from {title}' in mine
    assert _link(mine, "Attendance register", "Domestic abuse and children") == ("", "")  # not accepted yet

    # Delivering the session is enough: the pool trainer holds no role in either board.
    for slug, session in (("leeds", leeds), ("bradford", bradford)):
        board = _board_client(world, slug, nurse.user)
        register = board.get(_link(mine, "Attendance register", session.course.title)[1])
        assert register.status_code == 200 and session.course.title in register.content.decode()
        sheet = board.get(_link(mine, "Sign-in sheet (PDF)", session.course.title)[1])
        assert sheet.status_code == 200 and sheet["Content-Type"] == "application/pdf"
    # Only the sessions they deliver: one merely proposed to them is refused, on the page and over the API.
    leeds_board = _board_client(world, "leeds", nurse.user)
    assert leeds_board.get(f"/offer/sessions/{waiting.pk}/register/").status_code == 403
    api = api_client(nurse.user, world.host("leeds"))
    assert api.get(f"/api/v1/registers/{leeds.pk}/").status_code == 200
    assert api.get(f"/api/v1/registers/{waiting.pk}/").status_code == 403


def test_my_sessions_cost_the_same_queries_for_one_accepted_session_and_for_several_boards(
    world: World, nurse: TrainerProfile
) -> None:
    client = _portal(nurse.user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            page = client.get("/trainers/")
            assert page.status_code == 200
        return len(context.captured_queries)

    counts = []
    for day, slug in enumerate(("leeds", "bradford", "leeds", "bradford")):
        session = _session(world, slug, f"Neglect {day}", _later(day))
        _assign(world, slug, session, nurse)
        client.post(f"/trainers/sessions/{_booking(nurse, session).pk}/accept/")
        counts.append(queries())

    assert client.get("/trainers/").content.decode().count(">Attendance register<") == 4
    assert counts[0] == counts[-1], counts


def test_the_platform_home_and_menu_lead_to_the_trainer_portal(world: World, nurse: TrainerProfile) -> None:
    signed_out = _portal().get("/").content.decode()
    assert 'href="/trainers/">open the trainer portal</a>' in signed_out
    menu = _portal(nurse.user).get("/").content.decode()
    assert '<a class="govuk-service-navigation__link" href="/trainers/">Trainer portal</a>' in menu


def test_a_trainer_cannot_answer_for_someone_else(world: World, nurse: TrainerProfile) -> None:
    session = _session(world, "leeds", "Neglect")
    _assign(world, "leeds", session, nurse)
    officer = _trainer(world, "pat.officer@police.test", world.agencies["police"], ["leeds"])
    booking = _booking(nurse, session)

    assert _portal(officer.user).post(f"/trainers/sessions/{booking.pk}/accept/").status_code == 404
    assert _portal(officer.user).get(f"/trainers/sessions/{booking.pk}/decline/").status_code == 404
    assert (
        api_client(officer.user, PLATFORM).post(f"/api/v1/trainer-assignments/{booking.pk}/accept/").status_code == 404
    )
    assert api_client(officer.user, PLATFORM).get(f"/api/v1/trainer-assignments/{booking.pk}/").status_code == 404
    assert _booking(nurse, session).status == TrainerAssignment.Status.PROPOSED


def test_accepting_and_declining_through_the_api(world: World, nurse: TrainerProfile) -> None:
    first = _session(world, "leeds", "Neglect")
    second = _session(world, "leeds", "Neglect", _later(7))
    _assign(world, "leeds", first, nurse)
    _assign(world, "leeds", second, nurse)
    client = api_client(nurse.user, PLATFORM)

    accepted = client.post(f"/api/v1/trainer-assignments/{_booking(nurse, first).pk}/accept/")
    declined = client.post(f"/api/v1/trainer-assignments/{_booking(nurse, second).pk}/decline/")

    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    _assign(world, "bradford", _session(world, "bradford", "CSE", _later(7)), nurse)  # the declined time is free
    again = client.post(f"/api/v1/trainer-assignments/{_booking(nurse, second).pk}/accept/")
    assert again.status_code == 400
    assert again.json()["error"]["fields"]["status"] == ["This session is no longer waiting for an answer."]


# --- boards served, and the board's approvals --------------------------------------------------------------------


def test_offering_to_serve_another_board_from_the_portal(world: World, nurse: TrainerProfile) -> None:
    client = _portal(nurse.user)
    page = client.get("/trainers/boards/").content.decode()
    assert page.count("Approved") == 2
    select = page.split("<select", 1)[1].split("</select>", 1)[0]
    assert "Croydon" in select and "Leeds" not in select and "Bradford" not in select

    response = client.post("/trainers/boards/", {"board": world.boards["croydon"].pk}, follow=True)

    assert "You offered to train for Croydon" in response.content.decode()
    assert BoardService.objects.get(trainer=nurse, board=world.boards["croydon"]).status == "requested"
    assert "Waiting for the board" in response.content.decode()
    refused = client.post("/trainers/boards/", {"board": world.boards["leeds"].pk})
    assert refused.status_code == 400 and "Choose a board or partnership from the list" in refused.content.decode()


def test_offers_through_the_api(world: World, nurse: TrainerProfile) -> None:
    client = api_client(nurse.user, PLATFORM)

    created = client.post("/api/v1/trainer-services/", {"board": "croydon"}, format="json")
    repeated = client.post("/api/v1/trainer-services/", {"board": "croydon"}, format="json")
    unknown = client.post("/api/v1/trainer-services/", {"board": "atlantis"}, format="json")

    assert created.status_code == 201 and created.json()["status"] == "requested"
    assert repeated.status_code == 200 and repeated.json()["id"] == created.json()["id"]
    assert unknown.status_code == 400 and "no board or partnership" in unknown.json()["error"]["message"]
    listed = client.get("/api/v1/trainer-services/").json()["results"]
    assert [(row["board"], row["status"]) for row in listed] == [
        ("bradford", "approved"),
        ("croydon", "requested"),
        ("leeds", "approved"),
    ]


def test_the_leeds_pool_lists_offers_to_leeds_only_waiting_first(world: World) -> None:
    waiting = _trainer(world, "alex.teacher@school.test", world.agencies["education"], ["leeds"], approve=False)
    approved = _trainer(world, "sam.nurse@nhs.test", world.agencies["health"], ["leeds"])
    croydon_only = _trainer(world, "kim.croydon@council.test", world.agencies["police"], ["croydon"], approve=False)
    pool.save_profile(approved.user, actor=None, accreditation_expires_on=date(2021, 1, 31))

    page = _board_client(world, "leeds", world.user("coordinator", "leeds")).get("/trainer-pool/")

    text = page.content.decode()
    assert page.status_code == 200
    assert text.index("Alex Teacher") < text.index("Approved trainers") < text.index("Sam Nurse")
    assert "Waiting for a decision" in text and "Test Education agency" in text
    assert "Expired on 31 January 2021" in text and "Trained on 10 January 2020" in text
    assert "Kim Croydon" not in text
    rows = api_client(world.user("coordinator", "leeds"), world.host("leeds")).get("/api/v1/trainer-pool/").json()
    assert [row["email"] for row in rows["results"]] == [waiting.user.email, approved.user.email]
    assert rows["results"][1]["accreditation"] == "Expired on 31 January 2021"
    assert croydon_only.user.email not in str(rows)


def test_leeds_managers_approve_and_refuse_on_the_leeds_host(world: World) -> None:
    teacher = _trainer(world, "alex.teacher@school.test", world.agencies["education"], ["leeds"], approve=False)
    service = BoardService.objects.get(trainer=teacher)
    coordinator = world.user("coordinator", "leeds")

    response = _board_client(world, "leeds", coordinator).post(f"/trainer-pool/{service.pk}/approve/", follow=True)

    assert "Alex Teacher is approved to train for the partnership" in response.content.decode()
    service.refresh_from_db()
    assert service.status == "approved" and service.decided_by == coordinator

    refused = api_client(world.user("board_admin", "leeds"), world.host("leeds")).post(
        f"/api/v1/trainer-pool/{service.pk}/refuse/"
    )
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    assert refused.json()["decided_by"] == "Board_Admin leeds"


def test_a_croydon_coordinator_cannot_approve_an_offer_to_leeds(world: World) -> None:
    teacher = _trainer(world, "alex.teacher@school.test", world.agencies["education"], ["leeds"], approve=False)
    service = BoardService.objects.get(trainer=teacher)
    croydon = world.user("coordinator", "croydon")

    on_croydon = api_client(croydon, world.host("croydon")).post(f"/api/v1/trainer-pool/{service.pk}/approve/")
    on_leeds = api_client(croydon, world.host("leeds")).post(f"/api/v1/trainer-pool/{service.pk}/approve/")
    page = _board_client(world, "croydon", croydon).post(f"/trainer-pool/{service.pk}/approve/")
    leeds_page = _board_client(world, "leeds", croydon).post(f"/trainer-pool/{service.pk}/approve/")

    assert (on_croydon.status_code, on_leeds.status_code, page.status_code, leeds_page.status_code) == (
        404,
        403,
        404,
        403,
    )
    service.refresh_from_db()
    assert service.status == "requested"
    practitioner = world.user("practitioner", "leeds")
    assert _board_client(world, "leeds", practitioner).get("/trainer-pool/").status_code == 403
    assert api_client(practitioner, world.host("leeds")).get("/api/v1/trainer-pool/").status_code == 403


def test_the_trainer_pool_is_in_the_board_managers_menu(world: World) -> None:
    coordinator = _board_client(world, "leeds", world.user("coordinator", "leeds")).get("/trainer-pool/")
    practitioner = _board_client(world, "leeds", world.user("practitioner", "leeds")).get("/")
    assert b'href="/trainer-pool/"' in coordinator.content
    assert b'href="/trainer-pool/"' not in practitioner.content


# --- availability ------------------------------------------------------------------------------------------------


def test_dates_away_and_usual_days_on_the_availability_page(world: World, nurse: TrainerProfile) -> None:
    client = _portal(nurse.user)

    added = client.post(
        "/trainers/availability/",
        {"starts_on": "2031-03-01", "ends_on": "2031-03-07", "reason": "Annual leave"},
        follow=True,
    )
    assert "Boards will not book you from 1 March 2031 to 7 March 2031" in added.content.decode()
    with pytest.raises(ValidationError, match="unavailable from 1 March to 7 March 2031"):
        _assign(world, "leeds", _session(world, "leeds", "Neglect"), nurse)

    bad = client.post("/trainers/availability/", {"starts_on": "2031-03-07", "ends_on": "2031-03-01"})
    assert bad.status_code == 400 and "The last day cannot be before the first." in bad.content.decode()
    assert Blackout.objects.filter(trainer=nurse).count() == 1

    saved = client.post("/trainers/availability/weekdays/", {"available_weekdays": ["2", "4"]}, follow=True)
    assert "At the moment: Tuesday, Thursday." in saved.content.decode()

    blackout = Blackout.objects.get(trainer=nurse)
    other = _trainer(world, "pat.officer@police.test", world.agencies["police"], ["leeds"])
    assert _portal(other.user).post(f"/trainers/availability/{blackout.pk}/remove/").status_code == 404
    removed = client.post(f"/trainers/availability/{blackout.pk}/remove/", follow=True)
    assert "Removed your dates away" in removed.content.decode()
    assert not Blackout.objects.filter(trainer=nurse).exists()


def test_dates_away_through_the_api(world: World, nurse: TrainerProfile) -> None:
    client = api_client(nurse.user, PLATFORM)

    created = client.post(
        "/api/v1/trainer-blackouts/",
        {"starts_on": "2031-03-01", "ends_on": "2031-03-07", "reason": "Leave"},
        format="json",
    )

    assert created.status_code == 201
    assert client.get("/api/v1/trainer-blackouts/").json()["count"] == 1
    other = _trainer(world, "pat.officer@police.test", world.agencies["police"], ["leeds"])
    stranger = api_client(other.user, PLATFORM)
    assert stranger.get("/api/v1/trainer-blackouts/").json()["count"] == 0
    assert stranger.delete(f"/api/v1/trainer-blackouts/{created.json()['id']}/").status_code == 404
    assert client.delete(f"/api/v1/trainer-blackouts/{created.json()['id']}/").status_code == 204
    assert not Blackout.objects.filter(trainer=nurse).exists()


# --- the API's own profile, and bad input ------------------------------------------------------------------------


def test_reading_and_changing_my_profile_through_the_api(world: World, nurse: TrainerProfile) -> None:
    client = api_client(nurse.user, PLATFORM)
    mine = client.get("/api/v1/trainer-profiles/me/").json()
    assert mine["email"] == "sam.nurse@nhs.test" and mine["topics"] == ["neglect"]
    assert mine["calendar_url"].endswith(f"/trainers/calendar/{nurse.calendar_token}.ics")

    changed = client.put(
        "/api/v1/trainer-profiles/me/",
        {
            "home_agency": world.agencies["health"].pk,
            "job_role": "Designated nurse",
            "topics": ["Neglect", "Online safety"],
            "available_weekdays": [5, 1, 1],
        },
        format="json",
    )

    assert changed.status_code == 200, changed.content
    assert changed.json()["topics"] == ["neglect", "online safety"]
    assert changed.json()["available_weekdays"] == [1, 5]
    assert changed.json()["trained_as_trainer_on"] == "2020-01-10"  # left out, so unchanged


def test_people_outside_the_pool_get_a_clear_answer_from_the_api(world: World) -> None:
    client = api_client(world.users["outsider"], PLATFORM)

    me = client.get("/api/v1/trainer-profiles/me/")
    blackout = client.post(
        "/api/v1/trainer-blackouts/", {"starts_on": "2031-03-01", "ends_on": "2031-03-02"}, format="json"
    )
    offer_ = client.post("/api/v1/trainer-services/", {"board": "leeds"}, format="json")

    assert me.status_code == 404 and "not in the trainer pool yet" in me.json()["error"]["message"]
    assert blackout.status_code == 403 and "trainer profile" in blackout.json()["error"]["message"]
    assert offer_.status_code == 403
    assert client.get("/api/v1/trainer-assignments/").json()["count"] == 0
    assert api_client(None, PLATFORM).get("/api/v1/trainer-assignments/").status_code in (401, 403)


@pytest.mark.parametrize(
    ("path", "method", "body", "field", "message"),
    [
        (
            "/api/v1/trainer-blackouts/",
            "post",
            {"starts_on": "2031-03-07", "ends_on": "2031-03-01"},
            "ends_on",
            "The last day cannot be before the first.",
        ),
        (
            "/api/v1/trainer-profiles/me/",
            "put",
            {"available_weekdays": [1, 9]},
            "available_weekdays",
            "Give weekdays as numbers from 1 (Monday) to 7 (Sunday).",
        ),
        (
            "/api/v1/trainer-profiles/me/",
            "put",
            {"topics": "neglect"},
            "topics",
            'Give topics as a list of text, like ["neglect", "online safety"].',
        ),
        (
            "/api/v1/trainer-profiles/me/",
            "put",
            {"topics": ["neglect", 5]},
            "topics",
            'Give topics as a list of text, like ["neglect", "online safety"].',
        ),
        (
            "/api/v1/trainer-profiles/me/",
            "put",
            {"trained_as_trainer_on": "2030-05-01", "accreditation_expires_on": "2029-05-01"},
            "accreditation_expires_on",
            "The accreditation cannot expire before it began.",
        ),
        (
            "/api/v1/trainer-profiles/me/",
            "put",
            {"home_agency": 10**12},
            "home_agency",
            "There is no active agency with this id (the list is at /api/v1/agencies/).",
        ),
        (
            "/api/v1/trainer-profiles/me/",
            "put",
            {"calendar_token": "mine"},
            "calendar_token",
            "This field is not recognised (check the spelling, or leave it out).",
        ),
    ],
)
def test_bad_input_is_a_400_that_says_what_is_wrong_and_saves_nothing(
    world: World, nurse: TrainerProfile, path: str, method: str, body: dict[str, Any], field: str, message: str
) -> None:
    valid = {"home_agency": world.agencies["health"].pk, "job_role": "Designated nurse"}
    before = TrainerProfile.objects.filter(pk=nurse.pk).values().get()

    response = getattr(api_client(nurse.user, PLATFORM), method)(
        path, {**(valid if method == "put" else {}), **body}, format="json"
    )

    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"][field] == [message]
    assert TrainerProfile.objects.filter(pk=nurse.pk).values().get() == before
    assert not Blackout.objects.filter(trainer=nurse).exists()


# --- the personal calendar ---------------------------------------------------------------------------------------


def test_the_personal_calendar_holds_every_boards_sessions_and_marks_cancelled_ones(
    world: World, nurse: TrainerProfile
) -> None:
    leeds = _session(world, "leeds", "Neglect: recognising and responding")
    bradford = _session(world, "bradford", "Child sexual exploitation", _later(1))
    declined = _session(world, "leeds", "Neglect: recognising and responding", _later(2))
    for slug, session in (("leeds", leeds), ("bradford", bradford), ("leeds", declined)):
        _assign(world, slug, session, nurse)
    pool.respond_to_assignment(_booking(nurse, leeds), accept=True, actor=nurse.user)
    pool.respond_to_assignment(_booking(nurse, declined), accept=False, actor=nurse.user)
    run_in_board(world.boards["bradford"], lambda: offer.cancel_session(bradford, actor=None, reason="Venue flooded"))

    response = _portal().get(f"/trainers/calendar/{nurse.calendar_token}.ics")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = {str(event["UID"]): event for event in Calendar.from_ical(response.content).walk("VEVENT")}
    bookings = {name: _booking(nurse, s) for name, s in (("leeds", leeds), ("bradford", bradford), ("no", declined))}
    assert set(events) == {f"{booking.pk}@{PLATFORM}" for booking in bookings.values()}
    accepted = events[f"{bookings['leeds'].pk}@{PLATFORM}"]
    assert str(accepted["SUMMARY"]) == "Neglect: recognising and responding (Leeds Safeguarding Children Partnership)"
    assert str(accepted["STATUS"]) == "CONFIRMED"
    assert accepted.decoded("DTSTART") == MORNING[0] and accepted.decoded("DTSTART").utcoffset() == timedelta(0)
    assert b"DTSTART:20310303T093000Z" in response.content and b"DTEND:20310303T123000Z" in response.content
    assert "Leeds Civic Hall" in str(accepted["LOCATION"])
    assert str(events[f"{bookings['bradford'].pk}@{PLATFORM}"]["STATUS"]) == "CANCELLED"
    assert str(events[f"{bookings['no'].pk}@{PLATFORM}"]["STATUS"]) == "CANCELLED"


def test_a_wrong_or_renewed_calendar_address_is_not_found(world: World, nurse: TrainerProfile) -> None:
    old = nurse.calendar_token
    assert _portal().get("/trainers/calendar/not-a-real-token-at-all-0000.ics").status_code == 404
    assert _portal().get(f"/trainers/calendar/{'A' * 32}.ics").status_code == 404

    response = _portal(nurse.user).post("/trainers/calendar/new-link/", follow=True)

    assert "Your calendar has a new address" in response.content.decode()
    nurse.refresh_from_db()
    assert nurse.calendar_token != old
    assert _portal().get(f"/trainers/calendar/{old}.ics").status_code == 404
    assert _portal().get(f"/trainers/calendar/{nurse.calendar_token}.ics").status_code == 200
    assert nurse.calendar_token in response.content.decode()


# --- hours lent --------------------------------------------------------------------------------------------------


def _accepted_hours(world: World, nurse: TrainerProfile) -> None:
    """Health: 3 h for Leeds and 3 h for Bradford in March 2031; police: 2 h for Leeds; one declined session."""
    officer = _trainer(world, "pat.officer@police.test", world.agencies["police"], ["leeds"])
    sessions = [
        ("leeds", _session(world, "leeds", "Neglect"), nurse),
        ("bradford", _session(world, "bradford", "CSE", _later(1)), nurse),
        ("leeds", _session(world, "leeds", "Neglect", (MORNING[0], MORNING[0] + timedelta(hours=2))), officer),
        ("leeds", _session(world, "leeds", "Neglect", _later(2)), nurse),
    ]
    for slug, session, trainer in sessions:
        _assign(world, slug, session, trainer)
    for _, session, trainer in sessions[:3]:
        pool.respond_to_assignment(_booking(trainer, session), accept=True, actor=trainer.user)
    pool.respond_to_assignment(_booking(nurse, sessions[3][1]), accept=False, actor=nurse.user)


def test_the_hours_lent_csv_totals_each_agency(world: World, nurse: TrainerProfile) -> None:
    _accepted_hours(world, nurse)

    response = _portal(world.users["staff"]).get(
        "/trainers/agencies/hours.csv", {"start": "2031-03-01", "end": "2031-03-31"}
    )

    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="hours-lent-2031-03-01-to-2031-03-31.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Agency", "Hours lent"],
        ["Test Health agency", "6.0"],
        ["Test Police agency", "2.0"],
        ["Total", "8.0"],
    ]
    april = _portal(world.users["staff"]).get(
        "/trainers/agencies/hours.csv", {"start": "2031-04-01", "end": "2031-04-30"}
    )
    assert list(csv.reader(io.StringIO(april.content.decode("utf-8-sig")))) == [
        ["Agency", "Hours lent"],
        ["Total", "0.0"],
    ]


def test_the_hours_lent_page_shows_staff_every_agency_and_a_trainer_their_own(
    world: World, nurse: TrainerProfile
) -> None:
    _accepted_hours(world, nurse)
    period = {"start": "2031-03-01", "end": "2031-03-31"}

    staff = _portal(world.users["staff"]).get("/trainers/agencies/hours/", period).content.decode()
    trainer = _portal(nurse.user).get("/trainers/agencies/hours/", period).content.decode()
    trainer_csv = _portal(nurse.user).get("/trainers/agencies/hours.csv", period).content.decode("utf-8-sig")

    assert "Test Police agency" in staff and "Test Health agency" in staff and "8.0" in staff
    assert 'class="trainer-bar-chart" aria-hidden="true"' in staff and "<table" in staff
    assert "width: 100%" in staff and "width: 33%" in staff
    assert "hours.csv?start=2031-03-01&amp;end=2031-03-31" in staff
    assert "Test Health agency" in trainer and "Test Police agency" not in trainer
    assert "Test Police agency" not in trainer_csv and "Test Health agency,6.0" in trainer_csv
    assert _portal(world.users["outsider"]).get("/trainers/agencies/hours/").status_code == 403
    assert _portal(world.users["outsider"]).get("/trainers/agencies/hours.csv").status_code == 403
    backwards = _portal(world.users["staff"]).get(
        "/trainers/agencies/hours/", {"start": "2031-03-31", "end": "2031-03-01"}
    )
    assert backwards.status_code == 400
    assert "The last day must be the same as or after the first day" in backwards.content.decode()
    bad_csv = _portal(world.users["staff"]).get("/trainers/agencies/hours.csv", {"start": "2031-02-30", "end": "x"})
    assert bad_csv.status_code == 400


def test_my_hours_this_financial_year_per_board(world: World, nurse: TrainerProfile) -> None:
    _accepted_hours(world, nurse)

    with time_machine.travel(datetime(2031, 3, 20, 12, 0, tzinfo=LONDON)):
        page = _portal(nurse.user).get("/trainers/hours/")
    with time_machine.travel(datetime(2031, 4, 2, 12, 0, tzinfo=LONDON)):
        next_year = _portal(nurse.user).get("/trainers/hours/")

    text = page.content.decode()
    assert "1 April 2030 to 31 March 2031" in text
    leeds_row = text.split("Leeds Safeguarding Children Partnership", 1)[1].split("</tr>", 1)[0]
    bradford_row = text.split("Bradford Safeguarding Children Partnership", 1)[1].split("</tr>", 1)[0]
    assert "3.0" in leeds_row and "3.0" in bradford_row
    assert "6.0" in text.split("Total", 1)[1]
    assert "No accepted training from your agency yet this financial year." in next_year.content.decode()


# --- every portal page opens ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/trainers/", "My sessions"),
        ("/trainers/boards/", "Boards I serve"),
        ("/trainers/availability/", "Availability"),
        ("/trainers/hours/", "Hours lent by Test Health agency"),
        ("/trainers/profile/", "My trainer profile"),
        ("/trainers/agencies/hours/", "Hours lent by Test Health agency"),
    ],
)
def test_every_portal_page_opens_for_a_trainer(world: World, nurse: TrainerProfile, path: str, heading: str) -> None:
    response = _portal(nurse.user).get(path)
    assert response.status_code == 200
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in response.content.decode()
    assert b'aria-label="Trainer portal"' in response.content
