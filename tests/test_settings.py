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


def _start_production(**overrides: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in GOOD and key != "DJANGO_DEBUG"}
    env.update({**GOOD, **overrides, "DJANGO_SETTINGS_MODULE": "lscb_platform.settings.prod"})
    env = {key: value for key, value in env.items() if value != ""}
    code = "import sys; sys.path[:0] = ['platform', '.']; import django; django.setup(); print('started')"
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
