"""The demo's non-attendance charges: a charging policy in each of the three boards with a training offer, modelled
on real partnerships' published charges (../shared/DOMAIN.md), the terms of a few agencies, last month's session
of one course with its register closed (which raises the fees) and the invoices for them; then each of those
boards connected to payments on the local Stripe stand-in, so that a finance contact can pay at /agency/.

Idempotent like the rest of the demo: a policy is added only to a board that has none, an agency's terms only
when it has none, the history only when the course has no session in the past yet, and a board already connected
to an account the stand-in knows is left alone.
"""

from __future__ import annotations

import functools
import json
import urllib.request
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import stripe
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from shared_apps.accounts.models import User
from shared_apps.accounts.services import create_user
from shared_apps.agencies.models import Agency
from shared_apps.payments import selectors as public_payments
from shared_apps.payments import services as public_records
from shared_apps.payments.stripe_client import client as stripe_client
from tenant_apps.booking import register
from tenant_apps.booking.models import Booking
from tenant_apps.charges import services as charges
from tenant_apps.charges.models import AgencyTerms, ChargingPolicy, Fee, Invoice
from tenant_apps.demo import data
from tenant_apps.demo.offer import COURSES, VENUES
from tenant_apps.offer import services as offer
from tenant_apps.offer.models import Course, Session, Venue
from tenant_apps.offer.services import PartSpec
from tenants.cross_board import run_in_board
from tenants.links import board_url
from tenants.models import Board

HALF_DAY = Decimal("4")  # the demo reads "half day" as a session of up to 4 hours


@dataclass(frozen=True)
class PolicyData:
    name: str
    rates: tuple[charges.RateInput, ...]
    late_cancellation_working_days: int
    exempt_trainer_agencies: bool = False
    small_group_turnover_limit: int | None = None


POLICIES = {
    # Leeds' published rates and exemptions. Leeds publishes one rate for everyone (so non-partners pay the same),
    # no notice period (the demo keeps the platform's 3 working days) and no turnover figure for a "small
    # third-sector group" (the demo says £50,000).
    "leeds": PolicyData(
        name="Demo policy with Leeds' published rates",
        rates=(
            charges.RateInput(up_to_hours=HALF_DAY, partner_amount=3500, non_partner_amount=3500),
            charges.RateInput(partner_amount=5000, non_partner_amount=5000),
            charges.RateInput(training_for_trainers=True, partner_amount=15000, non_partner_amount=15000),
        ),
        late_cancellation_working_days=3,
        exempt_trainer_agencies=True,
        small_group_turnover_limit=50_000,
    ),
    # Croydon, a London board, charging as its neighbour Greenwich does: £40 half day, £80 full day, non-partners
    # £50 / £100; cancelling closes 2 days before.
    "croydon": PolicyData(
        name="Demo policy modelled on Greenwich's",
        rates=(
            charges.RateInput(up_to_hours=HALF_DAY, partner_amount=4000, non_partner_amount=5000),
            charges.RateInput(partner_amount=8000, non_partner_amount=10000),
        ),
        late_cancellation_working_days=2,
    ),
    # Berkshire West charging as South Tyneside does: £25 half day, £50 full day, 2 working days' notice.
    "berkshire-west": PolicyData(
        name="Demo policy modelled on South Tyneside's",
        rates=(
            charges.RateInput(up_to_hours=HALF_DAY, partner_amount=2500, non_partner_amount=2500),
            charges.RateInput(partner_amount=5000, non_partner_amount=5000),
        ),
        late_cancellation_working_days=2,
    ),
}

HILLSIDE = "Hillside Youth and Family Project"


@dataclass(frozen=True)
class TermsData:
    agency: str  # an AgencyData name
    is_partner: bool = True
    declared_turnover: int | None = None


# West Yorkshire Police needs no terms in Leeds: it lends the pool trainer, so the policy exempts it by itself.
AGENCY_TERMS = {
    "leeds": (TermsData(HILLSIDE, declared_turnover=38_000),),  # a small voluntary group, under the limit
    "croydon": (TermsData(data.NURSERY, is_partner=False),),  # a private nursery, not a partner of the board
}


@dataclass(frozen=True)
class Attendee:
    email: str
    full_name: str
    agency: str  # an AgencyData name
    job_role: str
    mark: str  # a Booking.Attendance value


ATTENDED, PARTIAL = Booking.Attendance.ATTENDED, Booking.Attendance.PARTIAL
NO_SHOW, LATE = Booking.Attendance.NO_SHOW, Booking.Attendance.LATE_CANCELLATION

