"""Trainer pool pages on a board's host (approving trainers who offer to serve the board)."""

from django.urls import URLPattern, path

from shared_apps.trainers import board_views

app_name = "trainer_pool"
urlpatterns: list[URLPattern] = [
    path("trainer-pool/", board_views.pool, name="index"),
    path("trainer-pool/<int:pk>/approve/", board_views.approve, name="approve"),
    path("trainer-pool/<int:pk>/refuse/", board_views.refuse, name="refuse"),
]
