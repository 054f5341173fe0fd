from typing import Any

from django.conf import settings
from django.http import HttpRequest

from shared_apps.accounts.permissions import can, request_board

PLATFORM_NAME = "Safeguarding learning and development"


def site(request: HttpRequest) -> dict[str, Any]:
    """What the layout needs on every page: whose site this is and what the person may open."""
    board = request_board(request)
    user = getattr(request, "user", None)
    nav: list[dict[str, Any]] = []
    if board is not None and user is not None:
        if can(user, "catalogue.read", board):
            nav.append({"text": "Courses", "url_name": "offer:catalogue"})
        if can(user, "strategy.read", board):
            nav.append({"text": "Strategy", "url_name": "strategy:list"})
        if can(user, "sources.read", board):
            nav.append({"text": "Learning from reviews", "url_name": "learning_sources:index"})
        if can(user, "resources.read", board):
            nav.append({"text": "Resources", "url_name": "resources:library"})
        if can(user, "booking.book", board):
            nav.append({"text": "My bookings", "url_name": "booking:mine"})
            nav.append({"text": "My learning", "url_name": "booking:my-learning"})
            nav.append({"text": "My evaluations", "url_name": "evaluation:mine"})
        if can(user, "team.book", board):
            nav.append({"text": "Team bookings", "url_name": "booking:team"})
        if can(user, "needs_audits.read", board):
            nav.append({"text": "Needs audits", "url_name": "needs_audits:list"})
        if can(user, "trainers.approve", board):
            nav.append({"text": "Trainer pool", "url_name": "trainer_pool:index"})
        if can(user, "offer.manage", board):
            nav.append({"text": "Sessions", "url_name": "offer:sessions"})
        if can(user, "register.keep", board):
            nav.append({"text": "Registers", "url_name": "booking:registers"})
        if can(user, "audiences.manage", board):
            nav.append({"text": "Audience groups", "url_name": "audiences:groups"})
            nav.append({"text": "E-learning", "url_name": "audiences:elearning"})
        if can(user, "charges.read", board):
            nav.append({"text": "Fees", "url_name": "charges:overview"})
        if can(user, "evaluation.read", board):
            nav.append({"text": "Evaluation", "url_name": "evaluation:overview"})
        if can(user, "dashboard.read", board):
            nav.append({"text": "Dashboard", "url_name": "boardhome:dashboard"})
        if can(user, "audit.read", board):
            nav.append({"text": "Audit log", "url_name": "audit:board-log"})
        if can(user, "members.read", board):
            nav.append({"text": "People", "url_name": "boardhome:people"})
        if can(user, "settings.manage", board):
            nav.append({"text": "Settings", "url_name": "boardhome:settings"})
    elif user is not None and user.is_authenticated:
        # On the platform host: the trainer portal serves every board a trainer works for.
        nav.append({"text": "Trainer portal", "url_name": "trainers:sessions"})
    return {
        "board": board,
        "board_term": board.get_self_term_display() if board is not None else "board",  # type: ignore[attr-defined]
        "platform_name": PLATFORM_NAME,
        "platform_host": settings.PLATFORM_HOST,
        "board_nav": nav,
        "platform_url": platform_url(request),
    }


def platform_url(request: HttpRequest) -> str:
    """The public site's home: the bare platform host, or the root path when boards are reached by /t/<slug>/."""
    if getattr(request, "board_prefix", None) or request_board(request) is None:
        return "/"
    port = request.get_port()
    default_port = "443" if request.is_secure() else "80"
    suffix = "" if port == default_port else f":{port}"
    return f"{request.scheme}://{settings.PLATFORM_HOST}{suffix}/"
