from decimal import Decimal

from django import template

from tenant_apps.strategy import display

register = template.Library()


@register.filter
def paragraphs(text: str) -> list[str]:
    """Text as typed, split into paragraphs at blank lines: {% for paragraph in item.body|paragraphs %}."""
    return display.paragraphs(text or "")


@register.filter
def figure(value: Decimal | None) -> str:
    """A KPI figure as people write it: 80, 85.5, 12.25."""
    return "" if value is None else f"{value.normalize():f}"
