from django.urls import path

from tenant_apps.learning_sources import views

app_name = "learning_sources"
urlpatterns = [
    path("learning-from-reviews/", views.index, name="index"),
    path("learning-from-reviews/sources/new/", views.source_add, name="source-add"),
    path("learning-from-reviews/sources/<uuid:pk>/", views.source_detail, name="source"),
    path("learning-from-reviews/sources/<uuid:pk>/edit/", views.source_edit, name="source-edit"),
    path("learning-from-reviews/sources/<uuid:pk>/delete/", views.source_delete, name="source-delete"),
    path("learning-from-reviews/themes/", views.matrix, name="matrix"),
    path("learning-from-reviews/themes/new/", views.theme_add, name="theme-add"),
    path("learning-from-reviews/themes/<uuid:pk>/edit/", views.theme_edit, name="theme-edit"),
    path("learning-from-reviews/themes/<uuid:pk>/delete/", views.theme_delete, name="theme-delete"),
    path("learning-from-reviews/activities/", views.activities, name="activities"),
    path("learning-from-reviews/activities/new/", views.activity_add, name="activity-add"),
    path("learning-from-reviews/activities/<uuid:pk>/edit/", views.activity_edit, name="activity-edit"),
    path("learning-from-reviews/activities/<uuid:pk>/delete/", views.activity_delete, name="activity-delete"),
]
