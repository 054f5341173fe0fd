"""Leeds offer objects for the sweep.

The published course and its scheduled session are public (the catalogue shows them to anyone on the Leeds host),
so they carry no canary and their ids are not returned; everything the catalogue must never show (a draft course
and its session, a cancelled session) carries the canary or is returned as one, and so are the board-only things.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from shared_apps.accounts.services import create_user
from shared_apps.trainers import services as pool
from shared_apps.trainers.models import TrainerAssignment
from tenant_apps.offer import services
from tenant_apps.offer.services import PartSpec

LONDON = ZoneInfo("Europe/London")
DAY = datetime(2032, 5, 11, 9, 30, tzinfo=LONDON)


def make(world: Any, canary: str) -> list[str]:
    coordinator = world.user("coordinator", "leeds")
    public_room = services.save_venue(actor=coordinator, name="Sweep Civic Hall", address="Leeds", capacity=30)
    back_room = services.save_venue(actor=coordinator, name=f"{canary} back room", address="Leeds", capacity=12)
    published = services.save_course(
        actor=coordinator,
        title="Sweep neglect course",
        summary="A published course of the sweep.",
        intervention_type="classroom",
        duration_hours=Decimal("3"),
        topic="neglect",
        status="published",
    )
    draft = services.save_course(
        actor=coordinator,
        title=f"{canary} draft course",
        summary=f"{canary} never in the catalogue",
        intervention_type="workshop",
        duration_hours=Decimal("2"),
        topic="neglect",
    )
    scheduled = services.schedule_session(
        published, actor=coordinator, capacity=20, parts=[PartSpec(DAY, DAY + timedelta(hours=3), public_room)]
    )
    cancelled = services.schedule_session(
        published,
        actor=coordinator,
        capacity=20,
        notes=canary,
        parts=[PartSpec(DAY + timedelta(days=7), DAY + timedelta(days=7, hours=3), public_room)],
    )
    services.cancel_session(cancelled, actor=coordinator, reason=f"{canary} trainer unwell")
    of_draft = services.schedule_session(
        draft,
        actor=coordinator,
        capacity=10,
        notes=canary,
        parts=[PartSpec(DAY + timedelta(days=1), DAY + timedelta(days=1, hours=2), back_room)],
    )
    standard = services.save_standard(actor=coordinator, title=f"{canary} keeps to time")

    user = create_user("sweep.offer.trainer@nhs.test", "Sweep Offer Trainer", "correct horse battery staple")
    trainer = pool.save_profile(
        user,
        actor=None,
        home_agency=world.agencies["health"],
        job_role="Safeguarding nurse",
        topics=["neglect"],
        trained_as_trainer_on=date(2030, 1, 10),
    )
    pool.decide_service(
        pool.offer_to_serve(trainer, world.boards["leeds"], actor=user), approve=True, actor=coordinator
    )
    services.assign_trainer(scheduled, trainer, role="lead", actor=coordinator)
    assignment = TrainerAssignment.objects.get(session_id=scheduled.pk, trainer=trainer)
    observation = services.record_observation(
        trainer,
        actor=coordinator,
        checklist={str(standard.pk): "met"},
        session=scheduled,
        observer_name="Sweep observer",
        observed_on=date(2032, 5, 11),
        outcome="meets",
        strengths=f"{canary} strengths",
    )
    board_only = (public_room, back_room, draft, cancelled, of_draft, standard, assignment, observation)
    return [str(obj.pk) for obj in board_only]
