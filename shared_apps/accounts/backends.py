"""Authentication backend for Django's own login paths (admin, browsable API): same lockout rules as ours."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from shared_apps.accounts.models import User
from shared_apps.accounts.services import attempt_sign_in


class LockoutAwareBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        email = username or kwargs.get("email") or ""
        if not password:
            return None
        return attempt_sign_in(email, password).user
