"""Signing and posting events as Stripe does: `Stripe-Signature: t=<ts>,v1=<hmac_sha256(secret, "<ts>.<payload>")>`."""

from __future__ import annotations

import hashlib
import hmac
import urllib.error
import urllib.request

DELIVERY_TIMEOUT_SECONDS = 5.0

# No proxy: the webhook endpoint is a local server, and a proxy from the environment must not swallow it.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def signature_header(payload: bytes, secret: str, timestamp: int) -> str:
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def post_event(url: str, payload: bytes, signature: str) -> tuple[int, str | None]:
    """POST one event; never raises. Returns the status our endpoint answered (0 if none) and the failure, if any."""
    request = urllib.request.Request(  # noqa: S310 (the URL is the configured webhook endpoint)
        url,
        data=payload,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Stripe-Signature": signature,
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        },
    )
    try:
        with _opener.open(request, timeout=DELIVERY_TIMEOUT_SECONDS) as response:
            response.read()
            return response.status, None
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, None
    except (OSError, ValueError) as error:
        return 0, f"{type(error).__name__}: {error}"
