"""Every write to charging: policies, raising fees (one service, called when a register closes and when a place is
cancelled late), waiving and disputes, invoices numbered without gaps, and payments through Stripe Checkout.

Money is never taken twice: a fee belongs to one booking (unique), at most one checkout is open for a fee at a time
(fees are locked while a checkout is started), each Stripe create carries an idempotency key, and a payment that
arrives for a fee no longer payable (waived, or paid meanwhile) is refunded for that fee's amount.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from shared_apps.accounts.models import Membership, Role
from shared_apps.agencies.models import Agency, AgencyType
from shared_apps.audit.services import record
from shared_apps.payments import selectors as public_payments
from shared_apps.payments import services as public_records
from shared_apps.payments.stripe_client import client as stripe_client
from shared_apps.trainers.models import BoardService, TrainerProfile
from tenant_apps.booking.models import Booking
from tenant_apps.charges.models import (
    CURRENCIES,
    AgencyTerms,
    ChargingPolicy,
    Fee,
    Invoice,
    InvoiceCounter,
    Payment,
    PaymentItem,
    PolicyRate,
    Refund,
)
from tenant_apps.charges.working_days import working_days_between
from tenant_apps.offer.models import Course, Session
from tenant_apps.scheduling import services as due_work
from tenants.cross_board import current_board, enqueue_on_commit

INVOICE_REMINDER_KIND = "charges.invoice_reminder"
# Reminders on the due date and two weeks after it.
REMINDER_OFFSETS = (0, 14)
# Just over Stripe's shortest Checkout Session (30 minutes): after it, an abandoned checkout frees its fees.
CHECKOUT_LIFETIME = timedelta(minutes=31)


def pounds(pence: int) -> str:
    return f"£{pence / 100:,.2f}"


# Policies


@dataclass(frozen=True)
class RateInput:
    partner_amount: int
    non_partner_amount: int
    up_to_hours: Decimal | None = None
    training_for_trainers: bool = False


def policy_on(day: date) -> ChargingPolicy | None:
    """The policy in force on `day`, if any."""
    return (
        ChargingPolicy.objects.filter(effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .prefetch_related("rates")
        .first()
    )


def _check_policy(fields: dict[str, Any], rates: list[RateInput], *, exclude: ChargingPolicy | None) -> None:
    errors: dict[str, list[str]] = {}
    currency = str(fields.get("currency", "gbp")).lower()
    if currency not in CURRENCIES:
        errors["currency"] = [f"“{fields.get('currency')}” is not a currency we charge in: use GBP (pounds)."]
    start, end = fields["effective_from"], fields.get("effective_to")
    if end is not None and end < start:
        errors["effective_to"] = ["The end date must be on or after the start date."]
    else:
        clash = ChargingPolicy.objects.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=start))
        if end is not None:
            clash = clash.filter(effective_from__lte=end)
        if exclude is not None:
            clash = clash.exclude(pk=exclude.pk)
        other = clash.first()
        if other is not None:
            until = f"to {other.effective_to:%d %B %Y}" if other.effective_to else "with no end date"
            errors["effective_from"] = [
                f"These dates overlap “{other.name}” (from {other.effective_from:%d %B %Y} {until}): "
                "end that policy first, or choose other dates."
            ]
    if not rates:
        errors["rates"] = ["Give at least one rate."]
    for rate in rates:
        if rate.partner_amount <= 0 or rate.non_partner_amount <= 0:
            errors["rates"] = ["Every amount must be more than £0."]
        if rate.up_to_hours is not None and rate.up_to_hours <= 0:
            errors["rates"] = ["A session length must be more than 0 hours."]
    keys = [(rate.up_to_hours, rate.training_for_trainers) for rate in rates]
    if len(set(keys)) != len(keys):
        errors.setdefault("rates", []).append("Give each session length only one rate.")
    if errors:
        raise ValidationError(errors)


def create_policy(*, actor: Any, rates: list[RateInput], **fields: Any) -> ChargingPolicy:
    """A new version of the board's policy. Its dates must not overlap another version's."""
    fields["currency"] = str(fields.get("currency", "gbp")).lower()
    with transaction.atomic():
        # One writer at a time, so two versions cannot both pass the overlap check (the constraint still holds).
        list(ChargingPolicy.objects.select_for_update().all())
        _check_policy(fields, rates, exclude=None)
        policy = ChargingPolicy.objects.create(**fields)
        PolicyRate.objects.bulk_create(PolicyRate(policy=policy, **rate.__dict__) for rate in rates)
        record("charges.policy_created", actor=actor, obj=policy, summary=f"Charging policy “{policy.name}” added")
    return policy


def end_policy(policy: ChargingPolicy, *, on: date, actor: Any) -> ChargingPolicy:
    """End a version on `on` (a new version then starts the day after). Fees raised under it keep its terms."""
    if on < policy.effective_from:
        raise ValidationError({"effective_to": ["A policy cannot end before it starts."]})
    with transaction.atomic():
        policy = ChargingPolicy.objects.select_for_update().get(pk=policy.pk)
        before = policy.effective_to
        policy.effective_to = on
        policy.save(update_fields=["effective_to"])
        record(
            "charges.policy_ended",
            actor=actor,
            obj=policy,
            changes={"effective_to": [str(before) if before else None, str(on)]},
            summary=f"Charging policy “{policy.name}” ends on {on:%d %B %Y}",
        )
    return policy


def set_agency_terms(agency: Agency, *, actor: Any, **fields: Any) -> AgencyTerms:
    if fields.get("exempt") and not str(fields.get("exempt_reason", "")).strip():
        raise ValidationError({"exempt_reason": ["Say why the agency is exempt: it is recorded."]})
    with transaction.atomic():
        terms, _ = AgencyTerms.objects.update_or_create(agency=agency, defaults=fields)
        record("charges.agency_terms", actor=actor, obj=terms, summary=f"Charging terms for {agency} changed")
    return terms


# Working out a fee


def session_day(session: Session) -> date:
    return timezone.localtime(session.starts_at).date() if session.starts_at else timezone.localdate()


def is_late_cancellation(session: Session, cancelled_at: datetime) -> bool:
    """Cancelled with fewer working days' notice than the policy in force on the session's day asks for."""
    if session.starts_at is None:
        return False
    policy = policy_on(session_day(session))
    notice_days = policy.late_cancellation_working_days if policy is not None else 2
    return working_days_between(timezone.localtime(cancelled_at).date(), session_day(session)) < notice_days


def exemption(agency: Agency, policy: ChargingPolicy, terms: AgencyTerms | None) -> str:
    """Why this agency pays no fee under this policy; empty when it pays."""
    if terms is not None and terms.exempt:
        return terms.exempt_reason or "Exempt"
    board = current_board()
    if policy.exempt_trainer_agencies and board is not None:
        lends = TrainerProfile.objects.filter(
            home_agency=agency, services__board=board, services__status=BoardService.Status.APPROVED
        ).exists()
        if lends:
            return "Lends trainers to the board"
    limit = policy.small_group_turnover_limit
    if (
        limit is not None
        and agency.agency_type == AgencyType.VOLUNTARY
        and terms is not None
        and terms.declared_turnover is not None
        and terms.declared_turnover <= limit
    ):
        return f"Small voluntary group (turnover £{terms.declared_turnover:,})"
    return ""


def rate_for(course: Course, policy: ChargingPolicy) -> PolicyRate | None:
    """The rate for a course: training for trainers has its own; otherwise the shortest length that covers it."""
    rates = list(policy.rates.all())
    if course.category == Course.Category.TRAINING_FOR_TRAINERS:
        special = [rate for rate in rates if rate.training_for_trainers]
        if special:
            return special[0]
    by_length = sorted(
        (rate for rate in rates if not rate.training_for_trainers),
        key=lambda rate: (rate.up_to_hours is None, rate.up_to_hours or 0),
    )
    hours = course.duration_hours or Decimal("0")
    for rate in by_length:
        if rate.up_to_hours is None or hours <= rate.up_to_hours:
            return rate
    return None


REASON_BY_MARK = {
    Booking.Attendance.NO_SHOW: Fee.Reason.NO_SHOW,
    Booking.Attendance.LATE_CANCELLATION: Fee.Reason.LATE_CANCELLATION,
    Booking.Attendance.PARTIAL: Fee.Reason.PARTIAL,
}


def _counts(policy: ChargingPolicy, reason: str) -> bool:
    return {
        Fee.Reason.NO_SHOW: policy.charge_no_shows,
        Fee.Reason.LATE_CANCELLATION: policy.charge_late_cancellations,
        Fee.Reason.PARTIAL: policy.charge_partial_attendance,
    }[Fee.Reason(reason)]


def raise_fee(booking: Booking, reason: str, *, actor: Any) -> Fee | None:
    """Raise the fee this non-attendance costs the person's agency, if the policy charges it; never twice for a
    booking. Walk-ins, bookings with no agency and exempt agencies are not charged. Call inside a transaction."""
    if Fee.objects.filter(booking=booking).exists():
        return None
    fee = _charge(booking, reason, policy_on(session_day(booking.session)), actor=actor)
    if fee is not None:
        _mirror([fee])
    return fee


def _charge(booking: Booking, reason: str, policy: ChargingPolicy | None, *, actor: Any) -> Fee | None:
    """The fee for one booking that has none yet, under `policy` (the one in force on the session's day)."""
    if booking.walk_in or booking.agency_id is None or policy is None or not _counts(policy, reason):
        return None
    agency = booking.agency
    assert agency is not None
    terms = AgencyTerms.objects.filter(agency=agency).first()
    if exemption(agency, policy, terms):
        return None
    session = booking.session
    rate = rate_for(session.course, policy)
    if rate is None:
        return None
    partner = terms is None or terms.is_partner
    fee = Fee.objects.create(
        booking=booking,
        agency=agency,
        policy=policy,
        reason=reason,
        amount=rate.partner_amount if partner else rate.non_partner_amount,
        currency=policy.currency,
        non_partner_rate=not partner,
    )
    record(
        "charges.fee_raised",
        actor=actor,
        obj=fee,
        summary=f"{pounds(fee.amount)} fee to {agency}: {booking.user} — {fee.get_reason_display().lower()} — "
        f"“{session.course.title}”",
    )
    return fee


def raise_fees_for_register(session: Session, *, actor: Any) -> list[Fee]:
    """When a register closes: a fee for each no-show, cancellation on the day and (if the policy says so) partial
    attendance. Closing again raises nothing new (a booking has one fee at most). The policy is read once for the
    session, and the agency-facing copies are written in one statement."""
    rows = Booking.objects.filter(
        session=session, attendance__in=list(REASON_BY_MARK), fee__isnull=True
    ).select_related("session__course", "user", "agency")
    policy = policy_on(session_day(session))
    fees = [
        fee
        for row in rows
        if (fee := _charge(row, REASON_BY_MARK[Booking.Attendance(row.attendance)], policy, actor=actor)) is not None
    ]
    _mirror(fees)
    return fees


def raise_late_cancellation_fee(booking: Booking, *, actor: Any) -> Fee | None:
    """When a place is cancelled late (see is_late_cancellation)."""
    if not booking.cancelled_late:
        return None
    return raise_fee(booking, Fee.Reason.LATE_CANCELLATION, actor=actor)


# Changing a fee's state


def _locked_fee(fee: Fee) -> Fee:
    # No joins under the lock: after waiting for it, PostgreSQL re-reads the fee's row but not a joined row that a
    # concurrent transaction added, so related objects are read afresh, by their own statements.
    return Fee.objects.select_for_update().get(pk=fee.pk)


def _change(fee: Fee, status: str, *, actor: Any, action: str, summary: str, **fields: Any) -> Fee:
    before = fee.status
    fee.status = status
    for name, value in fields.items():
        setattr(fee, name, value)
    fee.save()
    record(action, actor=actor, obj=fee, changes={"status": [before, status]}, summary=summary)
    _close_settled_invoices([fee.invoice_id])
    _mirror([fee])
    return fee


def waive(fee: Fee, *, reason: str, actor: Any) -> Fee:
    """Drop a fee, with the reason. A fee already paid is refunded instead (see refund_fee)."""
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the fee is waived: it is recorded."]})
    with transaction.atomic():
        fee = _locked_fee(fee)
        if fee.status not in (*Fee.PAYABLE, Fee.Status.DISPUTED):
            raise ValidationError({"status": [f"This fee is {fee.get_status_display().lower()}: it cannot be waived."]})
        return _change(
            fee,
            Fee.Status.WAIVED,
            actor=actor,
            action="charges.fee_waived",
            summary=f"{pounds(fee.amount)} fee to {fee.agency} waived: {reason.strip()}",
            status_reason=reason.strip()[:500],
        )


def dispute(fee: Fee, *, reason: str, actor: Any) -> Fee:
    if not reason.strip():
        raise ValidationError({"reason": ["Say what is disputed: it is recorded."]})
    with transaction.atomic():
        fee = _locked_fee(fee)
        if fee.status not in Fee.PAYABLE:
            raise ValidationError(
                {"status": [f"This fee is {fee.get_status_display().lower()}: it cannot be disputed."]}
            )
        return _change(
            fee,
            Fee.Status.DISPUTED,
            actor=actor,
            action="charges.fee_disputed",
            summary=f"{pounds(fee.amount)} fee to {fee.agency} disputed: {reason.strip()}",
            status_reason=reason.strip()[:500],
        )


def resolve_dispute(fee: Fee, *, uphold: bool, note: str, actor: Any) -> Fee:
    """Settle a dispute: upheld, the fee stands (payable again); otherwise it is waived. The note is recorded."""
    if not note.strip():
        raise ValidationError({"note": ["Say how the dispute was resolved: it is recorded."]})
    with transaction.atomic():
        fee = _locked_fee(fee)
        if fee.status != Fee.Status.DISPUTED:
            raise ValidationError({"status": ["Only a disputed fee can be resolved."]})
        if uphold:
            status = Fee.Status.INVOICED if fee.invoice_id else Fee.Status.RAISED
            outcome = "upheld: the fee stands"
        else:
            status, outcome = Fee.Status.WAIVED, "resolved in the agency's favour: waived"
        return _change(
            fee,
            status,
            actor=actor,
            action="charges.dispute_resolved",
            summary=f"Dispute of the {pounds(fee.amount)} fee to {fee.agency} {outcome}: {note.strip()}",
            resolution=note.strip()[:500],
        )


# Invoices


def invoice_reference(number: int) -> str:
    board = current_board()
    prefix = board.slug.upper() if board is not None else "INV"
    return f"{prefix}-{number:06d}"


def _next_invoice_number() -> int:
    """The next number, taken under the counter's row lock in the caller's transaction: no gaps, no repeats."""
    InvoiceCounter.objects.get_or_create(pk=1)
    counter = InvoiceCounter.objects.select_for_update().get(pk=1)
    counter.last_number = F("last_number") + 1
    counter.save(update_fields=["last_number"])
    counter.refresh_from_db(fields=["last_number"])
    return int(counter.last_number)


def issue_invoices(*, period_start: date, period_end: date, actor: Any) -> list[Invoice]:
    """One invoice per agency for its fees raised in the period and not yet invoiced; each emailed to the agency's
    finance contacts after commit, with reminders stored for its due date."""
    if period_end < period_start:
        raise ValidationError({"period_end": ["The period must end on or after its start."]})
    invoices: list[Invoice] = []
    with transaction.atomic():
        fees = list(
            Fee.objects.select_for_update()
            .filter(status=Fee.Status.RAISED, invoice__isnull=True)
            .filter(raised_at__date__gte=period_start, raised_at__date__lte=period_end)
            .order_by("agency_id", "raised_at")
        )
        by_agency: dict[int, list[Fee]] = defaultdict(list)
        for fee in fees:
            by_agency[fee.agency_id].append(fee)
        today = timezone.localdate()
        for agency_id, agency_fees in sorted(by_agency.items()):
            terms_days = max(fee.policy.payment_terms_days for fee in agency_fees)
            invoice = Invoice.objects.create(
                number=_next_invoice_number(),
                agency_id=agency_id,
                period_start=period_start,
                period_end=period_end,
                due_on=today + timedelta(days=terms_days),
                total=sum(fee.amount for fee in agency_fees),
                currency=agency_fees[0].currency,
                issued_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            Fee.objects.filter(pk__in=[fee.pk for fee in agency_fees]).update(
                invoice=invoice, status=Fee.Status.INVOICED, updated_at=timezone.now()
            )
            record(
                "charges.invoice_issued",
                actor=actor,
                obj=invoice,
                summary=f"Invoice {invoice_reference(invoice.number)} to {invoice.agency} for {pounds(invoice.total)}"
                f" ({len(agency_fees)} fees)",
            )
            for offset in REMINDER_OFFSETS:
                due_work.schedule(
                    INVOICE_REMINDER_KIND,
                    key=f"{invoice.pk}:{offset}",
                    due_at=timezone.make_aware(
                        datetime.combine(invoice.due_on + timedelta(days=offset), datetime.min.time())
                    )
                    + timedelta(hours=9),
                    payload={"invoice": str(invoice.pk), "days_overdue": offset},
                )
            _send_on_commit("invoice", str(invoice.pk))
            invoices.append(invoice)
        _mirror(Fee.objects.filter(invoice__in=invoices))
    return invoices


def _close_settled_invoices(invoice_ids: Iterable[Any]) -> None:
    """An invoice with nothing left to pay is paid (if anything was paid) or closed."""
    for invoice in Invoice.objects.filter(pk__in=[pk for pk in invoice_ids if pk], status=Invoice.Status.OPEN):
        statuses = set(invoice.fees.values_list("status", flat=True))
        if statuses & {*Fee.PAYABLE, Fee.Status.DISPUTED}:
            continue
        invoice.status = Invoice.Status.PAID if Fee.Status.PAID in statuses else Invoice.Status.CLOSED
        invoice.save(update_fields=["status"])
        due_work.cancel_matching(INVOICE_REMINDER_KIND, key_prefix=f"{invoice.pk}:")


def finance_contacts(agency_id: int) -> list[str]:
    """Who receives an agency's invoices from this board: its finance contacts here, else its general address."""
    board = current_board()
    emails = list(
        Membership.objects.filter(board=board, role=Role.FINANCE, agency_id=agency_id, user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
    if not emails:
        general = Agency.objects.filter(pk=agency_id).values_list("email", flat=True).first()
        emails = [general] if general else []
    return emails


def _send_on_commit(kind: str, object_id: str, extra: int = 0) -> None:
    from tenant_apps.charges.tasks import send_charges_email

    enqueue_on_commit(send_charges_email, kind, object_id, extra)


# Paying through Stripe Checkout


def start_checkout(agency: Agency, fee_ids: list[str], *, actor: Any, success_url: str, cancel_url: str) -> Payment:
    """A Checkout Session on the board's connected account for these fees of one agency. Two attempts at once for
    the same fees get the same checkout; fees already in another checkout under way are refused, so one fee is
    never charged twice."""
    if not fee_ids:
        raise ValidationError({"fees": ["Choose at least one fee to pay."]})
    board = current_board()
    if board is None:
        raise ValidationError({"fees": ["Fees are paid to a board."]})
    with transaction.atomic():
        # Lock the fees first (no joins: see _locked_fee), then read what they point to with fresh statements, so
        # a checkout another request opened while this one waited is seen.
        locked = list(
            Fee.objects.select_for_update().filter(pk__in=fee_ids).order_by("pk").values_list("pk", flat=True)
        )
        fees = list(
            Fee.objects.filter(pk__in=locked)
            .select_related("payment", "booking__session__course", "booking__user")
            .order_by("pk")
        )
        if len(fees) != len(set(fee_ids)) or any(fee.agency_id != agency.pk for fee in fees):
            raise ValidationError({"fees": ["Some of these fees are not your agency's."]})
        unpayable = [fee for fee in fees if fee.status not in Fee.PAYABLE]
        if unpayable:
            raise ValidationError(
                {"fees": [f"{len(unpayable)} of these fees can no longer be paid (paid, waived or disputed)."]}
            )
        now = timezone.now()
        under_way = {fee.payment for fee in fees if fee.payment and _still_open(fee.payment, now)}
        if under_way:
            payment = under_way.pop()
            if not under_way and set(payment.items.values_list("fee_id", flat=True)) == {fee.pk for fee in fees}:
                return payment  # the same attempt again (a double click, a second tab): the same checkout
            raise ValidationError(
                {
                    "fees": [
                        "Some of these fees are in a payment already under way. Finish it, or try again after "
                        f"{timezone.localtime(payment.expires_at or now):%H:%M}."
                    ]
                }
            )
        account = public_payments.account_of_board(board.pk)
        if account is None or not account.charges_enabled or not settings.STRIPE_SECRET_KEY:
            raise ValidationError({"fees": [f"{board.name} cannot take payments online yet: pay by invoice."]})
        currency = fees[0].currency
        payment = Payment.objects.create(
            agency=agency,
            amount=sum(fee.amount for fee in fees),
            currency=currency,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            payer_email=getattr(actor, "email", "") or "",
            expires_at=now + CHECKOUT_LIFETIME,
        )
        PaymentItem.objects.bulk_create(PaymentItem(payment=payment, fee=fee, amount=fee.amount) for fee in fees)
        params: Any = {
            "mode": "payment",
            "line_items": [
                {
                    "price_data": {
                        "currency": currency,
                        "unit_amount": fee.amount,
                        "product_data": {"name": _line_description(fee)},
                    },
                    "quantity": 1,
                }
                for fee in fees
            ],
            "success_url": success_url,
            "cancel_url": cancel_url,
            "client_reference_id": str(payment.pk),
            "expires_at": int((payment.expires_at or now).timestamp()),
            "metadata": {"board": board.slug, "payment": str(payment.pk)},
            "payment_intent_data": {"metadata": {"board": board.slug, "payment": str(payment.pk)}},
        }
        if payment.payer_email:
            params["customer_email"] = payment.payer_email
        session = stripe_client().v1.checkout.sessions.create(
            params=params,
            options={"idempotency_key": f"checkout:{payment.pk}", "stripe_account": account.stripe_account_id},
        )
        payment.checkout_session_id, payment.checkout_url = session.id, session.url or ""
        payment.save(update_fields=["checkout_session_id", "checkout_url"])
        Fee.objects.filter(pk__in=[fee.pk for fee in fees]).update(payment=payment)
        record(
            "charges.checkout_started",
            actor=actor,
            obj=payment,
            summary=f"{agency} started paying {pounds(payment.amount)} ({len(fees)} fees)",
        )
    return payment


def _still_open(payment: Payment, now: datetime) -> bool:
    return payment.status == Payment.Status.OPEN and (payment.expires_at is None or payment.expires_at > now)


def _line_description(fee: Fee) -> str:
    booking = fee.booking
    day = session_day(booking.session)
    return (
        f"{fee.get_reason_display()}: {booking.user.full_name or booking.user.email}, "
        f"{booking.session.course.title}, {day:%d %b %Y}"
    )[:250]


def settle_checkout(checkout_session_id: str) -> str:
    """Act on a Checkout Session as Stripe has it now (re-read, never trusted from a webhook body): paid marks its
    fees paid (and refunds any fee no longer payable); expired frees its fees. Safe to run any number of times,
    in any order with other events."""
    board = current_board()
    account = public_payments.account_of_board(board.pk) if board is not None else None
    if account is None:
        return "no connected account"
    session = stripe_client().v1.checkout.sessions.retrieve(
        checkout_session_id, options={"stripe_account": account.stripe_account_id}
    )
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(checkout_session_id=checkout_session_id).first()
        if payment is None:
            return "unknown checkout"
        if session.payment_status == "paid":
            if payment.status == Payment.Status.PAID:
                return "already paid"
            return _record_payment(payment, session, account.stripe_account_id)
        if session.status == "expired" and payment.status == Payment.Status.OPEN:
            payment.status = Payment.Status.EXPIRED
            payment.save(update_fields=["status"])
            Fee.objects.filter(payment=payment, status__in=Fee.PAYABLE).update(payment=None)
            return "expired"
        return f"nothing to do ({session.status}, {session.payment_status})"


def _record_payment(payment: Payment, session: Any, account_id: str) -> str:
    now = timezone.now()
    payment.status, payment.paid_at = Payment.Status.PAID, now
    payment.payment_intent_id = str(session.payment_intent or "")
    payment.save(update_fields=["status", "paid_at", "payment_intent_id"])
    items = list(payment.items.select_related("fee").order_by("fee_id"))
    fees = {fee.pk: fee for fee in Fee.objects.select_for_update().filter(pk__in=[item.fee_id for item in items])}
    paid, refunded = [], []
    for item in items:
        fee = fees[item.fee_id]
        if fee.status in (*Fee.PAYABLE, Fee.Status.DISPUTED):
            fee.status, fee.paid_at, fee.payment = Fee.Status.PAID, now, payment
            fee.save(update_fields=["status", "paid_at", "payment", "updated_at"])
            paid.append(fee)
        else:
            # Waived, or paid by another checkout meanwhile: give this fee's share back.
            _refund(
                payment, fee, item.amount, account_id, reason=f"The fee was already {fee.get_status_display().lower()}"
            )
            refunded.append(fee)
    record(
        "charges.payment_received",
        actor=None,
        obj=payment,
        summary=f"{payment.agency} paid {pounds(payment.amount)} online ({len(paid)} fees"
        + (f"; {len(refunded)} refunded" if refunded else "")
        + ")",
    )
    _close_settled_invoices({fee.invoice_id for fee in paid})
    _mirror(paid)
    _send_on_commit("receipt", str(payment.pk))
    return f"paid {len(paid)}, refunded {len(refunded)}"


def _refund(payment: Payment, fee: Fee, amount: int, account_id: str, *, reason: str) -> Refund:
    existing = Refund.objects.filter(payment=payment, fee=fee).first()
    if existing is not None:
        return existing
    refund = stripe_client().v1.refunds.create(
        params={
            "payment_intent": payment.payment_intent_id,
            "amount": amount,
            "metadata": {"payment": str(payment.pk), "fee": str(fee.pk)},
        },
        options={"idempotency_key": f"refund:{payment.pk}:{fee.pk}", "stripe_account": account_id},
    )
    row = Refund.objects.create(payment=payment, fee=fee, amount=amount, stripe_refund_id=refund.id, reason=reason)
    record(
        "charges.refunded",
        actor=None,
        obj=row,
        summary=f"{pounds(amount)} refunded to {payment.agency}: {reason}",
    )
    _send_on_commit("refund", str(row.pk))
    return row


def refund_fee(fee: Fee, *, reason: str, actor: Any) -> Fee:
    """Give back a paid fee (waived after payment): refunded through Stripe, the fee marked refunded."""
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the fee is refunded: it is recorded."]})
    board = current_board()
    account = public_payments.account_of_board(board.pk) if board is not None else None
    with transaction.atomic():
        fee = _locked_fee(fee)
        if fee.status != Fee.Status.PAID or fee.payment is None or account is None:
            raise ValidationError({"status": ["Only a fee paid online can be refunded here."]})
        _refund(fee.payment, fee, fee.amount, account.stripe_account_id, reason=reason.strip())
        return _change(
            fee,
            Fee.Status.REFUNDED,
            actor=actor,
            action="charges.fee_refunded",
            summary=f"{pounds(fee.amount)} fee to {fee.agency} refunded: {reason.strip()}",
            status_reason=reason.strip()[:500],
        )


def handle_stripe_event(event_type: str, object_id: str) -> str:
    """Work for one Stripe event, in the board's schema. Re-reads the object from Stripe before acting."""
    if event_type.startswith("checkout.session."):
        return settle_checkout(object_id)
    if event_type == "account.updated":
        return refresh_connected_account()
    return "ignored"


# Connected account (the board is paid into its own Stripe account)


def start_onboarding(*, actor: Any, return_url: str, refresh_url: str) -> str:
    """The board's connected account (made once) and a fresh onboarding link for its administrator."""
    board = current_board()
    if board is None:
        raise ValidationError({"board": ["Only a board takes payments."]})
    stripe = stripe_client()
    account = public_payments.account_of_board(board.pk)
    if account is None:
        created = stripe.v1.accounts.create(
            params={
                "type": "express",
                "country": "GB",
                "business_profile": {"name": board.name},
                "metadata": {"board": board.slug},
            },
            options={"idempotency_key": f"account:{board.pk}"},
        )
        account = public_records.save_connected_account(board.pk, created)
        record("charges.account_created", actor=actor, obj=account, summary="Stripe account opened for payments")
    link = stripe.v1.account_links.create(
        params={
            "account": account.stripe_account_id,
            "refresh_url": refresh_url,
            "return_url": return_url,
            "type": "account_onboarding",
        }
    )
    return str(link.url)


def refresh_connected_account() -> str:
    board = current_board()
    account = public_payments.account_of_board(board.pk) if board is not None else None
    if board is None or account is None:
        return "no connected account"
    latest = stripe_client().v1.accounts.retrieve(account.stripe_account_id)
    public_records.save_connected_account(board.pk, latest)
    return "charges enabled" if latest.charges_enabled else "onboarding incomplete"


# The agency-facing copy


def _mirror(fees: Iterable[Fee]) -> None:
    board = current_board()
    if board is None:
        return
    ids = [fee.pk for fee in fees]
    if not ids:
        return
    rows = Fee.objects.filter(pk__in=ids).select_related("booking__session__course", "booking__user", "invoice")
    public_records.mirror_fees(
        board.pk,
        (
            {
                "fee_id": fee.pk,
                "agency_id": fee.agency_id,
                "person_name": fee.booking.user.full_name or fee.booking.user.email,
                "course_title": fee.booking.session.course.title,
                "session_date": session_day(fee.booking.session),
                "reason": fee.reason,
                "amount": fee.amount,
                "currency": fee.currency,
                "status": fee.status,
                "invoice_number": invoice_reference(fee.invoice.number) if fee.invoice else "",
                "due_on": fee.invoice.due_on if fee.invoice else None,
                "raised_at": fee.raised_at,
                "paid_at": fee.paid_at,
                "payment_id": fee.payment_id if fee.status == Fee.Status.PAID else None,
            }
            for fee in rows
        ),
    )
