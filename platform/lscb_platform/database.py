"""Where the database is: DATABASE_URL, else a PostgreSQL on 127.0.0.1:5432, else one we start.

The embedded server lives under `.data/postgres` in the repository. The system's own
`initdb`/`pg_ctl` are used when present; otherwise the `pgserver` package, which bundles
PostgreSQL binaries. Nothing here ever falls back to SQLite.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / ".data"
EMBEDDED_PORT = 54329
DEFAULT_DB_NAME = "lscb"


def _answers(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _start_with_system_binaries(pgdata: Path) -> str | None:
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if not (initdb and pg_ctl):
        return None
    run_as: list[str] = []
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root; hand the folder to the postgres user when there is one.
        if shutil.which("runuser") and _user_exists("postgres"):
            run_as = ["runuser", "-u", "postgres", "--"]
            pgdata.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(["chown", "-R", "postgres", str(pgdata.parent)], check=True)
        else:
            return None
    if not (pgdata / "PG_VERSION").exists():
        pgdata.mkdir(parents=True, exist_ok=True)
        if run_as:
            subprocess.run(["chown", "-R", "postgres", str(pgdata)], check=True)
        subprocess.run(
            [*run_as, initdb, "-D", str(pgdata), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    if not _answers("127.0.0.1", EMBEDDED_PORT):
        subprocess.run(
            [
                *run_as,
                pg_ctl,
                "-D",
                str(pgdata),
                "-l",
                str(pgdata.parent / "postgres.log"),
                "-o",
                f"-p {EMBEDDED_PORT} -k {pgdata} -h 127.0.0.1 -c max_locks_per_transaction=256 -c max_connections=300",
                "-w",
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return f"postgres://postgres@127.0.0.1:{EMBEDDED_PORT}/{DEFAULT_DB_NAME}"


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _start_with_pgserver(pgdata: Path) -> str:
    import pgserver

    server = pgserver.get_server(str(pgdata), cleanup_mode=None)
    uri: str = server.get_uri()
    return uri.rsplit("/", 1)[0] + f"/{DEFAULT_DB_NAME}"


def ensure_embedded_postgres() -> str:
    pgdata = DATA_DIR / "postgres"
    return _start_with_system_binaries(pgdata) or _start_with_pgserver(pgdata)


def resolve_database_url() -> str:
    explicit = os.environ.get("DATABASE_URL")
    if explicit:
        return explicit
    if _answers("127.0.0.1", 5432):
        return f"postgres://postgres@127.0.0.1:5432/{DEFAULT_DB_NAME}"
    if _answers("127.0.0.1", EMBEDDED_PORT):
        return f"postgres://postgres@127.0.0.1:{EMBEDDED_PORT}/{DEFAULT_DB_NAME}"
    if os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".prod"):
        # Production never starts a database of its own; settings/prod.py then refuses to start.
        return f"postgres://postgres@127.0.0.1:5432/{DEFAULT_DB_NAME}"
    return ensure_embedded_postgres()
