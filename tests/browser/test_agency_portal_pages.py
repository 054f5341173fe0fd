"""The agency finance portal in Chromium with axe (WCAG 2.2 AA): a finance contact signs in, sees their agency's
fee, pays it on the Stripe stand-in's hosted Checkout page, and comes back to "Payment received"; the stand-in's
signed webhook reaches the live site and the fee is paid."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD, World
from stripe_standin import StripeStandIn
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveSite, _in_a_thread
from tests.committed_fees import Owed, make_owed_fee, remove_owed_fees

pytestmark = pytest.mark.browser
TITLE = "Browser fees: paying for a missed course"
STARTS = datetime(2031, 10, 7, 9, 30, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def owed(world: World, site: LiveSite, settings: Any, django_db_blocker: Any) -> Iterator[tuple[StripeStandIn, Owed]]:
    board = world.boards["bradford"]
    made: dict[str, Owed] = {}
    webhook = site.url("/stripe/webhook/")
    with StripeStandIn(webhook_url=webhook, webhook_secret=settings.STRIPE_WEBHOOK_SECRET) as standin:
        settings.STRIPE_API_BASE = standin.url
        with django_db_blocker.unblock():
            _in_a_thread(
                lambda: made.setdefault(
                    "owed", make_owed_fee(board, standin, title=TITLE, starts=STARTS, people="browserfees")
                )
            )
            try:
                yield standin, made["owed"]
            finally:
                _in_a_thread(lambda: remove_owed_fees(board, title=TITLE))


def test_a_finance_contact_pays_a_fee_through_checkout(
    page: Page, site: LiveSite, owed: tuple[StripeStandIn, Owed], django_db_blocker: Any
) -> None:
    standin, details = owed
    page.goto(site.url("/sign-in/"))
    page.get_by_label("Email address").fill(details.payer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(site.url("/agency/"))
    expect(page.get_by_role("heading", name="Fees for browserfees Trust")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("Sam Absent")
    expect(row).to_contain_text("£50.00")
    expect(row).to_contain_text("Raised")
    assert_accessible(page)

    page.get_by_role("button", name="Pay the ticked fees to Bradford Safeguarding Children Partnership by card").click()
    # Stripe's hosted page (the stand-in's): the amount, then Pay.
    assert page.url.startswith(f"{standin.url}/pay/cs_test_")
    expect(page.locator("body")).to_contain_text("50.00")
    page.get_by_role("button", name="Pay").click()

    expect(page.get_by_role("heading", name="Payment received")).to_be_visible()
    expect(page.locator(".govuk-panel__body")).to_contain_text("£50.00 paid to Bradford")
    assert_accessible(page)
    page.get_by_role("link", name="Back to your agency's fees").click()
    expect(page.get_by_text("Your agency has no fees to pay.")).to_be_visible()

    [delivery] = [d for d in standin.deliveries() if d["type"] == "checkout.session.completed"]
    assert delivery["status"] == 200

    def paid() -> None:
        from tenant_apps.charges.models import Fee
        from tenants.cross_board import run_in_board
        from tenants.models import Board

        bradford = Board.objects.get(slug="bradford")
        assert run_in_board(bradford, lambda: Fee.objects.get(pk=details.fee.pk).status) == "paid"

    with django_db_blocker.unblock():
        _in_a_thread(paid)
