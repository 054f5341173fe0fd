from django.urls import path

from shared_apps.web import views

account_patterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/code/", views.two_factor_code, name="two-factor-code"),
    path("sign-in/set-up-two-factor/", views.two_factor_setup, name="two-factor-setup"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("password/forgotten/", views.PasswordForgottenView.as_view(), name="password-forgotten"),
    path("password/forgotten/sent/", views.password_link_sent, name="password-link-sent"),
    path("password/set/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="password-set"),
    path("password/set/done/", views.password_set, name="password-set-done"),
    path("healthz", views.health, name="health"),
]
public_patterns = [path("", views.home, name="home")]
