from typing import Any

from django.dispatch import receiver

from shared_apps.audit.services import record
from tenants.signals import board_provisioned


@receiver(board_provisioned, dispatch_uid="audit-board-provisioned")
def record_board_provisioned(sender: Any, board: Any, actor: Any = None, **kwargs: Any) -> None:
    record(
        "board.provisioned",
        actor=actor,
        obj=board,
        board=board,
        summary=f"{board.name} created in schema {board.schema_name}",
    )
