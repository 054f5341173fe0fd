"""The routing middleware reads a host's board with one fixed statement (for speed): it must find what the ORM
finds, field for field."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from conftest import World
from tenants.models import Board, Domain
from tenants.routing import board_for_host

pytestmark = pytest.mark.django_db


def _values(board: Board) -> dict[str, Any]:
    return {field.attname: getattr(board, field.attname) for field in Board._meta.concrete_fields}


def test_the_board_of_each_host_is_the_one_the_orm_finds(world: World) -> None:
    domains = list(Domain.objects.select_related("tenant"))
    assert {world.host(slug) for slug in world.boards} <= {domain.domain for domain in domains}
    for domain in domains:
        found = board_for_host(domain.domain)
        assert found is not None
        assert _values(found) == _values(domain.tenant)
        assert found._state.db == domain.tenant._state.db and not found._state.adding


def test_a_host_without_a_domain_has_no_board(world: World) -> None:
    assert board_for_host("nowhere.example.test") is None
    assert board_for_host(world.host("leeds").upper()) is None  # the middleware lowers it first, as before


def test_no_board_field_needs_a_conversion_when_read() -> None:
    """board_for_host builds the board from the row as the driver returns it; a field that converts what it reads
    (from_db_value, a JSON field) would need the ORM's converters there."""
    for field in Board._meta.concrete_fields:
        assert not field.get_db_converters(connection), field.name
        assert not connection.ops.get_db_converters(field.get_col(Board._meta.db_table)), field.name
