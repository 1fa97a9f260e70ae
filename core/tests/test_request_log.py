"""The request log (`core.request_log`): with JSON logs on, one line of JSON per request with
the ids and no personal data; the request id on every answer."""

import io
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from core.models import Role
from core.request_log import JsonFormatter, current_request_id

ROOT = Path(__file__).resolve().parent.parent.parent
FIELDS = {
    "time", "level", "logger", "message", "method", "path", "status", "duration_ms",
    "user_id", "municipality_id", "request_id",
}  # fmt: skip


@pytest.fixture
def lines(settings):
    """What the request logger writes, as the production handler formats it."""
    settings.JSON_LOGS = True
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("digistyr.request")
    logger.addHandler(handler)
    try:
        yield lambda: stream.getvalue().splitlines()
    finally:
        logger.removeHandler(handler)


def test_one_json_line_per_request_with_ids_and_no_personal_data(client, t, lines):
    user = t.users[Role.SECRETARY]
    user.email = "sekretaer@norddjurs.dk"
    user.first_name, user.last_name = "Sanne", "Sekretærsen"
    user.save()
    client.force_login(user)
    response = client.get(reverse("organisation:body_list") + "?q=Borgerblikket")
    assert response.status_code == 200

    [line] = lines()
    entry = json.loads(line)
    assert FIELDS <= set(entry)
    assert entry["method"] == "GET" and entry["status"] == 200
    assert entry["path"] == reverse("organisation:body_list"), "no query string"
    assert entry["user_id"] == user.pk
    assert entry["municipality_id"] == user.municipality_id
    assert isinstance(entry["duration_ms"], float) and entry["duration_ms"] > 0
    assert entry["level"] == "INFO" and entry["logger"] == "digistyr.request"
    assert entry["request_id"] == response["X-Request-ID"]
    for personal in (user.username, user.email, "Sanne", "Sekretærsen", "Borgerblikket"):
        assert personal not in line


def test_an_anonymous_request_has_no_user_and_no_municipality(client, db, lines):
    response = client.get(reverse("login"))
    [entry] = [json.loads(line) for line in lines()]
    assert entry["user_id"] is None and entry["municipality_id"] is None
    assert entry["status"] == response.status_code == 200


def test_a_sane_request_id_is_echoed_and_a_bad_one_replaced(client, db, lines):
    given = "0f9c2d1e-7a4b-4c1d-9e2f-3a5b6c7d8e9f"
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID=given)
    assert response["X-Request-ID"] == given
    bad = 'x" onmouseover=alert(1) ' + "a" * 200
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID=bad)
    assert response["X-Request-ID"] != bad and len(response["X-Request-ID"]) == 32
    ids = [json.loads(line)["request_id"] for line in lines()]
    assert ids == [given, response["X-Request-ID"]]


def test_every_answer_has_a_request_id_and_nothing_is_logged_with_json_logs_off(
    client, db, settings
):
    settings.JSON_LOGS = False
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logging.getLogger("digistyr.request").addHandler(handler)
    try:
        first = client.get(reverse("login"))
        second = client.get(reverse("login"))
    finally:
        logging.getLogger("digistyr.request").removeHandler(handler)
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert stream.getvalue() == ""


def test_the_formatter_writes_errors_with_their_traceback_and_the_request_id():
    logger = logging.getLogger("digistyr.test")
    try:
        raise ValueError("kaput")
    except ValueError:
        record = logger.makeRecord(
            "digistyr.test", logging.ERROR, __file__, 1, "Failed %s", ("job",), sys.exc_info()
        )
    token = current_request_id.set("abc123abc123")
    try:
        entry = json.loads(JsonFormatter().format(record))
    finally:
        current_request_id.reset(token)
    assert entry["message"] == "Failed job" and entry["level"] == "ERROR"
    assert "ValueError: kaput" in entry["exc_info"]
    assert entry["request_id"] == "abc123abc123"


def test_django_request_records_leave_the_request_object_out():
    """Django's `django.request` warnings carry the request, whose text has the query."""
    record = logging.makeLogRecord(
        {"msg": "Not Found: /x", "levelno": 30, "levelname": "WARNING", "status_code": 404,
         "request": "<WSGIRequest: GET '/x?q=Hemmelig'>"}
    )  # fmt: skip
    entry = json.loads(JsonFormatter().format(record))
    assert entry["status_code"] == 404 and "request" not in entry
    assert "Hemmelig" not in json.dumps(entry)


# Reads the settings module only (no app loading): about a second.
LOGGING_OF = """
import json
from django.conf import settings
print(json.dumps(settings.LOGGING["handlers"]["console"].get("formatter")))
"""


@pytest.mark.parametrize(
    "module, formatter",
    [("digistyr.settings", None), ("digistyr.settings.production", "json")],
)
def test_json_logs_are_on_in_production_and_off_for_make_run(tmp_path, module, formatter):
    from tests.test_settings import production_env

    environ = {**production_env(tmp_path), "DJANGO_SETTINGS_MODULE": module}
    environ.pop("DIGISTYR_JSON_LOGS", None)
    result = subprocess.run(
        [sys.executable, "-c", LOGGING_OF],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == formatter
