"""The agency finance portal, on the platform host: every fee of my agency in every board (from the public
mirror, one query), paying some of one board's fees through Stripe Checkout (each board is paid into its own
account, so one checkout per board), receipts and history. Work inside a board goes through run_in_board."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from typing import Any

import stripe
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shared_apps.agencies.models import Agency
from shared_apps.payments.models import ConnectedAccount, FeeEntry
from shared_apps.payments.selectors import fees_of_agencies, finance_agencies
from tenant_apps.charges import pdf, services
from tenant_apps.charges.models import Fee, Payment
from tenants.cross_board import run_in_board
from tenants.models import Board

PAYABLE = {Fee.Status.RAISED.value, Fee.Status.INVOICED.value}
SHOW = {"outstanding": "Outstanding", "paid": "Paid", "all": "All fees"}


def _agency_for(request: HttpRequest, agencies: list[Agency], value: str | None) -> Agency:
    if not value:
        return agencies[0]
    chosen = next((agency for agency in agencies if str(agency.pk) == value), None)
    if chosen is None:
        raise Http404("Not one of your agencies")
    return chosen


def _not_a_finance_contact(request: HttpRequest) -> HttpResponse:
    return render(request, "agency_portal/none.html", status=403)


def _groups(agency: Agency, show: str) -> list[dict[str, Any]]:
    entries = fees_of_agencies([agency.pk]).order_by("board__name", "-raised_at")
    if show == "outstanding":
        entries = entries.filter(status__in=[*PAYABLE, Fee.Status.DISPUTED])
    elif show == "paid":
        entries = entries.filter(status__in=[Fee.Status.PAID, Fee.Status.REFUNDED])
    by_board: dict[int, list[FeeEntry]] = defaultdict(list)
    boards: dict[int, Board] = {}
    reasons, statuses = dict(Fee.Reason.choices), dict(Fee.Status.choices)
    for entry in entries:
        # Words for the page, worked out once here rather than in the template.
        entry.reason_label = reasons.get(entry.reason, entry.reason)  # type: ignore[attr-defined]
        entry.status_label = statuses.get(entry.status, entry.status)  # type: ignore[attr-defined]
        entry.amount_text = services.pounds(entry.amount)  # type: ignore[attr-defined]
        by_board[entry.board_id].append(entry)
        boards[entry.board_id] = entry.board
    online = set(
        ConnectedAccount.objects.filter(board_id__in=list(boards), charges_enabled=True).values_list(
            "board_id", flat=True
        )
    )
    return [
        {
            "board": boards[board_id],
            "fees": rows,
            "payable": [row for row in rows if row.status in PAYABLE],
            "outstanding": services.pounds(sum(row.amount for row in rows if row.status in PAYABLE)),
            "online": board_id in online,
        }
        for board_id, rows in by_board.items()
    ]


@login_required
def fees(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    agencies = finance_agencies(request.user.pk)
    if not agencies:
        return _not_a_finance_contact(request)
    agency = _agency_for(request, agencies, request.GET.get("agency") or request.POST.get("agency"))
    show = request.GET.get("show", "outstanding")
    show = show if show in SHOW else "outstanding"
    context = {
        "agencies": agencies,
        "agency": agency,
        "show": show,
        "views": SHOW,
        "groups": _groups(agency, show),
        "error": error,
    }
    return render(request, "agency_portal/fees.html", context, status=status)


@login_required
@require_POST
def pay(request: HttpRequest) -> HttpResponseBase:
    """Start (or resume) a checkout for the chosen fees of one board, then send the payer to Stripe."""
    agencies = finance_agencies(request.user.pk)
    if not agencies:
        return _not_a_finance_contact(request)
    agency = _agency_for(request, agencies, request.POST.get("agency"))
    board = Board.objects.boards().filter(slug=request.POST.get("board", "")).first()
    if board is None:
        raise Http404("No such board")
    fee_ids = request.POST.getlist("fee")
    return_to = request.build_absolute_uri(reverse("agency:paid"))
    success_url = f"{return_to}?board={board.slug}&session_id={{CHECKOUT_SESSION_ID}}"
    cancel_url = request.build_absolute_uri(reverse("agency:fees")) + f"?agency={agency.pk}"

    def start() -> Payment:
        return services.start_checkout(
            agency, fee_ids, actor=request.user, success_url=success_url, cancel_url=cancel_url
        )

    try:
        payment = run_in_board(board, start)
    except ValidationError as error:
        return fees(request, error=" ".join(error.messages), status=400)
    except (stripe.StripeError, ValueError):
        message = "The payment service did not answer. Nothing was charged: try again in a few minutes."
        return fees(request, error=message, status=502)
    return redirect(payment.checkout_url, permanent=False)


@login_required
def paid(request: HttpRequest) -> HttpResponse:
    """Where Stripe sends the payer back: settle at once (the webhook would too; doing both is safe)."""
    agencies = finance_agencies(request.user.pk)
    board = Board.objects.boards().filter(slug=request.GET.get("board", "")).first()
    session_id = request.GET.get("session_id", "")
    if not agencies or board is None or not session_id:
        raise Http404("No such payment")
    mine = {agency.pk for agency in agencies}

    def settle() -> Payment | None:
        payment = Payment.objects.filter(checkout_session_id=session_id, agency_id__in=mine).first()
        if payment is None:
            return None
        # If Stripe does not answer, the webhook settles it later; the page says it is being confirmed.
        with contextlib.suppress(stripe.StripeError):
            services.settle_checkout(session_id)
        return Payment.objects.select_related("agency").get(pk=payment.pk)

    payment = run_in_board(board, settle)
    if payment is None:
        raise Http404("No such payment")
    return render(
        request,
        "agency_portal/paid.html",
        # Not "board": the base template reads that as the board whose site this is.
        {"payment": payment, "paid_to": board, "amount": services.pounds(payment.amount)},
    )


@login_required
def receipt(request: HttpRequest, board_slug: str, pk: Any) -> HttpResponse:
    agencies = finance_agencies(request.user.pk)
    board = Board.objects.boards().filter(slug=board_slug).first()
    if not agencies or board is None:
        raise Http404("No such receipt")
    mine = {agency.pk for agency in agencies}

    def document() -> bytes | None:
        payment = (
            Payment.objects.select_related("agency")
            .filter(pk=pk, agency_id__in=mine, status=Payment.Status.PAID)
            .first()
        )
        return pdf.receipt_pdf(payment, board) if payment is not None else None

    content = run_in_board(board, document)
    if content is None:
        raise Http404("No such receipt")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{board.slug}-{pk}.pdf"'
    return response
