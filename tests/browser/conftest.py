"""Browser tests: a real threaded WSGI server over the committed test world, and one headless Chromium.

Not pytest-django's `live_server`: its transactional flush would wipe the boards in the public schema. The
server here serves whatever is committed (the session `world`), each request in its own thread with its own
database connection, closed after the request.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.db import connections
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from conftest import World

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class QuietRequestHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last, each with the `django_db` marker.

    Last: from the first browser test to the end of the session Playwright's event loop runs in the main thread,
    and Django refuses database calls from a thread with a running event loop (SynchronousOnlyOperation).

    The marker: pytest-django creates the test database only if a collected test asks for it. The browser tests
    reach it only through the session `world`, so on their own (`pytest tests/browser`) they would otherwise build
    the world in the development database. The per-test transaction the marker also brings is switched off below
    (`_django_db_helper`): the server thread could not see it, and Django would refuse it in this thread anyway.
    """
    browser = [item for item in items if HERE in item.path.parents]
    for item in browser:
        item.add_marker(pytest.mark.django_db)
    items[:] = [item for item in items if HERE not in item.path.parents] + browser


@pytest.fixture
def _django_db_helper() -> None:
    """No transaction per browser test (see above): everything they read is committed by `world`."""


@dataclass(frozen=True)
class LiveSite:
    port: int

    def url(self, path: str = "/", board: str | None = None) -> str:
        host = f"{board}.localhost" if board else "localhost"
        return f"http://{host}:{self.port}{path}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def site(world: World, django_db_blocker: Any) -> Iterator[LiveSite]:
    with django_db_blocker.unblock():
        database = connections["default"].settings_dict["NAME"]
        assert database == settings.DATABASES["default"]["TEST"]["NAME"] or database.startswith("test_"), (
            f"Browser tests must run against the test database, not {database!r}"
        )
        server = ThreadedWSGIServer(("127.0.0.1", _free_port()), QuietRequestHandler, allow_reuse_address=False)
        server.set_app(WSGIHandler())
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            yield LiveSite(port=server.server_address[1])
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
            connections.close_all()


@pytest.fixture(scope="session")
def browser(site: LiveSite) -> Iterator[Browser]:
    # After `site`: the world is built before Playwright's event loop runs in this thread, where Django then
    # refuses database calls (SynchronousOnlyOperation).
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-GB")
    ctx.set_default_timeout(5000)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def fresh_sign_in(django_db_blocker: Any) -> Any:
    """Clear a user's failed-attempt counter, lock and last-used TOTP step (committed), before a sign-in.

    A rerun within the same 30-second step would otherwise be refused as a replayed code.
    """

    def reset(user: Any) -> None:
        from shared_apps.accounts.models import User

        with django_db_blocker.unblock():
            _in_a_thread(
                lambda: User.objects.filter(pk=user.pk).update(
                    failed_login_count=0, locked_until=None, totp_last_step=None
                )
            )

    return reset


def _in_a_thread(work: Callable[[], Any]) -> None:
    """Database work while Playwright's event loop runs in this thread: do it in another, then close its connection."""

    def run() -> None:
        try:
            work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(run).result()
