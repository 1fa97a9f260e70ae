"""gunicorn's settings for digistyr (`gunicorn -c scripts/gunicorn.conf.py digistyr.wsgi`).

Read from the environment, so the container, `make serve` and the tests start it alike:
GUNICORN_BIND (default 0.0.0.0:8000), GUNICORN_WORKERS (default 2 × cores + 1, at most 8),
GUNICORN_TIMEOUT (default 60 s: a WeasyPrint document takes about a second, an import more).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS") or min(2 * multiprocessing.cpu_count() + 1, 8))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# A worker is replaced after this many requests (with jitter, so not all at once): memory a
# long-lived process gathers (WeasyPrint's font caches, fragmentation) is given back.
max_requests = 2000
max_requests_jitter = 200
# The heartbeat files in memory, not on a container's overlay disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# No control socket (gunicorn 24+ opens one in $HOME by default): nothing uses it, a container's
# home may be read-only, and two servers on one host would share the one path.
control_socket_disable = True
# Django logs one JSON line per request itself (core.request_log): no access log here.
accesslog = None
errorlog = "-"
# The client's scheme and address come from the proxy's headers, read by Django
# (SECURE_PROXY_SSL_HEADER, DIGISTYR_PROXY_COUNT), not by gunicorn.


def child_exit(server, worker):
    """Prometheus's multiprocess mode: a dead worker's live gauges are removed."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
