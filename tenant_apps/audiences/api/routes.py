from rest_framework.routers import DefaultRouter

from tenant_apps.audiences.api import views


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the board host's API router."""
    router.register("audience-groups", views.AudienceGroupViewSet, basename="audience-group")
    router.register("pathway-requirements", views.PathwayRequirementViewSet, basename="pathway-requirement")
    router.register("learner-profiles", views.LearnerProfileViewSet, basename="learner-profile")
    router.register("learning-completions", views.LearningCompletionViewSet, basename="learning-completion")
    router.register("pathway-status", views.PathwayStatusViewSet, basename="pathway-status")
    router.register("elearning-records", views.ElearningRecordViewSet, basename="elearning-record")
