"""Page forms: they check the shape of what was typed; the services check the rules and say what is wrong."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from tenant_apps.learning_sources.models import LearningActivity, LearningSource, Theme


class SourceChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        source: LearningSource = obj
        year = f", {source.year}" if source.year else ""
        return f"{source.short_name} ({source.get_kind_display().lower()}{year})"


class SourceForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of source is it?",
        choices=LearningSource.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of source it is"},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Serious case review: Child T",
        error_messages={"required": "Enter the title of the review, inspection or audit"},
    )
    reference = forms.CharField(
        label="Known as (optional)",
        max_length=100,
        required=False,
        help_text="The anonymised name it is known by, for example Child T or Children F,G,H",
    )
    year = forms.IntegerField(
        label="Year published (optional)",
        required=False,
        min_value=0,
        max_value=9999,
        help_text="For example, 2016. Leave it out if you give the date.",
        error_messages={"invalid": "Enter the year as four digits, like 2016"},
    )
    published_on = forms.DateField(
        label="Date published (optional)",
        required=False,
        error_messages={"invalid": "Enter the date published as a real date"},
    )
    summary = forms.CharField(
        label="Summary (optional)", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 5})
    )
    link = forms.URLField(
        label="Link to the report (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address, like https://www.example.org/report.pdf"},
    )


class ThemeForm(forms.Form):
    title = forms.CharField(
        label="Theme",
        max_length=200,
        help_text="For example, Voice of the child in assessments and interventions",
        error_messages={"required": "Enter the theme"},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    order = forms.IntegerField(
        label="Position in the table (optional)",
        required=False,
        min_value=0,
        max_value=32767,
        help_text="Themes are listed from the lowest number. Leave it out to put a new theme last.",
        error_messages={"invalid": "Enter the position as a whole number, like 3"},
    )
    sources = SourceChoices(
        label="Which reviews, inspections or audits raised this theme?",
        queryset=LearningSource.objects.order_by("kind", "-year", "title"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )


class ActivityForm(forms.Form):
    title = forms.CharField(
        label="Name of the activity",
        max_length=200,
        help_text="For example, Critical Thinking and Risk Assessment",
        error_messages={"required": "Enter the name of the activity"},
    )
    kind = forms.ChoiceField(
        label="What kind of activity is it?",
        choices=LearningActivity.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of activity it is"},
    )
    status = forms.ChoiceField(
        label="Is it in place?",
        choices=LearningActivity.Status.choices,
        widget=forms.RadioSelect,
        help_text="Only activity in place counts as answering a theme.",
        error_messages={"required": "Select whether the activity is planned, in place or retired"},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    themes = forms.ModelMultipleChoiceField(
        label="Which themes does it answer?",
        queryset=Theme.objects.order_by("order", "title"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's messages against the fields they name (others at the top of the page)."""
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)
