"""Forms of the charging pages. They check the shape of what was typed (a real date, an amount in pounds); the
rules (periods that must not overlap, a currency we charge in, reasons that must be given) are the services'."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from shared_apps.agencies.models import Agency
from tenant_apps.charges import selectors
from tenant_apps.charges.models import Fee
from tenant_apps.charges.services import RateInput

# Generous, but catches a slip of the keyboard (3500 typed for £35.00 is fine; 350000 is not a fee).
MOST_POUNDS = Decimal("10000")
# Up to three rates by session length, and one for training for trainers.
LENGTH_ROWS = (1, 2, 3)
COUNTS = [
    ("no_show", "Not attending (no-shows)"),
    ("late_cancellation", "Cancelling late"),
    ("partial", "Arriving late or leaving early"),
]


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput,
        error_messages={"required": f"Enter {label[:1].lower()}{label[1:]}", "invalid": f"{label} must be a real date"},
    )


def _reason(label: str, missing: str, hint: str = "Recorded in the fee's history.") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=500,
        widget=forms.Textarea,
        error_messages={"required": missing, "max_length": "Keep it to 500 characters or fewer"},
    )


class PoundsField(forms.CharField):
    """An amount typed in pounds (35, 35.00, £1,000.50), cleaned to whole pence."""

    def __init__(self, *, what: str, **kwargs: Any) -> None:
        self.what = what
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> int | None:
        text = str(super().clean(value) or "").strip().replace(",", "").removeprefix("£").strip()
        if not text:
            return None
        if not re.fullmatch(r"-?\d+(\.\d+)?", text):
            raise forms.ValidationError(f"Enter the {self.what} in pounds, like 35.00")
        try:
            pounds = Decimal(text)
        except InvalidOperation as error:
            raise forms.ValidationError(f"Enter the {self.what} in pounds, like 35.00") from error
        if pounds <= 0:
            raise forms.ValidationError(f"The {self.what} must be more than £0")
        if pounds != pounds.quantize(Decimal("0.01")):
            raise forms.ValidationError(f"Enter the {self.what} in pounds and pence, like 35.50")
        if pounds > MOST_POUNDS:
            raise forms.ValidationError(f"The {self.what} must be £{MOST_POUNDS:,} or less")
        return int(pounds * 100)


class PolicyForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=150,
        help_text="For example, Leeds charging policy 2031 to 2032.",
        error_messages={"required": "Enter a name for the policy"},
    )
    effective_from = _date("Date the policy starts", help_text="For example, 1 4 2031")
    effective_to = _date(
        "Date the policy ends", required=False, help_text="Leave empty if it runs until a new version replaces it."
    )
    currency = forms.CharField(
        label="Currency",
        max_length=3,
        initial="GBP",
        help_text="GBP (pounds): the only currency fees are charged in.",
        error_messages={"required": "Enter the currency, GBP", "max_length": "Enter a 3-letter currency code, GBP"},
    )
    late_cancellation_working_days = forms.IntegerField(
        label="Notice needed to cancel without a fee, in working days",
        min_value=0,
        max_value=30,
        initial=3,
        help_text="Weekends and bank holidays in England and Wales do not count.",
        error_messages={
            "required": "Enter the working days of notice, like 3",
            "invalid": "The notice must be a whole number of working days, like 3",
            "min_value": "The notice must be 0 working days or more",
            "max_value": "The notice must be 30 working days or fewer",
        },
    )
    counts = forms.MultipleChoiceField(
        label="What is charged for",
        choices=COUNTS,
        required=False,
        initial=["no_show", "late_cancellation"],
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    exempt_trainer_agencies = forms.BooleanField(
        label="Agencies that lend trainers to the board pay no fees", required=False, initial=True
    )
    small_group_turnover_limit = forms.IntegerField(
        label="Small voluntary groups pay no fees up to this yearly turnover, in pounds",
        required=False,
        min_value=0,
        help_text="Leave empty if small groups pay like anyone else.",
        error_messages={
            "invalid": "Enter the turnover in whole pounds, like 50000",
            "min_value": "The turnover must be £0 or more",
        },
    )
    payment_terms_days = forms.IntegerField(
        label="Days an invoice gives to pay",
        min_value=1,
        max_value=365,
        initial=30,
        error_messages={
            "required": "Enter the days an invoice gives to pay, like 30",
            "invalid": "Enter a whole number of days, like 30",
            "min_value": "An invoice must give at least 1 day to pay",
            "max_value": "An invoice must give 365 days or fewer to pay",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in LENGTH_ROWS:
            self.fields[f"rate_{row}_hours"] = forms.DecimalField(
                label=f"Rate {row}: sessions up to this many hours",
                required=False,
                min_value=Decimal("0.25"),
                max_value=Decimal("99"),
                decimal_places=2,
                help_text="Leave empty for the rate of longer sessions (any length not covered above).",
                error_messages={
                    "invalid": "Enter the hours as a number, like 4 or 3.5",
                    "min_value": "A session length must be more than 0 hours",
                    "max_value": "A session length must be 99 hours or fewer",
                    "max_decimal_places": "Enter the hours to at most 2 decimal places",
                },
            )
            self.fields[f"rate_{row}_partner"] = PoundsField(
                label=f"Rate {row}: partners pay, in pounds", what=f"rate {row} partner fee"
            )
            self.fields[f"rate_{row}_non_partner"] = PoundsField(
                label=f"Rate {row}: non-partners pay, in pounds", what=f"rate {row} non-partner fee"
            )
        self.fields["tft_partner"] = PoundsField(
            label="Training for trainers: partners pay, in pounds", what="training for trainers partner fee"
        )
        self.fields["tft_non_partner"] = PoundsField(
            label="Training for trainers: non-partners pay, in pounds", what="training for trainers non-partner fee"
        )

    def rows(self) -> list[dict[str, Any]]:
        """The rate rows as bound fields, for the template."""
        rows: list[dict[str, Any]] = [
            {
                "legend": f"Rate {row}",
                "hours": self[f"rate_{row}_hours"],
                "partner": self[f"rate_{row}_partner"],
                "non_partner": self[f"rate_{row}_non_partner"],
            }
            for row in LENGTH_ROWS
        ]
        rows.append(
            {
                "legend": "Training for trainers",
                "hours": None,
                "partner": self["tft_partner"],
                "non_partner": self["tft_non_partner"],
            }
        )
        return rows

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for prefix in [f"rate_{row}" for row in LENGTH_ROWS] + ["tft"]:
            partner, non_partner = f"{prefix}_partner", f"{prefix}_non_partner"
            if partner in self.errors or non_partner in self.errors:
                continue
            given = [data.get(partner), data.get(non_partner)]
            if given.count(None) == 1:
                missing = partner if data.get(partner) is None else non_partner
                self.add_error(missing, "Enter both amounts for this rate, or neither")
            elif given.count(None) == 2 and data.get(f"{prefix}_hours") is not None:
                self.add_error(partner, "Enter the amounts for this session length, or remove the hours")
        return data

    def rates(self) -> list[RateInput]:
        data = self.cleaned_data
        rates = [
            RateInput(
                partner_amount=data[f"rate_{row}_partner"],
                non_partner_amount=data[f"rate_{row}_non_partner"],
                up_to_hours=data.get(f"rate_{row}_hours"),
            )
            for row in LENGTH_ROWS
            if data.get(f"rate_{row}_partner") is not None
        ]
        if data.get("tft_partner") is not None:
            rates.append(
                RateInput(
                    partner_amount=data["tft_partner"],
                    non_partner_amount=data["tft_non_partner"],
                    training_for_trainers=True,
                )
            )
        return rates

    def policy_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        counts = set(data.get("counts") or [])
        return {
            "name": data["name"],
            "effective_from": data["effective_from"],
            "effective_to": data.get("effective_to"),
            "currency": data["currency"].strip(),
            "late_cancellation_working_days": data["late_cancellation_working_days"],
            "charge_no_shows": "no_show" in counts,
            "charge_late_cancellations": "late_cancellation" in counts,
            "charge_partial_attendance": "partial" in counts,
            "exempt_trainer_agencies": data["exempt_trainer_agencies"],
            "small_group_turnover_limit": data.get("small_group_turnover_limit"),
            "payment_terms_days": data["payment_terms_days"],
        }


# Where a service's error about the rates is shown: on the first rate's amount.
POLICY_ERROR_FIELDS = {"rates": "rate_1_partner"}


class EndPolicyForm(forms.Form):
    effective_to = _date("Last day the policy is in force", help_text="A new version can start the day after.")


class AgencyTermsForm(forms.Form):
    is_partner = forms.BooleanField(label="A partner agency (pays the partner rates)", required=False, initial=True)
    declared_turnover = forms.IntegerField(
        label="Declared yearly turnover, in pounds",
        required=False,
        min_value=0,
        help_text="For voluntary groups: small groups may pay no fees under the policy.",
        error_messages={
            "invalid": "Enter the turnover in whole pounds, like 20000",
            "min_value": "The turnover must be £0 or more",
        },
    )
    exempt = forms.BooleanField(label="Exempt from all fees", required=False)
    exempt_reason = forms.CharField(
        label="Why the agency is exempt",
        required=False,
        max_length=300,
        help_text="Needed when the agency is exempt. Recorded.",
        error_messages={"max_length": "Keep the reason to 300 characters or fewer"},
    )


class WaiveForm(forms.Form):
    reason = _reason("Why is the fee waived?", "Say why the fee is waived")


class DisputeForm(forms.Form):
    reason = _reason("What does the agency dispute?", "Say what the agency disputes")


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome of the dispute",
        choices=[("uphold", "The fee stands: the agency pays it"), ("waive", "The agency is right: waive the fee")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome of the dispute"},
    )
    note = _reason("How was the dispute resolved?", "Say how the dispute was resolved")


class RefundForm(forms.Form):
    reason = _reason(
        "Why is the fee refunded?",
        "Say why the fee is refunded",
        hint="The agency gets the money back through Stripe. Recorded in the fee's history.",
    )


class IssueInvoicesForm(forms.Form):
    period_start = _date("First day of the period", help_text="Fees raised from this day are invoiced.")
    period_end = _date("Last day of the period")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The last day must be the same as or after the first day")
        return data


class FeeFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Fee.Status.choices])
    agency = forms.TypedChoiceField(label="Agency", required=False, coerce=int, empty_value=None)
    reason = forms.ChoiceField(label="Reason", required=False, choices=[("", "Any reason"), *Fee.Reason.choices])

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.TypedChoiceField)
        agency.choices = [("", "Any agency"), *((a.pk, a.name) for a in agencies)]
        self.fields["from"] = _date("Sessions from", required=False)
        self.fields["to"] = _date("Sessions to", required=False)

    def filters(self) -> selectors.FeeFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return selectors.FeeFilters(
            status=data.get("status", ""),
            agency_id=data.get("agency"),
            reason=data.get("reason", ""),
            start=data.get("from"),
            end=data.get("to"),
        )


class PeriodForm(forms.Form):
    """The overview's period: a financial-year quarter, or dates of one's own (which win when both are given)."""

    quarter = forms.ChoiceField(label="Quarter", required=False)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        quarter = self.fields["quarter"]
        assert isinstance(quarter, forms.ChoiceField)
        offered = list(reversed(selectors.recent_quarters(today, 8)))
        # A quarter further back (from a link or a bookmark) is offered too.
        asked = selectors.quarter_by_key(str(self.data.get("quarter", "")))
        if asked is not None and asked not in offered:
            offered.append(asked)
        quarter.choices = [(q.key, f"{q.label} (quarter {q.number} of {q.financial_year})") for q in offered]
        self.fields["from"] = _date("From", required=False, help_text="For example, 1 4 2031")
        self.fields["to"] = _date("To", required=False, help_text="For example, 30 6 2031")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if (start is None) != (end is None) and not self.errors:
            self.add_error("to" if end is None else "from", "Enter both dates of the period, or neither")
        if start and end and end < start:
            self.add_error("to", "The end of the period must be the same as or after its start")
        return data

    def period(self) -> tuple[date, date, str]:
        """Start, end, and how to name the period on the page."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("from") and data.get("to"):
            return data["from"], data["to"], f"{data['from']:%-d %B %Y} to {data['to']:%-d %B %Y}"
        chosen = selectors.quarter_by_key(data.get("quarter") or "") or selectors.quarter_of(self.today)
        return chosen.start, chosen.end, chosen.label
