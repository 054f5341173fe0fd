"""The board's training offer: the public catalogue and course pages, the calendar feed, the API (venues, courses,
sessions and their trainers, standards, observations) and the managers' pages."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import World, api_client
from shared_apps.accounts.services import create_user
from shared_apps.agencies.models import Agency
from shared_apps.trainers import services as pool
from shared_apps.trainers.models import TrainerAssignment, TrainerProfile
from tenant_apps.audiences import services as audiences
from tenant_apps.learning_sources import services as learning_sources
from tenant_apps.offer import selectors, services
from tenant_apps.offer.calendar import board_calendar
from tenant_apps.offer.models import Course, Observation, Session, SessionPart, TrainingStandard, Venue
from tenant_apps.offer.services import PartSpec
from tenant_apps.strategy import services as strategy
from tenants.cross_board import run_in_board
from tests.test_isolation_sweep import _catalogue_of_the_board_served

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MORNING = datetime(2031, 3, 4, 9, 30, tzinfo=LONDON)  # a Tuesday


# --- making things ----------------------------------------------------------------------------------------------


def _in(world: World, slug: str, work: Any) -> Any:
    return run_in_board(world.boards[slug], work)


def _venue(world: World, slug: str = "leeds", **fields: Any) -> Venue:
    values = {
        "name": "Civic Hall",
        "room": "Committee Room 2",
        "address": "Calverley Street",
        "postcode": "LS1 1UR",
        "capacity": 25,
        **fields,
    }
    return _in(world, slug, lambda: services.save_venue(actor=None, **values))


def _course(world: World, slug: str = "leeds", **fields: Any) -> Course:
    values = {
        "title": "Neglect: recognising and responding",
        "summary": "Level 3 neglect training for practitioners.",
        "learning_outcomes": "Recognise neglect\nUse the neglect toolkit\nKnow when to refer",
        "intervention_type": "classroom",
        "duration_hours": Decimal("3"),
        "topic": "neglect",
        "status": "published",
        **fields,
    }
    return _in(world, slug, lambda: services.save_course(actor=None, **values))


def _session(
    world: World,
    course: Course,
    starts: datetime = MORNING,
    *,
    slug: str = "leeds",
    hours: int = 3,
    venue: Venue | None = None,
    capacity: int = 20,
    days: int = 1,
) -> Session:
    parts = [PartSpec(starts + timedelta(days=n), starts + timedelta(days=n, hours=hours), venue) for n in range(days)]
    return _in(world, slug, lambda: services.schedule_session(course, actor=None, capacity=capacity, parts=parts))


def _trainer(
    world: World,
    email: str,
    agency: Agency,
    boards: tuple[str, ...] = ("leeds",),
    topics: tuple[str, ...] = ("neglect",),
) -> TrainerProfile:
    user = create_user(email, email.split("@")[0].replace(".", " ").title(), "correct horse battery staple")
    profile = pool.save_profile(
        user,
        actor=None,
        home_agency=agency,
        job_role="Safeguarding lead",
        topics=list(topics),
        trained_as_trainer_on=date(2030, 1, 10),
    )
    for slug in boards:
        service = pool.offer_to_serve(profile, world.boards[slug], actor=user)
        pool.decide_service(service, approve=True, actor=world.user("coordinator", slug))
    return profile


def _page(world: World, role: str | None = None, slug: str = "leeds", as_board: str | None = None) -> Client:
    client = Client(HTTP_HOST=world.host(slug))
    if role:
        client.force_login(world.user(role, as_board or slug))
    return client


def _api(world: World, role: str | None = "coordinator", slug: str = "leeds", as_board: str | None = None) -> Any:
    return api_client(world.user(role, as_board or slug) if role else None, world.host(slug))


def _text(response: Any) -> str:
    """The page's words, without markup and with spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _count(world: World, model: Any, slug: str = "leeds") -> int:
    return int(_in(world, slug, model.objects.count))


def _catalogue_ids(world: World, query: dict[str, str] | None = None) -> list[str]:
    response = _api(world, None).get("/api/v1/catalogue/sessions/", query or {})
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- the catalogue ----------------------------------------------------------------------------------------------


def test_the_catalogue_shows_only_scheduled_sessions_of_published_courses_still_to_come(world: World) -> None:
    published = _course(world)
    draft = _course(world, title="Draft course", status="draft")
    archived = _course(world, title="Archived course")
    shown = _session(world, published)
    _session(world, draft)
    _session(world, archived)
    _in(world, "leeds", lambda: services.save_course(archived, actor=None, status="archived"))
    _session(world, published, datetime(2020, 3, 3, 9, 30, tzinfo=LONDON))  # past
    cancelled = _session(world, published, MORNING + timedelta(days=7))
    postponed = _session(world, published, MORNING + timedelta(days=14))
    _in(world, "leeds", lambda: services.cancel_session(cancelled, actor=None, reason="Trainer unwell"))
    _in(world, "leeds", lambda: services.postpone_session(postponed, actor=None, reason="Room flooded"))

    assert _catalogue_ids(world) == [str(shown.pk)]
    page = _page(world).get("/courses/")
    assert page.status_code == 200
    text = _text(page)
    assert "1 session" in text and "Neglect: recognising and responding" in text
    assert "Draft course" not in text and "Archived course" not in text
    assert "Tuesday 4 March 2031, 9:30am to 12:30pm" in text


