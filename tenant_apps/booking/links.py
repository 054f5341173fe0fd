"""Links that act on one booking without signing in, sent by email: the line manager approves or declines a
booking; the person booked gives up their place (offered from the waiting list, or reminded of it). Signed, so they
cannot be made up or altered, each for one purpose (a link of one kind never works as the other), and expiring;
they name only the booking."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse


@dataclass(frozen=True)
class BookingLink:
    salt: str
    route: str
    valid_for_days: int | None  # None: as long as what it does is allowed (checked by the service it calls)
    expired: str = ""  # what the person should do instead, once it has expired

    def path(self, booking_id: object) -> str:
        token = signing.dumps({"booking": str(booking_id)}, salt=self.salt, compress=True)
        return reverse(self.route, args=[token])

    def booking_id_from(self, token: str) -> str:
        """The booking the link is for; a clear ValidationError for a link that was altered or has expired."""
        try:
            max_age = self.valid_for_days * 24 * 3600 if self.valid_for_days is not None else None
            payload = signing.loads(token, salt=self.salt, max_age=max_age)
        except signing.SignatureExpired as exc:
            raise ValidationError(f"This link has expired. {self.expired}") from exc
        except signing.BadSignature as exc:
            raise ValidationError(
                "This link is not valid. Check that you copied the whole link from the email."
            ) from exc
        return str(payload.get("booking", "")) if isinstance(payload, dict) else ""


APPROVAL = BookingLink(
    salt="booking.manager-approval",
    route="booking:approval",
    valid_for_days=14,
    expired="Approval links last 14 days: ask the person to book again.",
)
# Works until the session starts, however far ahead it is booked: cancel_booking refuses after that, saying so.
GIVE_UP = BookingLink(salt="booking.give-up-place", route="booking:give-up", valid_for_days=None)
