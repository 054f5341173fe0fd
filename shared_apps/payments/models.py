"""Money across boards, in the public schema: each board's Stripe connected account, every Stripe event received
(each stored once), and a mirror of every board's fees so that an agency's finance contact sees all their
agency's fees, in every board, from one query. The mirror is written only by the charges services, in the same
transaction as the fee."""

from __future__ import annotations

from django.db import models


class ConnectedAccount(models.Model):
    """The Stripe account a board is paid into (Stripe Connect)."""

    board = models.OneToOneField("tenants.Board", on_delete=models.CASCADE, related_name="stripe_account")
    stripe_account_id = models.CharField(max_length=255, unique=True)
    charges_enabled = models.BooleanField(default=False)
    details_submitted = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.stripe_account_id


class StripeEvent(models.Model):
    """A webhook event, stored once by its id: a redelivered event finds its row and changes nothing."""

    event_id = models.CharField(max_length=255, unique=True)
    event_type = models.CharField(max_length=100)
    account_id = models.CharField(max_length=255, blank=True)
    board = models.ForeignKey("tenants.Board", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"


class FeeEntry(models.Model):
    board = models.ForeignKey("tenants.Board", on_delete=models.CASCADE, related_name="+")
    fee_id = models.UUIDField()
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    person_name = models.CharField(max_length=200)
    course_title = models.CharField(max_length=200)
    session_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=20)  # charges.Fee.Reason values
    amount = models.PositiveIntegerField()  # pence
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10)  # charges.Fee.Status values
    invoice_number = models.CharField(max_length=30, blank=True)
    due_on = models.DateField(null=True, blank=True)
    raised_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_id = models.UUIDField(null=True, blank=True)  # the board's charges.Payment that paid it (receipt)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-raised_at"]
        constraints = [models.UniqueConstraint(fields=["board", "fee_id"], name="one_entry_per_fee")]
        indexes = [models.Index(fields=["agency", "status"], name="fee_entries_of_agency_idx")]

    def __str__(self) -> str:
        return f"{self.fee_id} ({self.status})"
