"""Signing in and out in Chromium, with axe on every state of the pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD, World
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveSite

pytestmark = pytest.mark.browser


def test_an_empty_sign_in_shows_the_error_summary(page: Page, site: LiveSite) -> None:
    response = page.goto(site.url("/sign-in/", board="leeds"))
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    button = page.get_by_role("button", name="Sign in")
    assert button.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(15, 122, 82)"  # GOV.UK green
    assert "arial" in page.eval_on_selector("body", "el => getComputedStyle(el).fontFamily").lower()
    assert_accessible(page)

    button.click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary.get_by_role("link", name="Enter your email address")).to_have_attribute("href", "#id_email")
    expect(summary.get_by_role("link", name="Enter your password")).to_have_attribute("href", "#id_password")
    # GOV.UK Frontend moves focus to the summary, so a screen reader announces it.
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile("^Error: Sign in \N{EN DASH} "))
    expect(page.get_by_label("Email address")).to_have_attribute("aria-describedby", "id_email-error")
    assert_accessible(page)


def test_a_practitioner_signs_in_and_out(page: Page, site: LiveSite, world: World, fresh_sign_in: Any) -> None:
    user = world.user("practitioner", "leeds")
    fresh_sign_in(user)
    page.goto(site.url("/sign-in/", board="leeds"))

    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(site.url("/", board="leeds"))
    header = page.locator("header")
    expect(header).to_contain_text(user.full_name)
    expect(header.get_by_role("link", name="Sign in")).to_have_count(0)
    assert_accessible(page)

    header.get_by_role("button", name="Sign out").click()

    page.wait_for_url(site.url("/sign-in/", board="leeds"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out.")
    expect(header).not_to_contain_text(user.full_name)
    expect(header.get_by_role("link", name="Sign in")).to_be_visible()
    assert_accessible(page)


def test_a_board_admin_signs_in_with_a_security_code(
    page: Page, site: LiveSite, world: World, fresh_sign_in: Any
) -> None:
    # Each board admin's code works once per 30-second step: another admin sign-in in this session uses
    # another board's admin.
    user = world.user("board_admin", "leeds")
    fresh_sign_in(user)
    page.goto(site.url("/sign-in/", board="leeds"))
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(site.url("/sign-in/code/", board="leeds"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    expect(page.locator("header")).not_to_contain_text(user.full_name)
    code = page.get_by_label("Security code")
    expect(code).to_have_attribute("autocomplete", "one-time-code")
    expect(code).to_have_attribute("inputmode", "numeric")
    assert_accessible(page)

    code.fill(world.totp_code(user))
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(site.url("/", board="leeds"))
    header = page.locator("header")
    expect(header).to_contain_text(user.full_name)
    assert_accessible(page)

    header.get_by_role("link", name="Audit log").click()

    page.wait_for_url(site.url("/audit/", board="leeds"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    expect(header.get_by_role("link", name="Audit log")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("table")).to_be_visible()
    assert_accessible(page)

    # The same administrator's People and roles page, and its form's errors (nothing is saved).
    header.get_by_role("link", name="People").click()
    page.wait_for_url(site.url("/people/", board="leeds"))
    expect(page.get_by_role("table")).to_contain_text(world.user("coordinator", "leeds").email)
    assert_accessible(page)
    page.get_by_label("Their email address").fill("someone.new@school.test")
    page.get_by_role("button", name="Give the role").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a role")
    assert_accessible(page)


def test_asking_for_a_link_to_set_a_password(page: Page, site: LiveSite) -> None:
    page.goto(site.url("/sign-in/", board="leeds"))
    page.get_by_role("link", name="Forgotten your password, or never set one?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set or reset your password")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")
    assert_accessible(page)

    page.get_by_label("Email address").fill("nobody.at.all@school.test")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)

    page.goto(site.url("/password/set/MQ/not-a-token/", board="leeds"))
    expect(page.get_by_role("heading", level=1)).to_have_text("This link cannot be used")
    assert_accessible(page)
