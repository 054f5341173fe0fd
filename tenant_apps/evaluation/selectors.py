"""Reads of evaluation shaped for the board's summaries, exports, dashboard and API. Figures come from a few
grouped queries (invitations by stage, responses by stage, answers by question and score), never a row per answer,
and are put together in Python: a mean, a distribution and a shift are all read from the counts of each score.

Periods are by the date of the session the answers are about. Anonymous answers carry no person, and nothing here
puts one back: comments of anonymous forms come without a name, and named ones only when the reader may see them.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from shared_apps.agencies.models import AgencyType
from shared_apps.trainers.models import TrainerAssignment
from tenant_apps.boardhome.services import board_settings
from tenant_apps.evaluation.models import (
    SCALE_MAX,
    SCALE_MIN,
    Answer,
    EvaluationForm,
    Invitation,
    Question,
    Response,
    Stage,
)
from tenant_apps.evaluation.services import FORM_OF_STAGE, why_closed
from tenant_apps.offer.models import Course, Session

SCORES = tuple(range(SCALE_MIN, SCALE_MAX + 1))
POSITIVE_SCORES = (4, 5)
# Below this many responses a figure says too little about a course to flag it.
MIN_RESPONSES_TO_FLAG = 3
# Below this many answers in a group, its scores and anonymous comments are not shown: with one or two answers,
# anyone who knows who attended could tell who said what.
MIN_RESPONSES_TO_SHOW = 3
OVERALL_KEY = "overall"
IMPACT_KEY = "impact"
STAGE_ORDER = [Stage.BEFORE, Stage.REACTION, Stage.AFTER, Stage.IMPACT, Stage.SUPERVISOR]
STAGE_NAMES = {
    Stage.BEFORE: "Before the course",
    Stage.REACTION: "Reaction",
    Stage.AFTER: "After the course",
    Stage.IMPACT: "Impact on practice",
    Stage.SUPERVISOR: "Line manager's view",
}
# Stages whose scale questions the pages show one by one (before and after are read as the shift instead).
SCORED_STAGES = [Stage.REACTION, Stage.IMPACT, Stage.SUPERVISOR]
QUALITY_PERIOD = timedelta(days=365)


# --- what is read: the scope ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which answers a page reads: a period of session dates, a course or a session, and for a trainer only the
    sessions they trained (`session_ids`; None for the board's managers, who read every session)."""

    start: date | None = None
    end: date | None = None
    course_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None
    session_ids: frozenset[uuid.UUID] | None = None

    def sessions(self, path: str) -> Q:
        """The condition on the session reached through `path` ("session" or "booking__session")."""
        condition = Q()
        if self.start is not None:
            condition &= Q(**{f"{path}__starts_at__date__gte": self.start})
        if self.end is not None:
            condition &= Q(**{f"{path}__starts_at__date__lte": self.end})
        if self.course_id is not None:
            condition &= Q(**{f"{path}__course_id": self.course_id})
        if self.session_id is not None:
            condition &= Q(**{f"{path}_id": self.session_id})
        if self.session_ids is not None:
            condition &= Q(**{f"{path}_id__in": self.session_ids})
        return condition


def trainer_session_ids(board: Any, user: Any) -> frozenset[uuid.UUID]:
    """The sessions of this board that `user` is booked to train (taken off or declined ones are not theirs)."""
    if not user.is_authenticated:
        return frozenset()
    rows = TrainerAssignment.objects.filter(
        board=board, trainer__user_id=user.pk, status__in=TrainerAssignment.HOLDS_TIME
    ).values_list("session_id", flat=True)
    return frozenset(rows)


def responses_in(scope: Scope) -> QuerySet[Response]:
    return Response.objects.filter(scope.sessions("session"))


def invitations_in(scope: Scope) -> QuerySet[Invitation]:
    return Invitation.objects.filter(scope.sessions("booking__session"))


# --- figures ----------------------------------------------------------------------------------------------------


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass(frozen=True)
class Bar:
    score: int
    count: int
    percent: int


