"""A real Celery worker process (`celery -A lscb_platform worker`) on Redis and the test database, for the tests
whose work must be asynchronous as in production. The tests send tasks through the sender it yields."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from celery.result import allow_join_result
from django.conf import settings
from django.db import connection
from tenant_schemas_celery.app import CeleryApp

ROOT = Path(__file__).resolve().parents[1]


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def running_worker(django_db_blocker: Any, extra_env: Mapping[str, str] | None = None) -> Iterator[CeleryApp]:
    """Start a worker (with `extra_env` added to its environment), wait until it answers, yield the sender, stop it."""
    broker = settings.TEST_CELERY_BROKER_URL
    # Not the current app: the project's shared tasks, sent by our own code in this process, keep running eagerly
    # here (during these tests and after them), and only what is sent through the sender reaches the worker.
    sender = CeleryApp("lscb_test_sender", broker=broker, backend=broker, set_as_current=False)
    sender.control.purge()
    with django_db_blocker.unblock():
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lscb_platform.settings.test",
            "TEST_WORKER_BROKER_URL": broker,
            "DATABASE_URL": _database_url(),
            "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}",
            **(extra_env or {}),
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
