"""Every page reflows: no page scrolls sideways at 320 CSS px (WCAG 1.4.10) nor at 1366 px, and
the main menu is reachable on a phone through the design system's mobile drawer.

Each page of the crawl (test_pages.py, the meeting pages, and the main pages of portfolio,
benefits, planning, meetings and strategy) is loaded once at 320×800 and measured, then the
viewport is switched to 1366×768 and measured again. A wide table scrolls inside its own
focusable region (added by `static/js/digistyr.js`), so only the region scrolls, never the page.
axe already checked these pages in the other browser modules; here only the width counts (the
Content-Security-Policy is still checked at teardown).
"""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from tests import factories
from tests.browser.test_meetings_agenda import MEETING_PAGES
from tests.browser.test_pages import PAGES

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 800}
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def page(shared_page):
    return shared_page


@pytest.fixture
def org(shared_org):
    return shared_org


@pytest.fixture
def login(shared_login):
    return shared_login


@pytest.fixture(scope="module")
def data(shared_org, django_db_blocker) -> dict:
    """A meeting with an agenda, a project with all it carries, a strategy, a proposal, an
    action plan and an activity of the annual wheel, committed for the live server (flushed
    with `shared_org` after the module)."""
    o = shared_org
    m = o.municipality
    today = timezone.localdate()
    with django_db_blocker.unblock(), scopes_disabled():
        meeting = factories.meeting(
            o.steering,
            today - datetime.timedelta(days=1),
            start=datetime.time(9, 0),
            place="Mødelokale 1",
        )
        case = factories.case(m, "Borgerblikket", route=[o.steering, o.direktion])
        item = factories.item(
            meeting,
            "Borgerblikket – et langt punkt om den fælles digitale selvbetjeningsløsning",
            duration=30,
            case=case,
            case_text="Tekst",
            recommendation="Det indstilles, at …",
        )
        factories.item(
            meeting, "Personalesag", duration=15, closed=True, closed_reason="Fortroligt"
        )
        factories.attachment(item, "Bilag 1", document_number="3608761")
        factories.follow_up(
            o.steering,
            owner=o.people["konsulent"],
            item=item,
            due_date=today + datetime.timedelta(7),
        )
        project = factories.project(
            m,
            "Fælles digital selvbetjeningsløsning for borgere og virksomheder",
            leader=o.people["konsulent"],
            owner=o.people["direktor"],
            body=o.steering,
        )
        report = factories.status_report(project, datetime.date(2024, 3, 1), colour="yellow")
        risk = factories.risk(
            project, title="Leverandøren leverer for sent", owner=o.people["digichef"]
        )
        benefit = factories.benefit(project, "Færre henvendelser til borgerservice")
        factories.plan(benefit, 2025, 200_000)
        factories.plan(benefit, 2026, 400_000)
        factories.measurement(benefit)
        factories.milestone(project, "Kontrakt underskrevet")
        factories.budget_year(project, 2024)
        factories.budget_year(project, 2025)
        strategy = factories.strategy(m, "Digitaliseringsstrategi 2022–2026", 2022, 2026)
        factories.goal(strategy, "Flere borgere bruger de digitale løsninger")
        proposal = factories.proposal(m, "Robotter i lønbogholderiet")
        plan = factories.annual_plan(m, 2026, capacity_hours=1000, capacity_amount=1_000_000)
        factories.plan_entry(
            plan,
            "Nyt intranet",
            scores=[3, 3, 3, 3, 3, 3],
            hours=600,
            amount=400_000,
            responsible=o.people["konsulent"],
        )
        factories.plan_entry(plan, "Retningslinjer for kunstig intelligens", hours=200)
        activity = factories.wheel_activity(m, "Budgetseminar", body=o.steering)
    return {
        "meeting": meeting,
        "item": item,
        "case": case,
        "project": project,
        "report": report,
        "risk": risk,
        "benefit": benefit,
        "strategy": strategy,
        "proposal": proposal,
        "plan": plan,
        "activity": activity,
    }


