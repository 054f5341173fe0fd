"""Every write through a service is in the audit log; a board's admins read only their board's entries."""

import pytest

from conftest import World, api_client
from tenant_apps.strategy.models import Strategy
from tenant_apps.strategy.services import create_strategy, update_strategy
from tenants.cross_board import run_in_board

pytestmark = pytest.mark.django_db


def _create(world: World, slug: str, title: str) -> Strategy:
    actor = world.user("coordinator", slug)
    return run_in_board(
        world.boards[slug],
        lambda: create_strategy(actor=actor, title=title, period_start="2017-04-01", period_end="2019-03-31"),
    )


def test_a_change_records_who_what_when_and_which_board(world: World) -> None:
    strategy = _create(world, "croydon", "Croydon L&D Strategy 2017-19")
    actor = world.user("coordinator", "croydon")
    run_in_board(world.boards["croydon"], lambda: update_strategy(strategy, actor=actor, review_cycle_months=24))

    events = api_client(world.user("board_admin", "croydon"), world.host("croydon")).get("/api/v1/audit-events/")
    assert events.status_code == 200
    rows = events.json()["results"]
    assert [row["action"] for row in rows[:2]] == ["strategy.updated", "strategy.created"]
    assert rows[0]["actor_email"] == "coordinator@croydon.test"
    assert rows[0]["changes"] == {"review_cycle_months": [36, 24]}
    assert rows[0]["object_id"] == str(strategy.pk)


def test_a_board_admin_sees_only_their_boards_log(world: World) -> None:
    _create(world, "leeds", "Leeds only")
    _create(world, "croydon", "Croydon only")
    rows = api_client(world.user("board_admin", "croydon"), world.host("croydon")).get("/api/v1/audit-events/").json()
    summaries = " ".join(row["summary"] for row in rows["results"])
    assert "Croydon only" in summaries
    assert "Leeds only" not in summaries


def test_coordinators_and_practitioners_cannot_read_the_log(world: World) -> None:
    for role in ("coordinator", "practitioner", "trainer", "finance"):
        response = api_client(world.user(role, "leeds"), world.host("leeds")).get("/api/v1/audit-events/")
        assert response.status_code == 403, role


def test_an_update_that_changes_nothing_records_nothing(world: World) -> None:
    strategy = _create(world, "leeds", "Leeds L&D Strategy 2014-17")
    actor = world.user("coordinator", "leeds")
    run_in_board(world.boards["leeds"], lambda: update_strategy(strategy, actor=actor, title=strategy.title))
    rows = api_client(world.user("board_admin", "leeds"), world.host("leeds")).get("/api/v1/audit-events/").json()
    assert [row["action"] for row in rows["results"]].count("strategy.updated") == 0
