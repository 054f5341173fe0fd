"""Following the offer: a session with more places promotes people waiting; a moved one tells the people booked; a
cancelled or postponed one cancels its bookings."""

from typing import Any

from django.dispatch import receiver

from tenant_apps.booking import services
from tenant_apps.offer.signals import session_changed


@receiver(session_changed, dispatch_uid="booking.session_changed")
def follow_session(sender: Any, session: Any, actor: Any, rescheduled: bool = False, **kwargs: Any) -> None:
    services.session_changed(session, actor=actor, rescheduled=rescheduled)
