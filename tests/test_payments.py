"""Paying fees online, end to end on the local Stripe stand-in over real HTTP: the agency portal, Checkout, the
signed webhook to our endpoint, the task that re-reads the session, receipts, refunds; duplicates, disorder,
forgeries and races; and the portal never showing another agency's fees."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail, signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.db import close_old_connections
from django.test import Client

from conftest import World
from shared_apps.accounts.models import Membership
from shared_apps.payments.models import ConnectedAccount, FeeEntry, StripeEvent
from stripe_standin import StripeStandIn
from tenant_apps.charges import services as charges
from tenant_apps.charges.models import Fee, Invoice, Payment, Refund
from tests.test_booking import MORNING, _book, _in, _people, _session
from tests.test_charges import ON_THE_DAY, _agency, _close_register, leeds_policy

pytestmark = pytest.mark.django_db


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class WebhookSink:
    """Our platform host over real HTTP, served in the test's own thread, so that the webhook's work runs in the
    test's transaction, while the stand-in delivers from another thread. A fresh socket for each exchange, and no
    webhook address between them: an event raised while nobody listens (a refund made inside our own request) is
    not delivered, as when our endpoint is down, and Stripe's redelivery is `standin.deliver`."""

    def __init__(self, standin: StripeStandIn, after_commit: Any) -> None:
        self.standin = standin
        self.after_commit = after_commit
        self.standin.configure(webhook_url="")

    def serve_while(self, action: Callable[[], Any], requests: int = 1) -> Any:
        server = WSGIServer(("127.0.0.1", 0), _Quiet)
        server.set_app(WSGIHandler())
        server.timeout = 10
        self.standin.configure(webhook_url=f"http://localhost:{server.server_address[1]}/stripe/webhook/")
        result: dict[str, Any] = {}

        def run() -> None:
            try:
                result["value"] = action()
            except Exception as exc:  # re-raised in the test's thread
                result["error"] = exc

        worker = threading.Thread(target=run)
        worker.start()
        # As Django's test client does: a request's start and end must not close the connection that holds the
        # test's transaction. What the request left for after its commit (the task in the board's schema) runs
        # once it has answered.
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            with self.after_commit(execute=True):
                for _ in range(requests):
                    server.handle_request()
                worker.join(timeout=30)
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
            self.standin.configure(webhook_url="")
            server.server_close()
        if "error" in result:
            raise result["error"]
        return result.get("value")


@pytest.fixture
def standin(settings: Any) -> Iterator[StripeStandIn]:
    with StripeStandIn(webhook_secret=settings.STRIPE_WEBHOOK_SECRET) as server:
        settings.STRIPE_API_BASE = server.url
        yield server


@pytest.fixture
def sink(standin: StripeStandIn, django_capture_on_commit_callbacks: Any) -> WebhookSink:
    return WebhookSink(standin, django_capture_on_commit_callbacks)


def _connect(world: World, slug: str, standin: StripeStandIn) -> ConnectedAccount:
    """The board's administrator opens its Stripe account and finishes onboarding on the stand-in's page."""
    admin = world.user("board_admin", slug)
    link = _in(
        world,
        slug,
        lambda: charges.start_onboarding(actor=admin, return_url="https://x.test/done", refresh_url="https://x.test/"),
    )
    assert "/onboarding/acct_" in link
    account = ConnectedAccount.objects.get(board=world.boards[slug])
    assert not account.charges_enabled
    standin.onboard(account.stripe_account_id)  # its account.updated webhook is exercised in its own test
    _in(world, slug, charges.refresh_connected_account)
    account.refresh_from_db()
    assert account.charges_enabled
    return account


def _stripe_charges(standin: StripeStandIn) -> list[dict[str, Any]]:
    """Every charge the stand-in holds (what a Stripe dashboard would list)."""
    return standin.objects("charge")


def _finance(world: World, slug: str, agency: Any, name: str = "finance") -> Any:
    person = _people(1, f"{name}-{slug}-{agency.pk}")[0]
    Membership.objects.create(user=person, board=world.boards[slug], role="finance", agency=agency)
    return person


def _no_show_fees(world: World, agency: Any, count: int = 1, slug: str = "leeds") -> list[Fee]:
    session = _session(world, slug, capacity=10)
    bookings = [
        _book(world, session, person, slug, agency=agency) for person in _people(count, f"absent-{slug}-{agency.pk}")
    ]
    return _close_register(world, session, dict.fromkeys(bookings, "no_show"), slug)


