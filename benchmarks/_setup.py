"""Shared set-up for the benchmark scripts: a scratch database, the project's Django, and N boards.

Every benchmark works in a database of its own (default `lscb_bench`) on the same PostgreSQL server as the
project's database, never in `lscb` or a `test_lscb*` database. Import this module before anything from
Django; call `configure()` once with the parsed options, then use the other helpers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
# Like manage.py: the Django project lives in platform/ (a folder on the path, never a package) and the apps
# at the repository root.
for _entry in (str(REPO_ROOT), str(REPO_ROOT / "platform")):
    if _entry not in sys.path:
        sys.path.insert(0, _entry)

DEFAULT_DATABASE = "lscb_bench"
DEFAULT_BOARDS = 150
SETTINGS_MODULE = "lscb_platform.settings.dev"
# Databases a benchmark must never create, fill or drop.
PROTECTED_DATABASES = {"lscb", "postgres", "template0", "template1"}
BENCH_SLUG_PREFIX = "bench-"

T = TypeVar("T")

# The 1-minute load average before this benchmark did anything: other work already running.
STARTING_LOAD = os.getloadavg()[0]


def add_common_arguments(parser: argparse.ArgumentParser, *, repeat: int) -> None:
    parser.add_argument(
        "--boards", type=int, default=DEFAULT_BOARDS, help=f"boards present while timing (default {DEFAULT_BOARDS})"
    )
    parser.add_argument("--repeat", type=int, default=repeat, help=f"timed runs of each variant (default {repeat})")
    parser.add_argument(
        "--database",
        default=DEFAULT_DATABASE,
        help=f"scratch database on the project's PostgreSQL server, created if missing (default {DEFAULT_DATABASE})",
    )
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the scratch database first")
    parser.add_argument(
        "--no-vacuum",
        action="store_true",
        help="never VACUUM ANALYZE (catalog statistics stay as they were; use with --fresh)",
    )


# --- the scratch database -------------------------------------------------------------------------------------


def _check_name(name: str) -> None:
    if name in PROTECTED_DATABASES or name.startswith("test_lscb"):
        raise SystemExit(f"Refusing to use database {name!r}: benchmarks need a scratch database of their own.")


def scratch_database_url(name: str) -> str:
    """The project's PostgreSQL server (DATABASE_URL, else what manage.py would find), database `name`."""
    from lscb_platform.database import resolve_database_url

    parts = urlsplit(resolve_database_url())
    return urlunsplit(parts._replace(path="/" + name, query=""))


def ensure_database(url: str, *, fresh: bool) -> bool:
    """Create the database in `url` if missing (dropping it first when `fresh`). True when it was created."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    _check_name(name)
    params: dict[str, Any] = {"host": parts.hostname, "port": parts.port or 5432, "user": parts.username or "postgres"}
    if parts.password:
        params["password"] = parts.password
    conn = psycopg2.connect(dbname="postgres", **params)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            if fresh:
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is not None:
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    finally:
        conn.close()


def configure(options: argparse.Namespace) -> str:
    """Make the scratch database and start the project's Django on it. Returns the database URL."""
    _check_name(options.database)
    url = scratch_database_url(options.database)
    created = ensure_database(url, fresh=options.fresh)
    # Both must be set before django.setup(): settings read them at import.
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    os.environ["DATABASE_URL"] = url
    # Production runs with DEBUG off; with it on Django keeps every query in memory, which costs time.
    os.environ.setdefault("DJANGO_DEBUG", "false")
    # One "Provisioned board" line per board would drown the tables.
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    where = f"{urlsplit(url).hostname}:{urlsplit(url).port or 5432}"
    print(f"Scratch database {options.database} on {where} ({'created' if created else 'reused'})")
    return url


# --- timing and printing -------------------------------------------------------------------------------------


def timed(work: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


@dataclass(frozen=True)
class Summary:
    runs: int
    minimum: float
    median: float
    maximum: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Summary:
        return cls(len(seconds), min(seconds), statistics.median(seconds), max(seconds))


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        first, *rest = cells
        return "  ".join(
            [str(first).ljust(widths[0]), *(str(c).rjust(w) for c, w in zip(rest, widths[1:], strict=True))]
        )

    print()
    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))
    print()


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def load_average() -> float:
    """The 1-minute load average; above the number of CPUs other work was competing for them."""
    return os.getloadavg()[0]


def busy_warning(loads: Sequence[float], own: float) -> str:
    """A warning when other work competed for the CPUs, else "". `own`: the load this benchmark itself adds."""
    cpus = os.cpu_count() or 1
    others = max([STARTING_LOAD, *(load - own for load in loads)])
    if others <= cpus * 0.75:
        return ""
    return (
        f"WARNING: other work was running (load average {others:.1f} besides this benchmark, on {cpus} CPUs): "
        "the figures are inflated; run again on a quieter machine."
    )


