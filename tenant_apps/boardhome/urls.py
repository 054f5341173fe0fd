from django.urls import path

from tenant_apps.boardhome import views

app_name = "boardhome"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("settings/", views.settings_page, name="settings"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/remove/", views.remove_role, name="remove-role"),
]
