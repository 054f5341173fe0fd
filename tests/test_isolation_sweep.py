"""The isolation sweep: every API operation, called with real Leeds ids by people who have no role in Leeds.

The operations come from the OpenAPI schema each host serves, so a route added later is swept without
editing this file. Path parameters are filled generically: the concrete URL is resolved against the host's
urlconf to find the view, and the view's own queryset and lookup field give the id of a Leeds object. When
that cannot be done the sweep fails and says what to add; it never skips a route.

What may come back:
- on the Leeds host (by subdomain or by subfolder), to each Croydon role and to a person with no roles: 403/404;
  to an anonymous caller: 401/403/404;
- on the Croydon host, with Leeds ids, to each Croydon role: 403/404;
- on the platform host, likewise for the platform's own routes;
- except the routes in OPEN_ROUTES (public information, or the caller's own data), whose answers are checked
  for data the caller should not see instead.
Unsafe methods are sent with a JSON body (empty, and one that would pass validation) and must change nothing.
"""

from __future__ import annotations

import importlib
import itertools
import json
import pkgutil
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db.models import ForeignKey, Model
from django.urls import Resolver404, resolve
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from conftest import ROLES, World, api_client
from tenants.cross_board import run_in_board
from tenants.models import Board
from tests import sweep_objects

pytestmark = pytest.mark.django_db

BOARD_URLCONF = "lscb_platform.urls"
PUBLIC_URLCONF = "lscb_platform.urls_public"
METHODS = ("get", "post", "put", "patch", "delete")
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The schema held this many operations when the sweep was written; fewer means the sweep saw too little.
MIN_OPERATIONS = {"board": 10, "public": 8}
MIN_OPERATIONS_WITH_IDS = {"board": 4, "public": 2}
# Served by every host but left out of the schema (SERVE_INCLUDE_SCHEMA is off); swept as GETs all the same.
UNDOCUMENTED_GETS = ("/api/schema/", "/api/docs/", "/api/redoc/")
# Path parameters the generic resolution cannot derive: {URL keyword: Leeds object (None if the view has no
# model) -> value}. Add an entry when the sweep asks for one, e.g. a parent id named unlike the model's field.
PATH_PARAMETER_RESOLVERS: dict[str, Callable[[Model | None], Any]] = {}

CROYDON_CALLERS = [f"{role}@croydon" for role in ROLES]
NO_LEEDS_ROLE_CALLERS = [*CROYDON_CALLERS, "outsider", "anonymous"]
PUBLIC_BOARD_FIELDS = {"slug", "name", "kind", "self_term", "region", "description", "brand_colour", "domain"}
AGENCY_FIELDS = {"id", "name", "agency_type", "email", "is_active"}
CANARY = "LEEDS-ONLY-7c1e"


# ---------------------------------------------------------------------------------------------------------------
# Open routes: the allow-list. Each entry says why the route may answer 2xx to someone with no Leeds role,
# and checks that the answer holds nothing the caller should not see.
# ---------------------------------------------------------------------------------------------------------------


def _json(response: Any) -> Any:
    try:
        return json.loads(response.content or b"null")
    except ValueError:
        return None


def _rows(body: Any) -> list[Any]:
    if isinstance(body, dict) and isinstance(body.get("results"), list):
        return list(body["results"])
    return body if isinstance(body, list) else [body]


def _only_fields(allowed: set[str]) -> Callable[[Any, Any, Board], str | None]:
    def check(response: Any, caller: Any, leeds: Board) -> str | None:
        for row in _rows(_json(response)):
            if not isinstance(row, dict) or not set(row) <= allowed:
                return f"returned fields beyond the public ones {sorted(allowed)}: {row!r:.300}"
        return None

    return check


def _own_account(response: Any, caller: Any, leeds: Board) -> str | None:
    body = _json(response)
    if not isinstance(body, dict) or body.get("email") != caller.email:
        return f"did not return the caller's own account: {body!r:.300}"
    if any(m.get("board") == leeds.slug for m in body.get("memberships", [])):
        return "listed a Leeds membership for someone who has none"
    return None


def _no_token_issued(response: Any, caller: Any, leeds: Board) -> str | None:
    body = _json(response)
    return "issued a token for made-up credentials" if isinstance(body, dict) and "token" in body else None


def _no_data(response: Any, caller: Any, leeds: Board) -> str | None:
    return None  # the canary check applied to every answer is the check here


