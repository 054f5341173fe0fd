"""The board's own settings, as its administrators change them."""

from __future__ import annotations

from typing import Any

from django import forms

from shared_apps.accounts.models import Role
from shared_apps.agencies.models import Agency
from shared_apps.web.forms import PersonByEmailForm
from tenant_apps.boardhome.models import BoardSettings
from tenant_apps.boardhome.services import EDITABLE


class BoardSettingsForm(forms.ModelForm[BoardSettings]):
    class Meta:
        model = BoardSettings
        fields = list(EDITABLE)
        labels = {
            "contact_email": "Contact email for training questions",
            "welcome": "Welcome on the board's home page",
            "session_reminder_days": "Days before a session that reminders go out",
            "review_reminder_days": "Days before a strategy review that the board is reminded",
            "impact_survey_days": "Days after a session that the impact survey goes out",
            "evaluation_days_open": "Days an evaluation stays open",
            "certificates_need_evaluation": "Give certificates only once the reaction evaluation is answered",
            "quality_min_overall": "Flag a course whose mean overall rating is below",
            "quality_min_impact_share": "Flag a course where the share reporting a positive impact (%) is below",
        }


class GiveRoleForm(PersonByEmailForm):
    """A board administrator gives someone a role, by email (an account is made for someone new)."""

    role = forms.ChoiceField(
        label="Role",
        choices=[("", "Choose a role"), *Role.choices],
        error_messages={"required": "Choose a role"},
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        required=False,
        queryset=Agency.objects.none(),
        empty_label="None",
        help_text="Needed for a finance contact or an agency training manager: the agency they act for.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = Agency.objects.filter(is_active=True).order_by("name")
