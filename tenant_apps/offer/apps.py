from django.apps import AppConfig


class OfferConfig(AppConfig):
    name = "tenant_apps.offer"
    label = "offer"
    verbose_name = "Training offer: courses, sessions and venues"
