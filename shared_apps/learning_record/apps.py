from django.apps import AppConfig


class LearningRecordConfig(AppConfig):
    name = "shared_apps.learning_record"
    label = "learning_record"
    verbose_name = "A person's learning across boards"