@dataclass(frozen=True)
class ScaleResult:
    """One scale question's answers: how many gave each score from 1 to 5."""

    key: str
    text: str
    counts: tuple[int, ...]

    @property
    def count(self) -> int:
        return sum(self.counts)

    @property
    def total(self) -> int:
        return sum(score * n for score, n in zip(SCORES, self.counts, strict=True))

    @property
    def mean(self) -> float | None:
        return round(self.total / self.count, 2) if self.count else None

    @property
    def bars(self) -> list[Bar]:
        return [Bar(s, n, _percent(n, self.count) or 0) for s, n in zip(SCORES, self.counts, strict=True)]

    @property
    def segments(self) -> list[tuple[int, int, int]]:
        """(score, start, width) of each score's part of a bar 100 units long, for the stacked chart."""
        if not self.count:
            return []
        parts, before = [], 0
        for score, n in zip(SCORES, self.counts, strict=True):
            start = round(100 * before / self.count)
            before += n
            parts.append((score, start, round(100 * before / self.count) - start))
        return parts

    @property
    def distribution(self) -> dict[str, int]:
        return {str(score): n for score, n in zip(SCORES, self.counts, strict=True)}


@dataclass(frozen=True)
class StageRate:
    stage: str
    invited: int
    answered: int

    @property
    def label(self) -> str:
        return STAGE_NAMES[Stage(self.stage)]

    @property
    def percent(self) -> int | None:
        """Answered as a share of the invitations that have opened."""
        return _percent(self.answered, self.invited)


@dataclass(frozen=True)
class Shift:
    """One self-assessment item before and after the course (Kirkpatrick level 2)."""

    key: str
    text: str
    before: ScaleResult
    after: ScaleResult

    @property
    def change(self) -> float | None:
        if self.before.mean is None or self.after.mean is None:
            return None
        return round(self.after.total / self.after.count - self.before.total / self.before.count, 2)


@dataclass(frozen=True)
class ImpactShare:
    """How many impact surveys scored 4 or 5 on "the training has improved how I work"."""

    positive: int
    responses: int

    @property
    def percent(self) -> int | None:
        return _percent(self.positive, self.responses)


@dataclass
class Counts:
    """The raw counts of one group (a course, a session, a trainer, an agency type), which add up."""

    invited: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    answered: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    responses: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    scores: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def add(self, other: Counts) -> None:
        for mine, theirs in ((self.invited, other.invited), (self.answered, other.answered)):
            for stage, n in theirs.items():
                mine[stage] += n
        for stage, n in other.responses.items():
            self.responses[stage] += n
        for key, counts in other.scores.items():
            held = self.scores.setdefault(key, [0] * len(SCORES))
            for index, n in enumerate(counts):
                held[index] += n


@dataclass(frozen=True)
class Wording:
    """What each question key is called (its current wording) and where it comes on its form."""

    text: dict[tuple[str, str], str]
    order: dict[tuple[str, str], int]

    def of(self, stage: str, key: str) -> str:
        return self.text.get((FORM_OF_STAGE[Stage(stage)], key), key)

    def sort_key(self, stage: str, key: str) -> tuple[int, str]:
        return self.order.get((FORM_OF_STAGE[Stage(stage)], key), 1000), key


def wording() -> Wording:
    """One query: every version's questions, the newest version's wording winning."""
    text: dict[tuple[str, str], str] = {}
    order: dict[tuple[str, str], int] = {}
    rows = Question.objects.order_by("form__version", "order").values_list("form__kind", "key", "text", "order")
    for kind, key, words, position in rows:
        text[(kind, key)] = words
        order[(kind, key)] = position
    return Wording(text, order)


@dataclass(frozen=True)
class Summary:
    """Everything the pages, exports and API say about one group's evaluations."""

    key: str
    label: str
    rates: list[StageRate]
    responses: dict[str, int]
    scales: dict[str, list[ScaleResult]]
    shifts: list[Shift]
    impact: ImpactShare
    detail: str = ""
    # Stages answered, but by fewer than MIN_RESPONSES_TO_SHOW people in this group: their figures are withheld.
    withheld: list[str] = field(default_factory=list)

    @property
    def withheld_names(self) -> list[str]:
        return [STAGE_NAMES[Stage(stage)] for stage in self.withheld]

    @property
    def response_count(self) -> int:
        return sum(self.responses.values())

    @property
    def overall(self) -> ScaleResult | None:
        return next((r for r in self.scales.get(Stage.REACTION, []) if r.key == OVERALL_KEY), None)

    @property
    def reaction_rate(self) -> StageRate | None:
        return next((rate for rate in self.rates if rate.stage == Stage.REACTION), None)

    @property
    def scored_stages(self) -> list[tuple[str, list[ScaleResult]]]:
        """(heading, results) for each stage with scale answers, in the order of the course."""
        return [(STAGE_NAMES[Stage(s)], self.scales[s]) for s in SCORED_STAGES if self.scales.get(s)]


