"""Leeds fees for the sweep: a charging policy, a no-show's fee against an agency, and the invoice for it (the
agency-facing copy in the public schema follows)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from shared_apps.accounts.models import Membership
from shared_apps.accounts.services import create_user
from shared_apps.agencies.models import Agency
from tenant_apps.booking import services as booking
from tenant_apps.booking.models import Booking
from tenant_apps.charges import services
from tenant_apps.offer import services as offer
from tenant_apps.offer.services import PartSpec

DAY = datetime(2032, 7, 6, 9, 30, tzinfo=ZoneInfo("Europe/London"))


def make(world: Any, canary: str) -> list[str]:
    policy = services.create_policy(
        actor=None,
        rates=[services.RateInput(partner_amount=3500, non_partner_amount=5000)],
        name=f"{canary} policy",
        effective_from=date(2032, 1, 1),
        effective_to=date(2032, 12, 31),
    )
    # Agencies are public reference data: no canary in the name.
    agency, _ = Agency.objects.get_or_create(name="Sweep Charges Trust", defaults={"agency_type": "health"})
    # Leeds' finance contact pays for this agency: the agency portal's routes reach its fees.
    Membership.objects.filter(user=world.user("finance", "leeds"), board=world.boards["leeds"], role="finance").update(
        agency=agency
    )
    course = offer.save_course(
        actor=None,
        title="Sweep charges course",
        summary="A course someone missed.",
        intervention_type="classroom",
        duration_hours=Decimal("2"),
        topic="neglect",
        status="published",
    )
    session = offer.schedule_session(
        course, actor=None, capacity=3, parts=[PartSpec(DAY, DAY + timedelta(hours=2), None)]
    )
    absent = create_user("sweep.absent@school.test", f"{canary} Absent", "correct horse battery staple")
    place = booking.book(session, absent, actor=absent, agency=agency)
    # The register's mark (the register itself opens only on the day).
    Booking.objects.filter(pk=place.pk).update(attendance=Booking.Attendance.NO_SHOW)
    place.refresh_from_db()
    fee = services.raise_fee(place, "no_show", actor=None)
    assert fee is not None
    [invoice] = services.issue_invoices(period_start=date.today(), period_end=date.today(), actor=None)
    return [str(policy.pk), str(fee.pk), str(invoice.pk)]
