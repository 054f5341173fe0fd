"""A committed no-show fee on a board connected to the Stripe stand-in, for tests whose work runs on other
connections (threads racing, a browser talking to a live server), and its removal afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from shared_apps.accounts.models import Membership, User
from shared_apps.agencies.models import Agency
from shared_apps.audit.models import AuditEvent
from shared_apps.learning_record.models import BookingEntry
from shared_apps.payments.models import ConnectedAccount, FeeEntry
from stripe_standin import StripeStandIn
from tenant_apps.booking import services as booking
from tenant_apps.booking.models import Booking
from tenant_apps.charges import services as charges
from tenant_apps.charges.models import ChargeEmail, ChargingPolicy, Fee, Payment, PaymentItem, PolicyRate, Refund
from tenant_apps.offer import services as offer
from tenant_apps.offer.models import Course, Session
from tenant_apps.offer.services import PartSpec
from tenant_apps.scheduling.models import DueWork
from tenants.cross_board import run_in_board
from tenants.models import Board


@dataclass
class Owed:
    agency: Agency
    payer: User
    fee: Fee


def make_owed_fee(board: Board, standin: StripeStandIn, *, title: str, starts: datetime, people: str) -> Owed:
    """A policy, a course `title` with a session at `starts`, a no-show and its £50 fee against "<people> Trust",
    whose finance contact is payer@<people>.test (password: the test world's); the board onboarded."""
    from conftest import PASSWORD

    agency, _ = Agency.objects.get_or_create(name=f"{people} Trust", defaults={"agency_type": "health"})
    payer = User.objects.filter(email=f"payer@{people}.test").first() or User.objects.create_user(
        email=f"payer@{people}.test", password=PASSWORD, full_name=f"{people.title()} Payer"
    )
    Membership.objects.get_or_create(user=payer, board=board, role="finance", defaults={"agency": agency})
    absent, _ = User.objects.get_or_create(email=f"absent@{people}.test", defaults={"full_name": "Sam Absent"})

    def prepare() -> Fee:
        charges.create_policy(
            actor=None,
            rates=[charges.RateInput(partner_amount=5000, non_partner_amount=7000)],
            name=f"{title} policy",
            effective_from=starts.date() - timedelta(days=1),
            effective_to=starts.date() + timedelta(days=1),
        )
        course = offer.save_course(
            actor=None,
            title=title,
            summary="Level 1",
            intervention_type="classroom",
            duration_hours=Decimal("2"),
            topic="neglect",
            status="published",
        )
        session = offer.schedule_session(
            course, actor=None, capacity=5, parts=[PartSpec(starts, starts + timedelta(hours=2), None)]
        )
        place = booking.book(session, absent, actor=absent, agency=agency)
        # The register's mark (the register itself opens only on the day of the session).
        Booking.objects.filter(pk=place.pk).update(attendance=Booking.Attendance.NO_SHOW)
        place.refresh_from_db()
        fee = charges.raise_fee(place, Fee.Reason.NO_SHOW, actor=None)
        assert fee is not None
        charges.start_onboarding(actor=None, return_url="https://x.test/", refresh_url="https://x.test/")
        return fee

    fee = run_in_board(board, prepare)
    standin.onboard(ConnectedAccount.objects.get(board=board).stripe_account_id)
    run_in_board(board, charges.refresh_connected_account)
    return Owed(agency=agency, payer=payer, fee=fee)


def remove_owed_fees(board: Board, *, title: str) -> None:
    def remove() -> None:
        bookings = list(Booking.objects.filter(session__course__title=title).values_list("pk", flat=True))
        fees = list(Fee.objects.filter(booking_id__in=bookings).values_list("pk", flat=True))
        payments = list(Payment.objects.filter(items__fee_id__in=fees).values_list("pk", flat=True))
        refunds = list(Refund.objects.filter(fee_id__in=fees).values_list("pk", flat=True))
        keys = [f"receipt:{pk}" for pk in payments] + [f"refund:{pk}" for pk in refunds]
        ChargeEmail.objects.filter(key__in=keys).delete()  # the send log of receipts and refunds
        Refund.objects.filter(fee_id__in=fees).delete()
        PaymentItem.objects.filter(fee_id__in=fees).delete()
        Fee.objects.filter(pk__in=fees).delete()
        Payment.objects.filter(pk__in=payments).delete()
        FeeEntry.objects.filter(fee_id__in=fees).delete()
        BookingEntry.objects.filter(booking_id__in=bookings).delete()
        sessions = [str(pk) for pk in Session.objects.filter(course__title=title).values_list("pk", flat=True)]
        DueWork.objects.filter(key__in=sessions).delete()  # the session's reminders
        Booking.objects.filter(pk__in=bookings).delete()
        Session.objects.filter(course__title=title).delete()
        Course.objects.filter(title=title).delete()
        PolicyRate.objects.filter(policy__name=f"{title} policy").delete()
        ChargingPolicy.objects.filter(name=f"{title} policy").delete()

    run_in_board(board, remove)
    ConnectedAccount.objects.filter(board=board).delete()
    AuditEvent.objects.filter(board=board, action__startswith="charges.").delete()
