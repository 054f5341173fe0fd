"""The HTTP side: Stripe's API subset under /v1/, the hosted pages, and the stand-in's own /_standin/ controls."""

from __future__ import annotations

import base64
import binascii
import json
import re
import sys
import traceback
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from . import pages
from .errors import StripeApiError, unknown_param
from .objects import new_id
from .params import parse_form
from .state import Caller, IdempotentResult, StandInState

_ApiRoute = Callable[[StandInState, Caller, dict[str, Any], str], dict[str, Any]]
_ControlRoute = Callable[[StandInState, dict[str, Any], str], Any]


def _retrieve(resource: str, param: str) -> _ApiRoute:
    def route(state: StandInState, caller: Caller, params: dict[str, Any], object_id: str) -> dict[str, Any]:
        for key in params:
            if key != "expand":
                raise unknown_param(key)
        return state.retrieve(caller, resource, object_id, param)

    return route


def _retrieve_account(state: StandInState, caller: Caller, params: dict[str, Any], account_id: str) -> dict[str, Any]:
    return state.retrieve_account(caller, account_id)


_API_ROUTES: list[tuple[str, re.Pattern[str], _ApiRoute]] = [
    ("POST", re.compile(r"/v1/accounts"), lambda state, caller, params, _: state.create_account(caller, params)),
    ("GET", re.compile(r"/v1/accounts/([^/]+)"), _retrieve_account),
    (
        "POST",
        re.compile(r"/v1/account_links"),
        lambda state, caller, params, _: state.create_account_link(caller, params),
    ),
    (
        "POST",
        re.compile(r"/v1/checkout/sessions"),
        lambda state, caller, params, _: state.create_checkout_session(caller, params),
    ),
    ("GET", re.compile(r"/v1/checkout/sessions/([^/]+)"), _retrieve("checkout.session", "session")),
    (
        "POST",
        re.compile(r"/v1/checkout/sessions/([^/]+)/expire"),
        lambda state, caller, params, session_id: state.expire_checkout_session(caller, session_id),
    ),
    ("GET", re.compile(r"/v1/payment_intents/([^/]+)"), _retrieve("payment_intent", "intent")),
    ("GET", re.compile(r"/v1/charges/([^/]+)"), _retrieve("charge", "charge")),
    ("POST", re.compile(r"/v1/refunds"), lambda state, caller, params, _: state.create_refund(caller, params)),
    ("GET", re.compile(r"/v1/refunds/([^/]+)"), _retrieve("refund", "refund")),
    ("GET", re.compile(r"/v1/events"), lambda state, caller, params, _: state.list_events(caller, params)),
    ("GET", re.compile(r"/v1/events/([^/]+)"), _retrieve("event", "id")),
]


def _configure(state: StandInState, body: dict[str, Any], _: str) -> dict[str, Any]:
    webhook_url, webhook_secret = body.get("webhook_url"), body.get("webhook_secret")
    for name, value in (("webhook_url", webhook_url), ("webhook_secret", webhook_secret)):
        if value is not None and not isinstance(value, str):
            raise StripeApiError(400, f"{name} must be a string.", param=name)
    return state.configure(webhook_url=webhook_url, webhook_secret=webhook_secret)


def _deliver(state: StandInState, body: dict[str, Any], event_id: str) -> dict[str, Any]:
    timestamp, secret = body.get("timestamp"), body.get("secret")
    if timestamp is not None and (not isinstance(timestamp, int) or isinstance(timestamp, bool)):
        raise StripeApiError(400, "timestamp must be a whole number of seconds since 1970.", param="timestamp")
    if secret is not None and not isinstance(secret, str):
        raise StripeApiError(400, "secret must be a string.", param="secret")
    return state.deliver(event_id, timestamp=timestamp, secret=secret)


def _reset(state: StandInState, body: dict[str, Any], _: str) -> dict[str, Any]:
    state.reset()
    return state.config()


_CONTROL_ROUTES: list[tuple[str, re.Pattern[str], _ControlRoute]] = [
    ("GET", re.compile(r"/_standin/config"), lambda state, body, _: state.config()),
    ("POST", re.compile(r"/_standin/config"), _configure),
    (
        "POST",
        re.compile(r"/_standin/checkout_sessions/([^/]+)/pay"),
        lambda state, body, session_id: state.pay_checkout_session(session_id),
    ),
    ("POST", re.compile(r"/_standin/events/([^/]+)/deliver"), _deliver),
    ("GET", re.compile(r"/_standin/deliveries"), lambda state, body, _: state.deliveries()),
    ("GET", re.compile(r"/_standin/events"), lambda state, body, _: state.events()),
    (
        "POST",
        re.compile(r"/_standin/accounts/([^/]+)/onboard"),
        lambda state, body, account_id: state.onboard(account_id),
    ),
    ("POST", re.compile(r"/_standin/reset"), _reset),
]


