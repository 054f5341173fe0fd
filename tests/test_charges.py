"""Charging policies, raising non-attendance fees, working days, invoices, waiving and disputes."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from conftest import World
from shared_apps.agencies.models import Agency
from shared_apps.audit.models import AuditEvent
from shared_apps.payments.models import FeeEntry
from shared_apps.trainers.models import BoardService, TrainerProfile
from tenant_apps.booking import register
from tenant_apps.booking import services as booking
from tenant_apps.booking.models import Booking
from tenant_apps.charges import services as charges
from tenant_apps.charges.models import ChargingPolicy, Fee
from tenant_apps.charges.working_days import add_working_days, bank_holidays, working_days_between
from tenant_apps.scheduling.models import DueWork
from tenant_apps.scheduling.services import run_due_work
from tests.test_booking import MORNING, _book, _in, _people, _session

pytestmark = pytest.mark.django_db
ON_THE_DAY = MORNING + timedelta(hours=4)
LEEDS_RATES = [
    charges.RateInput(up_to_hours=Decimal("4"), partner_amount=3500, non_partner_amount=5000),
    charges.RateInput(partner_amount=5000, non_partner_amount=7500),
    charges.RateInput(training_for_trainers=True, partner_amount=15000, non_partner_amount=20000),
]


def leeds_policy(world: World, slug: str = "leeds", **overrides: Any) -> ChargingPolicy:
    fields: dict[str, Any] = {
        "name": "Leeds charging policy 2031",
        "effective_from": date(2030, 4, 1),
        "late_cancellation_working_days": 3,
        "charge_partial_attendance": True,
    } | overrides
    return _in(world, slug, lambda: charges.create_policy(actor=None, rates=LEEDS_RATES, **fields))


def _agency(name: str, agency_type: str = "health") -> Agency:
    return Agency.objects.create(name=name, agency_type=agency_type, email=f"{name.split()[0].lower()}@agency.test")


def _close_register(world: World, session: Any, marks: dict[Any, str], slug: str = "leeds") -> list[Fee]:
    coordinator = world.user("coordinator", slug)
    with time_machine.travel(ON_THE_DAY, tick=False):
        _in(world, slug, lambda: register.mark(session, {str(b.pk): m for b, m in marks.items()}, actor=coordinator))
        _in(world, slug, lambda: register.close(session, actor=coordinator))
    return _in(world, slug, lambda: list(Fee.objects.filter(booking__session=session).order_by("booking__booked_at")))


def test_bank_holidays_and_working_days() -> None:
    assert bank_holidays(2024) == {
        date(2024, 1, 1), date(2024, 3, 29), date(2024, 4, 1), date(2024, 5, 6), date(2024, 5, 27),
        date(2024, 8, 26), date(2024, 12, 25), date(2024, 12, 26),
    }  # fmt: skip
    # Christmas on a Saturday: made up on Monday 27th and Tuesday 28th; the 2022 jubilee and funeral.
    assert {date(2021, 12, 27), date(2021, 12, 28)} <= bank_holidays(2021)
    assert {date(2022, 6, 2), date(2022, 6, 3), date(2022, 9, 19)} <= bank_holidays(2022)
    assert date(2022, 5, 30) not in bank_holidays(2022)
    assert date(2020, 5, 8) in bank_holidays(2020) and date(2020, 5, 4) not in bank_holidays(2020)
    # Cancelling on Thursday 28 March 2024 for Wednesday 3 April: Good Friday and Easter Monday are not notice.
    assert working_days_between(date(2024, 3, 28), date(2024, 4, 3)) == 1
    assert working_days_between(date(2024, 3, 25), date(2024, 3, 28)) == 2
    assert add_working_days(date(2024, 12, 24), 2) == date(2024, 12, 30)


def test_a_no_show_raises_the_partner_rate_once_and_a_walk_in_or_attendee_none(world: World) -> None:
    leeds_policy(world)
    trust = _agency("Leeds Teaching Hospitals NHS Trust")
    session = _session(world, capacity=10)
    came, absent, partly, late_on_the_day = _people(4)
    bookings = [_book(world, session, person, agency=trust) for person in (came, absent, partly, late_on_the_day)]
    marks = dict(zip(bookings, ["attended", "no_show", "partial", "late_cancellation"], strict=True))
    fees = _close_register(world, session, marks)
    # A 3-hour course: the "up to 4 hours" rate, £35 each, against the agency on the booking.
    assert sorted((fee.reason, fee.amount, fee.agency_id) for fee in fees) == [
        ("late_cancellation", 3500, trust.pk),
        ("no_show", 3500, trust.pk),
        ("partial", 3500, trust.pk),
    ]
    # Closing again (or any second run) raises nothing new.
    again = _in(world, "leeds", lambda: charges.raise_fees_for_register(session, actor=None))
    assert again == [] and _in(world, "leeds", lambda: Fee.objects.count()) == 3
    # The agency's finance contacts see them through the public mirror.
    mirrored = FeeEntry.objects.filter(agency=trust).order_by("person_name")
    assert [(e.person_name, e.amount, e.status) for e in mirrored] == [
        ("Worker 1", 3500, "raised"),
        ("Worker 2", 3500, "raised"),
        ("Worker 3", 3500, "raised"),
    ]
    assert AuditEvent.objects.filter(action="charges.fee_raised", board=world.boards["leeds"]).count() == 3


def test_partial_attendance_is_free_unless_the_policy_counts_it(world: World) -> None:
    leeds_policy(world, charge_partial_attendance=False)
    trust = _agency("Harrogate NHS Trust")
    session = _session(world, capacity=10)
    bookings = [_book(world, session, person, agency=trust) for person in _people(2)]
    fees = _close_register(world, session, dict(zip(bookings, ["partial", "no_show"], strict=True)))
    assert [fee.reason for fee in fees] == ["no_show"]


def test_exemptions_non_partner_rates_and_bookings_without_an_agency(world: World) -> None:
    leeds_policy(world, small_group_turnover_limit=50_000)
    lender = _agency("West Yorkshire Police", "police")
    small = _agency("Little Acorns Youth Club", "voluntary")
    large_charity = _agency("Big Charity", "voluntary")
    private = _agency("Sunshine Private Nursery", "early_years")
    profile = TrainerProfile.objects.create(user=_people(1, "trainer")[0], home_agency=lender)
    BoardService.objects.create(trainer=profile, board=world.boards["leeds"], status="approved")
    admin = world.user("board_admin", "leeds")
    _in(world, "leeds", lambda: charges.set_agency_terms(small, actor=admin, declared_turnover=20_000))
    _in(world, "leeds", lambda: charges.set_agency_terms(large_charity, actor=admin, declared_turnover=900_000))
    _in(world, "leeds", lambda: charges.set_agency_terms(private, actor=admin, is_partner=False))
    with pytest.raises(ValidationError, match="Say why the agency is exempt"):
        _in(world, "leeds", lambda: charges.set_agency_terms(private, actor=admin, exempt=True))

    session = _session(world, capacity=10)
    people = _people(5)
    agencies = [lender, small, large_charity, private, None]
    bookings = [_book(world, session, p, agency=a) for p, a in zip(people, agencies, strict=True)]
    fees = _close_register(world, session, dict.fromkeys(bookings, "no_show"))
    assert sorted((fee.agency_id, fee.amount, fee.non_partner_rate) for fee in fees) == sorted(
        [(large_charity.pk, 3500, False), (private.pk, 5000, True)]
    )


def test_training_for_trainers_and_long_courses_have_their_own_rates(world: World) -> None:
    policy = leeds_policy(world)

    def rate(hours: str, category: str = "core") -> int:
        course: Any = type("C", (), {"duration_hours": Decimal(hours), "category": category})
        found = _in(world, "leeds", lambda: charges.rate_for(course, policy))
        return int(found.partner_amount)

    assert (rate("4"), rate("6.5"), rate("6", "training_for_trainers")) == (3500, 5000, 15000)


def test_a_late_cancellation_counts_working_days_and_raises_a_fee(world: World) -> None:
    leeds_policy(world)  # 3 working days' notice
    trust = _agency("Bradford District Care NHS Trust")
    # MORNING is Tuesday 4 March 2031: cancelling on Thursday 27 Feb gives Fri + Mon = 2 working days: late.
    session = _session(world, capacity=3)
    on_time, late = _people(2)
    first = _book(world, session, on_time, agency=trust)
    second = _book(world, session, late, agency=trust)
    with time_machine.travel(MORNING - timedelta(days=7), tick=False):
        early = _in(world, "leeds", lambda: booking.cancel_booking(first, actor=on_time))
    with time_machine.travel(MORNING - timedelta(days=5), tick=False):
        done = _in(world, "leeds", lambda: booking.cancel_booking(second, actor=late))
    assert not early.cancelled_late and done.cancelled_late
    fees = _in(world, "leeds", lambda: list(Fee.objects.filter(booking__session=session)))
    assert [(fee.booking_id, fee.reason, fee.amount) for fee in fees] == [(second.pk, "late_cancellation", 3500)]


def test_policies_validate_and_never_overlap(world: World) -> None:
    leeds_policy(world, effective_to=date(2031, 3, 31))
    with pytest.raises(ValidationError) as overlap:
        leeds_policy(world, name="2031 revision", effective_from=date(2031, 1, 1))
    assert "overlap “Leeds charging policy 2031”" in str(overlap.value)
    with pytest.raises(ValidationError, match="not a currency we charge in"):
        leeds_policy(world, effective_from=date(2032, 1, 1), currency="xyz")
    with pytest.raises(ValidationError, match="more than £0"):
        _in(
            world,
            "leeds",
            lambda: charges.create_policy(
                actor=None,
                rates=[charges.RateInput(partner_amount=0, non_partner_amount=-5)],
                name="Free",
                effective_from=date(2032, 1, 1),
            ),
        )
    # The next version starts the day after; nothing was half-saved by the refusals.
    leeds_policy(world, name="2031 revision", effective_from=date(2031, 4, 1))
    assert _in(world, "leeds", lambda: ChargingPolicy.objects.count()) == 2
    assert _in(world, "leeds", lambda: charges.policy_on(date(2031, 5, 1))).name == "2031 revision"


def test_waive_dispute_and_resolve_with_reasons_in_the_audit_log(world: World) -> None:
    leeds_policy(world)
    trust = _agency("Mid Yorkshire NHS Trust")
    session = _session(world, capacity=5)
    bookings = [_book(world, session, p, agency=trust) for p in _people(3)]
    fees = _close_register(world, session, dict.fromkeys(bookings, "no_show"))
    admin = world.user("coordinator", "leeds")
    with pytest.raises(ValidationError, match="Say why"):
        _in(world, "leeds", lambda: charges.waive(fees[0], reason=" ", actor=admin))
    _in(world, "leeds", lambda: charges.waive(fees[0], reason="Snow closed the roads", actor=admin))
    _in(world, "leeds", lambda: charges.dispute(fees[1], reason="She attended: signed in late", actor=admin))
    _in(world, "leeds", lambda: charges.dispute(fees[2], reason="Booked by mistake", actor=admin))
    _in(
        world,
        "leeds",
        lambda: charges.resolve_dispute(fees[1], uphold=False, note="Sign-in sheet shows her", actor=admin),
    )
    _in(world, "leeds", lambda: charges.resolve_dispute(fees[2], uphold=True, note="Booking was theirs", actor=admin))
    states = _in(world, "leeds", lambda: {f.pk: f.status for f in Fee.objects.all()})
    assert [states[f.pk] for f in fees] == ["waived", "waived", "raised"]
    with pytest.raises(ValidationError, match="cannot be waived"):
        _in(world, "leeds", lambda: charges.waive(fees[0], reason="again", actor=admin))
    actions = list(
        AuditEvent.objects.filter(board=world.boards["leeds"], action__startswith="charges.").values_list(
            "action", flat=True
        )
    )
    assert actions.count("charges.fee_waived") == 1 and actions.count("charges.dispute_resolved") == 2
    assert FeeEntry.objects.get(fee_id=fees[0].pk).status == "waived"


def test_invoices_are_numbered_without_gaps_emailed_and_reminded(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    leeds_policy(world)
    trust, school = _agency("Airedale NHS Trust"), _agency("Leeds City College", "education")
    finance = world.user("finance", "leeds")
    finance.memberships.filter(board=world.boards["leeds"], role="finance").update(agency=trust)
    session = _session(world, capacity=6)
    people = _people(3)
    bookings = [
        _book(world, session, people[0], agency=trust),
        _book(world, session, people[1], agency=trust),
        _book(world, session, people[2], agency=school),
    ]
    _close_register(world, session, dict.fromkeys(bookings, "no_show"))
    mail.outbox.clear()
    with (
        time_machine.travel(ON_THE_DAY + timedelta(days=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        issued = _in(
            world,
            "leeds",
            lambda: charges.issue_invoices(
                period_start=date(2031, 3, 1), period_end=date(2031, 3, 31), actor=world.user("coordinator", "leeds")
            ),
        )
    # One per agency, numbered on from the board's last invoice with no gap.
    numbers = sorted(inv.number for inv in issued)
    assert numbers[1] == numbers[0] + 1
    assert sorted((inv.agency_id, inv.total) for inv in issued) == sorted([(trust.pk, 7000), (school.pk, 3500)])
    # Issued again: nothing left to invoice, and no number used.
    again = _in(
        world,
        "leeds",
        lambda: charges.issue_invoices(period_start=date(2031, 3, 1), period_end=date(2031, 3, 31), actor=None),
    )
    assert again == []
    to_trust = [m for m in mail.outbox if m.subject.startswith("Invoice LEEDS-") and m.to == [finance.email]]
    assert len(to_trust) == 1 and to_trust[0].attachments[0][0].endswith(".pdf")
    assert any(m.to == [school.email] for m in mail.outbox)  # no finance contact: the agency's own address
    reminders = _in(world, "leeds", lambda: list(DueWork.objects.filter(kind=charges.INVOICE_REMINDER_KIND)))
    assert len(reminders) == 4  # on the due date and two weeks after, for each invoice
    # At the due date the dispatcher sends the reminder, with the invoice, once.
    mail.outbox.clear()
    due = max(work.due_at for work in reminders)
    with time_machine.travel(due + timedelta(minutes=1), tick=False), django_capture_on_commit_callbacks(execute=True):
        _in(world, "leeds", lambda: run_due_work())
    assert sorted(m.subject.split(":")[0] for m in mail.outbox if m.to == [finance.email]) == ["Reminder", "Reminder"]
    assert FeeEntry.objects.filter(agency=trust, status="invoiced").exclude(invoice_number="").count() == 2


def test_an_invoice_rolled_back_leaves_no_gap_in_the_numbers(world: World) -> None:
    """Numbers come from a counter row locked in the invoice's own transaction: a rolled-back invoice gives its
    number back (a database sequence would not)."""
    from django.db import transaction

    def numbers() -> list[int]:
        taken = [charges._next_invoice_number()]
        try:
            with transaction.atomic():
                charges._next_invoice_number()
                raise RuntimeError("the invoice failed")
        except RuntimeError:
            pass
        taken.append(charges._next_invoice_number())
        return taken

    first, second = _in(world, "croydon", numbers)
    assert second == first + 1


def test_sending_a_substitute_late_is_never_charged(world: World) -> None:
    """South Tyneside's rule, and the platform's: passing the place to a colleague is not a cancellation."""
    leeds_policy(world)
    trust = _agency("Leeds Community Healthcare NHS Trust")
    session = _session(world, capacity=3)
    booked, colleague = _people(2)
    place = _book(world, session, booked, agency=trust)
    with time_machine.travel(MORNING - timedelta(hours=20), tick=False):
        _in(world, "leeds", lambda: booking.substitute(place, colleague, actor=booked))
    assert _in(world, "leeds", lambda: Fee.objects.filter(booking__session=session).count()) == 0
    assert _in(world, "leeds", lambda: Booking.objects.get(pk=place.pk).user_id) == colleague.pk
