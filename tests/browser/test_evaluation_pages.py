"""Answering an evaluation in Chromium with axe (WCAG 2.2 AA): someone who attended a Bradford session opens the
link from their email (no sign-in), sends the form empty and reads the errors, answers, and is thanked. The clock
is set to the afternoon of the session, when the register was closed (time-machine moves the server's clock too)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from conftest import World
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveSite, _in_a_thread

pytestmark = pytest.mark.browser
TITLE = "Browser evaluation: child sexual exploitation"
VENUE = "Browser evaluation room"
PERSON = "evalbrowser0@school.test"
LONDON = ZoneInfo("Europe/London")
STARTS = datetime(2031, 10, 14, 9, 30, tzinfo=LONDON)
AFTERNOON_OF = STARTS + timedelta(hours=5)


@pytest.fixture
def reaction_link(world: World, django_db_blocker: Any) -> Iterator[str]:
    """A Bradford session attended by one person, its register closed: the path of their reaction evaluation's
    link. Committed, and everything it made removed after."""
    from shared_apps.accounts.models import User
    from shared_apps.learning_record.models import BookingEntry
    from tenant_apps.audiences.models import LearningCompletion
    from tenant_apps.booking import register
    from tenant_apps.booking import services as booking
    from tenant_apps.booking.models import Booking, Certificate, Register
    from tenant_apps.charges.models import Fee
    from tenant_apps.evaluation import services as evaluation
    from tenant_apps.evaluation.models import Answer, Invitation, Response, Stage
    from tenant_apps.offer import services
    from tenant_apps.offer.models import Course, Session, Venue
    from tenant_apps.offer.services import PartSpec
    from tenant_apps.scheduling.models import DueWork
    from tenants.cross_board import run_in_board

    board = world.boards["bradford"]
    coordinator = world.user("coordinator", "bradford")
    made: dict[str, str] = {}

    def make() -> None:
        person, _ = User.objects.get_or_create(email=PERSON, defaults={"full_name": "Sam Evaluator"})

        def book_a_week_before() -> Any:
            course = services.save_course(
                actor=None,
                title=TITLE,
                summary="Spotting and responding to exploitation.",
                intervention_type="classroom",
                duration_hours=Decimal("3"),
                topic="exploitation",
                status="published",
            )
            room = services.save_venue(actor=None, name=VENUE, address="Bradford", capacity=20)
            session = services.schedule_session(
                course, actor=None, capacity=5, parts=[PartSpec(STARTS, STARTS + timedelta(hours=3), room)]
            )
            return booking.book(session, person, actor=person, job_role="Youth worker")

        def close_on_the_day() -> None:
            with time_machine.travel(STARTS - timedelta(days=7), tick=False):
                place = book_a_week_before()
            register.mark(place.session, {str(place.pk): "attended"}, actor=coordinator)
            register.close(place.session, actor=coordinator)
            invitation = Invitation.objects.get(booking=place, stage=Stage.REACTION)
            made["path"] = f"/evaluate/{evaluation.link_token(invitation)}/"

        run_in_board(board, close_on_the_day)

    def remove() -> None:
        def unschedule() -> None:
            sessions = list(Session.objects.filter(course__title=TITLE).values_list("pk", flat=True))
            bookings = list(Booking.objects.filter(session_id__in=sessions).values_list("pk", flat=True))
            invitations = list(Invitation.objects.filter(booking_id__in=bookings).values_list("pk", flat=True))
            Answer.objects.filter(response__session_id__in=sessions).delete()
            Response.objects.filter(session_id__in=sessions).delete()
            Invitation.objects.filter(pk__in=invitations).delete()
            DueWork.objects.filter(key__in=[str(pk) for pk in [*invitations, *sessions]]).delete()
            BookingEntry.objects.filter(booking_id__in=bookings).delete()  # the person's learning record
            LearningCompletion.objects.filter(reference__in=[f"booking:{pk}" for pk in bookings]).delete()
            Fee.objects.filter(booking_id__in=bookings).delete()
            Certificate.objects.filter(booking_id__in=bookings).delete()
            Register.objects.filter(session_id__in=sessions).delete()
            Booking.objects.filter(pk__in=bookings).delete()
            Session.objects.filter(pk__in=sessions).delete()
            Course.objects.filter(title=TITLE).delete()
            Venue.objects.filter(name=VENUE).delete()

        run_in_board(board, unschedule)

    with time_machine.travel(AFTERNOON_OF, tick=True), django_db_blocker.unblock():
        _in_a_thread(remove)  # anything a failed run left behind
        _in_a_thread(make)
        try:
            yield made["path"]
        finally:
            _in_a_thread(remove)


def _stored_answers(world: World, django_db_blocker: Any) -> list[tuple[Any, ...]]:
    """Each response to the session's forms: who it names (nobody, on an anonymous form) and how many answers."""
    from tenant_apps.evaluation.models import Response
    from tenants.cross_board import run_in_board

    found: list[tuple[Any, ...]] = []

    def read() -> None:
        rows = Response.objects.filter(course__title=TITLE)
        found.extend(
            rows.values_list("stage", "respondent_id", "booking_id", "answers__question__key", "answers__score")
        )

    with django_db_blocker.unblock():
        _in_a_thread(lambda: run_in_board(world.boards["bradford"], read))
    return sorted(found, key=str)


