"""Signals the offer sends so that later capabilities (booking) can follow without the offer importing them."""

from django.dispatch import Signal

# Sent inside the transaction after a session's details, dates or status change: session=, actor=.
session_changed = Signal()
