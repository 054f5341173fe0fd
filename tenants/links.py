"""Absolute links to a board's pages, for emails and documents sent outside a request."""

from django.conf import settings

from tenants.models import Board
from tenants.services import board_domain_for


def board_url(board: Board, path: str = "/") -> str:
    return f"{settings.PLATFORM_URL_SCHEME}://{board_domain_for(board.slug)}{path}"
