"""The meetings API under /api/v1/: meetings and their states, agenda items with optimistic
locking, cases, attachments, follow-ups, attendance and decisions.

Runs against tests/world.py: the own municipality's steering group has a meeting with
approved minutes (an open and a closed item) and a draft agenda; MEMBER chairs the body,
SECRETARY is its secretary, ADMINISTRATOR sees everything, READER and PROJECT_LEADER are no
members, `outsider` is an administrator of the other municipality.
"""

import datetime
import sys
import types

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from core.models import Role
from meetings import services
from meetings.models import (
    AgendaItem,
    Attachment,
    Attendance,
    Case,
    CaseStep,
    FollowUp,
    ItemKind,
    Meeting,
    MeetingState,
    MinutesVersion,
    Outcome,
)
from tests import factories
from tests.once import once_per_module
from tests.world import CANARY_CLOSED, CANARY_OTHER, CANARY_OWN, build_tenant

pytestmark = pytest.mark.django_db

LOCKED = "The minutes are approved and locked. Reopen them with a reason to correct them."
AGENDA_SENT = "The agenda has been sent and can no longer be changed."
NOT_HELD = "Decisions can be recorded once the meeting is held."
REQUIRED = "This field is required."


def da(message: str) -> str:
    with translation.override("da"):
        return gettext(message)


@once_per_module
def world():
    own = build_tenant("Norddjurs Kommune", canary=CANARY_OWN)
    other = build_tenant("Anden Kommune", canary=CANARY_OTHER, usernames_prefix="other-")
    own.users["outsider"] = other.users[Role.ADMINISTRATOR]
    own.other = other
    return own