def _summary(key: str, label: str, counts: Counts, words: Wording, detail: str = "") -> Summary:
    stages = [s for s in STAGE_ORDER if counts.invited.get(s) or counts.answered.get(s) or counts.responses.get(s)]
    rates = [StageRate(s, counts.invited.get(s, 0), counts.answered.get(s, 0)) for s in stages]
    scales: dict[str, list[ScaleResult]] = {}
    withheld: list[str] = [s for s in STAGE_ORDER if 0 < counts.responses.get(s, 0) < MIN_RESPONSES_TO_SHOW]
    for stage, question_key in sorted(counts.scores, key=lambda sk: words.sort_key(*sk)):
        if stage in withheld:
            continue
        result = ScaleResult(question_key, words.of(stage, question_key), tuple(counts.scores[(stage, question_key)]))
        scales.setdefault(stage, []).append(result)
    before = {r.key: r for r in scales.get(Stage.BEFORE, [])}
    after = {r.key: r for r in scales.get(Stage.AFTER, [])}
    empty = tuple(0 for _ in SCORES)
    shifts = [
        Shift(
            item,
            (before.get(item) or after[item]).text,
            before.get(item) or ScaleResult(item, "", empty),
            after.get(item) or ScaleResult(item, "", empty),
        )
        for item in sorted(before.keys() | after.keys(), key=lambda k: words.sort_key(Stage.AFTER, k))
    ]
    impact_counts = (
        [0] * len(SCORES)
        if Stage.IMPACT in withheld
        else counts.scores.get((Stage.IMPACT, IMPACT_KEY), [0] * len(SCORES))
    )
    positive = sum(n for score, n in zip(SCORES, impact_counts, strict=True) if score in POSITIVE_SCORES)
    impact = ImpactShare(positive, sum(impact_counts))
    return Summary(key, label, rates, dict(counts.responses), scales, shifts, impact, detail, withheld)


# How each grouping is reached from an invitation and from a response.
GROUPINGS = {
    "course": ("booking__session__course_id", "course_id"),
    "session": ("booking__session_id", "session_id"),
    "agency_type": ("booking__agency__agency_type", "agency_type"),
}


def _counts(scope: Scope, grouping: str) -> dict[Any, Counts]:
    """Three grouped queries: invitations by stage, responses by stage, scale answers by question and score."""
    invitation_path, response_path = GROUPINGS[grouping]
    by_group: dict[Any, Counts] = defaultdict(Counts)
    now = timezone.now()
    invited = (
        invitations_in(scope)
        .order_by()
        .values(invitation_path, "stage")
        .annotate(
            invited=Count("pk", filter=Q(opens_at__lte=now)),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
        )
    )
    for row in invited:
        group = by_group[row[invitation_path] or ""]
        group.invited[row["stage"]] += row["invited"]
        group.answered[row["stage"]] += row["answered"]
    responses = responses_in(scope).order_by().values(response_path, "stage").annotate(n=Count("pk"))
    for row in responses:
        by_group[row[response_path] or ""].responses[row["stage"]] += row["n"]
    answers = (
        Answer.objects.filter(scope.sessions("response__session"), score__isnull=False)
        .order_by()
        .values(f"response__{response_path}", "response__stage", "question__key", "score")
        .annotate(n=Count("pk"))
    )
    for row in answers:
        group = by_group[row[f"response__{response_path}"] or ""]
        held = group.scores.setdefault((row["response__stage"], row["question__key"]), [0] * len(SCORES))
        held[row["score"] - SCALE_MIN] += row["n"]
    return by_group


def session_day(session: Session) -> date | None:
    return timezone.localdate(session.starts_at) if session.starts_at else None


def _session_label(session: Session) -> str:
    day = session_day(session)
    return f"{day:%-d %B %Y}" if day else "No date set"


def course_summaries(scope: Scope) -> list[Summary]:
    """One summary per course with answers or invitations in scope, by title."""
    by_course = _counts(scope, "course")
    words = wording()
    courses = Course.objects.filter(pk__in=[pk for pk in by_course if pk]).order_by("title").only("pk", "title")
    return [_summary(str(course.pk), course.title, by_course[course.pk], words) for course in courses]


def session_summaries(scope: Scope) -> list[Summary]:
    """One summary per session in scope, by date."""
    by_session = _counts(scope, "session")
    words = wording()
    sessions = (
        Session.objects.filter(pk__in=[pk for pk in by_session if pk])
        .select_related("course")
        .order_by("starts_at", "pk")
    )
    return [_summary(str(s.pk), s.course.title, by_session[s.pk], words, detail=_session_label(s)) for s in sessions]


