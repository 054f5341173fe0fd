"""API routes. Board hosts and the platform host each get their own router; both share the account routes."""

from django.urls import URLPattern, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from shared_apps.accounts.api.views import BoardRoleViewSet, MeView, TokenView
from shared_apps.agencies.api.views import AgencyViewSet
from shared_apps.audit.api.views import AuditEventViewSet
from shared_apps.payments.api.views import AgencyFeeViewSet
from shared_apps.trainers.api import routes as trainer_routes
from shared_apps.web.api.views import BoardViewSet, CurrentBoardView
from tenant_apps.audiences.api import routes as audience_routes
from tenant_apps.booking.api import routes as booking_routes
from tenant_apps.charges.api import routes as charges_routes
from tenant_apps.evaluation.api import routes as evaluation_routes
from tenant_apps.learning_sources.api import routes as learning_source_routes
from tenant_apps.needs_audits.api import routes as needs_audit_routes
from tenant_apps.offer.api import routes as offer_routes
from tenant_apps.resources.api import routes as resource_routes
from tenant_apps.strategy.api import routes as strategy_routes

account_routes = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("me/", MeView.as_view(), name="me"),
]

board_router = DefaultRouter()
board_router.register("audit-events", AuditEventViewSet, basename="audit-event")
board_router.register("roles", BoardRoleViewSet, basename="board-role")
for app_routes in (
    strategy_routes,
    learning_source_routes,
    audience_routes,
    needs_audit_routes,
    resource_routes,
    offer_routes,
    booking_routes,
    charges_routes,
    evaluation_routes,
    trainer_routes,
):
    app_routes.register(board_router)

public_router = DefaultRouter()
public_router.register("boards", BoardViewSet, basename="board")
public_router.register("agencies", AgencyViewSet, basename="agency")
public_router.register("agency-fees", AgencyFeeViewSet, basename="agency-fee")
trainer_routes.register_public(public_router)


def docs_routes(urlconf: str) -> list[URLPattern]:
    """Schema and docs for one host. The urlconf is named because the schema generator would otherwise read
    ROOT_URLCONF (the board routes) on every host, and the platform host would describe the wrong API."""
    return [
        path("api/schema/", SpectacularAPIView.as_view(urlconf=urlconf), name="api-schema"),
        path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
        path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    ]


board_api = [
    path(
        "api/v1/",
        include(
            [*account_routes, path("board/", CurrentBoardView.as_view(), name="current-board"), *board_router.urls]
        ),
    ),
    *docs_routes("lscb_platform.urls"),
]
public_api = [
    path("api/v1/", include([*account_routes, *public_router.urls])),
    *docs_routes("lscb_platform.urls_public"),
]