@pytest.fixture
def api(world):
    """`api(actor, auth)`: a client for one of the world's users, by token or session."""

    def make(actor=Role.ADMINISTRATOR, auth="token", language="da"):
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        if actor == "anonymous":
            return client
        user = world.users[actor]
        if auth == "token":
            key = factories.api_key(user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        else:
            client.force_login(user)
        return client

    return make


def url(resource: str, pk=None, action=None) -> str:
    path = f"/api/v1/{resource}/"
    if pk is not None:
        path += f"{pk}/"
    if action:
        path += f"{action}/"
    return path


def snapshot():
    """Everything a refused request must leave alone, over both municipalities."""
    with scopes_disabled():
        return (
            sorted(
                Meeting.objects.values_list(
                    "pk",
                    "state",
                    "revision",
                    "sequence",
                    "date",
                    "start",
                    "end",
                    "place",
                    "body_id",
                )
            ),
            sorted(
                AgendaItem.objects.values_list(
                    "pk",
                    "revision",
                    "position",
                    "title",
                    "duration",
                    "decision",
                    "outcome",
                    "closed",
                    "case_text",
                )
            ),
            sorted(Case.objects.values_list("pk", "number", "title", "status")),
            sorted(CaseStep.objects.values_list("case_id", "body_id", "position", "arrived_on")),
            sorted(FollowUp.objects.values_list("pk", "status", "owner_id", "due_date")),
            sorted(Attendance.objects.values_list("pk", "meeting_id", "person_id", "status")),
            Attachment.objects.count(),
            MinutesVersion.objects.count(),
        )


def refetch(obj):
    with scopes_disabled():
        return type(obj).objects.get(pk=obj.pk)


def assert_refused(response, before, status=400, field=None, message=None):
    assert response.status_code == status, response.content.decode()
    assert response["Content-Language"] == "da"
    errors = response.json()
    if field is not None:
        assert field in errors, errors
        if message is not None:
            assert errors[field] == [da(message)], errors
    assert snapshot() == before
    return errors


def only_item(meeting) -> AgendaItem:
    with scopes_disabled():
        return AgendaItem.objects.get(meeting=meeting)


def new_meeting(t, state=MeetingState.AGENDA_DRAFT, date=None, **kwargs):
    return factories.meeting(t.body, date or datetime.date(2024, 10, 1), state=state, **kwargs)


# --- Meetings ----------------------------------------------------------------------------------


@pytest.mark.parametrize("auth", ["token", "session"])
def test_secretary_plans_changes_and_deletes_a_meeting(api, world, auth):
    client = api(Role.SECRETARY, auth)
    response = client.post(
        url("meetings"),
        {"body": world.body.pk, "date": "2024-11-20", "start": "13:00", "place": "Byrådssalen"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["state"], data["revision"], data["sequence"]) == ("planned", 1, 0)
    pk = data["id"]

    response = client.patch(url("meetings", pk), {"place": "Mødelokale 2"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["place"] == "Mødelokale 2"
    assert response.json()["sequence"] == 1  # the invitation changed

    response = client.patch(url("meetings", pk), {"title": "Ekstra møde"}, format="json")
    assert response.json()["sequence"] == 1

    # the state is read-only
    response = client.patch(url("meetings", pk), {"state": "minutes_approved"}, format="json")
    assert response.status_code == 200
    assert refetch(Meeting(pk=pk)).state == MeetingState.PLANNED

    assert client.delete(url("meetings", pk)).status_code == 204
    with scopes_disabled():
        assert not Meeting.objects.filter(pk=pk).exists()


@pytest.mark.parametrize("actor", [Role.MEMBER, Role.READER, Role.PROJECT_LEADER])
def test_non_secretaries_cannot_plan_meetings(api, world, actor):
    before = snapshot()
    client = api(actor)
    response = client.post(
        url("meetings"), {"body": world.body.pk, "date": "2024-11-20"}, format="json"
    )
    assert_refused(response, before, 403)
    response = client.patch(url("meetings", world.draft_meeting.pk), {"place": "X"}, format="json")
    assert_refused(response, before, 403)
    assert_refused(client.delete(url("meetings", world.draft_meeting.pk)), before, 403)


def test_secretary_of_another_body_cannot_plan_its_meetings(api, world):
    """The secretary role is not enough: the user must be a member of the body."""
    before = snapshot()
    client = api(Role.SECRETARY)
    response = client.post(
        url("meetings"), {"body": world.board.pk, "date": "2024-11-20"}, format="json"
    )
    assert_refused(response, before, 403)
    board_meeting = factories.meeting(world.board, datetime.date(2024, 12, 1))
    before = snapshot()
    response = client.patch(url("meetings", board_meeting.pk), {"place": "X"}, format="json")
    assert_refused(response, before, 403)
    # the administrator may
    response = api().patch(url("meetings", board_meeting.pk), {"place": "X"}, format="json")
    assert response.status_code == 200


def test_meeting_filters(api, world):
    client = api(Role.READER)
    extra = new_meeting(world, MeetingState.PLANNED, datetime.date(2025, 3, 1))
    ids = lambda response: [row["id"] for row in response.json()["results"]]  # noqa: E731
    everything = ids(client.get(url("meetings")))
    assert set(everything) == {world.meeting.pk, world.draft_meeting.pk, extra.pk}
    assert everything[0] == extra.pk  # newest first
    assert ids(client.get(url("meetings"), {"state": "minutes_approved"})) == [world.meeting.pk]
    assert ids(client.get(url("meetings"), {"from": "2024-09-01", "to": "2024-12-31"})) == [
        world.draft_meeting.pk
    ]
    assert ids(client.get(url("meetings"), {"body": world.board.pk})) == []
    assert ids(client.get(url("meetings"), {"body": world.other.body.pk})) == []
    for bad in ({"body": "x"}, {"from": "1. maj"}, {"state": "nonsense"}, {"body": "9" * 30}):
        response = client.get(url("meetings"), bad)
        assert response.status_code == 400, bad
        assert list(response.json()) == list(bad)


@pytest.mark.parametrize(
    "payload,field,message",
    [
        ({"start": "10:00", "end": "09:00"}, "end", "The meeting must end after it starts."),
        ({"date": "2024-13-01"}, "date", None),
        ({"start": "25:00"}, "start", None),
        ({"place": "a\x00b"}, "place", "Null characters are not allowed."),
    ],
)
def test_invalid_meetings_are_refused(api, world, payload, field, message):
    before = snapshot()
    response = api().post(
        url("meetings"), {"body": world.body.pk, "date": "2024-11-20", **payload}, format="json"
    )
    assert_refused(response, before, 400, field, message)


def test_meeting_on_a_closed_body_is_refused(api, world):
    before = snapshot()
    response = api().post(
        url("meetings"), {"body": world.closed_body.pk, "date": "2024-11-20"}, format="json"
    )
    errors = assert_refused(response, before, 400, "date")
    assert errors["date"] == [da("The body was closed on %(date)s.") % {"date": "01-10-2019"}]


def test_a_meeting_cannot_change_body(api, world):
    before = snapshot()
    response = api().patch(
        url("meetings", world.draft_meeting.pk), {"body": world.board.pk}, format="json"
    )
    assert_refused(response, before, 400, "body", "A meeting cannot be moved to another body.")


def test_a_meeting_of_another_municipality_is_not_found(api, world):
    before = snapshot()
    client = api()
    foreign = world.other.meeting
    assert client.get(url("meetings", foreign.pk)).status_code == 404
    assert_refused(
        client.patch(url("meetings", foreign.pk), {"place": "X"}, format="json"), before, 404
    )
    assert_refused(client.delete(url("meetings", foreign.pk)), before, 404)
    assert_refused(client.post(url("meetings", foreign.pk, "approve-agenda")), before, 404)
    response = client.post(
        url("meetings"), {"body": world.other.body.pk, "date": "2024-11-20"}, format="json"
    )
    errors = assert_refused(response, before, 400, "body")
    assert errors["body"][0].startswith("Ugyldig primærnøgle")


def test_a_meeting_with_approved_minutes_is_locked(api, world):
    before = snapshot()
    client = api()
    response = client.patch(url("meetings", world.meeting.pk), {"place": "X"}, format="json")
    assert_refused(response, before, 400, "non_field_errors", LOCKED)
    assert_refused(
        client.delete(url("meetings", world.meeting.pk)),
        before,
        400,
        "non_field_errors",
        AGENDA_SENT,
    )


def test_a_later_start_must_not_push_the_agenda_past_midnight(api, world):
    factories.item(world.draft_meeting, "Langt punkt", duration=300)
    before = snapshot()
    response = api().patch(
        url("meetings", world.draft_meeting.pk), {"start": "20:00"}, format="json"
    )
    assert_refused(
        response,
        before,
        400,
        "start",
        "The agenda would run past midnight. Shorten the items or start earlier.",
    )


# --- State changes -------------------------------------------------------------------------------


@pytest.fixture
def sent_mail(monkeypatch):
    """Agendas sent by `services.send_agenda`, without building the e-mail."""
    sent = []

    def send_agenda_email(meeting, recipients, connection=None):
        sent.append((meeting.pk, list(recipients)))

    try:
        from meetings import documents
    except ImportError:  # the documents module is written by another part of the work
        documents = types.ModuleType("meetings.documents")
        monkeypatch.setitem(sys.modules, "meetings.documents", documents)
        import meetings

        monkeypatch.setattr(meetings, "documents", documents, raising=False)
    monkeypatch.setattr(documents, "send_agenda_email", send_agenda_email, raising=False)
    return sent


def test_the_whole_life_of_a_meeting(api, world, sent_mail):
    with scopes_disabled():
        world.person.email = "formand@example.dk"
        world.person.save()
    chair, secretary = api(Role.MEMBER), api(Role.SECRETARY)
    meeting = new_meeting(world, date=timezone.localdate())
    factories.item(meeting, "Status på projekter", duration=20)

    response = chair.post(url("meetings", meeting.pk, "approve-agenda"))
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == MeetingState.AGENDA_APPROVED

    response = secretary.post(url("meetings", meeting.pk, "send-agenda"))
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == MeetingState.AGENDA_SENT
    assert sent_mail == [(meeting.pk, [("Tonny Olsen " + CANARY_OWN, "formand@example.dk")])]

    response = secretary.post(url("meetings", meeting.pk, "held"))
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == MeetingState.HELD

    item = only_item(meeting)
    response = secretary.patch(
        url("agenda-items", item.pk),
        {
            "decision": "Taget til efterretning.",
            "outcome": Outcome.TREATED,
            "revision": item.revision,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert refetch(meeting).state == MeetingState.MINUTES_DRAFT

    response = chair.post(url("meetings", meeting.pk, "approve-minutes"))
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == MeetingState.MINUTES_APPROVED
    assert response.json()["minutes_approved_at"]

    before = snapshot()
    response = chair.post(url("meetings", meeting.pk, "reopen-minutes"), {}, format="json")
    assert_refused(response, before, 400, "non_field_errors", "Give the reason for the correction.")
    response = chair.post(
        url("meetings", meeting.pk, "reopen-minutes"), {"reason": "Stavefejl"}, format="json"
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["state"], data["correction_reason"]) == (MeetingState.MINUTES_DRAFT, "Stavefejl")


@pytest.mark.parametrize("actor", [Role.READER, Role.PROJECT_LEADER, Role.SECRETARY])
@pytest.mark.parametrize("action", ["approve-agenda", "approve-minutes", "reopen-minutes"])
def test_only_the_chair_approves(api, world, actor, action):
    meeting = {
        "approve-agenda": world.draft_meeting,
        "approve-minutes": new_meeting(world, MeetingState.HELD),
        "reopen-minutes": world.meeting,
    }[action]
    before = snapshot()
    response = api(actor).post(url("meetings", meeting.pk, action), {"reason": "x"}, format="json")
    assert_refused(response, before, 403)


def test_the_chair_approves_although_a_plain_member_by_role(api, world):
    assert world.users[Role.MEMBER].role == Role.MEMBER
    response = api(Role.MEMBER).post(url("meetings", world.draft_meeting.pk, "approve-agenda"))
    assert response.status_code == 200, response.json()
    assert refetch(world.draft_meeting).agenda_approved_by == world.users[Role.MEMBER]


@pytest.mark.parametrize("actor", [Role.READER, Role.MEMBER])
@pytest.mark.parametrize("action", ["send-agenda", "held"])
def test_only_the_secretary_sends_and_records(api, world, actor, action, sent_mail):
    meeting = new_meeting(
        world,
        MeetingState.AGENDA_APPROVED if action == "send-agenda" else MeetingState.AGENDA_SENT,
    )
    before = snapshot()
    assert_refused(api(actor).post(url("meetings", meeting.pk, action)), before, 403)
    assert sent_mail == []


@pytest.mark.parametrize(
    "action,state,message",
    [
        (
            "send-agenda",
            MeetingState.AGENDA_DRAFT,
            "The agenda must be approved by the chair before it is sent.",
        ),
        (
            "approve-minutes",
            MeetingState.AGENDA_SENT,
            "The minutes can only be approved once the meeting has been held.",
        ),
        ("approve-agenda", MeetingState.AGENDA_SENT, "Only an agenda in draft can be approved."),
        (
            "held",
            MeetingState.AGENDA_DRAFT,
            "Only a meeting whose agenda has been sent can be marked as held.",
        ),
        ("reopen-minutes", MeetingState.HELD, "The minutes are not approved."),
    ],
)
def test_state_changes_out_of_order_are_refused(api, world, sent_mail, action, state, message):
    meeting = new_meeting(world, state)
    factories.item(meeting, "Et punkt")
    before = snapshot()
    response = api().post(url("meetings", meeting.pk, action), {"reason": "x"}, format="json")
    assert_refused(response, before, 400, "non_field_errors", message)
    assert sent_mail == []


def test_an_empty_agenda_cannot_be_approved(api, world):
    meeting = new_meeting(world)
    before = snapshot()
    response = api(Role.MEMBER).post(url("meetings", meeting.pk, "approve-agenda"))
    assert_refused(response, before, 400, "non_field_errors", "The agenda has no items.")


def test_minutes_without_decisions_cannot_be_approved(api, world):
    meeting = new_meeting(world, MeetingState.HELD)
    factories.item(meeting, "Uafklaret")
    before = snapshot()
    response = api(Role.MEMBER).post(url("meetings", meeting.pk, "approve-minutes"))
    errors = assert_refused(response, before, 400, "non_field_errors")
    assert errors["non_field_errors"] == [
        da("Record a decision or “not treated” for: %(items)s.") % {"items": "Uafklaret"}
    ]


def test_actions_answer_only_post(api, world):
    client = api()
    for action in ("approve-agenda", "send-agenda", "held", "approve-minutes", "reopen-minutes"):
        assert client.get(url("meetings", world.meeting.pk, action)).status_code == 405
    assert (
        api("anonymous").post(url("meetings", world.draft_meeting.pk, "approve-agenda")).status_code
        == 401
    )


def test_timed_agenda(api, world):
    meeting = new_meeting(world, start=datetime.time(9, 0))
    factories.item(meeting, "Velkomst", duration=10)
    factories.item(meeting, "Pause", kind="break", duration=15)
    factories.item(meeting, "Office 365", kind="decision", duration=30)
    response = api(Role.MEMBER).get(url("meetings", meeting.pk, "agenda"))
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["start"], data["end"]) == ("09:00", "09:55")
    assert [(i["number"], i["title"], i["start_time"], i["end_time"]) for i in data["items"]] == [
        (1, "Velkomst", "09:00", "09:10"),
        (None, "Pause", "09:10", "09:25"),
        (2, "Office 365", "09:25", "09:55"),
    ]
    # a draft agenda is for the members of the body only
    assert api(Role.READER).get(url("meetings", meeting.pk, "agenda")).status_code == 404
    assert api(Role.READER).get(url("meetings", world.meeting.pk, "agenda")).status_code == 200


# --- Agenda items -----------------------------------------------------------------------------


def test_items_are_added_changed_and_removed_with_revisions(api, world):
    client = api(Role.SECRETARY)
    meeting = world.draft_meeting
    response = client.post(
        url("agenda-items"),
        {
            "meeting": meeting.pk,
            "title": "Nyt punkt",
            "kind": "decision",
            "duration": 25,
            "case": world.case.pk,
            "guests": [world.person.pk],
            "other_guests": "jurist Maria Drejer Petersen",
            "case_text": "Tekst",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    item = response.json()
    assert (item["position"], item["revision"], item["guests"]) == (1, 1, [world.person.pk])
    assert item["other_guests"] == "jurist Maria Drejer Petersen"
    assert refetch(meeting).sequence == meeting.sequence + 1

    response = client.patch(
        url("agenda-items", item["id"]), {"duration": 40, "revision": 1}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["duration"], response.json()["revision"]) == (40, 2)

    # a second save from the old revision: 409 with the current item, nothing saved
    before = snapshot()
    response = client.patch(
        url("agenda-items", item["id"]), {"title": "Overskrevet", "revision": 1}, format="json"
    )
    assert response.status_code == 409, response.json()
    assert response.json()["current"]["revision"] == 2
    assert response.json()["current"]["duration"] == 40
    assert response.json()["detail"]
    assert snapshot() == before

    # PUT carries the revision too
    put = {
        "meeting": meeting.pk,
        "title": "Omdøbt",
        "kind": "information",
        "duration": 5,
        "revision": 2,
    }
    response = client.put(url("agenda-items", item["id"]), put, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["title"], response.json()["revision"]) == ("Omdøbt", 3)

    # deleting from a stale revision is refused too
    before = snapshot()
    response = client.delete(url("agenda-items", item["id"]) + "?revision=2")
    assert response.status_code == 409
    assert snapshot() == before
    response = client.delete(url("agenda-items", item["id"]) + "?revision=3")
    assert response.status_code == 204
    with scopes_disabled():
        assert not AgendaItem.objects.filter(pk=item["id"]).exists()


def test_a_change_without_revision_is_refused(api, world):
    item = only_item(world.draft_meeting)
    before = snapshot()
    response = api().patch(url("agenda-items", item.pk), {"title": "Ny"}, format="json")
    assert_refused(response, before, 400, "revision", REQUIRED)


@pytest.mark.parametrize(
    "query", ["", "?revision=", "?revision=abc", "?revision=0", "?revision=-1"]
)
def test_a_delete_without_a_valid_revision_is_refused(api, world, query):
    item = only_item(world.draft_meeting)
    before = snapshot()
    response = api().delete(url("agenda-items", item.pk) + query)
    errors = assert_refused(response, before, 400, "revision")
    if query == "":
        assert errors["revision"] == [da(REQUIRED)]


@pytest.mark.parametrize(
    "duration,message",
    [
        (0, "The duration must be at least one minute."),
        (-5, None),  # "Sørg for at denne værdi er større end eller lig med 0."
        (601, None),  # An item can last at most 600 minutes.
        ("lang", None),
    ],
)
def test_invalid_durations_are_refused(api, world, duration, message):
    before = snapshot()
    response = api().post(
        url("agenda-items"),
        {"meeting": world.draft_meeting.pk, "title": "Punkt", "duration": duration},
        format="json",
    )
    errors = assert_refused(response, before, 400, "duration", message)
    assert errors["duration"][0] != ""
    item = only_item(world.draft_meeting)
    response = api().patch(
        url("agenda-items", item.pk),
        {"duration": duration, "revision": item.revision},
        format="json",
    )
    assert_refused(response, before, 400, "duration", message)


def test_an_item_past_midnight_is_refused(api, world):
    meeting = new_meeting(world, start=datetime.time(22, 0))
    factories.item(meeting, "Sent punkt", duration=90)
    before = snapshot()
    response = api().post(
        url("agenda-items"),
        {"meeting": meeting.pk, "title": "For sent", "duration": 31},
        format="json",
    )
    assert_refused(
        response,
        before,
        400,
        "duration",
        "The agenda would run past midnight. Shorten the items or start earlier.",
    )


def test_a_closed_item_needs_a_reason(api, world):
    before = snapshot()
    response = api().post(
        url("agenda-items"),
        {"meeting": world.draft_meeting.pk, "title": "Lukket", "closed": True},
        format="json",
    )
    assert_refused(
        response, before, 400, "closed_reason", "Give the reason why the item is closed."
    )


def test_approved_minutes_are_locked(api, world):
    item = world.open_item
    before = snapshot()
    client = api()
    for payload in ({"decision": "Ændret"}, {"title": "Ændret"}):
        response = client.patch(
            url("agenda-items", item.pk), {**payload, "revision": item.revision}, format="json"
        )
        assert_refused(response, before, 400, "non_field_errors", LOCKED)
    response = client.post(
        url("agenda-items"), {"meeting": world.meeting.pk, "title": "Nyt"}, format="json"
    )
    assert_refused(response, before, 400, "non_field_errors", AGENDA_SENT)
    assert_refused(
        client.delete(url("agenda-items", item.pk) + f"?revision={item.revision}"),
        before,
        400,
        "non_field_errors",
        AGENDA_SENT,
    )


def test_agenda_and_minutes_fields_follow_the_state(api, world):
    client = api(Role.SECRETARY)
    draft_item = only_item(world.draft_meeting)
    before = snapshot()
    response = client.patch(
        url("agenda-items", draft_item.pk),
        {"decision": "For tidligt", "revision": draft_item.revision},
        format="json",
    )
    assert_refused(response, before, 400, "decision", NOT_HELD)
    response = client.post(
        url("agenda-items"),
        {"meeting": world.draft_meeting.pk, "title": "Nyt", "decision": "For tidligt"},
        format="json",
    )
    assert_refused(response, before, 400, "decision", NOT_HELD)

    held = new_meeting(world, MeetingState.HELD)
    item = factories.item(held, "Holdt punkt", duration=15)
    before = snapshot()
    response = client.patch(
        url("agenda-items", item.pk), {"duration": 20, "revision": item.revision}, format="json"
    )
    assert_refused(response, before, 400, "duration", AGENDA_SENT)
    # unchanged agenda fields in a PUT are fine while the minutes are written
    response = client.put(
        url("agenda-items", item.pk),
        {
            "meeting": held.pk,
            "title": "Holdt punkt",
            "duration": 15,
            "decision": "Godkendt",
            "outcome": Outcome.TREATED,
            "revision": item.revision,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert refetch(item).decision == "Godkendt"
    # an item cannot move to another meeting
    before = snapshot()
    response = client.patch(
        url("agenda-items", item.pk),
        {"meeting": world.draft_meeting.pk, "revision": refetch(item).revision},
        format="json",
    )
    assert_refused(response, before, 400, "meeting")


def test_forwarding_needs_a_further_body(api, world):
    held = new_meeting(world, MeetingState.HELD)
    case = factories.case(world.municipality, "Kun her", route=[world.body])
    item = factories.item(held, "Sag", case=case)
    before = snapshot()
    response = api().patch(
        url("agenda-items", item.pk),
        {"outcome": Outcome.FORWARDED, "revision": item.revision},
        format="json",
    )
    assert_refused(response, before, 400, "outcome", "The case has no further body on its route.")


@pytest.mark.parametrize("actor", [Role.READER, Role.MEMBER, Role.PROJECT_LEADER])
def test_only_writers_change_items(api, world, actor):
    item = only_item(world.draft_meeting)
    client = api(actor)
    before = snapshot()
    for response in (
        client.post(
            url("agenda-items"), {"meeting": world.draft_meeting.pk, "title": "X"}, format="json"
        ),
        client.patch(
            url("agenda-items", item.pk), {"title": "X", "revision": item.revision}, format="json"
        ),
        client.delete(url("agenda-items", item.pk) + f"?revision={item.revision}"),
    ):
        assert response.status_code in (403, 404)
    assert snapshot() == before


def test_secretary_who_is_no_member_cannot_add_items(api, world):
    board_meeting = factories.meeting(
        world.board, datetime.date(2024, 12, 1), state=MeetingState.AGENDA_DRAFT
    )
    before = snapshot()
    response = api(Role.SECRETARY).post(
        url("agenda-items"), {"meeting": board_meeting.pk, "title": "X"}, format="json"
    )
    assert_refused(response, before, 403)


def test_an_item_with_follow_ups_cannot_be_removed(api, world):
    item = only_item(world.draft_meeting)
    factories.follow_up(world.body, owner=world.person, item=item)
    before = snapshot()
    response = api().delete(url("agenda-items", item.pk) + f"?revision={item.revision}")
    assert_refused(
        response, before, 400, "non_field_errors", "The item has follow-ups and cannot be removed."
    )


# --- What the items show ----------------------------------------------------------------------


def test_a_closed_item_shows_only_its_title_to_non_members(api, world):
    for actor in (Role.READER, Role.PROJECT_LEADER):
        data = api(actor).get(url("agenda-items", world.closed_item.pk)).json()
        assert data["title"] == world.closed_item.title
        assert data["closed"] is True
        assert (data["case_text"], data["recommendation"], data["decision"]) == ("", "", "")
    for actor in (Role.MEMBER, Role.SECRETARY, Role.ADMINISTRATOR):
        data = api(actor).get(url("agenda-items", world.closed_item.pk)).json()
        assert CANARY_CLOSED in data["case_text"]
        assert CANARY_CLOSED in data["decision"]


def test_only_members_see_why_an_item_is_closed(api, world):
    """The pages never show a non-member the reason an item or attachment is closed; nor
    does the API: null in the item, the lists and the timed agenda."""
    item, attachment, meeting = world.closed_item, world.closed_attachment, world.meeting
    for actor in (Role.READER, Role.PROJECT_LEADER):
        client = api(actor)
        assert client.get(url("agenda-items", item.pk)).json()["closed_reason"] is None
        listed = client.get(url("agenda-items") + f"?meeting={meeting.pk}").json()["results"]
        assert {row["id"]: row["closed_reason"] for row in listed} == {
            world.open_item.pk: None,
            item.pk: None,
        }
        agenda = client.get(url("meetings", meeting.pk, "agenda")).json()
        assert {row["closed_reason"] for row in agenda["items"]} == {None}
        assert client.get(url("attachments", attachment.pk)).json()["closed_reason"] is None
        listed = client.get(url("attachments") + f"?item={item.pk}").json()["results"]
        assert {row["closed_reason"] for row in listed} == {None}
    for actor in (Role.MEMBER, Role.SECRETARY, Role.ADMINISTRATOR):
        client = api(actor)
        data = client.get(url("agenda-items", item.pk)).json()
        assert data["closed_reason"] == item.closed_reason
        agenda = client.get(url("meetings", meeting.pk, "agenda")).json()
        reasons = {row["id"]: row["closed_reason"] for row in agenda["items"]}
        assert reasons[item.pk] == item.closed_reason
        assert reasons[world.open_item.pk] == ""
        data = client.get(url("attachments", attachment.pk)).json()
        assert data["closed_reason"] == attachment.closed_reason


def test_the_schema_says_the_closed_reason_may_be_null(api):
    schema = api().get("/api/schema/?format=json").json()["components"]["schemas"]
    for name in ("AgendaItem", "TimedItem", "Attachment"):
        assert schema[name]["properties"]["closed_reason"]["nullable"] is True, name
    request = schema["AgendaItemRequest"]["properties"]["closed_reason"]
    assert "nullable" not in request
    delete = api().get("/api/schema/?format=json").json()["paths"]["/api/v1/agenda-items/{id}/"]
    revision = [p for p in delete["delete"]["parameters"] if p["name"] == "revision"]
    assert revision[0]["required"] is True
    assert {"400", "409"} <= set(delete["delete"]["responses"])


def test_a_draft_agenda_is_for_members_only(api, world):
    draft_item = only_item(world.draft_meeting)
    for actor in (Role.READER, Role.PROJECT_LEADER):
        client = api(actor)
        listed = {row["id"] for row in client.get(url("agenda-items")).json()["results"]}
        assert listed == {world.open_item.pk, world.closed_item.pk}
        assert client.get(url("agenda-items", draft_item.pk)).status_code == 404
    for actor in (Role.MEMBER, Role.SECRETARY, Role.ADMINISTRATOR):
        listed = {row["id"] for row in api(actor).get(url("agenda-items")).json()["results"]}
        assert draft_item.pk in listed


def test_draft_decisions_are_for_members_only(api, world):
    held = new_meeting(world, MeetingState.MINUTES_DRAFT)
    factories.item(held, "Punkt", decision="Udkast til beslutning", outcome=Outcome.TREATED)
    item = only_item(held)
    data = api(Role.READER).get(url("agenda-items", item.pk)).json()
    assert (data["decision"], data["outcome"]) == ("", "")
    data = api(Role.MEMBER).get(url("agenda-items", item.pk)).json()
    assert (data["decision"], data["outcome"]) == ("Udkast til beslutning", "treated")
    decisions = api(Role.READER).get(url("decisions")).json()["results"]
    assert item.pk not in {row["id"] for row in decisions}


def _every_get_url(t):
    item = t.open_item
    return [
        url("meetings"),
        url("meetings", t.meeting.pk),
        url("meetings", t.meeting.pk, "agenda"),
        url("meetings", t.draft_meeting.pk, "agenda"),
        url("agenda-items"),
        url("agenda-items", t.closed_item.pk),
        url("agenda-items", item.pk),
        url("agenda-items") + f"?meeting={t.meeting.pk}",
        url("cases"),
        url("cases", t.case.pk),
        url("attachments"),
        url("attachments", t.closed_attachment.pk),
        url("attachments", t.open_attachment.pk),
        url("follow-ups"),
        url("follow-ups", t.closed_follow_up.pk),
        url("follow-ups", t.follow_up.pk),
        url("attendance"),
        url("decisions"),
        url("decisions", t.closed_item.pk),
        url("decisions") + "?q=Lukket",
        url("decisions") + "?q=" + CANARY_CLOSED,
        url("decisions") + "?q=beslutning",
    ]


@pytest.mark.parametrize("actor", [Role.READER, Role.PROJECT_LEADER, "outsider"])
@pytest.mark.parametrize("auth", ["token", "session"])
def test_the_closed_canary_never_reaches_non_members(api, world, actor, auth):
    with scopes_disabled():
        Attendance.objects.create(
            meeting=world.meeting, person=world.person, municipality=world.municipality
        )
    client = api(actor, auth)
    foreign = CANARY_OWN if actor == "outsider" else CANARY_OTHER
    for path in _every_get_url(world) + _every_get_url(world.other):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        body = response.content.decode()
        assert CANARY_CLOSED not in body, f"{path} shows a closed item to {actor}"
        assert foreign not in body, f"{path} leaks another municipality's data to {actor}"
        if actor != "outsider":  # the outsider administrates the other municipality
            assert "Lukket opfølgning" not in body, path
    # and members do see it
    member = api(Role.MEMBER, auth)
    assert CANARY_CLOSED in member.get(url("agenda-items")).content.decode()
    assert CANARY_CLOSED in member.get(url("decisions") + "?q=Lukket").content.decode()


# --- Cases ------------------------------------------------------------------------------------


def test_cases_with_routes(api, world):
    client = api(Role.SECRETARY)
    response = client.post(
        url("cases"),
        {"number": "24/99999", "title": "Ny sag", "route": [world.body.pk, world.board.pk]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["route"] == [world.body.pk, world.board.pk]
    with scopes_disabled():
        steps = list(CaseStep.objects.filter(case_id=data["id"]).order_by("position"))
    assert steps[0].arrived_on == datetime.date.fromisoformat(data["created_on"])
    assert steps[1].arrived_on is None

    response = client.patch(
        url("cases", data["id"]), {"route": [world.board.pk, world.body.pk]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["route"] == [world.board.pk, world.body.pk]
    with scopes_disabled():
        steps = list(CaseStep.objects.filter(case_id=data["id"]).order_by("position"))
    # the steering group keeps the date the case arrived with it
    assert [(s.body_id, s.arrived_on) for s in steps] == [
        (world.board.pk, None),
        (world.body.pk, datetime.date.fromisoformat(data["created_on"])),
    ]
    response = client.patch(url("cases", data["id"]), {"title": "Omdøbt"}, format="json")
    assert response.json()["route"] == [world.board.pk, world.body.pk]
    # searched by number or title, as the case list does
    found = client.get(url("cases"), {"q": "OMDøbt", "status": "open"}).json()["results"]
    assert [row["id"] for row in found] == [data["id"]]
    found = client.get(url("cases"), {"q": "24/9999"}).json()["results"]
    assert [row["id"] for row in found] == [data["id"]]
    assert client.delete(url("cases", data["id"])).status_code == 204


@pytest.mark.parametrize(
    "payload,field,message",
    [
        ({"number": "DUP"}, "number", "Another case has this case number."),
        ({"route": []}, "route", "Give the route: choose at least one body."),
        ({"route": None}, "route", REQUIRED),
        ({"route": "BODY-BODY"}, "route", "A body can only appear once on the route."),
        ({"route": "CLOSED"}, "route", None),
        ({"route": "FOREIGN"}, "route", None),
        ({"title": ""}, "title", None),
    ],
)
def test_invalid_cases_are_refused(api, world, payload, field, message):
    factories.case(world.municipality, "Findes", number="24/00001")
    replacements = {
        "DUP": "24/00001",
        "BODY-BODY": [world.body.pk, world.body.pk],
        "CLOSED": [world.closed_body.pk],
        "FOREIGN": [world.other.body.pk],
    }
    payload = {k: replacements.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}
    data = {"number": "24/12345", "title": "Sag", "route": [world.body.pk], **payload}
    if data["route"] is None:
        del data["route"]
    before = snapshot()
    response = api(Role.SECRETARY).post(url("cases"), data, format="json")
    assert_refused(response, before, 400, field, message)


def test_case_number_clash_on_update(api, world):
    factories.case(world.municipality, "Findes", number="24/00001")
    before = snapshot()
    response = api().patch(url("cases", world.case.pk), {"number": "24/00001"}, format="json")
    assert_refused(response, before, 400, "number", "Another case has this case number.")


def test_cases_need_the_cases_permission(api, world):
    before = snapshot()
    for actor in (Role.MEMBER, Role.READER, Role.PROJECT_LEADER):
        client = api(actor)
        response = client.post(
            url("cases"), {"number": "1", "title": "X", "route": [world.body.pk]}, format="json"
        )
        assert_refused(response, before, 403)
        assert_refused(
            client.patch(url("cases", world.case.pk), {"title": "X"}, format="json"), before, 403
        )


def test_a_case_on_an_agenda_cannot_be_deleted(api, world):
    before = snapshot()
    response = api().delete(url("cases", world.case.pk))
    assert_refused(response, before, 409)


def test_a_closed_case_shows_its_description_to_route_members_only(api, world):
    case = factories.case(
        world.municipality,
        "Lukket sag",
        route=[world.body],
        closed=True,
        description="Hemmelig beskrivelse",
    )
    assert api(Role.READER).get(url("cases", case.pk)).json()["description"] == ""
    assert api(Role.MEMBER).get(url("cases", case.pk)).json()["description"] == (
        "Hemmelig beskrivelse"
    )


# --- Attachments ------------------------------------------------------------------------------


def test_attachments_list_closed_ones_by_title_only(api, world):
    rows = {row["id"]: row for row in api(Role.READER).get(url("attachments")).json()["results"]}
    closed = rows[world.closed_attachment.pk]
    assert closed["title"] == world.closed_attachment.title
    assert closed["closed"] is True
    assert (closed["document_number"], closed["journal_number"], closed["download_url"]) == (
        "",
        "",
        None,
    )
    opened = rows[world.open_attachment.pk]
    assert opened["document_number"] == "3608761"
    download = reverse("meetings:attachment_download", kwargs={"pk": world.open_attachment.pk})
    assert opened["download_url"] == f"http://testserver{download}"
    member = api(Role.MEMBER).get(url("attachments", world.closed_attachment.pk)).json()
    assert member["document_number"].startswith("DOK-")


PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def pdf(name="bilag.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_numbered_attachments_are_uploaded_through_the_api(api, world):
    """Minutes entered afterwards keep the meeting's own numbers: an open attachment 7, a
    closed 3, and one without a number after the one before it; a new file is a version."""
    item = only_item(world.draft_meeting)
    client = api(Role.SECRETARY)
    first = client.post(
        url("attachments"),
        {"item": item.pk, "title": "Årsrapport", "number": 7, "file": pdf()},
        format="multipart",
    )
    assert first.status_code == 201, first.json()
    assert first.json()["number"] == 7 and first.json()["version"] == 1
    assert first.json()["content_type"] == "application/pdf"
    closed = client.post(
        url("attachments"),
        {
            "item": item.pk,
            "title": "Personsager",
            "number": 3,
            "closed": "true",
            "closed_reason": "Personoplysninger",
            "file": pdf("lukket.pdf"),
        },
        format="multipart",
    )
    assert closed.status_code == 201, closed.json()
    third = client.post(
        url("attachments"), {"item": item.pk, "title": "Notat", "file": pdf()}, format="multipart"
    )
    assert third.json()["number"] is None
    with scopes_disabled():
        items = services.agenda_items(world.draft_meeting)
        numbers = {a.title: n for n, a in services.numbered_attachments(items) if a.item == item}
    assert numbers == {"Årsrapport": 7, "Personsager": 3, "Notat": 4}

    again = client.patch(
        url("attachments", first.json()["id"]),
        {"file": pdf("bilag-v2.pdf")},
        format="multipart",
    )
    assert again.status_code == 200, again.json()
    assert again.json()["version"] == 2 and again.json()["number"] == 7
    assert again.json()["title"] == "Årsrapport"


@pytest.mark.parametrize(
    "data,field,message",
    [
        (lambda item: {"item": item.pk, "title": "Uden fil"}, "file", "This field is required."),
        (
            lambda item: {"item": item.pk, "title": "Forkert", "file": pdf("virus.exe", b"MZ")},
            "file",
            "Files of type .exe are not accepted.",
        ),
        (
            lambda item: {"item": item.pk, "title": "Falsk", "file": pdf("falsk.pdf", b"hej")},
            "file",
            None,
        ),
        (
            lambda item: {"item": item.pk, "title": "Lukket", "closed": "true", "file": pdf()},
            "closed_reason",
            "Give the reason why the attachment is closed.",
        ),
        (
            lambda item: {"item": item.pk, "title": "Nul", "number": 0, "file": pdf()},
            "number",
            None,
        ),
        (lambda item: {"title": "Uden punkt", "file": pdf()}, "item", None),
    ],
)
def test_a_bad_upload_through_the_api_writes_nothing(api, world, data, field, message):
    item = only_item(world.draft_meeting)
    before = snapshot()
    with scopes_disabled():
        count = Attachment.objects.count()
    response = api(Role.SECRETARY, language="en").post(
        url("attachments"), data(item), format="multipart"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json(), response.json()
    if message:
        assert any(message in text for text in response.json()[field]), response.json()
    assert snapshot() == before
    with scopes_disabled():
        assert Attachment.objects.count() == count


def test_an_upload_number_the_meeting_already_has_is_refused(api, world):
    item = only_item(world.draft_meeting)
    with scopes_disabled():
        factories.attachment(item, "Bilag 12", number=12)
    response = api(Role.SECRETARY, language="en").post(
        url("attachments"),
        {"item": item.pk, "title": "Også 12", "number": 12, "file": pdf()},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["number"] == ["The meeting already has an attachment number 12."]


def test_only_the_secretary_uploads_and_not_to_locked_minutes(api, world):
    item = only_item(world.draft_meeting)
    before = snapshot()
    refused = api(Role.MEMBER).post(
        url("attachments"), {"item": item.pk, "title": "X", "file": pdf()}, format="multipart"
    )
    assert_refused(refused, before, 403)
    locked = api(Role.SECRETARY, language="en").post(
        url("attachments"),
        {"item": world.open_item.pk, "title": "For sent", "file": pdf()},
        format="multipart",
    )
    assert locked.status_code == 400
    assert "approved and locked" in locked.json()["non_field_errors"][0]
    assert snapshot() == before


def test_attachments_of_a_draft_agenda_are_for_members(api, world):
    item = only_item(world.draft_meeting)
    attachment = factories.attachment(item, "Udkast-bilag")
    assert api(Role.READER).get(url("attachments", attachment.pk)).status_code == 404
    assert api(Role.MEMBER).get(url("attachments", attachment.pk)).status_code == 200
    response = api(Role.MEMBER).get(url("attachments"), {"meeting": world.draft_meeting.pk})
    assert [row["id"] for row in response.json()["results"]] == [attachment.pk]


# --- Follow-ups -------------------------------------------------------------------------------


def test_follow_ups_are_created_and_closed(api, world):
    client = api(Role.SECRETARY)
    response = client.post(
        url("follow-ups"),
        {
            "body": world.body.pk,
            "item": world.open_item.pk,
            "description": "Tjek licenser",
            "owner_unit": world.unit.pk,
            "due_date": "2024-12-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["owner_name"], data["status"], data["done_on"]) == (world.unit.name, "open", None)
    response = client.patch(url("follow-ups", data["id"]), {"status": "done"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["done_on"] == timezone.localdate().isoformat()
    response = client.patch(
        url("follow-ups", data["id"]), {"status": "open", "done_on": "2024-12-02"}, format="json"
    )
    assert response.json()["done_on"] is None
    assert client.delete(url("follow-ups", data["id"])).status_code == 204


@pytest.mark.parametrize(
    "missing,field,message",
    [
        ("owner", "owner", "Name the person or unit who follows up."),
        ("due_date", "due_date", "Give a due date for the follow-up."),
    ],
)
def test_a_follow_up_needs_an_owner_and_a_due_date(api, world, missing, field, message):
    payload = {
        "body": world.body.pk,
        "description": "Noget",
        "owner": world.person.pk,
        "due_date": "2024-12-01",
    }
    del payload[missing]
    before = snapshot()
    response = api().post(url("follow-ups"), payload, format="json")
    assert_refused(response, before, 400, field, message)
    response = api().patch(url("follow-ups", world.follow_up.pk), {missing: None}, format="json")
    assert_refused(response, before, 400, field, message)


def test_a_follow_up_belongs_to_the_body_that_treated_the_item(api, world):
    before = snapshot()
    response = api().post(
        url("follow-ups"),
        {
            "body": world.board.pk,
            "item": world.open_item.pk,
            "description": "X",
            "owner": world.person.pk,
            "due_date": "2024-12-01",
        },
        format="json",
    )
    assert_refused(response, before, 400, "item", "The item was treated by another body.")


def test_follow_ups_need_to_edit_the_body(api, world):
    before = snapshot()
    payload = {
        "body": world.board.pk,
        "description": "X",
        "owner": world.person.pk,
        "due_date": "2024-12-01",
    }
    assert_refused(api(Role.SECRETARY).post(url("follow-ups"), payload, format="json"), before, 403)
    for actor in (Role.MEMBER, Role.READER):
        response = api(actor).patch(
            url("follow-ups", world.follow_up.pk), {"status": "done"}, format="json"
        )
        assert_refused(response, before, 403)


def test_closed_follow_ups_are_for_members(api, world):
    reader = api(Role.READER)
    listed = {row["id"] for row in reader.get(url("follow-ups")).json()["results"]}
    assert listed == {world.follow_up.pk}
    assert reader.get(url("follow-ups", world.closed_follow_up.pk)).status_code == 404
    listed = {row["id"] for row in api(Role.MEMBER).get(url("follow-ups")).json()["results"]}
    assert listed == {world.follow_up.pk, world.closed_follow_up.pk}
    response = reader.get(url("follow-ups"), {"status": "done"})
    assert response.json()["results"] == []


# --- Attendance -------------------------------------------------------------------------------


def test_attendance(api, world):
    client = api(Role.SECRETARY)
    meeting = world.draft_meeting
    payload = {"meeting": meeting.pk, "person": world.person.pk, "status": "excused"}
    response = client.post(url("attendance"), payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["person_name"] == world.person.name
    before = snapshot()
    assert_refused(
        client.post(url("attendance"), payload, format="json"), before, 400, "non_field_errors"
    )
    response = client.patch(
        url("attendance", response.json()["id"]), {"status": "present"}, format="json"
    )
    assert response.status_code == 200
    # locked with the approved minutes
    before = snapshot()
    response = client.post(
        url("attendance"), {**payload, "meeting": world.meeting.pk}, format="json"
    )
    assert_refused(response, before, 400, "non_field_errors", LOCKED)
    assert_refused(api(Role.READER).post(url("attendance"), payload, format="json"), before, 403)


# --- Labels -----------------------------------------------------------------------------------


def test_choices_answer_with_their_label_in_the_users_language(api, world):
    """Beside each code its label, as the pages show it (a withheld code has no label:
    core/tests/test_api_labels.py)."""
    rows = api(Role.MEMBER).get(url("decisions")).json()["results"]
    by_id = {row["id"]: row for row in rows}
    row = by_id[world.open_item.pk]
    with translation.override("da"):
        assert row["kind_label"] == str(ItemKind(row["kind"]).label)
        assert row["outcome_label"] == str(Outcome(row["outcome"]).label)
    assert row["kind_label"] not in {row["kind"], ""}
    english = api(Role.MEMBER, language="en").get(url("decisions")).json()["results"]
    english_row = next(r for r in english if r["id"] == world.open_item.pk)
    with translation.override("en"):
        assert english_row["outcome_label"] == str(Outcome(row["outcome"]).label)
    assert english_row["outcome_label"] != row["outcome_label"]


# --- Decisions --------------------------------------------------------------------------------


def test_decision_log_and_search(api, world):
    reader = api(Role.READER)
    rows = reader.get(url("decisions")).json()["results"]
    assert {row["id"] for row in rows} == {world.open_item.pk, world.closed_item.pk}
    by_id = {row["id"]: row for row in rows}
    assert by_id[world.open_item.pk]["decision"] == f"Godkendt {CANARY_OWN}"
    assert by_id[world.open_item.pk]["case_number"] == world.case.number
    assert by_id[world.closed_item.pk]["decision"] == ""
    assert by_id[world.closed_item.pk]["case_number"] is None

    found = reader.get(url("decisions"), {"q": "Godkendt"}).json()["results"]
    assert [row["id"] for row in found] == [world.open_item.pk]
    # the closed decision's text is not searched for those who may not read it
    assert reader.get(url("decisions"), {"q": "Lukket beslutning"}).json()["results"] == []
    member = api(Role.MEMBER).get(url("decisions"), {"q": "Lukket beslutning"}).json()
    assert [row["id"] for row in member["results"]] == [world.closed_item.pk]

    assert reader.get(url("decisions"), {"body": world.board.pk}).json()["results"] == []
    kinds = {row["id"]: row["kind"] for row in rows}
    for kind in set(kinds.values()):
        found = reader.get(url("decisions"), {"kind": kind}).json()["results"]
        assert {row["id"] for row in found} == {pk for pk, k in kinds.items() if k == kind}
    absent = {ItemKind.INFORMATION, ItemKind.DISCUSSION, ItemKind.DECISION} - set(kinds.values())
    for kind in absent:
        assert reader.get(url("decisions"), {"kind": kind}).json()["results"] == []
    assert absent or len(set(kinds.values())) > 1  # the filter is seen to filter
    assert reader.get(url("decisions"), {"kind": "break"}).status_code == 400
    assert reader.get(url("decisions"), {"from": "2025-01-01"}).json()["results"] == []
    for odd in ('"NEAR(', "*", "a\x00b", "x" * 2000):
        assert reader.get(url("decisions"), {"q": odd}).status_code in (200, 400)
    assert reader.post(url("decisions"), {}, format="json").status_code in (403, 405)


# --- Query counts ----------------------------------------------------------------------------


LIST_URLS = [
    "meetings",
    "agenda-items",
    "cases",
    "attachments",
    "follow-ups",
    "attendance",
    "decisions",
]


def _grow_meetings(t, n: int):
    with scopes_disabled():
        persons = [factories.person(t.municipality, f"Deltager {i}") for i in range(n)]
        for i in range(n):
            meeting = factories.meeting(
                t.body, datetime.date(2023, 1, 1 + i), state=MeetingState.HELD
            )
            case = factories.case(t.municipality, f"Sag {i}", route=[t.body, t.board])
            for j in range(2):
                item = factories.item(
                    meeting,
                    f"Punkt {i}.{j}",
                    case=case,
                    closed=j == 1,
                    closed_reason="Fortroligt" if j else "",
                    decision=f"Besluttet {i}",
                    outcome=Outcome.TREATED,
                )
                item.guests.add(*persons[:3])
                factories.attachment(
                    item, f"Bilag {i}.{j}", closed=j == 1, closed_reason="Fortroligt" if j else ""
                )
                factories.follow_up(t.body, owner=persons[i], item=item)
            Attendance.objects.create(
                meeting=meeting, person=persons[i], municipality=t.municipality
            )
            meeting.state = MeetingState.MINUTES_APPROVED
            meeting.save()


def _count(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("actor", [Role.READER, Role.MEMBER])
def test_query_counts_do_not_grow_with_the_rows(api, world, actor):
    client = api(actor)
    paths = [url(name) for name in LIST_URLS] + [
        url("meetings", world.meeting.pk, "agenda"),
        url("decisions") + "?q=Besluttet",
    ]
    _grow_meetings(world, 2)
    small = {path: _count(client, path) for path in paths}
    _grow_meetings(world, 8)
    large = {path: _count(client, path) for path in paths}
    assert large == small


# --- Browsable API ---------------------------------------------------------------------------


@pytest.mark.parametrize("auth", ["token", "session"])
def test_browsable_api_renders_the_forms_in_scope(api, world, auth):
    client = api(Role.ADMINISTRATOR, auth)
    for path in (
        url("meetings"),
        url("agenda-items", world.open_item.pk),
        url("cases"),
        url("follow-ups"),
        url("attendance"),
        url("attachments"),
        url("decisions"),
        url("meetings", world.meeting.pk, "agenda"),
    ):
        response = client.get(path, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("text/html")
        assert CANARY_OTHER not in response.content.decode(), path


def test_the_decision_log_pages_by_keys_in_its_order(api, world):
    """Ordered by the meetings' dates, the log is paged by keys (core.pagination): every page
    is the full list's slice in the same order, with the count of all of them."""
    for day, count in ((datetime.date(2024, 11, 5), 2), (datetime.date(2023, 3, 1), 3)):
        meeting = new_meeting(world, MeetingState.MINUTES_DRAFT, date=day)
        for n in range(count):
            factories.item(meeting, f"Punkt {n}", decision="Godkendt", outcome=Outcome.TREATED)
        with scopes_disabled():  # approved (the lock is the services' business, not this test's)
            Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.MINUTES_APPROVED)
    client = api(Role.ADMINISTRATOR)
    full = client.get(url("decisions") + "?limit=500").json()
    ids = [row["id"] for row in full["results"]]
    assert len(ids) >= 7 and full["count"] == len(ids)
    dates = [row["meeting_date"] for row in full["results"]]
    assert dates == sorted(dates, reverse=True)
    for offset in range(len(ids)):
        page = client.get(url("decisions") + f"?limit=2&offset={offset}").json()
        assert page["count"] == len(ids)
        assert [row["id"] for row in page["results"]] == ids[offset : offset + 2]
        assert all(row["meeting"] and row["title"] for row in page["results"])


def test_a_past_meeting_is_registered_afterwards_through_the_api(api, world, sent_mail):
    meeting = new_meeting(world, MeetingState.PLANNED, date=datetime.date(2023, 5, 15))
    with scopes_disabled():
        factories.item(meeting, "Årsrapport")
    before = snapshot()
    refused = api(Role.MEMBER).post(url("meetings", meeting.pk, "record-afterwards"))
    assert_refused(refused, before, 403)
    assert refused.json()["permission"] == "meetings.edit"
    response = api(Role.SECRETARY).post(url("meetings", meeting.pk, "record-afterwards"))
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == MeetingState.HELD
    assert response.json()["recorded_afterwards"] is True
    assert sent_mail == []
    again = api(Role.SECRETARY).post(url("meetings", meeting.pk, "record-afterwards"))
    assert again.status_code == 400
