"""Sessions of people who must use a second factor are only valid once it was given at sign-in."""

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from lscb_platform.api_errors import error_body
from shared_apps.accounts.permissions import requires_two_factor

SESSION_KEY = "two_factor_verified"


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.session.get(SESSION_KEY) and requires_two_factor(user):
            logout(request)
            if request.path_info.startswith("/api/"):
                message = "Sign in again with your two-factor code."
                return JsonResponse(error_body(403, "two_factor_required", message), status=403)
            return redirect("web:sign-in")
        return self.get_response(request)
