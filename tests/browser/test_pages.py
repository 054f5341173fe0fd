"""The public home, a board's home by host and by subfolder, and the unknown-board page, in Chromium with axe."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from conftest import BOARD_SLUGS, World
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveSite

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "images"
# The README's pictures are refreshed only on request, so a test run never leaves changed files behind.
SAVE_SCREENSHOTS = os.environ.get("LSCB_SAVE_SCREENSHOTS") == "1"


def _save_screenshot(page: Page, name: str) -> None:
    # A short viewport, so that the full-page picture ends where the page's content does.
    page.set_viewport_size({"width": 1200, "height": 400})
    page.screenshot(path=SCREENSHOTS / name, full_page=True)


def _style(page: Page, selector: str, prop: str) -> str:
    return str(page.eval_on_selector(selector, "(el, prop) => getComputedStyle(el)[prop]", prop))


def test_public_home_lists_the_boards_in_govuk_styles(page: Page, site: LiveSite, world: World) -> None:
    response = page.goto(site.url("/"))
    assert response is not None and response.status == 200

    for slug in BOARD_SLUGS:
        expect(page.get_by_role("link", name=world.boards[slug].name)).to_be_visible()
    # The CSS loaded and was built with Arial: GDS Transport is for gov.uk only.
    font = _style(page, "body", "fontFamily").lower()
    assert "arial" in font and "gds transport" not in font
    # GOV.UK Frontend 6's generic header (black, white text) and service navigation (light blue-grey).
    assert _style(page, ".govuk-generic-header", "backgroundColor") == "rgb(11, 12, 12)"
    assert _style(page, ".govuk-generic-header__homepage-link", "color") == "rgb(255, 255, 255)"
    assert _style(page, ".govuk-service-navigation", "backgroundColor") == "rgb(244, 248, 251)"
    assert _style(page, "main .govuk-link", "color") == "rgb(26, 101, 166)"  # GOV.UK link blue
    # The template snippet marked the body, and GOV.UK Frontend's module script initialised the components.
    expect(page.locator("body")).to_have_class("govuk-template__body js-enabled govuk-frontend-supported")
    expect(page.locator(".govuk-skip-link[data-govuk-skip-link-init]")).to_have_count(1)
    assert_accessible(page)
    if SAVE_SCREENSHOTS:
        _save_screenshot(page, "platform-home.png")


@pytest.mark.parametrize("where", ["subdomain", "subfolder"])
def test_board_home_names_the_board_in_the_header(page: Page, site: LiveSite, world: World, where: str) -> None:
    url = site.url("/", board="leeds") if where == "subdomain" else site.url("/t/leeds/")
    response = page.goto(url)
    assert response is not None and response.status == 200

    name = world.boards["leeds"].name
    header_link = page.locator("header .govuk-generic-header__homepage-link")
    expect(header_link).to_have_text(name)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page).to_have_title(f"Home \N{EN DASH} {name}")
    assert "arial" in _style(page, "body", "fontFamily").lower()
    assert_accessible(page)
    if SAVE_SCREENSHOTS and where == "subdomain":
        _save_screenshot(page, "board-home.png")


def _unknown_board(site: LiveSite, where: str) -> str:
    return site.url("/", board="nowhere") if where == "subdomain" else site.url("/t/nowhere/")


@pytest.mark.parametrize("where", ["subdomain", "subfolder"])
def test_an_unknown_board_is_a_friendly_404(page: Page, site: LiveSite, where: str) -> None:
    response = page.goto(_unknown_board(site, where))
    assert response is not None and response.status == 404

    expect(page.get_by_role("heading", level=1)).to_have_text("Board or partnership not found")
    expect(page.get_by_role("link", name="See every board and partnership on the platform")).to_be_visible()


@pytest.mark.parametrize("where", ["subdomain", "subfolder"])
def test_the_unknown_board_page_is_styled_and_accessible(page: Page, site: LiveSite, where: str) -> None:
    page.goto(_unknown_board(site, where))
    assert "arial" in _style(page, "body", "fontFamily").lower()
    assert _style(page, ".govuk-generic-header", "backgroundColor") == "rgb(11, 12, 12)"
    assert_accessible(page)
