"""Stripe's form encoding: `line_items[0][price_data][unit_amount]=3500`, `expand[]=x`, into nested dicts and lists."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from .errors import StripeApiError

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")


def parse_form(encoded: str) -> dict[str, Any]:
    """Parse a form-encoded body or query string into nested values (every leaf a string)."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(encoded, keep_blank_values=True):
        _assign(root, _segments(key), value, key)
    return {key: _listify(child) for key, child in root.items()}


def _segments(key: str) -> list[str]:
    match = _KEY.match(key)
    if match is None:
        return [key]
    return [match.group(1), *_SEGMENT.findall(match.group(2))]


def _assign(node: dict[str, Any], segments: list[str], value: str, full_key: str) -> None:
    head, rest = segments[0], segments[1:]
    if head == "":
        # `expand[]=a&expand[]=b`: an empty index appends, as Rails-style encoders mean it.
        head = str(len(node))
    if not rest:
        if isinstance(node.get(head), dict):
            raise StripeApiError(400, "Invalid hash", code="parameter_invalid_string", param=full_key)
        node[head] = value
        return
    child = node.setdefault(head, {})
    if not isinstance(child, dict):
        raise StripeApiError(400, "Invalid hash", code="parameter_invalid_string", param=full_key)
    _assign(child, rest, value, full_key)


def _listify(node: Any) -> Any:
    """Turn every dict whose keys are all indexes (`0`, `1`, ...) into a list, in index order."""
    if not isinstance(node, dict):
        return node
    converted = {key: _listify(child) for key, child in node.items()}
    if converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted
