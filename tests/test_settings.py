"""Settings: safe defaults from the environment, and production passes `check --deploy`."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from digistyr.env import env_bool, env_list, env_str, secret_key

ROOT = Path(__file__).resolve().parent.parent


def production_env(tmp_path) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "digistyr.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "digistyr.norddjurs.dk",
        "DIGISTYR_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests, never in production
    return env


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = production_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# Prints the headers production settings give every answer (as the middleware builds them).
PRODUCTION_HEADERS = """
import json
from django.conf import settings
from csp.utils import build_policy
from core.middleware import permissions_policy
print(json.dumps({
    "csp": build_policy(),
    "permissions": permissions_policy(settings.PERMISSIONS_POLICY),
    "referrer": settings.SECURE_REFERRER_POLICY,
    "coop": settings.SECURE_CROSS_ORIGIN_OPENER_POLICY,
    "max_request_mb": settings.MAX_REQUEST_MB,
    "middleware": settings.MIDDLEWARE,
}))
"""


def test_production_states_the_security_headers(tmp_path):
    env = {**production_env(tmp_path), "DIGISTYR_MAX_REQUEST_MB": "40"}
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_HEADERS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    headers = json.loads(result.stdout)
    directives = dict((part.split(" ", 1) + [""])[:2] for part in headers["csp"].split("; "))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert directives["upgrade-insecure-requests"] == ""
    assert "camera=()" in headers["permissions"] and "microphone=()" in headers["permissions"]
    assert headers["referrer"] == "same-origin" and headers["coop"] == "same-origin"
    assert headers["max_request_mb"] == 40
    # The size limit comes before anything that may read the body (CSRF, sessions, views).
    middleware = headers["middleware"]
    limit = middleware.index("core.middleware.RequestSizeLimitMiddleware")
    assert limit < middleware.index("django.middleware.csrf.CsrfViewMiddleware")
    assert middleware.index("csp.middleware.CSPMiddleware") < limit


DATABASE_OF = """
import json
from django.conf import settings
database = settings.DATABASES["default"]
print(json.dumps([database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]]))
"""


def test_production_keeps_its_database_connections_and_checks_them(tmp_path):
    env = production_env(tmp_path)
    env.pop("DATABASE_CONN_MAX_AGE", None)
    read = [sys.executable, "-c", DATABASE_OF]
    result = subprocess.run(read, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [60, True]
    development = {**env, "DJANGO_SETTINGS_MODULE": "digistyr.settings"}
    result = subprocess.run(
        read, cwd=ROOT, env=development, capture_output=True, text=True, timeout=60
    )
    assert json.loads(result.stdout)[0] == 0, "make run: a connection per request"


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    first = secret_key(tmp_path)
    assert len(first) > 50
    assert secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_env_helpers(monkeypatch, tmp_path):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_LIST", "a.dk, b.dk,")
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-file\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret_file))
    assert env_bool("X_BOOL") is True and env_bool("X_MISSING", True) is True
    assert env_list("X_LIST", []) == ["a.dk", "b.dk"]
    assert env_str("X_SECRET") == "from-file"


def test_every_apps_tests_are_collected():
    """pytest's `testpaths` names every folder with tests: a new app's tests run in CI."""
    import tomllib

    testpaths = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"][
            "testpaths"
        ]
    )
    skipped = {".venv", "node_modules", "data", ".git"}
    with_tests = {
        folder.name
        for folder in ROOT.iterdir()
        if folder.is_dir() and folder.name not in skipped and any(folder.rglob("test_*.py"))
    }
    assert with_tests <= testpaths, f"Add to testpaths in pyproject.toml: {with_tests - testpaths}"


PLANNER_OPTIONS_OF = """
import json
from django.conf import settings
print(json.dumps(settings.DATABASES["default"].get("OPTIONS", {}).get("options", "")))
"""


@pytest.mark.django_db
def test_postgresql_connections_plan_for_a_database_in_memory(tmp_path):
    """random_page_cost 1.1 on every PostgreSQL connection (the default 4 makes the planner
    hash whole tables of every municipality); empty DATABASE_RANDOM_PAGE_COST leaves it to the
    server; SQLite gets no such option."""
    env = {**production_env(tmp_path), "DATABASE_URL": "postgres://digistyr@db.example/digistyr"}
    read = [sys.executable, "-c", PLANNER_OPTIONS_OF]

    def options(**extra) -> str:
        result = subprocess.run(
            read, cwd=ROOT, env={**env, **extra}, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    assert options() == "-c random_page_cost=1.1"
    assert options(DATABASE_RANDOM_PAGE_COST="1.5") == "-c random_page_cost=1.5"
    assert options(DATABASE_RANDOM_PAGE_COST="") == ""
    assert options(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}") == ""
    if connection.vendor == "postgresql":  # the PostgreSQL pass: the live connection has it
        with connection.cursor() as cursor:
            cursor.execute("SHOW random_page_cost")
            assert cursor.fetchone()[0] == "1.1"
