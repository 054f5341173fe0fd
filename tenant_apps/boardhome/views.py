from dataclasses import dataclass

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from shared_apps.accounts.permissions import can, request_board
from tenant_apps.boardhome.services import board_settings
from tenant_apps.needs_audits.selectors import open_needs
from tenant_apps.strategy import display
from tenant_apps.strategy.rules import review_state
from tenant_apps.strategy.selectors import current_strategy, plan_summary


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "strategy": current_strategy(),
        "settings": board_settings(),
        "can_read_strategy": can(request.user, "strategy.read", request_board(request)),
    }
    return render(request, "boardhome/home.html", context)


@dataclass(frozen=True)
class Bar:
    shown: display.Shown
    count: int
    percent: int


def dashboard(request: HttpRequest) -> HttpResponse:
    """What the board's managers check first: the strategy's review date, its action plans by RAG, what is overdue."""
    if not can(request.user, "dashboard.read", request_board(request)):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    today = timezone.localdate()
    strategy = current_strategy(today)
    summary = plan_summary(strategy, today)
    bars = [
        Bar(
            display.rag(key),
            summary.by_rag[key],
            round(100 * summary.by_rag[key] / summary.total) if summary.total else 0,
        )
        for key in display.RAG_ORDER
    ]
    context = {
        "strategy": strategy,
        "review_state": review_state(strategy, today) if strategy else "",
        "summary": summary,
        "bars": bars,
        "overdue": summary.overdue,
        # The training needs the latest needs audit found unmet.
        "open_needs": open_needs(),
    }
    return render(request, "boardhome/dashboard.html", context)
