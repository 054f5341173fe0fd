"""A real Celery worker (started here, on Redis) runs each task in the schema of the board it was sent for."""

import time
from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from django.utils import timezone
from tenant_schemas_celery.app import CeleryApp

from conftest import World
from tenant_apps.scheduling.models import DueWork
from tenants.cross_board import run_in_board
from tests.worker_fixture import running_worker

pytestmark = pytest.mark.worker


@pytest.fixture(scope="module")
def worker(world: World, django_db_blocker: Any) -> Iterator[CeleryApp]:
    with running_worker(django_db_blocker) as sender:
        yield sender


def test_a_task_runs_in_the_schema_of_the_board_it_was_sent_from(worker: CeleryApp, world: World) -> None:
    leeds = worker.send_task("scheduling.run_board_due_work", headers={"_schema_name": "board_leeds"})
    croydon = worker.send_task("scheduling.run_board_due_work", headers={"_schema_name": "board_croydon"})
    assert leeds.get(timeout=30)["schema"] == "board_leeds"
    assert croydon.get(timeout=30)["schema"] == "board_croydon"


def test_the_periodic_dispatcher_runs_each_boards_due_work_in_its_own_schema(
    worker: CeleryApp, world: World, django_db_blocker: Any
) -> None:
    """Due work with no handler is marked failed by the worker, which proves it ran inside each board."""
    key = f"worker-test-{time.time_ns()}"
    past = timezone.now() - timedelta(minutes=1)
    with django_db_blocker.unblock():
        for slug in ("leeds", "croydon"):
            run_in_board(world.boards[slug], partial(DueWork.objects.create, kind=f"test.{slug}", key=key, due_at=past))
        try:
            worker.send_task("scheduling.dispatch_due_work", headers={"_schema_name": "public"}).get(timeout=30)
            states = {}
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                states = {
                    slug: run_in_board(
                        world.boards[slug], lambda: list(DueWork.objects.filter(key=key).values("kind", "state"))
                    )
                    for slug in ("leeds", "croydon")
                }
                if all(rows and rows[0]["state"] == "failed" for rows in states.values()):
                    break
                time.sleep(0.2)
            assert states == {
                "leeds": [{"kind": "test.leeds", "state": "failed"}],
                "croydon": [{"kind": "test.croydon", "state": "failed"}],
            }
        finally:
            for slug in ("leeds", "croydon"):
                run_in_board(world.boards[slug], lambda: DueWork.objects.filter(key=key).delete())
