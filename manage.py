#!/usr/bin/env python
"""Django's command-line utility for the LSCB learning platform."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# The Django project package lives in platform/, which must never become a package itself
# (`platform` is a standard-library module): put the folder on the path instead.
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lscb_platform.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
