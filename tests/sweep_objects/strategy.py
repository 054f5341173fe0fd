from datetime import date
from typing import Any

from tenant_apps.strategy import services


def make(world: Any, canary: str) -> list[str]:
    coordinator = world.user("coordinator", "leeds")
    adopted = services.create_strategy(
        actor=coordinator,
        title=f"{canary} adopted strategy",
        period_start=date(2024, 4, 1),
        period_end=date(2027, 3, 31),
        status="adopted",
        adopted_on=date(2024, 3, 16),
        headline=f"{canary} headline",
    )
    draft = services.create_strategy(
        actor=coordinator, title=f"{canary} draft strategy", period_start=date(2027, 4, 1), period_end=date(2030, 3, 31)
    )
    item = services.add_item(adopted, actor=coordinator, section="principle", title=f"{canary} principle")
    sign_off = services.add_sign_off(adopted, actor=coordinator, role="Chair", name=f"{canary} chair")
    plan = services.create_plan(adopted, actor=coordinator, title=f"{canary} delivery plan")
    row = services.add_plan_item(plan, actor=coordinator, priority=f"{canary} priority", target="Q2 2025")
    update = services.record_progress(row, actor=coordinator, note=f"{canary} progress", rag="amber")
    kpi = services.add_kpi(row, actor=coordinator, name=f"{canary} KPI", target_value="80")
    milestone = services.add_milestone(row, actor=coordinator, title=f"{canary} milestone")
    version = adopted.versions.order_by("-number").first()
    assert version is not None
    return [str(obj.pk) for obj in (adopted, draft, item, sign_off, plan, row, update, kpi, milestone, version)]
