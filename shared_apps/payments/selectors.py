"""Reads of the public payment tables: an agency's fees in every board, a board's connected account."""

from __future__ import annotations

from django.db.models import QuerySet

from shared_apps.accounts.models import Membership, Role
from shared_apps.agencies.models import Agency
from shared_apps.payments.models import ConnectedAccount, FeeEntry


def finance_agencies(user_id: int | None) -> list[Agency]:
    """The agencies this person is a finance contact for, in any board (none for someone signed out)."""
    if user_id is None:
        return []
    ids = Membership.objects.filter(user_id=user_id, role=Role.FINANCE, agency__isnull=False).values("agency_id")
    return list(Agency.objects.filter(pk__in=ids).order_by("name"))


def fees_of_agencies(agency_ids: list[int]) -> QuerySet[FeeEntry]:
    return FeeEntry.objects.filter(agency_id__in=agency_ids).select_related("board", "agency")


def board_by_account(account_id: str) -> ConnectedAccount | None:
    return ConnectedAccount.objects.select_related("board").filter(stripe_account_id=account_id).first()


def account_of_board(board_id: int) -> ConnectedAccount | None:
    return ConnectedAccount.objects.filter(board_id=board_id).first()
