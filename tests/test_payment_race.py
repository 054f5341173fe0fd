"""Two (and more) payment attempts for one fee at the same moment, each on its own database connection as two web
requests would be: one checkout, one charge. Real threads, real PostgreSQL, the Stripe stand-in over HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from conftest import World
from stripe_standin import StripeStandIn
from tenant_apps.charges import services as charges
from tenant_apps.charges.models import Fee, Payment
from tenants.cross_board import inside_board, run_in_board
from tests.committed_fees import Owed, make_owed_fee, remove_owed_fees

ATTEMPTS = 12
STARTS = datetime(2031, 9, 9, 9, 30, tzinfo=ZoneInfo("Europe/London"))
TITLE = "Race: paying in a rush"


@pytest.fixture
def owed(world: World, django_db_blocker: Any, settings: Any) -> Iterator[tuple[StripeStandIn, Owed]]:
    """A committed fee in Bradford (the threads read it on their own connections), removed afterwards."""
    board = world.boards["bradford"]
    with StripeStandIn(webhook_secret=settings.STRIPE_WEBHOOK_SECRET) as standin, django_db_blocker.unblock():
        settings.STRIPE_API_BASE = standin.url
        owed = make_owed_fee(board, standin, title=TITLE, starts=STARTS, people="race")
        try:
            yield standin, owed
        finally:
            remove_owed_fees(board, title=TITLE)
            connection.close()


def test_many_attempts_to_pay_one_fee_at_once_make_one_checkout_and_one_charge(
    world: World, owed: tuple[StripeStandIn, Owed], django_db_blocker: Any
) -> None:
    standin, details = owed
    agency, payer, fee = details.agency, details.payer, details.fee
    board = world.boards["bradford"]
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def attempt() -> None:
        try:
            with inside_board(board):
                barrier.wait(timeout=60)
                payment = charges.start_checkout(
                    agency, [str(fee.pk)], actor=payer, success_url="https://x.test/ok", cancel_url="https://x.test/"
                )
                outcomes.append(str(payment.checkout_session_id))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    with django_db_blocker.unblock():
        threads = [threading.Thread(target=attempt) for _ in range(ATTEMPTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors, errors[:3]
        # Every attempt was handed the one checkout the first of them opened.
        assert len(outcomes) == ATTEMPTS and len(set(outcomes)) == 1
        assert len(standin.objects("checkout.session")) == 1
        assert run_in_board(board, lambda: Payment.objects.count()) == 1

        standin.pay(outcomes[0])
        results = []

        def settle() -> None:
            try:
                with inside_board(board):
                    barrier.wait(timeout=60)
                    results.append(charges.settle_checkout(outcomes[0]))
            except BaseException as error:
                errors.append(error)
            finally:
                connection.close()

        barrier = threading.Barrier(4)
        settlers = [threading.Thread(target=settle) for _ in range(4)]
        for thread in settlers:
            thread.start()
        for thread in settlers:
            thread.join(timeout=120)
        assert not errors, errors[:3]
        # Settled once (the webhook, the success page and a retry may all arrive together); the rest saw it done.
        assert sorted(results) == ["already paid"] * 3 + ["paid 1, refunded 0"]
        assert run_in_board(board, lambda: Fee.objects.get(pk=fee.pk).status) == "paid"
        [charge] = standin.objects("charge")
        assert (charge["amount"], charge["amount_refunded"]) == (5000, 0)
