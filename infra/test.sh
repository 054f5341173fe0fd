#!/usr/bin/env bash
# Installs what the tests need, then runs every check: ruff, mypy, import-linter, migrations, pytest.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_python
ensure_frontend
ensure_chromium
ensure_database
ensure_lock_slots
ensure_redis || { echo "Redis is needed for the real-worker tests and could not be started." >&2; exit 1; }
export DJANGO_SETTINGS_MODULE=lscb_platform.settings.test
say "ruff";           "$VENV/bin/ruff" check .
                      "$VENV/bin/ruff" format --check .
say "mypy";           "$VENV/bin/mypy" .
say "import-linter";  "$VENV/bin/lint-imports"
say "migrations";     "$PY" manage.py makemigrations --check --dry-run
# A new test database every run: what earlier runs left committed on this machine (browser tests and race tests
# commit their data) can never change this run's result.
say "pytest";         "$PY" -m pytest --create-db "$@"
