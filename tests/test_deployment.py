"""The deployment files, checked without building or pulling an image (no network here):
compose.yaml's services, commands and health checks, the Containerfile's steps, gunicorn's
settings and `scripts/serve`'s refusal without PostgreSQL and Redis."""

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_has_the_five_services(compose):
    assert set(compose["services"]) == {"app", "worker", "scheduler", "postgres", "redis"}
    assert compose["services"]["postgres"]["image"] == "postgres:16"
    assert compose["services"]["redis"]["image"] == "redis:7"


def test_compose_runs_gunicorn_the_worker_and_the_scheduler_from_one_image(compose):
    services = compose["services"]
    assert services["app"]["build"]["dockerfile"] == "Containerfile"
    for name in ("app", "worker", "scheduler"):
        assert services[name]["image"] == "digistyr:latest", name
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "digistyr.settings.production", name
        assert (
            env["DATABASE_URL"].startswith("postgres://")
            and "@postgres:5432/" in env["DATABASE_URL"]
        )
        assert env["DIGISTYR_REDIS_URL"] == "redis://redis:6379/0", name
        assert env["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?"), "required, no default"
    app = services["app"]["command"]
    assert "manage.py migrate --noinput" in app
    assert "gunicorn -c scripts/gunicorn.conf.py digistyr.wsgi" in app
    assert services["app"]["environment"]["GUNICORN_WORKERS"]
    assert services["worker"]["command"] == (
        "python manage.py rqworker --job-class django_tasks_rq.Job default"
    )
    assert services["scheduler"]["command"] == "python manage.py run_scheduled --every 300"


def test_the_commands_compose_names_exist():
    commands = get_commands()
    assert commands["rqworker"] == "django_rq"
    scheduled = load_command_class(commands["run_scheduled"], "run_scheduled")
    options = scheduled.create_parser("manage.py", "run_scheduled").parse_args(["--every", "300"])
    assert options.every == 300


def test_compose_health_checks(compose):
    services = compose["services"]
    app = " ".join(services["app"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/readyz" in app
    # The worker and the scheduler only start once the app is ready (migrations applied).
    for name in ("worker", "scheduler"):
        assert services[name]["depends_on"] == {"app": {"condition": "service_healthy"}}
        assert services[name]["healthcheck"]["test"][:3] == ["CMD", "python", "-c"]
    assert services["app"]["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]
    assert "ping" in services["redis"]["healthcheck"]["test"]


def test_the_worker_health_check_passes_against_a_database_and_redis(compose):
    """The worker's check, run here against this machine's PostgreSQL and Redis."""
    code = compose["services"]["worker"]["healthcheck"]["test"][3]
    env = {
        **os.environ,
        "DIGISTYR_REDIS_URL": "redis://127.0.0.1:6379/0",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    }
    ok = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=20)
    assert ok.returncode == 0, ok.stderr
    env["DIGISTYR_REDIS_URL"] = "redis://127.0.0.1:1/0"
    down = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=20)
    assert down.returncode != 0


def test_the_containerfile_builds_a_slim_non_root_production_image():
    text = (ROOT / "Containerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim$", text, re.M)
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert package in text
    assert "uv sync --frozen --no-dev" in text
    assert "npm ci --omit=dev" in text and "node_modules/dkfds" in text
    assert "collectstatic --noinput" in text
    assert re.search(r"^USER digistyr$", text, re.M)
    assert 'CMD ["gunicorn", "-c", "scripts/gunicorn.conf.py", "digistyr.wsgi"]' in text
    assert "DJANGO_SETTINGS_MODULE=digistyr.settings.production" in text
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", "node_modules", "data", ".git"} <= set(ignored)


def test_gunicorn_takes_its_workers_and_address_from_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:9001")
    config = runpy.run_path(str(ROOT / "scripts" / "gunicorn.conf.py"))
    assert config["workers"] == 3 and config["bind"] == "127.0.0.1:9001"
    assert config["accesslog"] is None, "Django writes the request lines"
    monkeypatch.delenv("GUNICORN_WORKERS")
    assert 3 <= runpy.run_path(str(ROOT / "scripts" / "gunicorn.conf.py"))["workers"] <= 8


@pytest.mark.parametrize(
    "env, message",
    [
        ({}, "set DATABASE_URL"),
        ({"DATABASE_URL": "postgres://x@127.0.0.1/x"}, "set DIGISTYR_REDIS_URL"),
        (
            {"DATABASE_URL": "sqlite:///x.sqlite3", "DIGISTYR_REDIS_URL": "redis://x"},
            "must name PostgreSQL",
        ),
    ],
)
def test_serve_refuses_to_start_without_postgresql_and_redis(env, message):
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DIGISTYR_REDIS_URL"}
    }
    result = subprocess.run(
        [str(ROOT / "scripts" / "serve")], env={**environ, **env}, capture_output=True,
        text=True, timeout=20,
    )  # fmt: skip
    assert result.returncode == 2
    assert message in result.stderr
