from typing import Any

from django import forms


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
