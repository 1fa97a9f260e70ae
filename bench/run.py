"""Measure every page, document and API list of the app on the generated dataset.

Runs inside the benchmark's own process (started by `manage.py bench`), whose default
database is the benchmark database. Each page is requested through Django's test `Client`,
logged in as the administrator of a typical municipality (Norddjurs): a few warm-up
requests, then N timed ones (p50/p95 of the time `client.get` takes, i.e. the whole
server side: middleware, view, queries, template). One more request runs under
`CaptureQueriesContext` for the query count; its SELECT statements are then run again
straight on the cursor (and their rows fetched) to time the raw SQL behind the page. The
same page is requested in the large municipality (København, five times the rows) to check
that the number of queries does not grow with the data.
"""

import gc
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from bench import generate
from benefits.models import Benefit
from core import memory
from core.models import Municipality, Role, User
from meetings import services as meeting_services
from meetings.models import CalendarFeed, Case, Meeting
from organisation.models import Body, Mandate, OrgUnit, Person
from planning.models import AnnualPlan
from portfolio.models import Project, Risk
from strategy.models import Strategy

TARGET_PAGE_P95_MS = 100.0
TARGET_DOCUMENT_P95_MS = 1000.0
TARGET_QUERIES = 12
# A page or API list takes at most this many times the time of its raw SQL, at p50.
TARGET_SQL_RATIO = 3.0
RAW_REPEATS = 5
# A document is sampled for at most this long in each municipality (the steering-group pack
# of København takes more than a minute), and at least MIN_SAMPLES times (MIN_SAMPLES_LARGE
# in the large one), after one warm-up.
DOCUMENT_BUDGET_S = 60.0
MIN_SAMPLES = 5
MIN_SAMPLES_LARGE = 3
# A word the generated decisions contain (in about one item in twelve), for the search page.
SEARCH_WORD = "Borgerblikket"
# The apps whose rows are counted per municipality and in all.
APPS = (
    "organisation",
    "meetings",
    "portfolio",
    "benefits",
    "strategy",
    "planning",
    "search",
    "systems",
)


@dataclass(frozen=True)
class Page:
    name: str
    url_name: str
    kind: str  # "page", "api" or "document"
    args: Callable[["Targets"], list] = lambda targets: []
    query: str = ""
    # A document made by a background job (`core.jobs`): in production the request only starts
    # the job and no worker waits for the document; here the job runs in the request, so its
    # time and queries are the job's. It is judged by constancy alone.
    job: bool = False

    @property
    def target_p95_ms(self) -> float:
        return TARGET_DOCUMENT_P95_MS if self.kind == "document" else TARGET_PAGE_P95_MS

    def path(self, targets: "Targets") -> str:
        url = reverse(self.url_name, args=self.args(targets))
        return f"{url}?{self.query}" if self.query else url