def _refused_without_a_valid_link(response: Any, caller: Any, leeds: Board) -> str | None:
    # Only called on a 2xx: the sweep never holds a real link token, so any 2xx took answers it should not have.
    return f"took answers without a valid link token: {response.content[:300]!r}"


def _catalogue_of_the_board_served(response: Any, caller: Any, leeds: Board) -> str | None:
    """Catalogue answers hold only the answering board's published courses and scheduled sessions to come."""
    from tenant_apps.offer.selectors import CatalogueFilters, catalogue_sessions, published_courses

    board = getattr(response.wsgi_request, "tenant", None)
    if not isinstance(board, Board) or board.is_system:
        return f"answered outside a board: {response.content[:300]!r}"

    def public_ids() -> tuple[set[str], set[str]]:
        sessions = {str(pk) for pk in catalogue_sessions(CatalogueFilters()).values_list("pk", flat=True)}
        return sessions, {str(pk) for pk in published_courses().values_list("pk", flat=True)}

    sessions, courses = run_in_board(board, public_ids)
    for row in _rows(_json(response)):
        if not isinstance(row, dict):
            return f"not a catalogue row: {row!r:.300}"
        listed = [row] if "course" in row else row.get("sessions", [])
        course_ids = [row["course"]["id"] if "course" in row else row.get("id")]
        if any(str(s.get("id")) not in sessions for s in listed) or any(str(c) not in courses for c in course_ids):
            return f"showed a course or session that is not in {board.slug}'s public catalogue: {row!r:.300}"
    return None


def _own_rows(model_label: str, owner: str) -> Callable[[Any, Any, Board], str | None]:
    """Every row in the answer is one of the caller's own (`owner` is the path from the model to the user)."""

    def check(response: Any, caller: Any, leeds: Board) -> str | None:
        from django.apps import apps

        own = {
            str(pk) for pk in apps.get_model(model_label).objects.filter(**{owner: caller}).values_list("pk", flat=True)
        }
        for row in _rows(_json(response)):
            if not isinstance(row, dict) or str(row.get("id")) not in own:
                return f"returned a {model_label} row that is not the caller's own: {row!r:.300}"
        return None

    return check


def _own_bookings(response: Any, caller: Any, leeds: Board) -> str | None:
    """Every booking in the answer is the caller's own, with the board that answered."""
    from tenant_apps.booking.models import Booking

    board = getattr(response.wsgi_request, "tenant", None)
    if not isinstance(board, Board) or board.is_system:
        return f"answered outside a board: {response.content[:300]!r}"
    own = run_in_board(
        board, lambda: {str(pk) for pk in Booking.objects.filter(user=caller).values_list("pk", flat=True)}
    )
    for row in _rows(_json(response)):
        if not isinstance(row, dict) or str(row.get("id")) not in own:
            return f"returned a booking that is not the caller's own: {row!r:.300}"
    return None


def _own_agencies_fees(response: Any, caller: Any, leeds: Board) -> str | None:
    """Every fee in the answer is one raised against an agency the caller is a finance contact for."""
    from shared_apps.payments.models import FeeEntry
    from shared_apps.payments.selectors import finance_agencies

    agencies = [agency.pk for agency in finance_agencies(caller.pk)]
    own = {str(pk) for pk in FeeEntry.objects.filter(agency_id__in=agencies).values_list("fee_id", flat=True)}
    for row in _rows(_json(response)):
        if not isinstance(row, dict) or str(row.get("id")) not in own:
            return f"returned a fee of an agency the caller does not pay for: {row!r:.300}"
    return None


ANYONE, SIGNED_IN = True, False


@dataclass(frozen=True)
class Open:
    anonymous: bool
    check: Callable[[Any, Any, Board], str | None]
    reason: str


