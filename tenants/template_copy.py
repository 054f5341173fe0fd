"""Copying the migrated template schema into a new board's schema, fast.

django-tenants' `clone_schema` SQL function walks the catalogue object by object (about 0.6 s a board with 150
boards present, and sometimes tens of seconds in its index-renaming step). Here the template is dumped once with
`pg_dump` (its tables, constraints, indexes, sequences and the rows its migrations wrote), the dump is stored
in the public schema keyed by the template's migration records, and each new board replays it with the schema
name swapped: about 0.1 s. The snapshot is made again whenever the template's migrations change, by whichever
process provisions next. Without a usable `pg_dump` (none installed, or older than the server) it returns False
and provisioning uses django-tenants' clone instead.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
from typing import Any

from django.db import IntegrityError, connection, transaction

from tenants.models import TEMPLATE_SCHEMA, TemplateSnapshot

log = logging.getLogger(__name__)

# Session settings at the top of a dump (they would outlive the statement on our connection) and psql's
# meta-commands (\restrict, \unrestrict), which are not SQL.
_NOT_REPLAYED = re.compile(r"^(SET |SELECT pg_catalog\.set_config\(|\\).*$\n?", re.MULTILINE)
_TEMPLATE_NAME = re.compile(rf"\b{TEMPLATE_SCHEMA}\b(?=[.;])")


def template_fingerprint() -> str:
    """Changes whenever a migration is applied to (or removed from) the template."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app, name FROM {TEMPLATE_SCHEMA}.django_migrations ORDER BY app, name")
        rows = cursor.fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _pg_dump_binary() -> str | None:
    return os.environ.get("PG_DUMP") or shutil.which("pg_dump")


def _dump_template() -> str | None:
    """The template schema as SQL, ready to replay under another name; None when pg_dump cannot make it."""
    binary = _pg_dump_binary()
    if binary is None:
        return None
    db: dict[str, Any] = connection.settings_dict
    command = [binary, "--inserts", "--no-owner", "--no-privileges"]
    command += [f"--schema={TEMPLATE_SCHEMA}", "--dbname", str(db["NAME"])]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command += [option, str(db[key])]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or ""), "PGCONNECT_TIMEOUT": "10"}
    try:
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        log.warning("pg_dump could not run (%s); boards will be cloned by django-tenants instead", error)
        return None
    if result.returncode != 0:
        log.warning("pg_dump failed (%s); boards will be cloned by django-tenants instead", result.stderr.strip())
        return None
    return _NOT_REPLAYED.sub("", result.stdout)


def _snapshot() -> str | None:
    fingerprint = template_fingerprint()
    stored = TemplateSnapshot.objects.filter(fingerprint=fingerprint).values_list("sql", flat=True).first()
    if stored is not None:
        return stored
    sql = _dump_template()
    if sql is None:
        return None
    try:
        with transaction.atomic():
            TemplateSnapshot.objects.exclude(fingerprint=fingerprint).delete()
            TemplateSnapshot.objects.create(fingerprint=fingerprint, sql=sql)
    except IntegrityError:
        pass  # another process stored the same snapshot first
    return sql


def copy_template(schema_name: str) -> bool:
    """Create `schema_name` as a copy of the template, in the caller's transaction. False when no snapshot can be
    made (the caller then clones another way)."""
    sql = _snapshot()
    if sql is None:
        return False
    quoted = '"' + schema_name.replace('"', '""') + '"'
    with connection.cursor() as cursor:
        cursor.execute(_TEMPLATE_NAME.sub(quoted, sql))
    return True
