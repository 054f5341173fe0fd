"""Forms of the audience pages. They check the shape of what is typed; the services check the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from shared_apps.agencies.models import Agency
from tenant_apps.audiences.models import MAX_MONTHS, AudienceGroup

MONTHS_HINT = f"A number of months from 1 to {MAX_MONTHS}."


def _months_field(label: str, help_text: str) -> forms.IntegerField:
    message = f"Enter a whole number of months from 1 to {MAX_MONTHS}, or leave it empty"
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=MAX_MONTHS,
        help_text=help_text,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


def _order_field() -> forms.IntegerField:
    message = "Enter the position as a whole number from 0 to 999"
    return forms.IntegerField(
        label="Position in the list",
        required=False,
        min_value=0,
        max_value=999,
        help_text="Lower numbers come first. Leave it empty to add it at the end.",
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


class GroupForm(forms.Form):
    scheme = forms.ChoiceField(
        label="Kind of group",
        choices=AudienceGroup.Scheme.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of group"},
    )
    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="A short name, like “Group 3” or “Level 3”.",
        error_messages={"required": "Enter a code, like “Group 3”"},
    )
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the group's name"})
    description = forms.CharField(
        label="Who belongs to this group", required=False, max_length=5000, widget=forms.Textarea
    )
    example_roles = forms.CharField(
        label="Example roles",
        required=False,
        max_length=5000,
        widget=forms.Textarea,
        help_text="Jobs that usually belong here, one per line.",
    )
    order = _order_field()


class RequirementForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example “Level 3 safeguarding children”.",
        error_messages={"required": "Enter a title"},
    )
    topic = forms.CharField(
        label="Topic",
        required=False,
        max_length=120,
        help_text="Completed learning with this topic counts for the requirement, whatever its title.",
    )
    description = forms.CharField(label="Description", required=False, max_length=5000, widget=forms.Textarea)
    minimum_hours = forms.DecimalField(
        label="Minimum hours",
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text="The hours of learning needed in each period, like 2 or 1.5.",
        error_messages={
            "required": "Enter the minimum hours",
            "invalid": "Enter the minimum hours as a number, like 2 or 1.5",
            "min_value": "The minimum hours must be more than 0",
            "max_digits": "Enter the minimum hours as a number below 1000",
            "max_whole_digits": "Enter the minimum hours as a number below 1000",
            "max_decimal_places": "Enter the minimum hours to at most 2 decimal places",
        },
    )
    first_completion_within_months = _months_field(
        "First completion within (months of joining)",
        f"By when a new starter must have completed it. {MONTHS_HINT} Leave it empty for no deadline.",
    )
    refresh_every_months = _months_field(
        "Refresh every (months)", f"How often it must be done again. {MONTHS_HINT} Leave it empty if it is done once."
    )
    order = _order_field()


class ProfileForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Agency you work for",
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label="Choose your agency",
        error_messages={"invalid_choice": "Choose your agency from the list"},
    )
    job_role = forms.CharField(label="Job role", max_length=150, required=False)
    audience_group = forms.ModelChoiceField(
        label="Audience group",
        queryset=AudienceGroup.objects.order_by("order", "code"),
        required=False,
        empty_label="Not sure yet",
        help_text="The group your safeguarding learning is planned for. Ask your manager if you are not sure.",
        error_messages={"invalid_choice": "Choose a group from the list"},
    )
    line_manager_email = forms.EmailField(
        label="Your line manager's email address",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    joined_on = forms.DateField(
        label="When you started in your current role",
        required=False,
        widget=forms.DateInput,
        help_text="New starters have a deadline for some of their learning.",
        error_messages={"invalid": "Enter a real date, like 2024-03-27"},
    )


DATE_MESSAGE = "Enter a real date, like 2024-03-31"
HOURS_MESSAGES = {
    "invalid": "Enter the hours as a number, like 2 or 1.5",
    "min_value": "The hours must be more than 0",
    "max_digits": "Enter the hours as a number below 1000",
    "max_whole_digits": "Enter the hours as a number below 1000",
    "max_decimal_places": "Enter the hours to at most 2 decimal places",
}


def _date_field(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": DATE_MESSAGE, "required": f"Enter the {label.lower()}"},
    )


class ElearningRecordForm(forms.Form):
    email = forms.EmailField(
        label="Learner's email address",
        max_length=254,
        help_text="The email address they sign in with. They must have a role in this board or partnership.",
        error_messages={
            "required": "Enter the learner's email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    module_title = forms.CharField(
        label="Module", max_length=200, error_messages={"required": "Enter the module's title"}
    )
    topic = forms.CharField(
        label="Topic",
        required=False,
        max_length=120,
        help_text="Once completed, it counts for every pathway requirement with this topic.",
    )
    provider = forms.CharField(
        label="E-learning provider", max_length=200, error_messages={"required": "Enter the provider's name"}
    )
    provider_reference = forms.CharField(
        label="Provider's reference",
        required=False,
        max_length=120,
        help_text="The provider's id for the learner, module or enrolment, if you have it.",
    )
    started_on = _date_field("Start date")
    completed_on = _date_field("Completion date", required=False, help_text="Leave it empty until it is completed.")
    hours = forms.DecimalField(
        label="Hours of learning",
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text="Needed once it is completed, like 2 or 1.5.",
        error_messages=HOURS_MESSAGES,
    )


class ElearningImportForm(forms.Form):
    provider = forms.CharField(
        label="E-learning provider",
        max_length=200,
        help_text="Who the file comes from, like “Virtual College”.",
        error_messages={"required": "Enter the provider's name"},
    )
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="UTF-8 CSV, at most 5 MB and 20,000 rows.",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )


class ElearningFilterForm(forms.Form):
    started_from = _date_field("Started from", required=False)
    started_to = _date_field("Started up to", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("started_from") and data.get("started_to") and data["started_from"] > data["started_to"]:
            self.add_error("started_to", "The end of the range must be on or after its start")
        return data
