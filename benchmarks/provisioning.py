"""Provisioning one board: cloning the template schema vs running every migration, with 150 boards present.

    .venv/bin/python benchmarks/provisioning.py            # scratch database lscb_bench, 150 boards, 5 runs each
    .venv/bin/python benchmarks/provisioning.py --fresh    # drop and recreate lscb_bench first

Goal (from the issue): provisioning by clone takes at most 2 s and is at least 3x faster than by migrations.

What it does: makes the scratch database (created if missing), runs migrate_schemas and
ensure_platform_schemas(), provisions boards by cloning until --boards exist (that is how real boards are made;
the total is printed), runs VACUUM ANALYZE as autovacuum would (see _setup.vacuum_analyze), then times --repeat
calls of `provision_board(spec)` (a copy of the template; also with that copy switched off, which falls back to
django-tenants' clone_schema) and as many of `provision_board(spec, clone=False)` (every migration
run in the new schema), taking turns, each with a new slug and on a new database connection (as a web request
with CONN_MAX_AGE=0 or the create_board command has). Each time covers the whole service: validation, the board
row, the schema, the domain and the board_provisioned receivers (seeded defaults, audit). Each timed board is
removed right after its timing (schema dropped, rows deleted), so every timing sees --boards boards and reruns
are comparable (--keep keeps them).

How long (2 cores, 150 boards, a 38-table template, quiet machine): about 3 minutes with --fresh, of which
2.5 making the boards; 35 seconds on a rerun. Much longer when clones hit the slow case described in
docs/benchmarks.md (tens of seconds each).
"""

from __future__ import annotations

import argparse
import functools
import secrets
import statistics
import time
from typing import Any

import _setup

GOAL_CLONE_SECONDS = 2.0
GOAL_SPEED_UP = 3.0


class StepTimer:
    """Times named steps inside provision_board by wrapping the functions that do them (no behaviour changes)."""

    def __init__(self) -> None:
        self.last: dict[str, float] = {}

    def wrap(self, owner: Any, attribute: str, step: str) -> None:
        original = getattr(owner, attribute)

        @functools.wraps(original)
        def timed_step(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.last[step] = self.last.get(step, 0.0) + time.perf_counter() - start

        setattr(owner, attribute, timed_step)


# (key, label, clone?, with pg_dump?). "copy" is what provision_board does; "tenants_clone" is its fallback when
# no usable pg_dump is installed (django-tenants' clone_schema SQL function).
METHODS = (
    ("copy", "copy of the template (pg_dump snapshot)", True, True),
    ("tenants_clone", "django-tenants clone_schema() (fallback)", True, False),
    ("migrations", "migrations (clone=False)", False, True),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    _setup.add_common_arguments(parser, repeat=5)
    parser.add_argument("--keep", action="store_true", help="keep the timed boards instead of removing each one")
    options = parser.parse_args()
    _setup.prepare(options)

    from django_tenants.clone import CloneSchema

    import tenants.services
    from tenants.services import BoardSpec, provision_board

    steps = StepTimer()
    steps.wrap(tenants.services, "_create_schema", "schema")
    steps.wrap(CloneSchema, "clone_schema", "clone_sql")
    steps.wrap(tenants.services, "copy_template", "clone_sql")
    copy_template = tenants.services.copy_template

    run_id = secrets.token_hex(3)
    times: dict[str, list[float]] = {key: [] for key, *_ in METHODS}
    schema_times: dict[str, list[float]] = {key: [] for key, *_ in METHODS}
    clone_sql_times: dict[str, list[float]] = {key: [] for key, *_ in METHODS}
    loads: list[float] = []
    kept: list[str] = []
    present = _setup.board_count()
    print(f"\nTiming {options.repeat} provisions of each kind, taking turns ...")
    for run in range(1, options.repeat + 1):
        for number, (key, label, clone, with_pg_dump) in enumerate(METHODS):
            slug = f"timed-{run_id}-{number}-{run}"
            spec = BoardSpec(name=f"Timed board {run_id} {key} {run}", slug=slug)
            steps.last.clear()
            tenants.services.copy_template = copy_template if with_pg_dump else (lambda schema_name: False)
            _setup.fresh_connection()
            _, took = _setup.timed(lambda spec=spec, clone=clone: provision_board(spec, clone=clone))
            loads.append(_setup.load_average())
            times[key].append(took)
            schema_times[key].append(steps.last.get("schema", 0.0))
            clone_sql_times[key].append(steps.last.get("clone_sql", 0.0))
            print(f"  run {run}: {label:<36} {_setup.seconds(took)}", flush=True)
            # Remove it straight away, so that every timing sees the same boards.
            if options.keep:
                kept.append(slug)
            else:
                _setup.remove_board(slug)

    summaries = {key: _setup.Summary.of(times[key]) for key, *_ in METHODS}
    migrations = summaries["migrations"].median
    rows = []
    for key, label, clone, _ in METHODS:
        summary = summaries[key]
        rows.append(
            [
                label,
                str(summary.runs),
                _setup.seconds(summary.minimum),
                _setup.seconds(summary.median),
                _setup.seconds(summary.maximum),
                _setup.seconds(statistics.median(schema_times[key])),
                _setup.seconds(statistics.median(clone_sql_times[key])) if clone else "-",
                f"{migrations / summary.median:.2f}x",
            ]
        )
    print(
        f"\nProvisioning one board with {present} boards present ({_setup.machine_description()}; "
        f"load average during the timings {min(loads):.1f} - {max(loads):.1f}; {_setup.template_description()}):"
    )
    _setup.print_table(["method", "runs", "min", "median", "max", "schema step", "copy SQL", "vs migrations"], rows)
    print(
        "schema step: making the schema (median); the rest of each time is validation, the board row, the domain "
        "and the board_provisioned receivers. copy SQL: replaying the snapshot (the first copy also dumps it), or "
        "django-tenants re-creating its SQL function and running it (median). vs migrations: median by migrations "
        "/ median of the row (above 1: faster)."
    )
    clone = summaries["copy"].median
    speed_up = migrations / clone
    fast_enough = clone <= GOAL_CLONE_SECONDS
    faster_enough = speed_up >= GOAL_SPEED_UP
    print(f"Goal: clone median <= {GOAL_CLONE_SECONDS:.0f} s: {'met' if fast_enough else 'NOT met'} ({clone:.2f} s)")
    print(
        f"Goal: clone >= {GOAL_SPEED_UP:.0f}x faster than migrations: {'met' if faster_enough else 'NOT met'} "
        f"({speed_up:.2f}x)"
    )
    if kept:
        print(f"Kept the {len(kept)} timed boards (slugs timed-{run_id}-*); {_setup.board_count()} boards now.")
    else:
        print(f"Removed each timed board after timing it; {_setup.board_count()} boards remain.")
    warning = _setup.busy_warning(loads, own=1.0)
    if warning:
        print(warning)
    verdict = "both goals met" if fast_enough and faster_enough else "goal NOT met"
    print(
        f"SUMMARY provisioning with {present} boards: clone median {clone:.2f} s, migrations median "
        f"{migrations:.2f} s, clone {speed_up:.2f}x as fast as migrations -- {verdict}"
    )


if __name__ == "__main__":
    main()
