from rest_framework.routers import DefaultRouter

from tenant_apps.learning_sources.api import views


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the board host's API router."""
    router.register("learning-sources", views.LearningSourceViewSet, basename="learning-source")
    router.register("themes", views.ThemeViewSet, basename="theme")
    router.register("theme-evidence", views.ThemeEvidenceViewSet, basename="theme-evidence")
    router.register("learning-activities", views.LearningActivityViewSet, basename="learning-activity")
