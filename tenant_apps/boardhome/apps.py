from django.apps import AppConfig


class BoardHomeConfig(AppConfig):
    name = "tenant_apps.boardhome"
    label = "boardhome"
    verbose_name = "Board home and settings"

    def ready(self) -> None:
        from tenant_apps.boardhome import receivers  # noqa: F401