def agency_type_summaries(scope: Scope) -> list[Summary]:
    """One summary per type of agency the people came from ("Not given" for people booked with no agency)."""
    by_type = _counts(scope, "agency_type")
    words = wording()
    names = dict(AgencyType.choices)
    order = {value: index for index, value in enumerate(AgencyType.values)}
    return [
        _summary(kind or "none", names.get(kind, "Not given") if kind else "Not given", by_type[kind], words)
        for kind in sorted(by_type, key=lambda k: order.get(k, len(order)))
    ]


def trainer_summaries(board: Any, scope: Scope, *, only_user: Any = None) -> list[Summary]:
    """One summary per trainer, adding up the sessions they trained (a session with two trainers counts for
    both). `only_user` keeps one trainer's own row. Four queries whatever the number of trainers."""
    assignments = TrainerAssignment.objects.filter(board=board, status__in=TrainerAssignment.HOLDS_TIME)
    if only_user is not None:
        assignments = assignments.filter(trainer__user_id=only_user.pk)
    sessions_of: dict[int, set[uuid.UUID]] = defaultdict(set)
    names: dict[int, str] = {}
    for trainer_id, session_id, name, email in assignments.values_list(
        "trainer_id", "session_id", "trainer__user__full_name", "trainer__user__email"
    ):
        sessions_of[trainer_id].add(session_id)
        names[trainer_id] = name or email
    by_session = _counts(scope, "session")
    words = wording()
    summaries = []
    for trainer_id in sorted(names, key=lambda pk: names[pk].lower()):
        total = Counts()
        for session_id in sessions_of[trainer_id]:
            if session_id in by_session:
                total.add(by_session[session_id])
        count = len([s for s in sessions_of[trainer_id] if s in by_session])
        detail = f"{count} session{'' if count == 1 else 's'} with evaluations"
        summaries.append(_summary(str(trainer_id), names[trainer_id], total, words, detail=detail))
    return summaries


def summaries(scope: Scope, grouping: str, *, board: Any = None, only_user: Any = None) -> list[Summary]:
    if grouping == "trainer":
        return trainer_summaries(board, scope, only_user=only_user)
    read = {"course": course_summaries, "session": session_summaries, "agency_type": agency_type_summaries}
    return read[grouping](scope)


def total_summary(scope: Scope, label: str) -> Summary:
    """Everything in scope as one summary (a course's or a session's page)."""
    total = Counts()
    for counts in _counts(scope, "course").values():
        total.add(counts)
    return _summary("all", label, total, wording())


# --- comments ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comment:
    course: str
    session_day: date | None
    stage: str
    question: str
    text: str
    # Only for a named form, and only for readers who may see who said what; empty otherwise.
    person: str = ""

    @property
    def stage_label(self) -> str:
        return STAGE_NAMES[Stage(self.stage)]


def comments(scope: Scope, *, with_names: bool) -> list[Comment]:
    """Free-text answers in scope. Anonymous forms' answers never name anyone; answers to named forms come
    only `with_names` (the board's managers), and then with the person's name. In an order that follows no
    person and no time of answering (course, session, then the response's random id). Anonymous answers from a
    session and stage with fewer than MIN_RESPONSES_TO_SHOW answers are left out. Two queries."""
    words = wording()
    rows = Answer.objects.filter(scope.sessions("response__session"), question__kind=Question.Kind.TEXT).exclude(
        text=""
    )
    if not with_names:
        rows = rows.filter(response__respondent__isnull=True)
    # Anonymous answers from a session and stage that fewer than MIN_RESPONSES_TO_SHOW people answered stay out.
    small = (
        Response.objects.filter(scope.sessions("session"), respondent__isnull=True)
        .values("session_id", "stage")
        .annotate(people=Count("pk"))
        .filter(people__lt=MIN_RESPONSES_TO_SHOW)
    )
    for group in small:
        rows = rows.exclude(
            response__respondent__isnull=True,
            response__session_id=group["session_id"],
            response__stage=group["stage"],
        )
    fields = ["response__course__title", "response__session__starts_at", "response__stage", "question__key", "text"]
    if with_names:
        fields += ["response__respondent__full_name", "response__respondent__email"]
    ordered = rows.order_by(
        "response__course__title", "response__session__starts_at", "response__stage", "response_id", "question__order"
    )
    found = []
    for row in ordered.values(*fields):
        person = ""
        if with_names:
            person = row["response__respondent__full_name"] or row["response__respondent__email"] or ""
        starts = row["response__session__starts_at"]
        found.append(
            Comment(
                course=row["response__course__title"],
                session_day=timezone.localdate(starts) if starts else None,
                stage=row["response__stage"],
                question=words.of(row["response__stage"], row["question__key"]),
                text=row["text"],
                person=person,
            )
        )
    return found


