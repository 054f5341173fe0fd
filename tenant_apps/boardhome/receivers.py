from typing import Any

from django.dispatch import receiver

from tenant_apps.boardhome.services import seed_board_defaults
from tenants.signals import board_provisioned


@receiver(board_provisioned, dispatch_uid="boardhome-seed-defaults")
def seed_defaults(sender: Any, board: Any, actor: Any = None, **kwargs: Any) -> None:
    # Runs inside the new board's schema, within the provisioning transaction.
    seed_board_defaults()
