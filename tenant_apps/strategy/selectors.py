"""Reads of the strategy shaped for pages, the API and the dashboard."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from tenant_apps.strategy.models import ActionPlan, PlanItem, ProgressUpdate, Strategy, StrategyItem, StrategyVersion
from tenant_apps.strategy.rules import effective_rag, is_overdue


def current_strategy(today: date | None = None) -> Strategy | None:
    """The adopted strategy whose period covers today, else the most recently adopted one."""
    today = today or timezone.localdate()
    adopted = Strategy.objects.filter(status=Strategy.Status.ADOPTED)
    return (
        adopted.filter(period_start__lte=today, period_end__gte=today).order_by("-period_start").first()
        or adopted.order_by("-period_end").first()
    )


def strategies_visible(can_manage: bool) -> QuerySet[Strategy]:
    """Coordinators see drafts; everyone else sees what the board has adopted or superseded."""
    if can_manage:
        return Strategy.objects.all()
    return Strategy.objects.exclude(status=Strategy.Status.DRAFT)


def strategy_document(strategy_id: uuid.UUID | str, can_manage: bool) -> Strategy | None:
    """One strategy with everything its page and PDF show, in a fixed number of queries."""
    items = StrategyItem.objects.order_by("section", "order")
    plan_items = PlanItem.objects.order_by("number").prefetch_related(
        "kpis", "milestones", Prefetch("updates", queryset=ProgressUpdate.objects.select_related("author"))
    )
    plans = ActionPlan.objects.order_by("order", "title").prefetch_related(Prefetch("items", queryset=plan_items))
    return (
        strategies_visible(can_manage)
        .prefetch_related(Prefetch("items", queryset=items), "sign_offs", Prefetch("plans", queryset=plans))
        .filter(pk=strategy_id)
        .first()
    )


def items_by_section(strategy: Strategy) -> list[tuple[str, list[StrategyItem]]]:
    """The content in document order: (section label, items) for each section that has any."""
    grouped: dict[str, list[StrategyItem]] = {}
    for item in strategy.items.all():
        grouped.setdefault(item.section, []).append(item)
    return [(label, grouped[value]) for value, label in StrategyItem.Section.choices if value in grouped]


@dataclass(frozen=True)
class Section:
    """A numbered section of the document: the introduction (text) or one kind of content (items)."""

    number: int
    title: str
    text: str = ""
    items: list[StrategyItem] = field(default_factory=list)


def document_sections(strategy: Strategy) -> list[Section]:
    """The document's sections in order, numbered as the boards number theirs: 1 Introduction, 2 Aims, ..."""
    titled: list[tuple[str, str, list[StrategyItem]]] = []
    if strategy.introduction.strip():
        titled.append(("Introduction", strategy.introduction, []))
    titled.extend((label, "", items) for label, items in items_by_section(strategy))
    return [Section(number, title, text, items) for number, (title, text, items) in enumerate(titled, start=1)]


def plan_row(row_id: uuid.UUID | str, can_manage: bool) -> PlanItem | None:
    """One action plan row with its strategy, progress updates (newest first), KPIs and milestones."""
    updates = ProgressUpdate.objects.select_related("author").order_by("-at")
    return (
        PlanItem.objects.filter(plan__strategy__in=strategies_visible(can_manage))
        .select_related("plan__strategy")
        .prefetch_related(Prefetch("updates", queryset=updates), "kpis", "milestones")
        .filter(pk=row_id)
        .first()
    )


def version_history(strategy: Strategy) -> QuerySet[StrategyVersion]:
    """Every version of the document, newest first."""
    return StrategyVersion.objects.filter(strategy=strategy).order_by("-number")


@dataclass
class PlanSummary:
    by_rag: Counter[str] = field(default_factory=Counter)
    overdue: list[PlanItem] = field(default_factory=list)
    total: int = 0


def plan_summary(strategy: Strategy | None, today: date | None = None) -> PlanSummary:
    """Rows of the strategy's plans counted by effective RAG, and the overdue rows (one query)."""
    today = today or timezone.localdate()
    summary = PlanSummary()
    if strategy is None:
        return summary
    for item in PlanItem.objects.filter(plan__strategy=strategy).select_related("plan").order_by("target_date"):
        summary.total += 1
        summary.by_rag[effective_rag(item, today) or "not_rated"] += 1
        if is_overdue(item, today):
            summary.overdue.append(item)
    return summary
