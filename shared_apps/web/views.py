"""Platform pages: the board directory, sign-in with a second factor where required, sign-out, and setting a
password from an emailed link (forgotten, or never set: accounts made when an agency manager booked someone)."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import PasswordResetConfirmView, PasswordResetView
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from shared_apps.accounts.middleware import SESSION_KEY
from shared_apps.accounts.models import User
from shared_apps.accounts.permissions import requires_two_factor
from shared_apps.accounts.services import attempt_sign_in, provisioning_uri, start_two_factor_setup, verify_totp
from shared_apps.audit.services import record
from shared_apps.web.forms import CodeForm, NewPasswordForm, PasswordForgottenForm, SignInForm, autocomplete
from shared_apps.web.selectors import board_directory

PENDING_USER = "pending_two_factor_user"
PENDING_NEXT = "pending_next"


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"regions": board_directory()})


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _safe_next(request: HttpRequest, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return get_script_prefix()  # the home of where they signed in: a board's, also at /t/<slug>/


@sensitive_post_parameters("password")  # never in an error report
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    autocomplete(form, email="username", password="current-password")  # noqa: S106 (an autocomplete hint)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        result = attempt_sign_in(form.cleaned_data["email"], form.cleaned_data["password"])
        if result.user is None:
            form.add_error(None, result.message)
        elif requires_two_factor(result.user):
            request.session.cycle_key()
            request.session[PENDING_USER] = result.user.pk
            request.session[PENDING_NEXT] = _safe_next(request, next_url)
            return redirect("web:two-factor-code" if result.user.has_two_factor else "web:two-factor-setup")
        else:
            login(request, result.user, backend="shared_apps.accounts.backends.LockoutAwareBackend")
            return HttpResponseRedirect(_safe_next(request, next_url))
    return render(request, "web/sign_in.html", {"form": form, "next": next_url}, status=400 if form.errors else 200)


def _pending_user(request: HttpRequest) -> User | None:
    pk = request.session.get(PENDING_USER)
    return User.objects.filter(pk=pk, is_active=True).first() if pk else None


def _complete_sign_in(request: HttpRequest, user: User) -> HttpResponse:
    next_url = request.session.pop(PENDING_NEXT, get_script_prefix())
    request.session.pop(PENDING_USER, None)
    login(request, user, backend="shared_apps.accounts.backends.LockoutAwareBackend")
    request.session[SESSION_KEY] = True
    return HttpResponseRedirect(next_url)


def two_factor_code(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None or not user.has_two_factor:
        return redirect("web:sign-in")
    form = CodeForm(request.POST or None)
    autocomplete(form, code="one-time-code")
    if request.method == "POST" and form.is_valid():
        if verify_totp(user, form.cleaned_data["code"]):
            return _complete_sign_in(request, user)
        form.add_error("code", "The security code is not right or has been used. Wait for a new code and try again")
    return render(request, "web/two_factor_code.html", {"form": form}, status=400 if form.errors else 200)


def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None or user.has_two_factor:
        return redirect("web:sign-in")
    if not user.totp_secret:
        start_two_factor_setup(user)
    form = CodeForm(request.POST or None)
    autocomplete(form, code="one-time-code")
    if request.method == "POST" and form.is_valid():
        if verify_totp(user, form.cleaned_data["code"]):
            messages.success(request, "Two-factor authentication is on for your account.")
            return _complete_sign_in(request, user)
        form.add_error("code", "The security code is not right. Check the key was entered correctly and try again")
    qr = segno.make(provisioning_uri(user), error="m")
    qr_svg = qr.svg_inline(scale=4, title="QR code for your authenticator app")
    context = {"form": form, "secret": user.totp_secret, "qr_svg": qr_svg}
    return render(request, "web/two_factor_setup.html", context, status=400 if form.errors else 200)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("web:sign-in")


class PasswordForgottenView(PasswordResetView):
    """Email a link to set a password (valid PASSWORD_RESET_TIMEOUT, once). The next page is the same whether or
    not the address has an account, so the page tells nobody who has one."""

    form_class = PasswordForgottenForm
    template_name = "web/password_forgotten.html"
    email_template_name = "web/email/password_link.txt"
    subject_template_name = "web/email/password_link_subject.txt"
    success_url = reverse_lazy("web:password-link-sent")


def password_link_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "web/password_link_sent.html")


class SetPasswordView(PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "web/password_set.html"
    success_url = reverse_lazy("web:password-set-done")

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        # A new password ends a lockout from failed sign-ins: the person proved they hold the mailbox.
        User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
        record("account.password_set", actor=user, obj=user, board=None, summary=f"{user.email} set a new password")
        return response


def password_set(request: HttpRequest) -> HttpResponse:
    return render(request, "web/password_set_done.html")
