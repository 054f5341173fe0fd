"""Every write to a board's strategy and its action plans. Each records an audit entry; every change to the
strategy document itself (fields, content, sign-offs) also adds a numbered version with a snapshot."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone

from shared_apps.audit.services import diff, record
from tenant_apps.boardhome.services import board_settings
from tenant_apps.scheduling.services import cancel_matching, schedule
from tenant_apps.strategy.models import (
    ActionPlan,
    Kpi,
    Milestone,
    PlanItem,
    ProgressUpdate,
    SignOff,
    Strategy,
    StrategyItem,
    StrategyVersion,
)
from tenant_apps.strategy.rules import REVIEW_REMINDER_KIND, next_review_due, parse_target

STRATEGY_FIELDS = (
    "title",
    "period_start",
    "period_end",
    "status",
    "adopted_on",
    "review_cycle_months",
    "last_reviewed_on",
    "version_label",
    "headline",
    "introduction",
)
ITEM_FIELDS = ("section", "order", "title", "body")
SIGN_OFF_FIELDS = ("role", "name", "signed_on", "version_label")
PLAN_FIELDS = ("title", "period_label", "order")
PLAN_ITEM_FIELDS = (
    "number",
    "priority",
    "action_needed",
    "responsible",
    "target",
    "expected_impact",
    "status",
    "rag",
    "completed_on",
)
KPI_FIELDS = ("name", "unit", "target_value", "actual_value", "higher_is_better")
MILESTONE_FIELDS = ("title", "due_on", "completed_on")


def _pick(fields: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError({name: ["This field cannot be set here."] for name in sorted(unknown)})
    return fields


def _save_checked(obj: Model, update_fields: list[str] | None = None) -> None:
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save(update_fields=update_fields)


# --- the strategy document -----------------------------------------------------------------------------------


def _check_strategy(strategy: Strategy) -> None:
    errors: dict[str, list[str]] = {}
    if strategy.period_start and strategy.period_end and strategy.period_end <= strategy.period_start:
        errors["period_end"] = ["The period must end after it starts."]
    if strategy.status == Strategy.Status.ADOPTED and not strategy.adopted_on:
        errors["adopted_on"] = ["Give the date the board adopted the strategy."]
    if strategy.adopted_on and strategy.last_reviewed_on and strategy.last_reviewed_on < strategy.adopted_on:
        errors["last_reviewed_on"] = ["The last review cannot be before the strategy was adopted."]
    if errors:
        raise ValidationError(errors)
    strategy.full_clean(validate_constraints=False)
    strategy.next_review_due = next_review_due(
        strategy.adopted_on, strategy.last_reviewed_on, strategy.review_cycle_months
    )


def snapshot(strategy: Strategy) -> dict[str, Any]:
    """The whole document as JSON: fields, content and sign-offs."""
    fields = {name: _plain(getattr(strategy, name)) for name in STRATEGY_FIELDS}
    fields["next_review_due"] = _plain(strategy.next_review_due)
    fields["items"] = [{name: _plain(getattr(item, name)) for name in ITEM_FIELDS} for item in strategy.items.all()]
    fields["sign_offs"] = [
        {name: _plain(getattr(sign_off, name)) for name in SIGN_OFF_FIELDS} for sign_off in strategy.sign_offs.all()
    ]
    return fields


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def _new_version(strategy: Strategy, actor: Any, summary: str, changes: dict[str, Any]) -> StrategyVersion:
    last = StrategyVersion.objects.filter(strategy=strategy).aggregate(number=Max("number"))["number"] or 0
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return StrategyVersion.objects.create(
        strategy=strategy,
        number=last + 1,
        actor=actor if authenticated else None,
        actor_email=getattr(actor, "email", "") if authenticated else "",
        summary=summary[:300],
        changes=changes,
        snapshot=snapshot(strategy),
    )


def _document_changed(strategy: Strategy, actor: Any, action: str, summary: str, changes: dict[str, Any]) -> None:
    _new_version(strategy, actor, summary, changes)
    record(action, actor=actor, obj=strategy, summary=summary, changes=changes)


def _schedule_review_reminder(strategy: Strategy) -> None:
    """One reminder per review date, sent the board's chosen number of days before it falls due."""
    prefix = f"{strategy.pk}:"
    if strategy.status != Strategy.Status.ADOPTED or strategy.next_review_due is None:
        cancel_matching(REVIEW_REMINDER_KIND, key_prefix=prefix)
        return
    key = f"{prefix}{strategy.next_review_due.isoformat()}"
    cancel_matching(REVIEW_REMINDER_KIND, key_prefix=prefix, keep_key=key)
    days = board_settings().review_reminder_days
    # 08:00 on the day, in the board's time zone.
    due = timezone.make_aware(datetime.combine(strategy.next_review_due - timedelta(days=days), time(8)))
    schedule(REVIEW_REMINDER_KIND, key=key, due_at=due, payload={"strategy": str(strategy.pk)})


