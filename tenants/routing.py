"""Choose the board for a request: by subdomain (leeds.<host>) or by subfolder (/t/leeds/ on any host).

This middleware and tenants.cross_board are the only modules that switch schemas (tests/test_tenant_guard.py).
An unknown board gets the friendly 404 page from the public site, never a 500.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import connection as default_connection
from django.http import HttpRequest, HttpResponse
from django.urls import set_script_prefix, set_urlconf
from django.utils.deprecation import MiddlewareMixin

from tenants.models import SYSTEM_SCHEMAS, Board, Domain

# django-tenants' database wrapper adds schema methods that Django's type stubs do not know.
connection: Any = default_connection

SUBFOLDER = re.compile(r"^/t/(?P<slug>[^/]+)(?P<rest>/.*)?$")

# Every request on a board's host reads its board by the host name. The ORM would compile this query afresh each
# time (about 0.5 ms of CPU a request, most of the routing's cost), so it is one fixed statement; the columns come
# from the model, so a new field is read too (tests/test_perf_routing.py checks it matches the ORM's answer).
_BOARD_FIELDS = [field.attname for field in Board._meta.concrete_fields]
_BOARD_BY_HOST = (
    f"SELECT {', '.join(f'b.{connection.ops.quote_name(field.column)}' for field in Board._meta.concrete_fields)} "
    f"FROM {Domain._meta.db_table} d INNER JOIN {Board._meta.db_table} b ON b.id = d.tenant_id WHERE d.domain = %s"
)


def board_for_host(hostname: str) -> Board | None:
    """The board whose domain is this host name (domains are unique), or None."""
    with connection.cursor() as cursor:
        cursor.execute(_BOARD_BY_HOST, [hostname])
        row = cursor.fetchone()
    return None if row is None else Board.from_db(connection.alias, _BOARD_FIELDS, row)


def _not_found(request: HttpRequest) -> HttpResponse:
    # Rendered against the public urlconf so the page's links point at the platform host.
    from django.template.loader import render_to_string

    request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
    set_urlconf(request.urlconf)
    body = render_to_string("web/board_not_found.html", {"request": request}, request=request)
    return HttpResponse(body, status=404)


class BoardRoutingMiddleware(MiddlewareMixin):
    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        connection.set_schema_to_public()
        # Always from this request's own SCRIPT_NAME, so a prefix never carries over from an earlier request.
        script_name = request.META.get("SCRIPT_NAME", "").rstrip("/")
        set_script_prefix(script_name + "/")
        hostname = request.get_host().split(":")[0].lower()
        subfolder = SUBFOLDER.match(request.path_info)
        board: Board | None
        if subfolder:
            board = Board.objects.filter(slug=subfolder["slug"]).exclude(schema_name__in=SYSTEM_SCHEMAS).first()
            if board is None:
                return self._public(request, not_found=True)
            prefix = f"/t/{board.slug}/"
            request.path_info = subfolder["rest"] or "/"
            set_script_prefix(script_name + prefix)
            request.board_prefix = prefix  # type: ignore[attr-defined]
        else:
            board = board_for_host(hostname)
            if board is None:
                public_host = hostname == settings.PLATFORM_HOST or hostname == "testserver"
                return self._public(request, not_found=not public_host)
            if board.schema_name == "public":
                return self._public(request, not_found=False, board=board)
            if board.schema_name in SYSTEM_SCHEMAS:
                return self._public(request, not_found=True)
        request.tenant = board  # type: ignore[attr-defined]
        connection.set_tenant(board)
        request.urlconf = settings.ROOT_URLCONF
        set_urlconf(request.urlconf)
        return None

    def _public(self, request: HttpRequest, *, not_found: bool, board: Board | None = None) -> HttpResponse | None:
        request.tenant = board or Board.objects.filter(schema_name="public").first()  # type: ignore[attr-defined]
        request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
        set_urlconf(request.urlconf)
        if not_found:
            return _not_found(request)
        return None
