from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "tenant_apps.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation and impact of learning"

    def ready(self) -> None:
        from tenant_apps.evaluation import handlers, receivers  # noqa: F401 (due work and provisioning defaults)
