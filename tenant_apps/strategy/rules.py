"""The strategy's business rules as plain functions: target dates, review dates, overdue and RAG."""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Protocol

from django.core.exceptions import ValidationError

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
TARGET_HELP = (
    "Give the target as a quarter like “Q2 2017” (April to June 2017), a month like “April 2017” or a date like "
    "30/04/2017; join several with “and”."
)
REVIEW_REMINDER_KIND = "strategy.review_reminder"


class _ImpossibleDate(ValueError):
    pass


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _parse_part(part: str) -> date:
    text = part.strip().lower().rstrip(".")
    if match := re.fullmatch(r"q([1-4])\s*(\d{4})", text):
        quarter, year = int(match[1]), int(match[2])
        return _end_of_month(year, quarter * 3)
    if (match := re.fullmatch(r"([a-z]+)\s+(\d{4})", text)) and match[1] in MONTHS:
        return _end_of_month(int(match[2]), MONTHS[match[1]])
    numbers = None
    if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        numbers = int(match[1]), int(match[2]), int(match[3])
    elif match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
        numbers = int(match[3]), int(match[2]), int(match[1])
    if numbers is None:
        raise ValueError(part)
    try:
        return date(*numbers)
    except ValueError as exc:
        raise _ImpossibleDate(part) from exc


def parse_target(target: str) -> date | None:
    """The last date a target names ("Q2 2017" → 30 June 2017; "April 2017 and Feb 2018" → 28 Feb 2018).

    Quarters are calendar quarters. An empty target has no date; anything else unreadable is refused.
    """
    if not target.strip():
        return None
    parts = [part for part in re.split(r"\s*(?:\band\b|&|,|;)\s*", target.strip(), flags=re.IGNORECASE) if part]
    try:
        dates = [_parse_part(part) for part in parts]
    except _ImpossibleDate as exc:
        raise ValidationError({"target": [f"“{exc.args[0].strip()}” is not a real date. {TARGET_HELP}"]}) from exc
    except ValueError as exc:
        message = f"“{exc.args[0].strip()}” is not a date we can read. {TARGET_HELP}"
        raise ValidationError({"target": [message]}) from exc
    if not dates:
        raise ValidationError({"target": [TARGET_HELP]})
    return max(dates)


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def next_review_due(adopted_on: date | None, last_reviewed_on: date | None, cycle_months: int) -> date | None:
    """The next review falls one cycle after the last review, or after adoption if never reviewed."""
    start = last_reviewed_on or adopted_on
    return add_months(start, cycle_months) if start else None


class PlanItemLike(Protocol):
    status: str
    rag: str
    target_date: date | None


def is_overdue(item: PlanItemLike, today: date) -> bool:
    """Past its target date and not completed."""
    return item.target_date is not None and item.target_date < today and item.status != "completed"


def effective_rag(item: PlanItemLike, today: date) -> str:
    """What the dashboard shows: "complete" when done; "red" when overdue, whatever was last assessed;
    otherwise the latest assessed rating, or "" when nobody has rated it yet."""
    if item.status == "completed":
        return "complete"
    if is_overdue(item, today):
        return "red"
    return item.rag


REVIEW_DUE_SOON_DAYS = 60


class StrategyLike(Protocol):
    status: str
    next_review_due: date | None


def review_state(strategy: StrategyLike, today: date) -> str:
    """ "overdue" once an adopted strategy's review date has passed, "due_soon" within 60 days of it, else ""."""
    if strategy.status != "adopted" or strategy.next_review_due is None:
        return ""
    if strategy.next_review_due < today:
        return "overdue"
    if (strategy.next_review_due - today).days <= REVIEW_DUE_SOON_DAYS:
        return "due_soon"
    return ""
