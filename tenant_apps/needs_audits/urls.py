from django.urls import path

from tenant_apps.needs_audits import views

app_name = "needs_audits"
urlpatterns = [
    path("needs-audits/", views.audit_list, name="list"),
    path("needs-audits/new/", views.audit_create, name="create"),
    path("needs-audits/findings/", views.findings_list, name="findings-list"),
    path("needs-audits/respond/<str:token>/", views.respond, name="respond"),
    path("needs-audits/respond/<str:token>/sent/", views.respond_sent, name="respond-sent"),
    path("needs-audits/<uuid:audit_id>/", views.audit_detail, name="detail"),
    path("needs-audits/<uuid:audit_id>/edit/", views.audit_edit, name="edit"),
    path("needs-audits/<uuid:audit_id>/delete/", views.audit_delete, name="delete"),
    path("needs-audits/<uuid:audit_id>/topics/new/", views.topic_add, name="topic-add"),
    path("needs-audits/<uuid:audit_id>/send/", views.audit_send, name="send"),
    path("needs-audits/<uuid:audit_id>/close/", views.audit_close, name="close"),
    path("needs-audits/<uuid:audit_id>/publish/", views.audit_publish, name="publish"),
    path("needs-audits/<uuid:audit_id>/withdraw/", views.audit_withdraw, name="withdraw"),
    path("needs-audits/<uuid:audit_id>/responses/", views.audit_responses, name="responses"),
    path("needs-audits/<uuid:audit_id>/summary/", views.audit_summary_page, name="summary"),
    path("needs-audits/<uuid:audit_id>/findings/", views.findings, name="findings"),
    path("needs-audits/topics/<uuid:topic_id>/edit/", views.topic_edit, name="topic-edit"),
    path("needs-audits/topics/<uuid:topic_id>/remove/", views.topic_remove, name="topic-remove"),
    path("needs-audits/topics/<uuid:topic_id>/questions/new/", views.question_add, name="question-add"),
    path("needs-audits/questions/<uuid:question_id>/edit/", views.question_edit, name="question-edit"),
    path("needs-audits/questions/<uuid:question_id>/remove/", views.question_remove, name="question-remove"),
]
