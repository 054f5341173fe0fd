"""Local development and the demo: debug pages, a throwaway secret, console email."""

from lscb_platform.settings.base import *  # noqa: F403
from lscb_platform.settings.base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-secret-key-not-for-production-use-0123456789")
PLATFORM_URL_SCHEME = env("PLATFORM_URL_SCHEME", default="http")
