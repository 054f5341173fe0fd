"""Booking throughput: 50 HTTP clients booking through the production server setup vs pgbench running the booking
transaction's SQL with 50 clients, side by side on real PostgreSQL; then no session may hold more than its places.

    .venv/bin/python benchmarks/booking.py                    # scratch database lscb_bench_booking, 30 s a side
    .venv/bin/python benchmarks/booking.py --conn-max-age 0   # a new database connection for each request
    .venv/bin/python benchmarks/booking.py --close            # a new HTTP connection for each request
    .venv/bin/python benchmarks/booking.py --show-sql         # also print one booking's SQL and pgbench's script
    .venv/bin/python benchmarks/booking.py --floor            # also requests that book nothing, as a bound

Goal (issue 5): the HTTP booking rate is at least half of pgbench's, and overbookings are 0.

Set-up: a board `bench-booking` and --people accounts with API tokens, each a practitioner there with a learner
profile naming one of five agencies (kept for reruns); one published course with
--sessions sessions (made afresh), every other one with --small-places places (it fills, its waiting list grows),
the others with 2000 (the most allowed). Booking k is person k // sessions on session k % sessions: nobody books a
session twice. Bookings are emptied before each side, and after it the database is checked: places taken <=
capacity in every session, waiting lists numbered 1..n, nobody waiting while a place is free (exit 1 if not).

1. HTTP: gunicorn as infra/production/Procfile starts it (4 workers x 4 threads, an access log) with settings.prod,
   a random secret, the scratch DATABASE_URL and CELERY_BROKER_URL a Redis database (--broker): the booking email
   is queued there on commit as in production, with no worker (in production they have machines of their own);
   the queue is counted, then emptied. Once every worker has loaded the app, --clients threads, each on a
   keep-alive connection (--close: a new one per request, as nginx in front of gunicorn by default), POST
   /api/v1/bookings/ {"session": id} with `Authorization: Token ...` on the board's host (`X-Forwarded-Proto:
   https`, as the load balancer sends) for --duration seconds, after a warm-up.
2. pgbench (-c clients -j 2 -T duration; simple query protocol, as psycopg2) replays the statements Django sends
   for a booking (captured from two bookings made through the whole stack just before: one taking a place, one
   joining a waiting list), with what differs between bookings made pgbench variables (--pgbench replay, the
   default); or only the transaction that decides a booking (--pgbench decision): lock the session row FOR
   UPDATE, count its places taken, insert the booking (booked, or waiting with the next queue position).
3. --floor: before the booking, the same server and clients against request_floor.py's apps that book nothing
   (a bare WSGI callable, a plain Django view, a Django REST framework view): what a request costs on this stack.

CPU per booking is read from /proc: this script and pgbench, gunicorn's processes, and every process of the
PostgreSQL server when it runs on this machine (other databases' work included). How long: 30 s of set-up (a
minute the first time), then --duration twice.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import itertools
import json
import os
import re
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import _setup

SLUG = "bench-booking"
DEFAULT_DATABASE = "lscb_bench_booking"
DEFAULT_BROKER = "redis://127.0.0.1:6379/13"
PEOPLE_DOMAIN = "booking.bench.test"
PATH = "/api/v1/bookings/"
MOST_PLACES = 2000
FIRST_DAY = datetime(2031, 3, 3, 9, 30, tzinfo=ZoneInfo("Europe/London"))
GOAL_RATIO = 0.5


@dataclass(frozen=True)
class Offer:
    board: Any
    host: str
    sessions: list[str]
    first_person: int
    tokens: list[str]


@dataclass(frozen=True)
class Side:
    made: int
    seconds: float
    latencies_ms: list[float]
    errors: list[str]
    cpu: dict[str, float]  # seconds during the side, see usage()

    @property
    def rate(self) -> float:
        return self.made / self.seconds if self.seconds else 0.0

    def latency(self, share: float) -> float:
        ordered = sorted(self.latencies_ms) or [0.0]
        return ordered[round(share * (len(ordered) - 1))]


@dataclass(frozen=True)
class Check:
    booked: int
    waiting: int
    full: int
    overbooked: int
    places_over: int
    queues_broken: int
    waiting_with_free: int

    @property
    def failed(self) -> bool:
        return bool(self.overbooked or self.queues_broken or self.waiting_with_free)


def the_offer(options: argparse.Namespace) -> Offer:
    """The board, its sessions (made afresh through the services) and the people with their tokens."""
    from django.conf import settings

    from tenant_apps.offer import services
    from tenant_apps.offer.models import Course, Session
    from tenant_apps.offer.services import PartSpec
    from tenants.cross_board import run_in_board
    from tenants.models import Board
    from tenants.services import BoardSpec, provision_board

    board = Board.objects.filter(slug=SLUG).first()
    if board is None:
        _setup.fresh_connection()
        board = provision_board(BoardSpec(name="Benchmark Booking Partnership", slug=SLUG))
    empty_bookings(board)

    def schedule() -> list[str]:
        Session.objects.all().delete()
        Course.objects.all().delete()
        course = services.save_course(
            actor=None,
            title="Neglect: recognising and responding",
            summary="Level 2 multi-agency course.",
            intervention_type="classroom",
            duration_hours=Decimal("3"),
            topic="neglect",
            status="published",
        )
        made = []
        for number in range(options.sessions):
            start = FIRST_DAY + timedelta(days=number)
            places = options.small_places if number % 2 == 0 else MOST_PLACES
            parts = [PartSpec(start, start + timedelta(hours=3), None)]
            made.append(str(services.schedule_session(course, actor=None, capacity=places, parts=parts).pk))
        return made

    sessions = run_in_board(board, schedule)
    first, tokens = the_people(board, options.people)
    run_in_board(board, lambda: give_profiles(board, first, len(tokens)))
    return Offer(board, f"{SLUG}.{settings.PLATFORM_HOST}", sessions, first, tokens)


def give_profiles(board: Any, first: int, count: int) -> None:
    """Each person practises in the board, as most people booking do: a practitioner role and a learner profile
    naming one of five agencies and a job role, which the booking reads (with the agency, in one statement) and
    copies. Kept for reruns."""
    from shared_apps.accounts.models import Membership, Role
    from shared_apps.agencies.models import Agency, AgencyType
    from tenant_apps.audiences.models import LearnerProfile

    if LearnerProfile.objects.filter(user_id__gte=first, user_id__lt=first + count).count() == count:
        return
    agencies = [
        Agency.objects.get_or_create(name=f"Benchmark agency {n}", defaults={"agency_type": kind})[0]
        for n, kind in enumerate(
            [AgencyType.HEALTH, AgencyType.POLICE, AgencyType.EDUCATION, AgencyType.HOUSING, AgencyType.VOLUNTARY]
        )
    ]
    people = range(first, first + count)
    LearnerProfile.objects.filter(user_id__in=people).delete()
    Membership.objects.filter(board=board, user_id__in=people).delete()
    Membership.objects.bulk_create(Membership(user_id=pk, board=board, role=Role.PRACTITIONER) for pk in people)
    LearnerProfile.objects.bulk_create(
        LearnerProfile(user_id=pk, agency=agencies[pk % len(agencies)], job_role="Practitioner") for pk in people
    )
    print(f"Gave {count} people a practitioner role and a learner profile in the board")


def the_people(board: Any, count: int) -> tuple[int, list[str]]:
    """`count` accounts with consecutive ids (pgbench computes them) and a token each: (first id, tokens)."""
    from django.contrib.auth.hashers import make_password
    from rest_framework.authtoken.models import Token

    from shared_apps.accounts.models import User
    from tenant_apps.audiences.models import LearnerProfile
    from tenants.cross_board import run_in_board

    people = User.objects.filter(email__endswith=f"@{PEOPLE_DOMAIN}")
    ids = list(people.order_by("id").values_list("id", flat=True))
    if len(ids) != count or ids[-1] - ids[0] + 1 != count:
        if ids:  # their learner profiles first: they refer to the accounts
            run_in_board(board, lambda: LearnerProfile.objects.filter(user_id__in=ids).delete())
        people.delete()
        unusable = make_password(None)
        User.objects.bulk_create(
            User(email=f"booker{n:06d}@{PEOPLE_DOMAIN}", full_name=f"Booker {n}", password=unusable)
            for n in range(count)
        )
        ids = list(people.order_by("id").values_list("id", flat=True))
        Token.objects.bulk_create(Token(key=Token.generate_key(), user_id=pk) for pk in ids)
        print(f"Made {count} accounts with API tokens")
    if ids[-1] - ids[0] + 1 != count:
        raise SystemExit("The benchmark's accounts did not get consecutive ids: run again with --fresh.")
    keys = dict(Token.objects.filter(user__email__endswith=f"@{PEOPLE_DOMAIN}").values_list("user_id", "key"))
    return ids[0], [keys[pk] for pk in ids]


def in_board(board: Any, sql: str) -> list[tuple[Any, ...]]:
    """Run one statement in the board's schema; its rows, if it returns any."""
    from django.db import connection

    from tenants.cross_board import run_in_board

    def run() -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall() if cursor.description else []

    return run_in_board(board, run)


