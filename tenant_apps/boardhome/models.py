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

    class Meta:
        verbose_name_plural = "board settings"

    def __str__(self) -> str:
        return "Board settings"