def create_strategy(*, actor: Any, **fields: Any) -> Strategy:
    with transaction.atomic():
        strategy = Strategy(**_pick(fields, STRATEGY_FIELDS))
        _check_strategy(strategy)
        strategy.save()
        _document_changed(strategy, actor, "strategy.created", f"Strategy “{strategy.title}” created", {})
        _schedule_review_reminder(strategy)
    return strategy


def update_strategy(strategy: Strategy, *, actor: Any, **fields: Any) -> Strategy:
    with transaction.atomic():
        strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
        before = {name: getattr(strategy, name) for name in STRATEGY_FIELDS}
        for name, value in _pick(fields, STRATEGY_FIELDS).items():
            setattr(strategy, name, value)
        _check_strategy(strategy)
        changed = diff(before, {name: getattr(strategy, name) for name in STRATEGY_FIELDS})
        if changed:
            strategy.save()
            _document_changed(
                strategy,
                actor,
                "strategy.updated",
                f"Strategy “{strategy.title}” changed: {', '.join(changed)}",
                changed,
            )
            _schedule_review_reminder(strategy)
    return strategy


def record_review(strategy: Strategy, *, actor: Any, reviewed_on: date) -> Strategy:
    """The board has reviewed its strategy: the next review falls one cycle later."""
    return update_strategy(strategy, actor=actor, last_reviewed_on=reviewed_on)


def add_item(strategy: Strategy, *, actor: Any, **fields: Any) -> StrategyItem:
    with transaction.atomic():
        fields = _pick(fields, ITEM_FIELDS)
        if "order" not in fields:
            last = strategy.items.filter(section=fields.get("section")).aggregate(order=Max("order"))["order"]
            fields["order"] = (last or 0) + 1
        item = StrategyItem(strategy=strategy, **fields)
        if not item.title and not item.body:
            raise ValidationError({"body": ["Write the text of this part of the strategy."]})
        _save_checked(item)
        _document_changed(
            strategy,
            actor,
            "strategy.item_added",
            f"{item.get_section_display()}: “{item}” added to “{strategy.title}”",
            {},
        )
    return item


def update_item(item: StrategyItem, *, actor: Any, **fields: Any) -> StrategyItem:
    with transaction.atomic():
        before = {name: getattr(item, name) for name in ITEM_FIELDS}
        for name, value in _pick(fields, ITEM_FIELDS).items():
            setattr(item, name, value)
        changed = diff(before, {name: getattr(item, name) for name in ITEM_FIELDS})
        if changed:
            _save_checked(item)
            _document_changed(
                item.strategy,
                actor,
                "strategy.item_updated",
                f"{item.get_section_display()}: “{item}” changed",
                changed,
            )
    return item


def remove_item(item: StrategyItem, *, actor: Any) -> None:
    with transaction.atomic():
        strategy, label = item.strategy, f"{item.get_section_display()}: “{item}”"
        item.delete()
        _document_changed(strategy, actor, "strategy.item_removed", f"{label} removed", {})


def add_sign_off(strategy: Strategy, *, actor: Any, **fields: Any) -> SignOff:
    with transaction.atomic():
        sign_off = SignOff(strategy=strategy, **_pick(fields, SIGN_OFF_FIELDS))
        _save_checked(sign_off)
        _document_changed(
            strategy, actor, "strategy.signed_off", f"Signed off by {sign_off.name} ({sign_off.role})", {}
        )
    return sign_off


