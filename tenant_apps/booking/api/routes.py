from rest_framework.routers import DefaultRouter

from tenant_apps.booking.api import views


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the board host's API router."""
    router.register("bookings", views.BookingViewSet, basename="booking")
    router.register("registers", views.RegisterViewSet, basename="register")
