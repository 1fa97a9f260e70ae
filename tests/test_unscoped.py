"""Tenancy has no new escape hatches: the unscoped `_base_manager` and `scopes_disabled()` are
used only in the places listed here, outside tests and migrations.

Every tenant model's default manager is scoped with django-scopes, so a query outside a
municipality's scope raises instead of leaking. `_base_manager` and `scopes_disabled()` go
around that. The places below are safe today because each filters by a parent found in
scope, or runs outside any request (the demo, the benchmark, the calendar feed whose secret
token names the municipality). The numbers may only go down: replace a use by a scoped
query and lower its count here; a new place or a higher count fails.
"""

import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", "migrations", "tests", "data"}
UNSCOPED = re.compile(r"\b_base_manager\b|\bscopes_disabled\(\)")

# file: uses today (issue 12 removes them)
ALLOWED = {
    # Outside requests: the benchmark's generator and measurement, the demo loaders.
    "bench/generate.py": 4,
    "bench/run.py": 5,
    "demo/management/commands/demo_logins.py": 1,
    "demo/management/commands/load_demo.py": 1,
    "meetings/demo.py": 1,
    "meetings/demo_year.py": 1,
    "organisation/demo.py": 1,
    "planning/demo_current.py": 1,
    "planning/demo_plans.py": 1,
    "planning/demo_wheel.py": 1,
    "portfolio/demo.py": 1,
    "strategy/demo.py": 1,
    # In requests, each filtered by a parent found in the municipality's scope.
    "benefits/serializers.py": 1,
    "benefits/services.py": 1,
    "meetings/api.py": 1,
    "meetings/models.py": 4,
    "meetings/serializers.py": 4,
    "meetings/services.py": 16,
    "meetings/views/cases.py": 1,
    "meetings/views/documents.py": 1,
    "organisation/models.py": 2,
    "planning/plans.py": 1,
    "planning/views_plans.py": 1,
    "portfolio/access.py": 1,
    "portfolio/models.py": 1,
    "portfolio/pack.py": 1,
    "portfolio/services.py": 1,
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
    assert unscoped_uses()["meetings/services.py"] >= 1
