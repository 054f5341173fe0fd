"""Account emails, sent by a worker so that a slow mail server never holds up a page."""

from celery import shared_task
from django.core.mail import EmailMessage


@shared_task(name="accounts.send_email", acks_late=True, reject_on_worker_lost=True)
def send_account_email(to: str, subject: str, body: str) -> None:
    EmailMessage(subject, body, to=[to]).send()
