"""Forms of the trainer portal and the board's trainer pool page. They check the shape of what was typed; the
services decide what is allowed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from shared_apps.agencies.models import Agency
from shared_apps.trainers.display import WEEKDAYS
from tenants.models import Board

MAX_TOPICS = 30
TOPIC_LENGTH = 80


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


def _date(label: str, *, required_message: str = "", **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=bool(required_message),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": required_message, "invalid": f"{label} must be a real date, like 2025-03-31"},
        **kwargs,
    )


def _weekdays(**kwargs: Any) -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label="Days you can usually train",
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose days of the week from the list"},
        **kwargs,
    )


def topics_from_text(text: str) -> list[str]:
    """ "Neglect, CSE,  online safety" -> ["neglect", "cse", "online safety"] (the service sorts and de-duplicates)."""
    return [topic.strip() for topic in text.split(",") if topic.strip()]


class ProfileForm(forms.Form):
    home_agency = forms.ModelChoiceField(
        label="Your home agency",
        help_text="The organisation that employs you and lends your time to the boards in kind.",
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        empty_label="Choose your agency",
        error_messages={
            "required": "Choose your home agency",
            "invalid_choice": "Choose your home agency from the list",
        },
    )
    job_role = _text(
        "Job role",
        max_length=150,
        required_message="Enter your job role",
        help_text="For example, named nurse for safeguarding",
    )
    topics = _text(
        "Topics you can teach",
        max_length=2000,
        help_text="Separate topics with commas, for example: neglect, child sexual exploitation, online safety",
    )
    skills = _text(
        "Skills and experience",
        max_length=2000,
        widget=forms.Textarea,
        help_text="What boards should know when they match you with a co-trainer.",
    )
    trained_as_trainer_on = _date(
        "Date you completed training for trainers", help_text="Leave empty if you have not done it yet."
    )
    accreditation_expires_on = _date(
        "Date your trainer accreditation expires", help_text="Leave empty if it does not expire."
    )
    sessions_per_month_committed = forms.IntegerField(
        label="Sessions a month your agency commits",
        min_value=0,
        max_value=31,
        initial=0,
        required=False,
        error_messages={
            "invalid": "Sessions a month must be a whole number, like 2",
            "min_value": "Sessions a month must be 0 or more",
            "max_value": "Sessions a month must be 31 or fewer",
        },
    )
    available_weekdays = _weekdays()

    def clean_topics(self) -> list[str]:
        topics = topics_from_text(self.cleaned_data.get("topics") or "")
        if len(topics) > MAX_TOPICS:
            raise ValidationError(f"Give {MAX_TOPICS} topics or fewer")
        long = [topic for topic in topics if len(topic) > TOPIC_LENGTH]
        if long:
            raise ValidationError(
                f"Each topic must be {TOPIC_LENGTH} characters or fewer (separate topics with commas)"
            )
        return topics

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sessions_per_month_committed") is None:
            data["sessions_per_month_committed"] = 0
        return data

    @classmethod
    def initial_from(cls, profile: Any) -> dict[str, Any]:
        return {
            "home_agency": profile.home_agency_id,
            "job_role": profile.job_role,
            "topics": ", ".join(profile.topics),
            "skills": profile.skills,
            "trained_as_trainer_on": profile.trained_as_trainer_on,
            "accreditation_expires_on": profile.accreditation_expires_on,
            "sessions_per_month_committed": profile.sessions_per_month_committed,
            "available_weekdays": [str(day) for day in profile.available_weekdays],
        }


class OfferForm(forms.Form):
    board = forms.ModelChoiceField(
        label="Board or partnership",
        queryset=Board.objects.none(),
        empty_label="Choose a board or partnership",
        error_messages={
            "required": "Choose the board or partnership you want to train for",
            "invalid_choice": "Choose a board or partnership from the list",
        },
    )

    def __init__(self, *args: Any, boards: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = boards  # type: ignore[attr-defined]


class BlackoutForm(forms.Form):
    starts_on = _date("First day away", required_message="Enter the first day you cannot train")
    ends_on = _date("Last day away", required_message="Enter the last day you cannot train")
    reason = _text("Reason (optional)", max_length=200, help_text="For example, annual leave. Boards see this.")


class WeekdaysForm(forms.Form):
    available_weekdays = _weekdays()


class DateRangeForm(forms.Form):
    """The period of a report, from the query string."""

    start = _date("From", required_message="Enter the first day of the period")
    end = _date("To", required_message="Enter the last day of the period")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                self.add_error("end", "The last day must be the same as or after the first day")
            elif (end - start).days > 3660:
                self.add_error("end", "Choose a period of 10 years or less")
        return data