# Last month's session of each board's first demo course, and who was booked on it. People of the demo (data.PEOPLE)
# keep their accounts; the others are made here, without a password (they stand for imported history).
HISTORY: dict[str, tuple[Attendee, ...]] = {
    "leeds": (
        Attendee("practitioner@leeds.demo", "Aisha Patel", data.LEEDS_CHILDREN, "Social worker", ATTENDED),
        Attendee("priya.chauhan@leeds-hospitals.demo", "Priya Chauhan", data.LEEDS_HOSPITALS, "Midwife", ATTENDED),
        Attendee(
            "sarah.greenwood@leeds-hospitals.demo", "Sarah Greenwood", data.LEEDS_HOSPITALS, "Health visitor", NO_SHOW
        ),
        Attendee("mark.sutcliffe@leeds-hospitals.demo", "Mark Sutcliffe", data.LEEDS_HOSPITALS, "Staff nurse", LATE),
        Attendee(
            "dean.holroyd@westyorkshire.demo",
            "Dean Holroyd",
            data.WEST_YORKSHIRE_POLICE,
            "Police constable, neighbourhood team",
            NO_SHOW,
        ),
        Attendee("lucy.barraclough@hillside.demo", "Lucy Barraclough", HILLSIDE, "Youth worker", NO_SHOW),
        Attendee("tom.whiteley@leeds.demo", "Tom Whiteley", data.LEEDS_CHILDREN, "Family support worker", PARTIAL),
    ),
    "croydon": (
        Attendee("practitioner@croydon.demo", "Chloe Bennett", data.NURSERY, "Nursery practitioner", NO_SHOW),
        Attendee("kemi.adebayo@croydonhealth.demo", "Kemi Adebayo", data.CROYDON_HEALTH, "School nurse", LATE),
        Attendee("hannah.price@croydonhealth.demo", "Hannah Price", data.CROYDON_HEALTH, "Health visitor", ATTENDED),
        Attendee("james.okafor@met.demo", "James Okafor", data.MET_POLICE, "Detective constable", ATTENDED),
    ),
    "berkshire-west": (
        Attendee("practitioner@berkshire-west.demo", "Emma Clarke", data.PRIMARY_SCHOOL, "Teacher", ATTENDED),
        Attendee("rachel.moore@royalberkshire.demo", "Rachel Moore", data.ROYAL_BERKSHIRE, "Paediatric nurse", NO_SHOW),
        Attendee("ben.carter@thamesvalley.demo", "Ben Carter", data.THAMES_VALLEY_POLICE, "Police constable", PARTIAL),
        Attendee("sam.wilson@riverside.demo", "Sam Wilson", data.PRIMARY_SCHOOL, "Teaching assistant", LATE),
    ),
}


def history_day(today: date) -> date:
    """The second Tuesday of last month: the day of the demo's past session."""
    first_of_last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    first_tuesday = first_of_last_month + timedelta(days=(1 - first_of_last_month.weekday()) % 7)
    return first_tuesday + timedelta(weeks=1)


def ensure_charges(slug: str, agencies: dict[str, Agency], created: Counter[str]) -> None:
    """Run inside the board: its policy, agency terms, last month's session with its register closed (raising the
    fees) and the invoices for them."""
    if slug not in POLICIES:
        return
    day = history_day(timezone.localdate())
    _ensure_policy(POLICIES[slug], day, created)
    for terms in AGENCY_TERMS.get(slug, ()):
        agency = agencies[terms.agency]
        if not AgencyTerms.objects.filter(agency=agency).exists():
            charges.set_agency_terms(
                agency, actor=None, is_partner=terms.is_partner, declared_turnover=terms.declared_turnover
            )
            created["agencies' charging terms"] += 1
    _ensure_history(slug, day, agencies, created)


def _ensure_policy(policy: PolicyData, day: date, created: Counter[str]) -> None:
    # A board that has a policy of its own (any version) keeps it: the demo's could overlap it.
    if ChargingPolicy.objects.exists():
        return
    financial_year_starts = date(day.year if day.month >= 4 else day.year - 1, 4, 1)
    charges.create_policy(
        actor=None,
        rates=list(policy.rates),
        name=policy.name,
        effective_from=financial_year_starts,
        late_cancellation_working_days=policy.late_cancellation_working_days,
        exempt_trainer_agencies=policy.exempt_trainer_agencies,
        small_group_turnover_limit=policy.small_group_turnover_limit,
    )
    created["charging policies"] += 1


