"""Boards (the tenants), their domains and the regions that group them. All in the public schema."""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import RegexValidator
from django.db import models
from django_tenants.models import DomainMixin, TenantMixin

PUBLIC_SCHEMA = "public"
TEMPLATE_SCHEMA = "board_template"
SYSTEM_SCHEMAS = (PUBLIC_SCHEMA, TEMPLATE_SCHEMA)

slug_validator = RegexValidator(
    r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$",
    "Use lower-case letters, digits and single hyphens, starting with a letter (for example berkshire-west).",
)


class Region(models.Model):
    """A regional group of boards that compare aggregates (West Yorkshire, London)."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BoardQuerySet(models.QuerySet["Board"]):
    def boards(self) -> BoardQuerySet:
        """Real boards: not the public schema, not the template that new boards are cloned from."""
        return self.exclude(schema_name__in=SYSTEM_SCHEMAS)


class Board(TenantMixin):
    """A safeguarding children board or partnership, or a safeguarding adults board: one schema each."""

    class Kind(models.TextChoices):
        CHILDREN = "children", "Safeguarding children board or partnership"
        ADULTS = "adults", "Safeguarding adults board"

    class SelfTerm(models.TextChoices):
        BOARD = "board", "board"
        PARTNERSHIP = "partnership", "partnership"

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=40, unique=True, validators=[slug_validator])
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CHILDREN)
    # LSCBs became Safeguarding Children Partnerships in 2019; each board chooses what it calls itself.
    self_term = models.CharField(max_length=20, choices=SelfTerm.choices, default=SelfTerm.PARTNERSHIP)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    description = models.TextField(blank=True)
    brand_colour = models.CharField(
        max_length=7,
        default="#1d70b8",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Give the colour as # and six hex digits, like #1d70b8.")],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Schemas are made by tenants.services.provision_board, inside its transaction, never implicitly.
    auto_create_schema = False

    objects: ClassVar[BoardQuerySet] = BoardQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        """What the board is, in its own word: "Safeguarding children partnership", "Safeguarding adults board"."""
        if self.kind == self.Kind.ADULTS:
            return "Safeguarding adults board"
        return f"Safeguarding children {self.self_term}"

    @property
    def is_system(self) -> bool:
        return self.schema_name in SYSTEM_SCHEMAS


class Domain(DomainMixin):
    """A host name that routes to a board (leeds.<platform host>)."""


class TemplateSnapshot(models.Model):
    """The template schema as SQL (from pg_dump), replayed to make each new board's schema. Keyed by the
    template's migration records, so a migration applied to the template makes the next provisioning take a
    new one (see tenants.template_copy)."""

    fingerprint = models.CharField(max_length=64, unique=True)
    sql = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Template snapshot {self.fingerprint[:12]}"
