"""The stand-in's memory and rules: objects, connected-account scoping, payments, refunds, events, deliveries.

Everything lives in memory behind one lock. Webhook deliveries happen after the lock is released, so that our
endpoint may call the stand-in back (to re-read the object) while it is being notified.
"""

from __future__ import annotations

import copy
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from . import objects
from .errors import StripeApiError, invalid_param, missing_param, no_such, unknown_param
from .webhooks import post_event, signature_header

DEFAULT_API_VERSION = "2026-10-28.endive"

# Three-letter codes the stand-in accepts; all are two-decimal currencies, so amounts are in pence or cents.
KNOWN_CURRENCIES = frozenset(
    {"gbp", "eur", "usd", "aud", "cad", "chf", "czk", "dkk", "hkd", "nok", "nzd", "pln", "sek", "sgd"}
)
_CURRENCY_SYMBOLS = {"gbp": "£", "eur": "€", "usd": "$"}
_REFUND_REASONS = ("duplicate", "fraudulent", "requested_by_customer")
_ACCOUNT_TYPES = ("standard", "express", "custom")
_CHECKOUT_MIN_LIFETIME = 30 * 60
_CHECKOUT_MAX_LIFETIME = 24 * 60 * 60
_CLOCK_SLACK_SECONDS = 10


@dataclass(frozen=True)
class Caller:
    """Who is asking: the connected account from the Stripe-Account header (None for the platform) and the request."""

    account: str | None = None
    request_id: str | None = None
    idempotency_key: str | None = None


@dataclass
class _Stored:
    owner: str | None  # the connected account the object lives on; None for the platform
    body: dict[str, Any]


@dataclass(frozen=True)
class LineItem:
    name: str
    unit_amount: int
    quantity: int

    @property
    def amount(self) -> int:
        return self.unit_amount * self.quantity


@dataclass
class _SessionExtras:
    """What a session carries that Stripe keeps off the session object itself."""

    line_items: list[LineItem]
    payment_intent_metadata: dict[str, str]
    payment_intent_description: str | None


@dataclass(frozen=True)
class IdempotentResult:
    method: str
    path: str
    params: dict[str, Any]
    status: int
    body: bytes
    request_id: str


@dataclass
class _Config:
    webhook_url: str | None
    webhook_secret: str
    base_url: str = "http://127.0.0.1"
    api_version: str = DEFAULT_API_VERSION


def format_amount(amount: int, currency: str) -> str:
    symbol = _CURRENCY_SYMBOLS.get(currency)
    value = f"{amount / 100:,.2f}"
    return f"{symbol}{value}" if symbol else f"{value} {currency.upper()}"


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_hex(24)


