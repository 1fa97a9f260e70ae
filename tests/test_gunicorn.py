"""The app under gunicorn, as in production: two worker processes on a real database, driven
over HTTP — the probes, the login with its CSRF token, the front page, a meeting, and a
document made by a background job that the production worker (`rqworker`) takes from Redis —
and the JSON request lines they log.

The in-process test client shares one warm connection and one process with the test; this
shows that the app also works where each request may land in another process with its own
connection, on data committed to the database. It runs in both database passes:

- SQLite: pytest-django's test database lives in memory, which no other process can open,
  so the committed test data is copied into a database file (SQLite's backup) for gunicorn;
- PostgreSQL: gunicorn is pointed at pytest-django's test database by name.

The data is committed (`transactional_db`) and flushed after the test, as for a live server.
"""

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django_scopes import scopes_disabled

from core.models import Role
from tests.once import history_off
from tests.world import build_tenant

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "gunicorn-test-password"
REDIS_URL = "redis://127.0.0.1:6379/13"
START_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url_for_gunicorn(tmp_path: Path) -> str:
    """A URL another process can open, naming the test database with its committed rows."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = tmp_path / "gunicorn.sqlite3"
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return f"sqlite:///{target}"
    assert connection.vendor == "postgresql", connection.vendor
    user = urllib.parse.quote(settings["USER"] or "")
    password = urllib.parse.quote(settings["PASSWORD"] or "")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    return f"postgres://{credentials}{host}:{port}/{settings['NAME']}"


class Server:
    """A running gunicorn and a browser-like client for it (cookies kept, redirects followed)."""

    def __init__(self, base_url: str, process: subprocess.Popen, log: Path, env: dict):
        self.base_url = base_url
        self.process = process
        self.log = log
        self.env = env
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str, **headers: str):
        return self.request(path, None, headers)

    def post(self, path: str, data: dict, **headers: str):
        return self.request(path, urllib.parse.urlencode(data).encode(), headers)

    def request(self, path: str, data: bytes | None, headers: dict):
        status, headers, body, url = self.request_bytes(path, data, headers)
        return status, headers, body.decode(), url

    def request_bytes(self, path: str, data: bytes | None, headers: dict):
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers)
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read(), error.url
        with response:
            return response.status, dict(response.headers), response.read(), response.url

    def run_worker(self) -> None:
        """The job worker of production, in burst mode: it runs what is on the queue, then
        stops."""
        worker = subprocess.run(
            [sys.executable, "manage.py", "rqworker", "--job-class", "django_tasks_rq.Job",
             "--burst", "default"],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert worker.returncode == 0, (worker.stdout + worker.stderr)[-3000:]

    def request_lines(self) -> list[dict]:
        """The JSON lines the `digistyr.request` logger wrote (gunicorn's own lines aside)."""
        lines = []
        for line in self.log.read_text().splitlines():
            if line.startswith("{"):
                entry = json.loads(line)
                if entry.get("logger") == "digistyr.request":
                    lines.append(entry)
        return lines


@pytest.fixture
def world(transactional_db):
    """The test world, committed; the administrator's password hashed as a real server
    hashes (the suite's own hasher is the fast MD5, which the server does not accept)."""
    with history_off(), scopes_disabled():
        tenant = build_tenant("Norddjurs Kommune")
        admin = tenant.users[Role.ADMINISTRATOR]
        admin.password = PBKDF2PasswordHasher().encode(PASSWORD, "gunicorntestsalt")
        admin.save(update_fields=["password"])
    return tenant


@pytest.fixture
def server(world, tmp_path):
    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "digistyr.settings",
        "DATABASE_URL": database_url_for_gunicorn(tmp_path),
        "DIGISTYR_DATA_DIR": str(tmp_path / "data"),
        # A database of Redis of its own: the queue holds this test's jobs only.
        "DIGISTYR_REDIS_URL": REDIS_URL,
        "DIGISTYR_JSON_LOGS": "true",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    redis.Redis.from_url(REDIS_URL).flushdb()
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "scripts/gunicorn.conf.py", "digistyr.wsgi"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    running = Server(f"http://127.0.0.1:{port}", process, log, env)
    try:
        wait_until_up(running)
        yield running
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"gunicorn stopped at start:\n{server.log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(server.base_url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer in {START_TIMEOUT} s:\n{server.log.read_text()[-3000:]}")


def test_the_app_runs_under_gunicorn_on_the_test_database(server, world):
    workers = {line for line in server.log.read_text().splitlines() if "Booting worker" in line}
    assert len(workers) == 2, "two worker processes"

    status, _, body, _ = server.get("/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok"}
    status, _, body, _ = server.get("/readyz")
    assert status == 200, body
    assert json.loads(body)["checks"] == {"database": "ok", "migrations": "ok", "redis": "ok"}

    # Log in through the form, with the CSRF token of the page and its cookie.
    status, _, page, _ = server.get("/konto/login/")
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    admin = world.users[Role.ADMINISTRATOR]
    status, _, front, url = server.post(
        "/konto/login/",
        {"username": admin.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        Referer=server.base_url + "/konto/login/",
    )
    assert status == 200 and urllib.parse.urlparse(url).path == "/", f"login ended at {url}"
    assert "Norddjurs Kommune" in front

    meeting_path = f"/moeder/{world.meeting.pk}/"
    status, headers, meeting, _ = server.get(meeting_path, **{"X-Request-ID": "gunicorn-test-1"})
    assert status == 200 and world.meeting.body.name in meeting
    assert headers["X-Request-ID"] == "gunicorn-test-1"

    # A job through the queue (core.jobs): the wheel's PDF is asked for, the request puts
    # the job on Redis and sends the user to its page; the worker runs it; the file is there.
    status, _, waiting, job_url = server.get("/aarshjul/aarshjul.pdf")
    job_path = urllib.parse.urlparse(job_url).path
    assert status == 200 and re.fullmatch(r"/opgaver/[0-9a-f-]{36}/", job_path), job_url
    # (Not "the queue cannot be reached": the job is on Redis, not run in the request.)
    assert "Venter på at starte" in waiting, "the job waits for the worker"
    server.run_worker()
    status, _, page, _ = server.get(job_path)
    assert "Færdig" in page, page[-2000:]
    assert status == 200 and f"{job_path}fil/" in page, "the page offers the file"
    status, headers, pdf, _ = server.request_bytes(f"{job_path}fil/", None, {})
    assert status == 200 and pdf.startswith(b"%PDF-"), headers
    assert headers["Content-Type"] == "application/pdf"

    server.process.send_signal(signal.SIGTERM)
    server.process.wait(timeout=20)
    lines = server.request_lines()
    paths = [(line["method"], line["path"], line["status"]) for line in lines]
    assert ("GET", "/konto/login/", 200) in paths
    assert ("POST", "/konto/login/", 302) in paths
    assert ("GET", "/", 200) in paths
    assert ("GET", meeting_path, 200) in paths
    assert ("GET", "/aarshjul/aarshjul.pdf", 302) in paths
    assert not any(path in {"/healthz", "/readyz"} for _, path, _ in paths), "probes unlogged"
    [meeting_line] = [line for line in lines if line["path"] == meeting_path]
    assert meeting_line["request_id"] == "gunicorn-test-1"
    assert meeting_line["user_id"] == admin.pk
    assert meeting_line["municipality_id"] == world.municipality.pk
    assert admin.username not in json.dumps(lines), "no username in the log"
