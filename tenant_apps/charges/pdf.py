"""Printed documents of charging: an invoice (numbered, the board's name, each fee with the person, course and
date, the total and how to pay) and a receipt for an online payment."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tenant_apps.charges.models import Fee, Invoice, Payment
from tenant_apps.charges.services import invoice_reference, pounds, session_day
from tenants.models import Board

TEXT = colors.HexColor("#0b0c0c")
RULE = colors.HexColor("#b1b4b6")
HEADING = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=18, leading=22, textColor=TEXT)
BODY = ParagraphStyle("b", fontName="Helvetica", fontSize=10, leading=13, textColor=TEXT)
CELL = ParagraphStyle("c", fontName="Helvetica", fontSize=9, leading=11, textColor=TEXT)


def _fee_table(fees: list[Fee], total: int) -> Table:
    rows: list[list[Any]] = [["Person", "Course", "Date", "Reason", "Amount"]]
    for fee in fees:
        booking = fee.booking
        rows.append(
            [
                Paragraph(escape(booking.user.full_name or booking.user.email), CELL),
                Paragraph(escape(booking.session.course.title), CELL),
                f"{session_day(booking.session):%d/%m/%Y}",
                Paragraph(escape(fee.get_reason_display()), CELL),
                pounds(fee.amount),
            ]
        )
    rows.append(["", "", "", "Total", pounds(total)])
    table = Table(rows, colWidths=[40 * mm, 55 * mm, 22 * mm, 35 * mm, 25 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 9),
                ("FONT", (3, -1), (-1, -1), "Helvetica-Bold", 10),
                ("LINEBELOW", (0, 0), (-1, -2), 0.5, RULE),
                ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _document(buffer: io.BytesIO, title: str, board: Board) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author=board.name,
    )


def _fees(queryset: Any) -> list[Fee]:
    return list(queryset.select_related("booking__user", "booking__session__course").order_by("raised_at"))


def invoice_pdf(invoice: Invoice, board: Board, *, pay_url: str) -> bytes:
    buffer = io.BytesIO()
    reference = invoice_reference(invoice.number)
    issued = timezone.localtime(invoice.issued_at)
    story: list[Any] = [
        Paragraph(escape(board.name), BODY),
        Paragraph(f"Invoice {escape(reference)}", HEADING),
        Spacer(1, 3 * mm),
        Paragraph(f"To: {escape(invoice.agency.name)}", BODY),
        Paragraph(f"Issued: {issued:%d %B %Y}", BODY),
        Paragraph(f"Non-attendance fees for {invoice.period_start:%d %B %Y} to {invoice.period_end:%d %B %Y}", BODY),
        Paragraph(f"<b>Due by {invoice.due_on:%d %B %Y}</b>", BODY),
        Spacer(1, 5 * mm),
        _fee_table(_fees(invoice.fees.all()), invoice.total),
        Spacer(1, 6 * mm),
        Paragraph(f"Pay online at {escape(pay_url)} quoting {escape(reference)}.", BODY),
        Paragraph("If you think a fee is wrong, reply to this invoice before the due date to dispute it.", BODY),
    ]
    _document(buffer, f"Invoice {reference}", board).build(story)
    return buffer.getvalue()


def receipt_pdf(payment: Payment, board: Board) -> bytes:
    buffer = io.BytesIO()
    paid = timezone.localtime(payment.paid_at or timezone.now())
    fees = _fees(Fee.objects.filter(payment_items__payment=payment))
    refunded = sum(refund.amount for refund in payment.refunds.all())
    story: list[Any] = [
        Paragraph(escape(board.name), BODY),
        Paragraph("Receipt", HEADING),
        Spacer(1, 3 * mm),
        Paragraph(f"Received from: {escape(payment.agency.name)}", BODY),
        Paragraph(f"Paid online: {paid:%d %B %Y at %H:%M}", BODY),
        Paragraph(f"Payment reference: {escape(payment.payment_intent_id or str(payment.pk))}", BODY),
        Spacer(1, 5 * mm),
        _fee_table(fees, payment.amount),
    ]
    if refunded:
        story += [Spacer(1, 4 * mm), Paragraph(f"Refunded: {pounds(refunded)} (fees no longer due).", BODY)]
    _document(buffer, "Receipt", board).build(story)
    return buffer.getvalue()
