from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from shared_apps.accounts.permissions import can, request_board
from shared_apps.web.pages import apply_errors, requires
from tenant_apps.boardhome.forms import BoardSettingsForm
from tenant_apps.boardhome.services import board_settings, update_board_settings
from tenant_apps.evaluation.selectors import quality_flags
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
        # Courses below the board's evaluation thresholds, with the evidence.
        "quality": quality_flags(today),
    }
    return render(request, "boardhome/dashboard.html", context)


@requires("settings.manage")
def settings_page(request: HttpRequest) -> HttpResponse:
    """The board's settings: reminders, evaluation timing, certificates and quality thresholds."""
    current = board_settings()
    form = BoardSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            update_board_settings(actor=request.user, **{name: form.cleaned_data[name] for name in form.fields})
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The board's settings are saved.")
            return redirect("boardhome:settings")
    return render(request, "boardhome/settings.html", {"form": form}, status=400 if form.errors else 200)