def empty_bookings(board: Any) -> None:
    """Remove what bookings leave behind: bookings (and what cascades from them), due reminders, the people's
    learning-record entries and the audit entries; then fresh statistics, so that each side starts alike."""
    from shared_apps.audit.models import AuditEvent
    from shared_apps.learning_record.models import BookingEntry

    in_board(board, "TRUNCATE booking_booking, scheduling_duework CASCADE")
    in_board(board, "VACUUM ANALYZE booking_booking")
    BookingEntry.objects.filter(board=board).delete()
    AuditEvent.objects.filter(board=board, action__startswith="booking.").delete()


def check(board: Any) -> Check:
    found = in_board(
        board,
        """SELECT s.capacity, count(b.id) FILTER (WHERE b.holds_place),
                  count(b.id) FILTER (WHERE b.status = 'waiting'), coalesce(min(b.queue_position), 0),
                  coalesce(max(b.queue_position), 0), count(DISTINCT b.queue_position)
           FROM offer_session s LEFT JOIN booking_booking b ON b.session_id = s.id GROUP BY s.id""",
    )
    return Check(
        booked=sum(row[1] for row in found),
        waiting=sum(row[2] for row in found),
        full=sum(1 for places, taken, *_ in found if taken >= places),
        overbooked=sum(1 for places, taken, *_ in found if taken > places),
        places_over=sum(max(0, taken - places) for places, taken, *_ in found),
        queues_broken=sum(1 for _, _, n, low, high, distinct in found if n and (low, high, distinct) != (1, n, n)),
        waiting_with_free=sum(1 for places, taken, n, *_ in found if n and taken < places),
    )


