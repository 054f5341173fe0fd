"""A local stand-in for the part of Stripe the platform uses (Connect accounts, Checkout, refunds, events, webhooks).

Stripe is unreachable from our machines; tests and the demo start this server instead and point the official
`stripe` library at it:

    with StripeStandIn(webhook_url="http://127.0.0.1:8000/stripe/webhook/", webhook_secret="whsec_x") as standin:
        client = stripe.StripeClient("sk_test_x", base_addresses={"api": standin.url, "connect": standin.url})

See docs/stripe-standin.md.
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any

from .errors import StripeApiError
from .server import StandInHTTPServer
from .state import StandInState

__all__ = ["StripeApiError", "StripeStandIn"]


class StripeStandIn:
    """The stand-in server in a daemon thread, with the controls tests need as plain method calls."""

    def __init__(
        self,
        port: int = 0,
        webhook_url: str | None = None,
        webhook_secret: str | None = None,
        *,
        host: str = "127.0.0.1",
        public_url: str | None = None,
        quiet: bool = True,
    ) -> None:
        self.state = StandInState(webhook_url=webhook_url, webhook_secret=webhook_secret)
        self._host = host
        self._port = port
        self._public_url = public_url
        self._quiet = quiet
        self._server: StandInHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> StripeStandIn:
        """Listen (port 0 picks a free port) and serve in a daemon thread."""
        if self._server is not None:
            return self
        self._server = StandInHTTPServer((self._host, self._port), self.state, quiet=self._quiet)
        self._port = self._server.server_address[1]
        # The hosted pages' links (Checkout's `url`, account links) must be reachable from a browser.
        browser_host = "127.0.0.1" if self._host in ("0.0.0.0", "") else self._host  # noqa: S104
        self.state.base_url = self._public_url or f"http://{browser_host}:{self._port}"
        # A short poll interval lets stop() return quickly (tests start and stop a stand-in each).
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="stripe-standin", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread (for `python -m stripe_standin`)."""
        self.start()
        assert self._thread is not None
        self._thread.join()

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = None
        self._thread = None

    def __enter__(self) -> StripeStandIn:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The base address, e.g. http://127.0.0.1:54321: give it to StripeClient as base_addresses api and connect."""
        return self.state.base_url

    @property
    def port(self) -> int:
        return self._port

    @property
    def webhook_secret(self) -> str:
        """The secret events are signed with (one is made up when none is given)."""
        return self.state.webhook_secret

    def configure(self, webhook_url: str | None = None, webhook_secret: str | None = None) -> dict[str, Any]:
        """Change the webhook endpoint or secret; None leaves a value as it is, webhook_url="" stops deliveries."""
        return self.state.configure(webhook_url=webhook_url, webhook_secret=webhook_secret)

    def pay(self, session_id: str) -> dict[str, Any]:
        """Pay an open Checkout Session as its Pay button does; returns the session. StripeApiError if not open."""
        return self.state.pay_checkout_session(session_id)

    def deliver(self, event_id: str, timestamp: int | None = None, secret: str | None = None) -> int:
        """Deliver an event again (signed at `timestamp`, with `secret` to forge); the status our endpoint answered."""
        status: int = self.state.deliver(event_id, timestamp=timestamp, secret=secret)["status"]
        return status

    def deliveries(self) -> list[dict[str, Any]]:
        """Every delivery attempt, oldest first: {event_id, type, status, at, url, error}."""
        return self.state.deliveries()

    def onboard(self, account_id: str) -> dict[str, Any]:
        """Complete a connected account's onboarding (as its hosted page does); returns the account."""
        return self.state.onboard(account_id)

    def events(self) -> list[dict[str, Any]]:
        """Every event on every account, newest first (as Stripe lists them)."""
        return self.state.events()

    def objects(self, resource: str) -> list[dict[str, Any]]:
        """Every object of one resource ("charge", "payment_intent", "refund", ...) on every account, oldest first."""
        return self.state.objects_of(resource)

    def reset(self) -> None:
        """Forget all objects, events, deliveries and idempotency keys; keep the webhook configuration."""
        self.state.reset()