# The main pages of the apps above organisation, on `data`.
MAIN_PAGES = {
    "decisions": lambda d: "/beslutninger/",
    "followups": lambda d: "/opfoelgninger/",
    "my-followups": lambda d: "/opfoelgninger/mine/",
    "cases": lambda d: "/sager/",
    "case-detail": lambda d: f"/sager/{d['case'].pk}/",
    "calendar": lambda d: "/kalender/",
    "projects": lambda d: "/projekter/",
    "project-create": lambda d: "/projekter/ny/",
    "project-detail": lambda d: f"/projekter/{d['project'].pk}/",
    "project-edit": lambda d: f"/projekter/{d['project'].pk}/rediger/",
    "project-milestones": lambda d: f"/projekter/{d['project'].pk}/milepaele/",
    "project-budget": lambda d: f"/projekter/{d['project'].pk}/budget/",
    "project-links": lambda d: f"/projekter/{d['project'].pk}/strategi/",
    "project-reports": lambda d: f"/projekter/{d['project'].pk}/statusrapporter/",
    "report-create": lambda d: f"/projekter/{d['project'].pk}/statusrapporter/ny/",
    "report-detail": lambda d: f"/statusrapporter/{d['report'].pk}/",
    "board": lambda d: "/projekttavle/",
    "risks": lambda d: "/risici/",
    "risk-edit": lambda d: f"/risici/{d['risk'].pk}/rediger/",
    "coverage": lambda d: "/strategi/daekning/",
    "pack": lambda d: "/portefoelje/pakke/",
    "benefits": lambda d: "/gevinster/",
    "benefit-detail": lambda d: f"/gevinster/{d['benefit'].pk}/",
    "project-benefits": lambda d: f"/projekter/{d['project'].pk}/gevinster/",
    "measurement-add": lambda d: f"/gevinster/{d['benefit'].pk}/maaling/",
    "strategies": lambda d: "/strategi/",
    "strategy-detail": lambda d: f"/strategi/{d['strategy'].pk}/",
    "focus-areas": lambda d: "/strategi/fokusomraader/",
    "sdgs": lambda d: "/strategi/verdensmaal/",
    "proposals": lambda d: "/forslag/",
    "proposal-detail": lambda d: f"/forslag/{d['proposal'].pk}/",
    "plans": lambda d: "/indsatsplaner/",
    "plan-detail": lambda d: f"/indsatsplaner/{d['plan'].pk}/",
    "plan-scores": lambda d: f"/indsatsplaner/{d['plan'].pk}/scoring/",
    "plan-criteria": lambda d: f"/indsatsplaner/{d['plan'].pk}/kriterier/",
    "wheel": lambda d: "/aarshjul/",
    "activities": lambda d: "/aarshjul/aktiviteter/",
    "activity-detail": lambda d: f"/aarshjul/aktiviteter/{d['activity'].pk}/",
    "health": lambda d: "/styringssundhed/",
}

ALL_PAGES = {
    **{f"org-{name}": (lambda o, d, f=f: f(o)) for name, f in PAGES.items()},
    **{
        f"meeting-{name}": (lambda o, d, f=f: f(o, d["meeting"], d["item"]))
        for name, f in MEETING_PAGES.items()
    },
    **{name: (lambda o, d, f=f: f(d)) for name, f in MAIN_PAGES.items()},
}

# What makes the page wider than the window: the innermost elements that stick out of it, or
# whose content (a long word) does, outside any element that scrolls or clips by itself.
OVERFLOW_JS = """() => {
    const limit = window.innerWidth + 1;
    const width = document.documentElement.scrollWidth;
    if (width <= window.innerWidth) return null;
    const clipped = (el) => {
        const placed = ["absolute", "fixed"].includes(getComputedStyle(el).position);
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
            const style = getComputedStyle(a);
            if (style.overflowX !== "visible" && (!placed || style.position !== "static")) {
                return true;
            }
        }
        return false;
    };
    const extent = (el) => {
        const box = el.getBoundingClientRect();
        if (getComputedStyle(el).overflowX !== "visible") return box.right;
        return Math.max(box.right, box.left + el.scrollWidth);
    };
    const candidates = [...document.body.querySelectorAll("*")].filter(
        (el) => extent(el) > limit && !clipped(el));
    const outer = new Set();
    for (const el of candidates) {
        for (let a = el.parentElement; a; a = a.parentElement) outer.add(a);
    }
    const describe = (el) => {
        let text = el.tagName.toLowerCase();
        if (el.id) text += "#" + el.id;
        for (const name of el.classList) text += "." + name;
        const box = el.getBoundingClientRect();
        return `${text} (${Math.round(box.width)} px wide, its content reaching ` +
            `${Math.round(extent(el))} px)`;
    };
    const culprits = candidates.filter((el) => !outer.has(el));
    culprits.sort((a, b) => extent(b) - extent(a));
    return {width, limit: window.innerWidth, widest: culprits.slice(0, 3).map(describe)};
}"""


