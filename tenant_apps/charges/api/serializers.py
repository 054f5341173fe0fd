"""The shapes of charging over the API. Amounts are whole pence; the services check every rule."""

from __future__ import annotations

from datetime import date
from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from lscb_platform.api_fields import StrictModelSerializer, StrictSerializer
from tenant_apps.charges.models import ChargingPolicy, Fee, Invoice
from tenant_apps.charges.services import invoice_reference, session_day

# £10,000: no fee is more (the pages' limit too); it also keeps an amount inside the database's integers.
MOST_PENCE = 1_000_000


class FeeSerializer(serializers.ModelSerializer[Fee]):
    person = serializers.SerializerMethodField(help_text="The name of the person who did not attend.")
    person_email = serializers.SerializerMethodField()
    agency_name = serializers.SerializerMethodField()
    course = serializers.SerializerMethodField(help_text="The course's title.")
    session_date = serializers.SerializerMethodField()
    invoice_reference = serializers.SerializerMethodField(help_text="Empty until the fee is invoiced.")

    class Meta:
        model = Fee
        fields = [
            "id",
            "booking",
            "person",
            "person_email",
            "agency",
            "agency_name",
            "course",
            "session_date",
            "reason",
            "amount",
            "currency",
            "non_partner_rate",
            "status",
            "status_reason",
            "resolution",
            "invoice",
            "invoice_reference",
            "raised_at",
            "paid_at",
        ]
        read_only_fields = fields
        extra_kwargs = {"amount": {"help_text": "In pence."}}

    def get_person(self, fee: Fee) -> str:
        return str(fee.booking.user.full_name or fee.booking.user.email)

    def get_person_email(self, fee: Fee) -> str:
        return str(fee.booking.user.email)

    def get_agency_name(self, fee: Fee) -> str:
        return str(fee.agency.name)

    def get_course(self, fee: Fee) -> str:
        return str(fee.booking.session.course.title)

    def get_session_date(self, fee: Fee) -> date:
        return session_day(fee.booking.session)

    def get_invoice_reference(self, fee: Fee) -> str:
        return invoice_reference(fee.invoice.number) if fee.invoice else ""


class FeeQuerySerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=Fee.Status.choices, required=False, help_text="Only fees in this state.")
    agency = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="Only fees charged to this agency (id)."
    )
    reason = serializers.ChoiceField(choices=Fee.Reason.choices, required=False, help_text="Only fees for this.")


class FeeReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=500, allow_blank=True, help_text="Recorded in the fee's history.")


class ResolveDisputeSerializer(StrictSerializer):
    uphold = serializers.BooleanField(help_text="true: the fee stands (payable again); false: it is waived.")
    note = serializers.CharField(max_length=500, allow_blank=True, help_text="How the dispute was resolved.")


class PolicyRateSerializer(serializers.Serializer[Any]):
    up_to_hours = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text="Sessions up to this many hours; leave out (null) for longer sessions.",
    )
    training_for_trainers = serializers.BooleanField(required=False, default=False)
    partner_amount = serializers.IntegerField(max_value=MOST_PENCE, help_text="In pence; more than 0.")
    non_partner_amount = serializers.IntegerField(max_value=MOST_PENCE, help_text="In pence; more than 0.")

    def to_internal_value(self, data: Any) -> Any:
        # A rate sits inside the policy's body, so the strict check of the body's own fields does not reach it.
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["This field is not recognised (check the spelling, or leave it out)."] for name in unknown}
                )
        return super().to_internal_value(data)


class ChargingPolicySerializer(StrictModelSerializer[ChargingPolicy]):
    rates = PolicyRateSerializer(many=True, help_text="At least one rate.")
    currency = serializers.CharField(
        max_length=10, required=False, default="gbp", help_text="gbp (pounds), the only currency charged in."
    )
    fee_count = serializers.IntegerField(read_only=True, help_text="Fees raised under this version.")

    class Meta:
        model = ChargingPolicy
        fields = [
            "id",
            "name",
            "effective_from",
            "effective_to",
            "currency",
            "late_cancellation_working_days",
            "charge_no_shows",
            "charge_late_cancellations",
            "charge_partial_attendance",
            "exempt_trainer_agencies",
            "small_group_turnover_limit",
            "payment_terms_days",
            "rates",
            "fee_count",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


class InvoiceSerializer(serializers.ModelSerializer[Invoice]):
    reference = serializers.SerializerMethodField(help_text="The number as printed, e.g. LEEDS-000012.")
    agency_name = serializers.SerializerMethodField()
    fee_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "reference",
            "agency",
            "agency_name",
            "period_start",
            "period_end",
            "issued_at",
            "due_on",
            "total",
            "currency",
            "status",
            "fee_count",
        ]
        read_only_fields = fields
        extra_kwargs = {"total": {"help_text": "In pence, when issued."}}

    def get_reference(self, invoice: Invoice) -> str:
        return invoice_reference(invoice.number)

    def get_agency_name(self, invoice: Invoice) -> str:
        return str(invoice.agency.name)


class PeriodQuerySerializer(serializers.Serializer[Any]):
    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        # "from" is a Python keyword, so these two cannot be class attributes.
        fields["from"] = serializers.DateField(
            required=False, help_text="First session date of the period (default: this financial quarter)."
        )
        fields["to"] = serializers.DateField(required=False, help_text="Last session date of the period.")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("from"), attrs.get("to")
        if (start is None) != (end is None):
            raise serializers.ValidationError({"to" if end is None else "from": ["Give both dates, or neither."]})
        if start and end and end < start:
            raise serializers.ValidationError({"to": ["The end of the period must be on or after its start."]})
        return attrs


@extend_schema_serializer(many=False)
class FeeFiguresSerializer(serializers.Serializer[Any]):
    """Non-attendances and fees of a period, by session date. Amounts in pence."""

    no_shows = serializers.IntegerField()
    late_cancellations = serializers.IntegerField()
    partial_attendance = serializers.IntegerField(source="partial", help_text="Arrived late or left early.")
    non_attendances = serializers.IntegerField()
    requested_count = serializers.IntegerField()
    requested = serializers.IntegerField()
    paid_count = serializers.IntegerField()
    paid = serializers.IntegerField()
    waived_count = serializers.IntegerField()
    waived = serializers.IntegerField()
    refunded_count = serializers.IntegerField()
    refunded = serializers.IntegerField()
    outstanding_count = serializers.IntegerField()
    outstanding = serializers.IntegerField()
    collection_rate = serializers.FloatField(
        allow_null=True, help_text="paid / (requested - waived - refunded), 0 to 1; null when nothing is due."
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField(source="start")
        fields["to"] = serializers.DateField(source="end")
        return fields
