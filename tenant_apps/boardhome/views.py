from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shared_apps.accounts import selectors as accounts_selectors
from shared_apps.accounts import services as accounts
from shared_apps.accounts.models import Membership, User
from shared_apps.accounts.permissions import can, request_board
from shared_apps.web.pages import apply_errors, requires
from tenant_apps.boardhome.forms import BoardSettingsForm, GiveRoleForm
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


@requires("members.read")
def people(request: HttpRequest) -> HttpResponse:
    """Everyone's roles in the board; its administrators give and remove them."""
    board = request_board(request)
    assert board is not None  # `requires` found a role in it
    may_change = can(request.user, "members.manage", board)
    form = GiveRoleForm(request.POST or None)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            assert isinstance(request.user, User)
            try:
                membership = accounts.give_role(
                    board,  # type: ignore[arg-type]
                    email=data["email"],
                    full_name=data["full_name"],
                    role=data["role"],
                    agency_id=data["agency"].pk if data["agency"] else None,
                    actor=request.user,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                told = (
                    "We have emailed them to say so."
                    if membership.user.has_usable_password()
                    else "We have emailed them a link to set a password for their new account."
                )
                messages.success(request, f"{membership.user} is now {membership.get_role_display().lower()}. {told}")
                return redirect("boardhome:people")
    context = {
        "memberships": list(accounts_selectors.board_memberships(board)),
        "form": form,
        "may_change": may_change,
    }
    return render(request, "boardhome/people.html", context, status=400 if form.errors else 200)


@require_POST
@requires("members.manage")
def remove_role(request: HttpRequest, pk: int) -> HttpResponse:
    board = request_board(request)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk, board_id=board.pk if board else 0)
    assert isinstance(request.user, User)
    try:
        accounts.take_role(membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{membership.user} is no longer {membership.get_role_display().lower()}.")
    return redirect("boardhome:people")
