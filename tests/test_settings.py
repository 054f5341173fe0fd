"""Production refuses to start unsafe; development and tests need no configuration at all."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOOD = {
    "DJANGO_SECRET_KEY": "x" * 60,
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/lscb",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "PLATFORM_HOST": "learning.example.org",
}


def _start_production(then: str = "print('started')", **overrides: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in GOOD and key != "DJANGO_DEBUG"}
    env.update({**GOOD, **overrides, "DJANGO_SETTINGS_MODULE": "lscb_platform.settings.prod"})
    env = {key: value for key, value in env.items() if value != ""}
    code = f"import sys; sys.path[:0] = ['platform', '.']; import django; django.setup(); {then}"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)


def test_production_starts_when_configured() -> None:
    result = _start_production()
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DJANGO_DEBUG": "true"}, "DJANGO_DEBUG must be off in production"),
        ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY must be set"),
        ({"CELERY_BROKER_URL": ""}, "CELERY_BROKER_URL must be set"),
        ({"DATABASE_URL": ""}, "DATABASE_URL must be set"),
    ],
)
def test_production_refuses_to_start_unsafe(overrides: dict[str, str], message: str) -> None:
    result = _start_production(**overrides)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_processes_share_one_cache_in_redis() -> None:
    """The sign-in throttle and the password-link limit count across web processes: what one process puts in
    the cache, another reads."""
    key = f"settings-test-{os.getpid()}"
    redis = {"CACHE_URL": "redis://127.0.0.1:6379/11"}
    wrote = _start_production(
        f"from django.core.cache import cache; cache.set('{key}', 'shared', 30); print('ok')", **redis
    )
    assert wrote.returncode == 0 and "ok" in wrote.stdout, wrote.stderr
    read = _start_production(
        f"from django.core.cache import cache; print(cache.get('{key}')); cache.delete('{key}')", **redis
    )
    assert read.stdout.strip() == "shared", read.stderr
    # Without CACHE_URL, the broker's Redis serves; a broker that is not Redis leaves each process its own memory.
    backend = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    assert _start_production(backend).stdout.strip() == "django.core.cache.backends.redis.RedisCache"
    rabbit = _start_production(backend, CELERY_BROKER_URL="amqp://guest:guest@127.0.0.1:5672//")
    assert rabbit.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache", rabbit.stderr
