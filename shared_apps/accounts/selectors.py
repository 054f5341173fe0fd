from collections.abc import Iterable

from django.db.models import Model, QuerySet

from shared_apps.accounts.models import Membership, User


def people_with_roles(board: Model, roles: Iterable[str]) -> QuerySet[User]:
    """Active people holding any of `roles` in `board` (each person once)."""
    return User.objects.filter(
        is_active=True, memberships__board_id=board.pk, memberships__role__in=list(roles)
    ).distinct()


def board_memberships(board: Model) -> QuerySet[Membership]:
    """Everyone's roles in the board, with the person and agency in the same query."""
    return (
        Membership.objects.filter(board_id=board.pk)
        .select_related("user", "agency")
        .order_by("role", "user__full_name", "user__email")
    )
