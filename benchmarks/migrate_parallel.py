"""migrate_schemas over 150 boards with one new migration: the standard (serial) executor vs the parallel one.

    .venv/bin/python benchmarks/migrate_parallel.py                  # lscb_bench, 150 boards, 3 runs each
    .venv/bin/python benchmarks/migrate_parallel.py --processes 2,3,4 --chunks 5 --skip-checks

Uses the scratch database and the boards of benchmarks/provisioning.py (made here if missing, by cloning).
"One new migration" is simulated without adding one to the repository: before each timed run the tenant app
--app (default `scheduling`, whose only migration creates one table with an index and a constraint) is rolled
back to zero on every board schema, then `migrate_schemas --tenant` (what a deploy runs, every tenant app) is
timed bringing it forward again. Every board schema and board_template are migrated: --boards + 1 schemas.

Variants: `--executor=standard` (one schema after another) and `--executor=multiprocessing` with each pool
size in --processes (django-tenants reads TENANT_MULTIPROCESSING_MAX_PROCESSES and
TENANT_MULTIPROCESSING_CHUNKS from settings; the project leaves both unset, so 2 processes and chunks of 2;
--chunks overrides the latter). Before every timed run the roll-back is done again, and checked.

migrate_schemas runs in this process through call_command, so Django's start-up (about a second) is not in the
figures. Like the command line, and unlike call_command's default, system checks run (--skip-checks leaves them
out): the migrate command runs them once per schema.

How long: about 5.5 minutes on a 2-core machine with the 150 boards already made (add 2.5 minutes to make them).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

import _setup


def _pool_sizes(text: str) -> list[int]:
    sizes = [int(part) for part in text.split(",") if part.strip()]
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("give pool sizes like 2,4")
    return sizes


def schemas_with_migration(app_label: str) -> tuple[int, int]:
    """(tenant schemas, how many of them record a migration of `app_label`), from the catalog in one query."""
    from tenants.models import PUBLIC_SCHEMA, Board

    connection = _setup.tenant_connection()
    connection.set_schema_to_public()
    schemas = list(Board.objects.exclude(schema_name=PUBLIC_SCHEMA).values_list("schema_name", flat=True))
    union = " UNION ALL ".join(
        f"SELECT count(*) > 0 FROM {connection.ops.quote_name(schema)}.django_migrations WHERE app = %s"
        for schema in schemas
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FILTER (WHERE applied) FROM ({union}) AS t(applied)", [app_label] * len(schemas)
        )
        (applied,) = cursor.fetchone()
    return len(schemas), applied


def migrate_tenants(
    *args: str, executor: str, processes: int | None = None, chunks: int | None = None, skip_checks: bool = False
) -> None:
    from django.core.management import call_command
    from django.test import override_settings

    overrides: dict[str, Any] = {}
    if processes is not None:
        overrides["TENANT_MULTIPROCESSING_MAX_PROCESSES"] = processes
    if chunks is not None:
        overrides["TENANT_MULTIPROCESSING_CHUNKS"] = chunks
    with override_settings(**overrides):
        call_command(
            "migrate_schemas",
            *args,
            tenant=True,
            executor=executor,
            interactive=False,
            verbosity=0,
            skip_checks=skip_checks,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    _setup.add_common_arguments(parser, repeat=3)
    parser.add_argument("--app", default="scheduling", help="tenant app rolled back and migrated (default scheduling)")
    parser.add_argument(
        "--processes",
        type=_pool_sizes,
        default=None,
        help="multiprocessing pool sizes to time, e.g. 2,4 (default: the settings' value, 2, and 4)",
    )
    parser.add_argument(
        "--chunks",
        type=int,
        default=None,
        help="TENANT_MULTIPROCESSING_CHUNKS for the parallel runs (default: settings)",
    )
    parser.add_argument("--skip-checks", action="store_true", help="leave out the per-schema system checks")
    options = parser.parse_args()
    _setup.prepare(options)

    from django.conf import settings

    default_processes = getattr(settings, "TENANT_MULTIPROCESSING_MAX_PROCESSES", 2)
    chunks = options.chunks or getattr(settings, "TENANT_MULTIPROCESSING_CHUNKS", 2)
    sizes = options.processes or sorted({default_processes, 4})
    variants: list[tuple[str, Callable[[], None]]] = [
        ("standard (serial)", lambda: migrate_tenants(executor="standard", skip_checks=options.skip_checks))
    ]

    def parallel(size: int) -> Callable[[], None]:
        return lambda: migrate_tenants(
            executor="multiprocessing", processes=size, chunks=chunks, skip_checks=options.skip_checks
        )

    for size in sizes:
        label = f"multiprocessing, {size} processes" + (" (default)" if size == default_processes else "")
        variants.append((label, parallel(size)))

    schemas, applied = schemas_with_migration(options.app)
    print(f"\nTiming migrate_schemas --tenant over {schemas} schemas, {options.repeat} run(s) per variant ...")
    times: dict[str, list[float]] = {label: [] for label, _ in variants}
    rollback_times: list[float] = []
    loads: list[float] = []
    for run in range(1, options.repeat + 1):
        for label, migrate in variants:
            _, took = _setup.timed(
                lambda: migrate_tenants(options.app, "zero", executor="multiprocessing", skip_checks=True)
            )
            rollback_times.append(took)
            schemas, applied = schemas_with_migration(options.app)
            if applied:
                raise SystemExit(f"Roll-back of {options.app} left it applied on {applied} of {schemas} schemas.")
            _, took = _setup.timed(migrate)
            schemas, applied = schemas_with_migration(options.app)
            if applied != schemas:
                raise SystemExit(f"{label}: {options.app} applied on only {applied} of {schemas} schemas.")
            times[label].append(took)
            loads.append(_setup.load_average())
            print(f"  run {run}: {label:<40} {_setup.seconds(took)}", flush=True)

    serial = _setup.Summary.of(times[variants[0][0]]).median
    rows = []
    for label, _ in variants:
        summary = _setup.Summary.of(times[label])
        rows.append(
            [
                label,
                str(summary.runs),
                _setup.seconds(summary.minimum),
                _setup.seconds(summary.median),
                _setup.seconds(summary.maximum),
                f"{summary.median / schemas * 1000:.0f} ms",
                f"{serial / summary.median:.2f}x",
            ]
        )
    boards = _setup.board_count()
    checks = "without" if options.skip_checks else "with"
    print(
        f"\nmigrate_schemas --tenant, one new migration ({options.app}), {boards} boards + template = {schemas} "
        f"schemas, {checks} system checks, chunks of {chunks} ({_setup.machine_description()}, "
        f"load average during the timings {min(loads):.1f} - {max(loads):.1f}):"
    )
    _setup.print_table(["executor", "runs", "min", "median", "max", "per schema", "speed-up"], rows)
    print(f"Speed-up: median serial / median of the variant. Each roll-back of {options.app} to zero (not timed) took")
    print(f"{_setup.Summary.of(rollback_times).median:.1f} s with the multiprocessing executor.")
    warning = _setup.busy_warning(loads, own=float(max(sizes)))
    if warning:
        print(warning)
    best_label, best = min(
        ((label, _setup.Summary.of(times[label]).median) for label, _ in variants[1:]), key=lambda item: item[1]
    )
    print(
        f"SUMMARY migrate_schemas over {schemas} schemas with one new migration: serial {serial:.1f} s, "
        f"best parallel {best:.1f} s ({best_label}), speed-up {serial / best:.2f}x"
    )


if __name__ == "__main__":
    main()
