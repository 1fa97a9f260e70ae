"""The HTTP phase of `make bench`: the app as production runs it, under load.

gunicorn with two sync workers runs the production settings (`digistyr.settings.bench`) against
the benchmark's database, with production's persistent database connections; a second process
(`bench.driver`) drives it for `--http-seconds` with `--http-clients` clients, each logged
in as the administrator of one of several municipalities (the largest, the median one and
three more, round-robin). Each client requests the ten most used pages of its municipality
at random and, in a share of its actions, writes as a user does: it opens the form of a new
status report of one of the municipality's projects, or of an item of an agenda still being
drafted, and sends it back changed. Each write is tried once in process before the load
starts, so the payload is known to be accepted; a write the app refuses is left out and said.

Reported beside the in-process figures: requests/s, p50/p95/p99, the errors with samples,
and each page's count and p95; the target is ≥ 300 requests/s at p95 < 250 ms and no error.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string
from django_scopes import scopes_disabled

from bench import generate
from bench.driver import form_data
from meetings.models import AGENDA_EDITABLE, AgendaItem
from portfolio.models import COLOUR_FIELDS, Project

TARGET_REQUESTS_PER_SECOND = 300.0
TARGET_P95_MS = 250.0
WORKERS = 2
START_TIMEOUT = 60
# The ten pages a secretary, a chief and a board member open most (the names of bench.run).
LOAD_PAGES = [
    "home",
    "meeting_list",
    "meeting_detail",
    "case_detail",
    "followup_list",
    "project_list",
    "project_detail",
    "board",
    "body_detail",
    "search",
]
MUNICIPALITIES = 5


def municipalities(scale: float) -> list[str]:
    names = generate.municipality_names(scale)
    return names[:MUNICIPALITIES]


def _writes(municipality_id: int, client_number: int) -> list[dict]:
    """The client's writes: a status report of a project, an edit of an item of a draft
    agenda; each client its own project and item where there are enough, so that two
    clients do not edit one item (its revision check would refuse one of them)."""
    with scopes_disabled():
        projects = list(
            Project.objects.filter(municipality_id=municipality_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:50]
        )
        items = list(
            AgendaItem.objects.filter(
                meeting__municipality_id=municipality_id, meeting__state__in=AGENDA_EDITABLE
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:50]
        )
    writes = []
    if projects:
        path = reverse("portfolio:report_create", args=[projects[client_number % len(projects)]])
        writes.append(
            {
                "name": "status_report",
                "form": path,
                "action": path,
                "overrides": {
                    **{name: "green" for name in COLOUR_FIELDS},
                    "overall": "",
                    "progress": "Belastningstest, rapport {n} (demo)",
                },
            }
        )
    if items:
        path = reverse("meetings:item_edit", args=[items[client_number % len(items)]])
        writes.append(
            {
                "name": "agenda_edit",
                "form": path,
                "action": path,
                "overrides": {"case_text": "Sagsfremstilling, belastningstest {n} (demo)"},
            }
        )
    return writes


def _accepted(user, write: dict) -> str:
    """'' when the app takes the write as the driver will send it, else why not."""
    client = Client()
    client.force_login(user)
    page = client.get(write["form"])
    if page.status_code != 200:
        return f"GET {write['form']}: {page.status_code}"
    overrides = {name: value.replace("{n}", "0") for name, value in write["overrides"].items()}
    try:
        fields = form_data(page.content.decode(), write["action"], overrides)
    except ValueError as error:
        return str(error)
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    answer = client.post(write["action"], data)
    if answer.status_code not in (301, 302, 303):
        return f"POST {write['action']}: {answer.status_code}"
    return ""


def plan(scale: float, seconds: int, clients: int, write_share: float, log, find_targets):
    """The driver's plan: per client its cookies, pages and writes; and what was left out."""
    from bench.run import PAGES

    pages = {page.name: page for page in PAGES}
    csrf = get_random_string(32)
    specs, left_out, chosen = [], {}, []
    by_name = {}
    for name in municipalities(scale):
        targets = find_targets(name)
        client = Client()
        client.force_login(targets.user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        by_name[name] = (targets, session)
        chosen.append(name)
    for number in range(clients):
        name = chosen[number % len(chosen)]
        targets, session = by_name[name]
        writes = []
        for write in _writes(targets.municipality.pk, number):
            reason = _accepted(targets.user, write)
            if reason:
                left_out[write["name"]] = reason
            else:
                writes.append(write)
        specs.append(
            {
                "municipality": name,
                "cookies": f"{settings.SESSION_COOKIE_NAME}={session}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf}",
                "pages": [[page, pages[page].path(targets)] for page in LOAD_PAGES],
                "writes": writes,
            }
        )
    for name, reason in left_out.items():
        log(f"  the write {name} is left out: {reason}")
    return {"seconds": seconds, "write_share": write_share, "seed": 1, "clients": specs}, {
        "municipalities": chosen,
        "writes_left_out": left_out,
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    """The benchmark's database, as a URL another process can open."""
    values = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{values['NAME']}"
    user, password = values["USER"] or "", values["PASSWORD"] or ""
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host, port = values["HOST"] or "127.0.0.1", values["PORT"] or 5432
    return f"postgres://{credentials}{host}:{port}/{values['NAME']}"


def _wait_until_up(base_url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer in {START_TIMEOUT} s")


def http_phase(
    scale: float,
    seconds: int,
    clients: int,
    write_share: float,
    log: Callable[[str], None],
    find_targets,
) -> dict:
    log(f"HTTP phase: gunicorn ({WORKERS} workers), {clients} clients for {seconds} s …")
    driver_plan, chosen = plan(scale, seconds, clients, write_share, log, find_targets)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="digistyr-bench-http-") as folder:
        log_path = Path(folder) / "gunicorn.log"
        plan_path = Path(folder) / "plan.json"
        plan_path.write_text(json.dumps(driver_plan))
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "digistyr.settings.bench",
            "DATABASE_URL": _database_url(),
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,  # the sessions made here are signed with it
            "DIGISTYR_DATA_DIR": str(settings.DATA_DIR),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(WORKERS),
        }
        env.pop("DATABASE_CONN_MAX_AGE", None)  # production's own: persistent connections
        with log_path.open("w") as output:
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "scripts/gunicorn.conf.py",
                 "digistyr.wsgi"],
                cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            _wait_until_up(base_url, server, log_path)
            driver_plan["base_url"] = base_url
            plan_path.write_text(json.dumps(driver_plan))
            driven = subprocess.run(
                [sys.executable, "-m", "bench.driver", str(plan_path)],
                cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=seconds + 120,
            )  # fmt: skip
            if driven.returncode != 0:
                raise RuntimeError(f"the load driver failed:\n{driven.stderr[-3000:]}")
            result = json.loads(driven.stdout)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    meets = (
        result["requests_per_second"] >= TARGET_REQUESTS_PER_SECOND
        and result["p95_ms"] < TARGET_P95_MS
        and result["errors"] == 0
    )
    return {
        "server": {
            "gunicorn_workers": WORKERS,
            "worker_class": "sync",
            "settings": "production (digistyr.settings.bench: static files from the finders)",
            "database": connection.vendor,
            "conn_max_age": "production's (60 s, with health checks)",
        },
        "load": {
            "clients": clients,
            "write_share": write_share,
            "pages": LOAD_PAGES,
            "writes": sorted(
                {write["name"] for spec in driver_plan["clients"] for write in spec["writes"]}
            ),
            **chosen,
        },
        **result,
        "targets": {
            "requests_per_second": TARGET_REQUESTS_PER_SECOND,
            "p95_ms": TARGET_P95_MS,
            "errors": 0,
        },
        "meets_targets": meets,
    }


def table(http: dict) -> str:
    lines = [
        f"HTTP phase: gunicorn {http['server']['gunicorn_workers']} workers on "
        f"{http['server']['database']}, {http['load']['clients']} clients of "
        f"{len(http['load']['municipalities'])} municipalities, {http['seconds']} s, "
        f"writes {http['load']['write_share']:.0%} ({', '.join(http['load']['writes']) or '—'})",
        f"  {http['requests']} requests, {http['requests_per_second']} requests/s, "
        f"p50 {http['p50_ms']} ms, p95 {http['p95_ms']} ms, p99 {http['p99_ms']} ms, "
        f"{http['errors']} errors — target ≥ {TARGET_REQUESTS_PER_SECOND:.0f} requests/s at "
        f"p95 < {TARGET_P95_MS:.0f} ms, no error: {'yes' if http['meets_targets'] else 'MISS'}",
    ]
    lines += [
        f"  {name:<22}{page['requests']:>7} requests  p50 {page['p50_ms']:>7.1f}  "
        f"p95 {page['p95_ms']:>7.1f} ms  {page['errors']} errors"
        for name, page in http["pages"].items()
    ]
    lines += [f"  error: {sample}" for sample in http["error_samples"]]
    return "\n".join(lines)
