#!/usr/bin/env bash
# Installs what the demo needs, prepares the database and demo boards, then runs the web server and a worker.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
PORT="${PORT:-8000}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-lscb_platform.settings.dev}"
export PLATFORM_HOST="${PLATFORM_HOST:-localhost}"
# Links in the emails the demo prints point at this server's port.
export PLATFORM_URL_PORT="${PLATFORM_URL_PORT:-$PORT}"

ensure_python
ensure_frontend
ensure_database
if [ -z "${CELERY_BROKER_URL:-}" ] && ensure_redis; then
  export CELERY_BROKER_URL="redis://127.0.0.1:6379/0"
fi

say "Migrating the public schema and every board"
"$PY" manage.py migrate_schemas --executor=multiprocessing -v 0
"$PY" manage.py ensure_platform

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

# Payments: real Stripe when a secret key is given; otherwise the project's local stand-in (docs/stripe-standin.md),
# started before seeding so that the demo boards can be connected to it.
if [ -n "${STRIPE_SECRET_KEY:-}" ]; then
  export STRIPE_API_BASE="${STRIPE_API_BASE:-}"
  stripe_line="Stripe:                         real Stripe (STRIPE_SECRET_KEY is set)"
  say "Using real Stripe (STRIPE_SECRET_KEY is set)${STRIPE_API_BASE:+ at $STRIPE_API_BASE}"
else
  STANDIN_PORT="${STRIPE_STANDIN_PORT:-12111}"
  if port_open 127.0.0.1 "$STANDIN_PORT"; then
    echo "Port $STANDIN_PORT is taken: set STRIPE_STANDIN_PORT to a free port for the Stripe stand-in." >&2
    exit 1
  fi
  say "Starting the Stripe stand-in on port $STANDIN_PORT (no STRIPE_SECRET_KEY: nothing reaches Stripe)"
  "$PY" -m stripe_standin --port "$STANDIN_PORT" --webhook-url "http://$PLATFORM_HOST:$PORT/stripe/webhook/" \
    --webhook-secret whsec_standin &
  pids+=($!)
  for _ in $(seq 100); do port_open 127.0.0.1 "$STANDIN_PORT" && break; sleep 0.1; done
  port_open 127.0.0.1 "$STANDIN_PORT" || { echo "The Stripe stand-in did not start." >&2; exit 1; }
  export STRIPE_API_BASE="http://127.0.0.1:$STANDIN_PORT" STRIPE_WEBHOOK_SECRET="whsec_standin"
  stripe_line="Stripe stand-in (payments):     $STRIPE_API_BASE/"
fi

say "Loading the demo boards (idempotent)"
"$PY" manage.py seed_demo

if [ -n "${CELERY_BROKER_URL:-}" ]; then
  say "Starting a Celery worker with the periodic scheduler (broker $CELERY_BROKER_URL)"
  mkdir -p "$ROOT/.data"  # the scheduler's state file; absent on a machine whose PostgreSQL is not embedded
  "$VENV/bin/celery" -A lscb_platform worker --beat --concurrency 2 --loglevel WARNING \
    --schedule "$ROOT/.data/celerybeat-schedule" &
  pids+=($!)
else
  say "No broker could be had: background tasks run in-process, inside each request, for this demo"
fi

say "Starting the web server"
"$VENV/bin/gunicorn" lscb_platform.wsgi:application --bind "0.0.0.0:$PORT" --workers 2 --threads 4 \
  --access-logfile - --log-level warning &
pids+=($!)
for _ in $(seq 100); do port_open 127.0.0.1 "$PORT" && break; sleep 0.1; done

cat <<MSG

  The demo is running.
    Platform home (every board):    http://$PLATFORM_HOST:$PORT/
    A board by its own address:     http://leeds.$PLATFORM_HOST:$PORT/   (also http://$PLATFORM_HOST:$PORT/t/leeds/)
    API description (OpenAPI 3):    http://$PLATFORM_HOST:$PORT/api/docs/
    $stripe_line
  Demo sign-ins are listed above. To pay non-attendance fees online, sign in as finance@leeds.demo and open
  http://$PLATFORM_HOST:$PORT/agency/ (Leeds Teaching Hospitals' fees, invoiced for last month).
  Press Ctrl+C to stop.

MSG
wait -n "${pids[@]}"
