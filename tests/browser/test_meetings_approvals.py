"""Approval of the minutes by every participant, in the browser: the participant approves
from the meeting's page with the keyboard, the other writes a remark instead, and the
approval page lists who approved when, who remarked and who is missing. axe checks each page
(see conftest.py)."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from core.models import Role
from meetings.approvals import services as approvals
from meetings.models import Attendance, AttendanceStatus, MeetingState, MinutesApproval, Outcome
from organisation.models import MinutesApprovalRule
from tests import factories
from tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser


@pytest.fixture
def circulated(org, users):
    """A held meeting of the steering group, whose participants all approve, sent for
    approval: the chair (the MEMBER user) and the economy chief were present."""
    with scopes_disabled():
        director, economy = org.people["direktor"], org.people["okonomichef"]
        director.user = users[Role.MEMBER]
        director.save()
        economy.user = factories.user(org.municipality, Role.MEMBER, username="mette")
        economy.save()
        org.steering.minutes_approval = MinutesApprovalRule.PARTICIPANTS
        org.steering.save()
        meeting = factories.meeting(
            org.steering,
            timezone.localdate() - datetime.timedelta(days=1),
            state=MeetingState.HELD,
        )
        factories.item(meeting, "Årsrapport", decision="Godkendt.", outcome=Outcome.TREATED)
        for person in (director, economy):
            Attendance.objects.create(
                municipality=org.municipality,
                meeting=meeting,
                person=person,
                status=AttendanceStatus.PRESENT,
            )
        approvals.circulate(meeting, org.secretary)
    return meeting, economy.user


def test_participants_approve_and_remark_and_the_approval_page_lists_them(
    page, org, users, circulated, login, visit, submit
):
    meeting, economy_user = circulated
    login(users[Role.MEMBER])
    visit(f"/moeder/{meeting.pk}/")
    button = f"form[action='/moeder/{meeting.pk}/godkendelse/godkend/'] button"
    tab_to(page, button)
    submit(lambda: page.keyboard.press("Enter"))
    assert page.locator(button).count() == 0, "approved: the button is gone"
    with scopes_disabled():
        assert MinutesApproval.objects.filter(approved_at__isnull=False).count() == 1

    page.context.clear_cookies()
    login(economy_user)
    visit(f"/moeder/{meeting.pk}/godkendelse/bemaerkning/")
    submit(lambda: page.click("form:has(#id_comment) button[type=submit]"), status=422)
    assert page.locator(".form-error-message").count() == 1, "an empty remark is refused"
    page.fill("#id_comment", "Fristen i punkt 1 er forkert.")
    submit(lambda: page.click("form:has(#id_comment) button[type=submit]"))

    visit(f"/moeder/{meeting.pk}/godkendelse/")
    table = page.locator("table").inner_text()
    assert "Lars Kommunaldirektør" in table and "Mette Jensen" in table
    assert "Fristen i punkt 1 er forkert." in table
