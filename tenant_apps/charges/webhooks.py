"""The one Stripe webhook endpoint, on the platform host. It checks the signature (with Stripe's 300 s tolerance),
stores the event id once, answers at once, and hands the work to a task in the board's schema, which re-reads the
object from Stripe before acting. A redelivered event finds its id stored and changes nothing."""

from __future__ import annotations

import json
from typing import Any

import stripe
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from shared_apps.payments import selectors, services
from shared_apps.payments.stripe_client import verified_event
from tenant_apps.charges.tasks import handle_stripe_event
from tenants.cross_board import enqueue_in_board

# Stripe's events are a few kilobytes; anything far larger is not one.
MAX_BODY = 512 * 1024


def _refuse(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"status": status, "code": code, "message": message}}, status=status)


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    if len(request.body) > MAX_BODY:
        return _refuse(413, "too_large", "The body is too large to be a Stripe event.")
    try:
        verified_event(request.body, request.headers.get("Stripe-Signature", ""))
        event: Any = json.loads(request.body)
    except stripe.SignatureVerificationError:
        return _refuse(400, "bad_signature", "The signature does not match, or the event is more than 5 minutes old.")
    except ValueError:
        return _refuse(400, "malformed", "The body is not a Stripe event.")
    try:
        event_id, event_type = str(event["id"]), str(event["type"])
        account_id = str(event.get("account") or "")
        object_id = str(event["data"]["object"]["id"])
    except (KeyError, TypeError, AttributeError):
        return _refuse(400, "malformed", "The event has no id, type or object.")
    connected = selectors.board_by_account(account_id) if account_id else None
    if not services.store_event_once(event_id, event_type, account_id, connected.board_id if connected else None):
        return JsonResponse({"received": True, "duplicate": True})
    if connected is None:
        services.event_processed(event_id, "not for a board's account: nothing to do")
    else:
        enqueue_in_board(connected.board, handle_stripe_event, event_id, event_type, object_id)
    return JsonResponse({"received": True})
