"""The board's own settings, as its administrators change them."""

from __future__ import annotations

from django import forms

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
