"""settings.prod with benchmarks/request_floor.py's two views as every board host's only URLs."""

from lscb_platform.settings.prod import *  # noqa: F403

ROOT_URLCONF = "request_floor"
