"""Calendars: the invitation of a meeting, a body's feed and a person's feed (iCalendar).

- `invitation(meeting)`: METHOD:REQUEST with the meeting's stable UID and its SEQUENCE, which
  grows with every change of the agenda, so calendar programs update the event in place.
- `body_feed(body)`: every meeting of the body from a year ago on.
- `person_feed(person)`: the meetings of the bodies the person sits in on the meeting's date,
  and, for items where the person is only a guest, one event per item holding just that item's
  slot ("<item> (<body>)").

Feeds are read with a secret token and no login, so they never hold closed item text: a
closed item is "Lukket punkt", and the items of an agenda that is not yet sent are left out
altogether (before it is sent, the agenda is for members only).

Times are local (Europe/Copenhagen) with a VTIMEZONE, as Outlook expects.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress

from meetings import services
from meetings.models import AGENDA_PUBLISHED, AgendaItem, Meeting

TZID = "Europe/Copenhagen"
TZ = zoneinfo.ZoneInfo(TZID)
PRODID = "-//digistyr//Møder//DA"
CLOSED_ITEM = "Lukket punkt"
FEED_DAYS_BACK = 365


def _vtimezone() -> Timezone:
    """Central European time with the EU's summer time rule (since 1996)."""
    tz = Timezone()
    tz.add("tzid", TZID)
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("dtstart", datetime.datetime(1996, 3, 31, 2, 0))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    summer.add("tzoffsetfrom", datetime.timedelta(hours=1))
    summer.add("tzoffsetto", datetime.timedelta(hours=2))
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("dtstart", datetime.datetime(1996, 10, 27, 3, 0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    winter.add("tzoffsetfrom", datetime.timedelta(hours=2))
    winter.add("tzoffsetto", datetime.timedelta(hours=1))
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def _calendar(name: str = "", method: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", TZID)
    calendar.add_component(_vtimezone())
    return calendar


def _local(date: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(date, time, tzinfo=TZ)


def _items(meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.items.all())  # ordered by position; prefetched by the feeds


def _describe(meeting: Meeting, items: list[AgendaItem]) -> str:
    """The items with their times; a closed item only as "Lukket punkt"."""
    lines = []
    for timed in services.timed_items(meeting, items):
        title = CLOSED_ITEM if timed.item.closed else timed.item.title
        lines.append(f"{services.format_time(timed.start)} {title}")
    return "\n".join(lines)


def meeting_event(meeting: Meeting, items=None, *, agenda: bool = True) -> Event:
    """The meeting as an event. `agenda=False` leaves the item titles out."""
    items = _items(meeting) if items is None else items
    event = Event()
    event.add("uid", f"{meeting.uid}@digistyr")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", _local(meeting.date, meeting.start))
    event.add("dtend", _local(meeting.date, services.meeting_end(meeting, items)))
    event.add("summary", meeting.heading)
    if meeting.place:
        event.add("location", meeting.place)
    if agenda and items:
        event.add("description", _describe(meeting, items))
    return event


def _item_event(meeting: Meeting, timed: services.TimedItem) -> Event:
    """One item's slot, for a guest: “<item> (<body>)”, or “Lukket punkt (<body>)”."""
    item = timed.item
    title = CLOSED_ITEM if item.closed else item.title
    event = Event()
    event.add("uid", f"{meeting.uid}-{item.pk}@digistyr")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", _local(meeting.date, timed.start))
    event.add("dtend", _local(meeting.date, timed.end))
    event.add("summary", f"{title} ({meeting.body.name})")
    if meeting.place:
        event.add("location", meeting.place)
    return event


def invitation(meeting: Meeting, items=None, attendees=()) -> bytes:
    """A METHOD:REQUEST invitation to the meeting, for the members who receive the agenda."""
    calendar = _calendar(method="REQUEST")
    event = meeting_event(meeting, items)
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = meeting.body.name
    event.add("organizer", organizer)
    for name, email in attendees:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["cn"] = name
        attendee.params["role"] = "REQ-PARTICIPANT"
        attendee.params["partstat"] = "NEEDS-ACTION"
        attendee.params["rsvp"] = "TRUE"
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()


def _since() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=FEED_DAYS_BACK)


def _with_items(queryset):
    return queryset.select_related("body").prefetch_related(
        Prefetch("items", queryset=AgendaItem.objects.order_by("position", "pk"))
    )


def _published(meeting: Meeting) -> bool:
    return meeting.state in AGENDA_PUBLISHED


def body_feed(body) -> bytes:
    """Every meeting of the body from a year ago on (two queries)."""
    calendar = _calendar(name=f"Møder i {body.name}")
    meetings = _with_items(Meeting.objects.filter(body=body, date__gte=_since()))
    for meeting in meetings.order_by("date", "start"):
        calendar.add_component(meeting_event(meeting, _items(meeting), agenda=_published(meeting)))
    return calendar.to_ical()


def _member_on(periods: dict[int, list], body_id: int, date: datetime.date) -> bool:
    return any(
        start <= date and (end is None or end >= date) for start, end in periods.get(body_id, [])
    )


def person_feed(person) -> bytes:
    """The meetings of the person's bodies, and the slots of items they are a guest at."""
    from organisation.models import Membership

    calendar = _calendar(name=f"Møder for {person.name}")
    since = _since()
    periods: dict[int, list] = {}
    for body_id, start, end in Membership.objects.filter(person=person).values_list(
        "body_id", "start", "end"
    ):
        periods.setdefault(body_id, []).append((start, end))
    meetings = _with_items(Meeting.objects.filter(body_id__in=list(periods), date__gte=since))
    member_meetings = set()
    for meeting in meetings.order_by("date", "start"):
        if _member_on(periods, meeting.body_id, meeting.date):
            member_meetings.add(meeting.pk)
            calendar.add_component(
                meeting_event(meeting, _items(meeting), agenda=_published(meeting))
            )
    # Every item of the other meetings where the person is a guest at some item, marked
    # whether they are a guest at it: one query, however many there are (none included).
    guest_at = AgendaItem.guests.through.objects.filter(
        agendaitem_id=OuterRef("pk"), person_id=person.pk
    )
    items = (
        AgendaItem.objects.filter(
            meeting__in=Meeting.objects.filter(items__guests=person, date__gte=since).exclude(
                pk__in=member_meetings
            )
        )
        .select_related("meeting__body")
        .annotate(is_guest=Exists(guest_at))
        .order_by("meeting__date", "meeting_id", "position", "pk")
    )
    by_meeting: dict[int, list[AgendaItem]] = {}
    for item in items:
        by_meeting.setdefault(item.meeting_id, []).append(item)
    for meeting_items in by_meeting.values():
        meeting = meeting_items[0].meeting
        if not _published(meeting):
            continue
        for timed in services.timed_items(meeting, meeting_items):
            if timed.item.is_guest:
                calendar.add_component(_item_event(meeting, timed))
    return calendar.to_ical()
