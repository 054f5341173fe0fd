from typing import Any

from django.dispatch import receiver

from tenant_apps.evaluation.services import seed_default_forms
from tenants.signals import board_provisioned


@receiver(board_provisioned, dispatch_uid="evaluation-seed-forms")
def seed_forms(sender: Any, board: Any, actor: Any = None, **kwargs: Any) -> None:
    # Runs inside the new board's schema, within the provisioning transaction.
    seed_default_forms()
