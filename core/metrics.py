"""Prometheus metrics (django-prometheus), behind `DIGISTYR_METRICS`.

The two middleware and the `/metrics` URL are always installed and ask `settings.METRICS`
on every request: off (the default), the middleware pass the request straight on and
`/metrics` answers 404 like any unknown address; on, django-prometheus counts every request
and `/metrics` answers in Prometheus's text format. Asking per request, not at start-up,
lets a test switch metrics on with `override_settings`.

`/metrics` answers only addresses in `DIGISTYR_METRICS_ALLOWED` (addresses or networks,
default 127.0.0.1 and ::1: the scraper on the same host) or a request that carries
`Authorization: Bearer <DIGISTYR_METRICS_TOKEN>`; anyone else gets 404. The address is the
connection's own (`REMOTE_ADDR`), never `X-Forwarded-For`, which a client can write.

Several processes (gunicorn's workers, the job worker) each count on their own; with
`PROMETHEUS_MULTIPROC_DIR` set to a folder they share (`scripts/serve`, `compose.yaml`)
prometheus_client adds them up (its multiprocess mode), and `/metrics` reports the sum.

`job_queue_length`, `job_failed` and `mail_sent` are the application's own metrics, for the
job and mail code to call whenever something happens; they do nothing while metrics are off.
"""

import hmac
import ipaddress
import logging
import os

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django_prometheus.middleware import PrometheusAfterMiddleware, PrometheusBeforeMiddleware
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    generate_latest,
    multiprocess,
)

logger = logging.getLogger("digistyr.metrics")

# The application's own metrics. The gauge keeps the value most recently set by any process
# (in multiprocess mode, too).
_job_queue_length = Gauge(
    "digistyr_job_queue_length",
    "Jobs waiting in the queue, as last reported.",
    multiprocess_mode="mostrecent",
)
_jobs_failed = Counter("digistyr_jobs_failed", "Jobs that failed after their last attempt.")
_mail_sent = Counter("digistyr_mail_sent", "Outgoing e-mails by outcome.", ["status"])


def enabled() -> bool:
    return bool(getattr(settings, "METRICS", False))


def job_queue_length(value: int) -> None:
    """Report how many jobs wait in the queue now."""
    if enabled():
        _job_queue_length.set(value)


def job_failed() -> None:
    """Count a job that failed for good (its last attempt)."""
    if enabled():
        _jobs_failed.inc()


def mail_sent(status: str) -> None:
    """Count an outgoing e-mail by its outcome ("sent", "failed", "retry" …: a short, fixed
    word, never an address, since every distinct value becomes a time series)."""
    if enabled():
        _mail_sent.labels(status=status).inc()


class MetricsBeforeMiddleware(PrometheusBeforeMiddleware):
    """django-prometheus's first middleware, only while metrics are on."""

    def __call__(self, request):
        if not enabled():
            return self.get_response(request)
        return super().__call__(request)


class MetricsAfterMiddleware(PrometheusAfterMiddleware):
    """django-prometheus's last middleware, only while metrics are on. Its view and
    exception hooks are called by Django whatever `__call__` did, so they ask too."""

    def __call__(self, request):
        if not enabled():
            return self.get_response(request)
        return super().__call__(request)

    def process_view(self, request, view_func, *view_args, **view_kwargs):
        if enabled():
            super().process_view(request, view_func, *view_args, **view_kwargs)

    def process_template_response(self, request, response):
        if enabled():
            return super().process_template_response(request, response)
        return response

    def process_exception(self, request, exception):
        if enabled():
            super().process_exception(request, exception)


def _allowed_address(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for allowed in settings.METRICS_ALLOWED:
        try:
            if ip in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            logger.warning("DIGISTYR_METRICS_ALLOWED names no address: %r", allowed)
    return False


def _token_matches(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if not token or not given.startswith("Bearer "):
        return False
    return hmac.compare_digest(given.removeprefix("Bearer ").encode(), token.encode())


@never_cache
@login_not_required
def metrics(request: HttpRequest) -> HttpResponse:
    """The metrics in Prometheus's text format, to an allowed address or the token's holder;
    404 to everyone else and while metrics are off, so the address says nothing."""
    if not enabled():
        raise Http404
    if not (_allowed_address(request.META.get("REMOTE_ADDR", "")) or _token_matches(request)):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
