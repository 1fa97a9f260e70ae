"""Tenancy has no new escape hatches: the unscoped `_base_manager` and `scopes_disabled()` are
used only in the places listed here, outside tests and migrations.

Every tenant model's default manager is scoped with django-scopes, so a query outside a
municipality's scope raises instead of leaking. `_base_manager` and `scopes_disabled()` go
around that. The places below are named and commented: `TenantModel.within`, which names the
municipality in the query, code that runs outside any request (the demo, the benchmark), the
calendar feed whose secret token names the municipality, and two subqueries of a scoped
row. A new place or a higher count fails.
"""

import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", "migrations", "tests", "data"}
UNSCOPED = re.compile(r"\b_base_manager\b|\bscopes_disabled\(\)")

# file: uses, each a named and commented reason. Everything else in a request asks the scoped
# `objects`, or `Model.within(row)` (core.models.TenantModel): the rows of that row's
# municipality, named in the query itself, for services and validation that may also run
# outside a request.
ALLOWED = {
    # The one sanctioned way around the scope: filters by the municipality it is handed.
    "core/models.py": 1,
    # Outside requests: the benchmark's generator and measurement, the demo loaders.
    "bench/generate.py": 4,
    "bench/run.py": 5,
    "bench/load.py": 1,
    "benefits/demo.py": 1,
    "demo/management/commands/demo_logins.py": 1,
    "demo/management/commands/load_demo.py": 1,
    "meetings/demo.py": 1,
    "meetings/demo_year.py": 1,
    "organisation/demo.py": 1,
    "planning/health/demo.py": 1,
    "planning/plans/demo.py": 1,
    "planning/proposals/demo.py": 1,
    "planning/wheel/demo.py": 1,
    "portfolio/demo.py": 1,
    "portfolio/demo_links.py": 1,
    "strategy/demo.py": 1,
    "systems/demo.py": 1,
    # Backup and restore (`manage.py backup`/`restore`, no request): every municipality's
    # rows, whole, through the base manager so no manager's filter leaves a row out.
    "core/backup.py": 8,
    # The calendar feed: its secret token names the municipality, no login does.
    "meetings/views/documents.py": 1,
    # Subqueries of the outer (scoped) row: the scope's `municipality_id = …` would lead
    # SQLite to walk the municipality's index instead of the parent's (see the comments).
    "benefits/services.py": 1,
    "portfolio/services.py": 1,
    # The national KLE catalogue: a code the file no longer has is ended, not deleted, while
    # any municipality's system or case uses it (the import and its command, no request's
    # data is shown).
    "systems/kle/services.py": 1,
    "systems/management/commands/import_kle.py": 1,
}


def unscoped_uses() -> Counter:
    uses: Counter = Counter()
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if SKIP & set(relative.parts) or relative.name == "conftest.py":
            continue
        found = len(UNSCOPED.findall(path.read_text(encoding="utf-8")))
        if found:
            uses[relative.as_posix()] = found
    return uses


def test_unscoped_queries_only_in_the_listed_places():
    uses = unscoped_uses()
    new = {path: n for path, n in uses.items() if path not in ALLOWED}
    assert not new, f"Unscoped queries in new places (use a scoped query): {new}"
    more = {path: (ALLOWED[path], n) for path, n in uses.items() if n > ALLOWED[path]}
    assert not more, f"More unscoped queries than allowed (allowed, now): {more}"


def test_the_scan_finds_what_it_looks_for():
    assert UNSCOPED.findall("Meeting._base_manager.filter(x) with scopes_disabled():")
    assert not UNSCOPED.findall("base_manager = 1; scopes_disabled")
    assert unscoped_uses()["core/models.py"] >= 1
