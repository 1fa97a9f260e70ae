"""Liveness (`/healthz`) and readiness (`/readyz`) for the container runtime and the load
balancer.

The two answer different questions, so they check different things:

- **/healthz** — "is this process alive?" It checks nothing outside the process. A
  container's restart policy acts on it, and a database or Redis outage must not make every
  app container restart at once (they would come back to the same outage).
- **/readyz** — "may this process take traffic?" The database answers, the migrations of
  this code are applied, and Redis (the job queue) answers when `DIGISTYR_REDIS_URL` is set.
  The load balancer takes an instance out of rotation while it answers 503, and puts it back
  when it answers 200 again.

Both need no login, touch no session and say nothing about anyone: a load balancer sends no
cookies, and the answers name only the checks.

`ProbeMiddleware` answers them (and `/metrics`) before the session, the authentication and
the host check: a load balancer or Prometheus asks an instance by its address (`Host:
10.0.3.7:8000`), which is not in `ALLOWED_HOSTS` and would be refused with 400 further down.
It sits below the security-header middleware, so its answers carry the same headers as any
other, and production exempts these paths from the HTTPS redirect (the probes speak plain
HTTP to the container). The URL patterns name the same views, for `reverse()` and the
permission matrix.
"""

import logging
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger("digistyr.health")

# How long Redis may take to answer a PING before the instance is reported not ready.
REDIS_TIMEOUT_SECONDS = 0.5

# Once every migration of this code was found applied, that stays true for the life of the
# process (a migration is not unapplied under a running deployment; new code means new
# processes): the check, which reads every migration file, runs once per process, not per probe.
_migrations_applied = False


class ProbeMiddleware:
    """Answers `/healthz`, `/readyz` and `/metrics` before the rest of the middleware."""

    def __init__(self, get_response):
        from core.metrics import metrics

        self.get_response = get_response
        self.views = {"/healthz": healthz, "/readyz": readyz, "/metrics": metrics}

    def __call__(self, request: HttpRequest):
        view = self.views.get(request.path_info)
        if view is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        try:
            return view(request)
        except Http404:
            # `/metrics` while off or to a stranger: on through the stack, to the same 404
            # page as an unknown address.
            return self.get_response(request)


@never_cache
@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Nothing outside it is asked."""
    return JsonResponse({"status": "ok"})


@never_cache
@login_not_required
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 with every check "ok", or 503 naming the check that failed."""
    checks = {"database": _database()}
    if checks["database"] == "ok":
        checks["migrations"] = _migrations()
    if settings.REDIS_URL:
        checks["redis"] = _redis(settings.REDIS_URL)
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


def _database() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        # The reason goes to the log, not to whoever asks: it may name hosts and users.
        logger.exception("Readiness: the database does not answer")
        return "failed"
    return "ok"


def _migrations() -> str:
    global _migrations_applied
    if _migrations_applied:
        return "ok"
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        logger.exception("Readiness: the migrations could not be read")
        return "failed"
    if plan:
        logger.warning("Readiness: %d migrations are not applied", len(plan))
        return "pending"
    _migrations_applied = True
    return "ok"


def _redis(url: str) -> str:
    import redis

    started = time.monotonic()
    client = redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except (redis.RedisError, OSError):
        logger.warning(
            "Readiness: Redis does not answer (%.0f ms)", (time.monotonic() - started) * 1000
        )
        return "failed"
    finally:
        client.close()
    return "ok"
