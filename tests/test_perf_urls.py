"""The board host's routes are tried API first (for speed: an API call was matched against every page route before
its own): no address may change the view that answers it."""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Iterator
from typing import Any

from django.urls import URLResolver, get_resolver
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern
from django.utils.regex_helper import normalize

from lscb_platform import urls
from lscb_platform.api_urls import board_api

# Values tried for each parameter of an address until the route's pattern accepts them.
SAMPLES = ("1", "json", ".json", str(uuid.UUID(int=7)), "x")


def _as_before() -> URLResolver:
    """The board host's routes as they were: pages first, then the API."""
    return URLResolver(RegexPattern(r"^/"), [*urls.page_routes, *board_api])


def _regexes(routes: list[Any], prefix: str = "") -> Iterator[str]:
    for route in routes:
        regex = prefix + route.pattern.regex.pattern.removeprefix("^")
        if isinstance(route, URLResolver):
            yield from _regexes(route.url_patterns, regex)
        else:
            yield regex


def _address(regex: str) -> str:
    """An address the route with this (whole) pattern matches."""
    compiled = re.compile("^" + regex)
    for template, params in normalize(regex):
        for values in itertools.product(SAMPLES, repeat=len(params)):
            address = template % dict(zip(params, values, strict=True))
            if compiled.search(address):
                return address
    raise AssertionError(f"no sample address for {regex}: add a value to SAMPLES")


def _answer(resolver: URLResolver, address: str) -> Any:
    try:
        found = resolver.resolve("/" + address)
    except Resolver404:
        return None
    return (found.func, found.args, found.kwargs, found.url_name, found.app_names, found.namespaces, found.route)


def test_every_address_gets_the_view_it_got_before() -> None:
    now, before = get_resolver(urls.__name__), _as_before()
    addresses = [_address(regex) for regex in _regexes(before.url_patterns)]
    assert len(addresses) > 300
    assert any(address.startswith("api/v1/bookings") for address in addresses)
    for address in addresses:
        assert _answer(now, address) == _answer(before, address) is not None, address
        for altered in (address + "x", address.rstrip("/"), address + "/", "x" + address):
            assert _answer(now, altered) == _answer(before, altered), altered


def test_no_page_route_can_answer_an_address_under_api() -> None:
    for regex in _regexes(urls.page_routes):
        for template, _params in normalize(regex):
            literal = template.split("%(", 1)[0]
            may_continue = literal != template
            assert not literal.startswith("api/"), regex
            assert not (may_continue and "api/".startswith(literal)), regex
