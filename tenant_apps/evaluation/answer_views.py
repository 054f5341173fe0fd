"""Answering an evaluation through the link in its email. No account is needed: the signed, single-use link is
the only credential, so the pages keep it to themselves (no path in referrers, no cached copies) and never show the
form for a link that is altered, used, closed or not yet open."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tenant_apps.evaluation import services
from tenant_apps.evaluation.models import SCALE_MAX, SCALE_MIN, Invitation, Question, Stage

SCORES = [str(score) for score in range(SCALE_MIN, SCALE_MAX + 1)]
NOT_VALID = "This link is not valid"


@dataclass(frozen=True)
class ShownQuestion:
    """A question as the page shows it, with what was typed and what was wrong with it."""

    question: Question
    value: str
    errors: list[str]

    @property
    def is_scale(self) -> bool:
        return self.question.kind == Question.Kind.SCALE

    @property
    def field_id(self) -> str:
        """Where the error summary sends the reader: the first score's radio, or the text box."""
        return f"q-{self.question.key}-{SCORES[0]}" if self.is_scale else f"q-{self.question.key}"

    @property
    def hint(self) -> str:
        low, high = self.question.low_label, self.question.high_label
        if not self.is_scale:
            return ""
        if low and high:
            return f"{SCORES[0]} means {low}, {SCORES[-1]} means {high}"
        return f"{SCORES[0]} is the lowest score, {SCORES[-1]} the highest"

    @property
    def options(self) -> list[tuple[str, bool]]:
        return [(score, score == self.value) for score in SCORES]


# The URL holds the token: every request the page makes (a link followed, the form sent) carries at most the
# site's origin, never the path. Not "no-referrer": browsers then send "Origin: null" with the form, and Django's
# CSRF check refuses it. The templates' meta tag says the same to browsers.
REFERRER_POLICY = "strict-origin"


def _private(response: HttpResponse) -> HttpResponse:
    response.headers["Referrer-Policy"] = REFERRER_POLICY
    return response


def _not_valid(request: HttpRequest) -> HttpResponse:
    return _private(render(request, "evaluation/answer/not_valid.html", {"heading": NOT_VALID}, status=404))


def _refused(request: HttpRequest, invitation: Invitation, reason: str) -> HttpResponse:
    """The reason instead of the form: 200 while the survey has yet to open (the link will work), else 410."""
    if invitation.answered_at is not None:
        heading, status = "This link has already been used", 410
    elif timezone.now() < invitation.opens_at:
        heading, status = "This survey is not open yet", 200
    elif timezone.now() >= invitation.closes_at:
        heading, status = "This survey has closed", 410
    else:
        heading, status = "You cannot use this link", 410
    context = {"heading": heading, "reason": reason, "course": invitation.booking.session.course}
    return _private(render(request, "evaluation/answer/closed.html", context, status=status))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return _not_valid(request)
    reason = services.why_closed(invitation)
    if reason:
        return _refused(request, invitation, reason)
    questions = list(invitation.form.questions.all())
    typed: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        # Only this form's questions are read: anything else posted is not an answer.
        typed = {question.key: request.POST.get(question.key, "") for question in questions}
        try:
            services.answer(token, typed)
        except ValidationError as error:
            errors = error.message_dict
        else:
            return _private(redirect("evaluation:thank-you"))
        if "link" in errors:  # used or closed since the page was opened (a second click, a second tab)
            refreshed = services.invitation_for_token(token)
            if refreshed is None:
                return _not_valid(request)
            return _refused(request, refreshed, " ".join(errors["link"]))
    keys = {question.key for question in questions}
    shown = [
        ShownQuestion(question, typed.get(question.key, ""), errors.get(question.key, [])) for question in questions
    ]
    context = {
        "invitation": invitation,
        "form": invitation.form,
        "session": invitation.booking.session,
        "course": invitation.booking.session.course,
        "about": invitation.booking.user if invitation.stage == Stage.SUPERVISOR else None,
        # A supervisor's answers are never linked to anyone, whatever the form says.
        "anonymous": invitation.form.anonymous or invitation.stage == Stage.SUPERVISOR,
        "questions": shown,
        "has_errors": bool(errors),
        "other_errors": [message for key, messages in errors.items() if key not in keys for message in messages],
    }
    # 200 even with errors: a 4xx would be logged with the URL, and this link still works.
    return _private(render(request, "evaluation/answer/form.html", context))


@never_cache
@require_http_methods(["GET", "HEAD"])
def thank_you(request: HttpRequest) -> HttpResponse:
    """After the answers were stored (no token in this URL, so the browser's history keeps no live link)."""
    return _private(render(request, "evaluation/answer/thank_you.html"))
