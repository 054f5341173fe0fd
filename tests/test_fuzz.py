"""Fuzzing the whole API with schemathesis, in-process through the WSGI application.

Every operation of the Leeds board host and of the platform host gets generated requests (valid and invalid),
sent with a real token (a Leeds coordinator on the Leeds host, platform staff on the platform host) and, where
the route has path parameters, a second time with the ids of real Leeds objects. The only things checked: no
5xx, and every 4xx carries the project's error body {"error": {"status", "code", "message", "fields"}}.

Bounded for CI: derandomized, a few dozen examples per operation, no Hypothesis database on disk.
Then a few hand-written malformed bodies, each of which must be a 400 a person can understand.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err

from conftest import World, api_client
from tenant_apps.strategy.models import Strategy
from tenants.cross_board import run_in_board
from tenants.models import Board
from tests.test_isolation_sweep import Target, create_leeds_objects, resolve_all

pytestmark = pytest.mark.django_db

# Examples per operation, per generation mode (valid and invalid data), per kind of id (generated and real).
MAX_EXAMPLES = 25
CONFIG = schemathesis.Config.from_dict({"generation": {"deterministic": True, "database": "none"}})
HYPOTHESIS = hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,  # nothing written to .hypothesis/
    deadline=None,
    print_blob=False,
    # Each example is a request through the database in this test's transaction: slow by Hypothesis' measure.
    suppress_health_check=[
        hypothesis.HealthCheck.too_slow,
        hypothesis.HealthCheck.function_scoped_fixture,
        hypothesis.HealthCheck.filter_too_much,
        hypothesis.HealthCheck.data_too_large,
        hypothesis.HealthCheck.large_base_example,
    ],
)
MIN_OPERATIONS = {"board": 10, "public": 8}
ERROR_KEYS = {"status", "code", "message", "fields"}


class InTransactionWSGI:
    """The project's WSGI application, run inside this test's transaction (rolled back at the end).

    Django closes the database connection at the start and end of each request; as Django's own test client
    does, keep it open for the request, so that the request sees the test world and its writes are undone.
    """

    def __init__(self) -> None:
        from lscb_platform.wsgi import application

        self.application = application

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        signals = (request_started, request_finished)
        connected = [signal.disconnect(close_old_connections) for signal in signals]
        try:
            response = self.application(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()  # sends request_finished while the connection is still kept open
        finally:
            for signal, was_connected in zip(signals, connected, strict=True):
                if was_connected:
                    signal.connect(close_old_connections)


@pytest.fixture
def in_process_wsgi(settings: Any, tmp_path: Path) -> Iterator[InTransactionWSGI]:
    # Generated requests upload real files (resources); the rows are rolled back, the files would stay.
    settings.MEDIA_ROOT = tmp_path / "media"
    yield InTransactionWSGI()
    cache.clear()  # the sign-in throttle's counts: leave none behind for other tests


def _token(user: Any) -> str:
    # Created directly: staff and board administrators need a second factor to sign in, not to hold a token.
    token, _ = Token.objects.get_or_create(user=user)
    return str(token.key)


def error_body_shape(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx has the project's error body, with a message a person can read."""
    if not 400 <= response.status_code < 500:
        return None
    try:
        body = json.loads(response.content)
    except ValueError as exc:
        raise AssertionError(f"{response.status_code} body is not JSON: {response.content[:200]!r}") from exc
    error = body.get("error") if isinstance(body, dict) else None
    assert isinstance(error, dict) and set(error) == ERROR_KEYS, f"not the error shape: {body!r:.300}"
    assert error["status"] == response.status_code, f"error.status {error['status']} != {response.status_code}"
    assert isinstance(error["message"], str) and error["message"].strip(), f"no message: {body!r:.300}"
    assert isinstance(error["code"], str) and error["code"], f"no code: {body!r:.300}"
    fields = error["fields"]
    assert isinstance(fields, dict), f"fields is not an object: {body!r:.300}"
    assert all(isinstance(m, list) and all(isinstance(x, str) for x in m) for m in fields.values()), body
    return True


CHECKS = [not_a_server_error, error_body_shape]


