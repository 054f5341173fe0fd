from rest_framework.routers import DefaultRouter

from tenant_apps.needs_audits.api import views


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the board host's API router."""
    router.register("needs-audits", views.NeedsAuditViewSet, basename="needs-audit")
    router.register("needs-audit-topics", views.AuditTopicViewSet, basename="needs-audit-topic")
    router.register("needs-audit-questions", views.AuditQuestionViewSet, basename="needs-audit-question")
    router.register("needs-audit-invitations", views.AuditInvitationViewSet, basename="needs-audit-invitation")
    router.register("needs-audit-responses", views.AuditResponseViewSet, basename="needs-audit-response")
