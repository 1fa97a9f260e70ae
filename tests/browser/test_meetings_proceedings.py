"""The meeting as it really runs, in the browser: the secretary records a substitute and who
took part in an item, a member writes a dissent; the meeting page shows them. axe checks each
page (see conftest.py)."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from core.models import Role
from meetings.models import Attendance, AttendanceStatus, ItemAbsence, MeetingState, Outcome
from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def held(org, users):
    """A held meeting of the steering group: the chair (the MEMBER user) and the economy
    chief present, the elderly care chief away."""
    with scopes_disabled():
        director = org.people["direktor"]
        director.user = users[Role.MEMBER]
        director.save()
        meeting = factories.meeting(
            org.steering,
            timezone.localdate() - datetime.timedelta(days=1),
            state=MeetingState.HELD,
        )
        item = factories.item(meeting, "Årsrapport", decision="Godkendt.", outcome=Outcome.TREATED)
        for key, status in (
            ("direktor", AttendanceStatus.PRESENT),
            ("okonomichef", AttendanceStatus.PRESENT),
        ):
            Attendance.objects.create(
                municipality=org.municipality,
                meeting=meeting,
                person=org.people[key],
                status=status,
            )
    return meeting, item


def test_substitute_item_attendance_and_dissent(page, org, users, held, login, visit, submit):
    meeting, item = held
    login(org.secretary)
    visit(f"/moeder/{meeting.pk}/stedfortraeder/")
    page.select_option("#id_member", label="Karin Holm")
    page.select_option("#id_substitute", label="Jonas Berg")
    submit(lambda: page.click("form:has(#id_member) button[type=submit]"))
    assert "Jonas Berg" in page.locator("#proceedings-heading + p").inner_text()

    visit(f"/punkter/{item.pk}/deltagelse/")
    with scopes_disabled():
        economy = org.people["okonomichef"].pk
    page.select_option(f"#id_kind_{economy}", "conflict")
    page.fill(f"#id_note_{economy}", "Nær familie")
    submit(lambda: page.click("form:has(table) button[type=submit]"))
    with scopes_disabled():
        assert ItemAbsence.objects.get(item=item).kind == "conflict"

    page.context.clear_cookies()
    login(users[Role.MEMBER])
    visit(f"/punkter/{item.pk}/protokoltilfoersel/")
    page.fill("#id_text", "Jeg tager forbehold for tidsplanen.")
    submit(lambda: page.click("form:has(#id_text) button[type=submit]"))
    assert (
        "Jeg tager forbehold for tidsplanen." in page.locator(".meeting-proceedings").inner_text()
    )
