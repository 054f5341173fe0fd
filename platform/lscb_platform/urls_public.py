"""URLs of the bare platform host: board directory, platform staff, and later the cross-board portals."""

from django.contrib import admin
from django.urls import include, path

from lscb_platform.api_urls import public_api
from shared_apps.web.urls import account_patterns, public_patterns

urlpatterns = [
    path("", include((account_patterns + public_patterns, "web"))),
    path("admin/", admin.site.urls),
    path("", include("shared_apps.trainers.urls")),
    path("", include("tenant_apps.charges.portal_urls")),
    *public_api,
]
handler404 = "lscb_platform.api_errors.not_found"
