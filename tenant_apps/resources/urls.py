from django.urls import path

from tenant_apps.resources import views

app_name = "resources"
urlpatterns = [
    path("resources/", views.library, name="library"),
    path("resources/add/", views.add, name="add"),
    path("resources/<uuid:pk>/", views.detail, name="detail"),
    path("resources/<uuid:pk>/edit/", views.edit, name="edit"),
    path("resources/<uuid:pk>/download/", views.download, name="download"),
    path("resources/<uuid:pk>/publish/", views.publish, name="publish"),
    path("resources/<uuid:pk>/unpublish/", views.unpublish, name="unpublish"),
    path("resources/<uuid:pk>/delete/", views.delete, name="delete"),
]
