"""Settings shared by every environment. Everything that differs between machines comes from the environment."""

from __future__ import annotations

from pathlib import Path

import django_stubs_ext
import environ

from lscb_platform.database import resolve_database_url

# Lets classes like ModelAdmin[Board] and QuerySet[Board] be subscripted at run time, for mypy's generics.
django_stubs_ext.monkeypatch()

REPO_ROOT = Path(__file__).resolve().parents[3]
PROJECT_DIR = Path(__file__).resolve().parents[1]

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)

# The bare platform host serves the public pages; each board answers at <slug>.<PLATFORM_HOST>.
PLATFORM_HOST = env("PLATFORM_HOST", default="localhost")
# Scheme for links in emails (https in production, http for the local demo).
PLATFORM_URL_SCHEME = env("PLATFORM_URL_SCHEME", default="https")
# Port for links in emails when the site is not on the scheme's own (the local demo on 8000); empty in production.
PLATFORM_URL_PORT = env("PLATFORM_URL_PORT", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[PLATFORM_HOST, f".{PLATFORM_HOST}"])

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "shared_apps.accounts",
    "shared_apps.agencies",
    "shared_apps.audit",
    "shared_apps.web",
    "shared_apps.trainers",
    "shared_apps.learning_record",
    "shared_apps.payments",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "tenant_apps.scheduling",
    "tenant_apps.strategy",
    "tenant_apps.learning_sources",
    "tenant_apps.audiences",
    "tenant_apps.needs_audits",
    "tenant_apps.resources",
    "tenant_apps.offer",
    "tenant_apps.booking",
    "tenant_apps.charges",
    "tenant_apps.evaluation",
    "tenant_apps.boardhome",
    "tenant_apps.demo",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Board"
TENANT_DOMAIN_MODEL = "tenants.Domain"
# New boards are cloned from this schema, which is kept migrated as a tenant of its own.
TENANT_BASE_SCHEMA = "board_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
PUBLIC_SCHEMA_URLCONF = "lscb_platform.urls_public"
ROOT_URLCONF = "lscb_platform.urls"
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)

_db = env.db_url_config(resolve_database_url())
_db["ENGINE"] = "django_tenants.postgresql_backend"
_db["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MIDDLEWARE = [
    # Static files first: they are the same for every board and need no board lookup.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tenants.routing.BoardRoutingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "shared_apps.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shared_apps.web.context_processors.site",
            ],
        },
    }
]
WSGI_APPLICATION = "lscb_platform.wsgi.application"

# Stripe: each board is paid into its own connected account. Without real keys the project's local stand-in
# (`python -m stripe_standin`, started by the demo and the tests) answers at STRIPE_API_BASE instead of Stripe.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="sk_test_standin")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="whsec_standin")
# Empty for real Stripe; the stand-in's address otherwise.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="http://127.0.0.1:12111")
# Signed webhook events older than this are refused (Stripe's own default).
STRIPE_WEBHOOK_TOLERANCE = 300

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["shared_apps.accounts.backends.LockoutAwareBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "/"
# Lockout: this many failed sign-ins in a row locks the account for LOGIN_LOCKOUT_MINUTES.
LOGIN_MAX_FAILURES = env.int("LOGIN_MAX_FAILURES", default=5)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
TOTP_ISSUER = "Safeguarding L&D"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Outside production WhiteNoise serves straight from STATICFILES_DIRS and the apps (no collectstatic step).
STATIC_ROOT: Path | None = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Built by infra/build_static.sh from npm govuk-frontend; never fetched from a CDN.
STATICFILES_DIRS = [REPO_ROOT / "static_build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(REPO_ROOT / ".data" / "media"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "lscb_platform.api_errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "lscb_platform.api_limits.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["lscb_platform.api_limits.JSONParser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Safeguarding learning and development platform API",
    "DESCRIPTION": (
        "Board hosts (<slug>.<platform host>) serve one board's data; the platform host serves "
        'cross-board resources. Every error has the body {"error": {status, code, message, fields}}.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Swagger UI and ReDoc served from our own static files (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a field called status with different choices: name each set.
    "ENUM_NAME_OVERRIDES": {
        "StrategyStatusEnum": "tenant_apps.strategy.models.Strategy.Status",
        "PlanItemStatusEnum": "tenant_apps.strategy.models.PlanItem.Status",
        "LearningSourceKindEnum": "tenant_apps.learning_sources.models.LearningSource.Kind",
        "LearningActivityKindEnum": "tenant_apps.learning_sources.models.LearningActivity.Kind",
        "LearningActivityStatusEnum": "tenant_apps.learning_sources.models.LearningActivity.Status",
    },
}

# Celery through tenant-schemas-celery. No broker configured: tasks run in-process (the demo says so).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULE = {
    "dispatch-due-work": {"task": "scheduling.dispatch_due_work", "schedule": 60.0},
}
CELERY_TIMEZONE = TIME_ZONE

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="learning@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # stripe logs every request at INFO: keep its warnings and errors only.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "stripe": {"level": "WARNING"}},
}