def remove_sign_off(sign_off: SignOff, *, actor: Any) -> None:
    with transaction.atomic():
        strategy, label = sign_off.strategy, str(sign_off)
        sign_off.delete()
        _document_changed(strategy, actor, "strategy.sign_off_removed", f"Sign-off removed: {label}", {})


# --- action plans ---------------------------------------------------------------------------------------------


def create_plan(strategy: Strategy, *, actor: Any, **fields: Any) -> ActionPlan:
    with transaction.atomic():
        plan = ActionPlan(strategy=strategy, **_pick(fields, PLAN_FIELDS))
        _save_checked(plan)
        record("action_plan.created", actor=actor, obj=plan, summary=f"Action plan “{plan.title}” created")
    return plan


def update_plan(plan: ActionPlan, *, actor: Any, **fields: Any) -> ActionPlan:
    with transaction.atomic():
        before = {name: getattr(plan, name) for name in PLAN_FIELDS}
        for name, value in _pick(fields, PLAN_FIELDS).items():
            setattr(plan, name, value)
        changed = diff(before, {name: getattr(plan, name) for name in PLAN_FIELDS})
        if changed:
            _save_checked(plan)
            record(
                "action_plan.updated",
                actor=actor,
                obj=plan,
                changes=changed,
                summary=f"Action plan “{plan.title}” changed",
            )
    return plan


def delete_plan(plan: ActionPlan, *, actor: Any) -> None:
    with transaction.atomic():
        record("action_plan.deleted", actor=actor, obj=plan, summary=f"Action plan “{plan.title}” deleted")
        plan.delete()


def _apply_item_rules(item: PlanItem) -> None:
    item.target_date = parse_target(item.target)
    if item.status == PlanItem.Status.COMPLETED and item.completed_on is None:
        item.completed_on = timezone.localdate()
    if item.status != PlanItem.Status.COMPLETED:
        item.completed_on = None


def add_plan_item(plan: ActionPlan, *, actor: Any, **fields: Any) -> PlanItem:
    with transaction.atomic():
        fields = _pick(fields, PLAN_ITEM_FIELDS)
        if "number" not in fields:
            fields["number"] = (plan.items.aggregate(number=Max("number"))["number"] or 0) + 1
        elif plan.items.filter(number=fields["number"]).exists():
            raise ValidationError({"number": [f"Row {fields['number']} already exists in this plan."]})
        item = PlanItem(plan=plan, **fields)
        _apply_item_rules(item)
        _save_checked(item)
        record("plan_item.created", actor=actor, obj=item, summary=f"“{plan.title}” row {item.number} added")
    return item


def update_plan_item(item: PlanItem, *, actor: Any, **fields: Any) -> PlanItem:
    with transaction.atomic():
        item = PlanItem.objects.select_for_update().get(pk=item.pk)
        before = {name: getattr(item, name) for name in PLAN_ITEM_FIELDS}
        fields = _pick(fields, PLAN_ITEM_FIELDS)
        if "number" in fields and item.plan.items.filter(number=fields["number"]).exclude(pk=item.pk).exists():
            raise ValidationError({"number": [f"Row {fields['number']} already exists in this plan."]})
        for name, value in fields.items():
            setattr(item, name, value)
        _apply_item_rules(item)
        changed = diff(before, {name: getattr(item, name) for name in PLAN_ITEM_FIELDS})
        if changed:
            _save_checked(item)
            record(
                "plan_item.updated",
                actor=actor,
                obj=item,
                changes=changed,
                summary=f"Row {item.number} of “{item.plan.title}” changed: {', '.join(changed)}",
            )
    return item


def delete_plan_item(item: PlanItem, *, actor: Any) -> None:
    with transaction.atomic():
        record("plan_item.deleted", actor=actor, obj=item, summary=f"Row {item.number} of “{item.plan.title}” deleted")
        item.delete()