def test_someone_answers_the_reaction_evaluation_from_their_link(
    page: Page, site: LiveSite, world: World, django_db_blocker: Any, reaction_link: str
) -> None:
    page.goto(site.url(reaction_link, board="bradford"))
    expect(page.get_by_role("heading", level=1)).to_have_text("How was the session?")
    expect(page.locator(".govuk-summary-list")).to_contain_text(TITLE)
    expect(page.locator(".govuk-summary-list")).to_contain_text("Tuesday 14 October 2031")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Your answers are anonymous")
    overall = page.get_by_role("group", name="Overall, how would you rate the session?")
    expect(overall).to_contain_text("1 means Very poor, 5 means Excellent")
    assert_accessible(page)

    page.get_by_role("button", name="Send my answers").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose a score from 1 to 5: Overall, how would you rate the session?")
    expect(summary).to_contain_text("Answer this question: How will this session change your practice?")
    expect(page).to_have_title(re.compile(r"^Error: How was the session\? "))
    assert_accessible(page)
    summary.get_by_role("link", name="Choose a score from 1 to 5: Overall, how would you rate the session?").click()
    expect(page.locator("#q-overall-1")).to_be_focused()

    for question, score in (
        ("Overall, how would you rate the session?", "5"),
        ("How well was the session presented?", "4"),
        ("How would you rate the facilitator's knowledge and skills?", "5"),
        ("Do you have a greater understanding of the subject?", "4"),
    ):
        page.get_by_role("group", name=question).get_by_label(score, exact=True).check()
    page.get_by_label("How will this session change your practice?").fill(
        "I will ask about who a child spends time with."
    )
    with page.expect_request(lambda request: request.method == "POST") as sent:
        page.get_by_role("button", name="Send my answers").click()
    # The form went with the site's origin as its referrer, never the link itself.
    assert sent.value.headers.get("referer") == site.url("/", board="bradford")

    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("Thank you")
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("Your answers were received")
    assert page.url == site.url("/evaluate/thank-you/", board="bradford")
    assert_accessible(page)
    assert _stored_answers(world, django_db_blocker) == sorted(
        [
            ("reaction", None, None, "change_practice", None),
            ("reaction", None, None, "facilitator", 5),
            ("reaction", None, None, "overall", 5),
            ("reaction", None, None, "presentation", 4),
            ("reaction", None, None, "understanding", 4),
        ],
        key=str,
    )

    # The link has been used: opening it again says so, and shows no form.
    page.goto(site.url(reaction_link, board="bradford"))
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has already been used")
    expect(page.get_by_role("button", name="Send my answers")).to_have_count(0)