def fuzz(app: InTransactionWSGI, kind: str, host: str, tokens: list[str], targets: list[Target]) -> list[str]:
    """Fuzz every operation the host's schema lists; return what went wrong, one entry per operation and variant."""
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app, config=CONFIG, headers={"Host": host})
    real_ids = {(t.operation.method, t.operation.template): t.path_values for t in targets if t.path_values}
    failures: list[str] = []
    operations = 0

    def send(case: Any) -> None:
        for token in tokens:  # the next person only where the first is refused
            cache.clear()  # otherwise the sign-in throttle turns most sign-in examples into 429s
            # Each example starts from the same world, and a database error in one cannot poison the next.
            savepoint = transaction.savepoint()
            try:
                response = case.call_and_validate(
                    base_url=f"http://{host}", headers={"Host": host, "Authorization": f"Token {token}"}, checks=CHECKS
                )
            finally:
                transaction.savepoint_rollback(savepoint)
                # ROLLBACK TO keeps the savepoint open: without the release, every later example nests inside it
                # and PostgreSQL holds one lock per example until the test ends ("out of shared memory").
                transaction.savepoint_commit(savepoint)
            if response.status_code != 403:
                return

    for result in schema.get_all_operations():
        if isinstance(result, Err):
            failures.append(f"schemathesis cannot read an operation of the {kind} schema: {result.err()}")
            continue
        operation = result.ok()
        operations += 1
        ids = real_ids.get((operation.method.upper(), operation.path))
        for path_parameters, label in [(None, "generated ids"), *([(ids, "Leeds ids")] if ids else [])]:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                strategy = operation.as_strategy(mode, path_parameters=path_parameters)
                test = HYPOTHESIS(hypothesis.given(case=strategy)(send))
                try:
                    test()
                except Unsatisfiable:
                    continue  # nothing here can be made invalid (no body or query, and any string is a valid id)
                except Exception as exc:
                    failures.append(f"{operation.label} ({mode.value} data, {label}) on {host}:\n{exc}")
    assert operations >= MIN_OPERATIONS[kind], f"only {operations} operations in the {kind} schema"
    return failures


def test_the_board_api_never_answers_with_a_server_error_or_a_shapeless_error(
    world: World, in_process_wsgi: InTransactionWSGI
) -> None:
    create_leeds_objects(world)
    # The coordinator; where a route is for board administrators only, the administrator as well.
    tokens = [_token(world.user("coordinator", "leeds")), _token(world.user("board_admin", "leeds"))]
    failures = fuzz(in_process_wsgi, "board", world.host("leeds"), tokens, resolve_all("board", world))
    assert not failures, "\n\n".join(failures)


def test_the_platform_api_never_answers_with_a_server_error_or_a_shapeless_error(
    world: World, in_process_wsgi: InTransactionWSGI
) -> None:
    create_leeds_objects(world)
    tokens = [_token(world.users["staff"])]
    failures = fuzz(in_process_wsgi, "public", settings.PLATFORM_HOST, tokens, resolve_all("public", world))
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("kind", ["board", "public"])
def test_paging_far_beyond_the_last_row_is_never_a_server_error(world: World, kind: str) -> None:
    """Hypothesis rarely tries integers past PostgreSQL's bigint; a `limit` of 10**20 once was a 500."""
    create_leeds_objects(world)
    host = world.host("leeds") if kind == "board" else settings.PLATFORM_HOST
    user = world.user("board_admin", "leeds") if kind == "board" else world.users["staff"]
    client = api_client(user, host)
    lists = [t.path for t in resolve_all(kind, world) if t.operation.method == "GET" and t.operation.in_schema]
    huge = str(10**20)
    answers = {
        f"{path}?{query}": client.get(path, dict(pair.split("=") for pair in query.split("&"))).status_code
        for path in lists
        for query in (f"limit={huge}", f"offset={huge}", f"limit={huge}&offset={huge}", "limit=-1&offset=-1")
    }
    assert len(answers) >= 8
    assert not {url: status for url, status in answers.items() if status >= 500}


# ---------------------------------------------------------------------------------------------------------------
# Malformed bodies, by hand: each a 400 that says what is wrong, and nothing saved.
# ---------------------------------------------------------------------------------------------------------------

VALID_STRATEGY = {
    "title": "Learning and development strategy 2024-27",
    "period_start": "2024-04-01",
    "period_end": "2027-03-31",
    "status": "draft",
}
VALID_BOARD = {"slug": "wakefield", "name": "Wakefield Safeguarding Children Partnership", "kind": "children"}