def record_progress(
    item: PlanItem, *, actor: Any, note: str, evidence: str = "", rag: str = "", status: str | None = None
) -> ProgressUpdate:
    """A progress update with its evidence; its RAG rating (and status, if given) become the row's own."""
    with transaction.atomic():
        update = ProgressUpdate(
            item=item,
            author=actor if getattr(actor, "is_authenticated", False) else None,
            note=note,
            evidence=evidence,
            rag=rag,
        )
        if not note.strip():
            raise ValidationError({"note": ["Say what progress has been made."]})
        _save_checked(update)
        changes: dict[str, Any] = {}
        if rag:
            changes["rag"] = rag
        if status:
            changes["status"] = status
        if changes:
            update_plan_item(item, actor=actor, **changes)
        record(
            "plan_item.progress",
            actor=actor,
            obj=item,
            summary=f"Progress on row {item.number} of “{item.plan.title}”" + (f" ({rag})" if rag else ""),
        )
    return update


def _decimal(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError({field: ["Enter a number, like 75 or 12.5."]})
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError({field: ["Enter a number, like 75 or 12.5."]}) from exc


def add_kpi(item: PlanItem, *, actor: Any, **fields: Any) -> Kpi:
    with transaction.atomic():
        fields = _pick(fields, KPI_FIELDS)
        fields["target_value"] = _decimal(fields.get("target_value"), "target_value")
        fields["actual_value"] = _decimal(fields.get("actual_value"), "actual_value")
        if fields["target_value"] is None:
            raise ValidationError({"target_value": ["Give the target as a number."]})
        kpi = Kpi(item=item, **fields)
        _save_checked(kpi)
        record("kpi.created", actor=actor, obj=kpi, summary=f"KPI “{kpi.name}” added to row {item.number}")
    return kpi


def update_kpi(kpi: Kpi, *, actor: Any, **fields: Any) -> Kpi:
    with transaction.atomic():
        fields = _pick(fields, KPI_FIELDS)
        for name in ("target_value", "actual_value"):
            if name in fields:
                fields[name] = _decimal(fields[name], name)
        if "target_value" in fields and fields["target_value"] is None:
            raise ValidationError({"target_value": ["Give the target as a number."]})
        before = {name: getattr(kpi, name) for name in KPI_FIELDS}
        for name, value in fields.items():
            setattr(kpi, name, value)
        changed = diff(before, {name: getattr(kpi, name) for name in KPI_FIELDS})
        if changed:
            _save_checked(kpi)
            record("kpi.updated", actor=actor, obj=kpi, changes=changed, summary=f"KPI “{kpi.name}” updated")
    return kpi


def delete_kpi(kpi: Kpi, *, actor: Any) -> None:
    with transaction.atomic():
        record("kpi.deleted", actor=actor, obj=kpi, summary=f"KPI “{kpi.name}” deleted")
        kpi.delete()


def add_milestone(item: PlanItem, *, actor: Any, **fields: Any) -> Milestone:
    with transaction.atomic():
        milestone = Milestone(item=item, **_pick(fields, MILESTONE_FIELDS))
        _save_checked(milestone)
        record(
            "milestone.created",
            actor=actor,
            obj=milestone,
            summary=f"Milestone “{milestone.title}” added to row {item.number}",
        )
    return milestone


def update_milestone(milestone: Milestone, *, actor: Any, **fields: Any) -> Milestone:
    with transaction.atomic():
        before = {name: getattr(milestone, name) for name in MILESTONE_FIELDS}
        for name, value in _pick(fields, MILESTONE_FIELDS).items():
            setattr(milestone, name, value)
        changed = diff(before, {name: getattr(milestone, name) for name in MILESTONE_FIELDS})
        if changed:
            _save_checked(milestone)
            record(
                "milestone.updated",
                actor=actor,
                obj=milestone,
                changes=changed,
                summary=f"Milestone “{milestone.title}” updated",
            )
    return milestone


def delete_milestone(milestone: Milestone, *, actor: Any) -> None:
    with transaction.atomic():
        record("milestone.deleted", actor=actor, obj=milestone, summary=f"Milestone “{milestone.title}” deleted")
        milestone.delete()
