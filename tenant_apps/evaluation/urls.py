"""Evaluation pages on a board's host: answering through an emailed link (no account needed), and the board's
summaries and forms."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "evaluation"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("tenant_apps.evaluation.answer_urls")),
    path("", include("tenant_apps.evaluation.manage_urls")),
]
