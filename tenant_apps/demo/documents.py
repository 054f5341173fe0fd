"""The shape of what a board's strategy document gives the demo: the strategy with its numbered content,
document control and action plans, the audience groups it names and the case-review themes of its appendix.

The documents themselves are in `seed_berkshire_west`, `seed_leeds` and `seed_croydon`; `services.seed_demo`
loads them through each app's services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tenant_apps.learning_sources.models import LearningActivity, LearningSource


@dataclass(frozen=True)
class ItemData:
    """One aim, objective, principle, standard or role. `title` only where the document gives a heading."""

    body: str
    title: str = ""


@dataclass(frozen=True)
class SignOffData:
    role: str
    name: str
    signed_on: date | None = None
    version_label: str = ""


@dataclass(frozen=True)
class PlanRowData:
    """One row of an action plan, cell by cell; several actions in one cell are one line each."""

    number: int
    priority: str
    action_needed: str
    responsible: str
    target: str  # as written; it must read with tenant_apps.strategy.rules.parse_target
    expected_impact: str


@dataclass(frozen=True)
class PlanData:
    title: str
    period_label: str
    rows: tuple[PlanRowData, ...]


@dataclass(frozen=True)
class AudienceGroupData:
    code: str
    name: str
    description: str  # the document's words for who belongs
    example_roles: str = ""  # only roles the document itself names, one per line


@dataclass(frozen=True)
class SourceData:
    """A case review named in the evidence column, by the anonymised name it is known by."""

    reference: str
    kind: str = LearningSource.Kind.SERIOUS_CASE_REVIEW


@dataclass(frozen=True)
class ActivityData:
    title: str
    kind: str = LearningActivity.Kind.COURSE


@dataclass(frozen=True)
class ThemeData:
    """A row of a "themes linked to L&D activity" table: the sources that raised it, the activity answering it."""

    title: str
    evidence: tuple[str, ...]  # SourceData references
    activities: tuple[str, ...]  # ActivityData titles


@dataclass(frozen=True)
class StrategyData:
    """A board's strategy document: the strategy and what else it sets out."""

    board: str  # a BoardData slug
    title: str
    period_start: date
    period_end: date
    adopted_on: date
    review_cycle_months: int
    headline: str
    introduction: str
    version_label: str = ""
    aims: tuple[ItemData, ...] = ()
    objectives: tuple[ItemData, ...] = ()
    principles: tuple[ItemData, ...] = ()
    standards: tuple[ItemData, ...] = ()
    responsibilities: tuple[ItemData, ...] = ()
    sign_offs: tuple[SignOffData, ...] = ()
    plans: tuple[PlanData, ...] = ()
    audience_groups: tuple[AudienceGroupData, ...] = ()
    sources: tuple[SourceData, ...] = ()
    activities: tuple[ActivityData, ...] = ()
    themes: tuple[ThemeData, ...] = ()

    @property
    def content(self) -> dict[str, tuple[ItemData, ...]]:
        """The numbered content by `StrategyItem.Section` value, in the document's order."""
        return {
            "aim": self.aims,
            "objective": self.objectives,
            "principle": self.principles,
            "standard": self.standards,
            "responsibility": self.responsibilities,
        }
