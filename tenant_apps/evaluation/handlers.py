"""Due work of evaluation, run by the per-board dispatcher when it falls due (registered in apps.ready): sending
an invitation when it opens, and its one reminder before it closes. Each is sent at most once."""

from __future__ import annotations

from typing import Any

from tenant_apps.evaluation import emails, services
from tenant_apps.evaluation.models import Invitation
from tenant_apps.scheduling.registry import due_work_handler


def _invitation(payload: dict[str, Any]) -> Invitation | None:
    return (
        Invitation.objects.select_related("form", "booking__session__course", "booking__user")
        .filter(pk=str(payload.get("invitation", "")))
        .first()
    )


@due_work_handler(services.SEND_KIND)
def send_invitation(payload: dict[str, Any]) -> None:
    invitation = _invitation(payload)
    if invitation is not None and services.mark_sent(invitation, reminder=False):
        emails.send(invitation, reminder=False)


@due_work_handler(services.REMIND_KIND)
def remind(payload: dict[str, Any]) -> None:
    invitation = _invitation(payload)
    if invitation is not None and services.mark_sent(invitation, reminder=True):
        emails.send(invitation, reminder=True)
