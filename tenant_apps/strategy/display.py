"""How the strategy's states look, the same on the pages, the dashboard and the PDF: a word for every colour."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from tenant_apps.strategy.models import ActionPlan, Kpi, PlanItem, Strategy
from tenant_apps.strategy.rules import effective_rag, is_overdue


@dataclass(frozen=True)
class Shown:
    """A state as a GOV.UK tag (word and class) and, for the PDF and charts, a fill colour and a text colour."""

    key: str
    label: str
    tag_class: str
    colour: str
    text_colour: str


RAGS: dict[str, Shown] = {
    "red": Shown("red", "Red", "govuk-tag--red", "#d4351c", "#ffffff"),
    "amber": Shown("amber", "Amber", "govuk-tag--yellow", "#f47738", "#0b0c0c"),
    "green": Shown("green", "Green", "govuk-tag--green", "#00703c", "#ffffff"),
    "complete": Shown("complete", "Complete", "govuk-tag--blue", "#1d70b8", "#ffffff"),
    "": Shown("not_rated", "Not rated", "govuk-tag--grey", "#b1b4b6", "#0b0c0c"),
}
RAGS["not_rated"] = RAGS[""]
# The order the dashboard counts them in.
RAG_ORDER = ("red", "amber", "green", "complete", "not_rated")
OVERDUE = Shown("overdue", "Overdue", "govuk-tag--red", "#d4351c", "#ffffff")

STRATEGY_STATUSES: dict[str, Shown] = {
    Strategy.Status.DRAFT: Shown("draft", "Draft", "govuk-tag--light-blue", "#d2e2f1", "#0b0c0c"),
    Strategy.Status.ADOPTED: Shown("adopted", "Adopted", "govuk-tag--green", "#00703c", "#ffffff"),
    Strategy.Status.SUPERSEDED: Shown("superseded", "Superseded", "govuk-tag--grey", "#b1b4b6", "#0b0c0c"),
}

KPI_MET = {
    True: Shown("met", "Met", "govuk-tag--green", "#00703c", "#ffffff"),
    False: Shown("not_met", "Not met", "govuk-tag--red", "#d4351c", "#ffffff"),
    None: Shown("no_figure", "No figure yet", "govuk-tag--grey", "#b1b4b6", "#0b0c0c"),
}


def rag(key: str) -> Shown:
    return RAGS[key]


def strategy_status(strategy: Strategy) -> Shown:
    return STRATEGY_STATUSES[strategy.status]


def kpi_met(kpi: Kpi) -> Shown:
    return KPI_MET[kpi.met]


@dataclass(frozen=True)
class Row:
    """A plan row as shown: its effective RAG and whether it is overdue, on a given day."""

    item: PlanItem
    rag: Shown
    overdue: bool


def rows(items: Iterable[PlanItem], today: date) -> list[Row]:
    return [Row(item, rag(effective_rag(item, today)), is_overdue(item, today)) for item in items]


@dataclass(frozen=True)
class Appendix:
    """An action plan as an appendix of the document (Croydon's appendices B and C): lettered A, B, ..."""

    letter: str
    plan: ActionPlan
    rows: list[Row]

    @property
    def heading(self) -> str:
        period = self.plan.period_label
        period = f" {period}" if period and period not in self.plan.title else ""
        return f"Appendix {self.letter}: {self.plan.title}{period}"


def appendices(strategy: Strategy, today: date) -> list[Appendix]:
    """The strategy's plans (prefetched with their rows by `selectors.strategy_document`) as lettered appendices."""
    return [
        Appendix(_letter(index), plan, rows(plan.items.all(), today)) for index, plan in enumerate(strategy.plans.all())
    ]


def _letter(index: int) -> str:
    letters = string.ascii_uppercase
    return letters[index] if index < len(letters) else f"{letters[index // 26 - 1]}{letters[index % 26]}"


def paragraphs(text: str) -> list[str]:
    """Text as typed, split into paragraphs at blank lines."""
    return [part.strip() for part in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if part.strip()]
