"""Every write to a board's own settings (the one row in the board's schema)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from shared_apps.audit.services import diff, record
from tenant_apps.boardhome.models import BoardSettings

EDITABLE = (
    "contact_email",
    "welcome",
    "session_reminder_days",
    "review_reminder_days",
    "impact_survey_days",
    "evaluation_days_open",
    "certificates_need_evaluation",
    "quality_min_overall",
    "quality_min_impact_share",
)


def seed_board_defaults(*, contact_email: str = "") -> BoardSettings:
    """The settings row every board starts with. Idempotent."""
    settings, _ = BoardSettings.objects.get_or_create(pk=1, defaults={"contact_email": contact_email})
    return settings


def board_settings() -> BoardSettings:
    return seed_board_defaults()


def update_board_settings(*, actor: Any, **fields: Any) -> BoardSettings:
    """Change the settings of the board whose schema the connection is in; log what changed, if anything."""
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise ValueError(f"Not a board setting: {', '.join(unknown)}")
    with transaction.atomic():
        seed_board_defaults()
        row = BoardSettings.objects.select_for_update().get(pk=1)
        before = {name: getattr(row, name) for name in EDITABLE}
        for name, value in fields.items():
            setattr(row, name, value)
        row.full_clean()
        changed = diff(before, {name: getattr(row, name) for name in EDITABLE})
        if changed:
            row.save(update_fields=list(changed))
            record(
                "board_settings.updated",
                actor=actor,
                obj=row,
                changes=changed,
                summary=f"Board settings changed: {', '.join(changed)}",
            )
    return row