def malformed_bodies(valid: dict[str, Any], *, text: str, long_text: str, choice: str) -> dict[str, str | bytes]:
    """Bodies that are wrong in one way each, built from a valid one."""

    def changed(**fields: Any) -> str:
        return json.dumps({**valid, **fields})

    return {
        "a number for a text field": changed(**{text: 12345}),
        "a list for a text field": changed(**{text: ["a", "list"]}),
        "an object for a text field": changed(**{text: {"en": "text"}}),
        "a boolean for a choice": changed(**{choice: True}),
        "a choice that does not exist": changed(**{choice: "nonsense"}),
        "null for a required field": changed(**{text: None}),
        "a NUL byte in a string": changed(**{text: "before\x00after"}),
        "a 1 MB string": changed(**{text: "x" * 1_000_000}),
        "a 1 MB string in a long text field": changed(**{long_text: "x" * 1_000_000}),
        "an unknown field": changed(typo_of_a_field="value"),
        "a JSON array": json.dumps([valid]),
        "a JSON string": json.dumps("a string"),
        "a JSON number": "42",
        "JSON null": "null",
        "invalid JSON": '{"title": "unterminated',
        "JSON nested 100,000 deep": "[" * 100_000 + "]" * 100_000,
        "bytes that are not UTF-8": b'{"title": "\xff\xfe"}',
        "an empty body": "",
    }


STRATEGY_BODIES = malformed_bodies(VALID_STRATEGY, text="title", long_text="aims", choice="status")
BOARD_BODIES = malformed_bodies(VALID_BOARD, text="name", long_text="description", choice="kind")
STRATEGY_BODIES["a date that is not a date"] = json.dumps({**VALID_STRATEGY, "period_start": "2024-02-30"})
STRATEGY_BODIES["a date as an object"] = json.dumps({**VALID_STRATEGY, "period_start": {"year": 2024}})
STRATEGY_BODIES["a number out of range"] = json.dumps({**VALID_STRATEGY, "review_cycle_months": 10**30})
BOARD_BODIES["a slug that is not a web address"] = json.dumps({**VALID_BOARD, "slug": "Not A Slug/../"})


def _assert_understandable_400(response: Any, case: str) -> None:
    assert response.status_code == 400, f"{case}: {response.status_code} {response.content[:300]!r}"
    error = response.json()["error"]
    assert set(error) == ERROR_KEYS and error["status"] == 400 and error["code"], f"{case}: {error}"
    text = " ".join([error["message"], *[m for msgs in error["fields"].values() for m in msgs]])
    assert len(error["message"]) > 10, f"{case}: {error}"
    # A person can act on it: no Python internals, and no echo of a megabyte of input.
    for internal in ("Traceback", "Exception", "object at 0x", "NoneType", "codec"):
        assert internal not in text, f"{case}: {text[:300]}"
    assert len(text) < 2000, f"{case}: the message echoes the input ({len(text)} characters)"


@pytest.mark.parametrize("case", sorted(STRATEGY_BODIES))
def test_a_malformed_strategy_is_refused_with_a_readable_400(world: World, case: str) -> None:
    client = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
    before = run_in_board(world.boards["leeds"], Strategy.objects.count)

    response = client.generic("POST", "/api/v1/strategies/", STRATEGY_BODIES[case], content_type="application/json")

    _assert_understandable_400(response, case)
    assert run_in_board(world.boards["leeds"], Strategy.objects.count) == before


@pytest.mark.parametrize("case", sorted(BOARD_BODIES))
def test_a_malformed_board_is_refused_with_a_readable_400(world: World, case: str) -> None:
    client = api_client(world.users["staff"], settings.PLATFORM_HOST)
    before = Board.objects.count()

    response = client.generic("POST", "/api/v1/boards/", BOARD_BODIES[case], content_type="application/json")

    _assert_understandable_400(response, case)
    assert Board.objects.count() == before


def test_the_valid_bodies_the_malformed_ones_start_from_are_accepted(world: World) -> None:
    coordinator = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
    staff = api_client(world.users["staff"], settings.PLATFORM_HOST)
    assert coordinator.post("/api/v1/strategies/", VALID_STRATEGY, format="json").status_code == 201
    assert staff.post("/api/v1/boards/", VALID_BOARD, format="json").status_code == 201
