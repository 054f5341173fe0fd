from django.urls import path

from shared_apps.web import views

account_patterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/code/", views.two_factor_code, name="two-factor-code"),
    path("sign-in/set-up-two-factor/", views.two_factor_setup, name="two-factor-setup"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("healthz", views.health, name="health"),
]
public_patterns = [path("", views.home, name="home")]
