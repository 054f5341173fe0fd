"""Tests: fast hashing, in-memory email, a Redis database of its own for the real worker tests."""

import hashlib

from lscb_platform.settings.base import *  # noqa: F403
from lscb_platform.settings.base import ALLOWED_HOSTS, DATABASES, REPO_ROOT, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105 (tests only)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
# Tests run tasks in-process. The real-worker tests start a worker process with TEST_WORKER_BROKER_URL set,
# so that only that process (and the test's own sender) talks to Redis.
TEST_CELERY_BROKER_URL = env("TEST_CELERY_BROKER_URL", default="redis://127.0.0.1:6379/14")
CELERY_BROKER_URL = env("TEST_WORKER_BROKER_URL", default="")
CELERY_RESULT_BACKEND = CELERY_BROKER_URL or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
MEDIA_ROOT = REPO_ROOT / ".data" / "test-media"


def _migrations_fingerprint() -> str:
    """A short hash of every migration file. Tests reuse their database between runs (--reuse-db); naming it
    after the migrations means a database left by other migrations is never reused in a half-matching state."""
    digest = hashlib.sha256()
    for path in sorted(REPO_ROOT.glob("*/*/migrations/*.py")) + sorted(REPO_ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(REPO_ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


# Parallel sessions on one machine can each have their own test database (TEST_DATABASE_NAME).
DATABASES["default"]["TEST"] = {"NAME": f"{env('TEST_DATABASE_NAME', default='test_lscb')}_{_migrations_fingerprint()}"}