def _ensure_history(slug: str, day: date, agencies: dict[str, Agency], created: Counter[str]) -> None:
    course_data = COURSES[slug][0]
    course = Course.objects.filter(title=course_data.title).first()
    venue_name, room, _, _ = VENUES[slug]
    venue = Venue.objects.filter(name=venue_name, room=room).first()
    # Made once: a course with a session in the past already has its history (the demo's own or the board's).
    if course is None or venue is None or Session.objects.filter(course=course, starts_at__lt=timezone.now()).exists():
        return
    starts = timezone.make_aware(datetime.combine(day, time(9, 30)))
    session = offer.schedule_session(
        course,
        actor=None,
        capacity=course_data.capacity,
        parts=[PartSpec(starts, starts + timedelta(hours=float(course_data.hours)), venue)],
    )
    created["past sessions"] += 1
    marks: dict[str, str] = {}
    for attendee in HISTORY[slug]:
        person = User.objects.filter(email=attendee.email).first() or _history_person(attendee, created)
        # The booking service refuses sessions that have started, so these places are written as records: they
        # stand for bookings imported from the board's old system, made three weeks before the session.
        booking = Booking.objects.create(
            session=session,
            user=person,
            agency=agencies[attendee.agency],
            job_role=attendee.job_role,
            booked_by=person,
            status=Booking.Status.CONFIRMED,
            holds_place=True,
            confirmed_at=starts - timedelta(weeks=3),
        )
        marks[str(booking.pk)] = attendee.mark
        created["past bookings"] += 1
    coordinator = User.objects.filter(email=f"coordinator@{slug}.demo").first()
    register.mark(session, marks, actor=coordinator)
    register.close(session, actor=coordinator)
    created["registers closed"] += 1
    fees = Fee.objects.filter(booking__session=session).count()
    created["non-attendance fees raised"] += fees
    if fees:
        # The register is closed today, so its fees are raised today: the invoices cover last month and this one.
        before = Invoice.objects.count()
        charges.issue_invoices(period_start=day.replace(day=1), period_end=timezone.localdate(), actor=coordinator)
        created["invoices issued"] += Invoice.objects.count() - before


def _history_person(attendee: Attendee, created: Counter[str]) -> User:
    created["accounts (past attendees, no sign-in)"] += 1
    return create_user(attendee.email, attendee.full_name, None)


# Payments on the stand-in


def connect_payments(boards: dict[str, Board], created: Counter[str]) -> list[str]:
    """Connect each charging board to a Stripe account and finish its onboarding, when Stripe is the local stand-in.
    Never fails: what could not be done comes back as notes for the person seeding."""
    api_base = str(settings.STRIPE_API_BASE or "").rstrip("/")
    if not api_base:
        return [
            "Real Stripe is configured: each board's administrator connects the board's Stripe account on its "
            "Payments page (/charges/payments/setup/)."
        ]
    if not _standin_answers(api_base):
        return [
            f"The Stripe stand-in does not answer at {api_base}, so the demo boards are not connected to payments. "
            "Start it (python -m stripe_standin) and run seed_demo again, or use bash infra/demo.sh, which does both."
        ]
    notes = []
    for slug in POLICIES:
        board = boards[slug]
        try:
            connected = run_in_board(board, functools.partial(_connect_board, board, api_base))
        except (stripe.StripeError, OSError) as error:
            notes.append(f"{board.name} could not be connected to payments on the stand-in: {error}")
            continue
        if connected:
            created["boards connected to payments (Stripe stand-in)"] += 1
    return notes


def _standin_answers(api_base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_base}/_standin/config", timeout=2) as response:  # noqa: S310 (our URL)
            return bool(response.status == 200)
    except (OSError, ValueError):
        return False


def _connect_board(board: Board, api_base: str) -> bool:
    """In the board: True when its account had to be made or onboarded now, False when it was already connected."""
    account = public_payments.account_of_board(board.pk)
    if account is not None:
        try:
            latest = stripe_client().v1.accounts.retrieve(account.stripe_account_id)
        except (stripe.InvalidRequestError, stripe.PermissionError):
            # The stand-in keeps its accounts in memory, so after a restart it no longer knows this one. A fresh
            # account is made; the idempotency key of the first one was forgotten with it.
            public_records.forget_connected_account(board.pk)
            account = None
        else:
            if latest.charges_enabled:
                if not account.charges_enabled:
                    charges.refresh_connected_account()
                return False
    if account is None:
        setup = board_url(board, reverse("charges:payments-setup"))
        charges.start_onboarding(actor=None, return_url=f"{setup}?returned=1", refresh_url=setup)
        account = public_payments.account_of_board(board.pk)
        if account is None:
            return False
    # As the board's administrator would on the stand-in's onboarding page.
    request = urllib.request.Request(  # noqa: S310 (the stand-in's own address)
        f"{api_base}/_standin/accounts/{account.stripe_account_id}/onboard",
        data=json.dumps({}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        response.read()
    charges.refresh_connected_account()
    return True
