"""The invitation and reminder emails, each with the invitation's signed link (no account needed to answer)."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from tenant_apps.evaluation.models import Invitation, Stage
from tenant_apps.evaluation.services import link_token
from tenants.cross_board import current_board
from tenants.links import board_url

SUBJECTS = {
    Stage.REACTION: "How was {title}?",
    Stage.BEFORE: "Before {title}: two minutes on what you know now",
    Stage.AFTER: "After {title}: what you know now",
    Stage.IMPACT: "{title}: has it made a difference?",
    Stage.SUPERVISOR: "Is {person} using what they learned on {title}?",
}


def answer_path(invitation: Invitation) -> str:
    return f"/evaluate/{link_token(invitation)}/"


def send(invitation: Invitation, *, reminder: bool) -> None:
    """Send now (the caller has recorded the send once, in the same transaction)."""
    board = current_board()
    booking = invitation.booking
    course = booking.session.course
    person = booking.user.full_name or booking.user.email
    context = {
        "invitation": invitation,
        "board": board,
        "course": course,
        "person": person,
        "reminder": reminder,
        "url": board_url(board, answer_path(invitation)) if board else answer_path(invitation),
        "closes": timezone.localtime(invitation.closes_at),
        "supervisor": invitation.stage == Stage.SUPERVISOR,
    }
    subject = SUBJECTS[Stage(invitation.stage)].format(title=course.title, person=person)
    body = render_to_string("evaluation/email/invitation.txt", context)
    EmailMessage(("Reminder: " if reminder else "") + subject, body, to=[invitation.email]).send()