@dataclass(frozen=True)
class Statement:
    sql: str  # with its parameters' values in place, as PostgreSQL received it
    in_transaction: bool


def booking_statements(offer: Offer, token: str, session: str) -> list[Statement]:
    """The SQL one booking runs through the whole Django stack (the test client, in this process), with the
    search_path set as settings.prod sets it (TENANT_LIMIT_SET_CALLS: once a request for the board, not before each
    statement). BEGIN and COMMIT are the driver's, not seen here."""
    from django.db import connection
    from django.test import override_settings

    executed: list[Statement] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        shown = connection.connection.cursor().mogrify(sql, params).decode() if params else sql
        executed.append(Statement(shown, connection.in_atomic_block))
        return execute(sql, params, many, context)

    with override_settings(TENANT_LIMIT_SET_CALLS=True), connection.execute_wrapper(record):
        made = book_in_process(offer, token, session)
    assert made["status"] in ("confirmed", "waiting"), made
    return executed


def book_in_process(offer: Offer, token: str, session: str) -> dict[str, Any]:
    from django.test import Client

    client = Client(HTTP_HOST=offer.host, HTTP_AUTHORIZATION=f"Token {token}")
    response = client.post(PATH, {"session": session}, content_type="application/json")
    assert response.status_code == 201, response.content
    return dict(response.json())


@dataclass(frozen=True)
class Captured:
    """Two bookings through Django, statement by statement: one taking a place, one joining a waiting list."""

    confirmed: list[Statement]
    waiting: list[Statement]
    confirmed_person: int
    waiting_person: int


def capture_bookings(offer: Offer, small_places: int) -> Captured:
    """Neither is the session's first booking (that one also schedules the session's reminders, once a session):
    the last people book session 1 (2000 places) and fill session 0 (small) before the captured ones."""
    people = len(offer.tokens)
    book_in_process(offer, offer.tokens[-3], offer.sessions[1])
    confirmed = booking_statements(offer, offer.tokens[-2], offer.sessions[1])
    for index in range(people - 3 - small_places, people - 3):
        book_in_process(offer, offer.tokens[index], offer.sessions[0])
    waiting = booking_statements(offer, offer.tokens[-1], offer.sessions[0])
    first = offer.first_person
    return Captured(confirmed, waiting, first + people - 2, first + people - 1)


# --- pgbench replaying Django's statements ---------------------------------------------------------------------

UUID_LITERAL = r"'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'::uuid"
BOOKING_ID = "md5('booking :n')::uuid"  # a new id for each booking of the side, as Django makes in Python
NEXT_IN_QUEUE = "coalesce(nullif(':last', '')::integer, 0) + 1"  # the aggregate's `last`, as book() adds one


def as_pgbench(statement: str, person: int, sessions: str) -> str:
    """One captured statement with what differs between bookings made pgbench variables: the person (:person), the
    session (chosen by :k, then :session), the booking's id, the current time (now()) and, for a booking joining
    the waiting list, its number. Everything else is replayed as Django sent it. The token is found by its
    person rather than by its key (pgbench cannot hold 10,000 keys): a lookup on a unique index either way."""
    sql = re.sub(r'"authtoken_token"\."key" = \'\w+\'', '"authtoken_token"."user_id" = :person', statement)
    sql = re.sub(rf"(?<=[\s(,=]){person}(?=[\s),])", ":person", sql)
    sql = re.sub(r"'\d{4}-\d\d-\d\dT[^']*'::timestamptz", lambda found: now_or_kept(found[0]), sql)
    if " FOR UPDATE OF " in sql:  # the session, locked: pgbench keeps its id and capacity for what follows
        sql = sql.replace('SELECT "offer_session"."id",', 'SELECT "offer_session"."id" AS session,', 1)
        return re.sub(UUID_LITERAL, f"({sessions})[:k]", sql) + " \\gset"
    if sql.startswith("SELECT COUNT(") and 'FROM "booking_booking"' in sql:  # places taken, the last number
        sql = re.sub(UUID_LITERAL, "':session'::uuid", sql)
        return sql + " \\gset"
    if not sql.startswith("INSERT INTO"):
        return sql
    columns, values = insert_columns_and_values(sql)
    for index, (column, value) in enumerate(zip(columns, values, strict=True)):
        if column == '"session_id"':
            values[index] = "':session'::uuid"
        elif re.fullmatch(UUID_LITERAL, value) and column in ('"id"', '"booking_id"'):
            values[index] = BOOKING_ID
        elif column == '"object_id"' and re.fullmatch(r"'[0-9a-f-]{36}'", value):
            values[index] = f"{BOOKING_ID}::text"
        elif column == '"queue_position"' and value != "NULL":
            values[index] = NEXT_IN_QUEUE
    head, tail = sql.split(") VALUES (", 1)
    return f"{head}) VALUES ({', '.join(values)}{tail[closing_parenthesis(tail) :]}"


