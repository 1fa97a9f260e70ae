"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

Every page a browser test shows is checked with axe-core (WCAG 2.0/2.1 A and AA plus best
practices) and must have no violations:

- `visit(path)` opens a page, asserts the HTTP status and that static files loaded, and runs axe;
- `submit(action)` performs an action that navigates (a form submission), asserts the status of
  the page it lands on and runs axe there;
- `htmx_swap(action)` performs an action that makes htmx swap content in place, waits for the
  swap to settle and runs axe on the result;
- `axe()` checks the page as it is now.

A guard makes sure nothing slips through: a page that loads, or an htmx swap that settles,
without being checked by axe afterwards fails the test at teardown.

The pages run under the app's Content-Security-Policy. An init script (which the policy does
not govern) collects every violation Chromium reports into `window.__cspViolations`; each
axe check, and the guard at teardown, asserts there are none. axe itself is injected with
`page.evaluate`, which the policy does not govern either, never as an inline script.
"""

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in the test thread; the ORM must still work there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import Page, Response, sync_playwright  # noqa: E402

from tests import factories  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
TIMEOUT_MS = 15_000

# Counts htmx swaps in the page, so tests can wait for one and the guard can see unchecked ones.
SWAP_COUNTER_JS = """
window.__digistyrSwaps = 0;
document.addEventListener("htmx:afterSettle", () => { window.__digistyrSwaps += 1; });
"""

# Collects the Content-Security-Policy violations Chromium reports in each document.
CSP_VIOLATIONS_JS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push({
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        source: event.sourceFile,
        line: event.lineNumber,
        sample: event.sample,
    });
}, true);
"""
# The violations so far; a report is queued as a task, so let the queued tasks run first.
READ_CSP_VIOLATIONS_JS = """async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    return window.__cspViolations || [];
}"""


def pytest_collection_modifyitems(items):
    """Everything under tests/browser is a browser test, whether or not it says so itself."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def date_format(browser) -> str:
    """The order in which this chromium's date fields take typed digits, e.g. "%m%d%Y".

    It follows the browser's UI language, not the page's locale, so it is found by trying.
    """
    context = browser.new_context()
    try:
        probe = context.new_page()
        probe.set_content('<input type="date" id="probe">')
        probe.focus("#probe")
        probe.keyboard.type("01022003")
        value = probe.input_value("#probe")
    finally:
        context.close()
    return {"2003-01-02": "%m%d%Y", "2003-02-01": "%d%m%Y"}.get(value, "%Y%m%d")


@pytest.fixture
def type_date(page: Page, date_format: str) -> Callable:
    """Move to a date field with Tab and type a date into it, digit by digit."""

    def go(selector: str, day) -> None:
        tab_to(page, selector)
        page.keyboard.type(day.strftime(date_format))
        assert page.locator(selector).input_value() == day.isoformat()

    return go


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


@dataclass
class PageState:
    """What the guard knows about the page: loads and swaps not yet checked, failed requests."""

    unchecked_loads: list[str] = field(default_factory=list)
    checked_swaps: int = 0
    failed_requests: list[str] = field(default_factory=list)


@pytest.fixture
def page_state() -> PageState:
    return PageState()


def _open_page(browser, base_url: str, page_state: PageState):
    """A fresh browser tab (own cookies) on the server, in Danish like a Danish browser, with
    the guard that every load and swap was checked by axe."""
    context = browser.new_context(
        base_url=base_url, locale="da-DK", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.add_init_script(SWAP_COUNTER_JS)
    page.add_init_script(CSP_VIOLATIONS_JS)

    def on_load(p: Page) -> None:
        page_state.unchecked_loads.append(p.url)
        page_state.checked_swaps = 0  # a new document counts its swaps from 0

    def on_response(response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            page_state.failed_requests.append(f"{response.status} {response.url}")

    page.on("load", on_load)
    page.on("response", on_response)
    yield page
    try:
        if not page.is_closed():
            swaps = page.evaluate("window.__digistyrSwaps || 0")
            assert_no_csp_violations(page)
            assert not page_state.unchecked_loads, (
                f"pages shown without an axe check: {page_state.unchecked_loads}"
            )
            assert swaps <= page_state.checked_swaps, (
                f"{swaps - page_state.checked_swaps} htmx swap(s) on {page.url} not checked by axe"
            )
    finally:
        context.close()


@pytest.fixture
def page(browser, live_server, page_state):
    """A tab on pytest-django's live server: the test's own data, flushed after it."""
    yield from _open_page(browser, live_server.url, page_state)


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe found {len(violations)} violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation.get('impact')}]: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    at {target}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:300]}")
    return "\n".join(lines)


def csp_violations(page: Page) -> list[dict]:
    """The Content-Security-Policy violations Chromium reported in the page's document."""
    return page.evaluate(READ_CSP_VIOLATIONS_JS)


