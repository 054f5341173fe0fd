from rest_framework.routers import DefaultRouter

from tenant_apps.charges.api import views


def register(router: DefaultRouter) -> None:
    """Add the charging viewsets to the board host's API router."""
    router.register("fees", views.FeeViewSet, basename="fee")
    router.register("charging-policies", views.ChargingPolicyViewSet, basename="charging-policy")
    router.register("invoices", views.InvoiceViewSet, basename="invoice")
    router.register("fee-figures", views.FeeFiguresViewSet, basename="fee-figures")
