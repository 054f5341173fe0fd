from typing import Any

from django.core.management.base import BaseCommand

from tenants.services import ensure_platform_schemas


class Command(BaseCommand):
    help = "Create the public tenant and the migrated template board that new boards are cloned from."

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_platform_schemas()
        self.stdout.write("Public site and board template are in place.")
