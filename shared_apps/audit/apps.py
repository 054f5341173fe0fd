from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "shared_apps.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from shared_apps.audit import receivers  # noqa: F401
