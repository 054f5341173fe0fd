"""Production: refuses to start with DEBUG on or a secret missing."""

from django.core.exceptions import ImproperlyConfigured

from lscb_platform.settings.base import *  # noqa: F403
from lscb_platform.settings.base import CELERY_BROKER_URL, DATABASES, DEBUG, REPO_ROOT, SECRET_KEY, env

if DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production.")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to at least 50 random characters in production.")
for required in ("DATABASE_URL", "CELERY_BROKER_URL", "PLATFORM_HOST"):
    if not env(required, default=""):
        raise ImproperlyConfigured(f"{required} must be set in production.")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
STATIC_ROOT = REPO_ROOT / "staticfiles"
WHITENOISE_USE_FINDERS = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")

# Web processes keep their database connections (docs/benchmarks.md, booking: a new PostgreSQL backend for each
# request cost the database more CPU than the booking itself), each checked before a request reuses it, so a
# connection the server has dropped is replaced rather than failing the request. Allow for one per web thread
# (gunicorn's workers x threads, on each web machine) and per worker process in PostgreSQL's max_connections.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# django-tenants sets the search_path once after each change of schema (every request chooses its board again in
# tenants.routing) instead of before every statement. It forgets what it set on a rollback, a rollback to a
# savepoint and a closed connection, so the next statement sets it again (tests/test_booking.py covers a kept
# connection moving between boards).
TENANT_LIMIT_SET_CALLS = True

# Real Stripe in production: the keys come from the environment, and nothing points at the local stand-in unless
# STRIPE_API_BASE says so (a staging set-up). Without a key, online payment is refused with a clear message.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")

# One cache for every web process, so that the sign-in throttle, the limit on password links and the calendar
# feed's cache count and keep across gunicorn's workers and machines (each process's own memory would let every
# worker count alone). Redis at CACHE_URL, else the broker's Redis; keys are prefixed, away from Celery's.
_cache_url = env("CACHE_URL", default="") or (CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "")
if _cache_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": "lscb-cache",
        }
    }
