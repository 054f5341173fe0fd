"""Emails about a person's account and roles. Rendered in the request (the links need its board), sent by a worker
after the change is committed."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from shared_apps.accounts.models import Membership, Role, User
from shared_apps.accounts.tasks import send_account_email
from tenants.links import board_url

# What each role lets its holder do, in the words of the email ("You can now ...").
WHAT_A_ROLE_DOES = {
    Role.BOARD_ADMIN: "run the partnership's site: its strategy, training offer, people and roles, fees and reports",
    Role.COORDINATOR: "manage the training offer, bookings, waiting lists, registers and reports",
    Role.TRAINER: "see the sessions you deliver, keep their registers and read their evaluations",
    Role.FINANCE: "see the non-attendance fees charged to {agency} and pay them online",
    Role.AGENCY_MANAGER: "book members of {agency}'s staff on training and look after their bookings",
    Role.PRACTITIONER: "book training and keep your learning record",
}


def set_password_path(user: User) -> str:
    """The single-use link to set a password (valid PASSWORD_RESET_TIMEOUT), as "Forgotten your password" sends."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/password/set/{uid}/{default_token_generator.make_token(user)}/"


def send_role_given(membership: Membership, *, actor: User) -> None:
    """Tell a person they have a new role in a board, and where to start; someone without a password yet gets a
    link to set one. Queued once the role is committed: a refused change sends nothing."""
    person, board = membership.user, membership.board
    agency = membership.agency.name if membership.agency else ""
    context = {
        "person": person,
        "actor": actor,
        "board": board,
        "role": membership.get_role_display().lower(),
        "agency": agency,
        "what_it_does": WHAT_A_ROLE_DOES[Role(membership.role)].format(agency=agency),
        "home_url": board_url(board, "/"),
        "sign_in_url": board_url(board, "/sign-in/"),
        "set_password_url": "" if person.has_usable_password() else board_url(board, set_password_path(person)),
        "forgotten_url": board_url(board, "/password/forgotten/"),
    }
    subject = f"You are now {context['role']} for {board.name}"
    body = render_to_string("accounts/email/role_given.txt", context)
    transaction.on_commit(lambda: send_account_email.delay(person.email, subject, body))
