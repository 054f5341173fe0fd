"""Links from the trainer portal to a session's own pages on its board's host: the attendance register and the
printable sign-in sheet. The portal lists sessions of several boards, so each link goes to its own board's host.
The paths are the booking app's routes written out, because shared apps never import tenant apps (import-linter);
the portal tests follow them on the board's host."""

from __future__ import annotations

from dataclasses import dataclass

from shared_apps.trainers.models import TrainerAssignment
from tenants.links import board_url


@dataclass(frozen=True)
class DeliveryLinks:
    register: str
    sign_in_sheet: str


def delivery_links(assignment: TrainerAssignment) -> DeliveryLinks | None:
    """Where the trainer delivering a session keeps its register and prints its sign-in sheet; None for a session
    they are not delivering (not accepted). Reads the assignment's board, which the portal's selector loads."""
    if assignment.status != TrainerAssignment.Status.ACCEPTED:
        return None
    session = f"/offer/sessions/{assignment.session_id}"
    return DeliveryLinks(
        register=board_url(assignment.board, f"{session}/register/"),
        sign_in_sheet=board_url(assignment.board, f"{session}/sign-in-sheet.pdf"),
    )
