"""Links that let a line manager approve or decline a booking without an account: signed (so they cannot be made
up or altered) and expiring, naming only the booking."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse

SALT = "booking.manager-approval"
VALID_FOR_DAYS = 14


def make_token(booking_id: object) -> str:
    return signing.dumps({"booking": str(booking_id)}, salt=SALT, compress=True)


def booking_id_from(token: str) -> str:
    """The booking the link is for; a clear ValidationError for a link that was altered or has expired."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=VALID_FOR_DAYS * 24 * 3600)
    except signing.SignatureExpired as exc:
        raise ValidationError(
            f"This link has expired: approval links last {VALID_FOR_DAYS} days. Ask the person to book again."
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationError("This link is not valid. Check that you copied the whole link from the email.") from exc
    return str(payload.get("booking", "")) if isinstance(payload, dict) else ""


def approval_path(booking_id: object) -> str:
    return reverse("booking:approval", args=[make_token(booking_id)])