def _match(routes: list[tuple[str, re.Pattern[str], Any]], method: str, path: str) -> tuple[Any, str] | None:
    for route_method, pattern, handler in routes:
        match = pattern.fullmatch(path)
        if route_method == method and match:
            return handler, match.group(1) if pattern.groups else ""
    return None


def _unrecognised(method: str, path: str) -> StripeApiError:
    return StripeApiError(
        404,
        f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or we can help at "
        "https://support.stripe.com/.",
    )


def _masked(api_key: str) -> str:
    return api_key[:8] + "*" * max(len(api_key) - 12, 0) + api_key[-4:]


class StandInHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: StandInState, *, quiet: bool = True) -> None:
        super().__init__(address, StandInRequestHandler)
        self.state = state
        self.quiet = quiet


class StandInRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: StandInHTTPServer
    server_version = "stripe-standin"

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)

    # Dispatch --------------------------------------------------------------------------------------------------

    def _dispatch(self, method: str) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        parts = urlsplit(self.path)
        try:
            if parts.path == "/v1" or parts.path.startswith("/v1/"):
                self._api(method, parts.path, parts.query, body)
            elif parts.path.startswith("/_standin/"):
                self._control(method, parts.path, body)
            elif parts.path.startswith(("/pay/", "/onboarding/")):
                self._hosted(method, parts.path, parts.query, body)
            else:
                self._send_error(_unrecognised(method, parts.path))
        except Exception:
            traceback.print_exc(file=sys.stderr)
            self._send_error(StripeApiError(500, "The stand-in failed on this request.", error_type="api_error"))

    # Stripe's API ----------------------------------------------------------------------------------------------

    def _api(self, method: str, path: str, query: str, body: bytes) -> None:
        state = self.server.state
        request_id = new_id("req_", 14)
        try:
            api_key = self._api_key()
            account = self.headers.get("Stripe-Account") or None
            if account is not None and not state.account_exists(account):
                raise StripeApiError(
                    403,
                    f"The provided key '{_masked(api_key)}' does not have access to account '{account}' (or that "
                    "account does not exist). Application access may have been revoked.",
                    code="account_invalid",
                )
            matched = _match(_API_ROUTES, method, path)
            if matched is None:
                raise _unrecognised(method, path)
            params = parse_form(query if method == "GET" else body.decode("utf-8"))
        except StripeApiError as error:
            self._send_error(error, request_id=request_id)
            return
        state.note_api_version(self.headers.get("Stripe-Version"))
        handler, object_id = matched
        key = self.headers.get("Idempotency-Key") if method == "POST" else None
        caller = Caller(account=account, request_id=request_id, idempotency_key=key)
        if not key:
            status, payload = self._run(handler, caller, params, object_id)
            self._send(status, payload, "application/json", {"Request-Id": request_id})
            return
        scope = (api_key, account or "", key)
        # Serialise per key: a second request with the key waits for the first, then replays it.
        with state.idempotency_lock(scope):
            previous = state.idempotent_result(scope)
            if previous is not None:
                self._replay(previous, method, path, params, key, request_id)
                return
            status, payload = self._run(handler, caller, params, object_id)
            # Like Stripe, a request refused before it ran (bad parameters) saves nothing: the key stays usable.
            if 200 <= status < 300:
                state.remember_idempotent_result(
                    scope, IdempotentResult(method, path, params, status, payload, request_id)
                )
        self._send(status, payload, "application/json", {"Request-Id": request_id, "Idempotency-Key": key})

    def _run(self, handler: _ApiRoute, caller: Caller, params: dict[str, Any], object_id: str) -> tuple[int, bytes]:
        try:
            result = handler(self.server.state, caller, params, object_id)
            if result.get("object") != "list":
                result = self.server.state.expand(caller, result, params.get("expand"))
            return 200, _json(result)
        except StripeApiError as error:
            return error.status, _json(error.body())

    def _replay(
        self, previous: IdempotentResult, method: str, path: str, params: dict[str, Any], key: str, request_id: str
    ) -> None:
        if (previous.method, previous.path) != (method, path):
            message = (
                "Keys for idempotent requests can only be used for the same endpoint they were first used for "
                f"('{previous.method} {previous.path}' vs '{method} {path}'). Try using a key other than '{key}' "
                "if you meant to execute a different request."
            )
        elif previous.params != params:
            message = (
                "Keys for idempotent requests can only be used with the same parameters they were first used with. "
                f"Try using a key other than '{key}' if you meant to execute a different request."
            )
        else:
            headers = {
                "Request-Id": request_id,
                "Idempotency-Key": key,
                "Idempotent-Replayed": "true",
                "Original-Request": previous.request_id,
            }
            self._send(previous.status, previous.body, "application/json", headers)
            return
        self._send_error(StripeApiError(400, message, error_type="idempotency_error"), request_id=request_id)

    def _api_key(self) -> str:
        scheme, _, credentials = self.headers.get("Authorization", "").partition(" ")
        api_key = ""
        if scheme.lower() == "bearer":
            api_key = credentials.strip()
        elif scheme.lower() == "basic":
            try:
                api_key = base64.b64decode(credentials.strip()).decode("utf-8").partition(":")[0]
            except (binascii.Error, UnicodeDecodeError):
                api_key = ""
        if not api_key:
            raise StripeApiError(
                401,
                "You did not provide an API key. You need to provide your API key in the Authorization header, "
                "using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
                "https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
            )
        if not api_key.startswith(("sk_test_", "rk_test_")):
            # The stand-in is test mode only: a live key here is a mistake worth refusing loudly.
            raise StripeApiError(401, f"Invalid API Key provided: {_masked(api_key)}", code="api_key_invalid")
        return api_key

    # Controls for tests and the demo ---------------------------------------------------------------------------

    def _control(self, method: str, path: str, body: bytes) -> None:
        matched = _match(_CONTROL_ROUTES, method, path)
        if matched is None:
            self._send_error(_unrecognised(method, path))
            return
        handler, object_id = matched
        try:
            payload = json.loads(body or b"{}")
            if not isinstance(payload, dict):
                raise StripeApiError(400, "The request body must be a JSON object.")
            result = handler(self.server.state, payload, object_id)
        except json.JSONDecodeError:
            self._send_error(StripeApiError(400, "The request body is not valid JSON."))
            return
        except StripeApiError as error:
            self._send_error(error)
            return
        self._send(200, _json(result), "application/json")

    # Hosted pages ----------------------------------------------------------------------------------------------

    def _hosted(self, method: str, path: str, query: str, body: bytes) -> None:
        state = self.server.state
        kind, _, object_id = path.strip("/").partition("/")
        form = {key: values[0] for key, values in parse_qs(body.decode("utf-8")).items()}
        try:
            if kind == "pay" and method == "GET":
                session, line_items, business_name = state.checkout_page(object_id)
                self._send_html(200, pages.checkout_page(session, line_items, business_name))
            elif kind == "pay" and method == "POST":
                self._pay(object_id)
            elif kind == "onboarding" and method == "GET":
                query_values = {key: values[0] for key, values in parse_qs(query).items()}
                account = state.retrieve_account(Caller(account=object_id), object_id)
                page = pages.onboarding_page(account, query_values.get("return_url"), query_values.get("refresh_url"))
                self._send_html(200, page)
            elif kind == "onboarding" and method == "POST":
                state.onboard(object_id)
                return_url = form.get("return_url", "")
                if urlsplit(return_url).scheme in ("http", "https"):
                    self._redirect(return_url)
                else:
                    self._send_html(
                        200,
                        pages.message_page("Onboarding complete", "Onboarding complete", "You can close this page."),
                    )
            else:
                self._send_html(405, pages.message_page("Not allowed", "Not allowed", f"{method} is not allowed here."))
        except StripeApiError as error:
            self._send_html(error.status, pages.message_page("Not found", "Page not found", error.message))

    def _pay(self, session_id: str) -> None:
        state = self.server.state
        try:
            session = state.pay_checkout_session(session_id)
        except StripeApiError as error:
            if error.status != 409:
                raise
            current, _, _ = state.checkout_page(session_id)
            self._send_html(409, pages.closed_session_page(current))
            return
        self._redirect(session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id))

    # Responses -------------------------------------------------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _send_error(self, error: StripeApiError, request_id: str | None = None) -> None:
        self._send(
            error.status, _json(error.body()), "application/json", {"Request-Id": request_id} if request_id else None
        )

    def _send_html(self, status: int, html: str) -> None:
        self._send(status, html.encode("utf-8"), "text/html; charset=utf-8")

    def _redirect(self, location: str) -> None:
        self._send(303, b"", "text/plain", {"Location": location})


def _json(value: Any) -> bytes:
    return json.dumps(value, indent=2).encode("utf-8")
