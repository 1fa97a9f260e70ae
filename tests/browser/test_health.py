"""Governance health and the front page in the browser: narrow the health page to what I can
act on with the keyboard, follow a finding's link to fix it, and the front page of a member
and of a reader; axe on every page on the way."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from core.models import Role
from meetings.models import MeetingState
from tests import factories
from tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser

DAY = datetime.timedelta(days=1)


@pytest.fixture
def findings(org, users):
    """An overdue follow-up owned by the administrator's person, a late project led by the
    project leader, and a coming steering group meeting with its agenda sent."""
    today = timezone.localdate()
    with scopes_disabled():
        m = org.municipality
        follow_up = factories.follow_up(
            org.steering,
            owner=org.people["digichef"],
            due_date=today - 3 * DAY,
            description="Send porteføljeoversigten til Direktionen",
        )
        leader = factories.person(
            m,
            "Lasse Projektleder",
            "Projektleder",
            org.units["digi"],
            user=users[Role.PROJECT_LEADER],
        )
        factories.project(
            m, "Ny hjemmeside", leader=leader, body=org.steering, start_date=today - 200 * DAY
        )
        factories.meeting(
            org.steering, today + 7 * DAY, title="Styregruppemøde", state=MeetingState.AGENDA_SENT
        )
    return {"follow_up": follow_up}


def test_narrow_the_health_page_with_the_keyboard_and_fix_a_finding(
    page, org, findings, login, visit, submit
):
    login(org.admin)
    assert page.locator("#home-health").is_visible()
    visit("/styringssundhed/")
    assert page.locator("#section-bodies").is_visible()
    assert page.locator("table.health-bodies caption").inner_text()
    tab_to(page, "#id_mine")
    page.keyboard.press("Space")
    assert page.locator("#id_mine").is_checked()
    tab_to(page, "form.filters button[type=submit]")
    submit(lambda: page.keyboard.press("Enter"))
    assert "mine=on" in page.url
    assert page.locator("#id_mine").is_checked()
    # the administrator owns the follow-up: its link leads to where it is fixed
    link = f"a[href^='/opfoelgninger/{findings['follow_up'].pk}/rediger/']"
    assert "Send porteføljeoversigten" in page.locator("#follow_up_overdue").inner_text()
    tab_to(page, link)
    submit(lambda: page.keyboard.press("Enter"))
    assert f"/opfoelgninger/{findings['follow_up'].pk}/rediger/" in page.url


def test_the_year_selector(page, org, findings, login, visit, submit):
    login(org.admin)
    visit("/styringssundhed/")
    last_year = str(timezone.localdate().year - 1)
    page.select_option("#id_aar", last_year)
    tab_to(page, "form.filters button[type=submit]")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.locator("h1").inner_text().endswith(last_year)


def test_the_front_page_of_a_project_leader_and_of_a_reader(
    page, org, findings, users, login, visit
):
    login(users[Role.PROJECT_LEADER])
    projects = page.locator("section[aria-labelledby=home-projects]")
    # The lists of the front page's cards have no bullet over the first letter.
    bullet = page.evaluate(
        "() => getComputedStyle(document.querySelector('.home-list li'), '::before').content"
    )
    assert bullet in {"none", "normal"}, bullet
    assert "Ny hjemmeside" in projects.inner_text()
    assert projects.locator(".home-late").count() == 1  # late, in words
    tab_to(page, "section[aria-labelledby=home-projects] a[href$='/statusrapporter/ny/']")
    tab_to(page, "section[aria-labelledby=home-health] a[href='/styringssundhed/']")
    page.context.clear_cookies()
    login(users[Role.READER])
    meetings = page.locator("section[aria-labelledby=home-meetings]").inner_text()
    assert "Styregruppemøde" in meetings
    visit("/styringssundhed/?mine=1")
