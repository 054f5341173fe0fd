"""Stripe objects built from Stripe's own fixtures (fixtures.json), with our values written over them.

Each builder starts from a deep copy of its resource's fixture, so every field Stripe documents is present with
its type, then overwrites ids, amounts, statuses and timestamps, and sets to null the fixture's sample values
that a real object of ours would not carry (shipping costs, a transfer destination, a source).
"""

from __future__ import annotations

import copy
import json
import secrets
import string
import time
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES_PATH = Path(__file__).with_name("fixtures.json")
_ID_ALPHABET = string.ascii_letters + string.digits


@cache
def _fixtures() -> dict[str, dict[str, Any]]:
    resources: dict[str, dict[str, Any]] = json.loads(FIXTURES_PATH.read_text(encoding="utf-8"))["resources"]
    return resources


def fixture(resource: str) -> dict[str, Any]:
    """A fresh deep copy of Stripe's example object for `resource` (e.g. "checkout.session")."""
    return copy.deepcopy(_fixtures()[resource])


def new_id(prefix: str, length: int = 24) -> str:
    return prefix + "".join(secrets.choice(_ID_ALPHABET) for _ in range(length))


def now() -> int:
    return int(time.time())


_DEFAULT_CURRENCY_BY_COUNTRY = {"GB": "gbp", "IE": "eur", "FR": "eur", "DE": "eur", "US": "usd"}
_REQUIREMENTS_BEFORE_ONBOARDING = [
    "business_profile.url",
    "external_account",
    "tos_acceptance.date",
    "tos_acceptance.ip",
]


def new_account(
    *,
    account_type: str,
    country: str,
    email: str | None,
    business_profile: dict[str, Any],
    metadata: dict[str, str],
) -> dict[str, Any]:
    account = fixture("account")
    account_id = new_id("acct_1", 15)
    profile = account["business_profile"]
    for key, value in business_profile.items():
        profile[key] = value
    account.update(
        id=account_id,
        type=account_type,
        country=country,
        email=email,
        metadata=metadata,
        created=now(),
        default_currency=_DEFAULT_CURRENCY_BY_COUNTRY.get(country, "usd"),
        charges_enabled=False,
        details_submitted=False,
        payouts_enabled=False,
        capabilities={"card_payments": "inactive", "transfers": "inactive"},
        controller={"type": "application"},
    )
    account["external_accounts"]["url"] = f"/v1/accounts/{account_id}/external_accounts"
    for requirements in (account["requirements"], account["future_requirements"]):
        requirements.update(currently_due=[], eventually_due=[], past_due=[], disabled_reason=None)
    account["requirements"].update(
        currently_due=list(_REQUIREMENTS_BEFORE_ONBOARDING),
        eventually_due=list(_REQUIREMENTS_BEFORE_ONBOARDING),
        disabled_reason="requirements.past_due",
    )
    return account


def complete_onboarding(account: dict[str, Any]) -> None:
    """What a finished Stripe-hosted onboarding leaves on the account."""
    account.update(
        charges_enabled=True,
        details_submitted=True,
        payouts_enabled=True,
        capabilities={"card_payments": "active", "transfers": "active"},
    )
    account["requirements"].update(currently_due=[], eventually_due=[], past_due=[], disabled_reason=None)
    account["tos_acceptance"].update(date=now(), ip="127.0.0.1", user_agent="Stripe stand-in")


def new_account_link(url: str) -> dict[str, Any]:
    link = fixture("account_link")
    created = now()
    link.update(created=created, expires_at=created + 300, url=url)
    return link


