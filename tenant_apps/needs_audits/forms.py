"""Forms of the needs audit pages. They only shape input: the rules live in the services."""

from __future__ import annotations

from django import forms

from tenant_apps.needs_audits.models import AuditQuestion


class AuditForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Multi-agency safeguarding learning needs audit 2026",
        error_messages={"required": "Enter a title for the audit"},
    )
    introduction = forms.CharField(
        label="Introduction",
        required=False,
        max_length=20000,
        widget=forms.Textarea,
        help_text="Shown to agencies above the questions: why you are asking and what you will do with the answers.",
    )
    opens_on = forms.DateField(
        label="Opens on",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the date the audit opens", "invalid": "Enter a real date"},
    )
    closes_on = forms.DateField(
        label="Closes on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The last day agencies can send answers.",
        error_messages={"required": "Enter the date the audit closes", "invalid": "Enter a real date"},
    )


class ClosingDateForm(forms.Form):
    """Once sent, only the closing date of an audit can change (to give agencies longer)."""

    closes_on = AuditForm.base_fields["closes_on"]


class TopicForm(forms.Form):
    title = forms.CharField(
        label="Topic",
        max_length=200,
        help_text="An area of safeguarding practice, for example Neglect, Domestic abuse or Parental mental health",
        error_messages={"required": "Enter the topic"},
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea,
        help_text="What the topic covers, so agencies answer about the same thing.",
    )


ASKABLE_KINDS = [(value, label) for value, label in AuditQuestion.Kind.choices if value != AuditQuestion.Kind.NEED_MET]


class QuestionForm(forms.Form):
    text = forms.CharField(label="Question", max_length=500, error_messages={"required": "Write the question"})
    kind = forms.ChoiceField(
        label="Kind of answer",
        choices=ASKABLE_KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of answer"},
    )
    required = forms.BooleanField(label="Agencies must answer this question", required=False, initial=True)

    def __init__(self, *args: object, need_met: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if need_met:
            # Met and unmet need come from this question: its kind is fixed.
            del self.fields["kind"]
