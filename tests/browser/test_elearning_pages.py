"""E-learning records in Chromium with axe (WCAG 2.2 AA): a coordinator imports a CSV with a wrong row (every
row error listed, nothing saved), then a good one, and sees the report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD, World
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveSite, _in_a_thread

pytestmark = pytest.mark.browser
MODULE = "Browser e-learning: safeguarding basics"


@pytest.fixture
def cleanup(world: World, django_db_blocker: Any) -> Iterator[None]:
    from tenant_apps.audiences.models import ElearningRecord, LearningCompletion
    from tenants.cross_board import run_in_board

    yield

    def remove() -> None:
        def clear() -> None:
            ids = [str(pk) for pk in ElearningRecord.objects.filter(module_title=MODULE).values_list("pk", flat=True)]
            LearningCompletion.objects.filter(reference__in=ids).delete()
            ElearningRecord.objects.filter(module_title=MODULE).delete()

        run_in_board(world.boards["leeds"], clear)

    with django_db_blocker.unblock():
        _in_a_thread(remove)


def test_a_coordinator_imports_e_learning_records(
    page: Page, site: LiveSite, world: World, cleanup: None, fresh_sign_in: Any, tmp_path: Path
) -> None:
    coordinator = world.user("coordinator", "leeds")
    practitioner = world.user("practitioner", "leeds")
    fresh_sign_in(coordinator)
    page.goto(site.url("/sign-in/", board="leeds"))
    page.get_by_label("Email address").fill(coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site.url("/", board="leeds"))

    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"email,module,started_on,completed_on,hours\n{practitioner.email},{MODULE},2026-02-01,2026-13-01,2\n"
        f"nobody@nowhere.test,{MODULE},2026-02-01,,\n"
    )
    page.goto(site.url("/audiences/e-learning/import/", board="leeds"))
    page.get_by_label("E-learning provider").fill("Virtual College")
    page.get_by_label("Upload a CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Import records").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Row 2")
    expect(summary).to_contain_text("Row 3")
    assert_accessible(page)

    good = tmp_path / "good.csv"
    good.write_text(
        f"email,module,started_on,completed_on,hours\n{practitioner.email},{MODULE},2026-02-01,2026-02-03,2\n"
    )
    page.get_by_label("E-learning provider").fill("Virtual College")
    page.get_by_label("Upload a CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Import records").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    expect(page.get_by_role("table").first).to_be_visible()
    assert_accessible(page)
