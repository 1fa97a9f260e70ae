"""The public pages (publication) in a browser, without a login: the index and a meeting page
with an open and a closed item pass axe, show the closed item by its title only, and reflow at
320 CSS px without scrolling sideways."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from meetings.models import Meeting, MeetingState
from publication.models import BodyPublication
from tests import factories
from tests.browser.test_reflow import LAPTOP, PHONE, assert_no_sideways_scroll

pytestmark = pytest.mark.browser


def _open(page, axe, path: str) -> None:
    """Open a public page and run axe. The public pages load no script (no htmx), so the
    harness's `visit`, which expects htmx, is not used; the stylesheet must have loaded."""
    response = page.goto(path, wait_until="load")
    assert response is not None and response.status == 200, path
    assert page.evaluate(
        """() => [...document.styleSheets].some(
            (sheet) => (sheet.href || "").includes("dkfds") && sheet.cssRules.length > 0)"""
    ), f"the dkfds stylesheet did not load on {path}"
    axe()


def test_the_public_index_and_meeting_pass_axe_and_reflow(page, axe, org):
    m = org.municipality
    with scopes_disabled():
        BodyPublication.objects.create(municipality=m, body=org.steering, publishes=True)
        meeting = factories.meeting(
            org.steering,
            timezone.localdate() - datetime.timedelta(days=3),
            state=MeetingState.HELD,
            place="Mødelokale 1",
        )
        item = factories.item(
            meeting,
            "Borgerblikket – et langt punkt om den fælles digitale selvbetjeningsløsning",
            kind="decision",
            duration=30,
            case_text="Sagsfremstillingen.",
            recommendation="Det indstilles, at styregruppen godkender planen.",
            decision="Godkendt.",
        )
        factories.attachment(item, "Projektplan", document_number="3608761")
        closed = factories.item(
            meeting,
            "Personalesag",
            duration=15,
            closed=True,
            closed_reason="Fortroligt",
            case_text="HEMMELIG tekst",
        )
        factories.attachment(closed, "Lukket bilag", closed=True, closed_reason="Fortroligt")
        Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.MINUTES_APPROVED)

    page.set_viewport_size(PHONE)
    _open(page, axe, f"/offentlig/{m.slug}/")
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.locator("a", has_text=org.steering.name).count() >= 1
    assert_no_sideways_scroll(page, "public index")

    _open(page, axe, f"/offentlig/{m.slug}/moeder/{meeting.pk}/")
    text = page.locator("main").inner_text()
    assert "Personalesag" in text and "Lukket punkt" in text and "HEMMELIG" not in text
    assert "Godkendt." in text
    assert page.locator("a", has_text="Projektplan").count() == 1
    assert page.locator("a", has_text="Lukket bilag").count() == 0
    assert_no_sideways_scroll(page, "public meeting")
    page.set_viewport_size(LAPTOP)
    assert_no_sideways_scroll(page, "public meeting")

    _open(page, axe, f"/offentlig/{m.slug}/beslutninger/?q=planen")
    assert "Borgerblikket" in page.locator("main").inner_text()
