"""Work due at a stored date runs once, in its board, when it falls due."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from conftest import World
from tenant_apps.scheduling import registry
from tenant_apps.scheduling.models import DueWork
from tenant_apps.scheduling.services import MAX_ATTEMPTS, cancel, run_due_work, schedule
from tenant_apps.scheduling.tasks import dispatch_due_work
from tenants.cross_board import run_in_board

pytestmark = pytest.mark.django_db
calls: list[tuple[str, Any]] = []


@pytest.fixture
def handlers() -> Iterator[list[tuple[str, Any]]]:
    from django.db import connection

    def remember(payload: dict[str, Any]) -> None:
        calls.append((connection.schema_name, payload))

    def explode(payload: dict[str, Any]) -> None:
        raise ValueError("the mail server said no")

    calls.clear()
    registry._handlers["test.remember"] = remember
    registry._handlers["test.explode"] = explode
    yield calls
    registry._handlers.pop("test.remember")
    registry._handlers.pop("test.explode")


def test_due_work_runs_exactly_once_when_it_falls_due(world: World, handlers: list[Any]) -> None:
    due = timezone.now() + timedelta(days=30)
    run_in_board(world.boards["leeds"], lambda: schedule("test.remember", key="review-1", due_at=due, payload={"n": 1}))

    with time_machine.travel(due - timedelta(minutes=1)):
        assert run_in_board(world.boards["leeds"], run_due_work) == 0
    with time_machine.travel(due + timedelta(minutes=1)):
        assert run_in_board(world.boards["leeds"], run_due_work) == 1
        assert run_in_board(world.boards["leeds"], run_due_work) == 0
    assert handlers == [("board_leeds", {"n": 1})]


def test_scheduling_the_same_key_again_moves_the_date_not_duplicates(world: World) -> None:
    first = timezone.now() + timedelta(days=10)
    later = first + timedelta(days=5)

    def twice() -> list[Any]:
        schedule("test.remember", key="k", due_at=first)
        schedule("test.remember", key="k", due_at=later)
        return list(DueWork.objects.values_list("due_at", flat=True))

    assert run_in_board(world.boards["croydon"], twice) == [later]


def test_cancelled_work_never_runs(world: World, handlers: list[Any]) -> None:
    def scenario() -> int:
        schedule("test.remember", key="k", due_at=timezone.now() - timedelta(minutes=1))
        cancel("test.remember", key="k")
        return run_due_work()

    assert run_in_board(world.boards["leeds"], scenario) == 0
    assert handlers == []


def test_a_failing_handler_backs_off_and_gives_up_after_max_attempts(world: World, handlers: list[Any]) -> None:
    def scenario() -> DueWork:
        schedule("test.explode", key="k", due_at=timezone.now() - timedelta(minutes=1))
        schedule("test.remember", key="k2", due_at=timezone.now() - timedelta(minutes=1))
        now = timezone.now()
        for attempt in range(MAX_ATTEMPTS):
            run_due_work(now=now + timedelta(hours=attempt))
        return DueWork.objects.get(kind="test.explode")

    work = run_in_board(world.boards["leeds"], scenario)
    assert work.state == DueWork.State.FAILED
    assert work.attempts == MAX_ATTEMPTS
    assert "the mail server said no" in work.last_error
    assert handlers == [("board_leeds", {})], "other work still ran"


def test_the_dispatcher_reaches_every_board_in_its_own_schema(world: World, handlers: list[Any]) -> None:
    for slug in ("leeds", "croydon", "bradford"):
        run_in_board(
            world.boards[slug],
            lambda slug=slug: schedule(
                "test.remember", key="d", due_at=timezone.now() - timedelta(seconds=1), payload={"board": slug}
            ),
        )
    sent = dispatch_due_work.apply().get()
    assert sent >= 3
    assert sorted(handlers) == [
        ("board_bradford", {"board": "bradford"}),
        ("board_croydon", {"board": "croydon"}),
        ("board_leeds", {"board": "leeds"}),
    ]
