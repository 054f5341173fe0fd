from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tenant_apps.demo"
    label = "demo"
    verbose_name = "Demo data"
