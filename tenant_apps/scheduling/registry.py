"""Handlers for due work, registered by the apps that schedule it (`@due_work_handler("strategy.review_reminder")`)."""

from collections.abc import Callable
from typing import Any

Handler = Callable[[dict[str, Any]], None]
_handlers: dict[str, Handler] = {}


def due_work_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        if kind in _handlers and _handlers[kind] is not func:
            raise ValueError(f"A handler for {kind!r} is already registered.")
        _handlers[kind] = func
        return func

    return register


def handler_for(kind: str) -> Handler | None:
    return _handlers.get(kind)