def test_each_catalogue_filter_narrows_the_list(world: World) -> None:
    def groups() -> tuple[Any, Any]:
        return (
            audiences.create_group(actor=None, scheme="group", code="Group 3", name="Practitioners in contact"),
            audiences.create_group(actor=None, scheme="group", code="Group 1", name="Everyone"),
        )

    group_3, group_1 = _in(world, "leeds", groups)
    neglect = _course(world, audience_groups=[group_3], topic="Neglect")
    cse = _course(
        world,
        title="Child exploitation online",
        summary="Spotting exploitation early.",
        intervention_type="elearning",
        delivery="online",
        topic="CSE",
        audience_groups=[group_1],
    )
    march = _session(world, neglect, MORNING)
    april = _session(world, cse, datetime(2031, 4, 15, 10, 0, tzinfo=LONDON))
    may = _session(world, neglect, datetime(2031, 5, 20, 13, 0, tzinfo=LONDON))
    every = [str(s.pk) for s in (march, april, may)]

    assert _catalogue_ids(world) == every
    cases = {
        "q": ("exploitation", [april]),
        "audience_group": ("Group 3", [march, may]),
        "intervention_type": ("elearning", [april]),
        "topic": ("neglect", [march, may]),
        "from": ("2031-04-15", [april, may]),
        "to": ("2031-04-15", [march, april]),
    }
    for name, (value, expected) in cases.items():
        wanted = [str(s.pk) for s in expected]
        assert _catalogue_ids(world, {name: value}) == wanted, name
        page = _page(world).get("/courses/", {name: value})
        assert page.status_code == 200
        shown = re.findall(r"/courses/([0-9a-f-]{36})/", page.content.decode())
        assert len(shown) == len(expected), (name, shown)
    both = {"topic": "neglect", "from": "2031-05-01"}
    assert _catalogue_ids(world, both) == [str(may.pk)]


def test_bad_catalogue_filters_are_explained(world: World) -> None:
    response = _api(world, None).get("/api/v1/catalogue/sessions/", {"from": "next week", "intervention_type": "x"})
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "from" in fields and "intervention_type" in fields

    page = _page(world).get("/courses/", {"from": "2031-04-10", "to": "2031-04-01"})
    text = _text(page)
    assert "There is a problem" in text
    assert "must be the same as or after" in text
    assert page.content.decode().count("<title>Error: Courses") == 1


def test_the_catalogue_pages_twenty_sessions_at_a_time(world: World) -> None:
    course = _course(world)
    for n in range(23):
        _session(world, course, MORNING + timedelta(days=n))
    first = _page(world).get("/courses/")
    assert "23 sessions" in _text(first)
    assert first.content.decode().count('href="/courses/' + str(course.pk)) == 20
    second = _page(world).get("/courses/", {"page": "2"})
    assert second.content.decode().count('href="/courses/' + str(course.pk)) == 3
    assert 'aria-current="page">2<' in second.content.decode()


def test_the_course_page_shows_its_details_and_places_left(world: World) -> None:
    group = _in(
        world, "leeds", lambda: audiences.create_group(actor=None, scheme="group", code="Group 3", name="Staff")
    )
    venue = _venue(world)
    course = _course(world, audience_groups=[group], prerequisites="Level 2 neglect")
    _session(world, course, venue=venue, capacity=12, days=2)
    response = _page(world).get(f"/courses/{course.pk}/")
    assert response.status_code == 200
    text = _text(response)
    assert "12 places left" in text
    assert "Group 3: Staff" in text and "3 hours" in text and "Classroom" in text and "Level 2 neglect" in text
    assert "Civic Hall, Committee Room 2, Calverley Street, LS1 1UR" in text
    assert "Wednesday 5 March 2031, 9:30am to 12:30pm" in text  # the second part
    assert response.content.decode().count("<li>") >= 3  # the learning outcomes as a list
    assert "Know when to refer" in text

    api = _api(world, None).get(f"/api/v1/catalogue/courses/{course.pk}/").json()
    assert api["learning_outcomes"] == ["Recognise neglect", "Use the neglect toolkit", "Know when to refer"]
    assert api["sessions"][0]["places_left"] == 12 and api["sessions"][0]["full"] is False
    assert len(api["sessions"][0]["parts"]) == 2 and "venue" not in api["sessions"][0]["parts"][0]


def test_places_taken_come_from_one_hook_and_a_full_session_says_so(world: World, monkeypatch: Any) -> None:
    course = _course(world)
    session = _session(world, course, capacity=12)
    assert _in(world, "leeds", lambda: selectors.places_taken_by_session([session.pk])) == {session.pk: 0}
    monkeypatch.setattr(selectors, "places_taken", lambda: F("capacity"))
    assert "Full" in _text(_page(world).get("/courses/"))
    assert _in(world, "leeds", lambda: selectors.places_taken_by_session([session.pk])) == {session.pk: 12}
    row = _api(world, None).get("/api/v1/catalogue/sessions/").json()["results"][0]
    assert row["places_left"] == 0 and row["full"] is True


def test_draft_courses_and_other_boards_courses_are_not_found(world: World) -> None:
    draft = _course(world, status="draft")
    assert _page(world).get(f"/courses/{draft.pk}/").status_code == 404
    published = _course(world)
    assert _page(world, slug="croydon").get(f"/courses/{published.pk}/").status_code == 404
    assert _api(world, None, slug="croydon").get(f"/api/v1/catalogue/courses/{published.pk}/").status_code == 404