def assert_no_csp_violations(page: Page) -> None:
    violations = csp_violations(page)
    assert not violations, f"Content-Security-Policy violations on {page.url}:\n" + "\n".join(
        f"- {v['directive']} blocked {v['blocked'] or '?'} ({v['source'] or '?'}:{v['line']})"
        f"{' ' + v['sample'] if v['sample'] else ''}"
        for v in violations
    )


@pytest.fixture(scope="session")
def axe_passed() -> set[str]:
    """Fingerprints of documents axe already passed in this session (the login page, say)."""
    return set()


# The document as axe sees it, minus what differs between sessions (CSRF tokens).
FINGERPRINT_JS = """() => [
    window.innerWidth, window.innerHeight,
    document.activeElement ? document.activeElement.outerHTML.slice(0, 300) : "",
    document.documentElement.outerHTML,
].join("\\n")"""
TOKEN = re.compile(r"[A-Za-z0-9]{32,}")


@pytest.fixture
def axe(page: Page, page_state: PageState, axe_source: str, axe_passed) -> Callable[[], None]:
    """Run axe-core on the page as it is now and assert that it finds no violations.

    A document identical to one that already passed (up to CSRF tokens) is not checked again.
    Either way the page must have had no Content-Security-Policy violation.
    """

    def check() -> None:
        page.wait_for_load_state("load")
        assert not page_state.failed_requests, (
            f"requests failed on {page.url}: {page_state.failed_requests}"
        )
        fingerprint = hashlib.sha256(
            TOKEN.sub("-", page.evaluate(FINGERPRINT_JS)).encode()
        ).hexdigest()
        if fingerprint in axe_passed:
            page_state.unchecked_loads.clear()
            page_state.checked_swaps = page.evaluate("window.__digistyrSwaps || 0")
            assert_no_csp_violations(page)
            return
        if not page.evaluate("typeof window.axe === 'object'"):
            # Not as an inline <script>: the page's CSP would block it.
            page.evaluate(axe_source)
        result = page.evaluate(
            """async (tags) => {
                const results = await axe.run(document, {
                    runOnly: {type: "tag", values: tags},
                    resultTypes: ["violations"],
                });
                return {violations: results.violations, swaps: window.__digistyrSwaps || 0};
            }""",
            AXE_TAGS,
        )
        page_state.unchecked_loads.clear()
        page_state.checked_swaps = result["swaps"]
        assert_no_csp_violations(page)
        assert not result["violations"], format_violations(page.url, result["violations"])
        axe_passed.add(fingerprint)

    return check


def _assert_assets_loaded(page: Page) -> None:
    """htmx and the design system's CSS must have loaded, or the page is not the real one."""
    assert page.evaluate("typeof window.htmx === 'object'"), f"htmx did not load on {page.url}"
    assert page.evaluate(
        """() => [...document.styleSheets].some(
            (sheet) => (sheet.href || "").includes("dkfds") && sheet.cssRules.length > 0)"""
    ), f"the dkfds stylesheet did not load on {page.url}"


@pytest.fixture
def visit(page: Page, axe) -> Callable[..., Response]:
    """Open `path`, assert the response status and that assets loaded, and run axe."""

    def go(path: str, status: int = 200) -> Response:
        response = page.goto(path, wait_until="load")
        assert response is not None
        assert response.status == status, f"GET {path}: {response.status}, expected {status}"
        _assert_assets_loaded(page)
        axe()
        return response

    return go


@pytest.fixture
def submit(page: Page, axe) -> Callable[..., Response]:
    """Run `action` (a click, an Enter) that navigates; check the status where it lands; axe."""

    def go(action: Callable[[], None], status: int = 200) -> Response:
        with page.expect_navigation(wait_until="load") as navigation:
            action()
        response = navigation.value
        assert response is not None
        assert response.status == status, (
            f"{response.request.method} {response.url}: {response.status}, expected {status}"
        )
        _assert_assets_loaded(page)
        axe()
        return response

    return go


