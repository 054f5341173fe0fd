"""The trainer portal on the platform host in Chromium with axe (WCAG 2.2 AA): signing in, my sessions across
boards, accepting an offer, and adding dates away with the warning about a session still booked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD, World
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveSite, _in_a_thread

pytestmark = pytest.mark.browser
EMAIL = "browser.trainer@nhs.test"
TITLE = "Browser test: neglect for trainers"


@pytest.fixture
def offered_session(world: World, django_db_blocker: Any) -> Iterator[datetime]:
    """A pool trainer approved by Leeds, offered a Leeds session next month (committed for the server, removed
    afterwards). The account stays: accounts are never deleted."""
    from shared_apps.accounts.models import User
    from shared_apps.accounts.services import create_user
    from shared_apps.trainers import services as pool
    from shared_apps.trainers.models import Blackout, BoardService, TrainerAssignment, TrainerProfile
    from tenant_apps.offer import services as offer
    from tenant_apps.offer.models import Course, Session, Venue
    from tenant_apps.offer.services import PartSpec
    from tenants.cross_board import run_in_board

    leeds = world.boards["leeds"]
    starts = (datetime.now(ZoneInfo("Europe/London")) + timedelta(days=30)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )

    def make() -> None:
        user = User.objects.filter(email=EMAIL).first() or create_user(EMAIL, "Robin Trainer", PASSWORD)
        user.failed_login_count, user.locked_until = 0, None
        user.save(update_fields=["failed_login_count", "locked_until"])
        profile = pool.save_profile(
            user,
            actor=user,
            home_agency=world.agencies["health"],
            job_role="Named nurse for safeguarding",
            topics=["neglect"],
            trained_as_trainer_on=date(2021, 5, 1),
        )
        service = pool.offer_to_serve(profile, leeds, actor=user)
        pool.decide_service(service, approve=True, actor=world.user("coordinator", "leeds"))

        def schedule() -> None:
            course = offer.save_course(
                actor=None,
                title=TITLE,
                summary="Level 3",
                intervention_type="classroom",
                duration_hours=Decimal("3"),
                topic="neglect",
                status="published",
            )
            room = offer.save_venue(actor=None, name="Browser test hall", address="Leeds", capacity=30)
            session = offer.schedule_session(
                course, actor=None, capacity=20, parts=[PartSpec(starts, starts + timedelta(hours=3), room)]
            )
            offer.assign_trainer(session, profile, role="lead", actor=None)

        run_in_board(leeds, schedule)

    def remove() -> None:
        profile = TrainerProfile.objects.get(user__email=EMAIL)
        TrainerAssignment.objects.filter(trainer=profile).delete()
        Blackout.objects.filter(trainer=profile).delete()
        BoardService.objects.filter(trainer=profile).delete()  # out of the pool, so no other test meets them

        def unschedule() -> None:
            Session.objects.filter(course__title=TITLE).delete()  # and their parts
            Course.objects.filter(title=TITLE).delete()
            Venue.objects.filter(name="Browser test hall").delete()

        run_in_board(leeds, unschedule)

    with django_db_blocker.unblock():
        _in_a_thread(make)
        try:
            yield starts
        finally:
            _in_a_thread(remove)


def test_a_trainer_accepts_a_session_and_adds_dates_away(page: Page, site: LiveSite, offered_session: datetime) -> None:
    page.goto(site.url("/sign-in/"))
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Trainer portal").click()
    expect(page.get_by_role("heading", name="My sessions")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("Leeds Safeguarding Children Partnership")
    expect(row).to_contain_text("Browser test hall")
    assert_accessible(page)

    row.get_by_role("button", name="Accept").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"You accepted “{TITLE}”")
    expect(page.get_by_role("row").filter(has_text=TITLE).get_by_role("link", name="Withdraw")).to_be_visible()
    assert_accessible(page)

    page.goto(site.url("/trainers/availability/"))
    day = offered_session.date().isoformat()
    page.get_by_label("First day away").fill(day)
    page.get_by_label("Last day away").fill(day)
    page.get_by_role("button", name="Add dates away").click()
    expect(page.locator(".govuk-notification-banner").filter(has_text="still booked")).to_contain_text(
        f"You are still booked for “{TITLE}” for Leeds Safeguarding Children Partnership"
    )
    assert_accessible(page)