class StandInState:
    def __init__(self, *, webhook_url: str | None = None, webhook_secret: str | None = None) -> None:
        self._lock = threading.RLock()
        self._config = _Config(webhook_url=webhook_url or None, webhook_secret=webhook_secret or new_webhook_secret())
        self._objects: dict[str, _Stored] = {}
        self._event_ids: list[str] = []
        self._deliveries: list[dict[str, Any]] = []
        self._sessions: dict[str, _SessionExtras] = {}
        self._idempotent_results: dict[tuple[str, str, str], IdempotentResult] = {}
        self._key_locks: dict[tuple[str, str, str], threading.Lock] = {}

    # Configuration ---------------------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self._config.base_url

    @base_url.setter
    def base_url(self, value: str) -> None:
        with self._lock:
            self._config.base_url = value.rstrip("/")

    def note_api_version(self, api_version: str | None) -> None:
        """Events are rendered in the API version the platform speaks (Stripe uses the account's version)."""
        if api_version:
            with self._lock:
                self._config.api_version = api_version

    def configure(self, *, webhook_url: str | None = None, webhook_secret: str | None = None) -> dict[str, Any]:
        """Change what is given; an empty webhook_url turns deliveries off."""
        with self._lock:
            if webhook_url is not None:
                self._config.webhook_url = webhook_url or None
            if webhook_secret:
                self._config.webhook_secret = webhook_secret
            return self.config()

    def config(self) -> dict[str, Any]:
        with self._lock:
            return {
                "webhook_url": self._config.webhook_url,
                "webhook_secret": self._config.webhook_secret,
                "url": self._config.base_url,
            }

    @property
    def webhook_secret(self) -> str:
        with self._lock:
            return self._config.webhook_secret

    def reset(self) -> None:
        """Forget every object, event, delivery and idempotency key (configuration stays)."""
        with self._lock:
            self._objects.clear()
            self._event_ids.clear()
            self._sessions.clear()
            self._idempotent_results.clear()
            self._deliveries.clear()

    # Idempotency -----------------------------------------------------------------------------------------------

    def idempotency_lock(self, scope: tuple[str, str, str]) -> threading.Lock:
        """One lock per (api key, account, key): a second request with the key waits, then replays the first."""
        with self._lock:
            return self._key_locks.setdefault(scope, threading.Lock())

    def idempotent_result(self, scope: tuple[str, str, str]) -> IdempotentResult | None:
        with self._lock:
            return self._idempotent_results.get(scope)

    def remember_idempotent_result(self, scope: tuple[str, str, str], result: IdempotentResult) -> None:
        with self._lock:
            self._idempotent_results[scope] = result

    # Lookups ---------------------------------------------------------------------------------------------------

    def account_exists(self, account_id: str) -> bool:
        with self._lock:
            stored = self._objects.get(account_id)
            return stored is not None and stored.body["object"] == "account"

    def _get(self, caller: Caller, object_id: str, resource: str, param: str = "id") -> dict[str, Any]:
        """The object, if it lives where the caller is acting (the platform or one connected account)."""
        stored = self._objects.get(object_id)
        if stored is None or stored.body["object"] != resource or stored.owner != caller.account:
            raise no_such(resource, object_id, param)
        return stored.body

    def _get_anywhere(self, object_id: str, resource: str) -> _Stored:
        stored = self._objects.get(object_id)
        if stored is None or stored.body["object"] != resource:
            raise no_such(resource, object_id)
        return stored

    def _store(self, owner: str | None, body: dict[str, Any]) -> dict[str, Any]:
        self._objects[body["id"]] = _Stored(owner, body)
        return body

    def retrieve(self, caller: Caller, resource: str, object_id: str, param: str = "id") -> dict[str, Any]:
        with self._lock:
            return copy.deepcopy(self._get(caller, object_id, resource, param))

    def expand(self, caller: Caller, body: dict[str, Any], paths: Any) -> dict[str, Any]:
        """Replace ids named by `expand[]` (dotted paths, e.g. payment_intent.latest_charge) by their objects."""
        if paths in (None, ""):
            return body
        if not isinstance(paths, list) or not all(isinstance(path, str) for path in paths):
            raise invalid_param("expand", "Invalid array", code="parameter_invalid_string")
        expanded = copy.deepcopy(body)
        with self._lock:
            for index, path in enumerate(paths):
                self._expand_path(caller, expanded, path.split("."), path, f"expand[{index}]")
        return expanded

    def _expand_path(self, caller: Caller, node: dict[str, Any], parts: list[str], path: str, param: str) -> None:
        name, rest = parts[0], parts[1:]
        value = node.get(name)
        if name == "id" or name not in node:
            raise invalid_param(param, f"This property cannot be expanded ({path}).")
        if isinstance(value, str):
            stored = self._objects.get(value)
            if stored is None or stored.owner != caller.account:
                raise invalid_param(param, f"This property cannot be expanded ({path}).")
            value = node[name] = copy.deepcopy(stored.body)
        if rest and isinstance(value, dict):
            self._expand_path(caller, value, rest, path, param)

    # Accounts and onboarding -----------------------------------------------------------------------------------

    def create_account(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        _reject_unknown(
            params,
            {"type", "country", "email", "business_profile", "metadata", "capabilities", "controller", "expand"},
        )
        account_type = _optional_string(params, "type") or "standard"
        if account_type not in _ACCOUNT_TYPES:
            raise invalid_param("type", f"Invalid type: must be one of {', '.join(_ACCOUNT_TYPES)}")
        country = _optional_string(params, "country") or "GB"
        if not re.fullmatch(r"[A-Za-z]{2}", country):
            raise invalid_param(
                "country",
                f"Country '{country}' is unknown. Try using a 2-character alphanumeric "
                "country code instead, such as 'US', 'EG', or 'GB'.",
            )
        profile = params.get("business_profile") or {}
        if not isinstance(profile, dict):
            raise invalid_param("business_profile", "Invalid hash", code="parameter_invalid_string")
        known_profile_fields = objects.fixture("account")["business_profile"]
        for key, value in profile.items():
            if key not in known_profile_fields or not isinstance(value, str):
                raise unknown_param(f"business_profile[{key}]")
        account = objects.new_account(
            account_type=account_type,
            country=country.upper(),
            email=_optional_string(params, "email"),
            business_profile=profile,
            metadata=_metadata(params.get("metadata"), "metadata"),
        )
        with self._lock:
            return copy.deepcopy(self._store(None, account))

    def retrieve_account(self, caller: Caller, account_id: str) -> dict[str, Any]:
        with self._lock:
            stored = self._objects.get(account_id)
            # The platform sees its connected accounts; a connected account sees itself.
            if stored is None or stored.body["object"] != "account" or caller.account not in (None, account_id):
                raise no_such("account", account_id, "account")
            return copy.deepcopy(stored.body)

    def create_account_link(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        _reject_unknown(params, {"account", "refresh_url", "return_url", "type", "collect", "expand"})
        account_id = _required_string(params, "account")
        link_type = _required_string(params, "type")
        if link_type not in ("account_onboarding", "account_update"):
            raise invalid_param("type", "Invalid type: must be one of account_onboarding or account_update")
        return_url = _optional_url(params, "return_url")
        refresh_url = _optional_url(params, "refresh_url")
        with self._lock:
            if caller.account is not None or not self.account_exists(account_id):
                raise no_such("account", account_id, "account")
            query = urlencode(
                {key: value for key, value in (("return_url", return_url), ("refresh_url", refresh_url)) if value}
            )
            url = f"{self.base_url}/onboarding/{account_id}" + (f"?{query}" if query else "")
        return objects.new_account_link(url)

    def onboard(self, account_id: str) -> dict[str, Any]:
        """Finish onboarding as the account holder would on Stripe's hosted pages; records `account.updated`."""
        with self._lock:
            account = self._get_anywhere(account_id, "account").body
            event = None
            if not account["charges_enabled"]:
                previous = {key: account[key] for key in ("charges_enabled", "details_submitted", "payouts_enabled")}
                objects.complete_onboarding(account)
                event = self._record_event(None, "account.updated", account, owner=account_id, previous=previous)
            result = copy.deepcopy(account)
        self._deliver_new(event)
        return result

    # Checkout --------------------------------------------------------------------------------------------------

    def create_checkout_session(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        _reject_unknown(
            params,
            {
                "mode", "line_items", "success_url", "cancel_url", "client_reference_id", "customer_email",
                "metadata", "payment_intent_data", "expires_at", "locale", "payment_method_types", "submit_type",
                "expand",
            },
        )  # fmt: skip
        mode = _required_string(params, "mode")
        if mode != "payment":
            raise invalid_param("mode", f"The stand-in speaks mode=payment only, not {mode!r}.")
        line_items = _line_items(params.get("line_items"))
        success_url = _required_url(params, "success_url")
        cancel_url = _optional_url(params, "cancel_url")
        client_reference_id = _optional_string(params, "client_reference_id", max_length=200)
        customer_email = _optional_string(params, "customer_email")
        metadata = _metadata(params.get("metadata"), "metadata")
        intent_data = params.get("payment_intent_data") or {}
        if not isinstance(intent_data, dict):
            raise invalid_param("payment_intent_data", "Invalid hash", code="parameter_invalid_string")
        _reject_unknown(intent_data, {"metadata", "description"}, prefix="payment_intent_data")
        created = objects.now()
        expires_at = created + _CHECKOUT_MAX_LIFETIME
        if params.get("expires_at") not in (None, ""):
            expires_at = _integer(params["expires_at"], "expires_at", minimum=0)
            if expires_at < created + _CHECKOUT_MIN_LIFETIME - _CLOCK_SLACK_SECONDS:
                raise invalid_param(
                    "expires_at",
                    "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.",
                )
            if expires_at > created + _CHECKOUT_MAX_LIFETIME + _CLOCK_SLACK_SECONDS:
                raise invalid_param(
                    "expires_at",
                    "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.",
                )
        currency = line_items[0][0]
        with self._lock:
            session = objects.new_checkout_session(
                base_url=self.base_url,
                currency=currency,
                amount_total=sum(item.amount for _, item in line_items),
                success_url=success_url,
                cancel_url=cancel_url,
                client_reference_id=client_reference_id,
                customer_email=customer_email,
                metadata=metadata,
                expires_at=expires_at,
                locale=_optional_string(params, "locale"),
            )
            self._sessions[session["id"]] = _SessionExtras(
                line_items=[item for _, item in line_items],
                payment_intent_metadata=_metadata(intent_data.get("metadata"), "payment_intent_data[metadata]"),
                payment_intent_description=_optional_string(intent_data, "description"),
            )
            return copy.deepcopy(self._store(caller.account, session))

    def checkout_page(self, session_id: str) -> tuple[dict[str, Any], list[LineItem], str | None]:
        """The session, its line items and the name of the business being paid, for the hosted page."""
        with self._lock:
            stored = self._get_anywhere(session_id, "checkout.session")
            business_name = None
            if stored.owner is not None:
                business_name = self._objects[stored.owner].body["business_profile"].get("name")
            return copy.deepcopy(stored.body), list(self._sessions[session_id].line_items), business_name

    def pay_checkout_session(self, session_id: str) -> dict[str, Any]:
        """What the customer's Pay press does: a payment intent and a charge, then `checkout.session.completed`."""
        with self._lock:
            stored = self._get_anywhere(session_id, "checkout.session")
            session = stored.body
            if session["status"] != "open":
                raise StripeApiError(
                    409,
                    f"This Checkout Session has a status of `{session['status']}`: only open sessions can be paid.",
                    code="checkout_session_not_open",
                    param="session",
                )
            extras = self._sessions[session_id]
            email = session["customer_email"]
            intent = objects.new_payment_intent(
                amount=session["amount_total"],
                currency=session["currency"],
                metadata=dict(extras.payment_intent_metadata),
                description=extras.payment_intent_description,
                receipt_email=email,
            )
            charge = objects.new_charge(intent=intent, email=email)
            intent["latest_charge"] = charge["id"]
            self._store(stored.owner, intent)
            self._store(stored.owner, charge)
            customer_details = objects.fixture("checkout.session")["customer_details"]
            customer_details.update(email=email, name=None, tax_ids=[])
            session.update(
                status="complete",
                payment_status="paid",
                payment_intent=intent["id"],
                customer_details=customer_details,
                url=None,
            )
            event = self._record_event(None, "checkout.session.completed", session, owner=stored.owner)
            result = copy.deepcopy(session)
        self._deliver_new(event)
        return result

    def expire_checkout_session(self, caller: Caller, session_id: str) -> dict[str, Any]:
        with self._lock:
            session = self._get(caller, session_id, "checkout.session", param="session")
            if session["status"] != "open":
                raise StripeApiError(
                    400,
                    'Only Checkout Sessions with a status in ["open"] can be expired. '
                    f"This Checkout Session has a status of `{session['status']}`.",
                    param="session",
                )
            session.update(status="expired", url=None)
            event = self._record_event(caller, "checkout.session.expired", session, owner=caller.account)
            result = copy.deepcopy(session)
        self._deliver_new(event)
        return result

    # Refunds ---------------------------------------------------------------------------------------------------

    def create_refund(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        _reject_unknown(params, {"payment_intent", "charge", "amount", "reason", "metadata", "expand"})
        intent_id = _optional_string(params, "payment_intent")
        charge_id = _optional_string(params, "charge")
        if not intent_id and not charge_id:
            raise StripeApiError(
                400,
                "One of the following params should be provided for this request: payment_intent or charge.",
                code="parameter_missing",
                param="payment_intent",
            )
        reason = _optional_string(params, "reason")
        if reason is not None and reason not in _REFUND_REASONS:
            raise invalid_param(
                "reason", "Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer"
            )
        metadata = _metadata(params.get("metadata"), "metadata")
        requested = None
        if params.get("amount") not in (None, ""):
            requested = _integer(params["amount"], "amount", minimum=1)
        with self._lock:
            if intent_id:
                intent = self._get(caller, intent_id, "payment_intent", param="payment_intent")
                if intent["status"] != "succeeded" or not intent["latest_charge"]:
                    raise StripeApiError(
                        400,
                        f"This PaymentIntent ({intent_id}) does not have a successful charge to refund.",
                        code="charge_not_refundable",
                        param="payment_intent",
                    )
                charge_id = intent["latest_charge"]
            assert charge_id is not None
            charge = self._get(caller, charge_id, "charge", param="charge")
            left = charge["amount"] - charge["amount_refunded"]
            if left <= 0:
                raise StripeApiError(
                    400, f"Charge {charge['id']} has already been refunded.", code="charge_already_refunded"
                )
            amount = left if requested is None else requested
            if amount > left:
                currency = charge["currency"]
                raise StripeApiError(
                    400,
                    f"Refund amount ({format_amount(amount, currency)}) is greater than unrefunded amount on charge "
                    f"({format_amount(left, currency)})",
                    code="amount_too_large",
                    param="amount",
                )
            refund = self._store(
                caller.account, objects.new_refund(charge=charge, amount=amount, reason=reason, metadata=metadata)
            )
            previous = {"amount_refunded": charge["amount_refunded"], "refunded": charge["refunded"]}
            charge["amount_refunded"] += amount
            charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
            charge["refunds"]["data"].insert(0, copy.deepcopy(refund))
            event = self._record_event(caller, "charge.refunded", charge, owner=caller.account, previous=previous)
            result = copy.deepcopy(refund)
        self._deliver_new(event)
        return result

    # Events and webhooks ---------------------------------------------------------------------------------------

    def list_events(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        _reject_unknown(params, {"limit", "type", "starting_after", "ending_before", "expand"})
        limit = 10
        if params.get("limit") not in (None, ""):
            limit = _integer(params["limit"], "limit", minimum=1)
            if limit > 100:
                raise invalid_param("limit", "This value must be less than or equal to 100.")
        event_type = _optional_string(params, "type")
        starting_after = _optional_string(params, "starting_after")
        ending_before = _optional_string(params, "ending_before")
        with self._lock:
            visible = [
                self._objects[event_id].body
                for event_id in reversed(self._event_ids)
                if self._objects[event_id].owner == caller.account
                and (event_type is None or _type_matches(self._objects[event_id].body["type"], event_type))
            ]
            ids = [event["id"] for event in visible]
            if starting_after:
                if starting_after not in ids:
                    raise no_such("event", starting_after, "starting_after")
                page = visible[ids.index(starting_after) + 1 :]
                data, has_more = page[:limit], len(page) > limit
            elif ending_before:
                if ending_before not in ids:
                    raise no_such("event", ending_before, "ending_before")
                page = visible[: ids.index(ending_before)]
                data, has_more = page[-limit:], len(page) > limit
            else:
                data, has_more = visible[:limit], len(visible) > limit
            return {"object": "list", "data": copy.deepcopy(data), "has_more": has_more, "url": "/v1/events"}

    def objects_of(self, resource: str) -> list[dict[str, Any]]:
        """Every object of `resource` (e.g. "charge") on every account, oldest first."""
        with self._lock:
            return [
                copy.deepcopy(stored.body) for stored in self._objects.values() if stored.body["object"] == resource
            ]

    def events(self) -> list[dict[str, Any]]:
        """Every event on every account, newest first."""
        with self._lock:
            return [copy.deepcopy(self._objects[event_id].body) for event_id in reversed(self._event_ids)]

    def deliveries(self) -> list[dict[str, Any]]:
        """Every delivery attempt, oldest first."""
        with self._lock:
            return copy.deepcopy(self._deliveries)

    def _record_event(
        self,
        caller: Caller | None,
        event_type: str,
        data_object: dict[str, Any],
        *,
        owner: str | None,
        previous: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        event = objects.new_event(
            event_type=event_type,
            data_object=data_object,
            previous_attributes=previous,
            account=owner,
            api_version=self._config.api_version,
            request_id=caller.request_id if caller else None,
            idempotency_key=caller.idempotency_key if caller else None,
        )
        event["pending_webhooks"] = 1 if self._config.webhook_url else 0
        self._store(owner, event)
        self._event_ids.append(event["id"])
        return event

    def _deliver_new(self, event: dict[str, Any] | None) -> None:
        """Deliver a just-recorded event, in the request that caused it, if a webhook endpoint is configured."""
        if event is not None and event["pending_webhooks"]:
            self.deliver(event["id"])

    def deliver(self, event_id: str, *, timestamp: int | None = None, secret: str | None = None) -> dict[str, Any]:
        """POST the event to the webhook endpoint, signed with `secret` (default: the configured one) at `timestamp`.

        Returns the delivery record; `status` is what the endpoint answered, 0 when it did not answer.
        """
        with self._lock:
            event = self._get_anywhere(event_id, "event").body
            url = self._config.webhook_url
            if not url:
                raise StripeApiError(409, "No webhook URL is configured: POST /_standin/config first.")
            payload = json.dumps(event, indent=2).encode("utf-8")
            signing_secret = secret or self._config.webhook_secret
        signed_at = int(time.time()) if timestamp is None else timestamp
        status, failure = post_event(url, payload, signature_header(payload, signing_secret, signed_at))
        record = {
            "event_id": event_id,
            "type": event["type"],
            "status": status,
            "at": int(time.time()),
            "url": url,
            "error": failure,
        }
        with self._lock:
            self._deliveries.append(record)
            if 200 <= status < 300:
                event["pending_webhooks"] = 0
        return dict(record)


def _type_matches(event_type: str, wanted: str) -> bool:
    # Stripe accepts a trailing wildcard, e.g. type=checkout.session.*
    if wanted.endswith("*"):
        return event_type.startswith(wanted[:-1])
    return event_type == wanted


# Parameter checks, worded as Stripe words them ----------------------------------------------------------------


def _reject_unknown(params: dict[str, Any], allowed: set[str], prefix: str = "") -> None:
    for key in params:
        if key not in allowed:
            raise unknown_param(f"{prefix}[{key}]" if prefix else key)


def _optional_string(params: dict[str, Any], name: str, max_length: int | None = None) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise invalid_param(name, f"Invalid string: {value!r}", code="parameter_invalid_string")
    if max_length is not None and len(value) > max_length:
        raise invalid_param(
            name, f"Invalid string: {value[:20]}...; must be at most {max_length} characters", "string_length_exceeded"
        )
    return value


def _required_string(params: dict[str, Any], name: str, label: str | None = None) -> str:
    value = _optional_string(params, name)
    if value is None:
        raise missing_param(label or name)
    return value


def _optional_url(params: dict[str, Any], name: str) -> str | None:
    value = _optional_string(params, name)
    if value is not None:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise invalid_param(name, "Not a valid URL", code="url_invalid")
    return value


def _required_url(params: dict[str, Any], name: str) -> str:
    value = _optional_url(params, name)
    if value is None:
        raise missing_param(name)
    return value


def _integer(value: Any, param: str, *, minimum: int) -> int:
    if not isinstance(value, str) or not re.fullmatch(r"-?\d+", value.strip()):
        raise invalid_param(param, f"Invalid integer: {value}", code="parameter_invalid_integer")
    number = int(value)
    if number < minimum:
        raise invalid_param(
            param, f"This value must be greater than or equal to {minimum}.", code="parameter_invalid_integer"
        )
    return number


def _metadata(value: Any, param: str) -> dict[str, str]:
    if value is None or value == "":
        return {}
    if isinstance(value, list):
        value = {str(index): item for index, item in enumerate(value)}
    if not isinstance(value, dict):
        raise invalid_param(param, "Invalid hash", code="parameter_invalid_string")
    if len(value) > 50:
        raise invalid_param(param, "Metadata can have up to 50 keys, but you passed in more than 50.")
    metadata: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(item, str):
            raise invalid_param(f"{param}[{key}]", "Invalid string", code="parameter_invalid_string")
        if len(key) > 40:
            raise invalid_param(f"{param}[{key}]", f"Metadata keys can have up to 40 characters: {key}")
        if len(item) > 500:
            raise invalid_param(
                f"{param}[{key}]",
                f"Metadata values can have up to 500 characters, but you passed in a value that is {len(item)} "
                "characters.",
            )
        if item != "":  # Stripe drops a key set to the empty string
            metadata[key] = item
    return metadata


def _line_items(value: Any) -> list[tuple[str, LineItem]]:
    """Validated `line_items` as (currency, item) pairs, all in one currency."""
    if value is None or value == "" or value == []:
        raise missing_param("line_items")
    if not isinstance(value, list):
        raise invalid_param("line_items", "Invalid array", code="parameter_invalid_string")
    items: list[tuple[str, LineItem]] = []
    for index, raw in enumerate(value):
        prefix = f"line_items[{index}]"
        if not isinstance(raw, dict):
            raise invalid_param(prefix, "Invalid hash", code="parameter_invalid_string")
        _reject_unknown(raw, {"price_data", "quantity", "price"}, prefix=prefix)
        if "price" in raw:
            raise no_such("price", str(raw["price"]), f"{prefix}[price]")
        price_data = raw.get("price_data")
        if not isinstance(price_data, dict):
            raise missing_param(f"{prefix}[price_data]")
        _reject_unknown(price_data, {"currency", "unit_amount", "product_data"}, prefix=f"{prefix}[price_data]")
        currency = _required_string(price_data, "currency", label=f"{prefix}[price_data][currency]")
        if currency not in KNOWN_CURRENCIES:
            raise invalid_param(
                f"{prefix}[price_data][currency]",
                f"Invalid currency: {currency}. Stripe currently supports these currencies: "
                + ", ".join(sorted(KNOWN_CURRENCIES)),
            )
        if items and currency != items[0][0]:
            raise invalid_param(
                f"{prefix}[price_data][currency]", "All line items must use the same currency in payment mode."
            )
        if price_data.get("unit_amount") in (None, ""):
            raise missing_param(f"{prefix}[price_data][unit_amount]")
        unit_amount = _integer(price_data["unit_amount"], f"{prefix}[price_data][unit_amount]", minimum=1)
        product_data = price_data.get("product_data")
        if not isinstance(product_data, dict):
            raise missing_param(f"{prefix}[price_data][product_data]")
        _reject_unknown(product_data, {"name", "description", "metadata"}, prefix=f"{prefix}[price_data][product_data]")
        name = _required_string(product_data, "name", label=f"{prefix}[price_data][product_data][name]")
        if raw.get("quantity") in (None, ""):
            raise missing_param(f"{prefix}[quantity]")
        quantity = _integer(raw["quantity"], f"{prefix}[quantity]", minimum=1)
        items.append((currency, LineItem(name=name, unit_amount=unit_amount, quantity=quantity)))
    return items
