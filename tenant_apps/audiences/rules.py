"""The learning pathway's rules as plain functions: whether a requirement is done, due or overdue.

A requirement is met by the person's completions that are linked to it, or whose topic is the requirement's
topic (ignoring case). Their hours must add up to the minimum:

- **Once only** (no refresh period): all the hours ever completed count. Met once they reach the minimum,
  and then it stays done, with no next due date.
- **Refreshed every N months**: only hours completed in the last N months count. Counting back from the most
  recent completion, the completion at which the hours reach the minimum is the *qualifying* one; the next due
  date is N months after it (for one completion of the full hours, simply N months after that completion).
  The requirement is met until that date, inclusive.

The state on a given day:

- **done**: met, and the next due date (if any) is more than 90 days away;
- **due**: met, but the next due date is within 90 days (inclusive); or never met and still within the
  "first completion within" period from the day the person joined (the next due date is then that deadline);
- **overdue**: the next due date has passed; or never met and the first-completion deadline has passed;
- **not started**: never met and there is no deadline (no first-completion period, or no joining date).
  A person part of the way there (3 of 8 hours) is still "not started" (or due, or overdue, by the deadline),
  with the hours shown.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol

DUE_SOON_DAYS = 90


class State:
    DONE = "done"
    DUE = "due"
    OVERDUE = "overdue"
    NOT_STARTED = "not_started"


STATE_LABELS = {
    State.DONE: "Done",
    State.DUE: "Due",
    State.OVERDUE: "Overdue",
    State.NOT_STARTED: "Not started",
}
# GOV.UK tag colours: green done, yellow due, red overdue, grey not started.
STATE_TAGS = {
    State.DONE: "govuk-tag--green",
    State.DUE: "govuk-tag--yellow",
    State.OVERDUE: "govuk-tag--red",
    State.NOT_STARTED: "govuk-tag--grey",
}
STATES = tuple(STATE_LABELS)


def add_months(start: date, months: int) -> date:
    """The same day `months` later (the last day of the month where it is shorter), never past date.max."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


class RequirementLike(Protocol):
    minimum_hours: Decimal
    first_completion_within_months: int | None
    refresh_every_months: int | None


@dataclass(frozen=True)
class Completion:
    completed_on: date
    hours: Decimal


@dataclass(frozen=True)
class Assessment:
    state: str
    last_completed_on: date | None
    hours_in_period: Decimal
    next_due_on: date | None

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def tag_class(self) -> str:
        return STATE_TAGS[self.state]


def assess(
    requirement: RequirementLike, completions: Iterable[Completion], joined_on: date | None, today: date
) -> Assessment:
    """The state of one requirement for one person on `today`, from the completions that count for it."""
    history = sorted((c for c in completions if c.completed_on <= today), key=lambda c: c.completed_on, reverse=True)
    last = history[0].completed_on if history else None
    refresh = requirement.refresh_every_months
    minimum = requirement.minimum_hours
    if refresh is None:
        total = sum((c.hours for c in history), Decimal(0))
        if history and total >= minimum:
            return Assessment(State.DONE, last, total, None)
        return _never_met(requirement, last, total, joined_on, today)

    in_period = sum((c.hours for c in history if add_months(c.completed_on, refresh) >= today), Decimal(0))
    running = Decimal(0)
    for completion in history:
        running += completion.hours
        if running >= minimum:
            next_due = add_months(completion.completed_on, refresh)
            if next_due < today:
                state = State.OVERDUE
            elif next_due - today <= timedelta(days=DUE_SOON_DAYS):
                state = State.DUE
            else:
                state = State.DONE
            return Assessment(state, last, in_period, next_due)
    return _never_met(requirement, last, in_period, joined_on, today)


def _never_met(
    requirement: RequirementLike, last: date | None, hours: Decimal, joined_on: date | None, today: date
) -> Assessment:
    within = requirement.first_completion_within_months
    if within is None or joined_on is None:
        return Assessment(State.NOT_STARTED, last, hours, None)
    deadline = add_months(joined_on, within)
    return Assessment(State.DUE if today <= deadline else State.OVERDUE, last, hours, deadline)


def counts_for(requirement_id: object, topic: str, completion_requirement_id: object, completion_topic: str) -> bool:
    """A completion counts for a requirement when linked to it, or when both name the same topic (any case)."""
    if completion_requirement_id is not None and completion_requirement_id == requirement_id:
        return True
    return bool(topic.strip()) and topic.strip().casefold() == completion_topic.strip().casefold()
