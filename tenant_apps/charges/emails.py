"""Emails about fees, each sent once to each person (the ChargeEmail log): an invoice with its PDF, reminders
when it falls due, a receipt for an online payment, and a note of a refund."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from tenant_apps.charges.models import ChargeEmail, Invoice, Payment, Refund
from tenant_apps.charges.pdf import invoice_pdf, receipt_pdf
from tenant_apps.charges.services import finance_contacts, invoice_reference, pounds
from tenants.cross_board import current_board
from tenants.links import platform_url


def agency_portal_url() -> str:
    return platform_url("/agency/")


def _send_once(key: str, to: list[str], subject: str, body: str, attachment: tuple[str, bytes] | None) -> int:
    sent = 0
    for address in to:
        try:
            with transaction.atomic():
                ChargeEmail.objects.create(key=key, sent_to=address)
                message = EmailMessage(subject, body, to=[address])
                if attachment is not None:
                    message.attach(attachment[0], attachment[1], "application/pdf")
                message.send()
        except IntegrityError:
            continue  # sent before
        sent += 1
    return sent


def deliver(kind: str, object_id: str, extra: int = 0) -> int:
    """Send the email of `kind` about the object; the number of people it went to this time."""
    board = current_board()
    if board is None:
        return 0
    context = {"board": board, "portal_url": agency_portal_url()}
    if kind in ("invoice", "reminder"):
        invoice = Invoice.objects.select_related("agency").filter(pk=object_id).first()
        if invoice is None or (kind == "reminder" and invoice.status != Invoice.Status.OPEN):
            return 0
        reference = invoice_reference(invoice.number)
        context |= {"invoice": invoice, "reference": reference, "total": pounds(invoice.total), "overdue": extra}
        subject = (
            f"Invoice {reference} from {board.name}"
            if kind == "invoice"
            else f"Reminder: invoice {reference} from {board.name} is due"
        )
        pdf = (f"invoice-{reference}.pdf", invoice_pdf(invoice, board, pay_url=agency_portal_url()))
        key = f"{kind}:{invoice.pk}:{extra}"
        return _send_once(key, finance_contacts(invoice.agency_id), subject, _body(kind, context), pdf)
    if kind == "receipt":
        payment = Payment.objects.select_related("agency").filter(pk=object_id, status=Payment.Status.PAID).first()
        if payment is None:
            return 0
        context |= {"payment": payment, "total": pounds(payment.amount)}
        to = sorted({payment.payer_email, *finance_contacts(payment.agency_id)} - {""})
        pdf = (f"receipt-{payment.pk}.pdf", receipt_pdf(payment, board))
        return _send_once(f"receipt:{payment.pk}", to, f"Receipt from {board.name}", _body(kind, context), pdf)
    if kind == "refund":
        refund = Refund.objects.select_related("payment__agency", "fee").filter(pk=object_id).first()
        if refund is None:
            return 0
        context |= {"refund": refund, "amount": pounds(refund.amount)}
        to = sorted({refund.payment.payer_email, *finance_contacts(refund.payment.agency_id)} - {""})
        return _send_once(f"refund:{refund.pk}", to, f"Refund from {board.name}", _body(kind, context), None)
    raise ValueError(f"Unknown charges email {kind!r}")


def _body(kind: str, context: dict[str, object]) -> str:
    return render_to_string(f"charges/email/{kind}.txt", context)
