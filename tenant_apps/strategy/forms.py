"""Forms for the strategy pages. They check the shape of what was typed; the services decide what is allowed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from tenant_apps.strategy.models import PlanItem, Rag, Strategy, StrategyItem
from tenant_apps.strategy.rules import TARGET_HELP

DATE_HINT = "For example, 16 3 2017"


class DatePartsWidget(forms.Widget):
    """The GOV.UK date input: day, month and year boxes. Rendered by strategy/includes/date_field.html."""

    PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))
    template_name = "strategy/widgets/date_parts.html"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [str(data.get(f"{name}-{part}", "")) for part, _, _ in self.PARTS]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return all(f"{name}-{part}" not in data for part, _, _ in self.PARTS)

    def id_for_label(self, id_: str) -> str:
        return f"{id_}-day" if id_ else ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if isinstance(value, date):
            values = [str(value.day), str(value.month), str(value.year)]
        elif isinstance(value, list | tuple):
            values = [str(part) for part in value]
        else:
            values = ["", "", ""]
        id_ = (attrs or {}).get("id", f"id_{name}")
        context["widget"]["parts"] = [
            {"name": f"{name}-{part}", "id": f"{id_}-{part}", "label": label, "width": width, "value": part_value}
            for (part, label, width), part_value in zip(self.PARTS, values, strict=True)
        ]
        return context


class DayMonthYearField(forms.Field):
    """A date typed as day, month and year, with the GOV.UK date input's error messages."""

    widget = DatePartsWidget

    def __init__(self, *, required_message: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("help_text", DATE_HINT)
        super().__init__(**kwargs)
        self.required_message = required_message

    def clean(self, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        day, month, year = (str(part).strip() for part in (value or ["", "", ""]))
        label = str(self.label)
        if not (day or month or year):
            if self.required:
                raise ValidationError(self.required_message or f"Enter {label[:1].lower()}{label[1:]}")
            return None
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise ValidationError(f"{label} must include a {' and a '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{label} must be a real date")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers")
        try:
            return date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError(f"{label} must be a real date") from exc


def _text(label: str, *, max_length: int, required_message: str = "", **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=bool(required_message),
        error_messages={
            "required": required_message,
            "max_length": f"{label} must be {max_length:,} characters or fewer",
        },
        **kwargs,
    )


def _long_text(label: str, *, max_length: int, required_message: str = "", **kwargs: Any) -> forms.CharField:
    return _text(label, max_length=max_length, required_message=required_message, widget=forms.Textarea, **kwargs)


def _number(label: str, *, required: bool = False, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        error_messages={
            "required": f"Enter {label.lower()}",
            "invalid": f"{label} must be a whole number, like 3",
            "min_value": f"{label} must be %(limit_value)s or more",
            "max_value": f"{label} must be %(limit_value)s or less",
        },
        **kwargs,
    )


class StrategyForm(forms.Form):
    title = _text("Title", max_length=200, required_message="Enter the strategy's title")
    period_start = DayMonthYearField(label="Start of the period", required_message="Enter the date the strategy starts")
    period_end = DayMonthYearField(label="End of the period", required_message="Enter the date the strategy ends")
    status = forms.ChoiceField(
        label="Status",
        choices=Strategy.Status.choices,
        initial=Strategy.Status.DRAFT,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the strategy's status",
            "invalid_choice": "Choose draft, adopted or superseded",
        },
    )
    adopted_on = DayMonthYearField(
        label="Date adopted", required=False, help_text="Needed once the strategy is adopted. " + DATE_HINT
    )
    review_cycle_months = _number(
        "Review cycle in months",
        required=True,
        min_value=1,
        max_value=120,
        initial=36,
        help_text="How often the strategy is reviewed: 36 for every three years, 24 for every two.",
    )
    last_reviewed_on = DayMonthYearField(label="Date of the last review", required=False)
    version_label = _text("Version", max_length=40, help_text="As the document says, for example 1.2 or Working copy.")
    headline = _long_text("Headline", max_length=400, help_text="One or two sentences shown on the home page.")
    introduction = _long_text("Introduction", max_length=50000, help_text="The purpose and context of the strategy.")


class ItemForm(forms.Form):
    section = forms.ChoiceField(
        label="Section",
        choices=StrategyItem.Section.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the section this belongs in",
            "invalid_choice": "Choose one of the sections listed",
        },
    )
    title = _text("Title", max_length=200, help_text="A short name, for example Analysing needs.")
    body = _long_text("Text", max_length=20000)


