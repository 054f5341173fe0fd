from rest_framework.routers import DefaultRouter

from tenant_apps.offer.api import views


def register(router: DefaultRouter) -> None:
    """Add the offer's viewsets to the board host's API router."""
    router.register("venues", views.VenueViewSet, basename="venue")
    router.register("courses", views.CourseViewSet, basename="course")
    router.register("sessions", views.SessionViewSet, basename="session")
    router.register(
        r"sessions/(?P<session_pk>[^/.]+)/trainers", views.SessionTrainerViewSet, basename="session-trainer"
    )
    router.register("training-standards", views.TrainingStandardViewSet, basename="training-standard")
    router.register("observations", views.ObservationViewSet, basename="observation")
    router.register("catalogue/sessions", views.CatalogueSessionViewSet, basename="catalogue-session")
    router.register("catalogue/courses", views.CatalogueCourseViewSet, basename="catalogue-course")
