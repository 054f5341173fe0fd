"""The board's evaluation pages: summaries by course, session, trainer and agency type (with CSV and Excel
downloads of the figures and of the comments), the forms and their versions, and a person's own evaluations.
Thin: access from the rule table, reads from the selectors, every write through a service.

Trainers read the summaries of the sessions they trained and nothing else; a named form's comments, with the
person's name, are for the board's managers only; anonymous answers never come with a name."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from shared_apps.accounts.permissions import can, request_board
from shared_apps.web.downloads import table_download
from shared_apps.web.pages import apply_errors, requires
from tenant_apps.evaluation import selectors, services
from tenant_apps.evaluation.emails import answer_path
from tenant_apps.evaluation.forms import FormEditForm, PeriodForm
from tenant_apps.evaluation.models import EvaluationForm, Stage
from tenant_apps.offer.models import Course, Session

READ = "evaluation.read"
MANAGE = "evaluation.manage"
OWN = "booking.book"

SECTIONS = [
    ("courses", "evaluation:overview", "By course"),
    ("trainers", "evaluation:trainers", "By trainer"),
    ("agency_types", "evaluation:agency-types", "By agency type"),
]
FORMS_SECTION = ("forms", "evaluation:forms", "Forms")
GROUPING_NAMES = {"course": "Course", "session": "Session", "trainer": "Trainer", "agency_type": "Agency type"}


def _manages(request: HttpRequest) -> bool:
    return can(request.user, MANAGE, request_board(request))


def _scope(request: HttpRequest, form: PeriodForm | None = None, **narrower: Any) -> selectors.Scope:
    """What this reader may read: the board's managers every session, a trainer only the sessions they trained."""
    start, end = form.period() if form is not None else (None, None)
    own = None if _manages(request) else selectors.trainer_session_ids(request_board(request), request.user)
    return selectors.Scope(start=start, end=end, session_ids=own, **narrower)


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    manages = _manages(request)
    shared = {"evaluation_sections": [*SECTIONS, FORMS_SECTION] if manages else SECTIONS, "manages": manages}
    return render(request, template, {**shared, **context}, status=status)


def _period(request: HttpRequest) -> tuple[PeriodForm, dict[str, str]]:
    """The period asked for, and the same as an address's query (for links that keep it)."""
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    return form, {name: day.isoformat() for name, day in (("from", start), ("to", end)) if day is not None}


# --- summaries --------------------------------------------------------------------------------------------------


def _grouped_page(request: HttpRequest, grouping: str, section: str, heading: str) -> HttpResponse:
    form, query = _period(request)
    scope = _scope(request, form)
    only_user = None if _manages(request) else request.user
    rows = selectors.summaries(scope, grouping, board=request_board(request), only_user=only_user)
    context = {
        "section": section,
        "heading": heading,
        "grouping": grouping,
        "grouping_name": GROUPING_NAMES[grouping],
        "form": form,
        "period_label": form.label(),
        "summaries": rows,
        "query": urlencode(query),
        "download_query": urlencode({"by": grouping, **query}),
        "min_responses": selectors.MIN_RESPONSES_TO_FLAG,
    }
    return _render(request, "evaluation/manage/summaries.html", context, status=400 if form.errors else 200)


@requires(READ)
def overview(request: HttpRequest) -> HttpResponse:
    return _grouped_page(request, "course", "courses", "Evaluation of training by course")


@requires(READ)
def by_trainer(request: HttpRequest) -> HttpResponse:
    return _grouped_page(request, "trainer", "trainers", "Evaluation of training by trainer")


@requires(READ)
def by_agency_type(request: HttpRequest) -> HttpResponse:
    return _grouped_page(request, "agency_type", "agency_types", "Evaluation of training by agency type")


def _detail(request: HttpRequest, scope: selectors.Scope, **context: Any) -> dict[str, Any]:
    return {
        "section": "courses",
        "comments": selectors.comments(scope, with_names=_manages(request)),
        "min_responses": selectors.MIN_RESPONSES_TO_FLAG,
        **context,
    }


