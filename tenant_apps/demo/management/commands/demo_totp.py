from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenant_apps.demo.services import DemoAccountError, current_totp_code


class Command(BaseCommand):
    help = (
        "Print the current six-digit two-factor code of a demo account (one made by seed_demo). "
        "A code is accepted once: for a second sign-in, wait for the next one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="A demo account's email address, e.g. admin@leeds.demo")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            totp = current_totp_code(options["email"])
        except DemoAccountError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(totp.code)
        self.stderr.write(f"(valid for {totp.seconds_left} more seconds)")
