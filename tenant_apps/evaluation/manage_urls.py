"""The board's evaluation pages: summaries and their downloads, the forms, and a person's own evaluations."""

from django.urls import URLPattern, path

from tenant_apps.evaluation import views

urlpatterns: list[URLPattern] = [
    path("evaluation/", views.overview, name="overview"),
    path("evaluation/courses/<uuid:pk>/", views.course_page, name="course"),
    path("evaluation/sessions/<uuid:pk>/", views.session_page, name="session"),
    path("evaluation/trainers/", views.by_trainer, name="trainers"),
    path("evaluation/agency-types/", views.by_agency_type, name="agency-types"),
    path("evaluation/summaries.csv", views.summary_download, {"kind": "csv"}, name="summaries-csv"),
    path("evaluation/summaries.xlsx", views.summary_download, {"kind": "xlsx"}, name="summaries-xlsx"),
    path("evaluation/comments.csv", views.comments_download, {"kind": "csv"}, name="comments-csv"),
    path("evaluation/comments.xlsx", views.comments_download, {"kind": "xlsx"}, name="comments-xlsx"),
    path("evaluation/forms/", views.form_list, name="forms"),
    path("evaluation/forms/<uuid:pk>/", views.form_page, name="form"),
    path("evaluation/forms/<uuid:pk>/edit/", views.form_edit, name="form-edit"),
    path("evaluation/mine/", views.mine, name="mine"),
]
