from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "tenant_apps.strategy"
    label = "strategy"
    verbose_name = "Strategy"

    def ready(self) -> None:
        from tenant_apps.strategy import handlers  # noqa: F401
