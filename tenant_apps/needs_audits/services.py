"""Every write to a board's learning needs audits: designing them, sending them to agencies, taking agencies'
answers through their link, closing and publishing. Each write records an audit entry."""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max, Model
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from shared_apps.agencies.models import Agency, AgencyType
from shared_apps.audit.services import diff, record
from tenant_apps.needs_audits.models import (
    AuditAnswer,
    AuditInvitation,
    AuditQuestion,
    AuditResponse,
    AuditTopic,
    NeedsAudit,
)
from tenant_apps.needs_audits.rules import NEED_MET_TEXT, NUMBER_MAX, TEXT_MAX, hash_token, long_date, new_token
from tenants.cross_board import current_board
from tenants.links import board_url
from tenants.models import Board

logger = logging.getLogger(__name__)

AUDIT_FIELDS = ("title", "introduction", "opens_on", "closes_on")
TOPIC_FIELDS = ("title", "description", "order")
QUESTION_FIELDS = ("text", "kind", "required", "order")
NON_FIELD = "non_field_errors"
DRAFT_ONLY = "Topics and questions can only be changed while the audit is a draft; this one has been sent to agencies."
BAD_LINK = (
    "This link is not valid. Check that you used the whole link from the email, or ask the board or partnership "
    "for a new one."
)


