"""Needs audit pages on the board's host: designing, sending, closing and publishing audits (managers), the answer
page agencies reach by their link (no sign-in), and the published findings (anyone, no sign-in)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shared_apps.accounts.permissions import can, request_board
from shared_apps.web.pages import requires
from tenant_apps.needs_audits import services
from tenant_apps.needs_audits.forms import AuditForm, ClosingDateForm, QuestionForm, TopicForm
from tenant_apps.needs_audits.models import AuditQuestion, AuditTopic, NeedsAudit
from tenant_apps.needs_audits.rules import NEED_MET_LABELS, SCALE_LABELS, SCALE_VALUES, SUPPRESS_BELOW
from tenant_apps.needs_audits.selectors import (
    agencies_to_invite,
    audit_design,
    audit_summary,
    audits_with_counts,
    invitations_for,
    published_audits,
    responses_for,
)

View = Callable[..., HttpResponse]


def _show_errors(form: Form, error: ValidationError) -> None:
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


def _flash_errors(request: HttpRequest, error: ValidationError) -> None:
    for problems in error.message_dict.values():
        for problem in problems:
            messages.error(request, problem)


def _audit(audit_id: uuid.UUID) -> NeedsAudit:
    audit = audit_design(audit_id)
    if audit is None:
        raise Http404("No such audit")
    return audit


# --- managers: design ------------------------------------------------------------------------------------------


@requires("needs_audits.read")
def audit_list(request: HttpRequest) -> HttpResponse:
    return render(request, "needs_audits/list.html", {"audits": audits_with_counts()})


@requires("needs_audits.manage")
def audit_create(request: HttpRequest) -> HttpResponse:
    form = AuditForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.create_audit(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, f"“{audit.title}” created. Now add the topics it asks about.")
            return redirect("needs_audits:detail", audit_id=audit.pk)
    context = {"form": form, "heading": "Create a needs audit", "button": "Create audit"}
    return render(request, "needs_audits/form.html", context, status=400 if form.errors else 200)


@requires("needs_audits.read")
def audit_detail(request: HttpRequest, audit_id: uuid.UUID) -> HttpResponse:
    audit = _audit(audit_id)
    context = {
        "audit": audit,
        "invitations": invitations_for(audit),
        "can_manage": can(request.user, "needs_audits.manage", request_board(request)),
    }
    return render(request, "needs_audits/detail.html", context)


@requires("needs_audits.manage")
def audit_edit(request: HttpRequest, audit_id: uuid.UUID) -> HttpResponse:
    audit = _audit(audit_id)
    initial = {name: getattr(audit, name) for name in services.AUDIT_FIELDS}
    form_class = AuditForm if audit.status == NeedsAudit.Status.DRAFT else ClosingDateForm
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_audit(audit, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, "Audit saved.")
            return redirect("needs_audits:detail", audit_id=audit.pk)
    context = {"form": form, "audit": audit, "heading": f"Edit “{audit.title}”", "button": "Save"}
    return render(request, "needs_audits/form.html", context, status=400 if form.errors else 200)


@require_POST
@requires("needs_audits.manage")
def audit_delete(request: HttpRequest, audit_id: uuid.UUID) -> HttpResponse:
    audit = _audit(audit_id)
    try:
        services.delete_audit(audit, actor=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
        return redirect("needs_audits:detail", audit_id=audit.pk)
    messages.success(request, f"“{audit.title}” deleted.")
    return redirect("needs_audits:list")


@requires("needs_audits.manage")
def topic_add(request: HttpRequest, audit_id: uuid.UUID) -> HttpResponse:
    audit = _audit(audit_id)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.add_topic(audit, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, f"Topic “{topic.title}” added, with its question on how well the need is met.")
            return redirect("needs_audits:detail", audit_id=audit.pk)
    context = {"form": form, "audit": audit, "heading": "Add a topic", "button": "Add topic"}
    return render(request, "needs_audits/form.html", context, status=400 if form.errors else 200)


@requires("needs_audits.manage")
def topic_edit(request: HttpRequest, topic_id: uuid.UUID) -> HttpResponse:
    topic = get_object_or_404(AuditTopic.objects.select_related("audit"), pk=topic_id)
    form = TopicForm(request.POST or None, initial={"title": topic.title, "description": topic.description})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_topic(topic, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, "Topic saved.")
            return redirect("needs_audits:detail", audit_id=topic.audit_id)
    context = {"form": form, "audit": topic.audit, "heading": f"Edit the topic “{topic.title}”", "button": "Save"}
    return render(request, "needs_audits/form.html", context, status=400 if form.errors else 200)


@require_POST
@requires("needs_audits.manage")
def topic_remove(request: HttpRequest, topic_id: uuid.UUID) -> HttpResponse:
    topic = get_object_or_404(AuditTopic.objects.select_related("audit"), pk=topic_id)
    try:
        services.remove_topic(topic, actor=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, f"Topic “{topic.title}” removed.")
    return redirect("needs_audits:detail", audit_id=topic.audit_id)


@requires("needs_audits.manage")
def question_add(request: HttpRequest, topic_id: uuid.UUID) -> HttpResponse:
    topic = get_object_or_404(AuditTopic.objects.select_related("audit"), pk=topic_id)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_question(topic, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, f"Question added to “{topic.title}”.")
            return redirect("needs_audits:detail", audit_id=topic.audit_id)
    context = {"form": form, "audit": topic.audit, "heading": f"Add a question to “{topic.title}”", "button": "Add"}
    return render(request, "needs_audits/form.html", context, status=400 if form.errors else 200)


@requires("needs_audits.manage")
def question_edit(request: HttpRequest, question_id: uuid.UUID) -> HttpResponse:
    question = get_object_or_404(AuditQuestion.objects.select_related("topic__audit"), pk=question_id)
    need_met = question.kind == AuditQuestion.Kind.NEED_MET
    initial = {"text": question.text, "kind": question.kind, "required": question.required}
    form = QuestionForm(request.POST or None, initial=initial, need_met=need_met)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_question(question, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, "Question saved.")
            return redirect("needs_audits:detail", audit_id=question.topic.audit_id)
    context = {"form": form, "audit": question.topic.audit, "heading": "Edit the question", "button": "Save"}
    return render(request, "needs_audits/form.html", context, status=400 if form.errors else 200)


@require_POST
@requires("needs_audits.manage")
def question_remove(request: HttpRequest, question_id: uuid.UUID) -> HttpResponse:
    question = get_object_or_404(AuditQuestion.objects.select_related("topic__audit"), pk=question_id)
    try:
        services.remove_question(question, actor=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, "Question removed.")
    return redirect("needs_audits:detail", audit_id=question.topic.audit_id)


# --- managers: sending, closing, publishing --------------------------------------------------------------------


@requires("needs_audits.manage")
def audit_send(request: HttpRequest, audit_id: uuid.UUID) -> HttpResponse:
    audit = _audit(audit_id)
    errors: list[str] = []
    chosen = set(request.POST.getlist("agencies"))
    chosen_types = set(request.POST.getlist("agency_types"))
    if request.method == "POST":
        try:
            result = services.send_audit(
                audit,
                actor=request.user,
                agency_ids=[int(value) for value in chosen if value.isdigit() and len(value) < 19],
                agency_types=chosen_types,
            )
        except ValidationError as error:
            errors = [problem for problems in error.message_dict.values() for problem in problems]
        else:
            links = [(invitation, result.link(token)) for invitation, token in result.not_emailed]
            context = {"audit": result.audit, "result": result, "links": links}
            return render(request, "needs_audits/send_result.html", context)
    context = {
        "audit": audit,
        "groups": agencies_to_invite(audit),
        "errors": errors,
        "chosen": chosen,
        "chosen_types": chosen_types,
    }
    return render(request, "needs_audits/send.html", context, status=400 if errors else 200)


def _status_change(request: HttpRequest, audit_id: uuid.UUID, change: Callable[..., Any], done: str) -> HttpResponse:
    audit = get_object_or_404(NeedsAudit, pk=audit_id)
    try:
        change(audit, actor=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, done)
    return redirect("needs_audits:detail", audit_id=audit.pk)


@require_POST
@requires("needs_audits.manage")
def audit_close(request: HttpRequest, audit_id: uuid.UUID) -> HttpResponse:
    return _status_change(request, audit_id, services.close_audit, "The audit is closed: no more answers can be sent.")


@require_POST
@requires("needs_audits.manage")
def audit_publish(request: HttpRequest, audit_id: uuid.UUID) -> HttpResponse:
    return _status_change(request, audit_id, services.publish_summary, "The findings are published.")


@require_POST
@requires("needs_audits.manage")
def audit_withdraw(request: HttpRequest, audit_id: uuid.UUID) -> HttpResponse:
    return _status_change(request, audit_id, services.withdraw_summary, "The findings are no longer published.")


@requires("needs_audits.read")
def audit_responses(request: HttpRequest, audit_id: uuid.UUID) -> HttpResponse:
    audit = get_object_or_404(NeedsAudit, pk=audit_id)
    return render(request, "needs_audits/responses.html", {"audit": audit, "responses": responses_for(audit)})


@requires("needs_audits.read")
def audit_summary_page(request: HttpRequest, audit_id: uuid.UUID) -> HttpResponse:
    audit = get_object_or_404(NeedsAudit, pk=audit_id)
    preview = request.GET.get("view") == "published"
    context = {"summary": audit_summary(audit, published=preview), "preview": preview, "threshold": SUPPRESS_BELOW}
    return render(request, "needs_audits/summary.html", context)


# --- anyone: published findings --------------------------------------------------------------------------------


def findings_list(request: HttpRequest) -> HttpResponse:
    return render(request, "needs_audits/findings_list.html", {"audits": published_audits()})


def findings(request: HttpRequest, audit_id: uuid.UUID) -> HttpResponse:
    audit = get_object_or_404(NeedsAudit, pk=audit_id, summary_published=True)
    context = {"summary": audit_summary(audit, published=True), "threshold": SUPPRESS_BELOW}
    return render(request, "needs_audits/findings.html", context)


# --- agencies: answering by link -------------------------------------------------------------------------------


def _form_rows(audit: NeedsAudit, posted: Any, by_question: dict[str, str]) -> list[tuple[AuditTopic, list[Any]]]:
    """Each topic with its questions, what was typed and any error, for the answer form."""
    rows = []
    for topic in audit.topics.all():
        questions = []
        for question in topic.questions.all():
            qid = str(question.pk)
            labels = NEED_MET_LABELS if question.kind == AuditQuestion.Kind.NEED_MET else SCALE_LABELS
            questions.append(
                {
                    "question": question,
                    "name": f"q-{qid}",
                    "value": posted.get(f"q-{qid}", ""),
                    "error": by_question.get(qid, ""),
                    "options": [(str(value), f"{value} \N{EN DASH} {labels[value]}") for value in SCALE_VALUES],
                }
            )
        rows.append((topic, questions))
    return rows


RESPONDENT_FIELDS = ("respondent_name", "respondent_email", "job_role", "staff_represented")


def respond(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "needs_audits/respond_invalid.html", {"message": services.BAD_LINK}, status=404)
    audit = _audit(invitation.audit_id)
    reason = services.refusal(audit)
    if reason:
        context = {"audit": audit, "reason": reason}
        return render(request, "needs_audits/respond_closed.html", context, status=400 if request.POST else 200)
    errors: dict[str, list[str]] = {}
    by_question: dict[str, str] = {}
    if request.method == "POST":
        answers = [
            {"question": str(question.pk), "value": request.POST.get(f"q-{question.pk}", "")}
            for topic in audit.topics.all()
            for question in topic.questions.all()
        ]
        try:
            services.submit_response(
                token=token, answers=answers, **{name: request.POST.get(name, "") for name in RESPONDENT_FIELDS}
            )
        except services.AnswerErrors as error:
            errors, by_question = error.message_dict, error.by_question
        except ValidationError as error:
            errors = error.message_dict
        else:
            return redirect("needs_audits:respond-sent", token=token)
    context = {
        "audit": audit,
        "agency": invitation.agency,
        "rows": _form_rows(audit, request.POST, by_question),
        "respondent": {name: request.POST.get(name, "") for name in RESPONDENT_FIELDS},
        "errors": {name: problems for name, problems in errors.items() if name != "answers"},
        "question_errors": by_question,
        "has_errors": bool(errors),
    }
    return render(request, "needs_audits/respond.html", context, status=400 if errors else 200)


def respond_sent(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "needs_audits/respond_invalid.html", {"message": services.BAD_LINK}, status=404)
    return render(request, "needs_audits/respond_sent.html", {"audit": invitation.audit, "agency": invitation.agency})