def test_the_sweeps_catalogue_check_catches_a_session_that_is_not_public(world: World) -> None:
    course = _course(world)
    _session(world, course)
    cancelled = _session(world, course, MORNING + timedelta(days=3))
    _in(world, "leeds", lambda: services.cancel_session(cancelled, actor=None, reason="No trainer"))
    response = _api(world, None).get("/api/v1/catalogue/sessions/")
    assert _catalogue_of_the_board_served(response, None, world.boards["leeds"]) is None
    body = response.json()
    body["results"].append({**body["results"][0], "id": str(cancelled.pk)})
    response.content = json.dumps(body).encode()
    assert "not in leeds's public catalogue" in str(
        _catalogue_of_the_board_served(response, None, world.boards["leeds"])
    )


# --- the calendar feed ------------------------------------------------------------------------------------------


def test_the_calendar_feed_has_one_event_per_part_with_stable_uids(world: World) -> None:
    venue = _venue(world)
    course = _course(world)
    two_days = _session(world, course, venue=venue, days=2)
    online = _course(world, title="Online briefing", delivery="online", intervention_type="briefing")
    _session(world, online, MORNING + timedelta(days=10), hours=1)
    cancelled = _session(world, course, MORNING + timedelta(days=20))
    _in(world, "leeds", lambda: services.cancel_session(cancelled, actor=None, reason="Too few bookings"))
    _session(world, _course(world, title="Draft", status="draft"), MORNING + timedelta(days=30))

    first = _page(world).get("/courses/calendar.ics")
    assert first.status_code == 200
    assert first["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(first.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 3
    parts = _in(world, "leeds", lambda: list(SessionPart.objects.filter(session=two_days).order_by("during")))
    uids = [str(event["UID"]) for event in events]
    assert uids[:2] == [f"{part.pk}@leeds.{settings.PLATFORM_HOST}" for part in parts]
    day_one = events[0]
    assert day_one.decoded("DTSTART") == datetime(2031, 3, 4, 9, 30, tzinfo=LONDON)
    assert day_one["DTSTART"].to_ical() == b"20310304T093000Z"
    assert str(day_one["SUMMARY"]) == "Neglect: recognising and responding (part 1 of 2)"
    assert str(day_one["LOCATION"]) == "Civic Hall, Committee Room 2, Calverley Street, LS1 1UR"
    course_url = f"http://{world.host('leeds')}/courses/{course.pk}/"
    assert str(day_one["URL"]) == course_url and course_url in str(day_one["DESCRIPTION"])
    assert str(events[2]["LOCATION"]) == "Online" and str(events[2]["SUMMARY"]) == "Online briefing"

    second = _page(world).get("/courses/calendar.ics")
    assert [str(e["UID"]) for e in icalendar.Calendar.from_ical(second.content).walk("VEVENT")] == uids
    assert second.content == first.content

    # The feed is cached, until a session changes: a cancelled one leaves it at once.
    _in(world, "leeds", lambda: services.cancel_session(two_days, actor=None, reason="Venue closed"))
    third = icalendar.Calendar.from_ical(_page(world).get("/courses/calendar.ics").content)
    assert [str(e["UID"]) for e in third.walk("VEVENT")] == uids[2:]


def test_the_calendar_function_returns_bytes_for_a_board(world: World) -> None:
    _session(world, _course(world))

    def feed() -> bytes:
        return board_calendar(world.boards["leeds"], lambda course: f"https://x/{course.pk}")

    first, second = _in(world, "leeds", feed), _in(world, "leeds", feed)
    assert isinstance(first, bytes) and first.startswith(b"BEGIN:VCALENDAR") and first == second
    assert b"X-WR-CALNAME:Leeds Safeguarding Children Partnership: training" in first


# --- the API: venues, courses, sessions -------------------------------------------------------------------------


def _session_body(course: Course, venue: Venue | None, **overrides: Any) -> dict[str, Any]:
    body = {
        "course": str(course.pk),
        "capacity": 20,
        "parts": [
            {
                "starts_at": "2031-03-04T09:30:00Z",
                "ends_at": "2031-03-04T12:30:00Z",
                "venue": str(venue.pk) if venue else None,
            }
        ],
    }
    body.update(overrides)
    return body


def test_a_coordinator_schedules_a_two_part_session_through_the_api(world: World) -> None:
    api = _api(world)
    venue = api.post(
        "/api/v1/venues/", {"name": "Civic Hall", "address": "Calverley Street", "capacity": 30}, format="json"
    )
    assert venue.status_code == 201, venue.content
    course = _course(world)
    body = _session_body(course, None)
    body["parts"] = [
        {"starts_at": "2031-03-04T09:30:00Z", "ends_at": "2031-03-04T16:30:00Z", "venue": venue.json()["id"]},
        {"starts_at": "2031-03-11T09:30:00Z", "ends_at": "2031-03-11T16:30:00Z"},
    ]
    created = api.post("/api/v1/sessions/", body, format="json")
    assert created.status_code == 201, created.content
    session = created.json()
    assert session["places_left"] == 20 and session["status"] == "scheduled"
    assert session["starts_at"] == "2031-03-04T09:30:00Z" and session["ends_at"] == "2031-03-11T16:30:00Z"
    assert [p["location"] for p in session["parts"]] == ["Civic Hall, Calverley Street", ""]

    moved = api.patch(
        f"/api/v1/sessions/{session['id']}/",
        {"parts": [{"starts_at": "2031-03-05T09:30:00Z", "ends_at": "2031-03-05T12:30:00Z"}], "capacity": 15},
        format="json",
    )
    assert moved.status_code == 200, moved.content
    assert len(moved.json()["parts"]) == 1 and moved.json()["capacity"] == 15
    other = _course(world, title="Other")
    refused = api.patch(f"/api/v1/sessions/{session['id']}/", {"course": str(other.pk)}, format="json")
    assert refused.status_code == 400 and "cannot be changed" in refused.json()["error"]["message"]
    # A PATCH leaves nested fields optional: a part with no end is still refused (found by the fuzz test: a 500).
    half = api.patch(
        f"/api/v1/sessions/{session['id']}/", {"parts": [{"starts_at": "2031-03-05T09:30:00Z"}]}, format="json"
    )
    assert half.status_code == 400 and "Give each part a start" in str(half.json()["error"])


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"parts": [{"starts_at": "2031-03-04T12:30:00Z", "ends_at": "2031-03-04T09:30:00Z"}]},
            "parts",
            "must end after it starts",
        ),
        ({"capacity": 0}, "capacity", "greater than or equal to 1"),
        ({"capacity": 40}, "capacity", "holds 25 people; the session's capacity of 40 is more than that"),
        ({"parts": []}, "parts", "at least one dated part"),
        (
            {"parts": [{"starts_at": "2031-03-04T09:30:00Z", "ends_at": "2031-03-04T12:30:00Z", "room": "x"}]},
            "parts",
            "“room” is not a field of a part",
        ),
    ],
)
def test_impossible_sessions_are_refused_with_a_reason_and_nothing_saved(
    world: World, change: dict[str, Any], field: str, message: str
) -> None:
    venue = _venue(world)
    course = _course(world)
    body = _session_body(course, venue, **change)
    if "parts" in change:
        for part in body["parts"]:
            part.setdefault("venue", str(venue.pk))
    response = _api(world).post("/api/v1/sessions/", body, format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert message in error["message"], error
    assert field in json.dumps(error["fields"])
    assert _count(world, Session) == 0 and _count(world, SessionPart) == 0


def test_an_archived_course_cannot_have_new_sessions(world: World) -> None:
    course = _course(world, status="archived")
    response = _api(world).post("/api/v1/sessions/", _session_body(course, None), format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"]["course"] == [
        "“Neglect: recognising and responding” is archived: make it a draft or publish it first."
    ]
    assert _count(world, Session) == 0


def test_a_room_already_booked_is_refused_naming_the_other_course(world: World) -> None:
    venue = _venue(world)
    _session(world, _course(world, title="Domestic abuse"), venue=venue)
    body = _session_body(_course(world), venue)
    body["parts"][0]["starts_at"] = "2031-03-04T11:00:00Z"
    body["parts"][0]["ends_at"] = "2031-03-04T15:00:00Z"
    response = _api(world).post("/api/v1/sessions/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["parts"] == [
        "Civic Hall, Committee Room 2 is already booked then for “Domestic abuse” (4 March 09:30)."
    ]
    assert _count(world, Session) == 1


def test_cancelling_needs_a_reason_and_frees_the_room(world: World) -> None:
    venue = _venue(world)
    session = _session(world, _course(world), venue=venue)
    api = _api(world)
    refused = api.post(f"/api/v1/sessions/{session.pk}/cancel/", {"reason": "   "}, format="json")
    assert refused.status_code == 400 and "Say why" in refused.json()["error"]["message"]
    missing = api.post(f"/api/v1/sessions/{session.pk}/postpone/", {}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()["error"]["fields"]
    done = api.post(f"/api/v1/sessions/{session.pk}/cancel/", {"reason": "Trainer unwell"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    assert done.json()["status_reason"] == "Trainer unwell"
    again = api.post(f"/api/v1/sessions/{session.pk}/cancel/", {"reason": "Still unwell"}, format="json")
    assert again.status_code == 400 and "already cancelled" in again.json()["error"]["message"]
    assert api.post("/api/v1/sessions/", _session_body(_course(world), venue), format="json").status_code == 201


def test_courses_take_audience_groups_priorities_and_themes_by_id(world: World) -> None:
    def links() -> tuple[Any, Any, Any]:
        group = audiences.create_group(actor=None, scheme="group", code="Group 4", name="Managers")
        theme = learning_sources.create_theme(actor=None, title="Voice of the child")
        adopted = strategy.create_strategy(
            actor=None,
            title="Strategy",
            period_start=date(2024, 4, 1),
            period_end=date(2027, 3, 31),
            status="adopted",
            adopted_on=date(2024, 3, 1),
        )
        plan = strategy.create_plan(adopted, actor=None, title="Delivery plan")
        row = strategy.add_plan_item(plan, actor=None, priority="Neglect training for schools", target="Q2 2025")
        return group, theme, row

    group, theme, row = _in(world, "leeds", links)
    body = {
        "title": "Neglect for schools",
        "summary": "For designated safeguarding leads.",
        "intervention_type": "workshop",
        "duration_hours": "3.5",
        "topic": " Neglect ",
        "audience_groups": [str(group.pk)],
        "priorities": [str(row.pk)],
        "themes": [str(theme.pk)],
    }
    created = _api(world).post("/api/v1/courses/", body, format="json")
    assert created.status_code == 201, created.content
    course = created.json()
    assert course["audience_groups"] == [str(group.pk)] and course["priorities"] == [str(row.pk)]
    assert course["themes"] == [str(theme.pk)] and course["topic"] == "neglect" and course["status"] == "draft"
    changed = _api(world).patch(f"/api/v1/courses/{course['id']}/", {"themes": []}, format="json")
    assert changed.json()["themes"] == [] and changed.json()["priorities"] == [str(row.pk)]
    # Its strategy superseded, the row stays linked through edits of the course, on the API and on the page.
    _in(world, "leeds", lambda: strategy.update_strategy(row.plan.strategy, actor=None, status="superseded"))
    kept = _api(world).put(f"/api/v1/courses/{course['id']}/", {**body, "title": "Neglect in schools"}, format="json")
    assert kept.status_code == 200, kept.content
    assert kept.json()["priorities"] == [str(row.pk)]
    new = _api(world).post("/api/v1/courses/", body, format="json")
    assert new.status_code == 400 and "priorities" in new.json()["error"]["fields"]
    form = _page(world, "coordinator").get(f"/offer/courses/{course['id']}/edit/").content.decode()
    assert f'value="{row.pk}" checked' in form
    wrong = _api(world).post("/api/v1/courses/", {**body, "themes": ["not-an-id"]}, format="json")
    assert wrong.status_code == 400 and "themes" in wrong.json()["error"]["fields"]


# --- the API: trainers ------------------------------------------------------------------------------------------


def test_a_trainer_is_booked_and_taken_off_through_the_api(world: World) -> None:
    lead = _trainer(world, "sam.nurse@nhs.test", world.agencies["health"])
    police = _trainer(world, "pat.officer@police.test", world.agencies["police"])
    _trainer(world, "alex.health@nhs.test", world.agencies["health"])  # the lead's agency: not suggested
    session = _session(world, _course(world), days=2)
    api = _api(world)
    url = f"/api/v1/sessions/{session.pk}/trainers/"

    booked = api.post(url, {"trainer": lead.pk, "role": "lead"}, format="json")
    assert booked.status_code == 201, booked.content
    assert booked.json() == [
        {
            "trainer": {
                "id": lead.pk,
                "name": "Sam Nurse",
                "agency": world.agencies["health"].name,
                "job_role": "Safeguarding lead",
                "topics": ["neglect"],
            },
            "role": "lead",
            "role_label": "Lead trainer",
            "status": "proposed",
            "status_label": "Waiting for the trainer",
        }
    ]
    assert TrainerAssignment.objects.filter(trainer=lead, session_id=session.pk).count() == 2  # both parts

    suggestions = api.get(f"/api/v1/sessions/{session.pk}/co-trainer-suggestions/")
    assert [row["id"] for row in suggestions.json()] == [police.pk]
    second_lead = api.post(url, {"trainer": police.pk, "role": "lead"}, format="json")
    assert second_lead.status_code == 400 and "already has a lead trainer" in second_lead.json()["error"]["message"]
    assert api.post(url, {"trainer": police.pk, "role": "co"}, format="json").status_code == 201
    assert [row["role"] for row in api.get(url).json()] == ["lead", "co"]

    removed = api.delete(f"{url}{lead.pk}/")
    assert removed.status_code == 204
    assert not TrainerAssignment.objects.filter(
        trainer=lead, session_id=session.pk, status__in=TrainerAssignment.HOLDS_TIME
    ).exists()
    assert api.delete(f"{url}{lead.pk}/").status_code == 404
    assert [row["trainer"]["id"] for row in api.get(url).json()] == [police.pk]


def test_unapproved_expired_and_unknown_trainers_are_refused_with_the_reason(world: World) -> None:
    bradford_only = _trainer(world, "kim.social@council.test", world.agencies["childrens_social_care"], ("bradford",))
    pool.offer_to_serve(bradford_only, world.boards["leeds"], actor=bradford_only.user)  # asked, not approved
    expired = _trainer(world, "jo.school@school.test", world.agencies["education"])
    pool.save_profile(expired.user, actor=None, accreditation_expires_on=date(2031, 1, 31))
    stranger = _trainer(world, "lee.stranger@police.test", world.agencies["police"], ("croydon",))
    session = _session(world, _course(world))
    url = f"/api/v1/sessions/{session.pk}/trainers/"
    api = _api(world)

    unapproved = api.post(url, {"trainer": bradford_only.pk, "role": "lead"}, format="json")
    assert unapproved.status_code == 400
    assert unapproved.json()["error"]["fields"]["trainer"] == [
        "Kim Social is not approved to train for Leeds Safeguarding Children Partnership."
    ]
    lapsed = api.post(url, {"trainer": expired.pk, "role": "lead"}, format="json")
    assert lapsed.status_code == 400
    assert "accreditation expired on 31 January 2031" in lapsed.json()["error"]["message"]
    unknown = api.post(url, {"trainer": stranger.pk, "role": "co"}, format="json")
    assert unknown.status_code == 400
    assert unknown.json()["error"]["fields"]["trainer"] == [
        f"There is no trainer {stranger.pk} in this board's trainer pool."
    ]
    bad_role = api.post(url, {"trainer": expired.pk, "role": "assistant"}, format="json")
    assert bad_role.status_code == 400 and "role" in bad_role.json()["error"]["fields"]
    assert not TrainerAssignment.objects.filter(session_id=session.pk).exists()


# --- the API: standards and observations ------------------------------------------------------------------------


def test_observations_judge_every_active_standard(world: World) -> None:
    trainer = _trainer(world, "sam.nurse@nhs.test", world.agencies["health"])
    api = _api(world)
    on_time = api.post("/api/v1/training-standards/", {"title": "Keeps to time", "order": 1}, format="json").json()
    engages = api.post("/api/v1/training-standards/", {"title": "Engages the group", "order": 2}, format="json").json()
    body = {
        "trainer": trainer.pk,
        "observer_name": "Dana Observer",
        "observed_on": "2031-03-04",
        "checklist": {on_time["id"]: "met"},
        "outcome": "developing",
        "follow_up_actions": "Co-train twice with a senior trainer",
    }
    partial = api.post("/api/v1/observations/", body, format="json")
    assert partial.status_code == 400 and "every active training standard" in partial.json()["error"]["message"]
    wrong = api.post("/api/v1/observations/", {**body, "checklist": {on_time["id"]: "yes"}}, format="json")
    assert wrong.status_code == 400 and "checklist" in wrong.json()["error"]["fields"]
    body["checklist"] = {on_time["id"]: "met", engages["id"]: "partly"}
    created = api.post("/api/v1/observations/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["trainer_name"] == "Sam Nurse" and created.json()["outcome"] == "developing"
    assert _count(world, Observation) == 1
    assert api.get("/api/v1/observations/").json()["count"] == 1


# --- permissions and isolation ----------------------------------------------------------------------------------

MANAGER_PAGES = [
    "/offer/sessions/",
    "/offer/sessions/new/",
    "/offer/courses/",
    "/offer/courses/new/",
    "/offer/venues/",
    "/offer/venues/new/",
    "/offer/standards/",
    "/offer/standards/new/",
    "/offer/observations/",
    "/offer/observations/new/",
]
MANAGER_API = [
    "/api/v1/venues/",
    "/api/v1/courses/",
    "/api/v1/sessions/",
    "/api/v1/training-standards/",
    "/api/v1/observations/",
]


def test_a_practitioner_reads_the_catalogue_but_not_the_managers_pages_or_api(world: World) -> None:
    course = _course(world)
    session = _session(world, course)
    page = _page(world, "practitioner")
    for url in [*MANAGER_PAGES, f"/offer/sessions/{session.pk}/"]:
        assert page.get(url).status_code == 403, url
    assert page.post(f"/offer/sessions/{session.pk}/cancel/", {"reason": "x"}).status_code == 403
    for url in ("/courses/", f"/courses/{course.pk}/", "/courses/calendar.ics"):
        assert page.get(url).status_code == 200, url
    api = _api(world, "practitioner")
    for url in MANAGER_API:
        assert api.get(url).status_code == 403, url
    assert api.post("/api/v1/venues/", {"name": "x", "address": "y", "capacity": 3}, format="json").status_code == 403
    assert api.post(f"/api/v1/sessions/{session.pk}/cancel/", {"reason": "x"}, format="json").status_code == 403
    assert api.get("/api/v1/catalogue/sessions/").status_code == 200
    assert _in(world, "leeds", lambda: Session.objects.get(pk=session.pk).status) == "scheduled"


def test_anyone_signed_out_reads_the_catalogue_and_is_sent_to_sign_in_for_the_rest(world: World) -> None:
    course = _course(world)
    page = _page(world)
    assert page.get("/courses/").status_code == 200
    assert page.get(f"/courses/{course.pk}/").status_code == 200
    response = page.get("/offer/sessions/")
    assert response.status_code == 302 and "sign-in" in response["Location"]
    assert _api(world, None).get(f"/api/v1/catalogue/courses/{course.pk}/").status_code == 200
    assert _api(world, None).get("/api/v1/sessions/").status_code in (401, 403)


def test_croydon_people_get_403_on_leeds_managers_pages(world: World) -> None:
    session = _session(world, _course(world))
    page = _page(world, "coordinator", slug="leeds", as_board="croydon")
    for url in [*MANAGER_PAGES, f"/offer/sessions/{session.pk}/"]:
        assert page.get(url).status_code == 403, url
    assert _api(world, "coordinator", slug="leeds", as_board="croydon").get("/api/v1/sessions/").status_code == 403


def test_a_leeds_session_on_the_croydon_host_is_not_found(world: World) -> None:
    trainer = _trainer(world, "sam.nurse@nhs.test", world.agencies["health"], ("leeds", "croydon"))
    session = _session(world, _course(world))
    page = _page(world, "coordinator", slug="croydon")
    for url in (
        f"/offer/sessions/{session.pk}/",
        f"/offer/sessions/{session.pk}/edit/",
        f"/offer/sessions/{session.pk}/cancel/",
    ):
        assert page.get(url).status_code == 404, url
    api = _api(world, "coordinator", slug="croydon")
    assert api.get(f"/api/v1/sessions/{session.pk}/").status_code == 404
    assert (
        api.post(
            f"/api/v1/sessions/{session.pk}/trainers/", {"trainer": trainer.pk, "role": "lead"}, format="json"
        ).status_code
        == 404
    )
    assert api.post(f"/api/v1/sessions/{session.pk}/cancel/", {"reason": "x"}, format="json").status_code == 404
    assert not TrainerAssignment.objects.filter(session_id=session.pk).exists()


# --- query counts -----------------------------------------------------------------------------------------------


def _fill(world: World, count: int) -> None:
    def make() -> None:
        group = audiences.create_group(actor=None, scheme="group", code=f"Group Q{count}", name="Query count")
        venue = services.save_venue(actor=None, name=f"Hall {count}", address="Leeds", capacity=40)
        for n in range(count):
            course = services.save_course(
                actor=None,
                title=f"Course {n}",
                summary="s",
                intervention_type="classroom",
                duration_hours=Decimal("3"),
                topic=f"topic {n % 5}",
                status="published",
                audience_groups=[group],
            )
            start = MORNING + timedelta(days=n)
            services.schedule_session(
                course,
                actor=None,
                capacity=20,
                parts=[
                    PartSpec(start, start + timedelta(hours=2), venue),
                    PartSpec(start + timedelta(hours=3), start + timedelta(hours=5), None),
                ],
            )

    _in(world, "leeds", make)


def _queries(work: Any) -> int:
    with CaptureQueriesContext(connection) as context:
        response = work()
        assert response.status_code == 200
    return len(context.captured_queries)


def test_the_catalogue_costs_the_same_queries_for_10_and_for_50_sessions(world: World) -> None:
    counts = []
    for total in (10, 50):
        _in(world, "leeds", lambda: Session.objects.all().delete())
        _fill(world, total)
        group = {"audience_group": f"Group Q{total}"}
        page = _queries(lambda: _page(world).get("/courses/"))
        filtered = _queries(lambda: _page(world).get("/courses/", group))  # noqa: B023 (called at once)
        api = _queries(lambda: _api(world, None).get("/api/v1/catalogue/sessions/"))
        feed = _queries(lambda: _page(world).get("/courses/calendar.ics"))
        counts.append((page, filtered, api, feed))
    assert counts[0] == counts[1], counts


# --- the managers' pages ----------------------------------------------------------------------------------------


def test_a_coordinator_adds_a_venue_and_a_course_with_checkboxes(world: World) -> None:
    group = _in(
        world, "leeds", lambda: audiences.create_group(actor=None, scheme="group", code="Group 2", name="Staff")
    )
    page = _page(world, "coordinator")
    missing = page.post("/offer/venues/new/", {"name": "", "address": "", "capacity": ""})
    assert missing.status_code == 400
    assert "Enter the name of the venue" in _text(missing) and "Enter how many people the room holds" in _text(missing)
    added = page.post(
        "/offer/venues/new/", {"name": "Civic Hall", "address": "Calverley Street", "capacity": "30", "is_active": "on"}
    )
    assert added.status_code == 302
    venue = _in(world, "leeds", lambda: Venue.objects.get(name="Civic Hall"))
    assert venue.capacity == 30 and venue.is_active
    edit = page.get(f"/offer/venues/{venue.pk}/edit/")
    assert 'value="Civic Hall"' in edit.content.decode()

    form = page.get("/offer/courses/new/")
    assert 'type="checkbox"' in form.content.decode() and "Group 2: Staff" in _text(form)
    response = page.post(
        "/offer/courses/new/",
        {
            "title": "Neglect",
            "summary": "About neglect",
            "intervention_type": "classroom",
            "delivery": "face_to_face",
            "category": "core",
            "duration_hours": "3",
            "topic": "Neglect",
            "audience_groups": [str(group.pk)],
            "status": "published",
        },
    )
    assert response.status_code == 302, _text(response)
    course = _in(world, "leeds", lambda: Course.objects.get(title="Neglect"))
    assert _in(world, "leeds", lambda: list(course.audience_groups.all())) == [group]
    listing = _text(page.get("/offer/courses/"))
    assert "Neglect" in listing and "Published" in listing


def test_a_coordinator_schedules_a_two_part_session_through_the_page(world: World) -> None:
    venue = _venue(world)
    course = _course(world)
    page = _page(world, "coordinator")
    data = {
        "course": str(course.pk),
        "capacity": "20",
        "part_1_date": "2031-03-04",
        "part_1_starts": "09:30",
        "part_1_ends": "16:30",
        "part_1_venue": str(venue.pk),
        "part_2_date": "2031-03-11",
        "part_2_starts": "09:30",
        "part_2_ends": "",
        "booking_closes": "2031-03-01",
    }
    incomplete = page.post("/offer/sessions/new/", data)
    assert incomplete.status_code == 400
    assert "Enter the end time of part 2, or leave part 2 empty" in _text(incomplete)
    data["part_2_ends"] = "09:00"
    backwards = page.post("/offer/sessions/new/", data)
    assert backwards.status_code == 400 and "Part 2 must end after it starts." in _text(backwards)
    assert _count(world, Session) == 0
    data["part_2_ends"] = "16:30"
    created = page.post("/offer/sessions/new/", data)
    assert created.status_code == 302
    session = _in(world, "leeds", lambda: Session.objects.get())
    assert created["Location"] == f"/offer/sessions/{session.pk}/"
    assert session.starts_at == datetime(2031, 3, 4, 9, 30, tzinfo=LONDON)
    assert session.booking_closes_at == datetime(2031, 3, 2, 0, 0, tzinfo=LONDON)
    detail = _text(page.get(f"/offer/sessions/{session.pk}/"))
    assert "Tuesday 4 March 2031, 9:30am to 4:30pm" in detail and "Tuesday 11 March 2031" in detail
    edit = page.get(f"/offer/sessions/{session.pk}/edit/").content.decode()
    assert 'value="09:30"' in edit and 'value="2031-03-11"' in edit
    assert "Sessions" in _text(page.get("/offer/sessions/"))


def test_scheduling_a_session_in_the_past_is_allowed_but_says_nobody_can_book_it(world: World) -> None:
    course = _course(world)
    page = _page(world, "coordinator")
    data = {"course": str(course.pk), "capacity": "20", "part_1_date": "2020-03-04"}
    done = page.post("/offer/sessions/new/", {**data, "part_1_starts": "09:30", "part_1_ends": "12:30"}, follow=True)
    assert "Session scheduled in the past: nobody can book it." in _text(done)


def test_the_session_page_books_trainers_suggests_co_trainers_and_cancels(world: World) -> None:
    lead = _trainer(world, "sam.nurse@nhs.test", world.agencies["health"])
    police = _trainer(world, "pat.officer@police.test", world.agencies["police"])
    session = _session(world, _course(world))
    page = _page(world, "coordinator")
    url = f"/offer/sessions/{session.pk}/"

    first = _text(page.get(url))
    assert "No trainers booked yet." in first and "Book as co-trainer" in first
    booked = page.post(f"{url}trainers/", {"trainer": str(lead.pk), "role": "lead"})
    assert booked.status_code == 302
    shown = _text(page.get(url))
    assert "Take off Sam Nurse" in shown and "Lead trainer" in shown and "Waiting for the trainer" in shown
    assert "Pat Officer" in shown and "a different agency than the lead trainer" in shown

    assert page.post(f"{url}co-trainers/", {"trainer": str(police.pk)}).status_code == 302
    assert TrainerAssignment.objects.get(trainer=police, session_id=session.pk).role == "co"
    again = page.post(f"{url}trainers/", {"trainer": str(police.pk), "role": "co"})
    assert again.status_code == 400 and "Pat Officer is already booked for this session." in _text(again)

    assert page.post(f"{url}trainers/{lead.pk}/remove/").status_code == 302
    assert "Take off Sam Nurse" not in _text(page.get(url))

    no_reason = page.post(f"{url}cancel/", {"reason": ""})
    assert no_reason.status_code == 400 and "Say why, so that it can be reported" in _text(no_reason)
    assert page.post(f"{url}cancel/", {"reason": "Trainer unwell"}).status_code == 302
    after = _text(page.get(url))
    assert "Cancelled" in after and "Trainer unwell" in after and "Book a trainer" not in after
    assert not TrainerAssignment.objects.filter(session_id=session.pk, status__in=TrainerAssignment.HOLDS_TIME).exists()


def test_an_observation_through_the_page_and_each_trainers_latest_outcome(world: World) -> None:
    nurse = _trainer(world, "sam.nurse@nhs.test", world.agencies["health"])
    officer = _trainer(world, "pat.officer@police.test", world.agencies["police"])

    def standards() -> list[TrainingStandard]:
        return [
            services.save_standard(actor=None, title="Keeps to time", order=1),
            services.save_standard(actor=None, title="Engages the group", order=2),
        ]

    on_time, engages = _in(world, "leeds", standards)
    page = _page(world, "coordinator")
    form = page.get("/offer/observations/new/")
    assert form.status_code == 200 and 'type="radio"' in form.content.decode() and "Engages the group" in _text(form)
    data = {
        "trainer": str(nurse.pk),
        "observer_name": "Dana Observer",
        "observed_on": "2031-03-04",
        f"standard_{on_time.pk}": "met",
        "outcome": "developing",
    }
    missing = page.post("/offer/observations/new/", data)
    assert missing.status_code == 400 and "Judge the standard “Engages the group”" in _text(missing)
    data[f"standard_{engages.pk}"] = "partly"
    assert page.post("/offer/observations/new/", data).status_code == 302
    later = {**data, "observed_on": "2031-06-01", "outcome": "meets", f"standard_{engages.pk}": "met"}
    assert page.post("/offer/observations/new/", later).status_code == 302
    other = {**data, "trainer": str(officer.pk), "outcome": "not_met", "follow_up_due_on": "2031-07-01"}
    assert page.post("/offer/observations/new/", other).status_code == 302

    latest = _in(world, "leeds", selectors.latest_observation_per_trainer)
    assert [(o.trainer_id, o.outcome) for o in latest] == [(officer.pk, "not_met"), (nurse.pk, "meets")]
    listing = _text(page.get("/offer/observations/"))
    assert "Quality status of each trainer" in listing
    assert "Meets the standards" in listing and "Does not meet the standards" in listing


def test_the_navigation_offers_courses_to_everyone_and_sessions_to_managers(world: World) -> None:
    def links(client: Client) -> list[str]:
        return re.findall(r'govuk-service-navigation__link" href="([^"]+)"', client.get("/courses/").content.decode())

    assert "/courses/" in links(_page(world))
    assert "/offer/sessions/" not in links(_page(world, "practitioner"))
    assert "/offer/sessions/" in links(_page(world, "coordinator"))
    assert "/courses/" in links(_page(world, "coordinator", slug="leeds", as_board="croydon"))


def test_a_session_held_shows_as_held_with_its_register_and_nothing_to_postpone_or_cancel(world: World) -> None:
    session = _session(world, _course(world))
    with time_machine.travel(MORNING + timedelta(hours=4), tick=False):
        page = _text(_page(world, "coordinator").get(f"/offer/sessions/{session.pk}/"))
        listed = _text(_page(world, "coordinator").get("/offer/sessions/?when=past"))
    assert "Held" in page and "Open the register" in page and "Closed: the session has been held" in page
    assert "Postpone" not in page and "Cancel the session" not in page and "Book as co-trainer" not in page
    upcoming = _text(_page(world, "coordinator").get(f"/offer/sessions/{session.pk}/"))
    assert "Postpone" in upcoming and "Held" not in upcoming
    assert "Held" in listed  # the list of past sessions says so too
