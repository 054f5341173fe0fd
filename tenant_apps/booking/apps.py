from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "tenant_apps.booking"
    label = "booking"
    verbose_name = "Booking and waiting lists"

    def ready(self) -> None:
        from tenant_apps.booking import handlers, receivers  # noqa: F401 (connects receivers and due-work handlers)
