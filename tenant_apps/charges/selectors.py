"""Reads of charging shaped for the board's pages, exports and API: the fee list, a fee's history, policies,
agencies with their terms, invoices, and the figures for reports (a few aggregate queries, never a row per fee).

Periods are by the session's date (the day the person did not come), in the board's time zone, so a quarter's
figures do not move when a fee is raised or paid later."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, DateField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncQuarter

from shared_apps.agencies.models import Agency
from shared_apps.audit.models import AuditEvent
from tenant_apps.booking.models import Booking
from tenant_apps.charges.models import AgencyTerms, ChargingPolicy, Fee, Invoice
from tenant_apps.charges.services import pounds

FEE_OBJECT_TYPE = Fee._meta.label_lower
# The financial year starts in April: quarter 1 is April to June.
QUARTER_MONTHS = ((4, 6), (7, 9), (10, 12), (1, 3))
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


# --- financial-year quarters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    start: date
    end: date

    @property
    def number(self) -> int:
        """1 for April to June, … 4 for January to March."""
        return (self.start.month - 4) % 12 // 3 + 1

    @property
    def financial_year(self) -> str:
        first = self.start.year if self.start.month >= 4 else self.start.year - 1
        return f"{first}-{str(first + 1)[2:]}"

    @property
    def key(self) -> str:
        """How a quarter is named in an address: 2031-Q1 is April to June 2031."""
        first = self.start.year if self.start.month >= 4 else self.start.year - 1
        return f"{first}-Q{self.number}"

    @property
    def label(self) -> str:
        return f"{MONTH_NAMES[self.start.month - 1]} to {MONTH_NAMES[self.end.month - 1]} {self.end.year}"

    @property
    def short_label(self) -> str:
        return f"{MONTH_NAMES[self.start.month - 1][:3]} to {MONTH_NAMES[self.end.month - 1][:3]} {self.end.year}"


def quarter_of(day: date) -> Quarter:
    first_month = (day.month - 1) // 3 * 3 + 1
    last_month = first_month + 2
    last_day = 31 if last_month in (3, 12) else 30
    return Quarter(date(day.year, first_month, 1), date(day.year, last_month, last_day))


def quarter_by_key(key: str) -> Quarter | None:
    """The quarter of a key like 2031-Q1 (April to June 2031), or None."""
    year, _, number = key.partition("-Q")
    if not (year.isdigit() and number in ("1", "2", "3", "4")) or not 2000 <= int(year) <= 2100:
        return None
    first_month, _ = QUARTER_MONTHS[int(number) - 1]
    # January to March belongs to the financial year that started the April before.
    return quarter_of(date(int(year) + (1 if first_month < 4 else 0), first_month, 1))


def recent_quarters(today: date, count: int) -> list[Quarter]:
    """The quarter of `today` and the `count - 1` before it, oldest first."""
    quarters = [quarter_of(today)]
    while len(quarters) < count:
        quarters.insert(0, quarter_of(quarters[0].start - timedelta(days=1)))
    return quarters


# --- the figures for reports ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeeFigures:
    """Non-attendances and fees for one period. Amounts in pence."""

    start: date
    end: date
    no_shows: int = 0
    late_cancellations: int = 0
    partial: int = 0
    requested_count: int = 0
    requested: int = 0
    paid_count: int = 0
    paid: int = 0
    waived_count: int = 0
    waived: int = 0
    refunded_count: int = 0
    refunded: int = 0
    outstanding_count: int = 0
    outstanding: int = 0

    @property
    def non_attendances(self) -> int:
        return self.no_shows + self.late_cancellations + self.partial

    @property
    def collectable(self) -> int:
        """What the board could collect: fees requested less those waived (before or after payment)."""
        return self.requested - self.waived - self.refunded

    @property
    def collection_rate(self) -> float | None:
        """Paid as a share of what could be collected; None when nothing could be."""
        return self.paid / self.collectable if self.collectable > 0 else None

    @property
    def pounds(self) -> dict[str, str]:
        """The amounts as the pages show them."""
        amounts = {
            "requested": self.requested,
            "paid": self.paid,
            "waived": self.waived,
            "refunded": self.refunded,
            "outstanding": self.outstanding,
            "collectable": self.collectable,
            "not_due": self.waived + self.refunded,
        }
        return {name: pounds(pence) for name, pence in amounts.items()}

    @property
    def collection_percent(self) -> int | None:
        rate = self.collection_rate
        return round(rate * 100) if rate is not None else None


OUTSTANDING = Q(status__in=[*Fee.PAYABLE, Fee.Status.DISPUTED])


def _fee_sums() -> dict[str, Any]:
    def total(condition: Q | None = None) -> Any:
        return Coalesce(Sum("amount", filter=condition), Value(0))

    sums: dict[str, Any] = {"requested_count": Count("pk"), "requested": total()}
    for name, condition in (
        ("paid", Q(status=Fee.Status.PAID)),
        ("waived", Q(status=Fee.Status.WAIVED)),
        ("refunded", Q(status=Fee.Status.REFUNDED)),
        ("outstanding", OUTSTANDING),
    ):
        sums[f"{name}_count"] = Count("pk", filter=condition)
        sums[name] = total(condition)
    return sums


def _absence_counts() -> dict[str, Any]:
    return {
        "no_shows": Count("pk", filter=Q(attendance=Booking.Attendance.NO_SHOW)),
        "late_cancellations": Count(
            "pk", filter=Q(attendance=Booking.Attendance.LATE_CANCELLATION) | Q(cancelled_late=True)
        ),
        "partial": Count("pk", filter=Q(attendance=Booking.Attendance.PARTIAL)),
    }


def fees_in_period(start: date, end: date) -> QuerySet[Fee]:
    return Fee.objects.filter(booking__session__starts_at__date__gte=start, booking__session__starts_at__date__lte=end)


def _bookings_in_period(start: date, end: date) -> QuerySet[Booking]:
    return Booking.objects.filter(session__starts_at__date__gte=start, session__starts_at__date__lte=end)


def figures(start: date, end: date) -> FeeFigures:
    """The figures for one period: two queries."""
    fees = fees_in_period(start, end).aggregate(**_fee_sums())
    absences = _bookings_in_period(start, end).aggregate(**_absence_counts())
    return FeeFigures(start=start, end=end, **fees, **absences)


def figures_by_quarter(quarters: list[Quarter]) -> list[FeeFigures]:
    """The figures of each quarter (consecutive, oldest first): two grouped queries. Financial quarters start in
    April, July, October and January, like calendar quarters, so the database's quarter does the grouping."""
    if not quarters:
        return []
    start, end = quarters[0].start, quarters[-1].end
    fee_rows = (
        fees_in_period(start, end)
        .annotate(quarter=TruncQuarter("booking__session__starts_at", output_field=DateField()))
        .order_by()
        .values("quarter")
        .annotate(**_fee_sums())
    )
    absence_rows = (
        _bookings_in_period(start, end)
        .annotate(quarter=TruncQuarter("session__starts_at", output_field=DateField()))
        .order_by()
        .values("quarter")
        .annotate(**_absence_counts())
    )
    by_quarter: dict[date, dict[str, Any]] = {}
    for row in [*fee_rows, *absence_rows]:
        sums: dict[str, Any] = dict(row)
        by_quarter.setdefault(sums.pop("quarter"), {}).update(sums)
    return [FeeFigures(start=q.start, end=q.end, **by_quarter.get(q.start, {})) for q in quarters]


