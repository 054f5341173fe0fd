from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenant_apps.demo.services import format_sign_ins, seed_demo


class Command(BaseCommand):
    help = (
        "Load the demo boards, strategies, agencies and people (idempotent) and list the demo sign-ins. "
        "The demo password and two-factor secrets are published, so it refuses to run with DEBUG off."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Run even with DEBUG off, for a demo site that is deployed with production settings.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "DEBUG is off: this looks like production, and the demo accounts' password and two-factor secrets "
                "are public. Use --allow-without-debug if this really is a demo site."
            )
        result = seed_demo()
        self.stdout.write(result.summary)
        self.stdout.write("")
        self.stdout.write(format_sign_ins(result.sign_ins))
