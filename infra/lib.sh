# Shared steps for infra/demo.sh and infra/test.sh: install what is missing, start what is not running.
# Each step is idempotent and quick when there is nothing to do.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
export PYTHONPATH="$ROOT/platform:$ROOT"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

apt_install() {
  command -v apt-get >/dev/null || return 1
  if [ ! -f /tmp/.lscb-apt-updated ]; then as_root apt-get update -qq && touch /tmp/.lscb-apt-updated; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

python_ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }

ensure_python() {
  local base=""
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null && python_ok "$candidate"; then base="$candidate"; break; fi
  done
  if [ -z "$base" ]; then
    say "Installing Python 3.11+"; apt_install python3 python3-venv python3-pip && base=python3
  fi
  if [ ! -x "$PY" ]; then
    say "Creating the virtual environment in .venv"
    "$base" -m venv "$VENV" || { apt_install python3-venv && "$base" -m venv "$VENV"; }
  fi
  local stamp="$VENV/.lock-installed" want
  want="$(sha256sum "$ROOT/requirements/lock.txt" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "Installing Python packages (requirements/lock.txt)"
    "$PY" -m pip install -q --upgrade pip
    "$PY" -m pip install -q -r "$ROOT/requirements/lock.txt"
    echo "$want" > "$stamp"
  fi
}

ensure_frontend() {
  if ! command -v npm >/dev/null; then say "Installing Node.js"; apt_install nodejs npm; fi
  local stamp="$ROOT/frontend/node_modules/.lock-installed" want
  want="$(sha256sum "$ROOT/frontend/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "Installing GOV.UK Frontend, Sass and axe-core (npm ci)"
    (cd "$ROOT/frontend" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" > "$stamp"
  fi
  if [ ! -f "$ROOT/static_build/lscb/app.css" ] || [ -n "$(find "$ROOT/frontend/scss" "$ROOT/frontend/build.mjs" -newer "$ROOT/static_build/lscb/app.css" 2>/dev/null)" ]; then
    say "Building the GOV.UK styles into static_build/"
    (cd "$ROOT/frontend" && node build.mjs)
  fi
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Redis for Celery. Prints nothing and returns 1 when no Redis can be had (the demo then runs tasks in-process).
ensure_redis() {
  port_open 127.0.0.1 6379 && return 0
  if ! command -v redis-server >/dev/null; then say "Installing Redis"; apt_install redis-server || return 1; fi
  say "Starting Redis on 127.0.0.1:6379"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 50); do port_open 127.0.0.1 6379 && return 0; sleep 0.1; done
  return 1
}

# PostgreSQL: DATABASE_URL, else 127.0.0.1:5432, else an embedded server under .data/ (see lscb_platform/database.py).
ensure_database() {
  "$PY" "$ROOT/infra/ensure_database.py"
}

# The tests touch every table of several board schemas in one transaction (the API fuzz), which needs more
# lock slots than PostgreSQL's default of 64 per connection. Raise it on a local Debian cluster we administer.
ensure_lock_slots() {
  # The API fuzz test takes many locks in one transaction (256 slots); the booking concurrency test opens 200
  # connections at once (300). Raised once with ALTER SYSTEM and one restart, on a local cluster we administer.
  local locks connections
  locks="$("$PY" "$ROOT/infra/ensure_database.py" --show max_locks_per_transaction)"
  connections="$("$PY" "$ROOT/infra/ensure_database.py" --show max_connections)"
  [ "${locks:-0}" -ge 256 ] && [ "${connections:-0}" -ge 300 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null && [ -z "${DATABASE_URL:-}" ]; then
    say "Raising PostgreSQL's max_locks_per_transaction ($locks) to 256 and max_connections ($connections) to 300 (restarts the local cluster once)"
    "$PY" "$ROOT/infra/ensure_database.py" --alter-system max_locks_per_transaction=256
    "$PY" "$ROOT/infra/ensure_database.py" --alter-system max_connections=300
    local version; version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    pg_ctlcluster --skip-systemctl-redirect "$version" main restart
    for _ in $(seq 50); do port_open 127.0.0.1 5432 && return 0; sleep 0.2; done
  else
    echo "PostgreSQL has max_locks_per_transaction $locks and max_connections $connections; the API fuzz test may need 256 and the booking concurrency test 300." >&2
  fi
}

ensure_chromium() {
  if ! command -v chromium >/dev/null; then say "Installing Chromium for the browser tests"; apt_install chromium; fi
}