PAGES = [
    Page("home", "home", "page"),
    Page("body_list", "organisation:body_list", "page", query="status=alle"),
    Page("body_detail", "organisation:body_detail", "page", lambda t: [t.body]),
    Page("person_list", "organisation:person_list", "page"),
    Page("person_detail", "organisation:person_detail", "page", lambda t: [t.person]),
    Page("orgunit_list", "organisation:orgunit_list", "page"),
    Page("orgunit_detail", "organisation:orgunit_detail", "page", lambda t: [t.unit]),
    Page("mandate_detail", "organisation:mandate_detail", "page", lambda t: [t.mandate]),
    Page("body_history", "organisation:history", "page", lambda t: ["organ", t.body]),
    Page("memo", "organisation:memo", "page"),
    Page("user_list", "user_list", "page"),
    Page("memo_pdf", "organisation:memo_pdf", "document", job=True),
    Page("memo_docx", "organisation:memo_docx", "document", job=True),
    Page("members_xlsx", "organisation:members_xlsx", "document"),
    Page("api_bodies", "body-list", "api"),
    Page("api_persons", "person-list", "api"),
    Page("api_memberships", "membership-list", "api"),
    Page("api_orgunits", "orgunit-list", "api"),
    Page("api_mandates", "mandate-list", "api"),
    Page("api_composition_rules", "compositionrule-list", "api"),
    Page("api_body_composition", "body-composition", "api", lambda t: [t.body]),
    Page("meeting_list", "meetings:meeting_list", "page"),
    Page("meeting_detail", "meetings:meeting_detail", "page", lambda t: [t.meeting]),
    Page("decision_list", "meetings:decision_list", "page"),
    Page("decision_search", "meetings:decision_list", "page", query=f"q={SEARCH_WORD}"),
    Page("search", "search:results", "page", query=f"q={SEARCH_WORD}"),
    Page("case_detail", "meetings:case_detail", "page", lambda t: [t.case]),
    Page("followup_list", "meetings:followup_list", "page"),
    Page("case_list", "meetings:case_list", "page"),
    Page("agenda_pdf", "meetings:agenda_pdf", "document", lambda t: [t.meeting]),
    Page("minutes_pdf", "meetings:minutes_pdf", "document", lambda t: [t.meeting]),
    Page("meeting_ics", "meetings:meeting_ics", "document", lambda t: [t.meeting]),
    Page("feed_body", "meetings:feed_body", "document", lambda t: [t.body_feed]),
    Page("feed_person", "meetings:feed_person", "document", lambda t: [t.person_feed]),
    Page("decisions_xlsx", "meetings:decision_xlsx", "document"),
    Page("project_list", "portfolio:project_list", "page"),
    Page("project_detail", "portfolio:project_detail", "page", lambda t: [t.project]),
    Page("board", "portfolio:board", "page"),
    Page("risk_list", "portfolio:risk_list", "page"),
    Page("benefit_overview", "benefits:benefit_overview", "page"),
    Page("projects_xlsx", "portfolio:project_list_xlsx", "document"),
    Page("risks_xlsx", "portfolio:risk_list_xlsx", "document"),
    Page("benefits_xlsx", "benefits:benefit_list_xlsx", "document"),
    Page("pack_pdf", "pack:pack_pdf", "document", lambda t: [t.meeting], job=True),
    Page("api_projects", "project-list", "api"),
    Page("api_status_reports", "statusreport-list", "api"),
    Page("api_risks", "risk-list", "api"),
    Page("api_benefits", "benefit-list", "api"),
    Page("plan_list", "planning:plan_list", "page"),
    Page("plan_detail", "planning:plan_detail", "page", lambda t: [t.plan]),
    Page("plan_scores", "planning:plan_scores", "page", lambda t: [t.draft_plan]),
    Page("plan_pdf", "planning:plan_pdf", "document", lambda t: [t.plan], job=True),
    Page("plan_docx", "planning:plan_docx", "document", lambda t: [t.plan], job=True),
    Page("wheel", "planning:wheel", "page"),
    Page("wheel_activities", "planning:activity_list", "page"),
    Page("wheel_ics", "planning:wheel_ics", "document"),
    Page("wheel_pdf", "planning:wheel_pdf", "document", job=True),
    Page("health", "planning:health", "page"),
    Page("health_mine", "planning:health", "page", query="mine=1"),
    Page("strategy_detail", "strategy:strategy_detail", "page", lambda t: [t.strategy]),
    Page("coverage", "portfolio:coverage", "page"),
    Page("proposal_list", "planning:proposal_list", "page"),
    Page("api_plan_entries", "planentry-list", "api"),
    Page("api_wheel", "wheel-list", "api"),
    Page("api_health", "governance-health-list", "api"),
    Page("api_meetings", "meeting-list", "api"),
    Page("api_decisions", "decision-list", "api"),
    # The IT system register (issue 18): the list, filtered to what needs attention, as Excel.
    Page("usage_list", "systems:usage_list", "page"),
    Page("usage_list_flagged", "systems:usage_list", "page", query="persondata=sensitive&flag=ja"),
    Page("usages_xlsx", "systems:usage_list_xlsx", "document"),
]


