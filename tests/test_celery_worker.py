"""A real Celery worker (started here, on Redis) runs each task in the schema of the board it was sent for."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from celery.result import allow_join_result
from django.conf import settings
from django.db import connection
from django.utils import timezone
from tenant_schemas_celery.app import CeleryApp

from conftest import World
from tenant_apps.scheduling.models import DueWork
from tenants.cross_board import run_in_board

pytestmark = pytest.mark.worker
ROOT = Path(__file__).resolve().parents[1]


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="module")
def worker(world: World, django_db_blocker: Any) -> Iterator[CeleryApp]:
    broker = settings.TEST_CELERY_BROKER_URL
    sender = CeleryApp("lscb_test_sender", broker=broker, backend=broker)
    sender.control.purge()
    with django_db_blocker.unblock():
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lscb_platform.settings.test",
            "TEST_WORKER_BROKER_URL": broker,
            "DATABASE_URL": _database_url(),
            "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}",
        }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lscb_platform",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not sender.control.ping(timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read() if process.stdout else ""
                pytest.fail(f"The Celery worker did not start:\n{output}")
        # Celery's "inside a task" flag is one global, set and reset around each eager task: eager tasks run at
        # the same moment in several threads (the booking concurrency test) can leave it set. This process is the
        # sender here, never a task, so waiting for results is allowed.
        with allow_join_result():
            yield sender
    finally:
        process.terminate()
        process.wait(timeout=20)
        sender.close()


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
            run_in_board(
                world.boards[slug],
                lambda slug=slug: DueWork.objects.create(kind=f"test.{slug}", key=key, due_at=past),
            )
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
