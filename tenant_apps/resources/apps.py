from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "tenant_apps.resources"
    label = "resources"
    verbose_name = "Resources library"
