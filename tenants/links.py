"""Absolute links to a board's pages and the platform's, for emails and documents sent outside a request."""

from django.conf import settings

from tenants.models import Board
from tenants.services import board_domain_for


def _origin(host: str) -> str:
    port = settings.PLATFORM_URL_PORT
    return f"{settings.PLATFORM_URL_SCHEME}://{host}{':' + str(port) if port else ''}"


def board_url(board: Board, path: str = "/") -> str:
    return f"{_origin(board_domain_for(board.slug))}{path}"


def platform_url(path: str = "/") -> str:
    return f"{_origin(settings.PLATFORM_HOST)}{path}"
