from datetime import date
from typing import Any

from tenant_apps.audiences import services


def make(world: Any, canary: str) -> list[str]:
    coordinator = world.user("coordinator", "leeds")
    practitioner = world.user("practitioner", "leeds")
    group = services.create_group(
        actor=coordinator, scheme="group", code=f"{canary} group", name=f"{canary} audience", example_roles=canary
    )
    requirement = services.create_requirement(
        group,
        actor=coordinator,
        title=f"{canary} requirement",
        topic=f"{canary} topic",
        minimum_hours="3",
        refresh_every_months=36,
        first_completion_within_months=12,
    )
    profile, _ = services.set_learner_profile(
        practitioner, actor=practitioner, audience_group=group, job_role=f"{canary} role", joined_on=date(2024, 1, 8)
    )
    completion, _ = services.record_completion(
        actor=coordinator,
        user=practitioner,
        requirement=requirement,
        title=f"{canary} course",
        completed_on=date(2024, 5, 1),
        hours="3",
        source="imported",
        reference=f"{canary}-1",
    )
    started = services.save_elearning_record(
        actor=coordinator,
        user=practitioner,
        module_title=f"{canary} e-learning started",
        provider=f"{canary} provider",
        started_on=date(2024, 5, 2),
    )
    finished = services.save_elearning_record(
        actor=coordinator,
        user=practitioner,
        module_title=f"{canary} e-learning",
        topic=f"{canary} topic",
        provider=f"{canary} provider",
        provider_reference=f"{canary}-enrolment",
        started_on=date(2024, 5, 2),
        completed_on=date(2024, 5, 3),
        hours="2",
    )
    return [str(obj.pk) for obj in (group, requirement, profile, completion, started, finished)]
