"""Who may do what: the one table of permission rules, used by API permission classes and page views alike.

Board actions are granted by the roles a person holds in the board the request is for. Platform actions
belong to platform staff. Nothing else in the code base decides access.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from shared_apps.accounts.models import Membership, Role, User

ALL_BOARD_ROLES = frozenset(Role.values)
BOARD_MANAGERS = frozenset({Role.BOARD_ADMIN, Role.COORDINATOR})

BOARD_RULES: dict[str, frozenset[str]] = {
    "board.read": ALL_BOARD_ROLES,
    "strategy.read": ALL_BOARD_ROLES,
    "strategy.manage": BOARD_MANAGERS,
    "audit.read": frozenset({Role.BOARD_ADMIN}),
    "dashboard.read": BOARD_MANAGERS,
    "sources.read": ALL_BOARD_ROLES,
    "sources.manage": BOARD_MANAGERS,
    "audiences.read": ALL_BOARD_ROLES,
    "audiences.manage": BOARD_MANAGERS,
    "needs_audits.read": BOARD_MANAGERS,
    "needs_audits.manage": BOARD_MANAGERS,
    "resources.read": ALL_BOARD_ROLES,
    "resources.manage": BOARD_MANAGERS,
    "offer.manage": BOARD_MANAGERS,
    "bookings.manage": BOARD_MANAGERS,
    # An agency's training manager books named staff and sees, cancels and passes on the agency's bookings (the
    # membership names the agency; tenant_apps.booking.team narrows them to it).
    "team.book": frozenset({Role.AGENCY_MANAGER}),
    # Trainers and the board's managers keep a session's attendance register.
    "register.keep": frozenset({Role.BOARD_ADMIN, Role.COORDINATOR, Role.TRAINER}),
    "trainers.approve": BOARD_MANAGERS,
    "observations.read": BOARD_MANAGERS,
    "observations.manage": BOARD_MANAGERS,
    "members.read": BOARD_MANAGERS,
    "members.manage": frozenset({Role.BOARD_ADMIN}),
    "settings.manage": frozenset({Role.BOARD_ADMIN}),
    # Non-attendance fees: the board's managers read the figures and run fees, policies and invoices; only
    # board administrators connect the board's Stripe account that payments go into.
    "charges.read": BOARD_MANAGERS,
    "charges.manage": BOARD_MANAGERS,
    "payments.setup": frozenset({Role.BOARD_ADMIN}),
    # Evaluation: trainers read the summaries of the sessions they trained (the selectors narrow them to those);
    # the board's managers read everything and change the forms.
    "evaluation.read": frozenset({Role.BOARD_ADMIN, Role.COORDINATOR, Role.TRAINER}),
    "evaluation.manage": BOARD_MANAGERS,
}
# "trainers.hours.read": every agency's hours of training lent in kind (a trainer sees only their own agency's).
PLATFORM_RULES = frozenset({"boards.provision", "agencies.manage", "platform.audit.read", "trainers.hours.read"})
# Public information: the board directory and each board's name and description.
PUBLIC_RULES = frozenset({"directory.read", "catalogue.read"})
# Open to anyone signed in, whatever their roles: reference data and their own account.
# "trainer.portal": the trainer portal's views and API also need the person to have a trainer profile, and
# only ever show their own rows.
# "booking.book": anyone signed in books any board's sessions (one account across boards) and sees their own.
SIGNED_IN_RULES = frozenset({"agencies.read", "self.read", "trainer.portal", "booking.book"})

_CACHE_ATTR = "_board_roles_cache"


def board_roles(user: User | AnonymousUser, board: Model | None) -> frozenset[str]:
    """The roles `user` holds in `board`, cached on the user object for the request."""
    if board is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cache: dict[Any, frozenset[str]] = getattr(user, _CACHE_ATTR, None) or {}
    if board.pk not in cache:
        cache[board.pk] = frozenset(
            Membership.objects.filter(user_id=user.pk, board_id=board.pk).values_list("role", flat=True)
        )
        setattr(user, _CACHE_ATTR, cache)
    return cache[board.pk]


def can(user: User | AnonymousUser, action: str, board: Model | None = None) -> bool:
    if action in PUBLIC_RULES:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if action in SIGNED_IN_RULES:
        return True
    if action in PLATFORM_RULES:
        return bool(user.is_staff)
    allowed = BOARD_RULES.get(action)
    if allowed is None:
        raise KeyError(f"Unknown action {action!r}: add it to BOARD_RULES or PLATFORM_RULES.")
    return bool(board_roles(user, board) & allowed)


def requires_two_factor(user: User) -> bool:
    """Board administrators and platform staff must sign in with a second factor."""
    return bool(user.is_staff) or Membership.objects.filter(user_id=user.pk, role=Role.BOARD_ADMIN).exists()


def request_board(request: Any) -> Model | None:
    tenant = getattr(request, "tenant", None)
    if tenant is None or getattr(tenant, "is_system", True):
        return None
    board: Model = tenant
    return board


class ActionPermission(BasePermission):
    """DRF permission driven by the view's `permission_actions`: {view action or HTTP method: rule name}.

    Unknown view actions fall back to the "read" entry for safe methods and "write" for the rest.
    """

    message = "You do not have a role in this board that allows this."

    def has_permission(self, request: Request, view: Any) -> bool:
        actions: dict[str, str] = view.permission_actions
        key = getattr(view, "action", None) or (request.method or "get").lower()
        action = actions.get(key) or actions.get("read" if request.method in ("GET", "HEAD", "OPTIONS") else "write")
        if action is None:
            return False
        return can(request.user, action, request_board(request))