_board = _only_fields(PUBLIC_BOARD_FIELDS)
_agency = _only_fields(AGENCY_FIELDS)
# (urlconf, method, path template): who may have a 2xx, what the answer must not hold, and why it is open.
OPEN_ROUTES: dict[tuple[str, str, str], Open] = {
    ("board", "GET", "/api/v1/board/"): Open(ANYONE, _board, "the board's public name and description"),
    ("public", "GET", "/api/v1/agency-fees/"): Open(
        SIGNED_IN, _own_agencies_fees, "the fees of the agencies the caller is a finance contact for, in any board"
    ),
    ("public", "GET", "/api/v1/boards/"): Open(ANYONE, _board, "the board directory is public"),
    ("public", "GET", "/api/v1/boards/{slug}/"): Open(ANYONE, _board, "one entry of the public board directory"),
    ("public", "GET", "/api/v1/agencies/"): Open(SIGNED_IN, _agency, "agencies are reference data"),
    ("public", "GET", "/api/v1/agencies/{id}/"): Open(SIGNED_IN, _agency, "agencies are reference data"),
    ("board", "GET", "/api/v1/me/"): Open(SIGNED_IN, _own_account, "the caller's own account and roles"),
    ("public", "GET", "/api/v1/me/"): Open(SIGNED_IN, _own_account, "the caller's own account and roles"),
    ("board", "POST", "/api/v1/auth/token/"): Open(ANYONE, _no_token_issued, "sign-in: about the credentials sent"),
    ("public", "POST", "/api/v1/auth/token/"): Open(ANYONE, _no_token_issued, "sign-in: about the credentials sent"),
    ("board", "POST", "/api/v1/needs-audit-responses/"): Open(
        ANYONE, _refused_without_a_valid_link, "agencies answer a needs audit by the token in their emailed link"
    ),
    ("board", "GET", "/api/v1/catalogue/sessions/"): Open(
        ANYONE, _catalogue_of_the_board_served, "the board's public catalogue of training to come"
    ),
    ("board", "GET", "/api/v1/catalogue/courses/{id}/"): Open(
        ANYONE, _catalogue_of_the_board_served, "a published course of the board's public catalogue"
    ),
    # Anyone signed in books any board's sessions with one account, and sees their own bookings there.
    ("board", "GET", "/api/v1/bookings/"): Open(SIGNED_IN, _own_bookings, "the caller's own bookings"),
    ("board", "POST", "/api/v1/bookings/"): Open(SIGNED_IN, _own_bookings, "booking a place for oneself"),
    # The trainer portal's "my ..." routes: a trainer serves several boards with one account, so these answer on
    # the platform host with the caller's own rows, whatever boards they hold roles in.
    **{
        ("public", method, path): Open(SIGNED_IN, _own_rows(model, owner), reason)
        for method, path, model, owner, reason in (
            ("GET", "/api/v1/trainer-profiles/me/", "trainers.TrainerProfile", "user", "the caller's trainer profile"),
            ("PUT", "/api/v1/trainer-profiles/me/", "trainers.TrainerProfile", "user", "the caller's trainer profile"),
            (
                "GET",
                "/api/v1/trainer-assignments/",
                "trainers.TrainerAssignment",
                "trainer__user",
                "the caller's own sessions in every board",
            ),
            ("GET", "/api/v1/trainer-blackouts/", "trainers.Blackout", "trainer__user", "the caller's dates away"),
            ("POST", "/api/v1/trainer-blackouts/", "trainers.Blackout", "trainer__user", "the caller's dates away"),
            ("GET", "/api/v1/trainer-services/", "trainers.BoardService", "trainer__user", "the caller's offers"),
            ("POST", "/api/v1/trainer-services/", "trainers.BoardService", "trainer__user", "the caller's offers"),
        )
    },
    **{
        (kind, "GET", path): Open(ANYONE, _no_data, "the API description: routes and field names, no data")
        for kind in ("board", "public")
        for path in UNDOCUMENTED_GETS
    },
}


# ---------------------------------------------------------------------------------------------------------------
# Reading the schema and resolving real ids
# ---------------------------------------------------------------------------------------------------------------


class Unresolvable(Exception):
    """A route the sweep cannot fill with a real Leeds id; the message says which and what to add."""


@dataclass
class Operation:
    kind: str  # "board" or "public": which urlconf serves it
    method: str
    template: str
    params: list[str] = field(default_factory=list)
    body_schema: dict[str, Any] | None = None
    in_schema: bool = True


@dataclass
class Target:
    operation: Operation
    path: str  # with the Leeds ids filled in
    model: type[Model] | None = None
    obj: Model | None = None
    path_values: dict[str, str] = field(default_factory=dict)  # {schema parameter: Leeds value}


def _schema(host: str) -> dict[str, Any]:
    response = api_client(None, host).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200, f"the schema on {host} answered {response.status_code}"
    schema: dict[str, Any] = json.loads(response.content)
    return schema


