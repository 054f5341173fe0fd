"""The shapes of evaluation over the API. A response to an anonymous form is sent with no field about the person
at all (not even an empty one): its representation is built without them."""

from __future__ import annotations

from datetime import date
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tenant_apps.evaluation import selectors
from tenant_apps.evaluation.models import Answer, EvaluationForm, Question, Response, Stage

# Fields that name the person who answered: sent only for named forms.
PERSONAL_FIELDS = ("respondent", "respondent_name", "respondent_email", "booking")


class EvaluationQuestionSerializer(serializers.ModelSerializer[Question]):
    class Meta:
        model = Question
        fields = ["key", "order", "text", "kind", "required", "low_label", "high_label"]
        read_only_fields = fields


class EvaluationFormSerializer(serializers.ModelSerializer[EvaluationForm]):
    questions = EvaluationQuestionSerializer(many=True, read_only=True)
    response_count = serializers.IntegerField(read_only=True, help_text="Responses given to this version.")

    class Meta:
        model = EvaluationForm
        fields = [
            "id",
            "kind",
            "version",
            "is_current",
            "title",
            "introduction",
            "anonymous",
            "created_at",
            "response_count",
            "questions",
        ]
        read_only_fields = fields


class EvaluationAnswerSerializer(serializers.ModelSerializer[Answer]):
    key = serializers.CharField(source="question.key", help_text="The question's key, stable across versions.")
    question = serializers.CharField(source="question.text", help_text="The question as it was asked.")

    class Meta:
        model = Answer
        fields = ["key", "question", "score", "text"]
        read_only_fields = fields


class EvaluationResponseSerializer(serializers.ModelSerializer[Response]):
    form_version = serializers.IntegerField(source="form.version")
    anonymous = serializers.BooleanField(source="form.anonymous", help_text="Kept with no link to the person.")
    course_title = serializers.CharField(source="course.title")
    session_date = serializers.SerializerMethodField()
    # Not required, so the schema shows them as optional: they are absent for anonymous forms.
    respondent = serializers.IntegerField(
        source="respondent_id", required=False, help_text="The person's user id. Left out entirely for anonymous forms."
    )
    respondent_name = serializers.CharField(
        source="respondent.full_name", required=False, help_text="Left out entirely for anonymous forms."
    )
    respondent_email = serializers.CharField(
        source="respondent.email", required=False, help_text="Left out entirely for anonymous forms."
    )
    booking = serializers.UUIDField(
        source="booking_id", required=False, help_text="Left out entirely for anonymous forms."
    )
    answers = EvaluationAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Response
        fields = [
            "id",
            "form",
            "form_version",
            "anonymous",
            "stage",
            "course",
            "course_title",
            "session",
            "session_date",
            "agency_type",
            "submitted_on",
            "respondent",
            "respondent_name",
            "respondent_email",
            "booking",
            "answers",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Response) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if _anonymous(instance):
            for name in PERSONAL_FIELDS:
                data.pop(name, None)
        return data

    def get_session_date(self, response: Response) -> date | None:
        return selectors.session_day(response.session)


def _anonymous(response: Response) -> bool:
    return bool(response.form.anonymous or response.respondent_id is None)


class EvaluationPeriodQuerySerializer(serializers.Serializer[Any]):
    course = serializers.UUIDField(required=False, help_text="Only this course (id).")

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        # "from" is a Python keyword, so these two cannot be class attributes.
        fields["from"] = serializers.DateField(required=False, help_text="First session date (default: every session).")
        fields["to"] = serializers.DateField(required=False, help_text="Last session date.")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("from"), attrs.get("to")
        if start and end and end < start:
            raise serializers.ValidationError({"to": ["The end of the period must be on or after its start."]})
        return attrs


class EvaluationResponseQuerySerializer(EvaluationPeriodQuerySerializer):
    stage = serializers.ChoiceField(choices=Stage.choices, required=False, help_text="Only answers at this stage.")
    form = serializers.UUIDField(required=False, help_text="Only answers to this form version (id).")


class EvaluationStageRateSerializer(serializers.Serializer[Any]):
    stage = serializers.ChoiceField(choices=Stage.choices)
    invited = serializers.IntegerField(help_text="Invitations that have opened.")
    answered = serializers.IntegerField()
    response_rate = serializers.IntegerField(source="percent", allow_null=True, help_text="Per cent; null if none.")


class EvaluationScaleSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    question = serializers.CharField(source="text")
    responses = serializers.IntegerField(source="count")
    mean = serializers.FloatField(allow_null=True, help_text="Rounded to 2 places; null with no answers.")
    distribution = serializers.DictField(child=serializers.IntegerField(), help_text='Answers per score, "1" to "5".')


class EvaluationShiftSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    question = serializers.CharField(source="text")
    mean_before = serializers.FloatField(source="before.mean", allow_null=True)
    responses_before = serializers.IntegerField(source="before.count")
    mean_after = serializers.FloatField(source="after.mean", allow_null=True)
    responses_after = serializers.IntegerField(source="after.count")
    shift = serializers.FloatField(source="change", allow_null=True, help_text="Mean after less mean before.")


class EvaluationImpactShareSerializer(serializers.Serializer[Any]):
    positive = serializers.IntegerField(help_text="Impact surveys scoring 4 or 5 on the key “impact”.")
    responses = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True)


class EvaluationSummarySerializer(serializers.Serializer[Any]):
    """One course's evaluation figures over the period."""

    course = serializers.CharField(source="key", help_text="The course's id.")
    course_title = serializers.CharField(source="label")
    responses = serializers.DictField(child=serializers.IntegerField(), help_text="Responses by stage.")
    response_rates = EvaluationStageRateSerializer(source="rates", many=True)
    scales = serializers.SerializerMethodField(help_text="Scale questions by stage: reaction, impact, supervisor.")
    shifts = EvaluationShiftSerializer(many=True, help_text="Self-assessment items before and after the course.")
    impact = EvaluationImpactShareSerializer()
    withheld = serializers.ListField(
        child=serializers.CharField(),
        help_text="Stages answered by fewer than 3 people: their scores are left out, so nobody can be picked out.",
    )

    @extend_schema_field(serializers.DictField(child=serializers.ListField(child=EvaluationScaleSerializer())))
    def get_scales(self, summary: selectors.Summary) -> dict[str, list[dict[str, Any]]]:
        return {
            stage: [dict(EvaluationScaleSerializer(result).data) for result in summary.scales.get(stage, [])]
            for stage in selectors.SCORED_STAGES
        }
