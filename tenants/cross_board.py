"""The one door for work that crosses schemas.

Everything that has to run inside a board's schema from outside a request for that board goes through
these functions, so that crossing boards stays rare, named and easy to audit. Tests fail if
`schema_context`, `tenant_context` or `set_tenant` appear anywhere else in the application code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import connection, transaction
from django_tenants.utils import tenant_context

from tenants.models import PUBLIC_SCHEMA, SYSTEM_SCHEMAS, Board

T = TypeVar("T")


def run_in_board(board: Board, work: Callable[[], T]) -> T:
    """Run `work` with the connection in `board`'s schema, then return to where we were."""
    with tenant_context(board):
        return work()


@contextmanager
def inside_board(board: Board) -> Iterator[None]:
    """Context-manager form of run_in_board, for management commands and provisioning."""
    with tenant_context(board):
        yield


def current_board() -> Board | None:
    """The board the connection is in, or None in the public schema or the template."""
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Board):
        return None if tenant.is_system else tenant
    schema = getattr(connection, "schema_name", PUBLIC_SCHEMA)
    if schema in SYSTEM_SCHEMAS:
        return None
    # Set by schema name alone (a Celery task's header): look the board up once.
    return Board.objects.filter(schema_name=schema).first()


def enqueue_for_every_board(task: Any, *args: Any, **kwargs: Any) -> int:
    """Send one Celery task per board, each carrying its board's schema (tenant-schemas-celery's header).

    One query lists the boards; no schema switch is needed, the worker switches when it runs the task.
    """
    schemas = list(Board.objects.boards().values_list("schema_name", flat=True))
    for schema in schemas:
        task.apply_async(args=args, kwargs=kwargs, headers={"_schema_name": schema})
    return len(schemas)


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Send `task` once the transaction commits, to run in the schema the connection is in now (a commit can land
    after the code has left the board, as at the end of run_in_board)."""
    schema = getattr(connection, "schema_name", PUBLIC_SCHEMA)
    transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs, headers={"_schema_name": schema}))


def enqueue_in_board(board: Board, task: Any, *args: Any, **kwargs: Any) -> None:
    """Send `task` to run in `board`'s schema once the transaction commits (from the public host: webhooks)."""
    schema = board.schema_name
    transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs, headers={"_schema_name": schema}))
