"""Reads of audience groups and learning pathways, shaped for the pages, the API and the dashboard.

The rules that decide whether a requirement is done, due, overdue or not started are in `rules.py` (and
`docs/audiences.md`); these functions gather the rows they need in a fixed number of queries.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Model, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Lower
from django.utils import timezone

from shared_apps.accounts.models import Membership, User
from shared_apps.agencies.models import AgencyType
from tenant_apps.audiences.models import (
    AudienceGroup,
    ElearningRecord,
    LearnerProfile,
    LearningCompletion,
    PathwayRequirement,
)
from tenant_apps.audiences.rules import STATES, Assessment, Completion, assess, counts_for


def groups_with_requirements() -> QuerySet[AudienceGroup]:
    """Every audience group in order, with its requirements (two queries)."""
    requirements = PathwayRequirement.objects.order_by("order", "title")
    return AudienceGroup.objects.prefetch_related(Prefetch("requirements", queryset=requirements))


MAX_USER_ID = 2**63 - 1


def board_members(board: Model | None) -> QuerySet[User]:
    """Everyone who holds a role in `board`: the people a profile or a completion may name."""
    if board is None:
        return User.objects.none()
    return User.objects.filter(pk__in=Membership.objects.filter(board_id=board.pk).values("user_id"))


def board_member(board: Model | None, user_id: int) -> User | None:
    """The person with this id if they hold a role in `board`, else None."""
    if not 0 < user_id <= MAX_USER_ID:
        return None
    return board_members(board).filter(pk=user_id).first()


def members_by_email(board: Model | None, emails: Iterable[str]) -> dict[str, User]:
    """{email in lower case: person} for those of `emails` (any case) that belong to someone with a role in `board`
    (one query)."""
    wanted = {email.strip().lower() for email in emails if email.strip()}
    if not wanted:
        return {}
    people = board_members(board).annotate(email_key=Lower("email")).filter(email_key__in=wanted)
    return {person.email.lower(): person for person in people}


def profile_of(user: Any) -> LearnerProfile | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return LearnerProfile.objects.select_related("agency", "audience_group").filter(user_id=user.pk).first()


@dataclass(frozen=True)
class RequirementStatus:
    requirement: PathwayRequirement
    assessment: Assessment

    @property
    def state(self) -> str:
        return self.assessment.state


@dataclass
class Pathway:
    today: date
    profile: LearnerProfile | None
    statuses: list[RequirementStatus] = field(default_factory=list)

    @property
    def group(self) -> AudienceGroup | None:
        return self.profile.audience_group if self.profile is not None else None


def _completions_for(user_id: Any, requirements: Iterable[PathwayRequirement]) -> QuerySet[LearningCompletion]:
    """One person's completions that could count for any of `requirements` (linked, or the same topic)."""
    requirements = list(requirements)
    topics = {r.topic.strip().casefold() for r in requirements if r.topic.strip()}
    matches = Q(requirement_id__in=[r.pk for r in requirements])
    if topics:
        matches |= Q(topic_key__in=topics)
    return (
        LearningCompletion.objects.filter(user_id=user_id)
        .annotate(topic_key=Lower("topic"))
        .filter(matches)
        .only("requirement_id", "topic", "completed_on", "hours")
    )


def _assess_all(
    requirements: Iterable[PathwayRequirement],
    completions: Iterable[tuple[Any, str, date, Decimal]],
    joined_on: date | None,
    today: date,
) -> list[RequirementStatus]:
    """Assess each requirement from one person's completions, given as (requirement id, topic, date, hours)."""
    rows = list(completions)
    statuses = []
    for requirement in requirements:
        counted = [
            Completion(completed_on, hours)
            for requirement_id, topic, completed_on, hours in rows
            if counts_for(requirement.pk, requirement.topic, requirement_id, topic)
        ]
        statuses.append(RequirementStatus(requirement, assess(requirement, counted, joined_on, today)))
    return statuses


def pathway_status(user: Any, today: date | None = None) -> Pathway:
    """Where `user` stands against each requirement of their audience group on `today` (three queries).

    For each requirement: the state (`done`, `due`, `overdue` or `not_started`), the last date they completed
    learning that counts for it, the hours counted in the current period (the last N months for a refresher,
    all hours for once-only learning) and the next due date. A requirement is met by completions linked to it
    or with the same topic (ignoring case) whose hours add up to the minimum; the next due date of a refresher
    is N months after the completion that made the hours up, counting back from the latest; it is due within
    90 days of that date and overdue after it. Never met: due until the "first completion within" deadline
    from the joining date, overdue after it, and not started when there is no deadline. The full rules are in
    `tenant_apps/audiences/rules.py` and `docs/audiences.md`.
    """
    today = today or timezone.localdate()
    profile = profile_of(user)
    pathway = Pathway(today=today, profile=profile)
    if profile is None or profile.audience_group is None:
        return pathway
    requirements = list(profile.audience_group.requirements.order_by("order", "title"))
    if not requirements:
        return pathway
    completions = _completions_for(user.pk, requirements).values_list(
        "requirement_id", "topic", "completed_on", "hours"
    )
    pathway.statuses = _assess_all(requirements, completions, profile.joined_on, today)
    return pathway


