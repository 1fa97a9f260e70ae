"""Prometheus metrics (`core.metrics`): off by default (404), on with `METRICS`; only for
the allowed addresses or the token's holder; the application's own metrics."""

import pytest
from prometheus_client import REGISTRY

from core import metrics

pytestmark = pytest.mark.django_db


@pytest.fixture
def metrics_on(settings):
    settings.METRICS = True
    settings.METRICS_ALLOWED = ["127.0.0.1", "::1", "10.1.0.0/16"]
    settings.METRICS_TOKEN = "s3cret-scraper-token"


def requests_counted(view: str) -> float:
    return (
        REGISTRY.get_sample_value(
            "django_http_requests_total_by_view_transport_method_total",
            {"view": view, "transport": "http", "method": "GET"},
        )
        or 0.0
    )


def test_metrics_are_off_by_default(client, settings):
    settings.METRICS = False
    before = requests_counted("login")
    client.get("/konto/login/")
    assert requests_counted("login") == before, "nothing is counted while metrics are off"
    assert client.get("/metrics").status_code == 404


def test_metrics_count_requests_and_answer_in_the_exposition_format(client, metrics_on):
    before = requests_counted("login")
    assert client.get("/konto/login/").status_code == 200
    assert requests_counted("login") == before + 1

    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    text = response.content.decode()
    assert "# TYPE django_http_requests_total_by_method_total counter" in text
    assert 'django_http_requests_total_by_view_transport_method_total{method="GET"' in text
    assert "digistyr_job_queue_length" in text and "digistyr_mail_sent" in text


def test_metrics_are_refused_to_an_address_not_allowed(client, metrics_on):
    response = client.get("/metrics", REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 404
    assert b"django_http" not in response.content
    # A forwarded address is the client's own word: it does not count.
    response = client.get("/metrics", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.status_code == 404


def test_an_allowed_network_and_the_token_are_let_in(client, metrics_on):
    assert client.get("/metrics", REMOTE_ADDR="10.1.4.2").status_code == 200
    bearer = {"HTTP_AUTHORIZATION": "Bearer s3cret-scraper-token"}
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.10", **bearer).status_code == 200
    wrong = {"HTTP_AUTHORIZATION": "Bearer s3cret-scraper-tokeN"}
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.10", **wrong).status_code == 404


def test_no_token_configured_lets_no_bearer_in(client, metrics_on, settings):
    settings.METRICS_TOKEN = ""
    response = client.get("/metrics", REMOTE_ADDR="192.0.2.10", HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 404


def test_the_application_metrics_are_recorded_only_while_on(settings):
    def value(name, labels=None):
        return REGISTRY.get_sample_value(name, labels or {}) or 0.0

    settings.METRICS = False
    failed, sent = (
        value("digistyr_jobs_failed_total"),
        value("digistyr_mail_sent_total", {"status": "sent"}),
    )
    metrics.job_failed()
    metrics.mail_sent("sent")
    metrics.job_queue_length(99)
    assert value("digistyr_jobs_failed_total") == failed
    assert value("digistyr_mail_sent_total", {"status": "sent"}) == sent

    settings.METRICS = True
    metrics.job_failed()
    metrics.mail_sent("sent")
    metrics.mail_sent("sent")
    metrics.job_queue_length(7)
    assert value("digistyr_jobs_failed_total") == failed + 1
    assert value("digistyr_mail_sent_total", {"status": "sent"}) == sent + 2
    assert value("digistyr_job_queue_length") == 7
