"""A board's learning and development strategy: the document, its content, sign-offs and version history,
and the action plans (priorities with actions, progress updates, KPIs and milestones) that deliver it."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Strategy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ADOPTED = "adopted", "Adopted"
        SUPERSEDED = "superseded", "Superseded"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    adopted_on = models.DateField(null=True, blank=True)
    review_cycle_months = models.PositiveSmallIntegerField(
        default=36,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="How often the strategy is reviewed (Leeds three years, Croydon two, Berkshire West five).",
    )
    last_reviewed_on = models.DateField(null=True, blank=True)
    # Derived from adoption or the last review plus the cycle; stored so reminders and the dashboard can query it.
    next_review_due = models.DateField(null=True, blank=True, editable=False)
    version_label = models.CharField(max_length=40, blank=True, help_text="As the document says, e.g. 1.2.")
    headline = models.CharField(max_length=400, blank=True, help_text="One or two sentences for the home page.")
    introduction = models.TextField(blank=True, help_text="The body of the document: purpose and context.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start"]
        verbose_name_plural = "strategies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")), name="strategy_period_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period_label(self) -> str:
        return f"{self.period_start.year} to {self.period_end.year}"


class StrategyItem(models.Model):
    """One numbered piece of the strategy's content: an aim, objective, learning principle, standard or role."""

    class Section(models.TextChoices):
        AIM = "aim", "Aims"
        OBJECTIVE = "objective", "Objectives"
        PRINCIPLE = "principle", "Learning principles"
        STANDARD = "standard", "Standards individuals must demonstrate"
        RESPONSIBILITY = "responsibility", "Roles and responsibilities"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(max_length=20, choices=Section.choices)
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200, blank=True, help_text="A short name, e.g. “Analysing Needs”.")
    body = models.TextField(blank=True)

    class Meta:
        ordering = ["strategy", "section", "order"]

    def __str__(self) -> str:
        return self.title or self.body[:60]


class SignOff(models.Model):
    """Document control (Croydon): who signed the strategy off, in what role, on which version."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="sign_offs")
    role = models.CharField(max_length=120, help_text="e.g. Independent Chair, L&D sub-group chair")
    name = models.CharField(max_length=150)
    signed_on = models.DateField(null=True, blank=True)
    version_label = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["strategy", "signed_on", "role"]

    def __str__(self) -> str:
        return f"{self.role}: {self.name}"


class StrategyVersion(models.Model):
    """Every change to a strategy's document, with who made it and a snapshot of the document after it.

    Accounts live in the public schema and are deactivated, never deleted, so rows in a board's schema point at
    them with DO_NOTHING: Django cannot follow a delete into every board's schema.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+"
    )
    actor_email = models.CharField(max_length=254, blank=True)
    summary = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, blank=True)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["strategy", "-number"]
        constraints = [models.UniqueConstraint(fields=["strategy", "number"], name="one_version_number_per_strategy")]

    def __str__(self) -> str:
        return f"{self.strategy} v{self.number}"


class ActionPlan(models.Model):
    """A plan that delivers the strategy: Croydon's priority planning (appendix B) and delivery plan (C)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(max_length=200)
    period_label = models.CharField(max_length=40, blank=True, help_text="e.g. 2017-19")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["strategy", "order", "title"]

    def __str__(self) -> str:
        return self.title


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class PlanItem(models.Model):
    """One row of an action plan: the priority, the action needed, who, when, and the expected impact."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        ON_HOLD = "on_hold", "On hold"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    priority = models.TextField(help_text="The priority, or what is to be delivered.")
    action_needed = models.TextField(blank=True)
    responsible = models.CharField(max_length=300, blank=True)
    # As written ("Q2 2017", "April 2017 and Feb 2018"); target_date is the last date it names.
    target = models.CharField(max_length=120, blank=True)
    target_date = models.DateField(null=True, blank=True)
    expected_impact = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    rag = models.CharField(max_length=6, choices=Rag.choices, blank=True, help_text="The latest assessed rating.")
    completed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_row_number_per_plan")]

    def __str__(self) -> str:
        return f"{self.number}. {self.priority[:80]}"


class ProgressUpdate(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+"
    )
    note = models.TextField()
    evidence = models.TextField(blank=True, help_text="What shows the progress: a report, figures, a link.")
    rag = models.CharField(max_length=6, choices=Rag.choices, blank=True)

    class Meta:
        ordering = ["item", "-at"]

    def __str__(self) -> str:
        return self.note[:60]


class Kpi(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=30, blank=True, help_text="e.g. %, people, sessions")
    target_value = models.DecimalField(max_digits=12, decimal_places=2)
    actual_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    higher_is_better = models.BooleanField(default=True)

    class Meta:
        ordering = ["item", "name"]
        verbose_name = "KPI"

    def __str__(self) -> str:
        return self.name

    @property
    def met(self) -> bool | None:
        if self.actual_value is None:
            return None
        if self.higher_is_better:
            return self.actual_value >= self.target_value
        return self.actual_value <= self.target_value


class Milestone(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["item", "due_on", "title"]

    def __str__(self) -> str:
        return self.title
