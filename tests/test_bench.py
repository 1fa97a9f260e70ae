"""`manage.py bench` end to end at a tiny scale, in its own process and its own database.

The command starts a child process with DATABASE_URL pointing at a SQLite file under the
given data folder, so neither the developer's database nor pytest's test database is touched
(and DATABASE_URL of a PostgreSQL test run is ignored on purpose).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from bench import generate
from bench.run import PAGES

ROOT = Path(__file__).resolve().parent.parent
NUMERIC = [
    "p50_ms",
    "p95_ms",
    "queries",
    "queries_small",
    "queries_large",
    "raw_sql_ms",
    "target_p95_ms",
    "target_queries",
]


def test_bench_measures_every_page_with_constant_queries(tmp_path):
    output = tmp_path / "results.json"
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    command = [
        sys.executable, "manage.py", "bench", "--scale", "0.02", "--requests", "1",
        "--warmup", "1", "--output", str(output), "--data-dir", str(tmp_path),
    ]  # fmt: skip
    completed = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert (tmp_path / "bench-0.02.sqlite3").exists()

    report = json.loads(output.read_text())
    metadata = report["metadata"]
    assert metadata["scale"] == 0.02
    assert metadata["database"]["vendor"] == "sqlite"
    assert metadata["row_counts"]["Municipality"] == 2
    assert metadata["row_counts"]["Membership"] > 0
    assert metadata["machine"]["cores"] >= 1

    assert [page["name"] for page in report["pages"]] == [page.name for page in PAGES]
    for page in report["pages"]:
        for key in NUMERIC:
            value = page[key]
            assert isinstance(value, int | float) and not isinstance(value, bool), (page, key)
            assert value >= 0, (page["name"], key)
        assert page["path"].startswith("/")
        assert isinstance(page["meets_targets"], bool)
        assert page["constant"], (
            f"{page['name']}: {page['queries_small']} queries in the small municipality, "
            f"{page['queries_large']} in the large one"
        )
    assert "meet the targets" in completed.stdout


def test_scale_sets_municipalities_and_rows():
    assert len(generate.municipality_names(1.0)) == 98
    assert generate.municipality_names(0.02)[:2] == [generate.LARGE, generate.MEASURED]
    assert len(generate.municipality_names(0.1)) == 10
    assert generate.size_for(1.0) == generate.Size(
        units=60, people=600, bodies=40, memberships=1500
    )
    small, large = generate.size_for(0.1), generate.size_for(0.1, generate.LARGE_FACTOR)
    assert large.people == 5 * small.people and large.memberships == 5 * small.memberships
