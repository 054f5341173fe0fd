"""What a board learns from (case reviews, inspections, audits), the themes each yields, and the learning and
development activity that answers each theme: Croydon's Appendix A, "Themes from Serious Case Reviews linked to
L&D Activity", kept as data so the board can see which themes have no answer yet."""

import uuid

from django.db import models
from django.db.models.functions import Lower


class LearningSource(models.Model):
    """A case review, inspection or audit the board learns from (Croydon 1.3 and 8.10).

    `reference` is the name the review is known by, anonymised as published ("Child T", "Children F,G,H").
    Reviews are often known only by their year, so `year` may be given without `published_on`; when the date is
    given the year is the date's.
    """

    class Kind(models.TextChoices):
        SERIOUS_CASE_REVIEW = "serious_case_review", "Serious case review"
        LEARNING_REVIEW = "learning_review", "Learning review"
        RAPID_REVIEW = "rapid_review", "Rapid review"
        PRACTICE_REVIEW = "practice_review", "Local child safeguarding practice review"
        INSPECTION = "inspection", "Inspection"
        SECTION_11_AUDIT = "section_11_audit", "Section 11 audit"
        CASE_AUDIT = "case_audit", "Multi-agency case audit"
        OTHER = "other", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    title = models.CharField(max_length=200, help_text="For example “Serious case review: Child T”.")
    reference = models.CharField(
        max_length=100, blank=True, help_text="The anonymised name it is known by, for example “Child T”."
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The year it was published.")
    published_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    link = models.URLField(max_length=500, blank=True, help_text="Where the report is published.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__isnull=True) | models.Q(year__gte=1900), name="learning_source_year_sane"
            ),
            models.CheckConstraint(
                condition=models.Q(published_on__isnull=True) | models.Q(year=models.F("published_on__year")),
                name="learning_source_year_is_the_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.reference})" if self.reference else self.title

    @property
    def short_name(self) -> str:
        """How Appendix A names it in the evidence column: the reference, else the title."""
        return self.reference or self.title


class Theme(models.Model):
    """A theme the board's case reviews and audits keep raising, e.g. "Voice of the child in assessments and
    interventions". Its evidence is the sources that raised it (through `ThemeEvidence`, with a note)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0, help_text="Where the theme comes in the table.")
    sources = models.ManyToManyField(LearningSource, through="ThemeEvidence", related_name="themes", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "title"]
        constraints = [models.UniqueConstraint(Lower("title"), name="one_theme_per_title")]

    def __str__(self) -> str:
        return self.title


class ThemeEvidence(models.Model):
    """A source that raised a theme: one cell entry of Appendix A's "SCR Evidence" column."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(LearningSource, on_delete=models.CASCADE, related_name="evidence")
    note = models.TextField(blank=True, help_text="What the source found about the theme.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["theme", "source__year", "source__title"]
        verbose_name_plural = "theme evidence"
        constraints = [models.UniqueConstraint(fields=["theme", "source"], name="one_evidence_link_per_pair")]

    def __str__(self) -> str:
        return f"{self.theme}: {self.source.short_name}"


class LearningActivity(models.Model):
    """Learning and development activity that answers themes: Appendix A's "L&D activity" column.

    Courses of the board's training offer (a later part of the platform) will answer themes themselves: the course
    model gets its own many-to-many to `Theme`, and a theme counts as answered when a course in the offer or an
    activity here in place answers it. `LearningActivity` stays for what is not a course: a conference, a
    briefing, an e-learning package, a resource. Until the training offer exists, gaps are computed over
    activities only (`selectors.theme_gaps`).
    """

    class Kind(models.TextChoices):
        COURSE = "course", "Course"
        CONFERENCE = "conference", "Conference"
        BRIEFING = "briefing", "Briefing"
        E_LEARNING = "e_learning", "E-learning"
        RESOURCE = "resource", "Resource"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PLACE = "in_place", "In place"
        RETIRED = "retired", "Retired"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200, help_text="For example “Critical Thinking and Risk Assessment”.")
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.COURSE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.IN_PLACE)
    themes = models.ManyToManyField(Theme, through="ActivityTheme", related_name="activities", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "learning activities"
        constraints = [models.UniqueConstraint(Lower("title"), name="one_learning_activity_per_title")]

    def __str__(self) -> str:
        return self.title


class ActivityTheme(models.Model):
    """An activity answers a theme."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    activity = models.ForeignKey(LearningActivity, on_delete=models.CASCADE, related_name="theme_links")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="activity_links")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["theme", "activity"]
        constraints = [models.UniqueConstraint(fields=["activity", "theme"], name="one_activity_link_per_pair")]

    def __str__(self) -> str:
        return f"{self.activity} answers {self.theme}"