@dataclass
class Targets:
    """The objects a municipality's detail pages are measured on: the heaviest of each kind."""

    municipality: Municipality
    user: User
    body: int  # the body with the most current members
    person: int  # the person with the most memberships
    unit: int  # the unit with the most people
    mandate: int  # the body's current mandate
    meeting: int  # the meeting with the most items (the steering group's 20-item meeting)
    case: int  # the case treated most often
    project: int  # the project with the most status reports (and risks and benefits)
    rows: dict[str, int] = field(default_factory=dict)
    plan: int = 0  # this year's action plan
    draft_plan: int = 0  # next year's plan, a draft that can still be scored
    strategy: int = 0  # the current strategy
    body_feed: str = ""  # the calendar feed tokens of the body and the person
    person_feed: str = ""


def find_targets(name: str) -> Targets:
    today = timezone.localdate()
    with scopes_disabled():
        municipality = Municipality.objects.get(slug=generate.municipality_slug(name))
        m = municipality.pk
        current = Q(memberships__start__lte=today) & (
            Q(memberships__end__isnull=True) | Q(memberships__end__gte=today)
        )
        body = (
            Body.objects.filter(municipality=m)
            .annotate(n=Count("memberships", filter=current))
            .order_by("-n", "pk")
            .values_list("pk", flat=True)[0]
        )
        person = (
            Person.objects.filter(municipality=m)
            .annotate(n=Count("memberships"))
            .order_by("-n", "pk")
            .values_list("pk", flat=True)[0]
        )
        unit = (
            OrgUnit.objects.filter(municipality=m)
            .annotate(n=Count("people"))
            .order_by("-n", "pk")
            .values_list("pk", flat=True)[0]
        )
        mandate = (
            Mandate.objects.filter(body_id=body, approved_on__lte=today)
            .order_by("-version")
            .values_list("pk", flat=True)
            .first()
        ) or (
            Mandate.objects.filter(municipality=m)
            .annotate(n=Count("rules"))
            .order_by("-n", "pk")
            .values_list("pk", flat=True)[0]
        )
        meeting = (
            Meeting.objects.filter(municipality=m)
            .annotate(n=Count("items"))
            .order_by("-n", "-date", "pk")
            .values_list("pk", flat=True)[0]
        )
        case = (
            Case.objects.filter(municipality=m)
            .annotate(n=Count("items"))
            .order_by("-n", "pk")
            .values_list("pk", flat=True)[0]
        )
        # the project with the most status reports among those with risks and benefits, so
        # that the card shows every part in both municipalities
        project = (
            Project.objects.filter(municipality=m)
            .filter(Exists(Risk.objects.filter(project=OuterRef("pk"))))
            .filter(Exists(Benefit.objects.filter(project=OuterRef("pk"))))
            .annotate(n=Count("status_reports"))
            .order_by("-n", "pk")
            .values_list("pk", flat=True)[0]
        )
        user = User.objects.filter(municipality=m, role=Role.ADMINISTRATOR).order_by("pk")[0]
        rows = {
            model.__name__: model._base_manager.filter(municipality=m).count()
            for label in APPS
            for model in apps.get_app_config(label).get_models()
            if not model.__name__.startswith("Historical")
            and any(f.name == "municipality" for f in model._meta.fields)
        }
        plan = (
            AnnualPlan.objects.filter(municipality=m, year=today.year)
            .values_list("pk", flat=True)
            .first()
        ) or 0
        draft_plan = (
            AnnualPlan.objects.filter(municipality=m, year=today.year + 1)
            .values_list("pk", flat=True)
            .first()
        ) or 0
        strategy = (
            Strategy.objects.filter(municipality=m, start_year__lte=today.year)
            .order_by("-start_year")
            .values_list("pk", flat=True)
            .first()
        ) or 0
        body_feed = _feed_token(Body.objects.get(pk=body))
        person_feed = _feed_token(Person.objects.get(pk=person))
    return Targets(
        municipality,
        user,
        body,
        person,
        unit,
        mandate,
        meeting,
        case,
        project,
        rows,
        plan,
        draft_plan,
        strategy,
        body_feed,
        person_feed,
    )