# --- quality flags ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagReason:
    measure: str
    figure: str
    threshold: str
    responses: int


@dataclass(frozen=True)
class Flag:
    course_id: str
    course: str
    reasons: list[FlagReason]


@dataclass(frozen=True)
class QualityReport:
    start: date
    end: date
    min_overall: Decimal
    min_impact_share: int
    flags: list[Flag]
    # Courses with some answers but too few on a measure to judge it.
    too_few: list[str]
    min_responses: int = MIN_RESPONSES_TO_FLAG


def quality_flags(today: date | None = None, *, period: timedelta = QUALITY_PERIOD) -> QualityReport:
    """Courses below the board's thresholds over the last year of sessions: a mean overall rating under
    `quality_min_overall`, or a share of positive impact under `quality_min_impact_share` per cent. A measure
    counts only with at least MIN_RESPONSES_TO_FLAG answers."""
    today = today or timezone.localdate()
    settings = board_settings()
    min_overall = Decimal(settings.quality_min_overall)
    min_share = settings.quality_min_impact_share
    flags: list[Flag] = []
    too_few: list[str] = []
    for summary in course_summaries(Scope(start=today - period, end=today)):
        reasons: list[FlagReason] = []
        short = False
        overall = summary.overall
        if overall is not None and overall.count:
            if overall.count < MIN_RESPONSES_TO_FLAG:
                short = True
            elif Decimal(overall.total) < min_overall * overall.count:
                reasons.append(
                    FlagReason(
                        "Mean overall rating", f"{overall.mean:.2f} out of 5", f"{min_overall:.2f}", overall.count
                    )
                )
        impact = summary.impact
        if impact.responses:
            if impact.responses < MIN_RESPONSES_TO_FLAG:
                short = True
            elif impact.positive * 100 < min_share * impact.responses:
                reasons.append(
                    FlagReason(
                        "Positive impact on practice",
                        f"{impact.percent}% ({impact.positive} of {impact.responses})",
                        f"{min_share}%",
                        impact.responses,
                    )
                )
        if reasons:
            flags.append(Flag(summary.key, summary.label, reasons))
        elif short:
            too_few.append(summary.label)
    return QualityReport(today - period, today, min_overall, min_share, flags, too_few)


# --- forms, responses and a person's own evaluations ------------------------------------------------------------


def forms() -> QuerySet[EvaluationForm]:
    """Every version of every form, current ones first, with their questions and whether anyone has answered."""
    return (
        EvaluationForm.objects.prefetch_related("questions")
        .annotate(response_count=Count("responses", distinct=True))
        .order_by("kind", "-version")
    )


def form_in_use(form: EvaluationForm) -> bool:
    """Whether a change makes a new version (the service's rule: answers, or invitations that will take them)."""
    return Response.objects.filter(form=form).exists() or Invitation.objects.filter(form=form).exists()


_ANSWERS_IN_ORDER = Prefetch("answers", queryset=Answer.objects.select_related("question").order_by("question__order"))


def responses(scope: Scope, *, stage: str = "", form_id: uuid.UUID | None = None) -> QuerySet[Response]:
    """Responses with their answers and what they are about, for the API (two queries a page)."""
    rows = responses_in(scope).select_related("form", "course", "session", "respondent")
    if stage:
        rows = rows.filter(stage=stage)
    if form_id is not None:
        rows = rows.filter(form_id=form_id)
    return rows.prefetch_related(_ANSWERS_IN_ORDER).order_by("-submitted_on", "pk")


def my_pending_invitations(user: Any) -> list[Invitation]:
    """The person's own invitations that can be answered now (their line manager's survey is the manager's)."""
    now = timezone.now()
    rows = (
        Invitation.objects.filter(booking__user_id=user.pk, answered_at__isnull=True, opens_at__lte=now)
        .exclude(stage=Stage.SUPERVISOR)
        .select_related("booking__session__course", "form")
        .order_by("closes_at")
    )
    return [invitation for invitation in rows if not why_closed(invitation, now=now)]


def my_named_responses(user: Any) -> QuerySet[Response]:
    """The person's own answers to named forms (anonymous answers are kept with no name, so nobody can list them)."""
    return (
        Response.objects.filter(respondent_id=user.pk)
        .select_related("form", "course", "session")
        .prefetch_related(_ANSWERS_IN_ORDER)
        .order_by("-submitted_on", "pk")
    )
