"""URLs of a board's host (leeds.<platform host>, or /t/leeds/ on any host)."""

from django.urls import include, path

from lscb_platform.api_urls import board_api
from shared_apps.web.urls import account_patterns

page_routes = [
    path("", include("tenant_apps.boardhome.urls")),
    path("", include("shared_apps.audit.urls")),
    path("", include("tenant_apps.strategy.urls")),
    path("", include("tenant_apps.learning_sources.urls")),
    path("", include("tenant_apps.audiences.urls")),
    path("", include("tenant_apps.needs_audits.urls")),
    path("", include("tenant_apps.resources.urls")),
    path("", include("tenant_apps.offer.urls")),
    path("", include("tenant_apps.booking.urls")),
    path("", include("tenant_apps.charges.urls")),
    path("", include("tenant_apps.evaluation.urls")),
    path("", include("shared_apps.trainers.board_urls")),
    path("", include((account_patterns, "web"))),
]
# The API first: Django tries routes in order, and an API call would otherwise be matched against every page
# route before its own (0.3 ms of CPU a booking). No page route begins with api/, so no address changes hands
# (tests/test_perf_urls.py).
urlpatterns = [*board_api, *page_routes]
handler404 = "lscb_platform.api_errors.not_found"
