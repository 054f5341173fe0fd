"""One error body for the whole API: {"error": {"status", "code", "message", "fields"}}.

`fields` maps each field to a list of messages a person can act on; `message` sums them up.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def _flatten(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [msg for value in detail.values() for msg in _flatten(value)]
    if isinstance(detail, list):
        return [msg for value in detail for msg in _flatten(value)]
    return [str(detail)]


def _fields(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(key): _flatten(value) for key, value in detail.items()}
    return {}


def error_body(status_code: int, code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"status": status_code, "code": code, "message": message, "fields": fields or {}}}


def _parse_error_message(exc: exceptions.ParseError) -> str:
    """Say where the body stops being JSON, in words rather than the decoder's ("'utf-8' codec can't...")."""
    cause = exc.__context__
    if isinstance(cause, UnicodeDecodeError):
        where = f"byte {cause.start + 1} is not UTF-8"
    elif isinstance(cause, json.JSONDecodeError):
        where = f"{cause.msg}: line {cause.lineno}, column {cause.colno}"
    else:
        where = str(exc.detail).removeprefix("JSON parse error - ")
    return f"The request body is not valid JSON ({where}). Send one JSON object, encoded as UTF-8."


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    assert isinstance(exc, exceptions.APIException)
    detail = exc.detail
    fields = _fields(detail)
    if isinstance(exc, exceptions.ValidationError):
        non_field = fields.pop("non_field_errors", [])
        messages = non_field + [f"{name}: {msg}" for name, msgs in fields.items() for msg in msgs]
        if not fields and not non_field:
            messages = _flatten(detail)
        message = "; ".join(messages) or "The request was not valid."
        code = "invalid"
        if non_field:
            fields["non_field_errors"] = non_field
    elif isinstance(exc, exceptions.ParseError):
        message = _parse_error_message(exc)
        code = "parse_error"
    else:
        message = "; ".join(_flatten(detail))
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
    response.data = error_body(response.status_code, code, message, fields)
    return response


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404 of both urlconfs: an address under /api/ that matches no route gets the API's error body
    (clients parse JSON, not the GOV.UK page); every other address gets the page."""
    if request.path_info.startswith("/api/"):
        message = "There is no API route at this address: the routes are listed at /api/docs/."
        return JsonResponse(error_body(404, "not_found", message), status=404)
    return page_not_found(request, exception)


def json_error_response(status_code: int, message: str, code: str) -> Response:
    return Response(error_body(status_code, code, message), status=status_code)


__all__ = ["error_body", "exception_handler", "json_error_response", "not_found", "status"]
