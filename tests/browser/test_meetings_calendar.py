"""The calendar subscriptions page: create and renew secret addresses with the keyboard."""

import pytest
from django_scopes import scopes_disabled

from meetings.models import CalendarFeed
from tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser


def test_secretary_creates_and_renews_calendar_addresses(page, org, login, visit, submit):
    login(org.secretary)
    visit("/kalender/")
    assert page.locator("h1").inner_text()
    assert page.locator("#calendar-url-person").count() == 0

    # Her own calendar: create an address and subscribe to it.
    tab_to(page, "#calendar-token-person")
    submit(lambda: page.keyboard.press("Enter"))
    assert "/kalender/" in page.url
    assert page.locator("#messages [role=status]").count() == 1
    first = page.locator("#calendar-url-person").inner_text().strip()
    assert "/kalender/person/" in first
    feed = page.request.get(first)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in feed.text()

    # Renewing gives a new address; the old one stops working.
    tab_to(page, "#calendar-token-person")
    submit(lambda: page.keyboard.press("Enter"))
    second = page.locator("#calendar-url-person").inner_text().strip()
    assert second != first
    assert page.request.get(first).status == 404
    assert page.request.get(second).status == 200

    # The steering group she is secretary of: she may create its address.
    button = f"form:has(input[name=id][value='{org.steering.pk}']) button"
    tab_to(page, button)
    submit(lambda: page.keyboard.press("Enter"))
    with scopes_disabled():
        token = CalendarFeed.objects.get(body=org.steering).token
    row = page.locator("tr", has_text=org.steering.name)
    assert f"/kalender/organ/{token}.ics" in row.inner_text()
    assert page.request.get(f"/kalender/organ/{token}.ics").status == 200