def _portal(person: Any) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(person)
    return client


def _checkout(client: Client, agency: Any, fees: list[Fee], slug: str = "leeds") -> Any:
    return client.post("/agency/pay/", {"agency": agency.pk, "board": slug, "fee": [str(fee.pk) for fee in fees]})


def _session_id(response: Any) -> str:
    assert response.status_code == 302, response.content[:500]
    return str(response["Location"]).rstrip("/").split("/")[-1]


def _fee(world: World, fee: Fee, slug: str = "leeds") -> Fee:
    return _in(world, slug, lambda: Fee.objects.select_related("invoice", "payment").get(pk=fee.pk))


def test_the_whole_path_from_a_no_show_to_a_receipt(
    world: World, standin: StripeStandIn, sink: WebhookSink, django_capture_on_commit_callbacks: Any
) -> None:
    leeds_policy(world)
    trust = _agency("Leeds and York Partnership NHS Trust")
    finance = _finance(world, "leeds", trust)
    _connect(world, "leeds", standin)
    [fee] = _no_show_fees(world, trust)
    with (
        time_machine.travel(ON_THE_DAY + timedelta(days=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        [invoice] = _in(
            world,
            "leeds",
            lambda: charges.issue_invoices(period_start=MORNING.date(), period_end=MORNING.date(), actor=None),
        )
    assert any(message.to == [finance.email] and "Invoice LEEDS-" in message.subject for message in mail.outbox)

    portal = _portal(finance)
    page = portal.get("/agency/")
    assert page.status_code == 200
    assert "£35.00" in page.content.decode() and "Leeds Safeguarding Children Partnership" in page.content.decode()
    checkout = _checkout(portal, trust, [fee])
    session_id = _session_id(checkout)
    assert str(checkout["Location"]).startswith(standin.url + "/pay/cs_test_")

    mail.outbox.clear()
    sink.serve_while(lambda: standin.pay(session_id))

    paid = _fee(world, fee)
    assert paid.status == "paid" and paid.paid_at is not None
    assert _in(world, "leeds", lambda: Invoice.objects.get(pk=invoice.pk).status) == "paid"
    payment = _in(world, "leeds", lambda: Payment.objects.get(checkout_session_id=session_id))
    assert payment.status == "paid" and payment.payment_intent_id.startswith("pi_")
    assert FeeEntry.objects.get(fee_id=fee.pk).status == "paid"
    event = StripeEvent.objects.get(event_type="checkout.session.completed", board=world.boards["leeds"])
    assert event.processed_at is not None and event.outcome == "paid 1, refunded 0"
    [receipt] = [message for message in mail.outbox if message.subject.startswith("Receipt")]
    assert finance.email in receipt.to and receipt.attachments[0][0].endswith(".pdf")

    # The payer comes back from Stripe: the page says it is paid; the receipt downloads.
    back = portal.get(f"/agency/paid/?board=leeds&session_id={session_id}")
    assert back.status_code == 200 and "Payment received" in back.content.decode()
    pdf = portal.get(f"/agency/receipts/leeds/{payment.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_each_webhook_delivered_three_times_changes_nothing_twice(
    world: World, standin: StripeStandIn, sink: WebhookSink
) -> None:
    leeds_policy(world)
    trust = _agency("South West Yorkshire NHS Trust")
    finance = _finance(world, "leeds", trust)
    _connect(world, "leeds", standin)
    fees = _no_show_fees(world, trust, 2)
    session_id = _session_id(_checkout(_portal(finance), trust, fees))
    sink.serve_while(lambda: standin.pay(session_id))
    [event] = [e for e in standin.events() if e["type"] == "checkout.session.completed"]
    mail.outbox.clear()
    statuses = [sink.serve_while(lambda: standin.deliver(event["id"])) for _ in range(2)]
    assert statuses == [200, 200]
    assert StripeEvent.objects.filter(event_id=event["id"]).count() == 1
    assert [_fee(world, fee).status for fee in fees] == ["paid", "paid"]
    assert _in(world, "leeds", lambda: Refund.objects.count()) == 0
    assert mail.outbox == []  # no second receipt
    charges_made = _stripe_charges(standin)
    assert len(charges_made) == 1 and charges_made[0]["amount"] == 7000


def test_forged_stale_and_malformed_webhooks_are_refused_and_change_nothing(
    world: World, standin: StripeStandIn, sink: WebhookSink
) -> None:
    leeds_policy(world)
    trust = _agency("Locala Health")
    finance = _finance(world, "leeds", trust)
    _connect(world, "leeds", standin)
    [fee] = _no_show_fees(world, trust)
    session_id = _session_id(_checkout(_portal(finance), trust, [fee]))
    standin.pay(session_id)  # paid, but our endpoint not yet told
    [event] = [e for e in standin.events() if e["type"] == "checkout.session.completed"]
    forged = sink.serve_while(lambda: standin.deliver(event["id"], secret="whsec_not_ours"))
    stale = sink.serve_while(lambda: standin.deliver(event["id"], timestamp=int(time.time()) - 600))
    assert (forged, stale) == (400, 400)
    public = Client(HTTP_HOST="localhost")
    malformed = public.post(
        "/stripe/webhook/", data=b"{not json", content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=00"
    )
    assert malformed.status_code == 400 and malformed.json()["error"]["code"] in {"bad_signature", "malformed"}
    assert not StripeEvent.objects.filter(event_id=event["id"]).exists()
    assert _fee(world, fee).status == "raised"
    # The genuine delivery then settles it.
    assert sink.serve_while(lambda: standin.deliver(event["id"])) == 200
    assert _fee(world, fee).status == "paid"


def test_events_out_of_order_end_in_the_same_state(world: World, standin: StripeStandIn, sink: WebhookSink) -> None:
    """A fee waived while its checkout was open, then paid: the payment for it is refunded (a charge.refunded event
    follows). Delivered newest first, the events still leave one payment, one refund, the fee waived."""
    leeds_policy(world)
    trust = _agency("Mid Yorkshire Hospitals NHS Trust")
    finance = _finance(world, "leeds", trust)
    _connect(world, "leeds", standin)
    kept, waived = _no_show_fees(world, trust, 2)
    session_id = _session_id(_checkout(_portal(finance), trust, [kept, waived]))
    coordinator = world.user("coordinator", "leeds")
    _in(world, "leeds", lambda: charges.waive(waived, reason="Trainer cancelled the room", actor=coordinator))

    standin.pay(session_id)  # our endpoint not told yet
    completed = next(e for e in standin.events() if e["type"] == "checkout.session.completed")
    # The success page settles first (the payer is back before the webhook): this makes the refund.
    back = _portal(finance).get(f"/agency/paid/?board=leeds&session_id={session_id}")
    assert back.status_code == 200
    refunded = next(e for e in standin.events() if e["type"] == "charge.refunded")
    for event in (refunded, completed, refunded, completed):
        assert sink.serve_while(lambda event=event: standin.deliver(event["id"])) == 200

    assert (_fee(world, kept).status, _fee(world, waived).status) == ("paid", "waived")
    [refund] = _in(world, "leeds", lambda: list(Refund.objects.all()))
    assert refund.fee_id == waived.pk and refund.amount == 3500
    [charge] = _stripe_charges(standin)
    assert (charge["amount"], charge["amount_refunded"]) == (7000, 3500)
    assert StripeEvent.objects.filter(event_id__in=[refunded["id"], completed["id"]]).count() == 2


def test_two_attempts_to_pay_one_fee_end_in_one_charge(world: World, standin: StripeStandIn, sink: WebhookSink) -> None:
    leeds_policy(world)
    trust = _agency("Bradford Teaching Hospitals NHS Trust")
    finance = _finance(world, "leeds", trust)
    colleague = _finance(world, "leeds", trust, "colleague")
    _connect(world, "leeds", standin)
    [fee, other] = _no_show_fees(world, trust, 2)
    first = _session_id(_checkout(_portal(finance), trust, [fee]))
    # The same fee again (a second tab, a colleague): the same checkout, not a second one.
    assert _session_id(_checkout(_portal(colleague), trust, [fee])) == first
    # The fee with another: refused while the first checkout is open.
    refused = _checkout(_portal(colleague), trust, [fee, other])
    assert refused.status_code == 400 and "already under way" in refused.content.decode()

    # The first checkout is abandoned; when it has expired, a new one may start. If the payer then completes
    # both (the old page left open), the fee is paid once and the second payment is refunded.
    with time_machine.travel(time.time() + 40 * 60, tick=False):
        second = _session_id(_checkout(_portal(colleague), trust, [fee]))
    assert second != first
    sink.serve_while(lambda: standin.pay(second))
    sink.serve_while(lambda: standin.pay(first), requests=1)
    assert _fee(world, fee).status == "paid"
    refunds = _in(world, "leeds", lambda: list(Refund.objects.select_related("payment")))
    assert [(r.payment.checkout_session_id, r.amount) for r in refunds] == [(first, 3500)]
    net = sum(charge["amount"] - charge["amount_refunded"] for charge in _stripe_charges(standin))
    assert net == 3500


def test_the_agency_portal_never_shows_another_agencys_fees(world: World, standin: StripeStandIn) -> None:
    """API sweep: every fee in two boards, read by each finance contact: only their own agency's, anywhere."""
    trust, police = _agency("Calderdale NHS Trust"), _agency("North Yorkshire Police", "police")
    for slug in ("leeds", "croydon"):
        leeds_policy(world, slug)
    fees = {
        (slug, agency.pk): _no_show_fees(world, agency, 2, slug)
        for slug in ("leeds", "croydon")
        for agency in (trust, police)
    }
    trust_finance = _finance(world, "leeds", trust)  # a contact in one board sees the agency's fees in all boards
    police_finance = _finance(world, "croydon", police)
    everyone = {str(fee.pk) for rows in fees.values() for fee in rows}
    for person, agency in ((trust_finance, trust), (police_finance, police)):
        mine = {str(fee.pk) for (slug, agency_id), rows in fees.items() if agency_id == agency.pk for fee in rows}
        client = Client(HTTP_HOST="localhost")
        client.force_login(person)
        listed = client.get("/api/v1/agency-fees/?limit=500").json()["results"]
        assert {row["id"] for row in listed} == mine and {row["board"] for row in listed} == {"leeds", "croydon"}
        for fee_id in everyone:
            answer = client.get(f"/api/v1/agency-fees/{fee_id}/")
            assert answer.status_code == (200 if fee_id in mine else 404)
        for query in ("agency", "status", "board"):
            value = {
                "agency": next(a for a in (trust, police) if a != agency).pk,
                "status": "raised",
                "board": "croydon",
            }
            rows = client.get(f"/api/v1/agency-fees/?{query}={value[query]}").json()["results"]
            assert {row["id"] for row in rows} <= mine
        page = client.get(f"/agency/?show=all&agency={next(a for a in (trust, police) if a != agency).pk}")
        assert page.status_code == 404
        theirs = next(rows for (slug, agency_id), rows in fees.items() if agency_id != agency.pk and slug == "leeds")
        stolen = client.post("/agency/pay/", {"agency": agency.pk, "board": "leeds", "fee": [str(theirs[0].pk)]})
        assert stolen.status_code == 400 and "not your agency" in stolen.content.decode()
    for role in ("practitioner", "coordinator", "trainer"):
        client = Client(HTTP_HOST="localhost")
        client.force_login(world.user(role, "leeds"))
        assert client.get("/api/v1/agency-fees/").json()["results"] == []
        assert client.get("/agency/").status_code == 403
    assert Client(HTTP_HOST="localhost").get("/api/v1/agency-fees/").status_code in (401, 403)


def test_onboarding_ends_with_an_account_updated_webhook(
    world: World, standin: StripeStandIn, sink: WebhookSink
) -> None:
    admin = world.user("board_admin", "croydon")
    link = _in(
        world,
        "croydon",
        lambda: charges.start_onboarding(actor=admin, return_url="https://x.test/", refresh_url="https://x.test/"),
    )
    account = ConnectedAccount.objects.get(board=world.boards["croydon"])
    assert link.startswith(standin.url) and not account.charges_enabled
    sink.serve_while(lambda: standin.onboard(account.stripe_account_id))
    account.refresh_from_db()
    assert account.charges_enabled and account.details_submitted
    event = StripeEvent.objects.get(event_type="account.updated", account_id=account.stripe_account_id)
    assert event.board_id == world.boards["croydon"].pk and event.outcome == "charges enabled"


def test_a_webhook_body_that_is_not_an_event_is_a_400(world: World, settings: Any) -> None:
    import stripe

    payload = json.dumps({"id": "evt_1", "object": "event"}).encode()
    header = stripe.WebhookSignature._compute_signature(  # type: ignore[attr-defined]
        f"{int(time.time())}.{payload.decode()}", settings.STRIPE_WEBHOOK_SECRET
    )
    answer = Client(HTTP_HOST="localhost").post(
        "/stripe/webhook/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=f"t={int(time.time())},v1={header}",
    )
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "malformed"
    assert not StripeEvent.objects.filter(event_id="evt_1").exists()
