from rest_framework.routers import DefaultRouter

from tenant_apps.evaluation.api import views


def register(router: DefaultRouter) -> None:
    """Add the evaluation viewsets to the board host's API router."""
    router.register("evaluation-summaries", views.EvaluationSummaryViewSet, basename="evaluation-summary")
    router.register("evaluation-forms", views.EvaluationFormViewSet, basename="evaluation-form")
    router.register("evaluation-responses", views.EvaluationResponseViewSet, basename="evaluation-response")
