from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.models import Board, Region
from tenants.services import BoardSpec, provision_board


class Command(BaseCommand):
    help = "Create a board: its schema (cloned from the template), its domain and its defaults."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="Short name used in the web address, e.g. leeds")
        parser.add_argument("name", help="Full name, e.g. 'Leeds Safeguarding Children Partnership'")
        parser.add_argument("--kind", choices=Board.Kind.values, default=Board.Kind.CHILDREN)
        parser.add_argument("--term", choices=Board.SelfTerm.values, default=Board.SelfTerm.PARTNERSHIP)
        parser.add_argument("--region", help="Region slug, e.g. west-yorkshire")
        parser.add_argument("--no-clone", action="store_true", help="Run every migration instead of cloning")

    def handle(self, *args: Any, **options: Any) -> None:
        region = None
        if options["region"]:
            region = Region.objects.filter(slug=options["region"]).first()
            if region is None:
                raise CommandError(f"No region with the short name {options['region']!r}.")
        spec = BoardSpec(
            name=options["name"], slug=options["slug"], kind=options["kind"], self_term=options["term"], region=region
        )
        try:
            board = provision_board(spec, clone=not options["no_clone"])
        except ValidationError as exc:
            messages = [f"{field}: {msg}" for field, msgs in exc.message_dict.items() for msg in msgs]
            raise CommandError("; ".join(messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Created {board.name} in schema {board.schema_name}."))
