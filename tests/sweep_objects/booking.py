"""Leeds bookings for the sweep: a Leeds practitioner's place and a waiting-list spot on a full session."""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from shared_apps.accounts.services import create_user
from tenant_apps.booking import services
from tenant_apps.offer import services as offer
from tenant_apps.offer.services import PartSpec

DAY = datetime(2032, 6, 8, 9, 30, tzinfo=ZoneInfo("Europe/London"))


def make(world: Any, canary: str) -> list[str]:
    coordinator = world.user("coordinator", "leeds")
    practitioner = world.user("practitioner", "leeds")
    course = offer.save_course(
        actor=coordinator,
        title="Sweep booking course",
        summary="A published course to book.",
        intervention_type="classroom",
        duration_hours=Decimal("2"),
        topic="neglect",
        status="published",
    )
    session = offer.schedule_session(
        course, actor=coordinator, capacity=1, parts=[PartSpec(DAY, DAY + timedelta(hours=2), None)]
    )
    place = services.book(session, practitioner, actor=practitioner, job_role=f"{canary} role")
    waiting_person = create_user("sweep.waiting@school.test", f"{canary} Waiting", "correct horse battery staple")
    waiting = services.book(session, waiting_person, actor=coordinator, job_role=f"{canary} role")
    return [str(place.pk), str(waiting.pk)]
