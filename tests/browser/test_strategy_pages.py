"""The strategy document, a plan row, a form with errors and the dashboard, in Chromium with axe (WCAG 2.2 AA)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD, World
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveSite, _in_a_thread

pytestmark = pytest.mark.browser
TITLE = "Browser test strategy"


@pytest.fixture
def strategy(world: World, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """An adopted Leeds strategy with content, a sign-off and a plan whose rows cover every RAG state, committed
    for the server to read (browser tests only read committed data) and deleted afterwards."""
    from tenant_apps.scheduling.models import DueWork
    from tenant_apps.strategy import services
    from tenant_apps.strategy.models import Strategy
    from tenants.cross_board import run_in_board

    coordinator = world.user("coordinator", "leeds")
    today = timezone.localdate()
    made: dict[str, str] = {}

    def make() -> None:
        document = services.create_strategy(
            actor=coordinator,
            title=TITLE,
            period_start=today - timedelta(days=365),
            period_end=today + timedelta(days=365),
            status="adopted",
            adopted_on=today - timedelta(days=700),  # reviewed every 24 months: due within 60 days
            review_cycle_months=24,
            version_label="1.0",
            headline="Better outcomes for children through continuous learning.",
            introduction="We are committed to a culture of continuous learning.",
        )
        services.add_item(document, actor=coordinator, section="principle", title="Be outcomes focussed", body="Yes")
        services.add_sign_off(document, actor=coordinator, role="Independent Chair", name="Sarah Baker")
        plan = services.create_plan(document, actor=coordinator, title="Strategic priority planning", order=1)
        last_year = f"Q1 {today.year - 1}"
        next_year = f"Q4 {today.year + 1}"
        rows = [
            ("Continue the annual offer", next_year, "in_progress", "green"),
            ("Agree joint commissioning", next_year, "in_progress", "amber"),
            ("Use evaluation feedback", last_year, "completed", ""),
            ("Increase impact surveys", next_year, "not_started", ""),
            ("Develop a learning pool", last_year, "in_progress", "green"),
        ]
        for priority, target, status, rag in rows:
            row = services.add_plan_item(
                plan,
                actor=coordinator,
                priority=priority,
                target=target,
                status=status,
                rag=rag,
                responsible="L&D sub-group",
            )
            made.setdefault("row", str(row.pk))
        made["strategy"] = str(document.pk)

    def remove() -> None:
        Strategy.objects.filter(title=TITLE).delete()
        DueWork.objects.filter(key__startswith=made.get("strategy", "-")).delete()

    with django_db_blocker.unblock():
        _in_a_thread(lambda: run_in_board(world.boards["leeds"], make))
        try:
            yield made
        finally:
            _in_a_thread(lambda: run_in_board(world.boards["leeds"], remove))


def _sign_in(page: Page, site: LiveSite, world: World, fresh_sign_in: Any, next_path: str) -> None:
    user = world.user("coordinator", "leeds")
    fresh_sign_in(user)
    page.goto(site.url(f"/sign-in/?next={next_path}", board="leeds"))
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site.url(next_path, board="leeds"))


def test_the_strategy_document_and_a_row_are_accessible(
    page: Page, site: LiveSite, world: World, fresh_sign_in: Any, strategy: dict[str, str]
) -> None:
    _sign_in(page, site, world, fresh_sign_in, f"/strategy/{strategy['strategy']}/")

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".govuk-warning-text")).to_contain_text("The review of this strategy is due on")
    table = page.get_by_role("table", name="Appendix A: Strategic priority planning")
    expect(table.get_by_role("row")).to_have_count(6)
    expect(table.locator(".govuk-tag", has_text="Overdue")).to_have_count(1)
    expect(page.locator("header").get_by_role("link", name="Strategy")).to_be_visible()
    assert_accessible(page)

    table.get_by_role("link", name="Continue the annual offer").click()
    page.wait_for_url(site.url(f"/strategy/rows/{strategy['row']}/", board="leeds"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Continue the annual offer")
    assert_accessible(page)

    page.get_by_role("button", name="Save progress update").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Say what progress has been made")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page)

    page.get_by_label("What progress has been made?").fill("Two trainers withdrew; replacements found")
    page.get_by_label("Amber").check()
    page.get_by_role("button", name="Save progress update").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Progress update saved")
    expect(page.locator("h1 + p .govuk-tag")).to_have_text("Amber")
    assert_accessible(page)


def test_a_form_with_date_inputs_is_accessible_with_its_errors(
    page: Page, site: LiveSite, world: World, fresh_sign_in: Any, strategy: dict[str, str]
) -> None:
    _sign_in(page, site, world, fresh_sign_in, f"/strategy/{strategy['strategy']}/edit/")
    expect(page.get_by_role("group", name="Date adopted")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("group", name="Date adopted").get_by_label("Month").fill("13")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Date adopted must be a real date")
    expect(page.locator("#id_adopted_on-day")).to_be_visible()
    assert_accessible(page)


def test_the_dashboard_is_accessible_and_counts_the_rows(
    page: Page, site: LiveSite, world: World, fresh_sign_in: Any, strategy: dict[str, str]
) -> None:
    _sign_in(page, site, world, fresh_sign_in, "/dashboard/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.locator("header").get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
    # Five rows: green, amber, complete, not rated, and one overdue (red).
    chart = page.locator(".lscb-bar-chart")
    for label, count in (("Red", "1"), ("Amber", "1"), ("Green", "1"), ("Complete", "1"), ("Not rated", "1")):
        expect(chart.locator(".lscb-bar-chart__row", has_text=label).locator(".lscb-bar-chart__value")).to_have_text(
            count
        )
    width = chart.locator(".lscb-bar-chart__bar").first.evaluate("el => el.style.width")
    assert width == "20%"
    expect(page.get_by_role("table", name="Action plan rows by RAG rating")).to_be_attached()
    overdue = page.get_by_role("table", name=re.compile("^Overdue actions"))
    expect(overdue.get_by_role("link", name="Develop a learning pool")).to_be_visible()
    expect(page.get_by_text("No needs audits yet.")).to_be_visible()
    assert_accessible(page)