def _pick(fields: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError({name: ["This field cannot be set here."] for name in sorted(unknown)})
    return fields


def _save_checked(obj: Model, update_fields: list[str] | None = None) -> None:
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save(update_fields=update_fields)


def _locked(audit: NeedsAudit) -> NeedsAudit:
    return NeedsAudit.objects.select_for_update().get(pk=audit.pk)


def _require_draft(audit: NeedsAudit) -> None:
    if audit.status != NeedsAudit.Status.DRAFT:
        raise ValidationError({NON_FIELD: [DRAFT_ONLY]})


# --- the audit ------------------------------------------------------------------------------------------------


def _check_dates(audit: NeedsAudit) -> None:
    if audit.opens_on and audit.closes_on and audit.closes_on <= audit.opens_on:
        raise ValidationError({"closes_on": ["The closing date must be after the opening date."]})


def create_audit(*, actor: Any, **fields: Any) -> NeedsAudit:
    with transaction.atomic():
        audit = NeedsAudit(**_pick(fields, AUDIT_FIELDS))
        audit.full_clean(validate_constraints=False)
        _check_dates(audit)
        audit.save()
        record("needs_audit.created", actor=actor, obj=audit, summary=f"Needs audit “{audit.title}” created")
    return audit


def update_audit(audit: NeedsAudit, *, actor: Any, **fields: Any) -> NeedsAudit:
    """A draft can change freely. Once sent, only the closing date can move (to give agencies longer)."""
    with transaction.atomic():
        audit = _locked(audit)
        fields = _pick(fields, AUDIT_FIELDS)
        before = {name: getattr(audit, name) for name in AUDIT_FIELDS}
        changing = {name for name, value in fields.items() if before[name] != value}
        if audit.status == NeedsAudit.Status.CLOSED and changing:
            raise ValidationError({NON_FIELD: ["This audit is closed, so it can no longer be changed."]})
        if audit.status == NeedsAudit.Status.OPEN and changing - {"closes_on"}:
            raise ValidationError(
                {NON_FIELD: ["This audit has been sent to agencies, so only its closing date can change."]}
            )
        for name, value in fields.items():
            setattr(audit, name, value)
        audit.full_clean(validate_constraints=False)
        _check_dates(audit)
        if (
            audit.status == NeedsAudit.Status.OPEN
            and "closes_on" in changing
            and audit.closes_on < timezone.localdate()
        ):
            raise ValidationError({"closes_on": ["The new closing date has already passed: choose today or later."]})
        changed = diff(before, {name: getattr(audit, name) for name in AUDIT_FIELDS})
        if changed:
            audit.save()
            record(
                "needs_audit.updated",
                actor=actor,
                obj=audit,
                changes=changed,
                summary=f"Needs audit “{audit.title}” changed: {', '.join(changed)}",
            )
    return audit


def delete_audit(audit: NeedsAudit, *, actor: Any) -> None:
    with transaction.atomic():
        audit = _locked(audit)
        if audit.status != NeedsAudit.Status.DRAFT:
            raise ValidationError(
                {NON_FIELD: ["Only a draft can be deleted: this audit has been sent to agencies and holds answers."]}
            )
        record("needs_audit.deleted", actor=actor, obj=audit, summary=f"Needs audit “{audit.title}” deleted")
        audit.delete()


# --- topics and questions --------------------------------------------------------------------------------------


def add_topic(audit: NeedsAudit, *, actor: Any, **fields: Any) -> AuditTopic:
    """A topic, with the question that tells met from unmet need already in it."""
    with transaction.atomic():
        audit = _locked(audit)
        _require_draft(audit)
        fields = _pick(fields, TOPIC_FIELDS)
        if fields.get("order") is None:
            fields["order"] = (audit.topics.aggregate(order=Max("order"))["order"] or 0) + 1
        topic = AuditTopic(audit=audit, **fields)
        _save_checked(topic)
        AuditQuestion.objects.create(topic=topic, text=NEED_MET_TEXT, kind=AuditQuestion.Kind.NEED_MET, order=0)
        record("needs_audit.topic_added", actor=actor, obj=topic, summary=f"Topic “{topic}” added to “{audit.title}”")
    return topic


def update_topic(topic: AuditTopic, *, actor: Any, **fields: Any) -> AuditTopic:
    with transaction.atomic():
        _require_draft(_locked(topic.audit))
        before = {name: getattr(topic, name) for name in TOPIC_FIELDS}
        for name, value in _pick(fields, TOPIC_FIELDS).items():
            setattr(topic, name, value)
        changed = diff(before, {name: getattr(topic, name) for name in TOPIC_FIELDS})
        if changed:
            _save_checked(topic)
            record(
                "needs_audit.topic_updated", actor=actor, obj=topic, changes=changed, summary=f"Topic “{topic}” changed"
            )
    return topic


def remove_topic(topic: AuditTopic, *, actor: Any) -> None:
    with transaction.atomic():
        audit = _locked(topic.audit)
        _require_draft(audit)
        record("needs_audit.topic_removed", actor=actor, obj=topic, summary=f"Topic “{topic}” removed from “{audit}”")
        topic.delete()


def add_question(topic: AuditTopic, *, actor: Any, **fields: Any) -> AuditQuestion:
    with transaction.atomic():
        _require_draft(_locked(topic.audit))
        fields = _pick(fields, QUESTION_FIELDS)
        if fields.get("kind") == AuditQuestion.Kind.NEED_MET:
            raise ValidationError(
                {"kind": ["Each topic already has its question on how well the need is met: choose another kind."]}
            )
        if fields.get("order") is None:
            fields["order"] = (topic.questions.aggregate(order=Max("order"))["order"] or 0) + 1
        question = AuditQuestion(topic=topic, **fields)
        if not question.text.strip():
            raise ValidationError({"text": ["Write the question."]})
        _save_checked(question)
        record(
            "needs_audit.question_added",
            actor=actor,
            obj=question,
            summary=f"Question “{question.text[:80]}” added to topic “{topic}”",
        )
    return question


def update_question(question: AuditQuestion, *, actor: Any, **fields: Any) -> AuditQuestion:
    with transaction.atomic():
        _require_draft(_locked(question.topic.audit))
        fields = _pick(fields, QUESTION_FIELDS)
        new_kind = fields.get("kind", question.kind)
        if new_kind != question.kind and AuditQuestion.Kind.NEED_MET in (new_kind, question.kind):
            raise ValidationError(
                {"kind": ["The question on how well the need is met keeps its kind: met and unmet need come from it."]}
            )
        before = {name: getattr(question, name) for name in QUESTION_FIELDS}
        for name, value in fields.items():
            setattr(question, name, value)
        if not question.text.strip():
            raise ValidationError({"text": ["Write the question."]})
        changed = diff(before, {name: getattr(question, name) for name in QUESTION_FIELDS})
        if changed:
            _save_checked(question)
            record(
                "needs_audit.question_updated",
                actor=actor,
                obj=question,
                changes=changed,
                summary=f"Question “{question.text[:80]}” changed",
            )
    return question


def remove_question(question: AuditQuestion, *, actor: Any) -> None:
    with transaction.atomic():
        _require_draft(_locked(question.topic.audit))
        if question.kind == AuditQuestion.Kind.NEED_MET:
            raise ValidationError(
                {NON_FIELD: ["This question cannot be removed: met and unmet need for the topic come from it."]}
            )
        record(
            "needs_audit.question_removed",
            actor=actor,
            obj=question,
            summary=f"Question “{question.text[:80]}” removed from topic “{question.topic}”",
        )
        question.delete()


# --- sending ---------------------------------------------------------------------------------------------------


@dataclass
class SendResult:
    """What happened when an audit was sent. The tokens live only here and in the emails."""

    audit: NeedsAudit
    emailed: list[tuple[AuditInvitation, str]] = field(default_factory=list)
    # Agencies with no contact address: the coordinator passes these links on by hand.
    not_emailed: list[tuple[AuditInvitation, str]] = field(default_factory=list)
    already_invited: list[Agency] = field(default_factory=list)

    def link(self, token: str) -> str:
        return respond_link(token)


def respond_link(token: str) -> str:
    """The absolute address of the answer page on this board's own host."""
    board = current_board()
    if board is None:
        raise ValidationError({NON_FIELD: ["Audits can only be sent from a board's own site."]})
    path = reverse("needs_audits:respond", kwargs={"token": token})
    # Built outside the request's /t/<slug>/ prefix: the link is for the board's own host.
    path = "/" + path.removeprefix(get_script_prefix())
    return board_url(board, path)


def _chosen_agencies(agency_ids: Iterable[int], agency_types: Iterable[str]) -> list[Agency]:
    ids, types = set(agency_ids), set(agency_types)
    unknown_types = types - set(AgencyType.values)
    if unknown_types:
        raise ValidationError({"agency_types": [f"Not a type of agency: {', '.join(sorted(unknown_types))}."]})
    found = {agency.pk: agency for agency in Agency.objects.filter(pk__in=ids, is_active=True)} if ids else {}
    missing = ids - set(found)
    if missing:
        raise ValidationError(
            {"agencies": [f"{len(missing)} of the agencies chosen are not on the list of active agencies."]}
        )
    if types:
        found.update({agency.pk: agency for agency in Agency.objects.filter(agency_type__in=types, is_active=True)})
    if not found:
        raise ValidationError({"agencies": ["Choose at least one agency to send the audit to."]})
    return sorted(found.values(), key=lambda agency: agency.name)


def _check_ready_to_send(audit: NeedsAudit, today: date) -> None:
    if audit.status == NeedsAudit.Status.CLOSED:
        raise ValidationError({NON_FIELD: ["This audit is closed: it cannot be sent to more agencies."]})
    if not audit.topics.exists():
        raise ValidationError({NON_FIELD: ["Add at least one topic before sending the audit."]})
    if audit.closes_on < today:
        raise ValidationError(
            {"closes_on": [f"The closing date, {long_date(audit.closes_on)}, has passed: move it later first."]}
        )


def send_audit(
    audit: NeedsAudit,
    *,
    actor: Any,
    agency_ids: Iterable[int] = (),
    agency_types: Iterable[str] = (),
) -> SendResult:
    """Open the audit (if it is a draft) and invite the chosen agencies: each gets its own link by email after
    the transaction commits. Agencies already invited are left as they are; those without an address are listed
    back with their link, for the coordinator to pass on."""
    with transaction.atomic():
        audit = _locked(audit)
        _check_ready_to_send(audit, timezone.localdate())
        agencies = _chosen_agencies(agency_ids, agency_types)
        invited = set(audit.invitations.values_list("agency_id", flat=True))
        result = SendResult(audit=audit, already_invited=[a for a in agencies if a.pk in invited])
        now = timezone.now()
        emails: list[tuple[str, str, str]] = []
        for agency in agencies:
            if agency.pk in invited:
                continue
            token, token_hash = new_token()
            invitation = AuditInvitation.objects.create(
                audit=audit,
                agency=agency,
                token_hash=token_hash,
                sent_to=agency.email,
                sent_at=now if agency.email else None,
            )
            if agency.email:
                result.emailed.append((invitation, token))
                emails.append((agency.email, agency.name, respond_link(token)))
            else:
                result.not_emailed.append((invitation, token))
        opened = audit.status == NeedsAudit.Status.DRAFT
        if opened:
            audit.status = NeedsAudit.Status.OPEN
            audit.save(update_fields=["status", "updated_at"])
        new = [invitation.agency.name for invitation, _ in result.emailed + result.not_emailed]
        record(
            "needs_audit.sent",
            actor=actor,
            obj=audit,
            changes={"invited": new, "not_emailed": [i.agency.name for i, _ in result.not_emailed]},
            summary=(
                f"Needs audit “{audit.title}” {'opened and ' if opened else ''}sent to {len(new)} agencies "
                f"({len(result.emailed)} by email)"
            ),
        )
        board = current_board()
        transaction.on_commit(lambda: _email_invitations(audit, board, emails))
    return result


def _email_invitations(audit: NeedsAudit, board: Board | None, emails: list[tuple[str, str, str]]) -> None:
    subject = f"Safeguarding learning needs audit: {audit.title}"
    for address, agency_name, link in emails:
        context = {
            "audit": audit,
            "agency_name": agency_name,
            "link": link,
            "board": board,
            "today": timezone.localdate(),
        }
        body = render_to_string("needs_audits/email/invitation.txt", context)
        try:
            send_mail(subject, body, None, [address])
        except OSError:
            # One unreachable address must not stop the others; the coordinator sees sent_to on the audit page.
            logger.exception("Could not email the needs audit link to %s", agency_name)


def close_audit(audit: NeedsAudit, *, actor: Any) -> NeedsAudit:
    with transaction.atomic():
        audit = _locked(audit)
        if audit.status != NeedsAudit.Status.OPEN:
            raise ValidationError({NON_FIELD: ["Only an open audit can be closed."]})
        audit.status = NeedsAudit.Status.CLOSED
        audit.closed_at = timezone.now()
        audit.save(update_fields=["status", "closed_at", "updated_at"])
        record("needs_audit.closed", actor=actor, obj=audit, summary=f"Needs audit “{audit.title}” closed")
    return audit


def publish_summary(audit: NeedsAudit, *, actor: Any) -> NeedsAudit:
    """Make the findings readable by anyone, figures about fewer than 3 responses hidden (Croydon 5.1)."""
    with transaction.atomic():
        audit = _locked(audit)
        if audit.status != NeedsAudit.Status.CLOSED:
            raise ValidationError({NON_FIELD: ["Close the audit before publishing its findings."]})
        if not audit.summary_published:
            audit.summary_published = True
            audit.summary_published_at = timezone.now()
            audit.save(update_fields=["summary_published", "summary_published_at", "updated_at"])
            record("needs_audit.published", actor=actor, obj=audit, summary=f"Findings of “{audit.title}” published")
    return audit


def withdraw_summary(audit: NeedsAudit, *, actor: Any) -> NeedsAudit:
    with transaction.atomic():
        audit = _locked(audit)
        if audit.summary_published:
            audit.summary_published = False
            audit.summary_published_at = None
            audit.save(update_fields=["summary_published", "summary_published_at", "updated_at"])
            record("needs_audit.unpublished", actor=actor, obj=audit, summary=f"Findings of “{audit.title}” withdrawn")
    return audit


# --- answering -------------------------------------------------------------------------------------------------


class AnswerErrors(ValidationError):
    """A refused response: the usual field messages, and each question's own message for the answer form."""

    def __init__(self, errors: dict[str, list[str]], by_question: dict[str, str]) -> None:
        super().__init__(errors)
        self.by_question = by_question


def invitation_for_token(token: str) -> AuditInvitation | None:
    """The invitation a link's token belongs to, in this board only (tokens are stored hashed)."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    return AuditInvitation.objects.select_related("audit", "agency").filter(token_hash=hash_token(token)).first()


def refusal(audit: NeedsAudit, today: date | None = None) -> str | None:
    """Why answers cannot be sent to this audit today, in words for the person answering; None if they can."""
    today = today or timezone.localdate()
    if audit.status == NeedsAudit.Status.CLOSED:
        closed = timezone.localdate(audit.closed_at) if audit.closed_at else audit.closes_on
        return f"This audit closed on {long_date(min(closed, audit.closes_on))}; answers can no longer be sent."
    if audit.status == NeedsAudit.Status.DRAFT or today < audit.opens_on:
        return f"This audit opens on {long_date(audit.opens_on)}; answers can be sent from then."
    if today > audit.closes_on:
        return f"This audit closed on {long_date(audit.closes_on)}; answers can no longer be sent."
    return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean_scale(value: Any) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValueError("Choose a number from 1 to 5.")
    return value


def _clean_yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    words = {"yes": True, "true": True, "no": False, "false": False}
    if isinstance(value, str) and value.strip().lower() in words:
        return words[value.strip().lower()]
    raise ValueError("Answer yes or no.")


def _clean_number(value: Any) -> Decimal:
    message = "Enter a number, like 12 or 2.5."
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(message)
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(message) from exc
    if not number.is_finite() or (isinstance(value, float) and not math.isfinite(value)):
        raise ValueError(message)
    if number < 0:
        raise ValueError("Enter 0 or more: the number cannot be negative.")
    if number >= NUMBER_MAX:
        raise ValueError(f"Enter a number below {NUMBER_MAX:,}.")
    return number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _clean_text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("Write the answer as text.")
    text = value.strip()
    if "\x00" in text:
        raise ValueError("The answer contains a character that cannot be saved (a null character).")
    if len(text) > TEXT_MAX:
        raise ValueError(f"Keep the answer to {TEXT_MAX:,} characters or fewer (it has {len(text):,}).")
    return text


CLEANERS = {
    AuditQuestion.Kind.NEED_MET: ("scale", _clean_scale),
    AuditQuestion.Kind.SCALE: ("scale", _clean_scale),
    AuditQuestion.Kind.YES_NO: ("yes_no", _clean_yes_no),
    AuditQuestion.Kind.NUMBER: ("number", _clean_number),
    AuditQuestion.Kind.TEXT: ("text", _clean_text),
}


def _question_id(value: Any) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def _clean_answers(
    audit: NeedsAudit, answers: Iterable[Mapping[str, Any]]
) -> tuple[list[AuditAnswer], list[str], dict[str, str]]:
    questions = {str(q.pk): q for q in AuditQuestion.objects.filter(topic__audit=audit).select_related("topic")}
    given: dict[str, Any] = {}
    general: list[str] = []
    for answer in answers:
        qid = _question_id(answer.get("question")) if isinstance(answer, Mapping) else None
        if qid is None or qid not in questions:
            general.append("An answer names a question that is not in this audit.")
        elif qid in given:
            general.append(f"“{questions[qid].text}” is answered more than once.")
        else:
            given[qid] = answer.get("value")
    rows, by_question, messages = [], {}, []
    for qid, question in sorted(questions.items(), key=lambda kv: (kv[1].topic.order, kv[1].order)):
        value = given.get(qid)
        label = f"{question.topic.title}, “{question.text}”"
        if _blank(value):
            if question.required:
                by_question[qid] = "Answer this question."
                messages.append(f"{label}: answer this question.")
            continue
        column, clean = CLEANERS[AuditQuestion.Kind(question.kind)]
        try:
            rows.append(AuditAnswer(question=question, **{column: clean(value)}))
        except ValueError as exc:
            by_question[qid] = str(exc)
            messages.append(f"{label}: {exc}")
    return rows, sorted(set(general)) + messages, by_question


def _clean_respondent(
    respondent_name: Any, respondent_email: Any, job_role: Any, staff_represented: Any
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    texts = {"respondent_name": respondent_name, "respondent_email": respondent_email, "job_role": job_role}
    limits = {"respondent_name": 150, "respondent_email": 254, "job_role": 150}
    cleaned: dict[str, Any] = {}
    for name, value in texts.items():
        value = "" if value is None else value
        if not isinstance(value, str) or "\x00" in value:
            errors[name] = ["Enter text."]
        elif len(value.strip()) > limits[name]:
            errors[name] = [f"Keep this to {limits[name]} characters or fewer."]
        else:
            cleaned[name] = value.strip()
    if "respondent_name" in cleaned and not cleaned["respondent_name"]:
        errors["respondent_name"] = ["Enter your name."]
    if cleaned.get("respondent_email"):
        try:
            validate_email(cleaned["respondent_email"])
        except ValidationError:
            errors["respondent_email"] = ["Enter an email address in the correct format, like name@example.org."]
    if isinstance(staff_represented, str) and staff_represented.strip().isdigit():
        staff_represented = int(staff_represented.strip())
    elif isinstance(staff_represented, str) and not staff_represented.strip():
        staff_represented = None
    if staff_represented is not None and (
        isinstance(staff_represented, bool)
        or not isinstance(staff_represented, int)
        or not 0 <= staff_represented <= 1_000_000
    ):
        errors["staff_represented"] = ["Enter the number of staff as a whole number, like 40."]
    cleaned["staff_represented"] = staff_represented
    return cleaned, errors


def submit_response(
    *,
    token: str,
    answers: Iterable[Mapping[str, Any]],
    respondent_name: Any = "",
    respondent_email: Any = "",
    job_role: Any = "",
    staff_represented: Any = None,
) -> AuditResponse:
    """An agency's answers, sent through its link with no sign-in. All or nothing: one bad answer refuses them all.

    Answers are [{"question": id, "value": ...}]: 1 to 5 for scales, true/false (or "yes"/"no") for yes-or-no
    questions, a number of 0 or more, or text of up to 5,000 characters.
    """
    with transaction.atomic():
        invitation = invitation_for_token(token)
        if invitation is None:
            raise ValidationError({"token": [BAD_LINK]})
        audit = NeedsAudit.objects.select_for_update().get(pk=invitation.audit_id)
        reason = refusal(audit)
        if reason:
            raise ValidationError({NON_FIELD: [reason]})
        respondent, errors = _clean_respondent(respondent_name, respondent_email, job_role, staff_represented)
        rows, answer_messages, by_question = _clean_answers(audit, answers)
        if answer_messages:
            errors["answers"] = answer_messages
        if errors:
            raise AnswerErrors(errors, by_question)
        response = AuditResponse.objects.create(
            audit=audit, invitation=invitation, agency=invitation.agency, **respondent
        )
        for row in rows:
            row.response = response
        AuditAnswer.objects.bulk_create(rows)
        record(
            "needs_audit.response_submitted",
            actor=None,
            obj=response,
            summary=f"Answers to “{audit.title}” received from {invitation.agency.name}",
        )
    return response
