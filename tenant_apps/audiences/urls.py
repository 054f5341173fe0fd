from django.urls import path

from tenant_apps.audiences import views

app_name = "audiences"
urlpatterns = [
    path("audiences/", views.groups, name="groups"),
    path("audiences/groups/add/", views.group_form, name="group-add"),
    path("audiences/groups/<uuid:pk>/edit/", views.group_form, name="group-edit"),
    path("audiences/groups/<uuid:pk>/delete/", views.group_delete, name="group-delete"),
    path("audiences/groups/<uuid:group_pk>/requirements/add/", views.requirement_form, name="requirement-add"),
    path("audiences/requirements/<uuid:pk>/edit/", views.requirement_form, name="requirement-edit"),
    path("audiences/requirements/<uuid:pk>/delete/", views.requirement_delete, name="requirement-delete"),
    path("audiences/e-learning/", views.elearning, name="elearning"),
    path("audiences/e-learning/add/", views.elearning_form, name="elearning-add"),
    path("audiences/e-learning/import/", views.elearning_import, name="elearning-import"),
    path("audiences/e-learning/<uuid:pk>/edit/", views.elearning_form, name="elearning-edit"),
    path("audiences/e-learning/<uuid:pk>/delete/", views.elearning_delete, name="elearning-delete"),
    path("my-learning-pathway/", views.my_pathway, name="my-pathway"),
    path("my-learning-pathway/profile/", views.my_profile, name="my-profile"),
]
