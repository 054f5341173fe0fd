"""The forms every board starts with. The reaction questions are Croydon's (strategy 2017-19, section 6.2); the
impact timing follows Leeds (3 months) and the London model (a supervisor's view 6-8 weeks on)."""

from __future__ import annotations

from dataclasses import dataclass

from tenant_apps.evaluation.models import EvaluationForm, Question

SCALE = Question.Kind.SCALE
TEXT = Question.Kind.TEXT


@dataclass(frozen=True)
class QuestionInput:
    """A question as a form is written (the services take a list of them)."""

    key: str
    text: str
    kind: str = Question.Kind.SCALE
    required: bool = True
    low_label: str = ""
    high_label: str = ""


def _q(key: str, text: str, kind: str = SCALE, low: str = "", high: str = "", required: bool = True) -> QuestionInput:
    return QuestionInput(key=key, text=text, kind=kind, required=required, low_label=low, high_label=high)


DEFAULT_FORMS: dict[str, tuple[str, str, list[QuestionInput]]] = {
    EvaluationForm.Kind.REACTION: (
        "How was the session?",
        "Your answers are anonymous. They help the board improve its training.",
        [
            _q("overall", "Overall, how would you rate the session?", low="Very poor", high="Excellent"),
            _q("presentation", "How well was the session presented?", low="Very poorly", high="Very well"),
            _q(
                "facilitator",
                "How would you rate the facilitator's knowledge and skills?",
                low="Very poor",
                high="Excellent",
            ),
            _q(
                "understanding",
                "Do you have a greater understanding of the subject?",
                low="Not at all",
                high="Very much",
            ),
            _q("change_practice", "How will this session change your practice?", kind=TEXT),
            _q("comments", "Anything else you would like to tell us?", kind=TEXT, required=False),
        ],
    ),
    EvaluationForm.Kind.SELF_ASSESSMENT: (
        "Your knowledge and confidence",
        "Answer before the course and again after it: the board compares the two, never your name.",
        [
            _q("know_signs", "I know the signs that a child may be at risk of harm.", low="Not at all", high="Fully"),
            _q(
                "know_procedure",
                "I know what to do and whom to tell when I am worried about a child.",
                low="Not at all",
                high="Fully",
            ),
            _q("confident_act", "I feel confident to act on a concern.", low="Not at all", high="Very"),
            _q(
                "confident_record",
                "I feel confident to record and share information about a concern.",
                low="Not at all",
                high="Very",
            ),
        ],
    ),
    EvaluationForm.Kind.IMPACT: (
        "Has the training made a difference?",
        "A few months on from your course: how have you used what you learned?",
        [
            _q(
                "impact",
                "The training has improved how I work with children and families.",
                low="Strongly disagree",
                high="Strongly agree",
            ),
            _q("example", "Give an example of something you now do differently.", kind=TEXT),
        ],
    ),
    EvaluationForm.Kind.SUPERVISOR: (
        "Is the learning being applied?",
        "A member of your team went on a safeguarding course. As their line manager, how do you see it used?",
        [
            _q(
                "applied", "They apply what they learned in their work.", low="Strongly disagree", high="Strongly agree"
            ),
            _q("observed", "What have you seen them do differently?", kind=TEXT, required=False),
        ],
    ),
}
