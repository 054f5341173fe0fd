"""The strategy's pages: the document, its content, sign-offs and history, the action plans and their rows, and
the PDF. Thin: permissions from `can`, reads from the selectors, every write through a service."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.views.decorators.http import require_POST

from shared_apps.accounts.permissions import can, request_board
from shared_apps.web.pages import apply_errors, requires
from tenant_apps.strategy import display, services
from tenant_apps.strategy.forms import (
    ItemForm,
    KpiForm,
    MilestoneForm,
    PlanForm,
    ProgressForm,
    RowForm,
    SignOffForm,
    StrategyForm,
)
from tenant_apps.strategy.models import ActionPlan, Kpi, Milestone, PlanItem, SignOff, Strategy, StrategyItem
from tenant_apps.strategy.pdf import strategy_pdf, strategy_pdf_filename
from tenant_apps.strategy.rules import effective_rag, is_overdue, review_state
from tenant_apps.strategy.selectors import (
    document_sections,
    plan_row,
    strategies_visible,
    strategy_document,
    version_history,
)
from tenants.models import Board

READ = "strategy.read"
MANAGE = "strategy.manage"
View = Callable[..., HttpResponse]


def _can_manage(request: HttpRequest) -> bool:
    return can(request.user, MANAGE, request_board(request))


def _long_date(value: date | None) -> str:
    return format_date(value, "j F Y") if value else ""


def _bound(form_class: type[forms.Form], request: HttpRequest, **kwargs: Any) -> Any:
    return form_class(request.POST if request.method == "POST" else None, **kwargs)


@dataclass(frozen=True)
class FormPage:
    """What a form page shows around its form."""

    title: str
    back_url: str
    submit: str
    caption: str = ""
    intro: str = ""


def _form_page(
    request: HttpRequest,
    form: forms.Form,
    page: FormPage,
    *,
    save: Callable[[dict[str, Any]], Any],
    success: str,
    next_url: Callable[[Any], str],
    template: str = "strategy/form.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The GOV.UK form pattern: on a valid POST call the service and redirect with a success message; otherwise
    show the form, with the service's errors on its fields."""
    if request.method == "POST" and form.is_valid():
        data = form.service_fields() if hasattr(form, "service_fields") else dict(form.cleaned_data)
        try:
            result = save(data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(next_url(result))
    return render(
        request, template, {"form": form, "page": page, **(context or {})}, status=400 if form.errors else 200
    )


def _strategy_url(strategy: Strategy, anchor: str = "") -> str:
    url = reverse("strategy:detail", args=[strategy.pk])
    return f"{url}#{anchor}" if anchor else url


def _row_url(row: PlanItem) -> str:
    return reverse("strategy:row", args=[row.pk])


# --- the strategies and the document ---------------------------------------------------------------------------


@requires(READ)
def strategy_list(request: HttpRequest) -> HttpResponse:
    manage = _can_manage(request)
    strategies = [(strategy, display.strategy_status(strategy)) for strategy in strategies_visible(manage)]
    return render(request, "strategy/list.html", {"strategies": strategies, "can_manage": manage})


@requires(READ)
def strategy_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    manage = _can_manage(request)
    strategy = strategy_document(pk, manage)
    if strategy is None:
        raise Http404
    today = timezone.localdate()
    context = {
        "strategy": strategy,
        "status": display.strategy_status(strategy),
        "review_state": review_state(strategy, today),
        "sections": document_sections(strategy),
        "sign_offs": list(strategy.sign_offs.all()),
        "appendices": display.appendices(strategy, today),
        "can_manage": manage,
    }
    return render(request, "strategy/detail.html", context)


@requires(READ)
def strategy_pdf_view(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    strategy = strategy_document(pk, _can_manage(request))
    board = request_board(request)
    if strategy is None or not isinstance(board, Board):
        raise Http404
    content = strategy_pdf(strategy, board, today=timezone.localdate())
    filename = strategy_pdf_filename(strategy, board)
    return HttpResponse(
        content, content_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@requires(MANAGE)
def strategy_create(request: HttpRequest) -> HttpResponse:
    form = _bound(StrategyForm, request)
    page = FormPage("Add a strategy", reverse("strategy:list"), "Save strategy")
    return _form_page(
        request,
        form,
        page,
        save=lambda data: services.create_strategy(actor=request.user, **data),
        success="Strategy added",
        next_url=_strategy_url,
    )


STRATEGY_FORM_FIELDS = tuple(StrategyForm.base_fields)


@requires(MANAGE)
def strategy_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    strategy = get_object_or_404(Strategy, pk=pk)
    form = _bound(StrategyForm, request, initial={name: getattr(strategy, name) for name in STRATEGY_FORM_FIELDS})
    page = FormPage("Change the strategy's details", _strategy_url(strategy), "Save changes", caption=strategy.title)
    return _form_page(
        request,
        form,
        page,
        save=lambda data: services.update_strategy(strategy, actor=request.user, **data),
        success="Strategy details saved",
        next_url=_strategy_url,
    )


@requires(MANAGE)
@require_POST
def strategy_review(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    strategy = get_object_or_404(Strategy, pk=pk)
    try:
        strategy = services.record_review(strategy, actor=request.user, reviewed_on=timezone.localdate())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        due = _long_date(strategy.next_review_due)
        messages.success(request, f"Review recorded. The next review is due on {due}." if due else "Review recorded.")
    return redirect(_strategy_url(strategy))


FIELD_LABELS = {
    "title": "Title",
    "period_start": "Start of the period",
    "period_end": "End of the period",
    "status": "Status",
    "adopted_on": "Date adopted",
    "review_cycle_months": "Review cycle in months",
    "last_reviewed_on": "Date of the last review",
    "version_label": "Version",
    "headline": "Headline",
    "introduction": "Introduction",
    "section": "Section",
    "order": "Position",
    "body": "Text",
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _shown_value(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, str) and ISO_DATE.match(value):
        return _long_date(date.fromisoformat(value))
    return str(value)


@requires(MANAGE)
def strategy_history(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    strategy = get_object_or_404(Strategy, pk=pk)
    versions = [
        (
            version,
            [
                (FIELD_LABELS.get(name, name.replace("_", " ").capitalize()), _shown_value(old), _shown_value(new))
                for name, (old, new) in version.changes.items()
            ],
        )
        for version in version_history(strategy)
    ]
    return render(request, "strategy/history.html", {"strategy": strategy, "versions": versions})


# --- content and sign-offs -------------------------------------------------------------------------------------


@requires(MANAGE)
def item_add(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    strategy = get_object_or_404(Strategy, pk=pk)
    form = _bound(ItemForm, request, initial={"section": request.GET.get("section")})
    page = FormPage("Add content", _strategy_url(strategy), "Save content", caption=strategy.title)
    return _form_page(
        request,
        form,
        page,
        save=lambda data: services.add_item(strategy, actor=request.user, **data),
        success="Content added",
        next_url=lambda item: _strategy_url(strategy, f"item-{item.pk}"),
    )


@requires(MANAGE)
def item_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    item = get_object_or_404(StrategyItem.objects.select_related("strategy"), pk=pk)
    form = _bound(ItemForm, request, initial={"section": item.section, "title": item.title, "body": item.body})
    page = FormPage("Change content", _strategy_url(item.strategy), "Save changes", caption=item.strategy.title)
    return _form_page(
        request,
        form,
        page,
        save=lambda data: services.update_item(item, actor=request.user, **data),
        success="Content saved",
        next_url=lambda item: _strategy_url(item.strategy, f"item-{item.pk}"),
    )


def _confirm_remove(
    request: HttpRequest, *, title: str, what: str, back_url: str, remove: Callable[[], None], success: str
) -> HttpResponse:
    if request.method == "POST":
        remove()
        messages.success(request, success)
        return redirect(back_url)
    return render(request, "strategy/confirm_remove.html", {"title": title, "what": what, "back_url": back_url})


@requires(MANAGE)
def item_remove(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    item = get_object_or_404(StrategyItem.objects.select_related("strategy"), pk=pk)
    return _confirm_remove(
        request,
        title="Remove this content?",
        what=f"{item.get_section_display()}: {item}",
        back_url=_strategy_url(item.strategy),
        remove=lambda: services.remove_item(item, actor=request.user),
        success="Content removed",
    )


@requires(MANAGE)
def sign_off_add(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    strategy = get_object_or_404(Strategy, pk=pk)
    form = _bound(SignOffForm, request, initial={"version_label": strategy.version_label})
    page = FormPage("Add a sign-off", _strategy_url(strategy, "document-control"), "Save sign-off", strategy.title)
    return _form_page(
        request,
        form,
        page,
        save=lambda data: services.add_sign_off(strategy, actor=request.user, **data),
        success="Sign-off added",
        next_url=lambda _: _strategy_url(strategy, "document-control"),
    )


@requires(MANAGE)
def sign_off_remove(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    sign_off = get_object_or_404(SignOff.objects.select_related("strategy"), pk=pk)
    return _confirm_remove(
        request,
        title="Remove this sign-off?",
        what=f"{sign_off.name}, {sign_off.role}",
        back_url=_strategy_url(sign_off.strategy, "document-control"),
        remove=lambda: services.remove_sign_off(sign_off, actor=request.user),
        success="Sign-off removed",
    )


# --- action plans and their rows -------------------------------------------------------------------------------


@requires(MANAGE)
def plan_add(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    strategy = get_object_or_404(Strategy, pk=pk)
    last = strategy.plans.aggregate(order=Max("order"))["order"]
    form = _bound(PlanForm, request, initial={"order": (last or 0) + 1})
    page = FormPage("Add an action plan", _strategy_url(strategy), "Save plan", caption=strategy.title)
    return _form_page(
        request,
        form,
        page,
        save=lambda data: services.create_plan(strategy, actor=request.user, **_without_blanks(data, "order")),
        success="Action plan added",
        next_url=lambda plan: _strategy_url(strategy, f"plan-{plan.pk}"),
    )


@requires(MANAGE)
def plan_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    plan = get_object_or_404(ActionPlan.objects.select_related("strategy"), pk=pk)
    form = _bound(
        PlanForm, request, initial={"title": plan.title, "period_label": plan.period_label, "order": plan.order}
    )
    page = FormPage("Change the action plan", _strategy_url(plan.strategy), "Save changes", plan.strategy.title)
    return _form_page(
        request,
        form,
        page,
        save=lambda data: services.update_plan(plan, actor=request.user, **_without_blanks(data, "order")),
        success="Action plan saved",
        next_url=lambda plan: _strategy_url(plan.strategy, f"plan-{plan.pk}"),
    )


def _without_blanks(data: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: value for name, value in data.items() if not (name in names and value is None)}


@requires(MANAGE)
def row_add(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    plan = get_object_or_404(ActionPlan.objects.select_related("strategy"), pk=pk)
    form = _bound(RowForm, request, initial={"rag": ""})
    page = FormPage(f"Add a row to {plan.title}", _strategy_url(plan.strategy, f"plan-{plan.pk}"), "Save row")
    return _form_page(
        request,
        form,
        page,
        save=lambda data: services.add_plan_item(plan, actor=request.user, **data),
        success="Row added",
        next_url=lambda row: _strategy_url(plan.strategy, f"plan-{plan.pk}"),
    )


ROW_FORM_FIELDS = tuple(RowForm.base_fields)


@requires(MANAGE)
def row_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    row = get_object_or_404(PlanItem.objects.select_related("plan__strategy"), pk=pk)
    form = _bound(RowForm, request, initial={name: getattr(row, name) for name in ROW_FORM_FIELDS})
    page = FormPage(f"Change row {row.number}", _row_url(row), "Save changes", caption=row.plan.title)
    return _form_page(
        request,
        form,
        page,
        save=lambda data: services.update_plan_item(row, actor=request.user, **data),
        success="Row saved",
        next_url=_row_url,
    )


@requires(READ)
def row_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    manage = _can_manage(request)
    row = plan_row(pk, manage)
    if row is None:
        raise Http404
    if request.method == "POST" and not manage:
        raise PermissionDenied
    today = timezone.localdate()
    form = _bound(ProgressForm, request, initial={"rag": row.rag})
    page = FormPage(f"Row {row.number}", _strategy_url(row.plan.strategy, f"plan-{row.plan.pk}"), "Save progress")
    context = {
        "row": row,
        "rag": display.rag(effective_rag(row, today)),
        "overdue": is_overdue(row, today),
        "updates": [(update, display.rag(update.rag)) for update in row.updates.all()],
        "kpis": [(kpi, display.kpi_met(kpi)) for kpi in row.kpis.all()],
        "milestones": list(row.milestones.all()),
        "can_manage": manage,
    }
    return _form_page(
        request,
        form,
        page,
        save=lambda data: services.record_progress(row, actor=request.user, **data),
        success="Progress update saved",
        next_url=lambda _: _row_url(row),
        template="strategy/row.html",
        context=context,
    )


@requires(MANAGE)
def kpi_add(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    row = get_object_or_404(PlanItem.objects.select_related("plan"), pk=pk)
    form = _bound(KpiForm, request)
    page = FormPage("Add a KPI", _row_url(row), "Save KPI", caption=f"Row {row.number}: {row.priority[:80]}")
    return _form_page(
        request,
        form,
        page,
        save=lambda data: services.add_kpi(row, actor=request.user, **data),
        success="KPI added",
        next_url=lambda _: _row_url(row),
    )


KPI_FORM_FIELDS = tuple(KpiForm.base_fields)


@requires(MANAGE)
def kpi_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    kpi = get_object_or_404(Kpi.objects.select_related("item"), pk=pk)
    form = _bound(KpiForm, request, initial={name: getattr(kpi, name) for name in KPI_FORM_FIELDS})
    page = FormPage("Change the KPI", _row_url(kpi.item), "Save changes", caption=kpi.name)
    return _form_page(
        request,
        form,
        page,
        save=lambda data: services.update_kpi(kpi, actor=request.user, **data),
        success="KPI saved",
        next_url=lambda _: _row_url(kpi.item),
    )


@requires(MANAGE)
def milestone_add(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    row = get_object_or_404(PlanItem, pk=pk)
    form = _bound(MilestoneForm, request)
    page = FormPage(
        "Add a milestone", _row_url(row), "Save milestone", caption=f"Row {row.number}: {row.priority[:80]}"
    )
    return _form_page(
        request,
        form,
        page,
        save=lambda data: services.add_milestone(row, actor=request.user, **data),
        success="Milestone added",
        next_url=lambda _: _row_url(row),
    )


@requires(MANAGE)
@require_POST
def milestone_complete(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    milestone = get_object_or_404(Milestone.objects.select_related("item"), pk=pk)
    services.update_milestone(milestone, actor=request.user, completed_on=timezone.localdate())
    messages.success(request, f"Milestone “{milestone.title}” marked complete")
    return redirect(_row_url(milestone.item))
