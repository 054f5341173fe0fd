from django.apps import AppConfig


class AudiencesConfig(AppConfig):
    name = "tenant_apps.audiences"
    label = "audiences"
    verbose_name = "Audience groups and learning pathways"

    def ready(self) -> None:
        from tenant_apps.audiences import receivers  # noqa: F401
