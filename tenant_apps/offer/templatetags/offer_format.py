"""Dates, times, places and lengths as GOV.UK style writes them: “Tuesday 3 March 2031, 9:30am to 12:30pm”."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from tenant_apps.offer.calendar import part_location
from tenant_apps.offer.models import SessionPart

register = template.Library()


@register.filter
def govuk_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    if local.hour == 12 and local.minute == 0:
        return "midday"
    if local.hour == 0 and local.minute == 0:
        return "midnight"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


@register.filter
def part_when(part: SessionPart) -> str:
    """The day and times of a part; a part running past midnight names both days."""
    starts, ends = timezone.localtime(part.during.lower), timezone.localtime(part.during.upper)
    if starts.date() == ends.date():
        return f"{starts:%A} {starts.day} {starts:%B %Y}, {govuk_time(starts)} to {govuk_time(ends)}"
    return (
        f"{starts:%A} {starts.day} {starts:%B %Y}, {govuk_time(starts)} to "
        f"{ends:%A} {ends.day} {ends:%B %Y}, {govuk_time(ends)}"
    )


@register.filter
def part_where(part: SessionPart) -> str:
    return part_location(part.session, part) or "To be confirmed"


@register.filter
def places_left(count: int) -> str:
    return "1 place left" if count == 1 else f"{count} places left"


@register.filter
def hours(value: Decimal | float | None) -> str:
    if value is None:
        return ""
    amount = Decimal(value)
    if amount < 1:
        minutes = int(amount * 60)
        return f"{minutes} minutes"
    shown = f"{amount.normalize():f}"
    return "1 hour" if amount == 1 else f"{shown} hours"
