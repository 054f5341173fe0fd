from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shared_apps.accounts.permissions import can, request_board
from shared_apps.audit.selectors import events_for_board


def board_log(request: HttpRequest) -> HttpResponse:
    board = request_board(request)
    if not can(request.user, "audit.read", board):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    assert board is not None
    page = Paginator(events_for_board(board), 50).get_page(request.GET.get("page"))
    return render(request, "audit/board_log.html", {"page": page})
