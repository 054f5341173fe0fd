from django.urls import path

from shared_apps.audit import views

app_name = "audit"
urlpatterns = [path("audit/", views.board_log, name="board-log")]
