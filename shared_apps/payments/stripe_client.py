"""The one way the code talks to Stripe (or to the local stand-in that answers for it here)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import stripe
from django.conf import settings


@lru_cache(maxsize=4)
def _client(secret_key: str, api_base: str) -> stripe.StripeClient:
    addresses: Any = {"api": api_base, "connect": api_base} if api_base else None
    # Retries are safe: every create carries an idempotency key.
    return stripe.StripeClient(secret_key, base_addresses=addresses, max_network_retries=2)


def client() -> stripe.StripeClient:
    return _client(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE or "")


def verified_event(payload: bytes, signature: str) -> Any:
    """The event in a webhook request, once its signature is checked against our secret and its timestamp is
    within the tolerance. Raises stripe.SignatureVerificationError or ValueError (a body that is not JSON)."""
    return stripe.Webhook.construct_event(
        payload, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=settings.STRIPE_WEBHOOK_TOLERANCE
    )
