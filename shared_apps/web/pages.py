"""What every app's pages share: the access check and showing a service's refusal on a form."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponseBase

from shared_apps.accounts.permissions import can, request_board

View = Callable[..., HttpResponseBase]


def requires(action: str) -> Callable[[View], View]:
    """Let the view run only for people who may do `action` in this board (the rule table decides); send anyone
    signed out to sign in first, and refuse the others with 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not can(request.user, action, request_board(request)):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def apply_errors(form: forms.BaseForm, error: ValidationError, names: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form: on the field it names (through `names` where the form calls
    it something else), or at the top of the page."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        field = (names or {}).get(name, name)
        form.add_error(field if field in form.fields else None, messages)
