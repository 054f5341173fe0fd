from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "shared_apps.web"
    label = "web"
    verbose_name = "Web pages: layout, sign-in, board directory"
