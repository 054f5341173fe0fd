"""Errors in Stripe's shape: `{"error": {"type", "code", "message", "param", "doc_url"}}`."""

from __future__ import annotations

from typing import Any


class StripeApiError(Exception):
    """An API error the stand-in answers with, as Stripe would (status, type, code, message, param)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        error_type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_type = error_type
        self.code = code
        self.param = param

    def body(self) -> dict[str, Any]:
        doc_url = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}" if self.code else None
        return {
            "error": {
                "type": self.error_type,
                "code": self.code,
                "message": self.message,
                "param": self.param,
                "doc_url": doc_url,
            }
        }


def missing_param(param: str) -> StripeApiError:
    return StripeApiError(400, f"Missing required param: {param}.", code="parameter_missing", param=param)


def invalid_param(param: str, message: str, code: str | None = None) -> StripeApiError:
    return StripeApiError(400, message, code=code, param=param)


def unknown_param(param: str) -> StripeApiError:
    return StripeApiError(400, f"Received unknown parameter: {param}", code="parameter_unknown", param=param)


def no_such(resource: str, object_id: str, param: str = "id") -> StripeApiError:
    return StripeApiError(404, f"No such {resource}: '{object_id}'", code="resource_missing", param=param)
