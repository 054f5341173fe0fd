"""Signals the offer sends so that later capabilities (booking) can follow without the offer importing them."""

from django.dispatch import Signal

# Sent inside the transaction after a session's details, dates or status change: session=, actor=, and, from
# update_session, rescheduled= (True when the dates, times or venues of its parts changed).
session_changed = Signal()