@requires(READ)
def course_page(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    course = get_object_or_404(Course, pk=pk)
    form, query = _period(request)
    scope = _scope(request, form, course_id=course.pk)
    if scope.session_ids is not None and not Session.objects.filter(course=course, pk__in=scope.session_ids).exists():
        raise Http404("No such course among your sessions")
    context = _detail(
        request,
        scope,
        course=course,
        form=form,
        query=urlencode(query),
        period_label=form.label(),
        summary=selectors.total_summary(scope, course.title),
        sessions=selectors.session_summaries(scope),
    )
    return _render(request, "evaluation/manage/course.html", context, status=400 if form.errors else 200)


@requires(READ)
def session_page(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    scope = _scope(request, session_id=session.pk)
    if scope.session_ids is not None and session.pk not in scope.session_ids:
        raise Http404("No such session among yours")
    context = _detail(
        request,
        scope,
        session=session,
        session_day=selectors.session_day(session),
        summary=selectors.total_summary(scope, session.course.title),
    )
    return _render(request, "evaluation/manage/session.html", context)


# --- downloads --------------------------------------------------------------------------------------------------

SUMMARY_HEADINGS = [
    "Stage",
    "Measure",
    "Question key",
    "Question",
    "Value",
    "Responses",
    "Invited",
    "Score 1",
    "Score 2",
    "Score 3",
    "Score 4",
    "Score 5",
]
COMMENT_HEADINGS = ["Course", "Session date", "Stage", "Question", "Comment", "Named by"]


def _summary_rows(summary: selectors.Summary) -> list[list[Any]]:
    """A summary as rows of (stage, measure, question, value, responses, invited, scores 1 to 5)."""
    group = [summary.label + (f" ({summary.detail})" if summary.detail else "")]
    blank_scores = [None] * len(selectors.SCORES)
    rows: list[list[Any]] = []
    for rate in summary.rates:
        rows.append([*group, rate.label, "Response rate (%)", "", "", rate.percent, rate.answered, rate.invited])
        rows[-1] += blank_scores
    for stage in selectors.STAGE_ORDER:
        for result in summary.scales.get(stage, []):
            label = selectors.STAGE_NAMES[stage]
            row = [label, "Mean score", result.key, result.text, result.mean, result.count, None]
            rows.append([*group, *row, *result.counts])
    for shift in summary.shifts:
        row = ["Before and after", "Shift (mean after less mean before)", shift.key, shift.text]
        rows.append([*group, *row, shift.change, shift.after.count, None, *blank_scores])
    if summary.impact.responses:
        impact = summary.impact
        row = ["Impact on practice", "Positive impact share (% scoring 4 or 5)", selectors.IMPACT_KEY, ""]
        rows.append([*group, *row, impact.percent, impact.responses, None, *blank_scores])
    return rows


def _bad_period(form: PeriodForm) -> HttpResponse:
    problems = "; ".join(str(message) for found in form.errors.values() for message in found)
    return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")


@requires(READ)
def summary_download(request: HttpRequest, kind: str) -> HttpResponse:
    grouping = request.GET.get("by", "course")
    if grouping not in GROUPING_NAMES:
        return HttpResponse(
            "Choose by=course, session, trainer or agency_type.", status=400, content_type="text/plain; charset=utf-8"
        )
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return _bad_period(form)
    only_user = None if _manages(request) else request.user
    found = selectors.summaries(_scope(request, form), grouping, board=request_board(request), only_user=only_user)
    rows = [row for summary in found for row in _summary_rows(summary)]
    headings = [GROUPING_NAMES[grouping], *SUMMARY_HEADINGS]
    return table_download(
        headings, rows, name=f"evaluation-by-{grouping.replace('_', '-')}", kind=kind, sheet_title="Evaluation"
    )


@requires(READ)
def comments_download(request: HttpRequest, kind: str) -> HttpResponse:
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return _bad_period(form)
    found = selectors.comments(_scope(request, form), with_names=_manages(request))
    rows = [[c.course, c.session_day, c.stage_label, c.question, c.text, c.person or "Anonymous"] for c in found]
    return table_download(COMMENT_HEADINGS, rows, name="evaluation-comments", kind=kind, sheet_title="Comments")


# --- forms ------------------------------------------------------------------------------------------------------


@requires(MANAGE)
def form_list(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.forms())
    context = {
        "section": "forms",
        "current": [form for form in rows if form.is_current],
        "old": [form for form in rows if not form.is_current],
    }
    return _render(request, "evaluation/manage/forms.html", context)


@requires(MANAGE)
def form_page(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    form = get_object_or_404(selectors.forms(), pk=pk)
    return _render(request, "evaluation/manage/form.html", {"section": "forms", "evaluation_form": form})


@requires(MANAGE)
def form_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    evaluation_form = get_object_or_404(EvaluationForm.objects.prefetch_related("questions"), pk=pk)
    if not evaluation_form.is_current:
        messages.error(request, "This is an old version: change the current one.")
        return redirect("evaluation:form", pk=pk)
    form = FormEditForm(request.POST or None, form=evaluation_form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.revise_form(
                evaluation_form,
                actor=request.user,
                title=data["title"],
                introduction=data["introduction"],
                anonymous=data["anonymous"],
                questions=form.questions(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if saved.pk != evaluation_form.pk:
                kept = evaluation_form.version
                done = f"Saved as version {saved.version}: the answers already given stay with version {kept}."
            else:
                done = f"“{saved.title}” is saved."
            messages.success(request, done)
            return redirect("evaluation:form", pk=saved.pk)
    context = {
        "section": "forms",
        "evaluation_form": evaluation_form,
        "form": form,
        "in_use": selectors.form_in_use(evaluation_form),
        "next_version": evaluation_form.version + 1,
    }
    return _render(request, "evaluation/manage/form_edit.html", context, status=400 if form.errors else 200)


# --- a person's own evaluations ---------------------------------------------------------------------------------


@requires(OWN)
def mine(request: HttpRequest) -> HttpResponse:
    pending = [
        {
            "invitation": invitation,
            "url": answer_path(invitation),
            "stage": selectors.STAGE_NAMES[Stage(invitation.stage)],
        }
        for invitation in selectors.my_pending_invitations(request.user)
    ]
    context = {"pending": pending, "answered": list(selectors.my_named_responses(request.user))}
    return render(request, "evaluation/manage/mine.html", context)
