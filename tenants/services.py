"""Board provisioning: the one way a board, its schema and its domain come into being."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection as default_connection
from django.db import transaction
from django_tenants.utils import schema_exists

from tenants.cross_board import inside_board
from tenants.models import PUBLIC_SCHEMA, TEMPLATE_SCHEMA, Board, Domain, Region, slug_validator
from tenants.signals import board_provisioned
from tenants.template_copy import copy_template

log = logging.getLogger(__name__)
# django-tenants' database wrapper adds schema methods that Django's type stubs do not know.
connection: Any = default_connection

RESERVED_SLUGS = {"www", "api", "admin", "static", "media", "public", "template", "board-template", "platform", "t"}


@dataclass(frozen=True)
class BoardSpec:
    name: str
    slug: str
    kind: str = Board.Kind.CHILDREN
    self_term: str = Board.SelfTerm.PARTNERSHIP
    region: Region | None = None
    description: str = ""
    brand_colour: str = "#1d70b8"


def schema_name_for(slug: str) -> str:
    return "board_" + slug.replace("-", "_")


def board_domain_for(slug: str) -> str:
    return f"{slug}.{settings.PLATFORM_HOST}"


def validate_new_board(spec: BoardSpec) -> None:
    """Raise ValidationError with field messages a person can act on."""
    errors: dict[str, list[str]] = {}
    slug = spec.slug
    try:
        slug_validator(slug)
    except ValidationError as exc:
        errors.setdefault("slug", []).extend(exc.messages)
    if not 2 <= len(slug) <= 40:
        errors.setdefault("slug", []).append("The short name must be between 2 and 40 characters.")
    if slug in RESERVED_SLUGS:
        errors.setdefault("slug", []).append(f"“{slug}” is reserved by the platform; choose another short name.")
    if "slug" not in errors:
        if Board.objects.filter(slug=slug).exists() or schema_exists(schema_name_for(slug)):
            errors.setdefault("slug", []).append(f"A board with the short name “{slug}” already exists.")
        elif Domain.objects.filter(domain=board_domain_for(slug)).exists():
            errors.setdefault("slug", []).append(f"The web address {board_domain_for(slug)} is already taken.")
    if not spec.name.strip():
        errors.setdefault("name", []).append("Enter the board's name.")
    if spec.kind not in Board.Kind.values:
        errors.setdefault("kind", []).append("Choose a children's board or partnership, or an adults board.")
    if errors:
        raise ValidationError(errors)


def provision_board(spec: BoardSpec, *, actor: Any = None, clone: bool = True) -> Board:
    """Create a board: its row, its schema (cloned from the migrated template), its domain and its defaults.

    All in one transaction: PostgreSQL DDL is transactional, so any failure, including in a receiver
    of `board_provisioned`, leaves no schema and no row behind. `clone=False` runs every migration
    instead (kept for the provisioning benchmark and for making the template itself).
    """
    validate_new_board(spec)
    schema_name = schema_name_for(spec.slug)
    try:
        with transaction.atomic():
            board = Board(
                schema_name=schema_name,
                name=spec.name.strip(),
                slug=spec.slug,
                kind=spec.kind,
                self_term=spec.self_term,
                region=spec.region,
                description=spec.description,
                brand_colour=spec.brand_colour,
            )
            board.full_clean()
            board.save()
            _create_schema(board, clone=clone)
            Domain.objects.create(domain=board_domain_for(spec.slug), tenant=board, is_primary=True)
            with inside_board(board):
                board_provisioned.send(sender=Board, board=board, actor=actor)
    finally:
        connection.set_schema_to_public()
    log.info("Provisioned board %s in schema %s", board.slug, schema_name)
    return board


def _create_schema(board: Board, *, clone: bool) -> None:
    if clone and schema_exists(TEMPLATE_SCHEMA):
        # A replayed pg_dump of the template; django-tenants' clone function where pg_dump cannot be used.
        if not copy_template(board.schema_name):
            board.create_schema(check_if_exists=False, sync_schema=True, verbosity=0)
        return
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{board.schema_name}"')
    call_command("migrate_schemas", tenant=True, schema_name=board.schema_name, interactive=False, verbosity=0)


def ensure_platform_schemas() -> None:
    """Make sure the public tenant and the migrated template board exist (idempotent)."""
    with transaction.atomic():
        public, _ = Board.objects.get_or_create(
            schema_name=PUBLIC_SCHEMA, defaults={"name": "Safeguarding learning platform", "slug": "public-site"}
        )
        Domain.objects.get_or_create(domain=settings.PLATFORM_HOST, defaults={"tenant": public, "is_primary": True})
        if not Board.objects.filter(schema_name=TEMPLATE_SCHEMA).exists():
            template = Board.objects.create(
                schema_name=TEMPLATE_SCHEMA, name="Template for new boards", slug="template"
            )
            if not schema_exists(TEMPLATE_SCHEMA):
                _create_schema(template, clone=False)
    connection.set_schema_to_public()
