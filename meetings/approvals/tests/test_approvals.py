"""Approval of the minutes by every participant: the services' rules and refusals, the
documents, and the pages (meetings.approvals). One world, built once for the module."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from core.models import Role
from meetings import documents, services
from meetings.approvals import services as approvals
from meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingState,
    MinutesApproval,
    MinutesLockedError,
    MinutesVersion,
    Outcome,
)
from organisation.models import MembershipRole, MinutesApprovalRule
from tests import factories
from tests.once import make_session, once_per_module, use_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scopes")]

HELD_ON = datetime.date(2024, 5, 15)


@once_per_module
def w():
    """A body whose participants all approve: its chair, two members (one sends apologies),
    its secretary, a guest of an item, a reader; a held meeting with its decisions."""
    m = factories.municipality("Norddjurs Kommune")
    users = {
        name: factories.user(m, role, username=name)
        for name, role in (
            ("chair", Role.MEMBER),
            ("member", Role.MEMBER),
            ("absent", Role.MEMBER),
            ("secretary", Role.SECRETARY),
            ("guest", Role.MEMBER),
            ("reader", Role.READER),
        )
    }
    body = factories.body(
        m, "Direktionen", minutes_approval=MinutesApprovalRule.PARTICIPANTS, minutes_approval_days=5
    )
    people = {}
    for name, role in (
        ("chair", MembershipRole.CHAIR),
        ("member", MembershipRole.MEMBER),
        ("absent", MembershipRole.MEMBER),
        ("secretary", MembershipRole.SECRETARY),
        ("guest", None),
    ):
        people[name] = factories.person(m, f"Person {name.title()}", user=users[name])
        if role:
            factories.membership(people[name], body, role=role)
    meeting = factories.meeting(body, HELD_ON, state=MeetingState.HELD)
    item = factories.item(
        meeting, "Årsrapport", kind="decision", decision="Godkendt.", outcome=Outcome.TREATED
    )
    for name in ("chair", "member", "absent", "secretary", "guest"):
        Attendance.objects.create(
            municipality=m,
            meeting=meeting,
            person=people[name],
            status=AttendanceStatus.EXCUSED if name == "absent" else AttendanceStatus.PRESENT,
        )
    chair_body = factories.body(m, "Styregruppen")
    factories.membership(people["chair"], chair_body, role=MembershipRole.CHAIR)
    factories.membership(people["secretary"], chair_body, role=MembershipRole.SECRETARY)
    chair_meeting = factories.meeting(chair_body, HELD_ON, state=MeetingState.HELD)
    factories.item(chair_meeting, "Punkt", decision="Taget til efterretning.")
    sessions = {name: make_session(user) for name, user in users.items()}
    return SimpleNamespace(
        m=m,
        users=users,
        people=people,
        body=body,
        meeting=meeting,
        item=item,
        chair_meeting=chair_meeting,
        sessions=sessions,
    )


def fresh(meeting):
    return Meeting.objects.select_related("body").get(pk=meeting.pk)


def refused(action, *words):
    """The action is refused (in English here) with a message holding `words`."""
    with translation.override("en"), pytest.raises(ValidationError) as error:
        action()
    message = " ".join(error.value.messages)
    for word in words:
        assert word in message, message
    return message


def test_every_participant_present_approves_and_the_last_approval_approves(w):
    meeting = w.meeting
    assert [p.name for p in services.approvers(meeting)] == ["Person Chair", "Person Member"], (
        "the chair and the members present; not the secretary, the guest or the excused"
    )
    # Not ready: nothing to approve before the secretary sends the minutes.
    refused(lambda: approvals.approve(meeting, w.users["member"]), "not ready")
    refused(lambda: approvals.circulate(meeting, w.users["member"]), "secretary")
    assert MinutesApproval.objects.count() == 0

    approvals.circulate(meeting, w.users["secretary"])
    meeting = fresh(meeting)
    assert meeting.approval_round == 1 and meeting.state == MeetingState.MINUTES_DRAFT
    refused(lambda: approvals.circulate(meeting, w.users["secretary"]), "already been sent")
    item = AgendaItem.objects.get(pk=w.item.pk)
    item.decision = "Ændret under godkendelsen."
    refused(lambda: services.update_item(item, item.revision), "Withdraw")
    # Only participants present approve; the chair's button does not bypass them.
    for name in ("absent", "secretary", "guest", "reader"):
        refused(lambda n=name: approvals.approve(meeting, w.users[n]), "not recorded as present")
    refused(lambda: services.approve_minutes(meeting, w.users["chair"]), "Person Chair")
    refused(lambda: approvals.remark(meeting, w.users["member"], "  "), "remark")
    assert MinutesApproval.objects.count() == 0, "nothing written by a refusal"

    approvals.remark(meeting, w.users["member"], "Punkt 1: navnet er stavet forkert.")
    assert approvals.approve(meeting, w.users["chair"]) is None, "one approval is missing"
    refused(lambda: approvals.approve(meeting, w.users["chair"]), "You approved the minutes on")
    refused(lambda: approvals.remark(meeting, w.users["chair"], "Sent"), "can no longer")
    assert fresh(meeting).state == MeetingState.MINUTES_DRAFT
    version = approvals.approve(meeting, w.users["member"])
    meeting = fresh(meeting)
    assert version.number == 1 and meeting.state == MeetingState.MINUTES_APPROVED
    assert meeting.minutes_approved_by == w.users["member"], "the last approval approves"
    refused(lambda: approvals.approve(meeting, w.users["member"]), "already approved")
    with pytest.raises(MinutesLockedError):
        AgendaItem.objects.get(pk=w.item.pk).save()

    sheet = approvals.sheet(meeting)
    assert [a.person.name for a in sheet.approved] == ["Person Chair", "Person Member"]
    assert [a.comment for a in sheet.remarks] == ["Punkt 1: navnet er stavet forkert."]
    assert not sheet.missing
    lines = documents.build(meeting, public=True, minutes=True).approvals
    assert [line.split(" ", 3)[3][:6] for line in lines] == ["Chair ", "Member"]
    assert all(line.startswith("Godkendt af Person") for line in lines)
    assert "stavet" not in " ".join(lines), "remarks are for the secretary, not the minutes"
    # A correction is approved by the participants again, in a new round.
    services.reopen_minutes(meeting, w.users["chair"], "Stavefejl")
    meeting = fresh(meeting)
    assert meeting.minutes_circulated_at is None
    approvals.circulate(meeting, w.users["secretary"])
    assert fresh(meeting).approval_round == 2
    assert len(services.missing_approvers(fresh(meeting))) == 2


def test_the_chair_closes_the_approval_after_the_deadline(w, tmp_path):
    approvals.circulate(w.meeting, w.users["secretary"])
    approvals.approve(w.meeting, w.users["chair"])
    meeting = fresh(w.meeting)
    refused(lambda: approvals.close(meeting, w.users["chair"]), "until")
    Meeting.objects.filter(pk=meeting.pk).update(
        minutes_circulated_at=timezone.now() - datetime.timedelta(days=6)
    )
    meeting = fresh(meeting)
    refused(lambda: approvals.close(meeting, w.users["member"]), "Only the chair")
    version = approvals.close(meeting, w.users["chair"])
    meeting = fresh(meeting)
    assert isinstance(version, MinutesVersion) and meeting.minutes_locked
    assert meeting.approval_closed_by == w.users["chair"] and meeting.approval_closed_at
    lines = documents.build(meeting, public=False, minutes=True).approvals
    assert lines[0].startswith("Godkendt af Person Chair")
    assert lines[1] == "Ikke godkendt af: Person Member"
    assert lines[2].startswith("Godkendelsen blev lukket af formanden efter fristen: Person Chair")
    from docx import Document

    text = "\n".join(
        p.text for p in Document(io.BytesIO(documents.minutes_docx(meeting, False))).paragraphs
    )
    assert "Godkendelse af referatet" in text and "Ikke godkendt af: Person Member" in text
    from meetings.tests.test_documents import pdf_text

    pdf = pdf_text(documents.minutes_pdf(meeting, public=True), tmp_path)
    assert "Godkendelseafreferatet" in pdf and "GodkendtafPersonChair" in pdf  # no spaces
    assert "lukketafformandenefterfristen" in pdf


def test_withdrawn_minutes_can_be_changed_and_need_every_approval_again(w):
    approvals.circulate(w.meeting, w.users["secretary"])
    approvals.approve(w.meeting, w.users["chair"])
    refused(lambda: approvals.withdraw(w.meeting, w.users["chair"]), "secretary")
    approvals.withdraw(w.meeting, w.users["secretary"])
    refused(lambda: approvals.approve(w.meeting, w.users["member"]), "not ready")
    item = AgendaItem.objects.get(pk=w.item.pk)
    item.decision = "Godkendt med en rettelse."
    services.update_item(item, item.revision)
    approvals.circulate(w.meeting, w.users["secretary"])
    assert [p.name for p in services.missing_approvers(fresh(w.meeting))] == [
        "Person Chair",
        "Person Member",
    ]


def test_a_body_whose_chair_approves_is_unchanged(w):
    refused(lambda: approvals.circulate(w.chair_meeting, w.users["secretary"]), "chair")
    refused(lambda: approvals.approve(w.chair_meeting, w.users["chair"]), "chair")
    services.approve_minutes(w.chair_meeting, w.users["chair"])
    meeting = fresh(w.chair_meeting)
    assert meeting.minutes_locked and documents.build(meeting, False, True).approvals == []
    body = meeting.body
    body.minutes_approval_days = 0
    refused(body.full_clean, "between 1 and 60 days")


def test_the_pages_of_the_approval(client, w):
    """The participant approves from the meeting's page; the secretary sees the remark; the
    approval page lists who approved, who remarked and who is missing; others get 404."""
    with scopes_disabled():
        approvals.circulate(w.meeting, w.users["secretary"])
        approvals.remark(w.meeting, w.users["member"], "Beslutningen mangler en frist.")
    detail = f"/moeder/{w.meeting.pk}/"
    approve = f"/moeder/{w.meeting.pk}/godkendelse/godkend/"
    use_session(client, w.sessions["chair"])
    page = client.get(detail).content.decode()
    assert f'action="{approve}"' in page and "Beslutningen mangler en frist." in page
    assert client.post(approve).status_code == 302
    page = client.get(detail).content.decode()
    assert f'action="{approve}"' not in page, "approved once: no button"
    assert MinutesApproval.objects.filter(approved_at__isnull=False).count() == 1

    use_session(client, w.sessions["secretary"])
    page = client.get(detail).content.decode()
    assert f'action="{approve}"' not in page and "Beslutningen mangler en frist." in page
    assert "/godkendelse/traek-tilbage/" in page
    sheet = client.get(f"/moeder/{w.meeting.pk}/godkendelse/").content.decode()
    assert "Person Chair" in sheet and "Person Member" in sheet and "Person Absent" not in sheet
    assert "Beslutningen mangler en frist." in sheet
    response = client.post(f"/moeder/{w.meeting.pk}/godkendelse/bemaerkning/", {"comment": ""})
    assert response.status_code == 422, "the secretary was not present as a participant"

    use_session(client, w.sessions["reader"])
    assert client.get(f"/moeder/{w.meeting.pk}/godkendelse/").status_code == 404, (
        "the minutes are not approved: only members read the approval"
    )
    assert client.post(approve).status_code == 404
    assert MinutesApproval.objects.filter(approved_at__isnull=False).count() == 1