def completions_of(user: Any) -> QuerySet[LearningCompletion]:
    """A person's ledger, latest first, with the requirement each is linked to."""
    return LearningCompletion.objects.filter(user_id=user.pk).select_related("requirement").order_by("-completed_on")


@dataclass
class RequirementCounts:
    requirement: PathwayRequirement
    counts: Counter[str]

    @property
    def learners(self) -> int:
        return sum(self.counts.values())

    def __getitem__(self, state: str) -> int:
        return self.counts[state]


def pathway_counts(today: date | None = None) -> dict[uuid.UUID, RequirementCounts]:
    """For the dashboard: for each requirement, how many of its group's learners are in each state.

    Three queries whatever the number of learners (requirements; profiles; the ledger, streamed in person
    order), and the same rules as `pathway_status`, so the dashboard and a learner's own page always agree.
    """
    today = today or timezone.localdate()
    requirements = list(PathwayRequirement.objects.select_related("group").order_by("group__order", "order"))
    result = {r.pk: RequirementCounts(r, Counter(dict.fromkeys(STATES, 0))) for r in requirements}
    by_group: dict[Any, list[PathwayRequirement]] = {}
    for requirement in requirements:
        by_group.setdefault(requirement.group_id, []).append(requirement)
    learners = LearnerProfile.objects.filter(audience_group_id__in=list(by_group))
    profiles = {
        user_id: (group_id, joined_on)
        for user_id, group_id, joined_on in learners.values_list("user_id", "audience_group_id", "joined_on")
    }
    if not profiles:
        return result

    def tally(user_id: Any, rows: list[tuple[Any, str, date, Decimal]]) -> None:
        group_id, joined_on = profiles[user_id]
        for status in _assess_all(by_group[group_id], rows, joined_on, today):
            result[status.requirement.pk].counts[status.state] += 1

    seen: set[Any] = set()
    current: Any = None
    rows: list[tuple[Any, str, date, Decimal]] = []
    ledger = (
        LearningCompletion.objects.filter(user_id__in=learners.values("user_id"), completed_on__lte=today)
        .order_by("user_id")
        .values_list("user_id", "requirement_id", "topic", "completed_on", "hours")
        .iterator(chunk_size=5000)
    )
    for user_id, requirement_id, topic, completed_on, hours in ledger:
        if user_id != current:
            if current is not None:
                tally(current, rows)
                seen.add(current)
            current, rows = user_id, []
        rows.append((requirement_id, topic, completed_on, hours))
    if current is not None:
        tally(current, rows)
        seen.add(current)
    for user_id in profiles.keys() - seen:
        tally(user_id, [])
    return result


# --- e-learning ------------------------------------------------------------------------------------------------

NO_AGENCY = "Agency not recorded"


def elearning_records(started_from: date | None = None, started_to: date | None = None) -> QuerySet[ElearningRecord]:
    """E-learning records started within the dates (both included; None: no limit), latest start first, with
    the person."""
    records = ElearningRecord.objects.select_related("user").order_by("-started_on", "module_title", "pk")
    if started_from is not None:
        records = records.filter(started_on__gte=started_from)
    if started_to is not None:
        records = records.filter(started_on__lte=started_to)
    return records


@dataclass(frozen=True)
class ElearningReportRow:
    agency_type: str | None  # None: the person has no learner profile, or no agency in it
    label: str
    completed: int
    started_not_completed: int
    learners: int

    @property
    def started(self) -> int:
        return self.completed + self.started_not_completed


@dataclass(frozen=True)
class ElearningReport:
    started_from: date | None
    started_to: date | None
    rows: list[ElearningReportRow]
    total: ElearningReportRow


def elearning_report(started_from: date | None = None, started_to: date | None = None) -> ElearningReport:
    """Records started within the dates, completed and started-not-completed, by the agency type of each
    person's employer in their learner profile here (one query). `learners` counts different people."""
    profile = LearnerProfile.objects.filter(user_id=OuterRef("user_id")).order_by()  # one per person at most
    agency_type = profile.values("agency__agency_type")[:1]
    counts = (
        elearning_records(started_from, started_to)
        .select_related(None)
        .order_by()
        .annotate(agency_type=Subquery(agency_type))
        .values("agency_type")
        .annotate(
            completed=Count("pk", filter=Q(completed_on__isnull=False)),
            started_not_completed=Count("pk", filter=Q(completed_on__isnull=True)),
            learners=Count("user_id", distinct=True),
        )
    )
    by_type = {row["agency_type"]: row for row in counts}
    labels: dict[str | None, str] = {**dict(AgencyType.choices), None: NO_AGENCY}
    others = sorted(code for code in by_type if code not in labels)  # a type no longer offered: keep its rows
    rows = [
        ElearningReportRow(
            code,
            str(labels.get(code, code)),
            by_type[code]["completed"],
            by_type[code]["started_not_completed"],
            by_type[code]["learners"],
        )
        for code in [*AgencyType.values, *others, None]
        if code in by_type
    ]
    total = ElearningReportRow(
        None,
        "All agencies",
        sum(row.completed for row in rows),
        sum(row.started_not_completed for row in rows),
        sum(row.learners for row in rows),
    )
    return ElearningReport(started_from, started_to, rows, total)
