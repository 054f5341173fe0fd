from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.cache import cache
from django.template.loader import render_to_string

from shared_apps.accounts.models import User
from shared_apps.accounts.tasks import send_account_email

LINKS_AN_HOUR = 3


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    password = forms.CharField(
        label="Password",
        max_length=200,
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Enter your password"},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        max_length=12,
        help_text="The 6-digit code shown in your authenticator app",
        error_messages={"required": "Enter the 6-digit security code"},
    )

    def clean_code(self) -> str:
        code: str = "".join(ch for ch in self.cleaned_data["code"] if ch.isdigit())
        if len(code) != 6:
            raise forms.ValidationError("Enter the security code as 6 digits")
        return code


def autocomplete(form: forms.Form, **attrs: Any) -> None:
    for name, value in attrs.items():
        form.fields[name].widget.attrs["autocomplete"] = value


class PasswordForgottenForm(PasswordResetForm):
    """Ask for a link to set a password. Accounts made for someone (an agency manager booked them) have no usable
    password yet: they get the link too, which is how they first set one."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )

    def get_users(self, email: str) -> Iterator[Any]:
        return iter(User.objects.filter(email__iexact=email.strip(), is_active=True))

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Queued for the worker instead of sent inside the request; at most LINKS_AN_HOUR links an hour to one
        address (more are dropped quietly: the page must not tell that the address has an account)."""
        key = f"password-links:{to_email.lower()}"
        cache.add(key, 0, timeout=3600)
        if cache.incr(key) > LINKS_AN_HOUR:
            return
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        send_account_email.delay(to_email, subject, render_to_string(email_template_name, context))


class NewPasswordForm(SetPasswordForm):
    new_password1 = forms.CharField(
        label="New password",
        strip=False,
        widget=forms.PasswordInput,
        help_text="At least 10 characters; not a common password, nor like your name or email address.",
        error_messages={"required": "Enter a new password"},
    )
    new_password2 = forms.CharField(
        label="The new password again",
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Enter the new password again"},
    )
    error_messages = {"password_mismatch": "The two passwords are not the same"}


class PersonByEmailForm(forms.Form):
    """Someone named by their email; their name is needed only when they have no account yet (one is made, and
    they set its password by email: accounts.services.person_for)."""

    email = forms.EmailField(
        label="Their email address",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address like name@example.org",
        },
    )
    full_name = forms.CharField(
        label="Their full name",
        required=False,
        max_length=150,
        help_text="Needed when they have no account yet: we make one, and email them.",
        error_messages={"max_length": "The name must be 150 characters or fewer"},
    )
