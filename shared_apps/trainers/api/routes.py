from rest_framework.routers import DefaultRouter

from shared_apps.trainers.api import views


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the board host's API router."""
    router.register("trainer-pool", views.TrainerPoolViewSet, basename="trainer-pool")


def register_public(router: DefaultRouter) -> None:
    """Add this app's viewsets to the platform host's API router (the trainer portal)."""
    router.register("trainer-profiles", views.TrainerProfileViewSet, basename="trainer-profile")
    router.register("trainer-assignments", views.TrainerAssignmentViewSet, basename="trainer-assignment")
    router.register("trainer-blackouts", views.BlackoutViewSet, basename="trainer-blackout")
    router.register("trainer-services", views.BoardServiceViewSet, basename="trainer-service")
