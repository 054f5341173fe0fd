from django.apps import AppConfig


class TrainersConfig(AppConfig):
    name = "shared_apps.trainers"
    label = "trainers"
    verbose_name = "Shared trainer pool"