def new_checkout_session(
    *,
    base_url: str,
    currency: str,
    amount_total: int,
    success_url: str,
    cancel_url: str | None,
    client_reference_id: str | None,
    customer_email: str | None,
    metadata: dict[str, str],
    expires_at: int,
    locale: str | None,
) -> dict[str, Any]:
    session = fixture("checkout.session")
    session_id = new_id("cs_test_a1", 56)
    session.update(
        id=session_id,
        object="checkout.session",
        mode="payment",
        status="open",
        payment_status="unpaid",
        currency=currency,
        amount_subtotal=amount_total,
        amount_total=amount_total,
        success_url=success_url,
        cancel_url=cancel_url,
        client_reference_id=client_reference_id,
        customer_email=customer_email,
        metadata=metadata,
        created=now(),
        expires_at=expires_at,
        livemode=False,
        locale=locale,
        url=f"{base_url}/pay/{session_id}",
        payment_intent=None,
        customer_details=None,
        customer_creation="if_required",
        payment_method_types=["card"],
        ui_mode="hosted",
        total_details={"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        automatic_tax={"enabled": False, "liability": None, "status": None, "provider": None},
        adaptive_pricing={"enabled": False},
        managed_payments={"enabled": False},
        custom_text={
            "after_submit": None,
            "shipping_address": None,
            "submit": None,
            "terms_of_service_acceptance": None,
        },
        after_expiration=None,
        consent=None,
        consent_collection=None,
        shipping_address_collection=None,
        shipping_cost=None,
        payment_method_configuration_details=None,
        saved_payment_method_options=None,
        collected_information=None,
        currency_conversion=None,
        permissions=None,
    )
    session["invoice_creation"]["enabled"] = False
    return session


def new_payment_intent(
    *,
    amount: int,
    currency: str,
    metadata: dict[str, str],
    description: str | None,
    receipt_email: str | None,
) -> dict[str, Any]:
    intent = fixture("payment_intent")
    intent_id = new_id("pi_3")
    intent.update(
        id=intent_id,
        amount=amount,
        amount_received=amount,
        amount_capturable=0,
        currency=currency,
        metadata=metadata,
        description=description,
        receipt_email=receipt_email,
        status="succeeded",
        created=now(),
        livemode=False,
        client_secret=f"{intent_id}_secret_{new_id('', 25)}",
        payment_method=new_id("pm_1"),
        canceled_at=None,
        last_payment_error=None,
        next_action=None,
        processing=None,
        transfer_data=None,
        shipping=None,
        automatic_payment_methods=None,
        payment_method_configuration_details=None,
        managed_payments={"enabled": False},
    )
    return intent


def new_charge(*, intent: dict[str, Any], email: str | None) -> dict[str, Any]:
    charge = fixture("charge")
    charge_id = new_id("ch_3")
    amount = intent["amount"]
    charge.update(
        id=charge_id,
        amount=amount,
        amount_captured=amount,
        amount_refunded=0,
        captured=True,
        paid=True,
        refunded=False,
        status="succeeded",
        currency=intent["currency"],
        payment_intent=intent["id"],
        payment_method=intent["payment_method"],
        metadata=dict(intent["metadata"]),
        description=intent["description"],
        receipt_email=email,
        created=now(),
        livemode=False,
        balance_transaction=new_id("txn_3"),
        receipt_url=None,
        shipping=None,
        source=None,
        transfer_data=None,
        outcome={
            "advice_code": None,
            "network_advice_code": None,
            "network_decline_code": None,
            "network_status": "approved_by_network",
            "reason": None,
            "seller_message": "Payment complete.",
            "type": "authorized",
        },
    )
    charge["billing_details"].update(email=email, name=None)
    charge["payment_method_details"]["card"]["overcapture"]["maximum_amount_capturable"] = amount
    charge["refunds"] = {"data": [], "has_more": False, "object": "list", "url": f"/v1/charges/{charge_id}/refunds"}
    return charge


def new_refund(*, charge: dict[str, Any], amount: int, reason: str | None, metadata: dict[str, str]) -> dict[str, Any]:
    refund = fixture("refund")
    refund.update(
        id=new_id("re_3"),
        amount=amount,
        charge=charge["id"],
        payment_intent=charge["payment_intent"],
        currency=charge["currency"],
        reason=reason,
        metadata=metadata,
        status="succeeded",
        created=now(),
        balance_transaction=new_id("txn_3"),
        payment_method=charge["payment_method"],
    )
    return refund


def new_event(
    *,
    event_type: str,
    data_object: dict[str, Any],
    previous_attributes: dict[str, Any] | None,
    account: str | None,
    api_version: str,
    request_id: str | None,
    idempotency_key: str | None,
) -> dict[str, Any]:
    event = fixture("event")
    event.update(
        id=new_id("evt_1"),
        type=event_type,
        created=now(),
        livemode=False,
        api_version=api_version,
        pending_webhooks=0,
        request={"id": request_id, "idempotency_key": idempotency_key},
        data={"object": copy.deepcopy(data_object)},
    )
    if previous_attributes is not None:
        event["data"]["previous_attributes"] = previous_attributes
    if account is not None:
        # Stripe names the connected account on events that happened on one (Connect webhooks).
        event["account"] = account
    return event