def now_or_kept(literal: str) -> str:
    """now() for a time taken while booking (today), the literal for a session's times (the future)."""
    when = datetime.fromisoformat(literal.split("'")[1])
    return "now()" if abs(datetime.now(when.tzinfo) - when) < timedelta(hours=1) else literal


def closing_parenthesis(text: str) -> int:
    """Where the parenthesis closing `text`'s first level ends, outside quoted literals."""
    depth, quoted = 0, False
    for index, char in enumerate(text):
        if char == "'":
            quoted = not quoted  # '' inside a literal flips twice
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            if depth == 0:
                return index
            depth -= 1
    raise ValueError(f"no closing parenthesis in {text[:200]}")


def split_top_level(text: str) -> list[str]:
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(text):
        if char == "'":
            quoted = not quoted
        elif not quoted and char in "([":
            depth += 1
        elif not quoted and char in ")]":
            depth -= 1
        elif not quoted and depth == 0 and char == ",":
            parts.append(text[start:index].strip())
            start = index + 1
    return [*parts, text[start:].strip()]


def insert_columns_and_values(sql: str) -> tuple[list[str], list[str]]:
    head, tail = sql.split(") VALUES (", 1)
    columns = split_top_level(head.split("(", 1)[1])
    values = split_top_level(tail[: closing_parenthesis(tail)])
    return columns, values


def replayed_script(offer: Offer, captured: Captured, clients: int) -> str:
    """pgbench replays the captured statements, in their order and transaction, choosing between the two
    bookings' INSERTs by the places taken, as book() does. Statements before the INSERTs must be the same in both
    bookings (checked): the domain, the token, the profile, the session locked, the places taken."""
    sessions = "'{" + ",".join(offer.sessions) + "}'::uuid[]"
    confirmed = [
        Statement(as_pgbench(one.sql, captured.confirmed_person, sessions), one.in_transaction)
        for one in captured.confirmed
    ]
    waiting = [
        Statement(as_pgbench(one.sql, captured.waiting_person, sessions), one.in_transaction)
        for one in captured.waiting
    ]
    first_insert = next(index for index, one in enumerate(confirmed) if one.sql.startswith("INSERT"))
    common = confirmed[:first_insert]
    if waiting[:first_insert] != common or not all(one.in_transaction for one in confirmed[first_insert:]):
        raise SystemExit("The two captured bookings do not share their statements before the INSERTs.")
    lines = [
        "-- Booking n of this side (each client counts its own i): person n / sessions on session n % sessions.",
        f"\\set n :i * {clients} + :client_id",
        "\\set i :i + 1",
        f"\\set person {offer.first_person} + :n / {len(offer.sessions)}",
        f"\\set k 1 + :n % {len(offer.sessions)}",
    ]
    began = False
    for one in common:
        if one.in_transaction and not began:
            lines.append("BEGIN;")
            began = True
        lines.append(one.sql if one.sql.endswith("gset") else f"{one.sql};")
    lines.append("\\if :taken < :capacity")
    lines += [f"{one.sql};" for one in confirmed[first_insert:]]
    lines.append("\\else")
    lines += [f"{one.sql};" for one in waiting[first_insert:]]
    lines += ["\\endif", "END;"]
    return "\n".join(lines) + "\n"


