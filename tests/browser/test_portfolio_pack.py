"""The steering-group pack in the browser, with the keyboard: the secretary chooses the coming
meeting, looks at the pack for the steering group's own projects and attaches it to the agenda.
Every page is checked by axe-core (see conftest.py)."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from meetings.models import AgendaItem, Attachment, MeetingState
from portfolio.models import Category, Phase, StatusReport
from portfolio.services import file_status_report
from tests import factories
from tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser


@pytest.fixture
def portfolio(org):
    """A coming meeting of the steering group (agenda draft), its previous meeting, and two
    projects: the steering group's own, which turned red and asks for a decision, and one of
    the Direktion."""
    today = timezone.localdate()
    with scopes_disabled():
        previous = factories.meeting(
            org.steering, today - datetime.timedelta(days=60), state=MeetingState.MINUTES_APPROVED
        )
        coming = factories.meeting(
            org.steering, today + datetime.timedelta(days=14), state=MeetingState.AGENDA_DRAFT
        )
        factories.item(coming, "Status på Aula", kind="information")
        own = factories.project(
            org.municipality,
            "Ny hjemmeside",
            category=Category.LOCAL,
            body=org.steering,
            leader=org.people["konsulent"],
            phase=Phase.IMPLEMENTATION,
        )
        factories.status_report(
            own,
            today - datetime.timedelta(days=120),
            colour="green",
            reported_on=today - datetime.timedelta(days=100),
        )
        report = StatusReport(
            project=own,
            period_start=today - datetime.timedelta(days=30),
            period_end=today - datetime.timedelta(days=2),
            schedule="red",
            budget="yellow",
            scope="green",
            benefits="green",
            resources="yellow",
            needs_decision=True,
            decision_request="Skal leverandøren have en forlængelse?",
        )
        file_status_report(report)
        factories.risk(
            own,
            title="Leverandøren når det ikke",
            probability=4,
            impact=5,
            owner=org.people["konsulent"],
            mitigation="Ugentlig opfølgning",
        )
        benefit = factories.benefit(own, "Færre opkald", responsible=org.people["konsulent"])
        factories.plan(benefit, today.year, 300_000)
        factories.measurement(benefit, today - datetime.timedelta(days=10), 90_000)
        other = factories.project(
            org.municipality, "Direktionens analyse", body=org.direktion, phase=Phase.ANALYSIS
        )
        factories.status_report(other, today - datetime.timedelta(days=20), colour="green")
    return {"previous": previous, "coming": coming, "own": own}


def test_secretary_attaches_the_pack_to_the_agenda(page, org, portfolio, login, visit, submit):
    coming = portfolio["coming"]
    login(org.secretary)
    visit("/portefoelje/pakke/")
    tab_to(page, f"main a[href='/portefoelje/pakke/{coming.pk}/']")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.url.endswith(f"/portefoelje/pakke/{coming.pk}/")
    status = page.locator("main table.pack-status-table tbody tr")
    assert status.count() == 2
    assert "Ny hjemmeside" in page.locator("main").inner_text()
    assert "Skal leverandøren have en forlængelse?" in page.locator("main").inner_text()

    # Only the steering group's own projects: the radio group, with the arrow keys.
    tab_to(page, "#omfang-portefoelje")
    page.keyboard.press("ArrowDown")
    assert page.locator("#omfang-organ").is_checked()
    tab_to(page, "main form.filters button[type=submit]")
    submit(lambda: page.keyboard.press("Enter"))
    assert "omfang=organ" in page.url
    assert status.count() == 1
    assert "Direktionens analyse" not in page.locator("main table.pack-status-table").inner_text()

    # A new information item at the end of the agenda, with the PDF as its attachment.
    assert page.locator("#id_item").input_value() == "ny"
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.url.endswith(f"/moeder/{coming.pk}/")
    assert page.locator("#messages").inner_text().strip()
    with scopes_disabled():
        items = list(AgendaItem.objects.filter(meeting=coming).order_by("position"))
        assert len(items) == 2
        attachment = Attachment.objects.get(item=items[-1])
        assert attachment.file.read().startswith(b"%PDF")
        assert attachment.version == 1

    # The next time, the attach page suggests the item; attaching again is a new version.
    visit(f"/portefoelje/pakke/{coming.pk}/vedhaeft/")
    assert page.locator("#id_item").input_value() == str(items[-1].pk)
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    with scopes_disabled():
        attachment.refresh_from_db()
        assert attachment.version == 2
        assert AgendaItem.objects.filter(meeting=coming).count() == 2
