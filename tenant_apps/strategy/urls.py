from django.urls import path

from tenant_apps.strategy import views

app_name = "strategy"
urlpatterns = [
    path("strategy/", views.strategy_list, name="list"),
    path("strategy/new/", views.strategy_create, name="create"),
    path("strategy/<uuid:pk>/", views.strategy_detail, name="detail"),
    path("strategy/<uuid:pk>/pdf/", views.strategy_pdf_view, name="pdf"),
    path("strategy/<uuid:pk>/edit/", views.strategy_edit, name="edit"),
    path("strategy/<uuid:pk>/review/", views.strategy_review, name="review"),
    path("strategy/<uuid:pk>/history/", views.strategy_history, name="history"),
    path("strategy/<uuid:pk>/content/new/", views.item_add, name="item-add"),
    path("strategy/content/<uuid:pk>/edit/", views.item_edit, name="item-edit"),
    path("strategy/content/<uuid:pk>/remove/", views.item_remove, name="item-remove"),
    path("strategy/<uuid:pk>/sign-offs/new/", views.sign_off_add, name="sign-off-add"),
    path("strategy/sign-offs/<uuid:pk>/remove/", views.sign_off_remove, name="sign-off-remove"),
    path("strategy/<uuid:pk>/plans/new/", views.plan_add, name="plan-add"),
    path("strategy/plans/<uuid:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("strategy/plans/<uuid:pk>/rows/new/", views.row_add, name="row-add"),
    path("strategy/rows/<uuid:pk>/", views.row_detail, name="row"),
    path("strategy/rows/<uuid:pk>/edit/", views.row_edit, name="row-edit"),
    path("strategy/rows/<uuid:pk>/kpis/new/", views.kpi_add, name="kpi-add"),
    path("strategy/kpis/<uuid:pk>/edit/", views.kpi_edit, name="kpi-edit"),
    path("strategy/rows/<uuid:pk>/milestones/new/", views.milestone_add, name="milestone-add"),
    path("strategy/milestones/<uuid:pk>/complete/", views.milestone_complete, name="milestone-complete"),
]
