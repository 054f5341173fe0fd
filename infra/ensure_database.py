"""Make sure the PostgreSQL server is up and the project's database exists; print where it is."""

import argparse
import sys
from pathlib import Path
from urllib.parse import urlparse

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "platform")]

import psycopg2  # noqa: E402
from psycopg2 import sql  # noqa: E402

from lscb_platform.database import resolve_database_url  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--show", help="print one server setting and exit")
parser.add_argument("--alter-system", help="NAME=VALUE: ALTER SYSTEM SET it (takes effect after a restart)")
args = parser.parse_args()

url = urlparse(resolve_database_url())
name = url.path.lstrip("/")
params = {"host": url.hostname, "port": url.port or 5432, "user": url.username or "postgres"}
if url.password:
    params["password"] = url.password
conn = psycopg2.connect(dbname="postgres", **params)
conn.autocommit = True
with conn.cursor() as cursor:
    if args.show:
        cursor.execute("SELECT current_setting(%s)", [args.show])
        print(cursor.fetchone()[0])
        raise SystemExit(0)
    if args.alter_system:
        setting, value = args.alter_system.split("=", 1)
        cursor.execute(sql.SQL("ALTER SYSTEM SET {} = %s").format(sql.Identifier(setting)), [value])
        raise SystemExit(0)
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    if cursor.fetchone() is None:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"Created database {name}")
conn.close()
print(f"PostgreSQL at {url.hostname}:{url.port or 5432}, database {name}")
