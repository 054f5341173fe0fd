"""Settling a Stripe payment as production does: the signed `checkout.session.completed` event reaches our webhook,
which stores it and sends `charges.handle_stripe_event` to a real Celery worker process; the worker re-reads the
Checkout Session from the Stripe stand-in over HTTP and settles the fee in the board's schema. Committed data (the
worker reads it on its own connection), removed afterwards."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client, override_settings
from tenant_schemas_celery.app import CeleryApp

from conftest import World
from lscb_platform.celery import app as project_celery_app
from shared_apps.accounts.models import Membership, User
from shared_apps.audit.models import AuditEvent
from shared_apps.payments import services as public_records
from shared_apps.payments.models import ConnectedAccount, FeeEntry, StripeEvent
from shared_apps.payments.stripe_client import client as stripe_client
from stripe_standin import StripeStandIn
from tenant_apps.booking.models import Booking
from tenant_apps.charges import services as charges
from tenant_apps.charges.models import ChargeEmail, Fee, Payment, Refund
from tenant_apps.offer.models import Course, Session
from tenants.cross_board import run_in_board
from tenants.models import Board
from tests.committed_fees import Owed, make_owed_fee, remove_owed_fees
from tests.worker_fixture import running_worker

pytestmark = pytest.mark.worker

BOARD = "croydon"
TITLE = "Worker: settling a paid fee"
PEOPLE = "worker-settle"
STARTS = datetime(2031, 10, 14, 9, 30, tzinfo=ZoneInfo("Europe/London"))
WAIT_SECONDS = 30
T = TypeVar("T")


@pytest.fixture(scope="module")
def standin() -> Iterator[StripeStandIn]:
    """Started before the worker, which is told its address; no webhook address (the test posts the events)."""
    with (
        StripeStandIn(port=0, webhook_secret=settings.STRIPE_WEBHOOK_SECRET) as server,
        override_settings(STRIPE_API_BASE=server.url),
    ):
        yield server


@pytest.fixture(scope="module")
def worker(world: World, standin: StripeStandIn, django_db_blocker: Any) -> Iterator[CeleryApp]:
    stripe_env = {"STRIPE_API_BASE": standin.url, "STRIPE_WEBHOOK_SECRET": standin.webhook_secret}
    with running_worker(django_db_blocker, stripe_env) as sender:
        yield sender


@pytest.fixture(scope="module")
def owed(world: World, standin: StripeStandIn, worker: CeleryApp, django_db_blocker: Any) -> Iterator[Owed]:
    """A committed £50 no-show fee in Croydon, the board connected to the stand-in; everything removed afterwards
    (the tests wait for every task they send, so the worker writes nothing after this)."""
    board = world.boards[BOARD]
    with django_db_blocker.unblock():
        owed = make_owed_fee(board, standin, title=TITLE, starts=STARTS, people=PEOPLE)
        try:
            yield owed
        finally:
            _remove_receipts_audit_and_events(board, standin)
            remove_owed_fees(board, title=TITLE)
            Membership.objects.filter(user=owed.payer).delete()
            User.objects.filter(email__endswith=f"@{PEOPLE}.test").delete()
            owed.agency.delete()
            connection.close()


def _remove_receipts_audit_and_events(board: Board, standin: StripeStandIn) -> None:
    """What remove_owed_fees leaves: the receipt's send log, the audit of the course, session and booking, and the
    stored webhook events (in the public schema, by the stand-in's event ids)."""

    def remove() -> None:
        receipts = [f"receipt:{pk}" for pk in Payment.objects.values_list("pk", flat=True)]
        ChargeEmail.objects.filter(key__in=receipts).delete()
        sessions = Session.objects.filter(course__title=TITLE)
        audited = [
            *Course.objects.filter(title=TITLE).values_list("pk", flat=True),
            *sessions.values_list("pk", flat=True),
            *Booking.objects.filter(session__in=sessions).values_list("pk", flat=True),
        ]
        AuditEvent.objects.filter(board=board, object_id__in=[str(pk) for pk in audited]).delete()

    _in(board, remove)
    StripeEvent.objects.filter(event_id__in=[event["id"] for event in standin.events()]).delete()


def _in(board: Board, work: Callable[[], T]) -> T:
    return run_in_board(board, work)


@contextmanager
def tasks_sent_to_the_worker(sender: CeleryApp) -> Iterator[None]:
    """Our code's tasks go to the real worker, as in production, instead of running eagerly in this process (the
    project's Celery app in tests has no broker): the sender is the current app while our code sends them."""
    sender.set_current()
    try:
        yield
    finally:
        project_celery_app.set_current()


def _stripe_signature(payload: bytes, secret: str) -> str:
    """Stripe's `Stripe-Signature` header: t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<payload>")>."""
    timestamp = int(time.time())
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _completed_event(standin: StripeStandIn, session_id: str) -> dict[str, Any]:
    [event] = [
        event
        for event in standin.events()
        if event["type"] == "checkout.session.completed" and event["data"]["object"]["id"] == session_id
    ]
    return event


def _wait_for(what: str, check: Callable[[], T | None]) -> T:
    """Poll the database until the worker's work shows (it commits on its own connection)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while (found := check()) is None:
        if time.monotonic() > deadline:
            pytest.fail(f"The worker did not finish within {WAIT_SECONDS} s: {what}")
        time.sleep(0.1)
    return found


def _send_event_task(sender: CeleryApp, board: Board, event: dict[str, Any]) -> str:
    """`charges.handle_stripe_event` sent by name to run in the board's schema, as the webhook sends it."""
    result = sender.send_task(
        "charges.handle_stripe_event",
        args=[event["id"], event["type"], event["data"]["object"]["id"]],
        headers={"_schema_name": board.schema_name},
    )
    return str(result.get(timeout=WAIT_SECONDS))


def test_the_worker_settles_a_paid_checkout_once_however_often_its_event_comes(
    world: World, standin: StripeStandIn, worker: CeleryApp, owed: Owed, django_db_blocker: Any
) -> None:
    board = world.boards[BOARD]
    with django_db_blocker.unblock():
        payment = _in(
            board,
            lambda: charges.start_checkout(
                owed.agency,
                [str(owed.fee.pk)],
                actor=owed.payer,
                success_url="https://x.test/paid",
                cancel_url="https://x.test/",
            ),
        )
        session_id = str(payment.checkout_session_id)
        paid_session = standin.pay(session_id)
        event = _completed_event(standin, session_id)
        assert event["account"] == ConnectedAccount.objects.get(board=board).stripe_account_id

        payload = json.dumps(event).encode()
        with tasks_sent_to_the_worker(worker):
            answer = Client(HTTP_HOST="localhost").post(
                "/stripe/webhook/",
                data=payload,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=_stripe_signature(payload, standin.webhook_secret),
            )
        assert answer.status_code == 200 and answer.json() == {"received": True}
        # The webhook answered before the work was done: the worker settles it, then records what it did.
        stored = _wait_for(
            "the event processed",
            lambda: StripeEvent.objects.filter(event_id=event["id"], processed_at__isnull=False).first(),
        )
        assert (stored.event_type, stored.board_id, stored.outcome) == (
            "checkout.session.completed",
            board.pk,
            "paid 1, refunded 0",
        )
        fee = _in(board, lambda: Fee.objects.get(pk=owed.fee.pk))
        assert fee.status == "paid" and fee.paid_at is not None and fee.payment_id == payment.pk
        assert _in(board, lambda: Payment.objects.get(pk=payment.pk).status) == "paid"
        assert FeeEntry.objects.get(board=board, fee_id=fee.pk).status == "paid"
        # The receipt is the worker's next task, sent by the worker itself.
        receipt = _wait_for(
            "the receipt emailed",
            lambda: _in(board, lambda: ChargeEmail.objects.filter(key=f"receipt:{payment.pk}").first()),
        )
        assert receipt.sent_to == owed.payer.email
        # Nothing was settled here: had the task run in this process, its receipt would be in this outbox.
        assert not [message for message in mail.outbox if message.subject.startswith("Receipt")]

        # Stripe delivers again (twice): the worker re-reads the session, finds the payment done, changes nothing.
        assert [_send_event_task(worker, board, event) for _ in range(2)] == ["already paid", "already paid"]
        [charge] = [
            charge for charge in standin.objects("charge") if charge["payment_intent"] == paid_session["payment_intent"]
        ]
        assert (charge["amount"], charge["amount_refunded"]) == (5000, 0)
        assert standin.objects("refund") == []
        assert _in(board, lambda: Fee.objects.get(pk=fee.pk).paid_at) == fee.paid_at
        assert _in(board, lambda: ChargeEmail.objects.filter(key=f"receipt:{payment.pk}").count()) == 1
        assert StripeEvent.objects.filter(event_id=event["id"]).count() == 1


def test_an_event_for_a_checkout_the_board_never_opened_changes_nothing(
    world: World, standin: StripeStandIn, worker: CeleryApp, owed: Owed, django_db_blocker: Any
) -> None:
    """A checkout made on the board's Stripe account by something other than the platform (a payment link in the
    dashboard, say), then paid: the board has no payment for it, so the worker leaves everything as it was."""
    board = world.boards[BOARD]

    def board_state() -> dict[str, Any]:
        return {
            "payments": list(Payment.objects.order_by("pk").values_list("pk", "status")),
            "fees": list(Fee.objects.order_by("pk").values_list("pk", "status", "payment_id", "paid_at")),
            "refunds": Refund.objects.count(),
            "emails": ChargeEmail.objects.count(),
        }

    with django_db_blocker.unblock():
        account_id = ConnectedAccount.objects.get(board=board).stripe_account_id
        stray = stripe_client().v1.checkout.sessions.create(
            params={
                "mode": "payment",
                "line_items": [
                    {
                        "price_data": {"currency": "gbp", "unit_amount": 1200, "product_data": {"name": "Donation"}},
                        "quantity": 1,
                    }
                ],
                "success_url": "https://x.test/paid",
                "cancel_url": "https://x.test/",
            },
            options={"stripe_account": account_id},
        )
        standin.pay(stray.id)
        event = _completed_event(standin, stray.id)
        before = _in(board, board_state)
        charges_before = standin.objects("charge")
        # Stored as the webhook stores it, then handed to the worker in the board's schema.
        assert public_records.store_event_once(event["id"], event["type"], account_id, board.pk)

        assert _send_event_task(worker, board, event) == "unknown checkout"
        assert _in(board, board_state) == before
        assert standin.objects("charge") == charges_before and standin.objects("refund") == []
        stored = StripeEvent.objects.get(event_id=event["id"])
        assert stored.processed_at is not None and stored.outcome == "unknown checkout"
