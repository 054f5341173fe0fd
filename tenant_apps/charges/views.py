"""The board's pages about non-attendance fees: figures for reports (with CSV and Excel downloads), the fee list
and each fee's actions and history, charging policies, agencies' terms, invoices, and connecting the board's
Stripe account. Thin: access from the rule table, reads from the selectors, every write through a service."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import stripe
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shared_apps.accounts.permissions import can, request_board
from shared_apps.agencies.models import Agency
from shared_apps.payments.selectors import account_of_board
from shared_apps.web.downloads import table_download
from shared_apps.web.pages import apply_errors, requires
from tenant_apps.charges import selectors, services
from tenant_apps.charges.emails import agency_portal_url
from tenant_apps.charges.forms import (
    POLICY_ERROR_FIELDS,
    AgencyTermsForm,
    DisputeForm,
    EndPolicyForm,
    FeeFilterForm,
    IssueInvoicesForm,
    PeriodForm,
    PolicyForm,
    RefundForm,
    ResolveForm,
    WaiveForm,
)
from tenant_apps.charges.models import AgencyTerms, ChargingPolicy, Fee
from tenant_apps.charges.pdf import invoice_pdf
from tenants.models import Board

READ = "charges.read"
MANAGE = "charges.manage"
SETUP = "payments.setup"
PAGE_SIZE = 50
STRIPE_DOWN = (
    "Stripe could not be reached or refused the request, so nothing changed. Try again in a few minutes; if it "
    "keeps happening, contact the platform's support team."
)

# The links between the parts of the fees pages: (section, url name, text).
SECTIONS = [
    ("overview", "charges:overview", "Figures"),
    ("fees", "charges:fees", "Fees"),
    ("invoices", "charges:invoices", "Invoices"),
    ("policies", "charges:policies", "Charging policies"),
    ("agencies", "charges:agencies", "Agencies"),
]
SETUP_SECTION = ("payments", "charges:payments-setup", "Online payments")


def _board(request: HttpRequest) -> Board:
    board = request_board(request)
    if not isinstance(board, Board):
        raise Http404("No board or partnership here")
    return board


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """A fees page, with the links between its parts and what the person may do."""
    board = request_board(request)
    sections = [*SECTIONS, SETUP_SECTION] if can(request.user, SETUP, board) else SECTIONS
    shared = {"charges_sections": sections, "can_manage": can(request.user, MANAGE, board)}
    return render(request, template, {**shared, **context}, status=status)


def _dress(fee: Fee) -> Fee:
    """What a fee's row shows beside its fields: the amount in pounds and its invoice's reference."""
    fee.amount_display = services.pounds(fee.amount)  # type: ignore[attr-defined]
    fee.reference = services.invoice_reference(fee.invoice.number) if fee.invoice else ""  # type: ignore[attr-defined]
    return fee


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- figures for reports ----------------------------------------------------------------------------------------


CHART_HEIGHT = 160
CHART_BAR_WIDTH = 28
CHART_GROUP_WIDTH = 130


def _chart(quarters: list[selectors.Quarter], rows: list[selectors.FeeFigures]) -> dict[str, Any]:
    """Bar geometry for fees requested and paid in each quarter (drawn as inline SVG; the table beside it is the
    text alternative)."""
    top = max((row.requested for row in rows), default=0) or 1
    groups = []
    for index, (quarter, row) in enumerate(zip(quarters, rows, strict=True)):
        x = 60 + index * CHART_GROUP_WIDTH
        bars = []
        for offset, (kind, amount) in enumerate((("requested", row.requested), ("paid", row.paid))):
            height = round(amount * CHART_HEIGHT / top)
            bars.append(
                {
                    "kind": kind,
                    "x": x + offset * (CHART_BAR_WIDTH + 4),
                    "y": 20 + CHART_HEIGHT - height,
                    "height": height,
                    "label": services.pounds(amount),
                }
            )
        groups.append({"label": quarter.short_label, "x": x + CHART_BAR_WIDTH + 2, "bars": bars, "row": row})
    return {
        "groups": groups,
        "width": 60 + len(rows) * CHART_GROUP_WIDTH,
        "baseline": 20 + CHART_HEIGHT,
        "top_label": services.pounds(top if top > 1 else 0),
    }


@requires(READ)
def overview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, today=today)
    start, end, period_label = form.period()
    quarters = selectors.recent_quarters(today, 4)
    trend = selectors.figures_by_quarter(quarters)
    context = {
        "section": "overview",
        "form": form,
        "figures": selectors.figures(start, end),
        "period_label": period_label,
        "chart": _chart(quarters, trend),
        "download_query": urlencode({"from": start.isoformat(), "to": end.isoformat()}),
    }
    return _render(request, "charges/overview.html", context, status=400 if form.errors else 200)


EXPORT_HEADINGS = [
    "Person",
    "Email",
    "Agency",
    "Course",
    "Session date",
    "Reason",
    "Amount (£)",
    "Status",
    "Invoice",
    "Raised on",
    "Paid on",
    "Note",
]
EXPORT_WIDTHS = (24, 28, 30, 34, 12, 24, 11, 11, 14, 12, 12, 40)


def _export_rows(fees: Iterable[Fee]) -> Iterable[list[Any]]:
    for fee in fees:
        booking = fee.booking
        yield [
            booking.user.full_name or booking.user.email,
            booking.user.email,
            fee.agency.name,
            booking.session.course.title,
            services.session_day(booking.session),
            fee.get_reason_display(),
            Decimal(fee.amount) / 100,
            fee.get_status_display(),
            services.invoice_reference(fee.invoice.number) if fee.invoice else "",
            timezone.localtime(fee.raised_at).date(),
            timezone.localtime(fee.paid_at).date() if fee.paid_at else None,
            " ".join(part for part in (fee.status_reason, fee.resolution) if part),
        ]


def _export(request: HttpRequest, kind: str) -> HttpResponse:
    form = FeeFilterForm(request.GET, agencies=selectors.agencies_with_fees())
    if not form.is_valid():
        problems = "; ".join(str(message) for found in form.errors.values() for message in found)
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    filters = form.filters()
    rows = _export_rows(selectors.fee_list(filters).order_by("booking__session__starts_at", "raised_at"))
    period = "-".join(f"{day:%Y-%m-%d}" for day in (filters.start, filters.end) if day is not None)
    name = f"fees{'-' + period if period else ''}"
    return table_download(EXPORT_HEADINGS, rows, name=name, kind=kind, sheet_title="Fees", widths=EXPORT_WIDTHS)


@requires(READ)
def fees_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, "csv")


@requires(READ)
def fees_xlsx(request: HttpRequest) -> HttpResponse:
    return _export(request, "xlsx")


# --- fees -------------------------------------------------------------------------------------------------------


@requires(READ)
def fee_list(request: HttpRequest) -> HttpResponse:
    form = FeeFilterForm(request.GET or None, agencies=selectors.agencies_with_fees())
    page = Paginator(selectors.fee_list(form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
    for fee in page:
        _dress(fee)
    query = _query_without_page(request)
    context = {
        "section": "fees",
        "form": form,
        "page_obj": page,
        "query": query,
        "filtered": bool(request.GET.keys() - {"page"}),
    }
    return _render(request, "charges/fees.html", context, status=400 if form.errors else 200)


def _fee(pk: uuid.UUID) -> Fee:
    fee = selectors.fee_detail(pk)
    if fee is None:
        raise Http404("No such fee")
    return fee


FeeAction = Callable[[Fee, dict[str, Any], Any], Fee]
# Each action on a fee: its form, the service call, and what the page says when it is done.
FEE_ACTIONS: dict[str, tuple[type[forms.Form], FeeAction, str]] = {
    "waive": (
        WaiveForm,
        lambda fee, data, actor: services.waive(fee, reason=data["reason"], actor=actor),
        "The fee is waived.",
    ),
    "dispute": (
        DisputeForm,
        lambda fee, data, actor: services.dispute(fee, reason=data["reason"], actor=actor),
        "The fee is marked as disputed: it cannot be paid until the dispute is resolved.",
    ),
    "resolve": (
        ResolveForm,
        lambda fee, data, actor: services.resolve_dispute(
            fee, uphold=data["outcome"] == "uphold", note=data["note"], actor=actor
        ),
        "The dispute is resolved.",
    ),
    "refund": (
        RefundForm,
        lambda fee, data, actor: services.refund_fee(fee, reason=data["reason"], actor=actor),
        "The fee is refunded: the agency gets the money back through Stripe.",
    ),
}


def _fee_page(request: HttpRequest, fee: Fee, bound: dict[str, forms.Form] | None = None) -> HttpResponse:
    bound = bound or {}
    payable = fee.status in Fee.PAYABLE
    offered = {
        "waive": payable or fee.status == Fee.Status.DISPUTED,
        "dispute": payable,
        "resolve": fee.status == Fee.Status.DISPUTED,
        "refund": fee.status == Fee.Status.PAID and fee.payment_id is not None,
    }
    action_forms = {
        name: bound.get(name) or form_class(prefix=name)
        for name, (form_class, _, _) in FEE_ACTIONS.items()
        if offered[name] or name in bound
    }
    context = {
        "section": "fees",
        "fee": _dress(fee),
        "session_day": services.session_day(fee.booking.session),
        "reference": services.invoice_reference(fee.invoice.number) if fee.invoice else "",
        "history": selectors.fee_history(fee, _board(request)),
        "action_forms": action_forms,
        "failed": next(iter(bound), ""),
    }
    return _render(request, "charges/fee.html", context, status=400 if bound else 200)


@requires(READ)
def fee_page(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _fee_page(request, _fee(pk))


@require_POST
@requires(MANAGE)
def fee_action(request: HttpRequest, pk: uuid.UUID, action: str) -> HttpResponse:
    fee = _fee(pk)
    form_class, act, done = FEE_ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        try:
            act(fee, form.cleaned_data, request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("charges:fee", pk=fee.pk)
    return _fee_page(request, fee, {action: form})


# --- charging policies ------------------------------------------------------------------------------------------


@requires(READ)
def policy_list(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.policies())
    for policy in rows:
        for rate in policy.rates.all():
            rate.partner_display = services.pounds(rate.partner_amount)  # type: ignore[attr-defined]
            rate.non_partner_display = services.pounds(rate.non_partner_amount)  # type: ignore[attr-defined]
    context = {"section": "policies", "policies": rows, "today": timezone.localdate()}
    return _render(request, "charges/policies.html", context)


@requires(MANAGE)
def policy_new(request: HttpRequest) -> HttpResponse:
    form = PolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            policy = services.create_policy(actor=request.user, rates=form.rates(), **form.policy_fields())
        except ValidationError as error:
            apply_errors(form, error, POLICY_ERROR_FIELDS)
        else:
            messages.success(request, f"The charging policy “{policy.name}” is saved.")
            return redirect("charges:policies")
    context = {"section": "policies", "form": form}
    return _render(request, "charges/policy_form.html", context, status=400 if form.errors else 200)


@requires(MANAGE)
def policy_end(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    policy = get_object_or_404(ChargingPolicy, pk=pk)
    form = EndPolicyForm(request.POST or None, initial={"effective_to": policy.effective_to})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_policy(policy, on=form.cleaned_data["effective_to"], actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"“{policy.name}” ends on {form.cleaned_data['effective_to']:%-d %B %Y}.")
            return redirect("charges:policies")
    context = {"section": "policies", "form": form, "policy": policy}
    return _render(request, "charges/policy_end.html", context, status=400 if form.errors else 200)


# --- agencies ---------------------------------------------------------------------------------------------------


@requires(READ)
def agency_list(request: HttpRequest) -> HttpResponse:
    return _render(request, "charges/agencies.html", {"section": "agencies", "rows": selectors.agencies_in_board()})


@requires(MANAGE)
def agency_terms(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=agency_id)
    terms = AgencyTerms.objects.filter(agency=agency).first()
    initial = (
        {
            "is_partner": terms.is_partner,
            "declared_turnover": terms.declared_turnover,
            "exempt": terms.exempt,
            "exempt_reason": terms.exempt_reason,
        }
        if terms is not None
        else None
    )
    form = AgencyTermsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_agency_terms(agency, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"The terms for {agency.name} are saved.")
            return redirect("charges:agencies")
    context = {"section": "agencies", "form": form, "agency": agency}
    return _render(request, "charges/agency_terms.html", context, status=400 if form.errors else 200)


# --- invoices ---------------------------------------------------------------------------------------------------


def _invoice_list(request: HttpRequest, form: IssueInvoicesForm | None = None) -> HttpResponse:
    page = Paginator(selectors.invoices(), PAGE_SIZE).get_page(request.GET.get("page"))
    for invoice in page:
        invoice.reference = services.invoice_reference(invoice.number)  # type: ignore[attr-defined]
        invoice.total_display = services.pounds(invoice.total)  # type: ignore[attr-defined]
    context = {
        "section": "invoices",
        "page_obj": page,
        "query": "",
        "today": timezone.localdate(),
        "issue_form": form or IssueInvoicesForm(),
    }
    return _render(request, "charges/invoices.html", context, status=400 if form is not None else 200)


@requires(READ)
def invoice_list(request: HttpRequest) -> HttpResponse:
    return _invoice_list(request)


@require_POST
@requires(MANAGE)
def invoice_issue(request: HttpRequest) -> HttpResponse:
    form = IssueInvoicesForm(request.POST)
    if form.is_valid():
        try:
            issued = services.issue_invoices(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if issued:
                fees = selectors.invoices_made_of(issued)
                messages.success(
                    request,
                    f"Issued {len(issued)} {'invoice' if len(issued) == 1 else 'invoices'} for {fees} "
                    f"{'fee' if fees == 1 else 'fees'}. Each agency's finance contacts are emailed theirs.",
                )
            else:
                messages.success(request, "Nothing to invoice: no fees raised in that period are waiting for one.")
            return redirect("charges:invoices")
    return _invoice_list(request, form)


@requires(READ)
def invoice_page(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    invoice = selectors.invoice_detail(pk)
    if invoice is None:
        raise Http404("No such invoice")
    context = {
        "section": "invoices",
        "invoice": invoice,
        "reference": services.invoice_reference(invoice.number),
        "total": services.pounds(invoice.total),
        "today": timezone.localdate(),
        "fees": [
            {"fee": _dress(fee), "day": services.session_day(fee.booking.session)}
            for fee in selectors.invoice_fees(invoice)
        ],
    }
    return _render(request, "charges/invoice.html", context)


@requires(READ)
def invoice_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    invoice = selectors.invoice_detail(pk)
    if invoice is None:
        raise Http404("No such invoice")
    reference = services.invoice_reference(invoice.number)
    content = invoice_pdf(invoice, _board(request), pay_url=agency_portal_url())
    return HttpResponse(
        content,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="invoice-{reference}.pdf"'},
    )


# --- the board's Stripe account ---------------------------------------------------------------------------------


@requires(SETUP)
def payments_setup(request: HttpRequest) -> HttpResponseBase:
    """Connect the board's own Stripe account (Stripe's hosted onboarding), and see whether it takes payments."""
    board = _board(request)
    problem = ""
    if request.method == "POST":
        here = request.build_absolute_uri(reverse("charges:payments-setup"))
        try:
            onboarding_url = services.start_onboarding(
                actor=request.user, return_url=f"{here}?returned=1", refresh_url=here
            )
        except stripe.StripeError:
            problem = STRIPE_DOWN
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            response = HttpResponseRedirect(onboarding_url)
            response.status_code = 303
            return response
    elif request.GET.get("returned"):
        try:
            services.refresh_connected_account()
        except stripe.StripeError:
            problem = STRIPE_DOWN
    context = {
        "section": "payments",
        "account": account_of_board(board.pk),
        "returned": bool(request.GET.get("returned")),
        "problem": problem,
    }
    return _render(request, "charges/payments_setup.html", context)
