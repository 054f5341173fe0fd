"""Celery app from tenant-schemas-celery: a task runs in the schema it was sent from (the `_schema_name` header)."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lscb_platform.settings.dev")

app = CeleryApp("lscb_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
