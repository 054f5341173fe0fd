"""Board provisioning: one service, all or nothing, from the migrated template."""

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import schema_exists

from conftest import World, api_client
from shared_apps.audit.models import AuditEvent
from tenant_apps.boardhome.models import BoardSettings
from tenants.cross_board import run_in_board
from tenants.models import Board, Domain, TemplateSnapshot
from tenants.services import BoardSpec, provision_board
from tenants.signals import board_provisioned
from tenants.template_copy import template_fingerprint

pytestmark = pytest.mark.django_db


def _tenant_migrations() -> set[tuple[str, str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    tenant_labels = {apps.get_app_config(name.rsplit(".", 1)[-1]).label for name in settings.TENANT_APPS}
    return {key for key in loader.disk_migrations if key[0] in tenant_labels}


def _recorded_migrations(board: Board) -> set[tuple[str, str]]:
    def read() -> set[tuple[str, str]]:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT app, name FROM "{board.schema_name}".django_migrations')
            return set(cursor.fetchall())

    return run_in_board(board, read)


def test_a_new_board_has_its_schema_every_migration_recorded_and_defaults_seeded() -> None:
    board = provision_board(BoardSpec(name="Wakefield Safeguarding Children Partnership", slug="wakefield"))

    assert schema_exists("board_wakefield")
    assert _tenant_migrations() <= _recorded_migrations(board)
    assert run_in_board(board, lambda: BoardSettings.objects.count()) == 1
    assert Domain.objects.get(tenant=board).domain == f"wakefield.{settings.PLATFORM_HOST}"
    assert AuditEvent.objects.filter(board=board, action="board.provisioned").count() == 1


def test_a_cloned_board_starts_with_no_rows_of_another_board(world: World) -> None:
    board = provision_board(BoardSpec(name="Kirklees Safeguarding Children Partnership", slug="kirklees"))
    from tenant_apps.strategy.models import Strategy

    assert run_in_board(board, lambda: Strategy.objects.count()) == 0


def _structure(schema: str) -> dict[str, list[tuple[Any, ...]]]:
    """What a schema is made of, with its own name left out: columns, constraints, indexes, sequences."""
    queries = {
        "columns": """SELECT table_name, column_name, data_type, is_nullable, is_identity,
                             replace(coalesce(column_default, ''), %(schema)s, '')
                      FROM information_schema.columns WHERE table_schema = %(schema)s""",
        "constraints": """SELECT cl.relname, co.conname, co.contype,
                                 replace(pg_get_constraintdef(co.oid), %(schema)s || '.', '')
                          FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid
                          JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = %(schema)s""",
        "indexes": """SELECT tablename, indexname, replace(indexdef, %(schema)s || '.', '')
                      FROM pg_indexes WHERE schemaname = %(schema)s""",
        "sequences": "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = %(schema)s",
    }
    found = {}
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            cursor.execute(sql, {"schema": schema})
            found[name] = sorted(tuple(_same_meaning(value) for value in row) for row in cursor.fetchall())
    return found


def _same_meaning(value: Any) -> Any:
    """PostgreSQL prints a re-created partial index's condition with its casts in other places (`x::text = ANY
    (ARRAY[...]::text[])` against `ARRAY[('x'::varchar)::text, ...]`): compare without casts and brackets."""
    if not isinstance(value, str):
        return value
    return re.sub(r"::[a-z ]+(\[\])?|[()]", "", value)


def test_a_new_board_is_an_exact_copy_of_the_template_made_from_a_stored_snapshot() -> None:
    TemplateSnapshot.objects.all().delete()
    board = provision_board(BoardSpec(name="Calderdale Safeguarding Children Partnership", slug="calderdale"))

    assert TemplateSnapshot.objects.get().fingerprint == template_fingerprint()
    copied, template = _structure(board.schema_name), _structure("board_template")
    assert copied == template
    assert len(template["columns"]) > 200 and any(row[2] == "x" for row in template["constraints"])  # exclusions


def _committed(sql: str) -> None:
    """Run SQL on a connection of its own and commit it, as another process would (pg_dump sees only that)."""

    def run() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()


def test_a_migration_applied_to_the_template_makes_a_new_snapshot() -> None:
    provision_board(BoardSpec(name="Kirklees Safeguarding Children Partnership", slug="kirklees"))
    old = TemplateSnapshot.objects.get()
    # As migrate_schemas would record a new migration on the template.
    _committed("INSERT INTO board_template.django_migrations (app, name, applied) VALUES ('test', 'new', now())")
    try:
        board = provision_board(BoardSpec(name="Calderdale Safeguarding Children Partnership", slug="calderdale"))
    finally:
        _committed("DELETE FROM board_template.django_migrations WHERE app = 'test' AND name = 'new'")

    assert TemplateSnapshot.objects.get().fingerprint != old.fingerprint
    assert ("test", "new") in _recorded_migrations(board)


def test_without_a_usable_pg_dump_boards_are_cloned_by_django_tenants(monkeypatch: pytest.MonkeyPatch) -> None:
    TemplateSnapshot.objects.all().delete()
    monkeypatch.setenv("PG_DUMP", "/bin/false")
    board = provision_board(BoardSpec(name="Calderdale Safeguarding Children Partnership", slug="calderdale"))

    assert not TemplateSnapshot.objects.exists()
    assert _tenant_migrations() <= _recorded_migrations(board)

    # The same constraints, though django-tenants' clone renames some (one reason it is only the fallback:
    # a later migration removing a constraint by its name would fail on such a board).
    def definitions(schema: str) -> list[tuple[Any, ...]]:
        return sorted((table, kind, definition) for table, _, kind, definition in _structure(schema)["constraints"])

    assert definitions(board.schema_name) == definitions("board_template")


def test_a_taken_slug_gives_a_clear_error_and_makes_nothing(world: World) -> None:
    boards_before = Board.objects.count()
    with pytest.raises(ValidationError) as error:
        provision_board(BoardSpec(name="Another Leeds", slug="leeds"))
    assert error.value.message_dict["slug"] == ["A board with the short name “leeds” already exists."]
    assert Board.objects.count() == boards_before


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("Wigan", "Use lower-case letters"),
        ("9lives", "Use lower-case letters"),
        ("north--east", "Use lower-case letters"),
        ("admin", "reserved"),
        ("x", "between 2 and 40"),
    ],
)
def test_an_invalid_slug_is_refused_with_a_reason(slug: str, message: str) -> None:
    schemas_before = _schemas()
    with pytest.raises(ValidationError) as error:
        provision_board(BoardSpec(name="Somewhere", slug=slug))
    assert any(message in text for text in error.value.message_dict["slug"])
    assert _schemas() == schemas_before


