from datetime import timedelta
from typing import Any

from django.utils import timezone

from tenant_apps.needs_audits import services


def make(world: Any, canary: str) -> list[str]:
    coordinator = world.user("coordinator", "leeds")
    today = timezone.localdate()
    audit = services.create_audit(
        actor=coordinator,
        title=f"{canary} needs audit",
        introduction=f"{canary} introduction",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30),
    )
    topic = services.add_topic(audit, actor=coordinator, title=f"{canary} neglect")
    need_met = topic.questions.get(kind="need_met")
    question = services.add_question(topic, actor=coordinator, text=f"{canary} question", kind="text", required=False)
    sent = services.send_audit(
        audit, actor=coordinator, agency_ids=[world.agencies["health"].pk, world.agencies["police"].pk]
    )
    invitation, token = (sent.emailed + sent.not_emailed)[0]
    response = services.submit_response(
        token=token,
        respondent_name=f"{canary} respondent",
        answers=[{"question": need_met.pk, "value": 4}, {"question": question.pk, "value": f"{canary} answer"}],
    )
    return [str(obj.pk) for obj in (audit, topic, need_met, question, invitation, response)]
