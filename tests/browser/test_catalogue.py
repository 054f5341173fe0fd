"""The public course catalogue in Chromium with axe (WCAG 2.2 AA): the catalogue, filtering it by type through the
search form, and a course page. Signed out, as most people who look for training are."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD, World
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveSite, _in_a_thread

pytestmark = pytest.mark.browser
PREFIX = "Browser catalogue"
LONDON = ZoneInfo("Europe/London")
START = datetime(2031, 9, 9, 9, 30, tzinfo=LONDON)


@pytest.fixture
def offer(world: World, django_db_blocker: Any) -> Iterator[None]:
    """Two published courses (a classroom one with two sessions, an e-learning one) and a draft, committed for the
    server to read, removed afterwards."""
    from tenant_apps.offer import services
    from tenant_apps.offer.models import Course, Session, Venue
    from tenant_apps.offer.services import PartSpec
    from tenants.cross_board import run_in_board

    coordinator = world.user("coordinator", "leeds")

    def make() -> None:
        hall = services.save_venue(
            actor=coordinator, name=f"{PREFIX} Civic Hall", address="Calverley Street", postcode="LS1 1UR", capacity=30
        )
        classroom = services.save_course(
            actor=coordinator,
            title=f"{PREFIX} neglect: recognising and responding",
            summary="Recognising neglect and what to do about it.",
            learning_outcomes="Recognise the signs of neglect\nUse the neglect toolkit",
            intervention_type="classroom",
            duration_hours=Decimal("6"),
            topic="neglect",
            status="published",
        )
        online = services.save_course(
            actor=coordinator,
            title=f"{PREFIX} online safety basics",
            summary="Keeping children safe online.",
            intervention_type="elearning",
            delivery="online",
            duration_hours=Decimal("1.5"),
            topic="online safety",
            status="published",
        )
        draft = services.save_course(
            actor=coordinator,
            title=f"{PREFIX} draft course",
            summary="Not ready.",
            intervention_type="workshop",
            duration_hours=Decimal("2"),
            topic="neglect",
        )
        services.schedule_session(
            classroom,
            actor=coordinator,
            capacity=24,
            parts=[
                PartSpec(START, START + timedelta(hours=3), hall),
                PartSpec(START + timedelta(days=7), START + timedelta(days=7, hours=3), hall),
            ],
        )
        services.schedule_session(
            classroom,
            actor=coordinator,
            capacity=12,
            parts=[PartSpec(START + timedelta(days=14), START + timedelta(days=14, hours=6), hall)],
        )
        services.schedule_session(
            online, actor=coordinator, capacity=200, parts=[PartSpec(START, START + timedelta(hours=1, minutes=30))]
        )
        services.schedule_session(
            draft, actor=coordinator, capacity=10, parts=[PartSpec(START, START + timedelta(hours=2), None)]
        )

    def remove() -> None:
        Session.objects.filter(course__title__startswith=PREFIX).delete()
        Course.objects.filter(title__startswith=PREFIX).delete()
        Venue.objects.filter(name__startswith=PREFIX).delete()

    with django_db_blocker.unblock():
        _in_a_thread(lambda: run_in_board(world.boards["leeds"], remove))  # left by an interrupted run
        _in_a_thread(lambda: run_in_board(world.boards["leeds"], make))
        try:
            yield
        finally:
            _in_a_thread(lambda: run_in_board(world.boards["leeds"], remove))


def test_the_catalogue_filters_by_type_and_a_course_page_are_accessible(
    page: Page, site: LiveSite, offer: None
) -> None:
    page.goto(site.url("/courses/", board="leeds"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Courses")
    expect(page.locator("header").get_by_role("link", name="Courses")).to_be_visible()
    classroom = page.get_by_role("link", name=f"{PREFIX} neglect: recognising and responding")
    expect(classroom).to_have_count(2)
    expect(page.get_by_role("link", name=f"{PREFIX} online safety basics")).to_have_count(1)
    expect(page.get_by_text(f"{PREFIX} draft course")).to_have_count(0)
    expect(page.get_by_text("Part 2: Tuesday 16 September 2031, 9:30am to 12:30pm")).to_be_visible()
    expect(page.get_by_text("12 places left")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Type of training").select_option("elearning")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=f"{PREFIX} online safety basics")).to_be_visible()
    expect(page.get_by_role("link", name=f"{PREFIX} neglect: recognising and responding")).to_have_count(0)
    expect(page.get_by_label("Type of training")).to_have_value("elearning")
    expect(page.get_by_text("Tuesday 9 September 2031, 9:30am to 11am, Online")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Type of training").select_option("classroom")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=f"{PREFIX} neglect: recognising and responding").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{PREFIX} neglect: recognising and responding")
    expect(page.locator("ul.govuk-list--bullet li")).to_have_count(2)
    expect(page.get_by_text("24 places left")).to_be_visible()
    expect(page.get_by_text("6 hours")).to_be_visible()
    assert_accessible(page)


def test_wrong_dates_in_the_search_are_an_accessible_error(page: Page, site: LiveSite, offer: None) -> None:
    page.goto(site.url("/courses/?from=2031-09-20&to=2031-09-01", board="leeds"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link")).to_have_text(
        "The “starting by” date must be the same as or after the “starting from” date"
    )
    assert page.title().startswith("Error: ")
    assert_accessible(page)


def test_a_coordinator_schedules_and_cancels_a_session_on_accessible_pages(
    page: Page, site: LiveSite, world: World, fresh_sign_in: Any, offer: None, django_db_blocker: Any
) -> None:
    from tenant_apps.offer.models import Session
    from tenants.cross_board import run_in_board

    coordinator = world.user("coordinator", "leeds")
    fresh_sign_in(coordinator)
    page.goto(site.url("/sign-in/?next=/offer/sessions/new/", board="leeds"))
    page.get_by_label("Email address").fill(coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site.url("/offer/sessions/new/", board="leeds"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule a session")
    assert_accessible(page)

    page.get_by_role("button", name="Schedule session").click()
    expect(page.locator(".govuk-error-summary").get_by_role("link", name="Choose the course")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Course").select_option(label=f"{PREFIX} online safety basics")
    page.get_by_label("Places").fill("30")
    page.get_by_label("Part 1 date").fill("2031-10-07")
    page.get_by_label("Part 1 start time").fill("13:00")
    page.get_by_label("Part 1 end time").fill("14:30")
    page.get_by_role("button", name="Schedule session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{PREFIX} online safety basics")
    expect(page.get_by_text("Tuesday 7 October 2031, 1pm to 2:30pm")).to_be_visible()
    expect(page.get_by_text("No trainers booked yet.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Cancel the session").click()  # a link styled as a button
    page.get_by_label("Why is the session being cancelled?").fill("Scheduled by mistake")
    assert_accessible(page)
    page.get_by_role("button", name="Cancel the session").click()
    expect(page.get_by_text("Scheduled by mistake")).to_be_visible()

    def cancelled() -> list[str]:
        return list(Session.objects.filter(status="cancelled").values_list("status_reason", flat=True))

    with django_db_blocker.unblock():
        reasons: list[list[str]] = []
        _in_a_thread(lambda: reasons.append(run_in_board(world.boards["leeds"], cancelled)))
    assert "Scheduled by mistake" in reasons[0]
