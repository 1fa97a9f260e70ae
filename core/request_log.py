"""One JSON line per request, a request id on every answer, and the JSON log formatter.

With `DIGISTYR_JSON_LOGS` on (production), `RequestLogMiddleware` writes one line per request
to the `digistyr.request` logger: time, level, method, the path without its query string
(which may hold search words), status, duration, the user's and municipality's ids and the
request id. Never a name or an e-mail address: the log leaves the municipality's hands (a
log service, a support case) more easily than the database does.

The request id is the client's `X-Request-ID` when it is sane (a load balancer's or a
proxy's), else a new one; it is echoed back in the answer's `X-Request-ID` and added to every
other record logged while the request runs (an error with its traceback), so one id finds
everything about one request.
"""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

logger = logging.getLogger("digistyr.request")

HEADER = "X-Request-ID"
# What a proxy's or load balancer's id looks like (a UUID, AWS's "Root=1-…", a hex string);
# anything else (too long, spaces, quotes, control characters) is replaced, never logged.
_SANE_ID = re.compile(r"^[A-Za-z0-9._:=+/-]{8,128}$")

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)


def request_id_of(request: HttpRequest) -> str:
    given = request.headers.get(HEADER, "")
    return given if _SANE_ID.match(given) else uuid.uuid4().hex


class RequestLogMiddleware:
    """Gives each request its id and, with `JSON_LOGS` on, logs one line about it.

    Placed early, so the duration covers the other middleware; it reads the user and the
    municipality after the answer, when the authentication and tenant middleware have set them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_of(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[HEADER] = request_id
        if settings.JSON_LOGS:
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            log_request(request, response, request_id, duration_ms)
        return response


def log_request(
    request: HttpRequest, response: HttpResponse, request_id: str, duration_ms: float
) -> None:
    status = response.status_code
    level = logging.ERROR if status >= 500 else logging.INFO
    logger.log(
        level,
        "request",
        extra={
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": duration_ms,
            "user_id": _user_id(request),
            "municipality_id": _municipality_id(request),
            "request_id": request_id,
        },
    )


def _user_id(request: HttpRequest) -> int | None:
    """The logged-in user's id, without loading a session only to log it (a request refused
    before the authentication middleware has a lazy user nobody looked at)."""
    user = request.__dict__.get("user")
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


def _municipality_id(request: HttpRequest) -> int | None:
    municipality = getattr(request, "municipality", None)
    return municipality.pk if municipality is not None else None


# The attributes every LogRecord has; anything else on a record came from `extra=`. Django's
# `django.request` records carry the request object, whose text holds the query string: left out.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName", "request"}


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: time (UTC, ISO 8601), level, logger, message, the
    record's `extra` fields, the current request id and, for an exception, its traceback.

    `LOGGING` uses it for every record when `DIGISTYR_JSON_LOGS` is on: the request lines,
    Django's errors and warnings, the security log's warnings.
    """

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        request_id = current_request_id.get()
        if request_id and "request_id" not in line:
            line["request_id"] = request_id
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str, ensure_ascii=False)
