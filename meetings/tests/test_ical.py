"""Calendars: the invitation, the feeds of a body and of a person, and their secret tokens."""

import datetime

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from core.models import Role
from meetings import ical
from meetings.models import CalendarFeed, ItemKind, Meeting, MeetingState
from tests import factories
from tests.once import once_per_module
from tests.world import CANARY_CLOSED, CANARY_OTHER, CANARY_OWN, build_tenant

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
RECENT = TODAY - datetime.timedelta(days=20)
SOON = TODAY + datetime.timedelta(days=30)


@once_per_module
def t():
    """The world, with its meetings moved into the feeds' window (a year back, and on)."""
    tenant = build_tenant("Norddjurs Kommune", canary=CANARY_OWN)
    Meeting.objects.filter(pk=tenant.meeting.pk).update(date=RECENT)
    Meeting.objects.filter(pk=tenant.draft_meeting.pk).update(date=SOON)
    tenant.meeting.refresh_from_db()
    tenant.draft_meeting.refresh_from_db()
    return tenant


def parse(content: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(content)


def events(content: bytes) -> list:
    return list(parse(content).walk("VEVENT"))


def test_the_invitation(t):
    with scopes_disabled():
        content = ical.invitation(t.meeting, attendees=[("Tonny", "tonny@example.dk")])
    calendar = parse(content)
    assert calendar["METHOD"] == "REQUEST"
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Copenhagen"
    (event,) = calendar.walk("VEVENT")
    assert event["UID"] == f"{t.meeting.uid}@digistyr"
    assert event["SEQUENCE"] == t.meeting.sequence
    assert event["SUMMARY"] == t.meeting.heading
    assert event["LOCATION"] == f"Mødelokale {CANARY_OWN}"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (start.hour, start.minute, end.hour, end.minute) == (9, 0, 9, 50)
    assert str(start.tzinfo) == "Europe/Copenhagen"
    assert b"DTSTART;TZID=Europe/Copenhagen:" in content
    description = event["DESCRIPTION"]
    assert f"9.00 Office 365 {CANARY_OWN}" in description
    assert "9.30 Lukket punkt" in description and "Personalesag" not in description
    assert "mailto:tonny@example.dk" in event["ATTENDEE"]
    assert CANARY_CLOSED.encode() not in content


def test_a_meeting_without_items_lasts_its_planned_length(t):
    """No items yet and no end: the event lasts two hours, not zero minutes."""
    with scopes_disabled():
        empty = factories.meeting(t.body, SOON, start=datetime.time(13, 0))
        (event,) = events(ical.invitation(empty, attendees=[]))
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (start.hour, start.minute, end.hour, end.minute) == (13, 0, 15, 0)


def test_the_sequence_follows_the_meeting(t):
    with scopes_disabled():
        Meeting.objects.filter(pk=t.meeting.pk).update(sequence=7)
        t.meeting.refresh_from_db()
        (event,) = events(ical.invitation(t.meeting))
    assert event["SEQUENCE"] == 7


def test_body_feed(t):
    with scopes_disabled():
        old = factories.meeting(
            t.body, TODAY - datetime.timedelta(days=400), state=MeetingState.AGENDA_SENT
        )
        other_body = factories.meeting(t.board, RECENT, state=MeetingState.AGENDA_SENT)
        content = ical.body_feed(t.body)
    found = {str(e["UID"]): e for e in events(content)}
    assert set(found) == {f"{t.meeting.uid}@digistyr", f"{t.draft_meeting.uid}@digistyr"}
    assert f"{old.uid}@digistyr" not in found and f"{other_body.uid}@digistyr" not in found
    # The draft agenda's items are for members only: not in a token feed.
    assert "DESCRIPTION" not in found[f"{t.draft_meeting.uid}@digistyr"]
    assert f"Office 365 {CANARY_OWN}" in found[f"{t.meeting.uid}@digistyr"]["DESCRIPTION"]
    assert CANARY_CLOSED.encode() not in content
    assert parse(content)["X-WR-CALNAME"] == f"Møder i {t.body.name}"


def test_person_feed_members_get_meetings_guests_their_slots(t):
    with scopes_disabled():
        guest = factories.person(t.municipality, "Gæst Gæstesen", "konsulent")
        t.open_item.guests.add(guest)
        t.closed_item.guests.add(guest)
        draft_item = t.draft_meeting.items.get(kind=ItemKind.INFORMATION)
        draft_item.guests.add(guest)
        member_feed = ical.person_feed(t.person)
        guest_feed = ical.person_feed(guest)
    member_events = {str(e["UID"]) for e in events(member_feed)}
    assert member_events == {f"{t.meeting.uid}@digistyr", f"{t.draft_meeting.uid}@digistyr"}

    slots = {str(e["SUMMARY"]): e for e in events(guest_feed)}
    assert set(slots) == {
        f"Office 365 {CANARY_OWN} ({t.body.name})",
        f"Lukket punkt ({t.body.name})",
    }, "one event per item, the closed one without its title; none on an unsent agenda"
    open_slot = slots[f"Office 365 {CANARY_OWN} ({t.body.name})"]
    assert open_slot.decoded("DTSTART").time() == datetime.time(9, 0)
    assert open_slot.decoded("DTEND").time() == datetime.time(9, 30)
    closed_slot = slots[f"Lukket punkt ({t.body.name})"]
    assert closed_slot.decoded("DTSTART").time() == datetime.time(9, 30)
    assert closed_slot.decoded("DTEND").time() == datetime.time(9, 50)
    assert b"Personalesag" not in guest_feed and CANARY_CLOSED.encode() not in guest_feed


def test_a_member_on_another_date_is_no_member(t):
    with scopes_disabled():
        t.membership.end = RECENT - datetime.timedelta(days=1)
        t.membership.save()
        content = ical.person_feed(t.person)
    summaries = {str(e["SUMMARY"]) for e in events(content)}
    # No longer a member on the meeting's date: only the item they are a guest at.
    assert summaries == {f"Office 365 {CANARY_OWN} ({t.body.name})"}


def test_feeds_have_constant_queries(t):
    def count(target) -> int:
        with scopes_disabled(), CaptureQueriesContext(connection) as queries:
            ical.person_feed(target) if hasattr(target, "title") else ical.body_feed(target)
        return len(queries)

    small = count(t.body), count(t.person)  # a guest at no item of another body yet
    with scopes_disabled():
        board_meeting = factories.meeting(t.board, RECENT, state=MeetingState.AGENDA_SENT)
        factories.item(board_meeting, "Gæstepunkt").guests.add(t.person)
        for i in range(5):
            meeting = factories.meeting(
                t.body, RECENT + datetime.timedelta(days=i + 1), state=MeetingState.AGENDA_SENT
            )
            item = factories.item(meeting, f"Punkt {i}")
            item.guests.add(t.person)
            other = factories.meeting(
                t.board, RECENT + datetime.timedelta(days=i + 1), state=MeetingState.AGENDA_SENT
            )
            factories.item(other, f"Gæstepunkt {i}").guests.add(t.person)
    assert (count(t.body), count(t.person)) == small


# --- Views -------------------------------------------------------------------------------------


def test_meeting_ics_view(client, t):
    client.force_login(t.users[Role.READER])
    response = client.get(reverse("meetings:meeting_ics", kwargs={"pk": t.meeting.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert parse(response.content)["METHOD"] == "REQUEST"
    draft = reverse("meetings:meeting_ics", kwargs={"pk": t.draft_meeting.pk})
    assert client.get(draft).status_code == 404
    client.force_login(t.users[Role.MEMBER])
    assert client.get(draft).status_code == 200


def _token(client, user, kind, pk):
    client.force_login(user)
    return client.post(reverse("meetings:calendar_token"), {"kind": kind, "id": pk})


def test_feeds_need_no_login_and_renewing_stops_the_old_address(client, t):
    assert _token(client, t.users[Role.MEMBER], "person", t.person.pk).status_code == 302
    with scopes_disabled():
        first = CalendarFeed.objects.get(person=t.person).token
    client.logout()
    url = reverse("meetings:feed_person", kwargs={"token": first})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f"{t.meeting.uid}@digistyr".encode() in response.content
    assert CANARY_CLOSED.encode() not in response.content

    assert _token(client, t.users[Role.MEMBER], "person", t.person.pk).status_code == 302
    with scopes_disabled():
        second = CalendarFeed.objects.get(person=t.person).token
        assert CalendarFeed.objects.filter(person=t.person).count() == 1
    assert second != first and len(second) >= 40
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get(reverse("meetings:feed_person", kwargs={"token": second})).status_code == 200
    assert client.get(reverse("meetings:feed_body", kwargs={"token": second})).status_code == 404
    assert client.get(reverse("meetings:feed_body", kwargs={"token": "nope"})).status_code == 404


def test_who_may_create_which_address(client, t):
    with scopes_disabled():
        other = build_tenant("Anden Kommune", canary=CANARY_OTHER, usernames_prefix="other-")
    # Plain members (MEMBER role) may not edit the body; the secretary and admins may.
    assert _token(client, t.users[Role.MEMBER], "body", t.body.pk).status_code == 403
    assert _token(client, t.users[Role.READER], "body", t.body.pk).status_code == 403
    assert _token(client, t.users[Role.SECRETARY], "body", t.body.pk).status_code == 302
    assert _token(client, t.users[Role.ADMINISTRATOR], "body", t.closed_body.pk).status_code == 302
    # One's own person only (admins any).
    assert _token(client, t.users[Role.READER], "person", t.person.pk).status_code == 403
    assert _token(client, t.users[Role.SECRETARY], "person", t.person.pk).status_code == 403
    assert _token(client, t.users[Role.ADMINISTRATOR], "person", t.person.pk).status_code == 302
    # Another municipality's objects are not found.
    assert _token(client, t.users[Role.ADMINISTRATOR], "body", other.body.pk).status_code == 404
    assert _token(client, t.users[Role.ADMINISTRATOR], "person", other.person.pk).status_code == 404
    # Bad input: 400 and nothing written.
    with scopes_disabled():
        before = CalendarFeed.objects.count()
    for data in [
        {},
        {"kind": "body"},
        {"kind": "meeting", "id": t.body.pk},
        {"kind": "body", "id": "x"},
    ]:
        client.force_login(t.users[Role.ADMINISTRATOR])
        assert client.post(reverse("meetings:calendar_token"), data).status_code == 400
    assert client.get(reverse("meetings:calendar_token")).status_code == 405
    with scopes_disabled():
        assert CalendarFeed.objects.count() == before == 3
        assert {f.municipality_id for f in CalendarFeed.objects.all()} == {t.municipality.pk}


def test_a_closed_body_feed_still_works_and_never_shows_closed_text(client, t):
    _token(client, t.users[Role.ADMINISTRATOR], "body", t.closed_body.pk)
    _token(client, t.users[Role.ADMINISTRATOR], "body", t.body.pk)
    client.logout()
    with scopes_disabled():
        feeds = list(CalendarFeed.objects.select_related("body"))
    for feed in feeds:
        response = client.get(reverse("meetings:feed_body", kwargs={"token": feed.token}))
        assert response.status_code == 200
        assert CANARY_CLOSED.encode() not in response.content
        assert b"BEGIN:VCALENDAR" in response.content


def test_feed_of_one_municipality_holds_none_of_another(client, t):
    with scopes_disabled():
        other = build_tenant("Anden Kommune", canary=CANARY_OTHER, usernames_prefix="other-")
        Meeting.objects.filter(body__municipality=other.municipality).update(date=RECENT)
    _token(client, t.users[Role.ADMINISTRATOR], "body", t.body.pk)
    with scopes_disabled():
        token = CalendarFeed.objects.get(body=t.body).token
    # Logged in as the other municipality: the token still answers with its own data only.
    client.force_login(other.users[Role.ADMINISTRATOR])
    response = client.get(reverse("meetings:feed_body", kwargs={"token": token}))
    assert response.status_code == 200
    assert CANARY_OWN.encode() in response.content
    assert CANARY_OTHER.encode() not in response.content


def test_calendar_page(client, t):
    _token(client, t.users[Role.SECRETARY], "body", t.body.pk)
    with scopes_disabled():
        body_token = CalendarFeed.objects.get(body=t.body).token
    # The chair (MEMBER role): own person, the bodies they sit in, no renew button for bodies.
    client.force_login(t.users[Role.MEMBER])
    html = client.get(reverse("meetings:calendar_links")).content.decode()
    assert t.body.name in html and t.board.name not in html
    assert f"/kalender/organ/{body_token}.ics" in html
    assert f'name="id" value="{t.person.pk}"' in html
    assert f'name="id" value="{t.body.pk}"' not in html
    # The secretary may renew the body's address.
    client.force_login(t.users[Role.SECRETARY])
    html = client.get(reverse("meetings:calendar_links")).content.decode()
    assert f'name="id" value="{t.body.pk}"' in html
    # A reader without a person or seats sees neither.
    client.force_login(t.users[Role.READER])
    html = client.get(reverse("meetings:calendar_links")).content.decode()
    assert t.body.name not in html and "/kalender/organ/" not in html
    # Administrators see every body.
    client.force_login(t.users[Role.ADMINISTRATOR])
    html = client.get(reverse("meetings:calendar_links")).content.decode()
    for body in (t.body, t.board, t.closed_body):
        assert body.name in html


def test_calendar_page_queries_do_not_grow(client, t):
    client.force_login(t.users[Role.ADMINISTRATOR])
    url = reverse("meetings:calendar_links")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = count()
    with scopes_disabled():
        for i in range(5):
            body = factories.body(t.municipality, f"Projektgruppe {i}")
            with scope(municipality=t.municipality.pk):
                CalendarFeed.objects.create(
                    municipality=t.municipality, body=body, token=f"token-{i}"
                )
    assert count() == small
