"""The board's side of the shared trainer pool, on the board's host: who offered to train for this board, and
the board's decision. Every read is limited to the board of the request; another board's offers never show."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shared_apps.accounts.permissions import can, request_board
from shared_apps.trainers import selectors, services
from shared_apps.trainers.display import BOARD_SERVICE_TAGS, accreditation
from shared_apps.trainers.models import BoardService
from tenants.models import Board

APPROVE = "trainers.approve"


def _board_for_managers(request: HttpRequest) -> Board | HttpResponse:
    board = request_board(request)
    if not can(request.user, APPROVE, board):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    assert isinstance(board, Board)
    return board


def pool(request: HttpRequest) -> HttpResponse:
    board = _board_for_managers(request)
    if isinstance(board, HttpResponse):
        return board
    today = timezone.localdate()
    groups: dict[str, list[dict[str, Any]]] = {"waiting": [], "approved": [], "other": []}
    for service in selectors.offers_to_board(board):
        group = {BoardService.Status.REQUESTED: "waiting", BoardService.Status.APPROVED: "approved"}.get(
            BoardService.Status(service.status), "other"
        )
        groups[group].append(
            {
                "service": service,
                "trainer": service.trainer,
                "accreditation": accreditation(service.trainer, today),
                "tag": BOARD_SERVICE_TAGS[service.status],
            }
        )
    return render(request, "trainers/pool.html", {"groups": groups})


def _decide(request: HttpRequest, pk: int, *, approve: bool) -> HttpResponse:
    board = _board_for_managers(request)
    if isinstance(board, HttpResponse):
        return board
    service = get_object_or_404(BoardService.objects.select_related("trainer__user", "board"), pk=pk, board=board)
    services.decide_service(service, approve=approve, actor=request.user)
    name = service.trainer.user.full_name or service.trainer.user.email
    if approve:
        messages.success(request, f"{name} is approved to train for the {board.get_self_term_display()}.")
    else:
        messages.success(request, f"You refused {name}'s offer to train for the {board.get_self_term_display()}.")
    return redirect("trainer_pool:index")


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=True)


@require_POST
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=False)
