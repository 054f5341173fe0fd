"""The shared trainer pool: a Leeds trainer's offer to Leeds, a Leeds session they are booked for, their dates away.

The trainer is Leeds' own trainer, so that the sweep finds a Leeds person who can reach each row through the
platform host's "my ..." routes; no caller of the sweep has a trainer profile. Only UUIDs are returned: the
integer ids of offers and dates away ("12") would match unrelated digits in any answer; the canary in the
trainer's role and skills and in the reason for the dates away stands for them. The course stays a draft, so
that the public catalogue never shows it (or the canary in its title, which the booking copies).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from shared_apps.trainers import services as pool
from shared_apps.trainers.models import BoardService, TrainerAssignment
from tenant_apps.offer import services as offer
from tenant_apps.offer.services import PartSpec

LONDON = ZoneInfo("Europe/London")
# An afternoon no other sweep module is likely to book this trainer for.
AFTERNOON = (datetime(2032, 2, 11, 13, 15, tzinfo=LONDON), datetime(2032, 2, 11, 16, 15, tzinfo=LONDON))


def make(world: Any, canary: str) -> list[str]:
    leeds = world.boards["leeds"]
    coordinator = world.user("coordinator", "leeds")
    person = world.user("trainer", "leeds")
    profile = pool.save_profile(
        person,
        actor=person,
        home_agency=world.agencies["health"],
        job_role=f"{canary} named nurse",
        topics=["neglect"],
        skills=f"{canary} skills",
        trained_as_trainer_on=date(2030, 1, 10),
    )
    service = BoardService.objects.filter(trainer=profile, board=leeds).first()
    if service is None or service.status != BoardService.Status.APPROVED:
        service = pool.offer_to_serve(profile, leeds, actor=person)
        pool.decide_service(service, approve=True, actor=coordinator)
    pool.add_blackout(profile, actor=person, starts_on=date(2032, 8, 2), ends_on=date(2032, 8, 13), reason=f"{canary}")
    course = offer.save_course(
        actor=coordinator,
        title=f"{canary} neglect: recognising and responding",
        summary="Level 3 neglect course",
        intervention_type="classroom",
        duration_hours=Decimal("3"),
        topic="neglect",
    )
    session = offer.schedule_session(course, actor=coordinator, capacity=20, parts=[PartSpec(*AFTERNOON)])
    offer.assign_trainer(session, profile, role="lead", actor=coordinator)
    assignment = TrainerAssignment.objects.get(trainer=profile, session_id=session.pk)
    return [str(assignment.pk), str(session.pk)]
