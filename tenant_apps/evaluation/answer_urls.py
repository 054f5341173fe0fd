"""Answering an evaluation through the link in its email (no sign-in: the signed link is the credential)."""

from django.urls import URLPattern, path

from tenant_apps.evaluation import answer_views

urlpatterns: list[URLPattern] = [
    # Before the link's pattern: "thank-you" is never a token (signed tokens always hold a colon).
    path("evaluate/thank-you/", answer_views.thank_you, name="thank-you"),
    path("evaluate/<str:token>/", answer_views.answer, name="answer"),
]