def _feed_token(target: Body | Person) -> str:
    """The secret token of the calendar feed of `target`, made the first time."""
    kind = "body" if isinstance(target, Body) else "person"
    feed = CalendarFeed.within(target).filter(**{kind: target}).first()
    if feed is None:
        meeting_services.renew_calendar_feed(target)
        feed = CalendarFeed.within(target).get(**{kind: target})
    return feed.token


def _get(client: Client, path: str) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds of one request (CPU time includes SQLite's work,
    which runs in this process, but not the waiting for a core on a busy machine)."""
    started, started_cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    if response.streaming:
        b"".join(response.streaming_content)
    elapsed = (time.perf_counter() - started) * 1000
    elapsed_cpu = (time.process_time() - started_cpu) * 1000
    if response.status_code != 200:
        raise CommandError(f"GET {path} answered {response.status_code}")
    return elapsed, elapsed_cpu


def _timings(
    client: Client,
    path: str,
    count: int,
    warmup: int,
    budget_s: float | None = None,
    at_least: int = MIN_SAMPLES,
) -> tuple[list[float], list[float]]:
    """`count` timed requests after `warmup` untimed ones; with `budget_s`, fewer when they
    take longer than that in all (but at least `at_least`)."""
    for _ in range(warmup):
        _get(client, path)
    gc.collect()
    samples: list[tuple[float, float]] = []
    started = time.perf_counter()
    while len(samples) < count:
        samples.append(_get(client, path))
        spent = time.perf_counter() - started
        if budget_s is not None and spent > budget_s and len(samples) >= at_least:
            break
    return [wall for wall, _cpu in samples], [cpu for _wall, cpu in samples]


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * pct / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _queries(client: Client, path: str) -> list[str]:
    """The page's SQL statements: the fewer of two requests, so that a write that is not the
    page's (the session's idle-time refresh after a long document) is not counted as its."""
    runs = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            _get(client, path)
        runs.append([query["sql"] for query in captured.captured_queries])
    return min(runs, key=len)


def _raw_sql_ms(statements: list[str]) -> float:
    """Run the page's SELECT statements again, straight on the cursor, fetching every row."""
    selects = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    runs = []
    with connection.cursor() as cursor:
        for _ in range(RAW_REPEATS):
            started = time.perf_counter()
            for sql in selects:
                cursor.execute(sql)
                cursor.fetchall()
            runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def _request_count(page: Page, requests: int) -> int:
    """N for pages and API lists (50); two fifths of that for the documents (20)."""
    if page.kind == "document":
        return max(1, round(requests * 2 / 5))
    return requests


def judge(page: Page, small: dict, large: dict) -> list[str]:
    """What `page` falls short of, in the median municipality and in the largest: p95, the
    query count and its constancy, and (pages and API lists) p50 against the raw SQL. A
    document made by a job blocks no worker whatever it takes: only its constancy counts."""
    misses = []
    if page.job:
        if small["queries"] != large["queries"]:
            misses.append(
                f"queries not constant: {small['queries']} small, {large['queries']} large"
            )
        return misses
    for where, figures in (("", small), (f" in {generate.LARGE}", large)):
        if figures["p95_ms"] > page.target_p95_ms:
            misses.append(f"p95{where} {figures['p95_ms']:.1f} ms > {page.target_p95_ms:.0f} ms")
        if page.kind != "document":
            limit = TARGET_SQL_RATIO * figures["raw_sql_ms"]
            if figures["p50_ms"] > limit:
                misses.append(
                    f"p50{where} {figures['p50_ms']:.1f} ms > {TARGET_SQL_RATIO:g}× its raw SQL "
                    f"({figures['raw_sql_ms']:.1f} ms)"
                )
    if small["queries"] > TARGET_QUERIES:
        misses.append(f"{small['queries']} queries > {TARGET_QUERIES}")
    if small["queries"] != large["queries"]:
        misses.append(f"queries not constant: {small['queries']} small, {large['queries']} large")
    return misses


