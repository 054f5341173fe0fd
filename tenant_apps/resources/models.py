"""The resources library (Croydon priority 8): briefings, toolkits, learning objectives, recommended standards
and trainers, and case review learning that professionals use with and for their own settings."""

import uuid

from django.db import models

from tenant_apps.resources.files import file_type, private_storage, size_label, upload_to

# GOV.UK tag colours, one per kind, so that the library can be scanned by colour as well as by word.
KIND_TAG_COLOURS = {
    "briefing": "blue",
    "toolkit": "green",
    "learning_objectives": "purple",
    "recommended_standard": "turquoise",
    "recommended_provider": "orange",
    "case_review_learning": "pink",
    "other": "grey",
}


class Resource(models.Model):
    class Kind(models.TextChoices):
        BRIEFING = "briefing", "Briefing"
        TOOLKIT = "toolkit", "Safeguarding toolkit"
        LEARNING_OBJECTIVES = "learning_objectives", "Learning objectives"
        RECOMMENDED_STANDARD = "recommended_standard", "Recommended learning standard"
        RECOMMENDED_PROVIDER = "recommended_provider", "Recommended trainer or provider"
        CASE_REVIEW_LEARNING = "case_review_learning", "Case review learning (7-minute briefing)"
        OTHER = "other", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    topic = models.CharField(max_length=100, blank=True, help_text="For example, Neglect or Child sexual exploitation")
    summary = models.CharField(max_length=600, blank=True, help_text="One or two sentences shown in the library")
    body = models.TextField(
        blank=True, help_text="The resource itself. For learning objectives, write one objective on each line"
    )
    link_url = models.URLField("Link", max_length=500, blank=True, help_text="A web page or document elsewhere")
    file = models.FileField(upload_to=upload_to, storage=private_storage, max_length=300, blank=True)
    # The uploaded file's cleaned-up name and size, kept so that lists never touch the storage.
    file_name = models.CharField(max_length=150, blank=True, editable=False)
    file_size = models.PositiveIntegerField(null=True, blank=True, editable=False)
    provider_name = models.CharField(
        max_length=200, blank=True, help_text="For a recommended trainer or provider: who they are"
    )
    contact_email = models.EmailField(blank=True)
    website = models.URLField(max_length=500, blank=True)
    published = models.BooleanField(default=False, help_text="Published resources are seen by everyone in the board")
    published_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["published", "kind"], name="resource_published_kind")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(link_url="") | ~models.Q(body=""),
                name="resource_has_file_link_or_body",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="recommended_provider") | ~models.Q(provider_name=""),
                name="recommended_provider_is_named",
            ),
            models.CheckConstraint(
                condition=models.Q(published=False) | models.Q(published_on__isnull=False),
                name="published_resource_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_tag_colour(self) -> str:
        return KIND_TAG_COLOURS.get(self.kind, "grey")

    @property
    def objectives(self) -> list[str]:
        """Learning objectives, one a line, without blank lines or list marks people type."""
        return [line.strip().lstrip("-*•").strip() for line in self.body.splitlines() if line.strip(" -*•")]

    @property
    def file_type_label(self) -> str:
        kind = file_type(self.file_name) if self.file else None
        return kind.label if kind else ""

    @property
    def file_size_label(self) -> str:
        return size_label(self.file_size)
