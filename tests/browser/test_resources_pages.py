"""The resources library in Chromium with axe (WCAG 2.2 AA): the library with filters, a resource, adding one
with a file (and its errors), downloading it, and deleting it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD, World
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveSite, _in_a_thread

pytestmark = pytest.mark.browser
PREFIX = "Browser test"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture
def shelf(world: World, django_db_blocker: Any, settings: Any, tmp_path: Path) -> Iterator[None]:
    """Published and unpublished Leeds resources, committed for the server to read, deleted afterwards (with the
    files the test uploads, which go to a folder of this test's own)."""
    from tenant_apps.resources import services
    from tenant_apps.resources.models import Resource
    from tenants.cross_board import run_in_board

    settings.MEDIA_ROOT = tmp_path / "media"
    coordinator = world.user("coordinator", "leeds")

    def make() -> None:
        services.create_resource(
            actor=coordinator,
            title=f"{PREFIX} neglect toolkit",
            kind="toolkit",
            topic="Neglect",
            summary="Tools for spotting and responding to neglect.",
            body="Use the toolkit in supervision.",
            published=True,
        )
        services.create_resource(
            actor=coordinator,
            title=f"{PREFIX} CSE learning objectives",
            kind="learning_objectives",
            topic="Child sexual exploitation",
            body="Recognise the signs of exploitation\nKnow how to refer",
            published=True,
        )
        services.create_resource(
            actor=coordinator,
            title=f"{PREFIX} on-site trainer",
            kind="recommended_provider",
            provider_name="Safe Hands Training",
            contact_email="bookings@safehands.example",
            body="Whole-day neglect training at your setting.",
        )

    def remove() -> None:
        for resource in Resource.objects.filter(title__startswith=PREFIX):
            services.delete_resource(resource, actor=coordinator)

    with django_db_blocker.unblock():
        _in_a_thread(lambda: run_in_board(world.boards["leeds"], make))
        try:
            yield
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


def test_the_library_filters_and_a_resource_page_are_accessible(
    page: Page, site: LiveSite, world: World, fresh_sign_in: Any, shelf: None
) -> None:
    _sign_in(page, site, world, fresh_sign_in, "/resources/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Resources library")
    expect(page.locator("header").get_by_role("link", name="Resources")).to_be_visible()
    expect(page.get_by_role("link", name=f"{PREFIX} neglect toolkit")).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="Not published").first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Kind of resource").select_option("learning_objectives")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=f"{PREFIX} CSE learning objectives")).to_be_visible()
    expect(page.get_by_role("link", name=f"{PREFIX} neglect toolkit")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name=f"{PREFIX} CSE learning objectives").click()
    expect(page.locator("ol.govuk-list--number li")).to_have_count(2)
    assert_accessible(page)


def test_a_coordinator_adds_downloads_and_deletes_a_resource_with_a_file(
    page: Page, site: LiveSite, world: World, fresh_sign_in: Any, shelf: None
) -> None:
    _sign_in(page, site, world, fresh_sign_in, "/resources/add/")
    page.get_by_role("button", name="Add the resource").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Enter a title")).to_be_visible()
    expect(summary.get_by_role("link", name="Add a file, a link or the text of the resource")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page)

    page.get_by_label("Title").fill(f"{PREFIX} seven-minute briefing")
    page.get_by_label("Case review learning (7-minute briefing)").check()
    page.get_by_label("Upload a file").set_input_files(
        {"name": "Child J briefing.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_label("Publish it now").check()
    page.get_by_role("button", name="Add the resource").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("has been added to the library")
    link = page.get_by_role("link", name=re.compile("Download Child_J_briefing.pdf"))
    expect(link).to_contain_text("(PDF, 1 KB)")
    assert_accessible(page)

    with page.expect_download() as download:
        link.click()
    assert Path(download.value.path()).read_bytes() == PDF
    assert download.value.suggested_filename == "Child_J_briefing.pdf"

    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Are you sure you want to delete")
    assert_accessible(page)
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("has been deleted")