def select_pages(names: list[str] | None) -> list[Page]:
    """The pages to measure: all of them, or those named (in the benchmark's order)."""
    if not names:
        return list(PAGES)
    known = {page.name for page in PAGES}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise CommandError(
            f"Unknown pages: {', '.join(unknown)}. Known: {', '.join(p.name for p in PAGES)}."
        )
    return [page for page in PAGES if page.name in names]


def _warm_like_a_worker(client: Client, paths: list[str]) -> None:
    """Serve each page once, then freeze what the process holds for the garbage collector, as
    a production worker does after its first `DIGISTYR_GC_FREEZE_AFTER` requests
    (`core.memory`): the timings are those of a warm worker, not of full collections walking
    Django's own objects inside whichever page comes first (København's front page: p95
    ~320 ms with them, ~160 ms without). The HTTP phase under gunicorn keeps the real worker's
    whole life, cold start included."""
    for path in paths:
        _get(client, path)
    memory.freeze()


def measure(
    requests: int, warmup: int, log: Callable[[str], None], pages: list[Page]
) -> tuple[list[dict], dict]:
    small = find_targets(generate.MEASURED)
    large = find_targets(generate.LARGE)
    clients = {}
    for key, targets in (("small", small), ("large", large)):
        clients[key] = Client()
        clients[key].force_login(targets.user)
    _warm_like_a_worker(clients["small"], [page.path(small) for page in pages])
    results = []
    for page in pages:
        path, path_large = page.path(small), page.path(large)
        count = _request_count(page, requests)
        document = page.kind == "document"
        budget = DOCUMENT_BUDGET_S if document else None
        doc_warmup = min(warmup, 1) if document else warmup
        timings, cpu = _timings(clients["small"], path, count, doc_warmup, budget)
        statements = _queries(clients["small"], path)
        raw_ms = _raw_sql_ms(statements)
        statements_large = _queries(clients["large"], path_large)
        raw_ms_large = _raw_sql_ms(statements_large)
        timings_large, _cpu = _timings(
            clients["large"], path_large, count, doc_warmup, budget, MIN_SAMPLES_LARGE
        )
        p50, p95 = statistics.median(timings), _percentile(timings, 95)
        p50_large, p95_large = statistics.median(timings_large), _percentile(timings_large, 95)
        queries, queries_large = len(statements), len(statements_large)
        constant = queries == queries_large
        misses = judge(
            page,
            {"p50_ms": p50, "p95_ms": p95, "raw_sql_ms": raw_ms, "queries": queries},
            {
                "p50_ms": p50_large,
                "p95_ms": p95_large,
                "raw_sql_ms": raw_ms_large,
                "queries": queries_large,
            },
        )
        results.append(
            {
                "name": page.name,
                "url_name": page.url_name,
                "kind": page.kind,
                "job": page.job,
                "path": path,
                "requests": len(timings),
                "p50_ms": round(p50, 2),
                "p95_ms": round(p95, 2),
                "queries": queries,
                "queries_small": queries,
                "queries_large": queries_large,
                "constant": constant,
                "raw_sql_ms": round(raw_ms, 2),
                "cpu_p50_ms": round(statistics.median(cpu), 2),
                "cpu_p95_ms": round(_percentile(cpu, 95), 2),
                "target_p95_ms": page.target_p95_ms,
                "target_queries": TARGET_QUERIES,
                "meets_targets": not misses,
                "misses": misses,
                "sql_ratio": round(p50 / raw_ms, 1) if raw_ms else None,
                "path_large": path_large,
                "requests_large": len(timings_large),
                "p50_ms_large": round(p50_large, 2),
                "p95_ms_large": round(p95_large, 2),
                "raw_sql_ms_large": round(raw_ms_large, 2),
                "sql_ratio_large": round(p50_large / raw_ms_large, 1) if raw_ms_large else None,
            }
        )
        log(
            f"  {page.name:<24} p95 {p95:8.1f} ms, {generate.LARGE} {p95_large:8.1f} ms, "
            f"{queries:3d} queries"
        )
    municipalities = {
        key: {
            "name": targets.municipality.name,
            "rows": targets.rows,
            "body": targets.body,
            "person": targets.person,
            "unit": targets.unit,
            "mandate": targets.mandate,
            "meeting": targets.meeting,
            "case": targets.case,
            "project": targets.project,
        }
        for key, targets in (("small", small), ("large", large))
    }
    return results, municipalities