def assert_no_sideways_scroll(page, name: str) -> None:
    overflow = page.evaluate(OVERFLOW_JS)
    assert overflow is None, (
        f"{name} ({page.url}) scrolls sideways at {overflow['limit']} px: the page is "
        f"{overflow['width']} px wide; widest: {'; '.join(overflow['widest']) or '?'}"
    )


def test_the_shared_data_is_committed_for_the_live_server(db, org, data):
    from portfolio.models import Project

    with scopes_disabled():
        assert Project.objects.filter(pk=data["project"].pk).exists()


@pytest.mark.parametrize("name", list(ALL_PAGES))
def test_page_reflows_at_320_and_fits_1366(name, page, page_state, org, data, login):
    login(org.admin)
    page.set_viewport_size(PHONE)
    response = page.goto(ALL_PAGES[name](org, data), wait_until="load")
    assert response is not None and response.status == 200, (
        f"{name}: {response and response.status}"
    )
    page_state.unchecked_loads.clear()  # axe checked the page in the page's own module
    assert_no_sideways_scroll(page, name)
    page.set_viewport_size(LAPTOP)
    assert_no_sideways_scroll(page, name)


def test_the_check_finds_a_page_that_is_too_wide(page, page_state, org, login):
    """The harness itself: an element 2000 px wide must fail the check, naming it."""
    login(org.admin)
    page.set_viewport_size(PHONE)
    page.goto("/", wait_until="load")
    page_state.unchecked_loads.clear()
    page.evaluate(
        """() => {
            const wide = document.createElement("div");
            wide.id = "too-wide";
            wide.style.width = "2000px";
            wide.textContent = "Bred";
            document.querySelector("main").append(wide);
        }"""
    )
    with pytest.raises(AssertionError) as failure:
        assert_no_sideways_scroll(page, "front page")
    assert "div#too-wide (2000 px wide" in str(failure.value), failure.value
    assert "front page" in str(failure.value)


def test_the_menu_opens_and_closes_with_the_keyboard_on_a_phone(page, page_state, org, login):
    login(org.admin)
    page.set_viewport_size(PHONE)
    page.goto("/", wait_until="load")
    page_state.unchecked_loads.clear()
    button = page.locator("header button.js-menu-open")
    assert button.is_visible()
    menu = page.locator(".mobile-drawer .navigation-menu-mobile")
    assert not menu.is_visible()
    # The desktop menu and user block are hidden on a phone.
    assert not page.locator(".navigation-menu .mainmenu").is_visible()
    button.focus()
    page.keyboard.press("Enter")
    assert menu.is_visible()
    assert menu.get_by_role("link", name="Organer").is_visible()
    assert (
        page.locator(".mobile-drawer .portal-info-mobile")
        .get_by_text(org.admin.get_full_name() or org.admin.username)
        .is_visible()
    )
    logout = page.locator(".mobile-drawer button.log-off")
    assert logout.is_visible()
    # Focus moved into the drawer (its close button); Tab reaches the links and the logout.
    assert page.evaluate("document.activeElement.classList.contains('js-menu-close')")
    for _ in range(40):
        page.keyboard.press("Tab")
        if logout.evaluate("(el) => el === document.activeElement"):
            break
    else:
        raise AssertionError("the logout button in the mobile menu cannot be reached with Tab")
    page.keyboard.press("Escape")
    assert not menu.is_visible()
    assert button.evaluate("(el) => el === document.activeElement")
    # Enter on the close button closes it too.
    page.keyboard.press("Enter")
    assert menu.is_visible()
    page.keyboard.press("Enter")  # focus is on the close button
    assert not menu.is_visible()


@pytest.mark.parametrize("width", [1000, 1100])
def test_the_main_menu_fits_between_992_and_1100_px(width, page, page_state, org, login):
    """Above 992 px the whole main menu shows; what does not fit moves into the design
    system's "more" menu instead of pushing the page wider."""
    login(org.admin)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/", wait_until="load")
    page_state.unchecked_loads.clear()
    assert not page.locator("header button.js-menu-open").is_visible()
    assert page.locator(".navigation-menu .mainmenu").is_visible()
    assert_no_sideways_scroll(page, f"front page at {width} px")
    # Every item shown lies inside the window, the "more" menu included.
    outside = page.evaluate(
        """() => [...document.querySelectorAll(".navigation-menu .mainmenu > li")]
            .filter((li) => li.offsetWidth > 0
                && li.getBoundingClientRect().right > window.innerWidth)
            .map((li) => li.textContent.trim())"""
    )
    assert not outside, f"menu items outside the window at {width} px: {outside}"
