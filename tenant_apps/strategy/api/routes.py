from rest_framework.routers import DefaultRouter

from tenant_apps.strategy.api import views


def register(router: DefaultRouter) -> None:
    """Add the strategy's viewsets to the board host's API router."""
    router.register("strategies", views.StrategyViewSet, basename="strategy")
    router.register("strategy-items", views.StrategyItemViewSet, basename="strategy-item")
    router.register("strategy-sign-offs", views.SignOffViewSet, basename="strategy-sign-off")
    router.register("strategy-versions", views.StrategyVersionViewSet, basename="strategy-version")
    router.register("action-plans", views.ActionPlanViewSet, basename="action-plan")
    router.register("plan-items", views.PlanItemViewSet, basename="plan-item")
    router.register("progress-updates", views.ProgressUpdateViewSet, basename="progress-update")
    router.register("kpis", views.KpiViewSet, basename="kpi")
    router.register("milestones", views.MilestoneViewSet, basename="milestone")
