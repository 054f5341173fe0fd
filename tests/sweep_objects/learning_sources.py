from typing import Any

from tenant_apps.learning_sources import services


def make(world: Any, canary: str) -> list[str]:
    coordinator = world.user("coordinator", "leeds")
    source = services.create_source(
        actor=coordinator, kind="serious_case_review", title=f"{canary} review", reference=f"{canary} Child", year=2016
    )
    activity = services.create_activity(actor=coordinator, title=f"{canary} course", kind="course")
    theme = services.create_theme(actor=coordinator, title=f"{canary} theme", sources=[source], activities=[activity])
    evidence = services.update_evidence(theme.evidence.get(), actor=coordinator, note=f"{canary} finding")
    gap = services.create_theme(actor=coordinator, title=f"{canary} unanswered theme")
    return [str(obj.pk) for obj in (source, activity, theme, evidence, gap)]
