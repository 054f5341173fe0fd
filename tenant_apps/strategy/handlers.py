"""Work the periodic task runs for the strategy when it falls due (registered in apps.ready)."""

from typing import Any

from django.core.mail import send_mail
from django.template.loader import render_to_string

from shared_apps.accounts.models import Role
from shared_apps.accounts.selectors import people_with_roles
from shared_apps.audit.services import record
from tenant_apps.scheduling.registry import due_work_handler
from tenant_apps.strategy.models import Strategy
from tenant_apps.strategy.rules import REVIEW_REMINDER_KIND
from tenants.cross_board import current_board
from tenants.links import board_url


@due_work_handler(REVIEW_REMINDER_KIND)
def send_review_reminder(payload: dict[str, Any]) -> None:
    """Tell the board's administrators and coordinators that the strategy's review is coming up."""
    strategy = Strategy.objects.filter(pk=payload["strategy"], status=Strategy.Status.ADOPTED).first()
    board = current_board()
    if strategy is None or strategy.next_review_due is None or board is None:
        return
    recipients = sorted(people_with_roles(board, [Role.BOARD_ADMIN, Role.COORDINATOR]).values_list("email", flat=True))
    context = {
        "board": board,
        "strategy": strategy,
        "link": board_url(board, f"/strategy/{strategy.pk}/"),
    }
    subject = f"Strategy review due {strategy.next_review_due:%-d %B %Y}: {strategy.title}"
    if recipients:
        send_mail(subject, render_to_string("strategy/email/review_reminder.txt", context), None, recipients)
    record(
        "strategy.review_reminder_sent",
        actor=None,
        obj=strategy,
        summary=f"Review reminder for “{strategy.title}” sent to {len(recipients)} people",
    )
