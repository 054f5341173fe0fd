"""The needs audit's rules as plain functions: met and unmet need, small-number suppression, tokens, dates."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

NEED_MET_TEXT = "How well is this learning need currently met for your staff?"
# Published figures about fewer people than this are shown as "fewer than 3" (they could point to someone).
SUPPRESS_BELOW = 3
SCALE_VALUES = (1, 2, 3, 4, 5)
NEED_MET_LABELS = {
    1: "Not met at all",
    2: "Poorly met",
    3: "Partly met",
    4: "Mostly met",
    5: "Fully met",
}
SCALE_LABELS = {1: "Very low", 2: "Low", 3: "Medium", 4: "High", 5: "Very high"}
TEXT_MAX = 5000
NUMBER_MAX = 10**9


def need_band(score: int) -> str:
    """4-5 met, 3 partly met, 1-2 unmet."""
    if score >= 4:
        return "met"
    if score == 3:
        return "partly"
    return "unmet"


def new_token() -> tuple[str, str]:
    """A link token nobody can guess, and the hash that is stored instead of it."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def long_date(day: date) -> str:
    """3 March 2026."""
    return f"{day.day} {day:%B %Y}"


def share(part: int, whole: int) -> int | None:
    """A whole-number percentage, or None when there is nothing to divide by."""
    return round(100 * part / whole) if whole else None