def tree_cpu(root: int | None) -> float:
    """CPU seconds so far of a process and its children, live or ended (gunicorn's workers, PostgreSQL's backends,
    also those of connections already closed); 0 for None."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(root):
            ticks += sum(int(value) for value in fields[11:15])  # utime, stime, and of its ended children
        elif fields[1] == str(root):
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def postmaster() -> int | None:
    """PostgreSQL's main process when the server runs on this machine: the parent of this connection's backend."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    try:
        stat = Path(f"/proc/{backend}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1]) if "(postgres)" in stat else None


def usage(web: int | None, database: int | None) -> dict[str, float]:
    """CPU seconds so far: the load generator (this script and its ended children: pgbench), the web server,
    PostgreSQL (every process of the server), and the machine's busy and total CPU time (/proc/stat)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return {
        "clients": time.process_time() + children.ru_utime + children.ru_stime,
        "web": tree_cpu(web),
        "database": tree_cpu(database),
        "busy": sum(ticks) - ticks[3] - ticks[4],  # less idle and iowait
        "total": sum(ticks),
    }


def used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {key: after[key] - before[key] for key in before}


@contextmanager
def app_server(
    options: argparse.Namespace,
    url: str,
    logs: Path,
    app: str = "lscb_platform.wsgi:application",
    settings: str = "lscb_platform.settings.prod",
) -> Iterator[tuple[int, int]]:
    """gunicorn serving `app` (the platform) with `settings` (production's) on a free port, stopped on the way
    out. Yields (port, pid)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    for ready in logs.glob("ready-*"):  # left by an earlier server
        ready.unlink()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings, "DJANGO_DEBUG": "false"}
    env |= {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DATABASE_URL": url, "PLATFORM_HOST": "localhost"}
    env |= {"CELERY_BROKER_URL": options.broker}
    if options.conn_max_age is not None:  # else settings.prod's default
        env |= {"DATABASE_CONN_MAX_AGE": str(options.conn_max_age)}
    paths = [_setup.REPO_ROOT / "platform", _setup.REPO_ROOT, _setup.REPO_ROOT / "benchmarks"]  # the last: --floor
    env |= {"LOG_LEVEL": "WARNING", "PYTHONPATH": ":".join(map(str, paths))}
    command = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(options.workers), "--threads", str(options.threads), "--log-level", "warning"]
    command += ["--access-logfile", str(logs / "access.log"), "--error-logfile", str(logs / "gunicorn.log")]
    # Each worker says when it has loaded the app. Clients connecting earlier would all land on the first worker
    # ready, and keep-alive connections stay with the worker that accepted them.
    hooks = logs / "hooks.py"
    hooks.write_text(f"def post_worker_init(worker):\n    open(f'{logs}/ready-{{worker.pid}}', 'w').close()\n")
    command += ["--config", str(hooks)]
    # A session of its own: Ctrl-C reaches only this script, which then stops the server. Its warnings (no
    # collectstatic was run: the API needs no static files) go to the log with its errors.
    with (logs / "gunicorn.log").open("a") as output:
        server = subprocess.Popen(command, env=env, cwd=_setup.REPO_ROOT, start_new_session=True, stderr=output)
    try:
        for _ in range(1200):
            if server.poll() is not None or len(list(logs.glob("ready-*"))) >= options.workers:
                break
            time.sleep(0.1)
        if server.poll() is not None:
            raise SystemExit("gunicorn did not start:\n" + (logs / "gunicorn.log").read_text()[-3000:])
        yield port, server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def http_side(
    offer: Offer, port: int, pids: tuple[int, int | None], options: argparse.Namespace, path: str = PATH
) -> Side:
    clients, duration = options.clients, options.duration
    bodies = [json.dumps({"session": session}).encode() for session in offer.sessions]
    per_person, limit = len(offer.sessions), len(offer.sessions) * len(offer.tokens)
    numbers = itertools.count()
    latencies: list[float] = []
    made: list[int] = []
    errors: list[str] = []
    base = {"Host": offer.host, "Content-Type": "application/json", "X-Forwarded-Proto": "https"}
    if options.close:  # http.client opens a new connection for the next request by itself
        base["Connection"] = "close"
    deadline = [0.0]
    # The clock starts once every client has warmed up (the action runs once, before any client goes on).
    start = threading.Barrier(clients + 1, action=lambda: deadline.__setitem__(0, time.perf_counter() + duration))

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            for _ in range(3):  # warm-up: the worker threads load the API; this connection opens
                connection.request("GET", path, headers={**base, "Authorization": f"Token {offer.tokens[index]}"})
                connection.getresponse().read()
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"warm-up: {type(exc).__name__}")
        start.wait()
        while time.perf_counter() < deadline[0] and (number := next(numbers)) < limit:
            headers = {**base, "Authorization": f"Token {offer.tokens[number // per_person]}"}
            began = time.perf_counter()
            try:
                connection.request("POST", path, bodies[number % per_person], headers)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as exc:
                errors.append(type(exc).__name__)
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                continue
            latencies.append((time.perf_counter() - began) * 1000)
            if response.status == 201:
                made.append(number)
            else:
                errors.append(f"{response.status} {body[:200].decode(errors='replace')}")
        connection.close()

    threads = [threading.Thread(target=client, args=(index,), daemon=True) for index in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began, before = time.perf_counter(), usage(*pids)
    for thread in threads:
        thread.join()
    if next(numbers) >= limit:
        errors.append("ran out of people before the end: pass a larger --people")
    return Side(
        made=len(made),
        seconds=time.perf_counter() - began,
        latencies_ms=latencies,
        errors=errors,
        cpu=used(before, usage(*pids)),
    )


def decision_script(offer: Offer, clients: int) -> str:
    """Only the transaction that decides a booking, as book() runs it (--pgbench decision): lock the session, count
    its places taken, insert the booking. Other columns get their model defaults."""
    from django.db import connection

    from tenant_apps.booking.models import Booking

    def insert(**values: str) -> str:
        values = {"id": "gen_random_uuid()", "session_id": "':session'", "user_id": ":person"} | values
        values |= {"booked_by_id": ":person", "booked_at": "now()", "updated_at": "now()"}
        with connection.cursor() as cursor:
            for field in Booking._meta.concrete_fields:
                default = field.get_db_prep_save(field.get_default(), connection)
                values.setdefault(str(field.column), cursor.mogrify("%s", [default]).decode())
        return f"INSERT INTO booking_booking ({', '.join(values)}) VALUES ({', '.join(values.values())});"

    sessions = "'{" + ",".join(offer.sessions) + "}'::uuid[]"
    last = "SELECT coalesce(max(queue_position), 0) + 1 FROM booking_booking WHERE session_id = ':session'"
    return f"""\
-- Booking n of this side (each client counts its own i): person n / sessions on session n % sessions.
\\set n :i * {clients} + :client_id
\\set i :i + 1
\\set person {offer.first_person} + :n / {len(offer.sessions)}
\\set k 1 + :n % {len(offer.sessions)}
BEGIN;
SELECT s.id AS session, s.capacity AS capacity FROM offer_session s INNER JOIN offer_course c ON c.id = s.course_id
  WHERE s.id = ({sessions})[:k] FOR UPDATE OF s \\gset
SELECT count(*) AS taken FROM booking_booking WHERE session_id = ':session' AND holds_place \\gset
\\if :taken < :capacity
{insert(status="'confirmed'", holds_place="true", confirmed_at="now()")}
\\else
{insert(status="'waiting'", queue_position=f"({last} AND status = 'waiting')")}
\\endif
END;
"""


def statements_a_booking(script: str) -> int:
    """SQL statements one run of a pgbench script sends (BEGIN and END included): not the branch not taken."""
    counted, skipping = 0, False
    for line in script.splitlines():
        skipping = (skipping or line.startswith("\\else")) and not line.startswith("\\endif")
        counted += bool(re.match("[A-Z]", line)) and not skipping
    return counted


def pgbench_side(
    offer: Offer, url: str, database: int | None, options: argparse.Namespace, work: Path, text: str
) -> Side:
    clients, duration = options.clients, options.duration
    script = work / "booking.sql"
    script.write_text(text)
    parts = urlsplit(url)
    env = {**os.environ, "PGOPTIONS": f"-c search_path={offer.board.schema_name},public"}
    if parts.password:
        env["PGPASSWORD"] = parts.password
    command = ["pgbench", "-n", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    command += ["-U", parts.username or "postgres", "-c", str(clients), "-j", "2", "-T", str(round(duration))]
    command += ["-f", str(script), "-D", "i=0", "-l", f"--log-prefix={work / 'pgbench'}", parts.path.lstrip("/")]
    before = usage(None, database)
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    cpu = used(before, usage(None, database))
    made = re.search(r"number of transactions actually processed: (\d+)", done.stdout)
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", done.stdout)
    errors = [line for line in done.stderr.splitlines() if "error" in line.lower() or "aborted" in line]
    if done.returncode or not made or not tps:
        errors.append(f"pgbench exited {done.returncode}: {(done.stdout + done.stderr)[-1500:]}")
    latencies = []
    for log in work.glob("pgbench.*"):
        rows = (line.split() for line in log.read_text().splitlines())
        latencies += [int(row[2]) / 1000 for row in rows if len(row) > 2 and row[2].isdigit()]
    count = int(made[1]) if made else 0
    return Side(
        made=count,
        seconds=count / float(tps[1]) if tps and float(tps[1]) else duration,
        latencies_ms=latencies,
        errors=errors,
        cpu=cpu,
    )


# (label, gunicorn's app, settings, path): see request_floor.py.
FLOORS = [
    ("bare WSGI, no Django", "request_floor:bare", "lscb_platform.settings.prod", "/floor/bare/"),
    ("Django, a plain view", "lscb_platform.wsgi:application", "request_floor_settings", "/floor/django/"),
    ("Django REST framework view", "lscb_platform.wsgi:application", "request_floor_settings", "/floor/api/"),
]


def floor_sides(
    offer: Offer, url: str, database: int | None, options: argparse.Namespace, work: Path
) -> list[tuple[str, Side]]:
    """The HTTP side against each of FLOORS instead of the platform: the same server, clients and requests."""
    sides = []
    for label, app, settings, path in FLOORS:
        print(f"Floor: {label}, {options.clients} clients for {options.duration:.0f} s ...", flush=True)
        with app_server(options, url, work, app=app, settings=settings) as (port, pid):
            sides.append((label, http_side(offer, port, (pid, database), options, path=path)))
    return sides


CPU_KEYS = ("web", "database", "clients")


def print_floors(floors: list[tuple[str, Side]], web: Side, sql: Side) -> None:
    """Each floor's rate and CPU a request beside the booking's; and the CPU a booking may cost, in all, for the
    HTTP side to reach GOAL_RATIO of pgbench's rate on this machine's CPUs."""

    def cpu(side: Side, key: str) -> str:
        return f"{1000 * side.cpu[key] / max(side.made, 1):.2f} ms"

    rows = [
        [label, f"{side.rate:.0f}", f"{side.latency(0.5):.1f} ms", *(cpu(side, key) for key in CPU_KEYS), errors]
        for label, side in [*floors, ("the booking (HTTP side above)", web)]
        for errors in [str(len(side.errors))]
    ]
    print("\nWhat a request costs before it books anything (same server, clients and requests):\n")
    _setup.print_table(
        ["", "requests a second", "p50", "CPU: web server", "CPU: PostgreSQL", "CPU: load generator", "errors"],
        rows,
    )
    cpus = os.cpu_count() or 1
    budget = 1000 * cpus / (GOAL_RATIO * sql.rate) if sql.rate else 0.0
    print(
        f"For {GOAL_RATIO} x pgbench's rate ({GOAL_RATIO * sql.rate:.0f}/s) on {cpus} CPUs, a booking may cost "
        f"{budget:.2f} ms of CPU in all (web server, PostgreSQL and load generator)."
    )


def queued_emails(broker: str, *, remove: bool) -> int:
    """Messages waiting in Celery's default queue on the broker (removed when `remove`)."""
    import redis

    client = redis.Redis.from_url(broker)
    waiting = int(client.llen("celery"))
    if remove:
        client.delete("celery", "unacked", "unacked_index")
    return waiting


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=DEFAULT_DATABASE, help=f"scratch database (default {DEFAULT_DATABASE})")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the scratch database first")
    parser.add_argument("--duration", type=float, default=30, help="seconds of booking on each side (default 30)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients on each side (default 50)")
    parser.add_argument("--sessions", type=int, default=20, help="sessions booked (default 20)")
    parser.add_argument("--small-places", type=int, default=20, help="places of every other session (default 20)")
    parser.add_argument("--people", type=int, default=10000, help="accounts; each books every session (10000)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4, as the Procfile)")
    parser.add_argument("--threads", type=int, default=4, help="threads a worker (default 4, as the Procfile)")
    parser.add_argument("--conn-max-age", type=int, help="the server's DATABASE_CONN_MAX_AGE (settings.prod's: 60)")
    parser.add_argument("--broker", default=DEFAULT_BROKER, help=f"Redis for the email queue ({DEFAULT_BROKER})")
    parser.add_argument("--close", action="store_true", help="a new connection a request, as nginx's default")
    parser.add_argument("--show-sql", action="store_true", help="print the SQL of one booking through Django")
    parser.add_argument(
        "--pgbench",
        choices=["replay", "decision"],
        default="replay",
        help="pgbench replays Django's statements for a booking (default), or only the deciding transaction",
    )
    parser.add_argument(
        "--floor", action="store_true", help="first serve requests that book nothing (request_floor.py), as a bound"
    )
    options = parser.parse_args()
    # `kill` stops the server as Ctrl-C does: SystemExit runs the `finally` blocks.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    # Here too the email goes to the broker on commit (with no broker, Celery would send it inside the request).
    os.environ["CELERY_BROKER_URL"] = options.broker
    url = _setup.configure(options)
    print(f"Machine: {_setup.machine_description()}, load average {_setup.STARTING_LOAD:.1f} at the start")
    try:
        queued_emails(options.broker, remove=False)
    except Exception as exc:  # whatever the connection error: say what to start
        raise SystemExit(f"No Redis at {options.broker} ({exc}): start redis-server or pass --broker.") from exc
    _setup.prepare_platform()
    offer = the_offer(options)
    captured = capture_bookings(offer, options.small_places)
    statements = [one.sql for one in captured.confirmed]
    kinds = collections.Counter(" ".join(sql.split()[: 2 if sql.startswith("SET") else 1]) for sql in statements)
    described = ", ".join(f"{n} {kind}" for kind, n in kinds.items())
    print(f"One booking through Django: {len(statements)} SQL statements and BEGIN, COMMIT ({described})")
    script = (
        replayed_script(offer, captured, options.clients)
        if options.pgbench == "replay"
        else decision_script(offer, options.clients)
    )
    if options.show_sql:
        print("\n".join(f"  {sql}" for sql in statements))
        print(f"pgbench's script (--pgbench {options.pgbench}):\n{script}")
    empty_bookings(offer.board)
    queued_emails(options.broker, remove=True)
    loads, database = [_setup.load_average()], postmaster()
    with tempfile.TemporaryDirectory(prefix="bench-booking-") as work:
        floors = floor_sides(offer, url, database, options, Path(work)) if options.floor else []
        print(
            f"HTTP: {options.clients} clients for {options.duration:.0f} s, gunicorn {options.workers} workers x "
            f"{options.threads} threads, settings.prod, CONN_MAX_AGE="
            f"{os.environ.get('DATABASE_CONN_MAX_AGE', 60) if options.conn_max_age is None else options.conn_max_age}, "
            f"{'a new connection a request' if options.close else 'keep-alive connections'} ...",
            flush=True,
        )
        with app_server(options, url, Path(work)) as (port, pid):
            web = http_side(offer, port, (pid, database), options)
        emails = queued_emails(options.broker, remove=True)
        web_check = check(offer.board)
        empty_bookings(offer.board)
        print(f"pgbench: {options.clients} clients for {options.duration:.0f} s ...", flush=True)
        sql = pgbench_side(offer, url, database, options, Path(work), script)
        sql_check = check(offer.board)

    in_script = statements_a_booking(script)

    def both(show: Callable[[Side, Check], str]) -> list[str]:
        return [show(web, web_check), show(sql, sql_check)]

    def cpu(key: str) -> Callable[[Side, Check], str]:
        return lambda side, _: f"{1000 * side.cpu[key] / max(side.made, 1):.2f} ms" if side.cpu[key] else "-"

    rows = [
        ["bookings made", *both(lambda side, _: str(side.made))],
        ["bookings a second", *both(lambda side, _: f"{side.rate:.1f}")],
        ["latency p50", *both(lambda side, _: f"{side.latency(0.5):.1f} ms")],
        ["latency p99", *both(lambda side, _: f"{side.latency(0.99):.1f} ms")],
        ["errors", *both(lambda side, _: str(len(side.errors)))],
        ["booked / waiting (database)", *both(lambda _, c: f"{c.booked} / {c.waiting}")],
        [f"sessions full (of {options.sessions})", *both(lambda _, c: str(c.full))],
        ["OVERBOOKED sessions (places over)", *both(lambda _, c: f"{c.overbooked} ({c.places_over})")],
        ["waiting lists not numbered 1..n", *both(lambda _, c: str(c.queues_broken))],
        ["waiting while a place is free", *both(lambda _, c: str(c.waiting_with_free))],
        ["SQL statements a booking", f"{len(statements) + 2} (BEGIN ... COMMIT)", f"{in_script} (BEGIN ... END)"],
        ["CPU a booking: load generator", *both(cpu("clients"))],
        ["CPU a booking: web server", *both(cpu("web"))],
        ["CPU a booking: PostgreSQL (all of it)", *both(cpu("database"))],
        ["machine's CPUs busy", *both(lambda side, _: f"{100 * side.cpu['busy'] / side.cpu['total']:.0f} %")],
    ]
    print(
        f"\nBooking with {options.clients} clients, {options.duration:.0f} s a side ({_setup.machine_description()}; "
        f"load average {loads[0]:.1f} before, {_setup.load_average():.1f} after, this benchmark's own included):"
    )
    _setup.print_table(["", "HTTP (gunicorn)", "pgbench (SQL)"], rows)
    print(f"Messages queued for the email worker during the HTTP side: {emails} (none sent inside a request)")
    for label, side in (("HTTP", web), ("pgbench", sql)):
        for error, n in collections.Counter(side.errors).most_common(5):
            print(f"  {label} error x{n}: {error}")
    ratio = web.rate / sql.rate if sql.rate else 0.0
    if floors:
        print_floors(floors, web, sql)
    met = ratio >= GOAL_RATIO
    overbooked = web_check.overbooked + sql_check.overbooked
    failed = web_check.failed or sql_check.failed
    print(f"Goal: HTTP rate >= {GOAL_RATIO} x pgbench's: {'met' if met else 'NOT met'} ({ratio:.2f} x)")
    print(f"Goal: 0 overbookings: {'met' if not overbooked else 'NOT met'}{' -- FAILURE' if failed else ''}")
    # Only the load before the timings tells of other work: during them this benchmark keeps both CPUs busy itself.
    warning = _setup.busy_warning(loads, own=1.0)
    if warning:
        print(warning)
    print(
        f"SUMMARY booking with {options.clients} clients: HTTP {web.rate:.0f}/s (p50 {web.latency(0.5):.0f} ms, "
        f"p99 {web.latency(0.99):.0f} ms), pgbench {sql.rate:.0f}/s (p50 {sql.latency(0.5):.1f} ms, p99 "
        f"{sql.latency(0.99):.1f} ms), ratio {ratio:.2f} -- {'goal met' if met else 'goal NOT met'}; "
        f"overbookings {overbooked}{' -- FAILURE' if failed else ''}"
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:  # the server was stopped on the way out
        sys.exit("Interrupted.")
