"""/healthz (liveness) and /readyz (readiness): what each checks, and that a probe needs no
login, sets no cookie and is answered whatever Host it names."""

import socket
import time

import pytest
from django.db.migrations.executor import MigrationExecutor

from core import health

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_port():
    """A local port nothing listens on: bound, then closed again."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_up():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        pytest.fail("Redis must run on 127.0.0.1:6379 (the machine and .ci/run start it)")


def test_healthz_answers_without_asking_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_with_the_database_and_migrations_is_ready(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok"},
    }
    assert not response.cookies, "a probe sets no cookie"


def test_readyz_with_redis_down_is_503_naming_redis_and_quick(client, settings, closed_port):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port}/0"
    started = time.monotonic()
    response = client.get("/readyz")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"] == {"database": "ok", "migrations": "ok", "redis": "failed"}
    assert elapsed < 2, f"a dead Redis held the probe for {elapsed:.1f} s"


def test_readyz_with_redis_up_is_ready(client, settings, redis_up):
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok", "redis": "ok"}


def test_readyz_with_a_migration_not_applied_is_503(client, settings, monkeypatch):
    settings.REDIS_URL = ""
    monkeypatch.setattr(health, "_migrations_applied", False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("m", False)])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "migrations": "pending"}


def test_readyz_with_the_database_down_is_503(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    connection = health.connections["default"]

    def refused(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refused)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "failed"}}


def test_the_migration_check_runs_once_per_process(client, settings, monkeypatch):
    settings.REDIS_URL = ""
    client.get("/readyz")
    assert health._migrations_applied
    monkeypatch.setattr(MigrationExecutor, "__init__", lambda *a, **k: pytest.fail("re-read"))
    assert client.get("/readyz").status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_an_unknown_host_and_a_logged_in_user_alike(client, settings, path, users):
    """A load balancer asks by the instance's address, which is not an allowed host."""
    settings.REDIS_URL = ""
    assert client.get(path, HTTP_HOST="10.0.3.7:8000").status_code == 200
    client.force_login(users["reader"])
    response = client.get(path)
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    # The security headers are on a probe's answer too.
    assert "camera=()" in response["Permissions-Policy"]
    assert "Content-Security-Policy" in response
