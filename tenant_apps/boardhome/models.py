"""Each board's own settings, one row in its schema, seeded when the board is provisioned."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class BoardSettings(models.Model):
    contact_email = models.EmailField(blank=True, help_text="Where practitioners send questions about training.")
    welcome = models.TextField(blank=True, help_text="A short welcome shown on the board's home page.")
    session_reminder_days = models.PositiveSmallIntegerField(
        default=3, validators=[MaxValueValidator(60)], help_text="Days before a session that reminders go out."
    )
    review_reminder_days = models.PositiveSmallIntegerField(
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Days before a strategy review falls due that the board is reminded.",
    )
    impact_survey_days = models.PositiveSmallIntegerField(
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(365)],
        help_text="Days after a session that the impact survey is sent (Leeds: 90).",
    )

    evaluation_days_open = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(3), MaxValueValidator(90)],
        help_text="Days an evaluation stays open for answers (a reminder goes 3 days before it closes).",
    )
    certificates_need_evaluation = models.BooleanField(
        default=False, help_text="Certificates are given only once the person has answered the reaction evaluation."
    )
    quality_min_overall = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=3.5,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="A course whose mean overall rating is below this is flagged.",
    )
    quality_min_impact_share = models.PositiveSmallIntegerField(
        default=50,
        validators=[MaxValueValidator(100)],
        help_text="A course where fewer than this per cent report a positive impact on practice is flagged.",
    )

    class Meta:
        verbose_name_plural = "board settings"

    def __str__(self) -> str:
        return "Board settings"