@pytest.fixture
def htmx_swap(page: Page, axe) -> Callable[[Callable[[], None]], None]:
    """Run `action` that makes htmx swap content in place; wait for it to settle; axe."""

    def go(action: Callable[[], None]) -> None:
        before = page.evaluate("window.__digistyrSwaps")
        action()
        page.wait_for_function("(n) => window.__digistyrSwaps > n", arg=before)
        axe()

    return go


@pytest.fixture
def login(page: Page, visit, submit) -> Callable:
    """Log a user in through the real login form; the front page must follow."""

    def go(user, password: str = factories.PASSWORD) -> None:
        visit("/konto/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        submit(lambda: page.press("#id_password", "Enter"))
        assert "/konto/login/" not in page.url, "the login failed"

    return go


def tab_to(page: Page, selector: str, key: str = "Tab", limit: int = 150) -> None:
    """Press Tab (or Shift+Tab) until the element matching `selector` has focus.

    Fails when the element cannot be reached with the keyboard.
    """
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press(key)
        if target.evaluate("(el) => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


# --- Realistic data ---------------------------------------------------------------------


@dataclass
class Org:
    """A small municipality's digital governance, as the browser tests see it."""

    municipality: object
    admin: object
    secretary: object
    units: dict
    people: dict
    direktion: object
    steering: object
    project: object
    closed: object
    mandate: object
    membership: object
    # The administrator's background jobs, one per state, by state (core.jobs).
    jobs: dict = field(default_factory=dict)


@pytest.fixture
def org(municipality, users) -> Org:
    """Units, people, an executive board, a steering group with two mandate versions and
    composition rules, a project group, a closed body, memberships past/present/future and
    statuses. The administrator and the secretary have a seat themselves."""
    return build_org(municipality, users)


def build_org(municipality, users) -> Org:
    """The data of `org` for the municipality and its users of every role."""
    import datetime

    from django.utils import timezone
    from django_scopes import scopes_disabled

    from core.models import Role
    from organisation.models import BodyKind, MembershipRole, OrgUnitKind

    today = timezone.localdate()
    m = municipality
    with scopes_disabled():
        m.memo_intro = "Notatet beskriver de tværgående grupper i kommunen."
        m.save()
        okonomi = factories.unit(m, "Økonomi og Personale", OrgUnitKind.FORVALTNING)
        stab = factories.unit(m, "Direktionssekretariatet", OrgUnitKind.STAB, parent=okonomi)
        digi = factories.unit(m, "Digitalisering og IT", OrgUnitKind.AFDELING, parent=okonomi)
        velfaerd = factories.unit(m, "Velfærd", OrgUnitKind.FORVALTNING)
        aeldre = factories.unit(m, "Ældre og Sundhed", OrgUnitKind.CHEFOMRAADE, parent=velfaerd)
        units = {
            "okonomi": okonomi,
            "stab": stab,
            "digi": digi,
            "velfaerd": velfaerd,
            "aeldre": aeldre,
        }

        admin, secretary = users[Role.ADMINISTRATOR], users[Role.SECRETARY]
        admin.first_name, admin.last_name = "Anne", "Administrator"
        admin.save()
        people = {
            "direktor": factories.person(m, "Lars Kommunaldirektør", "Kommunaldirektør", okonomi),
            "okonomichef": factories.person(m, "Mette Jensen", "Økonomichef", okonomi),
            "digichef": factories.person(
                m, "Søren Madsen", "Digitaliseringschef", digi, user=admin
            ),
            "aeldrechef": factories.person(m, "Karin Holm", "Ældrechef", aeldre),
            "sekretaer": factories.person(
                m, "Pia Nielsen", "Specialkonsulent", stab, user=secretary
            ),
            "konsulent": factories.person(m, "Jonas Berg", "Digitaliseringskonsulent", digi),
            "henrik": factories.person(m, "Henrik Vestergaard", "Sundhedschef", aeldre),
            "tidligere": factories.person(m, "Ole Tidligere", "Projektleder", digi),
            "ny": factories.person(m, "Nina Kommende", "Teamleder", velfaerd),
        }
        people["okonomichef"].email = "mette.jensen@example.dk"
        people["okonomichef"].save()

        direktion = factories.body(
            m,
            "Direktionen",
            BodyKind.EXECUTIVE_BOARD,
            purpose="Kommunens øverste ledelse.",
            cadence="Hver uge",
            meetings_per_year=45,
            established_on=datetime.date(2010, 1, 1),
        )
        steering = factories.body(
            m,
            "Styregruppen for digitalisering",
            BodyKind.STEERING_GROUP,
            short_name="SDI",
            parent=direktion,
            cross_cutting=True,
            purpose="Prioriterer kommunens digitaliseringsprojekter.",
            organisation="Mødes kvartalsvis\nSekretariat i Digitalisering og IT",
            cadence="4 gange om året",
            meetings_per_year=4,
            established_on=datetime.date(2019, 1, 1),
        )
        steering.purpose = "Prioriterer og følger kommunens digitaliseringsprojekter."
        steering.save()  # a change, so the history page has a diff to show
        project = factories.body(
            m,
            "Projektgruppen for ny hjemmeside",
            BodyKind.PROJECT_GROUP,
            parent=steering,
            cross_cutting=True,
            established_on=datetime.date(2024, 1, 1),
        )
        closed = factories.body(
            m,
            "Arbejdsgruppen for GDPR",
            BodyKind.WORKING_GROUP,
            cross_cutting=True,
            established_on=datetime.date(2017, 6, 1),
            closed_on=datetime.date(2019, 6, 30),
            closing_summary="Gruppen indførte fortegnelsen. Arbejdet fortsætter i linjen.",
        )

        factories.mandate(steering, direktion, datetime.date(2019, 1, 15), title="Kommissorium")
        mandate = factories.mandate(
            steering,
            direktion,
            datetime.date(2022, 3, 1),
            title="Kommissorium for Styregruppen for digitalisering",
            purpose="Styregruppen prioriterer og følger op på digitaliseringsprojekter.",
            duties="Godkender business cases.\nFølger porteføljen.",
            composition="Direktør som formand, chefer fra forvaltningerne.",
            cadence="4 gange om året",
            meetings_per_year=4,
        )
        factories.rule(mandate, "En formand", role=MembershipRole.CHAIR)
        factories.rule(mandate, "En chef fra Velfærd", unit=velfaerd, title_contains="chef")
        factories.rule(mandate, "En økonomichef", title_contains="økonomichef")
        factories.rule(mandate, "En sundhedschef", title_contains="sundhedschef")

        membership = factories.membership(
            people["direktor"], steering, MembershipRole.CHAIR, start=datetime.date(2019, 1, 15)
        )
        factories.membership(people["okonomichef"], steering, start=datetime.date(2019, 1, 15))
        factories.membership(people["aeldrechef"], steering, start=datetime.date(2021, 5, 1))
        factories.membership(people["digichef"], steering, start=datetime.date(2019, 1, 15))
        factories.membership(
            people["sekretaer"], steering, MembershipRole.SECRETARY, start=datetime.date(2020, 2, 1)
        )
        factories.membership(
            people["tidligere"],
            steering,
            start=datetime.date(2019, 1, 15),
            end=datetime.date(2021, 12, 31),
        )
        factories.membership(
            people["ny"],
            steering,
            MembershipRole.OBSERVER,
            start=today + datetime.timedelta(days=30),
        )
        factories.membership(people["direktor"], direktion, MembershipRole.CHAIR)
        factories.membership(people["konsulent"], project, MembershipRole.CHAIR)
        factories.membership(
            people["tidligere"],
            closed,
            start=datetime.date(2017, 6, 1),
            end=datetime.date(2019, 6, 30),
        )
        membership.note = "Formand siden start"
        membership.save()

        factories.status(
            steering,
            "Porteføljen er gennemgået. To projekter er sat på pause.",
            datetime.date(2024, 3, 1),
        )
        factories.status(
            steering, "Ny digitaliseringsstrategi er vedtaget.", today - datetime.timedelta(days=7)
        )
        factories.status(project, "Leverandøren er valgt.", today - datetime.timedelta(days=2))
    return Org(
        municipality=m,
        admin=admin,
        secretary=secretary,
        units=units,
        people=people,
        direktion=direktion,
        steering=steering,
        project=project,
        closed=closed,
        mandate=mandate,
        membership=membership,
        jobs=_jobs(admin),
    )


def _jobs(admin) -> dict:
    """A job of the administrator in each state a job page shows, and mail sent and failed
    for the operations page."""
    from django.utils import timezone

    from core.models import Job, JobStatus, MailStatus, OutgoingMail

    def job(label, **values):
        return Job.objects.create(
            kind="planning.wheel_pdf",
            label=label,
            user=admin,
            municipality_id=admin.municipality_id,
            **values,
        )

    jobs = {
        "waiting": job("Årshjulet 2026 som PDF", status=JobStatus.QUEUED, on_queue=False),
        "running": job(
            "Indsatsplan 2026 som PDF",
            status=JobStatus.RUNNING,
            on_queue=True,
            attempts=1,
            started_at=timezone.now(),
            progress=40,
        ),
        "done": factories.job(admin, "Styregruppepakken som PDF"),
        "failed": job(
            "Import af projekter.xlsx",
            status=JobStatus.FAILED,
            attempts=3,
            finished_at=timezone.now(),
            progress_text="Opgaven mislykkedes efter 3 forsøg.",
            error="Opgaven mislykkedes efter 3 forsøg.\nOperationalError: database is locked",
        ),
    }
    OutgoingMail.objects.create(
        key="browser:sent",
        kind="reminder",
        municipality_id=admin.municipality_id,
        to="anne@example.org",
        subject="Opfølgning med frist i morgen",
        text="Tekst",
        status=MailStatus.SENT,
        attempts=1,
        sent_at=timezone.now(),
    )
    OutgoingMail.objects.create(
        key="browser:failed",
        kind="reminder",
        municipality_id=admin.municipality_id,
        to="ukendt@example.org",
        subject="Statusrapport mangler",
        text="Tekst",
        status=MailStatus.FAILED,
        attempts=5,
        last_error="SMTPRecipientsRefused: 550 ukendt modtager",
    )
    return jobs


@pytest.fixture(autouse=True)
def catalogues(request):
    """The shared catalogues (focus areas, SDGs), which a data migration loads: the live
    server's transactional database is flushed after each browser test, and them with it.
    Tests over shared data (`shared_page`) find them in the module's data."""
    from strategy.catalogues import ensure_loaded

    if "shared_page" in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    ensure_loaded()


# --- Read-only pages over data built once per module ---------------------------------------
#
# A test module whose tests only read (pages, filters, forms refused with errors) uses the
# same data for all its tests: built once and committed, served by a live server of its own,
# each user logged in once through the real login form. It says so by overriding three
# fixtures:
#
#     @pytest.fixture
#     def page(shared_page): return shared_page
#     @pytest.fixture
#     def org(shared_org): return shared_org
#     @pytest.fixture
#     def login(shared_login): return shared_login
#
# Every page a test shows is still checked by axe. The database is flushed after the module,
# as it is after every other browser test.


@pytest.fixture(scope="session")
def shared_server(django_db_setup):
    """A live server for the modules over shared data: unlike pytest-django's `live_server`
    it does not make each of their tests flush the database."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture
def shared_page(browser, shared_server, page_state, shared_org):
    """A fresh tab (own cookies) on the shared server, over the module's committed data
    (which also opens the database to the server's thread for the module)."""
    yield from _open_page(browser, shared_server.url, page_state)


@pytest.fixture(scope="module")
def shared_org(django_db_setup, django_db_blocker, shared_server) -> Org:
    """`org` built once for the module, committed so the live server sees it, and the
    database flushed after the module."""
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    from strategy.catalogues import ensure_loaded

    with django_db_blocker.unblock():
        ensure_loaded()
        with scopes_disabled():
            municipality = factories.municipality("Norddjurs Kommune")
            other = factories.municipality("Syddjurs Kommune")
            users = factories.users_of_every_role(municipality, other)
        try:
            yield build_org(municipality, users)
        finally:
            call_command("flush", verbosity=0, interactive=False)
            ensure_loaded()  # for the tests after this module


@pytest.fixture(scope="module")
def shared_sessions(browser, shared_server, shared_org) -> Callable:
    """`state_for(user)`: the browser's cookies after that user logged in through the real
    login form, once per module."""
    states: dict[int, dict] = {}

    def state_for(user, password: str = factories.PASSWORD) -> dict:
        if user.pk not in states:
            context = browser.new_context(base_url=shared_server.url)
            try:
                tab = context.new_page()
                tab.goto("/konto/login/")
                tab.fill("#id_username", user.username)
                tab.fill("#id_password", password)
                with tab.expect_navigation(wait_until="load"):
                    tab.press("#id_password", "Enter")
                assert "/konto/login/" not in tab.url, "the login failed"
                states[user.pk] = context.storage_state()
            finally:
                context.close()
        return states[user.pk]

    return state_for


@pytest.fixture
def shared_login(shared_page: Page, shared_sessions) -> Callable:
    """Like `login`, with the module's session of that user: no page is loaded."""

    def go(user, password: str = factories.PASSWORD) -> None:
        shared_page.context.add_cookies(shared_sessions(user, password)["cookies"])

    return go
