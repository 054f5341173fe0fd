from django.apps import AppConfig


class NeedsAuditsConfig(AppConfig):
    name = "tenant_apps.needs_audits"
    label = "needs_audits"
    verbose_name = "Training needs audits"