# --- fees -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeeFilters:
    status: str = ""
    agency_id: int | None = None
    reason: str = ""
    start: date | None = None
    end: date | None = None


def fee_list(filters: FeeFilters) -> QuerySet[Fee]:
    """Fees with everything a row shows (person, agency, course, session, invoice) in one query."""
    fees = Fee.objects.select_related("booking__user", "booking__session__course", "agency", "invoice")
    if filters.status:
        fees = fees.filter(status=filters.status)
    if filters.agency_id is not None:
        fees = fees.filter(agency_id=filters.agency_id)
    if filters.reason:
        fees = fees.filter(reason=filters.reason)
    if filters.start is not None:
        fees = fees.filter(booking__session__starts_at__date__gte=filters.start)
    if filters.end is not None:
        fees = fees.filter(booking__session__starts_at__date__lte=filters.end)
    return fees.order_by("-raised_at", "pk")


def fee_detail(pk: Any) -> Fee | None:
    return (
        Fee.objects.select_related(
            "booking__user", "booking__session__course", "agency", "invoice", "policy", "payment"
        )
        .filter(pk=pk)
        .first()
    )


def fee_history(fee: Fee, board: Any) -> QuerySet[AuditEvent]:
    """The audit log's entries about this fee in this board, oldest first."""
    return (
        AuditEvent.objects.filter(board_id=board.pk, object_type=FEE_OBJECT_TYPE, object_id=str(fee.pk))
        .select_related("actor")
        .order_by("at", "id")
    )


def agencies_with_fees() -> list[Agency]:
    """Agencies that have a fee here, for the fee list's filter."""
    return list(Agency.objects.filter(pk__in=Fee.objects.values("agency_id")).order_by("name"))


# --- policies, agencies, invoices -------------------------------------------------------------------------------


def policies() -> QuerySet[ChargingPolicy]:
    return (
        ChargingPolicy.objects.prefetch_related("rates").annotate(fee_count=Count("fees")).order_by("-effective_from")
    )


@dataclass(frozen=True)
class AgencyRow:
    agency: Agency
    terms: AgencyTerms | None
    fee_count: int


def agencies_in_board() -> list[AgencyRow]:
    """Agencies with bookings or fees in this board, with the board's terms for each: three queries."""
    booked = Booking.objects.filter(agency__isnull=False).values("agency_id")
    charged = Fee.objects.values("agency_id")
    agencies = list(Agency.objects.filter(Q(pk__in=booked) | Q(pk__in=charged)).order_by("name"))
    ids = [agency.pk for agency in agencies]
    terms = {row.agency_id: row for row in AgencyTerms.objects.filter(agency_id__in=ids)}
    counts = dict(
        Fee.objects.filter(agency_id__in=ids)
        .order_by()
        .values("agency_id")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "n")
    )
    return [AgencyRow(agency, terms.get(agency.pk), counts.get(agency.pk, 0)) for agency in agencies]


def invoices() -> QuerySet[Invoice]:
    return Invoice.objects.select_related("agency").annotate(fee_count=Count("fees")).order_by("-number")


def invoice_detail(pk: Any) -> Invoice | None:
    return Invoice.objects.select_related("agency", "issued_by").filter(pk=pk).first()


def invoice_fees(invoice: Invoice) -> QuerySet[Fee]:
    return invoice.fees.select_related("booking__user", "booking__session__course").order_by("raised_at", "pk")


def invoices_made_of(invoices: Iterable[Invoice]) -> int:
    """How many fees these invoices cover."""
    return Fee.objects.filter(invoice__in=list(invoices)).count()
