from __future__ import annotations

from typing import Any

from django import forms

from shared_apps.agencies.models import Agency
from shared_apps.web.forms import PersonByEmailForm


class BookingForm(forms.Form):
    """What the board needs to know of the person booking (their learner profile fills it in when there is one)."""

    agency = forms.ModelChoiceField(
        label="Your employer or agency",
        queryset=Agency.objects.none(),
        empty_label="Choose your agency",
        error_messages={"required": "Choose the agency you work for"},
    )
    job_role = forms.CharField(
        label="Your job role",
        max_length=150,
        error_messages={"required": "Enter your job role", "max_length": "Job role must be 150 characters or fewer"},
    )
    line_manager_email = forms.EmailField(
        label="Your line manager's email address",
        required=False,
        help_text="Needed when a course asks for your manager's approval: we email them a link to approve it.",
        error_messages={"invalid": "Enter your line manager's email address like name@example.org"},
    )

    def __init__(self, *args: Any, needs_approval: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = Agency.objects.order_by("name")
        if needs_approval:  # the course: say so before the person books, not after
            manager = self.fields["line_manager_email"]
            manager.required = True
            manager.help_text = "This course needs your line manager's approval: we email them a link to approve it."
            manager.error_messages["required"] = (
                "Enter your line manager's email address: this course needs their approval"
            )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why are you cancelling? (optional)",
        required=False,
        max_length=300,
        error_messages={"max_length": "Keep the reason to 300 characters or fewer"},
    )


class MoveForm(forms.Form):
    position = forms.IntegerField(
        label="New place in the waiting list",
        min_value=1,
        error_messages={"required": "Enter the new place, like 1", "invalid": "The place must be a whole number"},
    )
    reason = forms.CharField(
        label="Why are you moving them?",
        max_length=500,
        help_text="Recorded in the audit log.",
        error_messages={"required": "Say why the waiting list is being reordered"},
    )


class WalkInForm(forms.Form):
    email = forms.EmailField(
        label="Email address of the person who came without a booking",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address like name@example.org",
        },
    )
    agency = forms.ModelChoiceField(
        label="Their agency", queryset=Agency.objects.none(), required=False, empty_label="Not known"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = Agency.objects.order_by("name")


class BookSomeoneForm(BookingForm):
    """A coordinator books a named member of an agency's staff."""

    email = forms.EmailField(
        label="Email address of the person to book",
        help_text="The email of their account.",
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address like name@example.org",
        },
    )
    field_order = ["email", "agency", "job_role", "line_manager_email"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The coordinator books someone else: the questions are about that person.
        self.fields["agency"].label = "Their employer or agency"
        self.fields["job_role"].label = "Their job role"
        self.fields["line_manager_email"].label = "Their line manager's email address"
        self.fields["agency"].error_messages["required"] = "Choose the agency they work for"
        self.fields["job_role"].error_messages["required"] = "Enter their job role"
        help_text = "Needed when a course asks for the line manager's approval: we email them a link to approve it."
        self.fields["line_manager_email"].help_text = help_text


class StaffForm(PersonByEmailForm):
    """An agency's training manager names a member of staff (an account is made for someone new)."""


class BookStaffForm(StaffForm):
    job_role = forms.CharField(
        label="Their job role",
        required=False,
        max_length=150,
        error_messages={"max_length": "Job role must be 150 characters or fewer"},
    )
    line_manager_email = forms.EmailField(
        label="Their line manager's email address",
        required=False,
        help_text="Needed when the course asks for the line manager's approval: we email them a link.",
        error_messages={"invalid": "Enter the line manager's email address like name@example.org"},
    )
