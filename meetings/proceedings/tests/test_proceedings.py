"""The meeting as it really runs: who does not take part in an item (away, or disqualified
by a conflict of interest), substitutes, dissents and additions, guests invited versus
present; in the rules, the pages, the minutes and the approval. One world per module."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django_scopes import scopes_disabled

from core.models import Role
from core.permissions import has_perm
from meetings import documents, services
from meetings.approvals import services as approvals
from meetings.models import (
    AddendumKind,
    Attendance,
    AttendanceStatus,
    ItemAbsence,
    ItemAbsenceKind,
    Meeting,
    MeetingState,
    MinutesAddendum,
    Outcome,
)
from meetings.proceedings import services as proceedings
from organisation.models import MembershipRole, MinutesApprovalRule
from tests import factories
from tests.once import make_session, once_per_module, use_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scopes")]

SECRET = "HEMMELIG-SAGSFREMSTILLING"


@once_per_module
def w():
    m = factories.municipality("Norddjurs Kommune")
    body = factories.body(
        m, "Kommunalbestyrelsen", minutes_approval=MinutesApprovalRule.PARTICIPANTS
    )
    other_body = factories.body(m, "Økonomiudvalget")
    users, people = {}, {}
    for key, name, title, role, membership in (
        ("anne", "Anne Hansen", "borgmester", Role.MEMBER, MembershipRole.CHAIR),
        ("bo", "Bo Lund", "", Role.MEMBER, MembershipRole.MEMBER),
        ("carl", "Carl Berg", "", Role.MEMBER, MembershipRole.MEMBER),
        ("sekretaer", "Sif Sekretær", "", Role.SECRETARY, MembershipRole.SECRETARY),
        ("eva", "Eva Stedfortræder", "", Role.MEMBER, None),
        ("gitte", "Gitte Gæst", "jurist", Role.MEMBER, None),
        ("hans", "Hans Gæst", "leverandør", Role.MEMBER, None),
        ("dorte", "Dorte Udvalg", "", Role.MEMBER, None),
    ):
        users[key] = factories.user(m, role, username=key)
        people[key] = factories.person(m, name, title, user=users[key])
        if membership:
            factories.membership(people[key], body, role=membership)
    factories.membership(people["dorte"], other_body)
    meeting = factories.meeting(body, datetime.date(2024, 5, 15), state=MeetingState.HELD)
    budget = factories.item(meeting, "Budget", decision="Vedtaget.", outcome=Outcome.TREATED)
    budget.guests.add(people["gitte"], people["hans"])
    personnel = factories.item(
        meeting,
        "Personalesag",
        closed=True,
        closed_reason="Personfølsomt",
        case_text=SECRET,
        decision=f"Besluttet {SECRET}",
        outcome=Outcome.TREATED,
    )
    for key, status in (
        ("anne", AttendanceStatus.PRESENT),
        ("bo", AttendanceStatus.PRESENT),
        ("carl", AttendanceStatus.EXCUSED),
        ("sekretaer", AttendanceStatus.PRESENT),
        ("gitte", AttendanceStatus.ABSENT),
        ("hans", AttendanceStatus.PRESENT),
    ):
        Attendance.objects.create(
            municipality=m, meeting=meeting, person=people[key], status=status
        )
    sessions = {key: make_session(users[key]) for key in ("anne", "bo", "sekretaer")}
    return SimpleNamespace(
        users=users,
        people=people,
        meeting=meeting,
        budget=budget,
        personnel=personnel,
        sessions=sessions,
    )


def refused(action, *words):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        action()
    message = " ".join(error.value.messages)
    for word in words:
        assert word in message, message


def minutes_of(w, public=False, user=None):
    withheld = proceedings.disqualified_items(user, w.meeting) if user else frozenset()
    return documents.build(w.meeting, public=public, minutes=True, withheld=withheld)


def decisions(doc):
    return {d.title: d for section in doc.sections for d in section.decisions}


def test_a_substitute_stands_in_for_a_member_of_the_body_only(w):
    p, secretary = w.people, w.users["sekretaer"]
    before = Attendance.objects.count()
    refused(
        lambda: proceedings.record_substitute(w.meeting, secretary, p["dorte"], p["eva"]),
        "Dorte Udvalg is not a member of Kommunalbestyrelsen",
    )
    refused(
        lambda: proceedings.record_substitute(w.meeting, secretary, p["carl"], p["bo"]),
        "is a member of the body",
    )
    refused(
        lambda: proceedings.record_substitute(w.meeting, w.users["bo"], p["carl"], p["eva"]),
        "secretary",
    )
    assert Attendance.objects.count() == before, "nothing written by a refusal"
    proceedings.record_substitute(w.meeting, secretary, p["carl"], p["eva"])
    refused(
        lambda: proceedings.record_substitute(w.meeting, secretary, p["carl"], p["dorte"]),
        "already has a substitute",
    )
    eva = Attendance.objects.get(meeting=w.meeting, person=p["eva"])
    assert eva.status == AttendanceStatus.PRESENT and eva.substitute_for == p["carl"]
    names = [person.name for person in services.approvers(w.meeting)]
    assert names == ["Anne Hansen", "Bo Lund", "Eva Stedfortræder"], "Eva approves for Carl"


def test_absences_conflicts_dissents_and_guests_in_the_rules_pages_and_minutes(client, w):
    p, secretary = w.people, w.users["sekretaer"]
    refused(
        lambda: proceedings.record_item_absences(
            w.budget, secretary, [(p["gitte"], ItemAbsenceKind.ABSENT, "")]
        ),
        "Gitte Gæst is not recorded as present",
    )
    assert ItemAbsence.objects.count() == 0
    proceedings.record_item_absences(
        w.budget, secretary, [(p["anne"], ItemAbsenceKind.ABSENT, ""), (p["bo"], "", "")]
    )
    proceedings.record_item_absences(
        w.personnel, secretary, [(p["bo"], ItemAbsenceKind.CONFLICT, "nær familie")]
    )
    bo, anne = w.users["bo"], w.users["anne"]
    assert not has_perm(bo, "meetings.see_closed_item", w.personnel)
    assert has_perm(anne, "meetings.see_closed_item", w.personnel)
    assert has_perm(bo, "meetings.see_closed", w.meeting), "still a member of the body"

    # Dissents and additions: by a participant who took part in the item, not empty.
    refused(lambda: proceedings.add_addendum(w.personnel, bo, "dissent", "Nej"), "did not take")
    refused(lambda: proceedings.add_addendum(w.budget, anne, "dissent", "Nej"), "did not take")
    refused(lambda: proceedings.add_addendum(w.budget, w.users["hans"], "dissent", "Nej"), "not")
    refused(lambda: proceedings.add_addendum(w.budget, bo, "dissent", " "), "Write")
    assert MinutesAddendum.objects.count() == 0
    proceedings.add_addendum(w.budget, bo, AddendumKind.DISSENT, "Jeg stemte imod.")

    minutes = decisions(minutes_of(w))
    assert minutes["Budget"].absences == ["Borgmester Anne Hansen deltager ikke."]
    assert minutes["Budget"].addenda == [
        "Protokoltilførsel (afvigende opfattelse) fra Bo Lund: Jeg stemte imod."
    ]
    assert minutes["Personalesag"].absences == [
        "Bo Lund er inhabil og deltager ikke (nær familie)."
    ]
    slot = next(s for section in minutes_of(w).sections for s in section.slots)
    assert slot.guests == (
        "Leverandør Hans Gæst deltager under behandlingen. "
        "Jurist Gitte Gæst var inviteret, men deltog ikke."
    ), "guests invited versus present"
    agenda = documents.build(w.meeting, public=False, minutes=False)
    assert "var inviteret" not in agenda.sections[0].slots[0].guests, "the agenda invites"
    withheld = decisions(minutes_of(w, user=bo))["Personalesag"]
    assert withheld.hidden and SECRET not in withheld.text, "Bo is disqualified"

    # The pages: Bo does not see the item's closed content; its internal minutes leave it out.
    use_session(client, w.sessions["bo"])
    page = client.get(f"/moeder/{w.meeting.pk}/").content.decode()
    assert SECRET not in page and "Jeg stemte imod." in page
    from docx import Document

    docx = client.get(f"/moeder/{w.meeting.pk}/referat.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert SECRET not in text, "the item Bo is disqualified from: its title and Lukket only"
    assert "Personalesag\nLukket punkt" in text
    assert SECRET not in client.get("/beslutninger/").content.decode(), "nor in the decisions"
    use_session(client, w.sessions["anne"])
    assert SECRET in client.get(f"/moeder/{w.meeting.pk}/").content.decode()
    assert SECRET in client.get("/beslutninger/").content.decode()
    use_session(client, w.sessions["sekretaer"])
    page = client.get(f"/moeder/{w.meeting.pk}/").content.decode()
    assert f"/punkter/{w.budget.pk}/deltagelse/" in page and "Anne Hansen" in page
    form = client.get(f"/punkter/{w.budget.pk}/deltagelse/")
    assert form.status_code == 200 and "Hans Gæst" in form.content.decode()

    # The approval does not cover the item Bo was disqualified from.
    approvals.circulate(w.meeting, secretary)
    approvals.approve(w.meeting, anne)
    approvals.approve(w.meeting, bo)
    lines = documents.approval_lines(Meeting.objects.select_related("body").get(pk=w.meeting.pk))
    assert any(
        line.startswith("Godkendt af Bo Lund")
        and line.endswith(", dog ikke “Personalesag” (inhabil)")
        for line in lines
    ), lines
    refused(lambda: proceedings.add_addendum(w.budget, bo, "addition", "Sent"), "locked")
    with scopes_disabled():
        assert MinutesAddendum.objects.count() == 1
