from django.apps import AppConfig


class LearningSourcesConfig(AppConfig):
    name = "tenant_apps.learning_sources"
    label = "learning_sources"
    verbose_name = "Learning sources: case reviews, audits and inspections"
