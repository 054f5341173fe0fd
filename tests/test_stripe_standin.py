"""The local Stripe stand-in, driven through the official `stripe` library and plain HTTP (no database).

Each test starts its own stand-in on a free port; webhooks go to a tiny receiver in a thread.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
import stripe

from stripe_standin import StripeApiError, StripeStandIn
from stripe_standin.objects import fixture
from stripe_standin.params import parse_form

ROOT = Path(__file__).resolve().parents[1]
API_KEY = "sk_test_standin"
WEBHOOK_SECRET = "whsec_test_standin"


# Test doubles of the outside world: our webhook endpoint, and raw HTTP ----------------------------------------


class WebhookReceiver:
    """A stand-in for our webhook endpoint: records what arrives, answers `status`."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        # What our endpoint does on receipt before answering (e.g. re-read the object from Stripe).
        self.on_event: Callable[[dict[str, Any]], None] | None = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers.items()), body))
                if receiver.on_event is not None:
                    receiver.on_event(json.loads(body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/stripe/webhook/"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def events(self, event_type: str) -> list[tuple[str, bytes]]:
        """(Stripe-Signature header, raw payload) of each delivery of `event_type`."""
        return [
            (headers["Stripe-Signature"], body)
            for headers, body in self.received
            if json.loads(body)["type"] == event_type
        ]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def http_request(
    standin: StripeStandIn,
    method: str,
    path: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """One raw request (no redirects followed), as a browser or curl would make it."""
    parts = urlsplit(standin.url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def api_get(standin: StripeStandIn, path: str, account: str | None = None) -> tuple[int, dict[str, Any]]:
    headers = {"Authorization": f"Bearer {API_KEY}"}
    if account:
        headers["Stripe-Account"] = account
    status, _, body = http_request(standin, "GET", path, headers=headers)
    return status, json.loads(body)


def assert_matches_fixture(value: Any, reference: Any, where: str) -> None:
    """Every field of Stripe's fixture is present, with the same JSON type (or null)."""
    if value is None or reference is None:
        return
    assert type(value) is type(reference), f"{where}: {type(value).__name__}, fixture has {type(reference).__name__}"
    if isinstance(reference, dict):
        for key, child in reference.items():
            assert key in value, f"{where}.{key} is missing"
            if where == "event.data" and key == "object":
                continue  # the fixture's example event carries a plan; ours carry our objects
            assert_matches_fixture(value[key], child, f"{where}.{key}")


# Fixtures ------------------------------------------------------------------------------------------------------


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()


@pytest.fixture
def standin(receiver: WebhookReceiver) -> Iterator[StripeStandIn]:
    with StripeStandIn(webhook_url=receiver.url, webhook_secret=WEBHOOK_SECRET) as standin:
        yield standin


@pytest.fixture
def client(standin: StripeStandIn) -> stripe.StripeClient:
    return stripe.StripeClient(
        API_KEY, base_addresses={"api": standin.url, "connect": standin.url}, max_network_retries=0
    )


@pytest.fixture
def board_account(client: stripe.StripeClient) -> str:
    account = client.v1.accounts.create(
        params={
            "type": "standard",
            "country": "GB",
            "email": "finance@leeds.test",
            "business_profile": {"name": "Leeds"},
        }
    )
    return account.id


def session_params(**overrides: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {"currency": "gbp", "unit_amount": 3500, "product_data": {"name": "Late cancellation"}},
                "quantity": 1,
            },
            {
                "price_data": {"currency": "gbp", "unit_amount": 1750, "product_data": {"name": "No-show fee"}},
                "quantity": 2,
            },
        ],
        "success_url": "http://leeds.example.test/fees/paid?session={CHECKOUT_SESSION_ID}",
        "cancel_url": "http://leeds.example.test/fees/",
        "client_reference_id": "agency-42",
        "customer_email": "finance@nhs-trust.test",
        "metadata": {"fee_ids": "17,18", "board": "leeds"},
        "payment_intent_data": {"metadata": {"fee_ids": "17,18"}},
    }
    params.update(overrides)
    return params


def create_session(
    client: stripe.StripeClient, account: str | None = None, key: str | None = None, **overrides: Any
) -> Any:
    options: dict[str, Any] = {}
    if account:
        options["stripe_account"] = account
    if key:
        options["idempotency_key"] = key
    return client.v1.checkout.sessions.create(params=session_params(**overrides), options=options)  # type: ignore[arg-type]


# Authentication, errors, parsing -------------------------------------------------------------------------------


def test_request_without_an_api_key_is_refused_in_stripes_error_shape(standin: StripeStandIn) -> None:
    status, _, body = http_request(standin, "GET", "/v1/events")
    error = json.loads(body)["error"]
    assert status == 401
    assert set(error) == {"type", "code", "message", "param", "doc_url"}
    assert error["type"] == "invalid_request_error"
    assert "You did not provide an API key" in error["message"]


def test_a_key_that_is_not_a_test_key_is_refused(standin: StripeStandIn) -> None:
    # Only test-mode keys (sk_test_, rk_test_) are served: a live key, or anything else, is refused as Stripe does.
    other = stripe.StripeClient("not-a-test-mode-key", base_addresses={"api": standin.url})
    with pytest.raises(stripe.AuthenticationError, match="Invalid API Key provided"):
        other.v1.events.list()


def test_unknown_route_answers_unrecognised_request_url(standin: StripeStandIn) -> None:
    status, body = api_get(standin, "/v1/customers_of_nobody")
    assert status == 404
    assert body["error"]["type"] == "invalid_request_error"
    assert body["error"]["message"].startswith("Unrecognized request URL (GET: /v1/customers_of_nobody).")


def test_form_bodies_with_brackets_become_nested_dicts_and_lists() -> None:
    parsed = parse_form(
        "line_items[0][price_data][unit_amount]=3500&line_items[0][quantity]=1"
        "&line_items[1][quantity]=2&metadata[fee_ids]=1%2C2&expand[]=payment_intent&expand[]=x&mode=payment"
    )
    assert parsed == {
        "line_items": [{"price_data": {"unit_amount": "3500"}, "quantity": "1"}, {"quantity": "2"}],
        "metadata": {"fee_ids": "1,2"},
        "expand": ["payment_intent", "x"],
        "mode": "payment",
    }


# Connect: accounts, onboarding, scoping ------------------------------------------------------------------------


def test_new_account_cannot_take_payments_and_has_the_fixture_shape(
    client: stripe.StripeClient, standin: StripeStandIn
) -> None:
    account = client.v1.accounts.create(
        params={"type": "standard", "country": "GB", "email": "finance@leeds.test", "metadata": {"board": "leeds"}}
    )
    assert account.id.startswith("acct_")
    assert (account.charges_enabled, account.details_submitted, account.payouts_enabled) == (False, False, False)
    assert account.to_dict()["metadata"] == {"board": "leeds"}

    status, body = api_get(standin, f"/v1/accounts/{account.id}")
    assert status == 200
    assert body["object"] == "account"
    assert body["default_currency"] == "gbp"
    assert_matches_fixture(body, fixture("account"), "account")


def test_onboarding_page_enables_payments_notifies_and_returns(
    client: stripe.StripeClient, standin: StripeStandIn, receiver: WebhookReceiver, board_account: str
) -> None:
    link = client.v1.account_links.create(
        params={
            "account": board_account,
            "refresh_url": "http://leeds.example.test/stripe/refresh/",
            "return_url": "http://leeds.example.test/stripe/return/",
            "type": "account_onboarding",
        }
    )
    assert link.object == "account_link"
    assert link.url.startswith(f"{standin.url}/onboarding/{board_account}?")
    page_path = link.url.removeprefix(standin.url)

    status, _, page = http_request(standin, "GET", page_path)
    assert status == 200
    assert b'<html lang="en-GB">' in page
    assert b"Complete onboarding</button>" in page

    form = urlencode({"return_url": "http://leeds.example.test/stripe/return/"}).encode()
    form_headers = {"Content-Type": "application/x-www-form-urlencoded"}
    status, headers, _ = http_request(standin, "POST", f"/onboarding/{board_account}", form, form_headers)
    assert status == 303
    assert headers["Location"] == "http://leeds.example.test/stripe/return/"

    account = client.v1.accounts.retrieve(board_account)
    assert (account.charges_enabled, account.details_submitted, account.payouts_enabled) == (True, True, True)
    [(signature, payload)] = receiver.events("account.updated")
    event = stripe.Webhook.construct_event(payload, signature, WEBHOOK_SECRET, tolerance=300)
    assert event.account == board_account
    assert event.data.object.id == board_account
    assert event.data.previous_attributes["charges_enabled"] is False


def test_objects_made_on_a_connected_account_are_not_found_elsewhere(client: stripe.StripeClient) -> None:
    leeds = client.v1.accounts.create(params={"type": "standard"}).id
    croydon = client.v1.accounts.create(params={"type": "standard"}).id
    session = create_session(client, account=leeds)

    assert client.v1.checkout.sessions.retrieve(session.id, options={"stripe_account": leeds}).id == session.id
    for options in ({}, {"stripe_account": croydon}):
        with pytest.raises(stripe.InvalidRequestError) as refused:
            client.v1.checkout.sessions.retrieve(session.id, options=options)  # type: ignore[arg-type]
        assert refused.value.http_status == 404
        assert refused.value.code == "resource_missing"
        assert str(refused.value.user_message) == f"No such checkout.session: '{session.id}'"


def test_unknown_connected_account_is_refused(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.PermissionError, match="does not have access to account 'acct_nobody'"):
        client.v1.events.list(options={"stripe_account": "acct_nobody"})


# Checkout sessions ---------------------------------------------------------------------------------------------


def test_checkout_session_totals_its_line_items_and_has_the_fixture_shape(
    client: stripe.StripeClient, standin: StripeStandIn, board_account: str
) -> None:
    session = create_session(client, account=board_account)

    assert session.id.startswith("cs_test_")
    assert session.object == "checkout.session"
    assert (session.status, session.payment_status, session.mode) == ("open", "unpaid", "payment")
    assert (session.amount_total, session.currency) == (7000, "gbp")
    assert session.url == f"{standin.url}/pay/{session.id}"
    assert session.metadata.to_dict() == {"fee_ids": "17,18", "board": "leeds"}
    assert session.client_reference_id == "agency-42"
    assert session.livemode is False
    assert session.expires_at > time.time() + 23 * 3600

    status, body = api_get(standin, f"/v1/checkout/sessions/{session.id}", account=board_account)
    assert status == 200
    assert_matches_fixture(body, fixture("checkout.session"), "checkout.session")


def one_item(quantity: int | None = 1, **price_data: Any) -> dict[str, Any]:
    """`line_items` with one item, £1.00 "Fee" times `quantity`; `price_data` fields changed (None drops one)."""
    data: dict[str, Any] = {"currency": "gbp", "unit_amount": 100, "product_data": {"name": "Fee"}}
    data.update(price_data)
    item: dict[str, Any] = {"price_data": {key: value for key, value in data.items() if value is not None}}
    if quantity is not None:
        item["quantity"] = quantity
    return {"line_items": [item]}


@pytest.mark.parametrize(
    ("overrides", "param", "code"),
    [
        ({"mode": None}, "mode", "parameter_missing"),
        ({"line_items": None}, "line_items", "parameter_missing"),
        ({"success_url": None}, "success_url", "parameter_missing"),
        (one_item(currency=None), "line_items[0][price_data][currency]", "parameter_missing"),
        (
            one_item(product_data={"description": "x"}),
            "line_items[0][price_data][product_data][name]",
            "parameter_missing",
        ),
        (one_item(quantity=None), "line_items[0][quantity]", "parameter_missing"),
        (one_item(unit_amount=0), "line_items[0][price_data][unit_amount]", "parameter_invalid_integer"),
        (one_item(unit_amount=-5), "line_items[0][price_data][unit_amount]", "parameter_invalid_integer"),
        (one_item(unit_amount="12.50"), "line_items[0][price_data][unit_amount]", "parameter_invalid_integer"),
        (one_item(currency="xyz"), "line_items[0][price_data][currency]", None),
        (one_item(currency="GBP"), "line_items[0][price_data][currency]", None),
        ({"expires_at": int(time.time()) + 60}, "expires_at", None),
        ({"submit_type_typo": "pay"}, "submit_type_typo", "parameter_unknown"),
    ],
)
def test_bad_checkout_parameters_are_refused_naming_the_parameter(
    client: stripe.StripeClient, overrides: dict[str, Any], param: str, code: str | None
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        create_session(client, **overrides)
    assert refused.value.http_status == 400
    assert refused.value.param == param
    assert refused.value.code == code
    error_body: Any = refused.value.json_body
    assert error_body["error"]["type"] == "invalid_request_error"


@pytest.mark.parametrize("currency", ["gbp", "eur", "usd"])
def test_common_currencies_are_accepted(client: stripe.StripeClient, currency: str) -> None:
    session = create_session(client, **one_item(quantity=3, currency=currency, unit_amount=500))
    assert (session.currency, session.amount_total) == (currency, 1500)


# Idempotency ---------------------------------------------------------------------------------------------------


def test_same_key_and_parameters_replay_the_first_response(client: stripe.StripeClient, standin: StripeStandIn) -> None:
    first = create_session(client, key="fee-17-checkout")
    again = create_session(client, key="fee-17-checkout")
    assert again.id == first.id

    form = urlencode({"type": "standard", "metadata[board]": "leeds"}).encode()
    headers = {"Authorization": f"Bearer {API_KEY}", "Idempotency-Key": "account-leeds"}
    first_status, first_headers, first_body = http_request(standin, "POST", "/v1/accounts", form, headers)
    replay_status, replay_headers, replay_body = http_request(standin, "POST", "/v1/accounts", form, headers)
    assert (first_status, replay_status) == (200, 200)
    assert replay_body == first_body
    assert "Idempotent-Replayed" not in first_headers
    assert replay_headers["Idempotent-Replayed"] == "true"


def test_same_key_with_other_parameters_is_an_idempotency_error(client: stripe.StripeClient) -> None:
    create_session(client, key="fee-18-checkout")
    with pytest.raises(stripe.IdempotencyError) as refused:
        create_session(client, key="fee-18-checkout", client_reference_id="agency-43")
    assert str(refused.value.user_message) == (
        "Keys for idempotent requests can only be used with the same parameters they were first used with. "
        "Try using a key other than 'fee-18-checkout' if you meant to execute a different request."
    )


def test_a_key_is_scoped_to_the_connected_account(client: stripe.StripeClient, board_account: str) -> None:
    on_platform = create_session(client, key="shared-key")
    on_board = create_session(client, account=board_account, key="shared-key")
    assert on_platform.id != on_board.id


def test_a_refused_request_leaves_its_key_usable(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError):
        create_session(client, key="retry-after-fix", success_url=None)
    assert create_session(client, key="retry-after-fix").status == "open"


def test_concurrent_requests_with_one_key_create_one_session(client: stripe.StripeClient) -> None:
    start = threading.Barrier(8)
    ids: list[str] = []
    failures: list[BaseException] = []

    def create() -> None:
        start.wait()
        try:
            ids.append(create_session(client, key="double-click").id)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(ids) == 8
    assert len(set(ids)) == 1


# Paying, webhooks, signatures ----------------------------------------------------------------------------------


def test_hosted_page_is_accessible_and_shows_items_total_pay_and_cancel(
    client: stripe.StripeClient, standin: StripeStandIn, board_account: str
) -> None:
    session = create_session(client, account=board_account)
    status, headers, body = http_request(standin, "GET", f"/pay/{session.id}")
    page = body.decode()
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<html lang="en-GB">' in page
    assert "<title>Pay Leeds - £70.00</title>" in page
    assert "<caption>What you are paying for</caption>" in page
    assert "Late cancellation" in page
    assert "No-show fee" in page
    assert "£70.00" in page
    assert f'<form method="post" action="/pay/{session.id}">' in page
    assert '<button type="submit" aria-describedby="total">Pay</button>' in page
    assert '<a href="http://leeds.example.test/fees/">Cancel</a>' in page


def test_paying_creates_intent_and_charge_and_delivers_a_signed_completed_event(
    client: stripe.StripeClient, standin: StripeStandIn, receiver: WebhookReceiver, board_account: str
) -> None:
    session = create_session(client, account=board_account, key="pay-me")

    status, headers, _ = http_request(standin, "POST", f"/pay/{session.id}")
    assert status == 303
    assert headers["Location"] == f"http://leeds.example.test/fees/paid?session={session.id}"

    paid = client.v1.checkout.sessions.retrieve(
        session.id, params={"expand": ["payment_intent"]}, options={"stripe_account": board_account}
    )
    assert (paid.status, paid.payment_status) == ("complete", "paid")
    intent = paid.payment_intent
    assert isinstance(intent, stripe.PaymentIntent)
    assert (intent.status, intent.amount, intent.currency) == ("succeeded", 7000, "gbp")
    assert intent.metadata["fee_ids"] == "17,18"
    assert client.v1.payment_intents.retrieve(intent.id, options={"stripe_account": board_account}).id == intent.id

    for path, resource in (
        (f"/v1/payment_intents/{intent.id}", "payment_intent"),
        (f"/v1/charges/{intent.latest_charge}", "charge"),
    ):
        status, body = api_get(standin, path, account=board_account)
        assert status == 200
        assert_matches_fixture(body, fixture(resource), resource)
    _, charge = api_get(standin, f"/v1/charges/{intent.latest_charge}", account=board_account)
    assert (charge["amount"], charge["paid"], charge["payment_intent"]) == (7000, True, intent.id)

    [(signature, payload)] = receiver.events("checkout.session.completed")
    event = stripe.Webhook.construct_event(payload, signature, WEBHOOK_SECRET, tolerance=300)
    assert event.type == "checkout.session.completed"
    assert event.account == board_account
    assert event.data.object.id == session.id
    assert event.data.object.payment_intent == intent.id
    assert event.data.object.metadata["fee_ids"] == "17,18"
    assert [(d["event_id"], d["type"], d["status"]) for d in standin.deliveries()] == [
        (event.id, "checkout.session.completed", 200)
    ]
    _, event_body = api_get(standin, f"/v1/events/{event.id}", account=board_account)
    assert_matches_fixture(event_body, fixture("event"), "event")
    assert event_body["request"]["idempotency_key"] is None  # the customer's press, not an API request


def test_our_endpoint_can_read_the_object_back_while_it_is_notified(
    client: stripe.StripeClient, standin: StripeStandIn, receiver: WebhookReceiver, board_account: str
) -> None:
    seen_by_endpoint: list[str | None] = []

    def reread(event: dict[str, Any]) -> None:
        session = client.v1.checkout.sessions.retrieve(
            event["data"]["object"]["id"], options={"stripe_account": event["account"]}
        )
        seen_by_endpoint.append(session.status)

    receiver.on_event = reread
    session = create_session(client, account=board_account)
    standin.pay(session.id)
    assert seen_by_endpoint == ["complete"]


def test_paying_a_session_twice_is_refused(client: stripe.StripeClient, standin: StripeStandIn) -> None:
    session = create_session(client)
    assert standin.pay(session.id)["status"] == "complete"

    status, _, page = http_request(standin, "POST", f"/pay/{session.id}")
    assert status == 409
    assert b"This payment has already been made" in page

    status, _, body = http_request(standin, "POST", f"/_standin/checkout_sessions/{session.id}/pay")
    assert status == 409
    assert json.loads(body)["error"]["code"] == "checkout_session_not_open"
    with pytest.raises(StripeApiError):
        standin.pay(session.id)


def test_forged_secret_and_stale_timestamp_fail_verification(
    client: stripe.StripeClient, standin: StripeStandIn, receiver: WebhookReceiver
) -> None:
    session = create_session(client)
    standin.pay(session.id)
    event_id = standin.events()[0]["id"]

    assert standin.deliver(event_id, secret="whsec_forged") == 200
    assert standin.deliver(event_id, timestamp=int(time.time()) - 600) == 200
    assert standin.deliver(event_id) == 200
    original, forged, stale, fresh = receiver.events("checkout.session.completed")

    for signature, payload in (forged, stale):
        with pytest.raises(stripe.SignatureVerificationError):
            stripe.Webhook.construct_event(payload, signature, WEBHOOK_SECRET, tolerance=300)
    for signature, payload in (original, fresh):
        assert stripe.Webhook.construct_event(payload, signature, WEBHOOK_SECRET, tolerance=300).id == event_id


def test_an_endpoint_that_is_down_is_recorded_and_never_breaks_the_payment(
    client: stripe.StripeClient, standin: StripeStandIn, receiver: WebhookReceiver
) -> None:
    receiver.status = 500
    session = create_session(client)
    standin.pay(session.id)
    receiver.close()
    standin.deliver(standin.events()[0]["id"])

    first, second = standin.deliveries()
    assert (first["status"], first["error"]) == (500, None)
    assert second["status"] == 0
    assert second["error"]
    assert client.v1.checkout.sessions.retrieve(session.id).status == "complete"


# Refunds, expiry, events ---------------------------------------------------------------------------------------


def test_refunds_reduce_what_is_left_and_cannot_exceed_it(
    client: stripe.StripeClient, standin: StripeStandIn, board_account: str
) -> None:
    options: Any = {"stripe_account": board_account}
    session = create_session(client, account=board_account)
    intent_id = standin.pay(session.id)["payment_intent"]

    refund_params: Any = {
        "payment_intent": intent_id,
        "amount": 3500,
        "reason": "requested_by_customer",
        "metadata": {"fee_id": "17"},
    }
    partial = client.v1.refunds.create(params=refund_params, options=options)
    assert (partial.object, partial.status, partial.amount, partial.currency) == ("refund", "succeeded", 3500, "gbp")
    assert partial.payment_intent == intent_id
    assert client.v1.refunds.retrieve(partial.id, options=options).to_dict()["metadata"] == {"fee_id": "17"}
    status, body = api_get(standin, f"/v1/refunds/{partial.id}", account=board_account)
    assert status == 200
    assert_matches_fixture(body, fixture("refund"), "refund")

    with pytest.raises(stripe.InvalidRequestError) as too_much:
        client.v1.refunds.create(params={"payment_intent": intent_id, "amount": 3501}, options=options)
    assert (too_much.value.code, too_much.value.param) == ("amount_too_large", "amount")
    assert "greater than unrefunded amount on charge (£35.00)" in str(too_much.value.user_message)

    rest = client.v1.refunds.create(params={"payment_intent": intent_id}, options=options)
    assert rest.amount == 3500
    _, charge = api_get(standin, f"/v1/charges/{partial.charge}", account=board_account)
    assert (charge["amount_refunded"], charge["refunded"]) == (7000, True)
    assert [refund["id"] for refund in standin.objects("refund")] == [partial.id, rest.id]

    with pytest.raises(stripe.InvalidRequestError) as nothing_left:
        client.v1.refunds.create(params={"payment_intent": intent_id}, options=options)
    assert nothing_left.value.code == "charge_already_refunded"

    refunded_events = [event for event in standin.events() if event["type"] == "charge.refunded"]
    assert [event["data"]["object"]["amount_refunded"] for event in refunded_events] == [7000, 3500]
    assert all(event["account"] == board_account for event in refunded_events)


def test_expiring_an_open_session_records_an_event_and_closes_it(
    client: stripe.StripeClient, standin: StripeStandIn, receiver: WebhookReceiver
) -> None:
    session = create_session(client)
    expired = client.v1.checkout.sessions.expire(session.id)
    assert (expired.status, expired.url) == ("expired", None)
    assert len(receiver.events("checkout.session.expired")) == 1

    with pytest.raises(stripe.InvalidRequestError, match="can be expired"):
        client.v1.checkout.sessions.expire(session.id)
    with pytest.raises(StripeApiError):
        standin.pay(session.id)
    status, _, page = http_request(standin, "GET", f"/pay/{session.id}")
    assert status == 200
    assert b"This checkout session has expired" in page


def test_events_are_listed_newest_first_and_limited(client: stripe.StripeClient, standin: StripeStandIn) -> None:
    for _ in range(3):
        standin.pay(create_session(client).id)

    listed = client.v1.events.list(params={"limit": 2})
    assert listed.to_dict()["object"] == "list"
    assert listed.has_more is True
    assert [event.id for event in listed.data] == [event["id"] for event in standin.events()[:2]]
    assert listed.data[0].created >= listed.data[1].created
    assert client.v1.events.retrieve(listed.data[0].id).type == "checkout.session.completed"
    assert len(list(client.v1.events.list(params={"limit": 2}).auto_paging_iter())) == 3


# Controls over HTTP and the command line -----------------------------------------------------------------------


def test_control_endpoints_speak_json_without_auth(
    client: stripe.StripeClient, standin: StripeStandIn, receiver: WebhookReceiver
) -> None:
    json_headers = {"Content-Type": "application/json"}
    config = json.dumps({"webhook_url": receiver.url, "webhook_secret": "whsec_rotated"}).encode()
    status, _, body = http_request(standin, "POST", "/_standin/config", config, json_headers)
    assert (status, json.loads(body)["webhook_secret"]) == (200, "whsec_rotated")

    account = client.v1.accounts.create(params={"type": "standard"})
    status, _, body = http_request(standin, "POST", f"/_standin/accounts/{account.id}/onboard")
    assert (status, json.loads(body)["charges_enabled"]) == (200, True)

    session = create_session(client)
    status, _, body = http_request(standin, "POST", f"/_standin/checkout_sessions/{session.id}/pay")
    assert (status, json.loads(body)["status"]) == (200, "complete")

    event_id = standin.events()[0]["id"]
    old = json.dumps({"timestamp": int(time.time()) - 3600}).encode()
    status, _, body = http_request(standin, "POST", f"/_standin/events/{event_id}/deliver", old, json_headers)
    assert (status, json.loads(body)["status"]) == (200, 200)

    status, _, body = http_request(standin, "GET", "/_standin/deliveries")
    deliveries = json.loads(body)
    assert [(d["type"], d["status"]) for d in deliveries] == [
        ("account.updated", 200),
        ("checkout.session.completed", 200),
        ("checkout.session.completed", 200),
    ]
    assert set(deliveries[0]) >= {"event_id", "type", "status", "at"}
    signature, payload = receiver.events("checkout.session.completed")[0]
    assert stripe.Webhook.construct_event(payload, signature, "whsec_rotated", tolerance=300).id == event_id


def test_command_line_starts_a_server_the_library_can_use() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "stripe_standin", "--port", "0", "--webhook-secret", "whsec_cli"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        url = first_line.strip().rsplit(" ", 1)[-1]
        assert url.startswith("http://127.0.0.1:")
        client = stripe.StripeClient(API_KEY, base_addresses={"api": url, "connect": url}, max_network_retries=0)
        assert client.v1.accounts.create(params={"type": "express"}).type == "express"
    finally:
        process.terminate()
        process.wait(timeout=10)
