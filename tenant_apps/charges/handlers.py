"""Due work of charging, run by the per-board dispatcher when it falls due (registered in apps.ready)."""

from __future__ import annotations

from typing import Any

from tenant_apps.charges.models import Invoice
from tenant_apps.charges.services import INVOICE_REMINDER_KIND, _send_on_commit
from tenant_apps.scheduling.registry import due_work_handler


@due_work_handler(INVOICE_REMINDER_KIND)
def remind_about_invoice(payload: dict[str, Any]) -> None:
    """Remind the agency's finance contacts of an invoice still open at its due date (and two weeks later)."""
    invoice = Invoice.objects.filter(pk=str(payload.get("invoice", "")), status=Invoice.Status.OPEN).first()
    if invoice is not None:
        _send_on_commit("reminder", str(invoice.pk), int(payload.get("days_overdue", 0)))
