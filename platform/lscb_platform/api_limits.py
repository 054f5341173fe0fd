"""Limits on what one API request can ask of the server, so that an outsized request is a 4xx, never a 500."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework import pagination, parsers
from rest_framework.exceptions import APIException, ParseError


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """At most `max_limit` rows a page: a larger `limit` is cut to it (one past PostgreSQL's bigint was a 500)."""

    max_limit = 500


class RequestTooLarge(APIException):
    status_code = 413
    default_code = "request_too_large"
    default_detail = "The request body is too large. Send at most 2.5 MB of JSON."


class JSONParser(parsers.JSONParser):
    """Refuses bodies over DATA_UPLOAD_MAX_MEMORY_SIZE before reading them (DRF reads the stream directly, so
    Django's own limit never applies); turns RecursionError on JSON nested thousands deep into a 400."""

    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        request = (parser_context or {}).get("request")
        length = request.META.get("CONTENT_LENGTH") if request is not None else None
        if length and length.isdigit() and int(length) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise RequestTooLarge()
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON parse error - nested more deeply than this API accepts") from exc