def tenant_connection() -> Any:
    """Django's default connection; typed Any because django-tenants adds schema methods the stubs don't know."""
    from django.db import connection

    return connection


def machine_description() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
    return f"{os.cpu_count()} CPUs, PostgreSQL {version}, Python {sys.version.split()[0]}"


# --- the platform and its boards ------------------------------------------------------------------------------


def prepare_platform() -> float:
    """Migrate the public schema and every existing schema, then make the public tenant and the template.

    Also repairs a database left half rolled back by an interrupted migrate_parallel run. Returns seconds.
    """
    from django.core.management import call_command

    from tenants.services import ensure_platform_schemas

    start = time.perf_counter()
    call_command("migrate_schemas", interactive=False, verbosity=0)
    ensure_platform_schemas()
    return time.perf_counter() - start


def autovacuum_is_on() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        (setting,) = cursor.fetchone()
    return bool(setting == "on")


def vacuum_analyze() -> float:
    """VACUUM ANALYZE the scratch database, as autovacuum would have by now on a normal server. Returns seconds.

    Making a board writes thousands of catalog rows (pg_class, pg_attribute, pg_index ...). A server with
    autovacuum on analyses the catalogs as they grow; this machine's server runs with autovacuum off (its CI
    configuration), so the benchmarks do it once the boards are made, before timing. It matters: with the
    statistics a fresh database starts with, the planner treats the catalogs as tiny, and clone_schema()'s
    catalog queries take other plans; run with --fresh --no-vacuum to see that case.
    """
    connection = tenant_connection()
    start = time.perf_counter()
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - start


def template_description() -> str:
    """How much a new board gets: tables and indexes in board_template, migrations recorded there."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'board_template'")
        (tables,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = 'board_template'")
        (indexes,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM board_template.django_migrations")
        (migrations,) = cursor.fetchone()
    return f"board_template has {tables} tables, {indexes} indexes, {migrations} migrations recorded"


def board_count() -> int:
    from tenants.models import Board

    return Board.objects.boards().count()


def ensure_boards(target: int) -> tuple[int, float]:
    """Provision boards by cloning (as real boards are made) until `target` exist. Returns (made, seconds)."""
    from tenants.models import Board
    from tenants.services import BoardSpec, provision_board

    existing = board_count()
    missing = max(0, target - existing)
    if not missing:
        return 0, 0.0
    taken = set(Board.objects.values_list("slug", flat=True))
    number = 0
    start = batch_start = time.perf_counter()
    made = 0
    while made < missing:
        number += 1
        slug = f"{BENCH_SLUG_PREFIX}{number:03d}"
        if slug in taken:
            continue
        fresh_connection()
        provision_board(BoardSpec(name=f"Benchmark Safeguarding Children Partnership {number:03d}", slug=slug))
        made += 1
        if made % 25 == 0 or made == missing:
            now = time.perf_counter()
            batch = made % 25 or 25
            print(
                f"  made {made}/{missing} boards (the last {batch}: {(now - batch_start) / batch:.2f} s each)",
                flush=True,
            )
            batch_start = now
    return made, time.perf_counter() - start


def fresh_connection() -> None:
    """Close the database connection and open a new one, as each web request (CONN_MAX_AGE=0) or command does.

    One connection that clones board after board gets slower each time (django-tenants re-creates its
    clone_schema() SQL function for every clone); a new connection is fast again.
    """
    from django.db import connection

    connection.close()
    connection.ensure_connection()


def remove_board(slug: str) -> None:
    """Drop the board's schema and delete its rows (domain, audit entries cascade)."""
    from tenants.models import Board

    tenant_connection().set_schema_to_public()
    board = Board.objects.get(slug=slug)
    board.delete(force_drop=True)


def prepare(options: argparse.Namespace) -> None:
    """Everything both benchmarks need: the database, Django, a migrated platform and `options.boards` boards."""
    configure(options)
    print(f"Machine: {machine_description()}, load average {STARTING_LOAD:.1f} at the start")
    took = prepare_platform()
    print(f"migrate_schemas + ensure_platform_schemas(): {seconds(took)}")
    present = board_count()
    if present < options.boards:
        print(f"{present} boards present; provisioning {options.boards - present} more by cloning the template ...")
    made, took = ensure_boards(options.boards)
    if made:
        print(f"Provisioned {made} boards by cloning in {seconds(took)} ({took / made:.2f} s per board)")
    autovacuum = "on" if autovacuum_is_on() else "OFF on this server"
    if options.no_vacuum:
        print(f"No VACUUM ANALYZE (--no-vacuum; autovacuum is {autovacuum})")
    else:
        took = vacuum_analyze()
        print(f"VACUUM ANALYZE before timing: {seconds(took)} (autovacuum is {autovacuum})")
    print(f"Template: {template_description()}")
    print(f"Boards present: {board_count()} (plus the public schema and board_template)")
