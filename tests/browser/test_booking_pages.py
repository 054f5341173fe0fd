"""Booking and the register in Chromium with axe (WCAG 2.2 AA): a practitioner books from the course page (with
the form's errors first) and sees My bookings; a trainer marks the register on the day, adds nothing, and
closes it. The clock is set to the morning of the session (time-machine moves the server's clock too)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from conftest import PASSWORD, World
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveSite, _in_a_thread

pytestmark = pytest.mark.browser
TITLE = "Browser booking: early help assessments"
LONDON = ZoneInfo("Europe/London")
STARTS = datetime(2031, 11, 4, 13, 30, tzinfo=LONDON)
MORNING_OF = datetime(2031, 11, 4, 8, 0, tzinfo=LONDON)


@pytest.fixture
def bookable(world: World, django_db_blocker: Any) -> Iterator[Any]:
    """A published Leeds course with one two-place session, one place already taken; committed, removed after."""
    from shared_apps.accounts.models import User
    from shared_apps.learning_record.models import BookingEntry
    from tenant_apps.audiences.models import LearningCompletion
    from tenant_apps.booking import services as booking
    from tenant_apps.booking.models import Booking, Certificate, Register
    from tenant_apps.evaluation.models import Invitation
    from tenant_apps.offer import services
    from tenant_apps.offer.models import Course, Session, Venue
    from tenant_apps.offer.services import PartSpec
    from tenant_apps.scheduling.models import DueWork
    from tenants.cross_board import run_in_board

    made: dict[str, Any] = {}

    def make() -> None:
        other, _ = User.objects.get_or_create(email="browser.booker@school.test", defaults={"full_name": "Alex Booker"})

        def schedule() -> None:
            course = services.save_course(
                actor=None,
                title=TITLE,
                summary="Doing an early help assessment with a family.",
                learning_outcomes="Start an early help assessment\nPlan with the family",
                intervention_type="classroom",
                duration_hours=Decimal("3"),
                topic="early help",
                status="published",
            )
            hall = services.save_venue(actor=None, name="Browser booking hall", address="Leeds", capacity=30)
            session = services.schedule_session(
                course, actor=None, capacity=2, parts=[PartSpec(STARTS, STARTS + timedelta(hours=3), hall)]
            )
            booking.book(session, other, actor=other, job_role="Teacher")
            made["course"], made["session"] = course, session

        run_in_board(world.boards["leeds"], schedule)

    def remove() -> None:
        def unschedule() -> None:
            ids = list(Booking.objects.filter(session__course__title=TITLE).values_list("pk", flat=True))
            BookingEntry.objects.filter(booking_id__in=ids).delete()  # the people's learning records
            LearningCompletion.objects.filter(reference__in=[f"booking:{pk}" for pk in ids]).delete()
            DueWork.objects.filter(
                key__in=[str(pk) for pk in Session.objects.filter(course__title=TITLE).values_list("pk", flat=True)]
            ).delete()
            # Closing the register invited the attendees to evaluate it: their sending and reminders.
            invitations = Invitation.objects.filter(booking_id__in=ids).values_list("pk", flat=True)
            DueWork.objects.filter(key__in=[str(pk) for pk in invitations]).delete()
            Invitation.objects.filter(booking_id__in=ids).delete()
            Certificate.objects.filter(booking__session__course__title=TITLE).delete()
            Register.objects.filter(session__course__title=TITLE).delete()
            Booking.objects.filter(session__course__title=TITLE).delete()
            Session.objects.filter(course__title=TITLE).delete()
            Course.objects.filter(title=TITLE).delete()
            Venue.objects.filter(name="Browser booking hall").delete()

        run_in_board(world.boards["leeds"], unschedule)

    with time_machine.travel(MORNING_OF, tick=True), django_db_blocker.unblock():
        _in_a_thread(make)
        try:
            yield made
        finally:
            _in_a_thread(remove)


def _sign_in(page: Page, site: LiveSite, email: str) -> None:
    page.goto(site.url("/sign-in/", board="leeds"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site.url("/", board="leeds"))


def test_a_practitioner_books_the_last_place_then_a_trainer_keeps_the_register(
    page: Page, site: LiveSite, world: World, bookable: Any, fresh_sign_in: Any
) -> None:
    practitioner = world.user("practitioner", "leeds")
    fresh_sign_in(practitioner)
    _sign_in(page, site, practitioner.email)

    page.goto(site.url(f"/courses/{bookable['course'].pk}/", board="leeds"))
    expect(page.get_by_role("cell", name="1 place left")).to_be_visible()
    page.get_by_role("link", name="Book for 4 November 2031").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    page.get_by_role("button", name="Book my place").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the agency you work for")
    assert_accessible(page)

    page.get_by_label("Your employer or agency").select_option(label=world.agencies["education"].name)
    page.get_by_label("Your job role").fill("Designated safeguarding lead")
    page.get_by_role("button", name="Book my place").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"You are booked on “{TITLE}”")
    expect(page.get_by_role("row").filter(has_text=TITLE)).to_contain_text("Booked")
    assert_accessible(page)

    page.goto(site.url(f"/courses/{bookable['course'].pk}/", board="leeds"))
    expect(page.get_by_role("cell", name="Full")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    trainer = world.user("trainer", "leeds")
    fresh_sign_in(trainer)
    _sign_in(page, site, trainer.email)
    page.goto(site.url(f"/offer/sessions/{bookable['session'].pk}/register/", board="leeds"))
    expect(page.get_by_role("table")).to_contain_text("Alex Booker")
    assert_accessible(page)
    page.get_by_role("group", name="Attendance of Alex Booker").get_by_label("Attended", exact=True).check()
    page.get_by_role("button", name="Save the marks").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Saved 1 mark.")
    page.get_by_role("button", name="Close the register").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Mark everyone before closing the register")
    page.get_by_role("button", name="Mark everyone not yet marked as attended").click()
    page.get_by_role("button", name="Close the register").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Register closed. 2 certificates issued."
    )
    expect(page.locator(".govuk-inset-text")).to_contain_text("The register was closed")
    assert_accessible(page)

    page.get_by_role("link", name="Registers").click()
    expect(page.get_by_role("row").filter(has_text=TITLE)).to_contain_text("Closed 4 November")
    assert_accessible(page)


STAFF_EMAIL = "browser.new.assistant@school.test"


@pytest.fixture
def team_manager(world: World, django_db_blocker: Any) -> Iterator[Any]:
    """A Leeds agency training manager for the education agency; committed, removed after with the account their
    booking made. Set up before `bookable` so that it is removed after the bookings."""
    from shared_apps.accounts.models import Membership, Role, User

    made: dict[str, Any] = {}

    def make() -> None:
        made["user"] = User.objects.create_user(
            email="browser.dsl@school.test", password=PASSWORD, full_name="Dana Lead"
        )
        Membership.objects.create(
            user=made["user"], board=world.boards["leeds"], role=Role.AGENCY_MANAGER, agency=world.agencies["education"]
        )

    with django_db_blocker.unblock():
        _in_a_thread(make)
        try:
            yield made["user"]
        finally:
            _in_a_thread(lambda: User.objects.filter(email__in=["browser.dsl@school.test", STAFF_EMAIL]).delete())


def test_an_agency_manager_books_a_new_member_of_staff_and_sees_the_team(
    page: Page, site: LiveSite, world: World, team_manager: Any, bookable: Any, fresh_sign_in: Any
) -> None:
    _sign_in(page, site, team_manager.email)
    page.goto(site.url(f"/courses/sessions/{bookable['session'].pk}/book/", board="leeds"))
    page.get_by_role("link", name="Book a member of your staff").click()
    page.get_by_label("Their email address").fill(STAFF_EMAIL)
    page.get_by_role("button", name="Book them").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter their full name")
    assert_accessible(page)

    page.get_by_label("Their full name").fill("Sam Assistant")
    page.get_by_label("Their job role").fill("Teaching assistant")
    page.get_by_role("button", name="Book them").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"Sam Assistant is booked on “{TITLE}”")
    expect(page.get_by_role("heading", name="Your team's training")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=STAFF_EMAIL)).to_contain_text("Booked")
    assert_accessible(page)

    page.get_by_role("link", name="Cancel the booking of Sam Assistant").click()
    # The session is this afternoon: the page warns of the fee before anything is cancelled.
    expect(page.locator(".govuk-warning-text")).to_contain_text("late cancellation")
    assert_accessible(page)
    page.get_by_role("link", name="Send someone else instead").click()
    page.get_by_label("Their email address").fill(world.user("practitioner", "leeds").email)
    page.get_by_role("button", name="Send them instead").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("instead of Sam Assistant")
    assert_accessible(page)

    # On a phone the team's table scrolls in its own box: the page itself is no wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site.url("/team/", board="leeds"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.get_by_role("region", name="Coming up")).to_be_visible()
    assert_accessible(page)


def test_someone_gives_up_their_place_from_the_emailed_link_without_signing_in(
    page: Page, site: LiveSite, world: World, bookable: Any
) -> None:
    from tenant_apps.booking.links import GIVE_UP
    from tenant_apps.booking.models import Booking
    from tenants.cross_board import run_in_board

    found: dict[str, str] = {}

    def link() -> None:
        def read() -> None:
            booking = Booking.objects.get(session=bookable["session"], user__email="browser.booker@school.test")
            found["path"] = GIVE_UP.path(booking.pk)

        run_in_board(world.boards["leeds"], read)

    _in_a_thread(link)
    page.goto(site.url(found["path"], board="leeds"))
    expect(page.get_by_role("heading", name="Give up your place?")).to_be_visible()
    # The morning of the session: the page says the agency may be charged.
    expect(page.locator(".govuk-warning-text")).to_contain_text("This is a late cancellation")
    assert_accessible(page)
    page.get_by_role("button", name="Give up my place").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Place given up")
    assert_accessible(page)
    page.goto(site.url(found["path"], board="leeds"))
    expect(page.get_by_role("heading", name="This booking is cancelled")).to_be_visible()