class SignOffForm(forms.Form):
    role = _text(
        "Role",
        max_length=120,
        required_message="Enter the role of the person signing off",
        help_text="For example, Independent Chair.",
    )
    name = _text("Name", max_length=150, required_message="Enter the name of the person signing off")
    signed_on = DayMonthYearField(label="Date signed", required=False)
    version_label = _text("Version signed", max_length=40)


class PlanForm(forms.Form):
    title = _text(
        "Title",
        max_length=200,
        required_message="Enter the plan's title",
        help_text="For example, Strategic priority planning 2017-19.",
    )
    period_label = _text("Period", max_length=40, help_text="For example, 2017-19.")
    order = _number(
        "Position in the document", min_value=0, max_value=999, help_text="Plans are shown in this order: 1 first."
    )


RAG_CHOICES = [*Rag.choices, ("", "Not rated")]


def _rag_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="RAG rating",
        choices=RAG_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose red, amber, green or not rated"},
    )


class RowForm(forms.Form):
    number = _number("Row number", min_value=1, max_value=999, help_text="Leave blank to add it at the end.")
    priority = _long_text(
        "Priority", max_length=5000, required_message="Enter the priority, or what is to be delivered"
    )
    action_needed = _long_text("What action is needed?", max_length=5000)
    responsible = _text("Who is responsible?", max_length=300)
    target = _text("Target", max_length=120, help_text=TARGET_HELP)
    expected_impact = _long_text("What is the expected impact?", max_length=5000)
    status = forms.ChoiceField(
        label="Status",
        choices=PlanItem.Status.choices,
        initial=PlanItem.Status.NOT_STARTED,
        error_messages={"required": "Choose the row's status", "invalid_choice": "Choose one of the statuses listed"},
    )
    rag = _rag_field()

    def service_fields(self) -> dict[str, Any]:
        fields = dict(self.cleaned_data)
        if fields.get("number") is None:
            fields.pop("number", None)
        return fields


class ProgressForm(forms.Form):
    note = _long_text(
        "What progress has been made?", max_length=10000, required_message="Say what progress has been made"
    )
    evidence = _long_text(
        "Evidence",
        max_length=10000,
        help_text="What shows the progress: a report, figures or a link.",
    )
    rag = _rag_field()
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Leave as it is"), *PlanItem.Status.choices],
        required=False,
        help_text="Change the row's status, if it has changed.",
        error_messages={"invalid_choice": "Choose one of the statuses listed"},
    )

    def service_fields(self) -> dict[str, Any]:
        fields = dict(self.cleaned_data)
        fields["status"] = fields.get("status") or None
        return fields


class KpiForm(forms.Form):
    name = _text("Indicator", max_length=200, required_message="Enter what is measured")
    unit = _text("Unit", max_length=30, help_text="For example, %, people or sessions.")
    target_value = forms.DecimalField(
        label="Target",
        max_digits=12,
        decimal_places=2,
        error_messages={
            "required": "Enter the target as a number",
            "invalid": "Enter the target as a number, like 75 or 12.5",
            "max_digits": "Enter a smaller number",
            "max_decimal_places": "Enter the target with no more than 2 decimal places",
            "max_whole_digits": "Enter a smaller number",
        },
    )
    actual_value = forms.DecimalField(
        label="Actual",
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text="Leave blank until there is a figure.",
        error_messages={
            "invalid": "Enter the actual figure as a number, like 75 or 12.5",
            "max_digits": "Enter a smaller number",
            "max_decimal_places": "Enter the actual figure with no more than 2 decimal places",
            "max_whole_digits": "Enter a smaller number",
        },
    )
    higher_is_better = forms.BooleanField(label="A higher figure is better", required=False, initial=True)


class MilestoneForm(forms.Form):
    title = _text("Milestone", max_length=200, required_message="Enter the milestone")
    due_on = DayMonthYearField(label="Due date", required=False)
