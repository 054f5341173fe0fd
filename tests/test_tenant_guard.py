"""Crossing schemas is the dangerous act: only the named modules may do it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPLICATION_FOLDERS = ("platform", "tenants", "shared_apps", "tenant_apps", "benchmarks")
# The only application modules allowed to switch schemas, and why.
ALLOWED = {
    "tenants/routing.py": "chooses the board for each request",
    "tenants/cross_board.py": "the named door for every other crossing",
}
SWITCHING = re.compile(r"\b(schema_context|tenant_context|set_tenant|set_schema)\s*\(")


def _application_sources() -> list[Path]:
    files: list[Path] = []
    for folder in APPLICATION_FOLDERS:
        for path in (ROOT / folder).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/tests/" in relative or "/migrations/" in relative:
                continue
            files.append(path)
    return files


def test_schema_switching_appears_only_in_the_named_modules() -> None:
    offenders = []
    for path in _application_sources():
        relative = path.relative_to(ROOT).as_posix()
        if relative in ALLOWED:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if SWITCHING.search(line) and not line.lstrip().startswith("#"):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, "Schema switching outside tenants/cross_board.py:\n" + "\n".join(offenders)


def test_the_guard_sees_the_code_it_guards() -> None:
    sources = {path.relative_to(ROOT).as_posix() for path in _application_sources()}
    assert set(ALLOWED) <= sources
    assert len(sources) > 30
    routing = (ROOT / "tenants/routing.py").read_text()
    assert SWITCHING.search(routing), "the pattern no longer matches the routing middleware's own switch"
