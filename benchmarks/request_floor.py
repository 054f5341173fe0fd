"""What an HTTP request costs before a booking does anything: the floors under benchmarks/booking.py's HTTP side.

Not imported by the project. `booking.py --floor` serves these with gunicorn exactly as it serves the platform
(same workers, threads, access log, clients and request), one after the other:

- `bare`: a WSGI callable with no Django at all (gunicorn, HTTP parsing, the client and the access log);
- `django`: Django with settings.prod and every middleware (the board found by its host: one statement), a
  plain view that answers 201 (`FLOOR_SETTINGS` puts this module's `urlpatterns` in place of the platform's);
- `api`: the same with Django REST framework as the platform's API configures it (token authentication: one
  statement; permission, JSON parsing, exception handling, JSON rendering) answering 201.

The booking itself adds the profile, the session under its lock, the booking, its learning-record entry, the audit
entry and the email queued on commit (booking.py's HTTP side).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

FLOOR_SETTINGS = "request_floor_settings"
ANSWER = json.dumps({"status": "confirmed"}).encode()


def bare(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """201 with a small JSON body, after reading the request's body as any handler must."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    environ["wsgi.input"].read(length)
    start_response("201 Created", [("Content-Type", "application/json"), ("Content-Length", str(len(ANSWER)))])
    return [ANSWER]


def _urlpatterns() -> list[Any]:
    from django.http import HttpRequest, HttpResponse
    from django.urls import path
    from django.views.decorators.csrf import csrf_exempt
    from rest_framework.request import Request
    from rest_framework.response import Response
    from rest_framework.views import APIView

    @csrf_exempt  # as DRF's views are; the client sends a token, not a cookie
    def plain(request: HttpRequest) -> HttpResponse:
        if request.method != "POST":  # the clients' warm-up
            return HttpResponse(ANSWER, content_type="application/json")
        json.loads(request.body)
        return HttpResponse(ANSWER, status=201, content_type="application/json")

    class Api(APIView):
        def get(self, request: Request) -> Response:  # the clients' warm-up
            return Response({"status": "ready"})

        def post(self, request: Request) -> Response:
            return Response({"status": "confirmed", "session": request.data.get("session")}, status=201)

    return [path("floor/django/", plain), path("floor/api/", Api.as_view())]


def __getattr__(name: str) -> Any:
    # The URLconf is built on first use, inside a configured Django, not when gunicorn imports `bare`.
    if name == "urlpatterns":
        return _urlpatterns()
    raise AttributeError(name)