def _deref(schema: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def operations(kind: str, schema: dict[str, Any]) -> list[Operation]:
    found = []
    for template, item in sorted(schema["paths"].items()):
        for method in METHODS:
            spec = item.get(method)
            if spec is None:
                continue
            params = sorted(
                {p["name"] for p in [*item.get("parameters", []), *spec.get("parameters", [])] if p.get("in") == "path"}
            )
            content = (spec.get("requestBody") or {}).get("content", {})
            body = content.get("application/json", {}).get("schema")
            found.append(Operation(kind, method.upper(), template, params, _deref(schema, body) if body else None))
    found += [Operation(kind, "GET", path, in_schema=False) for path in UNDOCUMENTED_GETS]
    return found


def _attribute(obj: Any, dotted: str) -> Any:
    for part in dotted.split("__"):
        obj = getattr(obj, part)
    return obj


def _view_for(match: Any, method: str, kwargs: dict[str, Any], user: Any, board: Board | None) -> Any:
    """The view the router would build for this request, without running it (for its queryset)."""
    django_request = APIRequestFactory().generic(method, "/")
    django_request.tenant = board  # type: ignore[attr-defined]
    request = Request(django_request)
    request.user = user
    view = match.func.cls(**getattr(match.func, "initkwargs", {}))
    view.request, view.args, view.kwargs, view.format_kwarg, view.headers = request, (), kwargs, None, {}
    actions = getattr(match.func, "actions", None)
    if actions:
        view.action_map = actions
        view.action = actions.get(method.lower())
    return view


def _resolve_template(op: Operation, urlconf: str) -> tuple[Any, dict[str, str]]:
    """Resolve the route with stand-in values; return the match and {schema parameter: URL keyword}."""
    families: list[Callable[[int], str]] = [
        lambda i: f"sweep{i}x",
        lambda i: str(9000 + i),
        lambda i: f"00000000-0000-4000-8000-{i:012d}",
    ]
    for family in families:
        stand_ins = {name: family(i) for i, name in enumerate(op.params)}
        try:
            match = resolve(_fill(op.template, stand_ins), urlconf)
        except Resolver404:
            continue
        by_value = {str(value): key for key, value in match.kwargs.items()}
        if all(value in by_value for value in stand_ins.values()):
            return match, {name: by_value[value] for name, value in stand_ins.items()}
    raise Unresolvable(
        f"{op.method} {op.template}: no concrete URL for its path parameters {op.params} resolves against "
        f"{urlconf}. Teach _resolve_template another kind of stand-in value for this converter."
    )


def _leeds_rows(model: type[Model], leeds: Board) -> Any:
    rows = model._default_manager.all()
    if model is Board:
        return rows.filter(pk=leeds.pk)
    to_board = [f.name for f in model._meta.concrete_fields if isinstance(f, ForeignKey) and f.related_model is Board]
    if to_board:
        rows = rows.filter(**{to_board[0]: leeds})
    return rows.order_by("pk")


def _model_of(match: Any, op: Operation, users: list[Any], leeds: Board | None) -> type[Model] | None:
    for user in users:
        view = _view_for(match, op.method, dict(match.kwargs), user, leeds)
        try:
            model: type[Model] = view.get_queryset().model
        except Exception:  # noqa: S112 (a view may need real kwargs or another role: try the next person)
            continue
        return model
    queryset = getattr(match.func.cls, "queryset", None)
    return getattr(queryset, "model", None)


def resolve_target(op: Operation, world: World) -> Target:
    leeds = world.boards["leeds"]
    urlconf = BOARD_URLCONF if op.kind == "board" else PUBLIC_URLCONF
    leeds_people = [world.user(role, "leeds") for role in ROLES]
    users = leeds_people if op.kind == "board" else [world.users["staff"], *leeds_people]
    request_board = leeds if op.kind == "board" else None

    def work() -> Target:
        match, keyword_for = _resolve_template(op, urlconf)
        if not hasattr(match.func, "cls"):
            if op.params:
                raise Unresolvable(f"{op.method} {op.template}: its view is not a DRF view, so it has no queryset.")
            return Target(op, op.template)
        model = _model_of(match, op, users, request_board)
        if not op.params:
            return Target(op, op.template, model)
        if model is None and set(match.kwargs) <= set(PATH_PARAMETER_RESOLVERS):
            values = {name: str(PATH_PARAMETER_RESOLVERS[keyword](None)) for name, keyword in keyword_for.items()}
            return Target(op, _fill(op.template, values), None, None, values)
        if model is None:
            raise Unresolvable(
                f"{op.method} {op.template}: path parameters {op.params} but the view "
                f"{match.func.cls.__name__} has no queryset or get_queryset() to find a Leeds object with. "
                "Give it one, or add the parameter to PATH_PARAMETER_RESOLVERS."
            )
        probe = _view_for(match, op.method, dict(match.kwargs), users[0], request_board)
        lookup_field = getattr(probe, "lookup_field", "pk")
        lookup_kwarg = getattr(probe, "lookup_url_kwarg", None) or lookup_field
        for obj in _leeds_rows(model, leeds)[:100]:
            kwargs = {}
            for keyword in match.kwargs:
                if keyword == lookup_kwarg:
                    kwargs[keyword] = _attribute(obj, lookup_field)
                elif keyword in PATH_PARAMETER_RESOLVERS:
                    kwargs[keyword] = PATH_PARAMETER_RESOLVERS[keyword](obj)
                else:
                    guesses = [keyword, keyword.removesuffix("_pk") + "_id", keyword.removesuffix("_slug") + "__slug"]
                    found = [g for g in guesses if _has_attribute(obj, g)]
                    if not found:
                        raise Unresolvable(
                            f"{op.method} {op.template}: cannot derive the path parameter {keyword!r} from a "
                            f"{model.__name__}. Add {keyword!r} to PATH_PARAMETER_RESOLVERS in this file."
                        )
                    kwargs[keyword] = _attribute(obj, found[0])
            kwargs = {key: str(value) for key, value in kwargs.items()}
            for user in users:
                view = _view_for(match, op.method, kwargs, user, request_board)
                try:
                    visible = view.get_queryset().filter(**{lookup_field: kwargs[lookup_kwarg]}).exists()
                except Exception:  # noqa: S112 (this person may not reach the queryset: try the next)
                    continue
                if visible:
                    values = {name: kwargs[keyword] for name, keyword in keyword_for.items()}
                    return Target(op, _fill(op.template, values), model, obj, values)
        raise Unresolvable(
            f"{op.method} {op.template}: no Leeds {model._meta.label} that a Leeds person can reach through this "
            "route. Create one in create_leeds_objects() in tests/test_isolation_sweep.py."
        )

    return run_in_board(leeds, work) if op.kind == "board" else work()


def _fill(template: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template


def _has_attribute(obj: Any, dotted: str) -> bool:
    try:
        _attribute(obj, dotted)
    except Exception:
        return False
    return True


def resolve_all(kind: str, world: World) -> list[Target]:
    host = world.host("leeds") if kind == "board" else settings.PLATFORM_HOST
    ops = operations(kind, _schema(host))
    targets, problems = [], []
    for op in ops:
        try:
            targets.append(resolve_target(op, world))
        except Unresolvable as exc:
            problems.append(str(exc))
    if problems:
        pytest.fail("The isolation sweep cannot fill these routes with Leeds ids:\n" + "\n".join(problems))
    in_schema = [t for t in targets if t.operation.in_schema]
    assert len(in_schema) >= MIN_OPERATIONS[kind], f"only {len(in_schema)} {kind} operations in the schema"
    assert len([t for t in in_schema if t.operation.params]) >= MIN_OPERATIONS_WITH_IDS[kind]
    return targets


# ---------------------------------------------------------------------------------------------------------------
# Bodies for unsafe methods: empty, and one shaped like a valid request, so that a missing permission check
# would show up as a 2xx (and a change) rather than hide behind a 400.
# ---------------------------------------------------------------------------------------------------------------


def _string(spec: dict[str, Any], dates: Iterator[int]) -> str:
    fmt = spec.get("format")
    day = date(2031, 4, 1) + timedelta(days=400 * next(dates))  # each date field later than the one before
    by_format = {
        "date": day.isoformat(),
        "date-time": f"{day.isoformat()}T09:00:00Z",
        "email": "sweep@example.test",
        "uuid": str(uuid.uuid4()),
        "uri": "https://example.test/",
    }
    if fmt in by_format:
        return by_format[fmt]
    pattern = spec.get("pattern")
    for candidate in ("sweep", "sweep-1", "#336699", "1", "SW1A 1AA"):
        if pattern is None or re.search(pattern, candidate):
            return candidate[: spec.get("maxLength", 200)]
    return "sweep"


def plausible_body(schema: dict[str, Any], spec: Any, dates: Iterator[int] | None = None) -> Any:
    dates = dates or itertools.count()
    spec = _deref(schema, spec) or {}
    for combined in ("allOf", "oneOf", "anyOf"):
        if combined in spec:
            return plausible_body(schema, spec[combined][0], dates)
    if "enum" in spec:
        return next((value for value in spec["enum"] if value is not None), None)
    kind = spec.get("type", "object")
    if kind == "object":
        properties = spec.get("properties", {})
        return {
            name: plausible_body(schema, prop, dates)
            for name, prop in properties.items()
            if not _deref(schema, prop).get("readOnly")
        }
    if kind == "string":
        return _string(spec, dates)
    if kind == "integer":
        return max(int(spec.get("minimum", 1)), 1)
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return False
    return []


# ---------------------------------------------------------------------------------------------------------------
# Leeds objects, and proof that nothing about them changed
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class LeedsObjects:
    canaries: list[str]


def create_leeds_objects(world: World) -> LeedsObjects:
    """One Leeds object per model the routes serve, made by the modules of `tests/sweep_objects/`.

    A route added later whose model has no Leeds object makes the sweep fail and point there.
    """

    def make() -> list[str]:
        ids = [CANARY]
        for module_info in pkgutil.iter_modules(sweep_objects.__path__):
            module = importlib.import_module(f"{sweep_objects.__name__}.{module_info.name}")
            ids.extend(module.make(world, CANARY))
        return ids

    return LeedsObjects(canaries=run_in_board(world.boards["leeds"], make))


@pytest.fixture
def leeds_objects(world: World) -> Iterator[LeedsObjects]:
    cache.clear()  # the sign-in throttle counts per process; leave none of this sweep's attempts behind
    yield create_leeds_objects(world)
    cache.clear()


def _snapshot(targets: list[Target], world: World) -> dict[str, Any]:
    def take(kind: str) -> dict[str, Any]:
        state: dict[str, Any] = {}
        for target in targets:
            if target.operation.kind != kind:
                continue
            if target.model is not None:
                state[f"rows of {target.model._meta.label}"] = target.model._default_manager.count()
            if target.obj is not None:
                fresh = type(target.obj)._default_manager.filter(pk=target.obj.pk).values().first()
                state[f"{target.obj._meta.label} {target.obj.pk}"] = fresh
        return state

    return {**run_in_board(world.boards["leeds"], lambda: take("board")), **take("public")}


# ---------------------------------------------------------------------------------------------------------------
# The sweep
# ---------------------------------------------------------------------------------------------------------------


def _caller(world: World, name: str) -> Any:
    if name == "anonymous":
        return None
    if name in world.users:
        return world.users[name]
    role, board = name.split("@")
    return world.user(role, board)


def _bodies(target: Target, schema: dict[str, Any]) -> list[Any]:
    if target.operation.method not in UNSAFE:
        return [None]
    bodies: list[Any] = [{}]
    if target.operation.body_schema:
        bodies.append(plausible_body(schema, target.operation.body_schema))
    return bodies


def _judge(target: Target, caller_name: str, caller: Any, response: Any, canaries: list[str], leeds: Board) -> str:
    """Empty when the answer is acceptable, else what is wrong with it."""
    op = target.operation
    status = response.status_code
    for canary in canaries:
        if canary.encode() in response.content:
            return f"{status} with Leeds data in the body ({canary!r}): {response.content[:300]!r}"
    if status >= 500:
        return f"server error {status}"
    open_route = OPEN_ROUTES.get((op.kind, op.method, op.template))
    if open_route is not None and (caller is not None or open_route.anonymous):
        if 200 <= status < 300:
            return open_route.check(response, caller, leeds) or ""
        return ""
    allowed = {401, 403, 404} if caller is None else {403, 404}
    if status not in allowed:
        return f"{status}, expected one of {sorted(allowed)}: {response.content[:300]!r}"
    body = _json(response)
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or error.get("status") != status:
        return f"{status} without the project's error body: {response.content[:300]!r}"
    return ""


def sweep(
    world: World, kind: str, host: str, prefix: str, caller_name: str, canaries: list[str], *, only_with_ids: bool
) -> list[str]:
    targets = resolve_all(kind, world)
    schema_host = world.host("leeds") if kind == "board" else settings.PLATFORM_HOST
    schema = _schema(schema_host)
    caller = _caller(world, caller_name)
    client = api_client(caller, host)
    before = _snapshot(targets, world)
    failures, exercised = [], 0
    for target in targets:
        if only_with_ids and not target.operation.params:
            continue
        for body in _bodies(target, schema):
            method = target.operation.method
            url = prefix + target.path
            if body is None:
                response = client.generic(method, url)
            else:
                response = client.generic(method, url, json.dumps(body), content_type="application/json")
            exercised += 1
            problem = _judge(target, caller_name, caller, response, canaries, world.boards["leeds"])
            if problem:
                sent = "" if body is None else f" with {json.dumps(body)[:120]}"
                failures.append(f"{method} {url}{sent} as {caller_name} on {host}: {problem}")
    after = _snapshot(targets, world)
    changed = [f"{key}: {before[key]!r} -> {after.get(key)!r}" for key in before if before[key] != after.get(key)]
    failures += [f"changed by requests from {caller_name}: {change}" for change in changed]
    assert exercised >= (MIN_OPERATIONS_WITH_IDS if only_with_ids else MIN_OPERATIONS)[kind]
    return failures


@pytest.mark.parametrize("via", ["subdomain", "subfolder"])
@pytest.mark.parametrize("caller_name", NO_LEEDS_ROLE_CALLERS)
def test_the_leeds_host_refuses_everyone_without_a_leeds_role(
    world: World, leeds_objects: LeedsObjects, caller_name: str, via: str
) -> None:
    host, prefix = (world.host("leeds"), "") if via == "subdomain" else (settings.PLATFORM_HOST, "/t/leeds")
    failures = sweep(world, "board", host, prefix, caller_name, leeds_objects.canaries, only_with_ids=False)
    assert not failures, "Leeds answered someone without a Leeds role:\n" + "\n".join(failures)


@pytest.mark.parametrize("via", ["subdomain", "subfolder"])
@pytest.mark.parametrize("caller_name", CROYDON_CALLERS)
def test_a_leeds_id_never_resolves_on_the_croydon_host(
    world: World, leeds_objects: LeedsObjects, caller_name: str, via: str
) -> None:
    host, prefix = (world.host("croydon"), "") if via == "subdomain" else (settings.PLATFORM_HOST, "/t/croydon")
    failures = sweep(world, "board", host, prefix, caller_name, leeds_objects.canaries, only_with_ids=True)
    assert not failures, "Croydon reached a Leeds object:\n" + "\n".join(failures)


@pytest.mark.parametrize("caller_name", NO_LEEDS_ROLE_CALLERS)
def test_the_platform_host_refuses_everyone_but_platform_staff(
    world: World, leeds_objects: LeedsObjects, caller_name: str
) -> None:
    failures = sweep(
        world, "public", settings.PLATFORM_HOST, "", caller_name, leeds_objects.canaries, only_with_ids=False
    )
    assert not failures, "The platform host answered someone it should not have:\n" + "\n".join(failures)


def test_croydon_lists_on_the_croydon_host_hold_no_leeds_rows(world: World, leeds_objects: LeedsObjects) -> None:
    targets = [t for t in resolve_all("board", world) if t.operation.method == "GET" and not t.operation.params]
    leaks = []
    for role in ROLES:
        client = api_client(world.user(role, "croydon"), world.host("croydon"))
        for target in targets:
            response = client.get(target.path)
            leaks += [
                f"GET {target.path} as {role}@croydon: {canary!r}"
                for canary in leeds_objects.canaries
                if canary.encode() in response.content
            ]
    assert not leaks, "Leeds data on the Croydon host:\n" + "\n".join(leaks)


def test_every_open_route_names_a_route_that_exists(world: World, leeds_objects: LeedsObjects) -> None:
    swept = {
        (t.operation.kind, t.operation.method, t.operation.template)
        for kind in ("board", "public")
        for t in resolve_all(kind, world)
    }
    stale = sorted(set(OPEN_ROUTES) - swept)
    assert not stale, f"OPEN_ROUTES entries for routes that no longer exist (remove them): {stale}"


def test_a_route_the_sweep_cannot_fill_fails_loudly_naming_it(world: World) -> None:
    with pytest.raises(Unresolvable, match=r"GET /api/v1/no-such-route/\{id\}/"):
        resolve_target(Operation("board", "GET", "/api/v1/no-such-route/{id}/", ["id"]), world)
