"""Forms of the evaluation pages. They check the shape of what was typed (real dates, a key made of letters and
numbers); the rules of a form's questions and its versions are the service's."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from tenant_apps.evaluation.defaults import QuestionInput
from tenant_apps.evaluation.models import EvaluationForm, Question

# A form is edited as a fixed set of rows: its questions, then empty rows to add more.
QUESTION_ROWS = 12
ROW_PARTS = ("key", "text", "kind", "required", "low_label", "high_label")


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text="For example, 1 4 2031",
        widget=forms.DateInput,
        error_messages={"invalid": f"{label} must be a real date"},
    )


class PeriodForm(forms.Form):
    """A period of session dates; both ends may be left empty (every session)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so these two cannot be class attributes.
        self.fields["from"] = _date("From")
        self.fields["to"] = _date("To")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            self.add_error("to", "The end of the period must be the same as or after its start")
        return data

    def period(self) -> tuple[date | None, date | None]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("from"), data.get("to")

    def label(self) -> str:
        start, end = self.period()
        if start and end:
            return f"Sessions from {start:%-d %B %Y} to {end:%-d %B %Y}"
        if start:
            return f"Sessions from {start:%-d %B %Y}"
        if end:
            return f"Sessions up to {end:%-d %B %Y}"
        return "All sessions"


class FormEditForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Give the form a title"})
    introduction = forms.CharField(
        label="Introduction",
        required=False,
        widget=forms.Textarea,
        help_text="Shown above the questions. Say whether the answers are anonymous.",
    )
    anonymous = forms.BooleanField(
        label="Anonymous: keep the answers with no link to the person who gave them",
        required=False,
        help_text="Untick only if the board needs to know who answered; the people answering must be told.",
    )

    def __init__(self, *args: Any, form: EvaluationForm, **kwargs: Any) -> None:
        questions = list(form.questions.all())
        initial = {"title": form.title, "introduction": form.introduction, "anonymous": form.anonymous}
        for number, question in enumerate(questions, start=1):
            for part in ROW_PARTS:
                initial[f"q{number}_{part}"] = getattr(question, part)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.rows_count = max(QUESTION_ROWS, len(questions) + 2)
        for number in range(1, self.rows_count + 1):
            self.fields[f"q{number}_key"] = forms.SlugField(
                label="Key",
                required=False,
                max_length=50,
                help_text="Letters, numbers, - or _, like overall. Keep a question's key when you reword it, so "
                "its figures carry on across versions.",
                error_messages={
                    "invalid": f"Question {number}: the key can only hold letters, numbers, - and _",
                    "max_length": f"Question {number}: keep the key to 50 characters or fewer",
                },
            )
            self.fields[f"q{number}_text"] = forms.CharField(
                label="Wording",
                required=False,
                max_length=300,
                error_messages={"max_length": f"Question {number}: keep the wording to 300 characters or fewer"},
            )
            self.fields[f"q{number}_kind"] = forms.ChoiceField(
                label="Kind of answer", choices=Question.Kind.choices, initial=Question.Kind.SCALE, required=False
            )
            self.fields[f"q{number}_required"] = forms.BooleanField(label="An answer is needed", required=False)
            self.fields[f"q{number}_low_label"] = forms.CharField(
                label="What 1 means", required=False, max_length=60, help_text="For a score, like Very poor."
            )
            self.fields[f"q{number}_high_label"] = forms.CharField(
                label="What 5 means", required=False, max_length=60, help_text="For a score, like Excellent."
            )

    def rows(self) -> list[dict[str, Any]]:
        """The question rows for the template, each with its bound fields."""
        return [
            {"number": number, **{part: self[f"q{number}_{part}"] for part in ROW_PARTS}}
            for number in range(1, self.rows_count + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in range(1, self.rows_count + 1):
            key, text = data.get(f"q{number}_key"), data.get(f"q{number}_text", "").strip()
            labels = data.get(f"q{number}_low_label") or data.get(f"q{number}_high_label")
            if f"q{number}_key" in self.errors:
                continue
            if (text or labels) and not key:
                self.add_error(f"q{number}_key", f"Question {number}: give the question a key, like overall")
            if (key or labels) and not text:
                self.add_error(f"q{number}_text", f"Question {number}: enter the question's wording")
        return data

    def questions(self) -> list[QuestionInput]:
        """The rows in use, in order (empty rows are left out)."""
        data = self.cleaned_data
        for number in range(1, self.rows_count + 1):
            data[f"q{number}_kind"] = data.get(f"q{number}_kind") or Question.Kind.SCALE
        return [
            QuestionInput(
                key=data[f"q{number}_key"],
                text=data[f"q{number}_text"].strip(),
                kind=data[f"q{number}_kind"],
                required=bool(data[f"q{number}_required"]),
                low_label=data[f"q{number}_low_label"].strip()
                if data[f"q{number}_kind"] == Question.Kind.SCALE
                else "",
                high_label=data[f"q{number}_high_label"].strip()
                if data[f"q{number}_kind"] == Question.Kind.SCALE
                else "",
            )
            for number in range(1, self.rows_count + 1)
            if data.get(f"q{number}_key")
        ]