def row_counts() -> dict[str, int]:
    counts = {}
    with scopes_disabled():
        for label in ("core", *APPS):
            for model in apps.get_app_config(label).get_models():
                counts[model.__name__] = model._base_manager.count()
    return counts


def _memory_gb() -> float | None:
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        return None
    return None


def _load_average() -> list[float] | None:
    """1, 5 and 15 minute load averages: timings on a busy machine are inflated."""
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def _database_info() -> dict:
    settings_dict = connection.settings_dict
    info = {"vendor": connection.vendor}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            info["version"] = cursor.fetchone()[0]
            info["name"] = Path(settings_dict["NAME"]).name
        else:
            cursor.execute("SHOW server_version")
            info["version"] = cursor.fetchone()[0]
            info["name"] = settings_dict["NAME"]
            info["host"] = settings_dict.get("HOST") or "local socket"
    info["persistent_connection"] = True  # the test Client keeps one connection open
    return info


def prepare(scale: float, regenerate: bool, own_database: bool, log) -> dict:
    """Migrate the benchmark database and make sure it holds the dataset of `scale`."""
    log(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", interactive=False, verbosity=0)
    meta = generate.read_meta() or {}
    wanted = {"generator": generate.GENERATOR_VERSION, "scale": repr(scale)}
    complete = meta.get("complete") == "1" and all(meta.get(k) == v for k, v in wanted.items())
    if complete and not regenerate:
        log(f"Reusing the dataset generated {meta.get('generated_at')} (--regenerate to force).")
        return {**meta, "reused": True}
    with scopes_disabled():
        holds_data = Municipality.objects.exists()
    if holds_data:
        if not own_database and not meta:
            raise CommandError(
                "The database given with --database-url holds data the benchmark did not "
                "generate; refusing to touch it. Give it an empty database."
            )
        log("Emptying the benchmark database …")
        call_command("flush", interactive=False, verbosity=0)
        generate.clear_meta()
    log(f"Generating the dataset at scale {scale} …")
    result = generate.generate(scale, log=log)
    meta = {
        **wanted,
        "complete": "1",
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "generation_seconds": str(result["seconds"]),
    }
    generate.write_meta(meta)
    log(f"Generated {sum(result['rows'].values()):,} rows in {result['seconds']} s.")
    return {**meta, "reused": False}


def run(
    scale: float,
    output: Path,
    requests: int,
    warmup: int,
    regenerate: bool,
    own_database: bool,
    log: Callable[[str], None],
    page_names: list[str] | None = None,
    http_seconds: int = 0,
    http_clients: int = 10,
    http_writes: float = 0.1,
) -> dict:
    selected = select_pages(page_names)
    dataset = prepare(scale, regenerate, own_database, log)
    log(f"Measuring {len(selected)} pages, {requests} requests each …")
    started, load_before = time.perf_counter(), _load_average()
    pages, municipalities = measure(requests, warmup, log, selected)
    report = {
        "metadata": {
            "date": timezone.now().isoformat(timespec="seconds"),
            "scale": scale,
            "database": _database_info(),
            "row_counts": row_counts(),
            "machine": {
                "cores": os.cpu_count(),
                "memory_gb": _memory_gb(),
                "platform": platform.platform(),
                "python": sys.version.split()[0],
                "django": django.get_version(),
            },
            "dataset": {
                "municipalities": len(generate.municipality_names(scale)),
                "generator": generate.GENERATOR_VERSION,
                "generated_at": dataset.get("generated_at"),
                "generation_seconds": float(dataset.get("generation_seconds", 0)),
                "reused": dataset["reused"],
                "measured": municipalities["small"],
                "large": municipalities["large"],
            },
            "method": {
                "client": "django.test.Client, force_login as administrator",
                "warm_worker": "each page served once, then gc.freeze() as core.memory does "
                "after a production worker's first requests",
                "warmup_requests": warmup,
                "requests_large": "as many as in the median municipality",
                "requests_documents": "two fifths of requests, after one warm-up, for at most "
                f"{DOCUMENT_BUDGET_S:g} s in each municipality (at least {MIN_SAMPLES}, "
                f"{MIN_SAMPLES_LARGE} in the large one)",
                "requests": requests,
                "raw_sql_repeats": RAW_REPEATS,
                "measuring_seconds": round(time.perf_counter() - started, 1),
                "load_average_before": load_before,
                "load_average_after": _load_average(),
            },
            "targets": {
                "page_p95_ms": TARGET_PAGE_P95_MS,
                "document_p95_ms": TARGET_DOCUMENT_P95_MS,
                "queries": TARGET_QUERIES,
                "constant_queries": True,
                "sql_ratio_p50": TARGET_SQL_RATIO,
                "judged_in": ["median", "largest"],
            },
        },
        "pages": pages,
        "summary": {
            "pages": len(pages),
            "meeting_targets": sum(p["meets_targets"] for p in pages),
            "missing_targets": [p["name"] for p in pages if not p["meets_targets"]],
        },
    }
    if http_seconds:
        from bench import load

        report["http"] = load.http_phase(
            scale, http_seconds, http_clients, http_writes, log, find_targets
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    log("")
    log(table(report))
    if "http" in report:
        from bench import load

        log("")
        log(load.table(report["http"]))
    log(f"\nWrote {output}")
    return report


def table(report: dict) -> str:
    meta = report["metadata"]
    rows = meta["row_counts"]
    lines = [
        f"digistyr benchmark {meta['date']}, scale {meta['scale']}, "
        f"{meta['database']['vendor']} {meta['database']['version']}, "
        f"{meta['machine']['cores']} cores; {meta['dataset']['municipalities']} municipalities, "
        f"{rows.get('Person', 0):,} people, {rows.get('Membership', 0):,} memberships; "
        f"timed in {meta['dataset']['measured']['name']}; "
        f"load average {meta['method']['load_average_before']}",
        "",
        f"{'page':<24}{'p50 ms':>9}{'p95 ms':>9}{'target':>8}{'CPU p50':>9}{'queries':>9}"
        f"{'large':>7}{'raw SQL ms':>12}{'×SQL':>7}{'p95 large':>11}{'×SQL large':>11}  ok",
    ]
    for page in report["pages"]:
        ratio = page.get("sql_ratio")
        ratio_large = page.get("sql_ratio_large")
        lines.append(
            f"{page['name']:<24}{page['p50_ms']:>9.1f}{page['p95_ms']:>9.1f}"
            f"{page['target_p95_ms']:>8.0f}{page['cpu_p50_ms']:>9.1f}"
            f"{page['queries']:>9d}{page['queries_large']:>7d}"
            f"{page['raw_sql_ms']:>12.2f}{ratio if ratio is not None else '–':>7}"
            f"{page['p95_ms_large']:>11.1f}{ratio_large if ratio_large is not None else '–':>11}  "
            f"{('job' if page.get('job') else 'yes') if page['meets_targets'] else 'MISS'}"
        )
    summary = report["summary"]
    lines.append("")
    lines.append(
        f"{summary['meeting_targets']} of {summary['pages']} meet the targets "
        f"(p95 ≤ {TARGET_PAGE_P95_MS:.0f} ms pages/API, ≤ {TARGET_DOCUMENT_P95_MS:.0f} ms "
        f"documents, in the median and the largest municipality; pages and API lists "
        f"≤ {TARGET_SQL_RATIO:g}× their raw SQL at p50; ≤ {TARGET_QUERIES} queries; constant "
        f'in the number of rows; a document made by a job ("job") blocks no worker and is '
        f"judged by its constancy alone)."
    )
    for page in report["pages"]:
        if not page["meets_targets"]:
            lines.append(f"  MISS {page['name']} ({page['path']}): {'; '.join(page['misses'])}")
    return "\n".join(lines)
