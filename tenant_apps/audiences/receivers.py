from typing import Any

from django.dispatch import receiver

from tenant_apps.audiences.services import seed_default_taxonomy
from tenants.signals import board_provisioned


@receiver(board_provisioned, dispatch_uid="audiences-seed-default-taxonomy")
def seed_audiences(sender: Any, board: Any, actor: Any = None, **kwargs: Any) -> None:
    # Runs inside the new board's schema, within the provisioning transaction: every board starts with the
    # intercollegiate levels 1 to 5 and their refresher requirements, which its coordinators can change.
    seed_default_taxonomy(actor=actor)
