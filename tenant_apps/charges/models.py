"""Non-attendance fees: each board's charging policy (versioned by the dates it is in force), the fees it raises
against agencies, invoices numbered without gaps, and the payments agencies make online (Stripe Checkout)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import Func, Q

# The currencies a board may charge in (English boards charge in pounds; Stripe's lower-case codes).
CURRENCIES = {"gbp": "Pound sterling"}


class DateRangeOf(Func):
    """daterange(from, to, '[]'): the days a policy is in force (an open end runs for ever)."""

    function = "DATERANGE"
    output_field = DateRangeField()

    def __init__(self, start: str, end: str) -> None:
        super().__init__(models.F(start), models.F(end), RangeBoundary(inclusive_lower=True, inclusive_upper=True))


class ChargingPolicy(models.Model):
    """One version of the board's charging policy, in force from `effective_from` to `effective_to` (inclusive;
    open-ended when empty). Versions never overlap, so every day has at most one policy."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=150)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    currency = models.CharField(max_length=3, default="gbp")
    late_cancellation_working_days = models.PositiveSmallIntegerField(
        default=3, help_text="Cancelling with fewer working days' notice than this is a late cancellation."
    )
    charge_no_shows = models.BooleanField(default=True)
    charge_late_cancellations = models.BooleanField(default=True)
    charge_partial_attendance = models.BooleanField(
        default=False, help_text="Arriving late or leaving early counts as non-attendance."
    )
    exempt_trainer_agencies = models.BooleanField(
        default=True, help_text="Agencies that lend trainers to the board pay no fees."
    )
    small_group_turnover_limit = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Voluntary groups declaring a yearly turnover up to this many pounds pay no fees (empty: none).",
    )
    payment_terms_days = models.PositiveSmallIntegerField(default=30, help_text="Days an invoice gives to pay.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name_plural = "charging policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="policy_ends_after_it_starts",
            ),
            ExclusionConstraint(
                name="policy_periods_never_overlap",
                expressions=[(DateRangeOf("effective_from", "effective_to"), RangeOperators.OVERLAPS)],
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PolicyRate(models.Model):
    """A fee by session length: up to `up_to_hours` (the longest rate has none), or for training for trainers."""

    policy = models.ForeignKey(ChargingPolicy, on_delete=models.CASCADE, related_name="rates")
    up_to_hours = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    training_for_trainers = models.BooleanField(default=False)
    partner_amount = models.PositiveIntegerField(help_text="In pence.")
    non_partner_amount = models.PositiveIntegerField(help_text="In pence.")

    class Meta:
        ordering = ["training_for_trainers", models.F("up_to_hours").asc(nulls_last=True)]
        constraints = [
            models.CheckConstraint(
                condition=Q(partner_amount__gt=0) & Q(non_partner_amount__gt=0), name="rates_are_positive"
            ),
            models.UniqueConstraint(
                fields=["policy", "up_to_hours", "training_for_trainers"],
                name="one_rate_per_length",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        if self.training_for_trainers:
            return "Training for trainers"
        return f"Up to {self.up_to_hours} hours" if self.up_to_hours is not None else "Longer sessions"


class AgencyTerms(models.Model):
    """How this board treats one agency: partner or not, declared turnover, a standing exemption."""

    agency = models.OneToOneField("agencies.Agency", on_delete=models.DO_NOTHING, related_name="+")
    is_partner = models.BooleanField(default=True)
    declared_turnover = models.PositiveIntegerField(null=True, blank=True, help_text="Yearly, in pounds.")
    exempt = models.BooleanField(default=False)
    exempt_reason = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "agency terms"

    def __str__(self) -> str:
        return f"Terms for {self.agency_id}"


class InvoiceCounter(models.Model):
    """The last invoice number used. Taken under a row lock in the invoice's own transaction, so numbers run
    without gaps (a sequence would skip the numbers of rolled-back transactions)."""

    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Last invoice number {self.last_number}"


class Invoice(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Awaiting payment"
        PAID = "paid", "Paid"
        CLOSED = "closed", "Closed"  # nothing left to pay: every fee waived or refunded

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.PositiveIntegerField(unique=True)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.DO_NOTHING, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    issued_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField()
    total = models.PositiveIntegerField(help_text="In pence, when issued.")
    currency = models.CharField(max_length=3, default="gbp")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+"
    )

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Invoice {self.number}"


class Payment(models.Model):
    """One Stripe Checkout Session paying some of one agency's fees to this board."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for payment"
        PAID = "paid", "Paid"
        EXPIRED = "expired", "Expired"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.DO_NOTHING, related_name="+")
    amount = models.PositiveIntegerField(help_text="In pence.")
    currency = models.CharField(max_length=3, default="gbp")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    checkout_session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    checkout_url = models.URLField(max_length=2000, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    payment_intent_id = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+"
    )
    payer_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Payment {self.checkout_session_id or self.pk}"


class Fee(models.Model):
    """A non-attendance fee raised by the board against the agency that employs the person. One per booking at
    most (the unique booking), so closing a register again or a retried task never raises a second."""

    class Reason(models.TextChoices):
        NO_SHOW = "no_show", "Did not attend"
        LATE_CANCELLATION = "late_cancellation", "Cancelled late"
        PARTIAL = "partial", "Arrived late or left early"

    class Status(models.TextChoices):
        RAISED = "raised", "Raised"
        INVOICED = "invoiced", "Invoiced"
        PAID = "paid", "Paid"
        WAIVED = "waived", "Waived"
        DISPUTED = "disputed", "Disputed"
        REFUNDED = "refunded", "Refunded"

    PAYABLE = (Status.RAISED, Status.INVOICED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    booking = models.OneToOneField("booking.Booking", on_delete=models.PROTECT, related_name="fee")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.DO_NOTHING, related_name="+")
    policy = models.ForeignKey(ChargingPolicy, on_delete=models.PROTECT, related_name="fees")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    amount = models.PositiveIntegerField(help_text="In pence.")
    currency = models.CharField(max_length=3, default="gbp")
    non_partner_rate = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RAISED)
    # Why it was waived or disputed, and how a dispute was resolved.
    status_reason = models.CharField(max_length=500, blank=True)
    resolution = models.CharField(max_length=500, blank=True)
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="fees")
    # The checkout under way for this fee (at most one at a time), then the one that paid it.
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="fees")
    raised_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-raised_at"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="fees_are_positive")]
        indexes = [models.Index(fields=["agency", "status"], name="fees_of_an_agency_idx")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: £{self.amount / 100:.2f}"


class Refund(models.Model):
    """Money given back through Stripe: a fee paid twice, or waived after the agency paid it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    fee = models.ForeignKey(Fee, on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveIntegerField(help_text="In pence.")
    stripe_refund_id = models.CharField(max_length=255, unique=True)
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["payment", "fee"], name="one_refund_per_fee_payment")]

    def __str__(self) -> str:
        return f"Refund {self.stripe_refund_id}"


class ChargeEmail(models.Model):
    """One email about fees (an invoice, a reminder, a receipt) to one address: the unique key means a task run
    twice sends once."""

    key = models.CharField(max_length=120)
    sent_to = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "sent_to"], name="each_charge_email_once")]

    def __str__(self) -> str:
        return f"{self.key} to {self.sent_to}"


class PaymentItem(models.Model):
    """A fee a payment covers, and how much of the payment was for it (so a refund takes back exactly that)."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="items")
    fee = models.ForeignKey(Fee, on_delete=models.PROTECT, related_name="payment_items")
    amount = models.PositiveIntegerField(help_text="In pence.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["payment", "fee"], name="each_fee_once_per_payment")]

    def __str__(self) -> str:
        return f"{self.fee_id} in {self.payment_id}"
