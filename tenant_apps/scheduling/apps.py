from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "tenant_apps.scheduling"
    label = "scheduling"
    verbose_name = "Scheduled work"
