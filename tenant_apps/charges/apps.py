from django.apps import AppConfig


class ChargesConfig(AppConfig):
    name = "tenant_apps.charges"
    label = "charges"
    verbose_name = "Non-attendance fees and payments"

    def ready(self) -> None:
        from tenant_apps.charges import handlers  # noqa: F401 (registers the invoice reminders' due work)