@pytest.fixture
def failing_seed() -> Iterator[None]:
    def fail(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("seeding failed half-way")

    board_provisioned.connect(fail, dispatch_uid="test-failing-seed")
    yield
    board_provisioned.disconnect(dispatch_uid="test-failing-seed")


def test_a_failure_mid_way_leaves_no_schema_row_or_domain(failing_seed: None) -> None:
    with pytest.raises(RuntimeError):
        provision_board(BoardSpec(name="Calderdale Safeguarding Children Partnership", slug="calderdale"))

    assert not schema_exists("board_calderdale")
    assert not Board.objects.filter(slug="calderdale").exists()
    assert not Domain.objects.filter(domain__startswith="calderdale.").exists()
    assert connection.schema_name == "public"


def test_create_board_command_makes_a_board_and_reports_a_taken_slug(capsys: Any) -> None:
    call_command("create_board", "sutton", "Sutton Safeguarding Children Partnership")
    assert Board.objects.filter(slug="sutton", schema_name="board_sutton").exists()
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_board", "sutton", "Sutton again")


def test_platform_staff_create_a_board_through_the_api(world: World) -> None:
    response = api_client(world.users["staff"]).post(
        "/api/v1/boards/",
        {"slug": "barnsley", "name": "Barnsley Safeguarding Children Partnership", "region": "west-yorkshire"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["domain"] == f"barnsley.{settings.PLATFORM_HOST}"
    assert schema_exists("board_barnsley")
    event = AuditEvent.objects.get(action="board.provisioned", board__slug="barnsley")
    assert event.actor == world.users["staff"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"slug": "leeds", "name": "Leeds again"}, "slug"),
        ({"slug": "Not A Slug!", "name": "Bad"}, "slug"),
        ({"slug": "okay-slug", "name": ""}, "name"),
        ({"slug": "okay-slug", "name": "X", "region": "atlantis"}, "region"),
    ],
)
def test_bad_board_requests_get_field_errors_and_no_schema(world: World, body: dict[str, str], field: str) -> None:
    schemas_before = _schemas()
    response = api_client(world.users["staff"]).post("/api/v1/boards/", body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert field in error["fields"]
    assert error["message"]
    assert _schemas() == schemas_before


def test_only_platform_staff_create_boards(world: World) -> None:
    response = api_client(world.user("board_admin", "leeds")).post(
        "/api/v1/boards/", {"slug": "hull", "name": "Hull"}, format="json"
    )
    assert response.status_code == 403
    assert not Board.objects.filter(slug="hull").exists()


def _schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        return {row[0] for row in cursor.fetchall()}
