"""The public catalogue with 10 and with 500 sessions: queries per request (must not grow) and latency.

    .venv/bin/python benchmarks/catalogue.py                 # scratch database lscb_bench_catalogue
    .venv/bin/python benchmarks/catalogue.py --requests 100  # more timed requests per page

What it does: makes the scratch database (created if missing), migrates it and makes the platform schemas, then
one board (`bench-catalogue`, kept for reruns). In that board it writes the offer through the services (venues,
published courses with audience groups, sessions of one or two parts) until there are 10 sessions, measures,
then adds sessions until there are 500 and measures again. Each measurement asks, as a signed-out visitor through
Django's test client (the whole middleware stack, board routing by host name, templates, no network):

- the catalogue page `/courses/` (20 sessions a page),
- the catalogue API `/api/v1/catalogue/sessions/` (50 a page),
- the calendar feed `/courses/calendar.ics` (every session: it grows with them, its query count must not), built
  (the cache emptied before each request) and as served from the cache.

Queries are counted on one request with an execute wrapper; latency is timed over --requests requests after
3 warm-up requests (DEBUG off, a new database connection per request, as in production). The script fails if
a query count differs between sizes.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import _setup

SLUG = "bench-catalogue"
DEFAULT_DATABASE = "lscb_bench_catalogue"
LONDON = ZoneInfo("Europe/London")
FIRST_DAY = datetime(2031, 1, 6, 9, 30, tzinfo=LONDON)
ENDPOINTS = (
    ("catalogue page", "/courses/", False),
    ("catalogue API", "/api/v1/catalogue/sessions/", False),
    ("calendar feed, built", "/courses/calendar.ics", True),
    ("calendar feed, cached", "/courses/calendar.ics", False),
)
TYPES = ("classroom", "elearning", "workshop", "briefing", "light_bite")
TOPICS = ("neglect", "domestic abuse", "child sexual exploitation", "online safety", "early help")


def the_board() -> Any:
    from tenants.models import Board
    from tenants.services import BoardSpec, provision_board

    board = Board.objects.filter(slug=SLUG).first()
    if board is None:
        _setup.fresh_connection()
        board = provision_board(BoardSpec(name="Benchmark Catalogue Partnership", slug=SLUG))
    return board


def clear_offer() -> None:
    from tenant_apps.offer.models import Course, Session, Venue

    Session.objects.all().delete()
    Course.objects.all().delete()
    Venue.objects.all().delete()


def add_sessions(target: int) -> int:
    """Add sessions (through the services, as coordinators would) until the board has `target`. Returns the count."""
    from tenant_apps.audiences import services as audiences
    from tenant_apps.audiences.models import AudienceGroup
    from tenant_apps.offer import services
    from tenant_apps.offer.models import Course, Session, Venue
    from tenant_apps.offer.services import PartSpec

    groups = list(AudienceGroup.objects.all()[:3]) or [
        audiences.create_group(actor=None, scheme="group", code=f"Group {n}", name=f"Audience group {n}")
        for n in (1, 2, 3)
    ]
    venues = list(Venue.objects.all()) or [
        services.save_venue(actor=None, name=f"Venue {n}", address="Leeds", postcode="LS1 1UR", capacity=40)
        for n in range(1, 6)
    ]
    courses = list(Course.objects.all()) or [
        services.save_course(
            actor=None,
            title=f"{TOPICS[n % len(TOPICS)].capitalize()} course {n}",
            summary="A benchmark course with a summary of a realistic length for the catalogue page.",
            learning_outcomes="Recognise the signs\nKnow how to respond\nKnow when to refer",
            intervention_type=TYPES[n % len(TYPES)],
            duration_hours=Decimal("3"),
            topic=TOPICS[n % len(TOPICS)],
            status="published",
            audience_groups=groups[: 1 + n % len(groups)],
        )
        for n in range(20)
    ]
    have = Session.objects.count()
    for number in range(have, target):
        # One session a day per venue, at different times, so no room is ever double-booked.
        start = FIRST_DAY + timedelta(days=number // len(venues), hours=number % 3)
        venue = venues[number % len(venues)]
        parts = [PartSpec(start, start + timedelta(hours=3), venue)]
        if number % 4 == 0:  # every fourth is a two-day course
            parts.append(PartSpec(start + timedelta(days=7), start + timedelta(days=7, hours=3), None))
        services.schedule_session(courses[number % len(courses)], actor=None, capacity=20, parts=parts)
    return Session.objects.count()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def measure(host: str, path: str, requests: int, *, cold: bool = False) -> tuple[int, float, float, int]:
    """(queries on one request, p50 ms, p95 ms, response bytes). `cold`: empty the cache before each request."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST=host)
    for _ in range(3):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    # Counted by an execute wrapper: Django empties the query log when a request starts and closes the connection
    # when it ends (CONN_MAX_AGE=0, as in production), which CaptureQueriesContext does not survive here.
    executed: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append(sql)
        return execute(sql, params, many, context)

    if cold:
        cache.clear()
    with connection.execute_wrapper(count):
        response = client.get(path)
    size = len(response.content)
    timings = []
    for _ in range(requests):
        if cold:
            cache.clear()
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return len(executed), statistics.median(timings), percentile(timings, 0.95), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=DEFAULT_DATABASE, help=f"scratch database (default {DEFAULT_DATABASE})")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the scratch database first")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page and size (default 50)")
    parser.add_argument("--sizes", default="10,500", help="session counts to measure, in order (default 10,500)")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]

    _setup.configure(options)
    print(f"Machine: {_setup.machine_description()}, load average {_setup.STARTING_LOAD:.1f} at the start")
    took = _setup.prepare_platform()
    print(f"migrate_schemas + ensure_platform_schemas(): {_setup.seconds(took)}")

    from django.conf import settings

    from tenants.cross_board import run_in_board

    board = the_board()
    host = f"{SLUG}.{settings.PLATFORM_HOST}"
    run_in_board(board, clear_offer)
    rows: list[list[str]] = []
    counts: dict[str, set[int]] = {name: set() for name, _, _ in ENDPOINTS}
    loads = []
    for size in sizes:
        total, seconds = _setup.timed(functools.partial(run_in_board, board, functools.partial(add_sessions, size)))
        _setup.vacuum_analyze()
        print(f"{total} sessions in {SLUG} (written in {_setup.seconds(seconds)})", flush=True)
        for name, path, cold in ENDPOINTS:
            queries, p50, p95, size_bytes = measure(host, path, options.requests, cold=cold)
            counts[name].add(queries)
            rows.append(
                [str(total), name, str(queries), f"{p50:.1f} ms", f"{p95:.1f} ms", f"{size_bytes / 1024:.0f} KB"]
            )
        loads.append(_setup.load_average())
    _setup.print_table(["sessions", "request", "queries", "p50", "p95", "response"], rows)
    warning = _setup.busy_warning(loads, own=1.0)
    if warning:
        print(warning)
    grew = [name for name, seen in counts.items() if len(seen) > 1]
    if grew:
        print(f"FAIL: the query count changed with the number of sessions for: {', '.join(grew)}")
        sys.exit(1)
    print(f"Query counts are the same for {' and '.join(map(str, sizes))} sessions.")


if __name__ == "__main__":
    main()
