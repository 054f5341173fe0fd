"""Reads of needs audits shaped for pages and the API: the lists, one audit with its design and invitations, the
responses, and the summary of met and unmet need (one query per aggregate; suppressed when published)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Prefetch, Q, QuerySet, Sum

from shared_apps.agencies.models import Agency, AgencyType
from tenant_apps.needs_audits.models import (
    AuditAnswer,
    AuditInvitation,
    AuditQuestion,
    AuditResponse,
    AuditTopic,
    NeedsAudit,
)
from tenant_apps.needs_audits.rules import NEED_MET_LABELS, SCALE_LABELS, SCALE_VALUES, SUPPRESS_BELOW, share

SCALE_KINDS = (AuditQuestion.Kind.NEED_MET, AuditQuestion.Kind.SCALE)
AGENCY_TYPE_LABELS = dict(AgencyType.choices)


def audits_with_counts() -> QuerySet[NeedsAudit]:
    """Every audit, with how many topics, agencies invited and responses each has."""
    return NeedsAudit.objects.annotate(
        topic_count=Count("topics", distinct=True),
        invited_count=Count("invitations", distinct=True),
        response_count=Count("responses", distinct=True),
    ).order_by("-opens_on", "title")


def published_audits() -> QuerySet[NeedsAudit]:
    return NeedsAudit.objects.filter(summary_published=True).order_by("-summary_published_at")


def audit_design(audit_id: uuid.UUID | str) -> NeedsAudit | None:
    """One audit with its topics and their questions, in order (three queries)."""
    questions = AuditQuestion.objects.order_by("order")
    topics = AuditTopic.objects.order_by("order", "title").prefetch_related(Prefetch("questions", queryset=questions))
    return NeedsAudit.objects.prefetch_related(Prefetch("topics", queryset=topics)).filter(pk=audit_id).first()


def invitations() -> QuerySet[AuditInvitation]:
    """Agencies invited, each with how many responses it has sent."""
    return (
        AuditInvitation.objects.select_related("agency")
        .annotate(response_count=Count("responses"))
        .order_by("audit", "agency__agency_type", "agency__name")
    )


def invitations_for(audit: NeedsAudit) -> QuerySet[AuditInvitation]:
    return invitations().filter(audit=audit)


def responses() -> QuerySet[AuditResponse]:
    """Responses with their agency and answers (answers in the order of the form)."""
    answers = AuditAnswer.objects.select_related("question__topic").order_by(
        "question__topic__order", "question__order"
    )
    return (
        AuditResponse.objects.select_related("agency")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("-submitted_at")
    )


def responses_for(audit: NeedsAudit) -> QuerySet[AuditResponse]:
    return responses().filter(audit=audit)


@dataclass
class AgencyGroup:
    agency_type: str
    label: str
    agencies: list[tuple[Agency, bool]]  # (agency, already invited)


def agencies_to_invite(audit: NeedsAudit) -> list[AgencyGroup]:
    """Active agencies grouped by type, each marked if it has been invited already (two queries)."""
    invited = set(AuditInvitation.objects.filter(audit=audit).values_list("agency_id", flat=True))
    groups: dict[str, list[tuple[Agency, bool]]] = defaultdict(list)
    for agency in Agency.objects.filter(is_active=True).order_by("name"):
        groups[agency.agency_type].append((agency, agency.pk in invited))
    return [AgencyGroup(value, label, groups[value]) for value, label in AgencyType.choices if value in groups]


# --- the summary -----------------------------------------------------------------------------------------------


@dataclass
class NeedCell:
    """Met, partly met and unmet need among ratings on the "how well is this need met" question."""

    responses: int = 0
    ratings: int = 0
    met: int = 0
    partly: int = 0
    unmet: int = 0
    mean: float | None = None
    suppressed: bool = False

    @property
    def met_share(self) -> int | None:
        return share(self.met, self.ratings)

    @property
    def partly_share(self) -> int | None:
        return share(self.partly, self.ratings)

    @property
    def unmet_share(self) -> int | None:
        return share(self.unmet, self.ratings)

    def as_dict(self) -> dict[str, Any]:
        if self.suppressed:
            return {"suppressed": True, "responses": None}
        return {
            "suppressed": False,
            "responses": self.responses,
            "ratings": self.ratings,
            "met": self.met,
            "partly_met": self.partly,
            "unmet": self.unmet,
            "met_share": self.met_share,
            "partly_met_share": self.partly_share,
            "unmet_share": self.unmet_share,
            "mean_score": self.mean,
        }


@dataclass
class TopicRow:
    topic: AuditTopic
    overall: NeedCell
    by_type: dict[str, NeedCell]

    @property
    def type_rows(self) -> list[tuple[str, NeedCell]]:
        return [(AGENCY_TYPE_LABELS.get(value, value), cell) for value, cell in self.by_type.items()]


@dataclass
class RateRow:
    agency_type: str
    invited: int
    answered: int
    responses: int
    suppressed: bool = False

    @property
    def label(self) -> str:
        return AGENCY_TYPE_LABELS.get(self.agency_type, self.agency_type)

    @property
    def rate(self) -> int | None:
        return share(self.answered, self.invited)


@dataclass
class ScaleBar:
    value: int
    label: str
    count: int
    share: int | None


@dataclass
class QuestionResult:
    question: AuditQuestion
    answered: int = 0
    scale: list[ScaleBar] = field(default_factory=list)
    yes: int = 0
    no: int = 0
    total: Decimal | None = None
    mean: float | None = None
    texts: list[str] = field(default_factory=list)
    suppressed: bool = False

    @property
    def yes_share(self) -> int | None:
        return share(self.yes, self.answered)

    @property
    def no_share(self) -> int | None:
        return share(self.no, self.answered)


@dataclass
class AuditSummary:
    audit: NeedsAudit
    published: bool
    invited: int
    agencies_answered: int
    responses: int
    staff_represented: int
    topics: list[TopicRow]
    agency_types: list[tuple[str, str]]
    by_type: dict[str, NeedCell]
    all_topics: NeedCell
    rates: list[RateRow]
    questions: list[tuple[AuditTopic, list[QuestionResult]]]

    @property
    def response_rate(self) -> int | None:
        return share(self.agencies_answered, self.invited)

    @property
    def type_rows(self) -> list[tuple[str, NeedCell]]:
        return [(label, self.by_type[value]) for value, label in self.agency_types]


def _mean(value: Any) -> float | None:
    return None if value is None else round(float(value), 1)


def _need_cells(answers: QuerySet[AuditAnswer], *group_by: str) -> list[dict[str, Any]]:
    """One query: the counts for each group (or for all the answers, with no group)."""
    figures = {
        "responses": Count("response", distinct=True),
        "ratings": Count("id"),
        "met": Count("id", filter=Q(scale__gte=4)),
        "partly": Count("id", filter=Q(scale=3)),
        "unmet": Count("id", filter=Q(scale__lte=2)),
        "mean": Avg("scale"),
    }
    if not group_by:
        return [answers.aggregate(**figures)]
    return list(answers.values(*group_by).annotate(**figures))


def _cell(row: dict[str, Any] | None) -> NeedCell:
    if row is None:
        return NeedCell()
    return NeedCell(
        responses=row["responses"],
        ratings=row["ratings"],
        met=row["met"],
        partly=row["partly"],
        unmet=row["unmet"],
        mean=_mean(row["mean"]),
    )


def audit_summary(audit: NeedsAudit, *, published: bool = False) -> AuditSummary:
    """Met and unmet need per topic and per agency type, the response rate per agency type, and each question's
    results. `published=True` hides every figure drawn from fewer than 3 responses (and names no one)."""
    topics = list(
        AuditTopic.objects.filter(audit=audit)
        .order_by("order", "title")
        .prefetch_related(Prefetch("questions", queryset=AuditQuestion.objects.order_by("order")))
    )
    ratings = AuditAnswer.objects.filter(
        response__audit=audit, question__kind=AuditQuestion.Kind.NEED_MET, scale__isnull=False
    )
    per_topic = {row["question__topic_id"]: row for row in _need_cells(ratings, "question__topic_id")}
    per_topic_type = {
        (row["question__topic_id"], row["response__agency__agency_type"]): row
        for row in _need_cells(ratings, "question__topic_id", "response__agency__agency_type")
    }
    per_type = {
        row["response__agency__agency_type"]: row for row in _need_cells(ratings, "response__agency__agency_type")
    }
    everything = _need_cells(ratings)
    rate_rows = (
        AuditInvitation.objects.filter(audit=audit)
        .values("agency__agency_type")
        .annotate(
            invited=Count("id", distinct=True),
            answered=Count("id", distinct=True, filter=Q(responses__isnull=False)),
            response_total=Count("responses"),
        )
    )
    rates = sorted(
        (
            RateRow(row["agency__agency_type"], row["invited"], row["answered"], row["response_total"])
            for row in rate_rows
        ),
        key=lambda rate: rate.label,
    )
    totals = AuditResponse.objects.filter(audit=audit).aggregate(
        responses=Count("id"), staff=Sum("staff_represented"), agencies=Count("invitation", distinct=True)
    )
    types_seen = {rate.agency_type for rate in rates} | set(per_type)
    agency_types = [(value, label) for value, label in AgencyType.choices if value in types_seen]

    summary = AuditSummary(
        audit=audit,
        published=published,
        invited=sum(rate.invited for rate in rates),
        agencies_answered=totals["agencies"],
        responses=totals["responses"],
        staff_represented=totals["staff"] or 0,
        topics=[
            TopicRow(
                topic=topic,
                overall=_cell(per_topic.get(topic.pk)),
                by_type={value: _cell(per_topic_type.get((topic.pk, value))) for value, _ in agency_types},
            )
            for topic in topics
        ],
        agency_types=agency_types,
        by_type={value: _cell(per_type.get(value)) for value, _ in agency_types},
        all_topics=_cell(everything[0]),
        rates=rates,
        questions=[(topic, [QuestionResult(question=q) for q in topic.questions.all()]) for topic in topics],
    )
    _question_results(audit, summary)
    if published:
        _suppress(summary)
    return summary


def _question_results(audit: NeedsAudit, summary: AuditSummary) -> None:
    results = {result.question.pk: result for _, rows in summary.questions for result in rows}
    answers = AuditAnswer.objects.filter(response__audit=audit)
    counts = (
        answers.filter(question__kind__in=[*SCALE_KINDS, AuditQuestion.Kind.YES_NO])
        .values("question_id", "scale", "yes_no")
        .annotate(n=Count("id"))
    )
    scale_counts: dict[Any, dict[int, int]] = defaultdict(dict)
    for row in counts:
        result = results[row["question_id"]]
        result.answered += row["n"]
        if row["scale"] is not None:
            scale_counts[row["question_id"]][row["scale"]] = row["n"]
        elif row["yes_no"] is True:
            result.yes += row["n"]
        elif row["yes_no"] is False:
            result.no += row["n"]
    for result in results.values():
        if result.question.is_scale:
            labels = NEED_MET_LABELS if result.question.kind == AuditQuestion.Kind.NEED_MET else SCALE_LABELS
            found = scale_counts.get(result.question.pk, {})
            result.scale = [
                ScaleBar(value, labels[value], found.get(value, 0), share(found.get(value, 0), result.answered))
                for value in SCALE_VALUES
            ]
    numbers = (
        answers.filter(question__kind=AuditQuestion.Kind.NUMBER, number__isnull=False)
        .values("question_id")
        .annotate(n=Count("id"), total=Sum("number"), mean=Avg("number"))
    )
    for figures in numbers:
        result = results[figures["question_id"]]
        result.answered, result.total, result.mean = figures["n"], figures["total"], _mean(figures["mean"])
    texts = (
        answers.filter(question__kind=AuditQuestion.Kind.TEXT)
        .exclude(text="")
        .order_by("response__submitted_at", "id")
        .values_list("question_id", "text")
    )
    for question_id, text in texts:
        results[question_id].texts.append(text)
        results[question_id].answered += 1


def _suppress(summary: AuditSummary) -> None:
    """Hide every figure drawn from fewer than SUPPRESS_BELOW responses."""

    def hide(cell: NeedCell) -> None:
        if cell.responses < SUPPRESS_BELOW:
            cell.suppressed = True
            cell.met = cell.partly = cell.unmet = cell.ratings = cell.responses = 0
            cell.mean = None

    for row in summary.topics:
        hide(row.overall)
        for cell in row.by_type.values():
            hide(cell)
    for cell in [*summary.by_type.values(), summary.all_topics]:
        hide(cell)
    for rate in summary.rates:
        if rate.responses < SUPPRESS_BELOW:
            rate.suppressed = True
            rate.answered = rate.responses = 0
    for _, results in summary.questions:
        for result in results:
            if result.answered < SUPPRESS_BELOW:
                result.suppressed = True
                result.answered = result.yes = result.no = 0
                result.scale, result.texts, result.total, result.mean = [], [], None, None


def summary_as_dict(summary: AuditSummary) -> dict[str, Any]:
    """The summary as plain data, for the API."""
    return {
        "audit": str(summary.audit.pk),
        "title": summary.audit.title,
        "published": summary.published,
        "invited": summary.invited,
        "agencies_answered": summary.agencies_answered,
        "responses": summary.responses,
        "response_rate": summary.response_rate,
        "staff_represented": summary.staff_represented,
        "all_topics": summary.all_topics.as_dict(),
        "topics": [
            {
                "topic": str(row.topic.pk),
                "title": row.topic.title,
                "overall": row.overall.as_dict(),
                "by_agency_type": {value: cell.as_dict() for value, cell in row.by_type.items()},
            }
            for row in summary.topics
        ],
        "by_agency_type": [
            {"agency_type": value, "label": label, **summary.by_type[value].as_dict()}
            for value, label in summary.agency_types
        ],
        "response_rates": [
            {
                "agency_type": rate.agency_type,
                "label": rate.label,
                "invited": rate.invited,
                "suppressed": rate.suppressed,
                "agencies_answered": None if rate.suppressed else rate.answered,
                "responses": None if rate.suppressed else rate.responses,
                "response_rate": None if rate.suppressed else rate.rate,
            }
            for rate in summary.rates
        ],
        "questions": [
            {
                "question": str(result.question.pk),
                "topic": str(topic.pk),
                "text": result.question.text,
                "kind": result.question.kind,
                "suppressed": result.suppressed,
                "answered": None if result.suppressed else result.answered,
                "distribution": [{"value": bar.value, "label": bar.label, "count": bar.count} for bar in result.scale],
                "yes": result.yes if result.question.kind == AuditQuestion.Kind.YES_NO else None,
                "no": result.no if result.question.kind == AuditQuestion.Kind.YES_NO else None,
                "total": None if result.total is None else str(result.total),
                "mean": result.mean,
                "texts": result.texts,
            }
            for topic, results in summary.questions
            for result in results
        ],
    }


@dataclass(frozen=True)
class OpenNeed:
    """A topic of the board's latest sent audit where agencies say the learning need is not met."""

    audit: str
    topic: str
    unmet: int
    ratings: int

    @property
    def unmet_share(self) -> int | None:
        return share(self.unmet, self.ratings)

    def __str__(self) -> str:
        return f"{self.topic}: unmet for {self.unmet} of {self.ratings} answers ({self.unmet_share}%), {self.audit}"


def open_needs(limit: int = 10) -> list[OpenNeed]:
    """Topics with unmet need in the most recent audit that was sent, most unmet first (two queries)."""
    latest = NeedsAudit.objects.exclude(status=NeedsAudit.Status.DRAFT).order_by("-opens_on", "-created_at").first()
    if latest is None:
        return []
    rows = _need_cells(
        AuditAnswer.objects.filter(
            response__audit=latest, question__kind=AuditQuestion.Kind.NEED_MET, scale__isnull=False
        ),
        "question__topic__title",
    )
    needs = [
        OpenNeed(latest.title, row["question__topic__title"], row["unmet"], row["ratings"])
        for row in rows
        if row["unmet"]
    ]
    return sorted(needs, key=lambda need: (-(need.unmet_share or 0), need.topic))[:limit]
