"""The public pages: a municipality's publishing bodies, their meetings, agendas, minutes,
open attachments, a decision search, an RSS feed and a calendar per body, without a login.

A separate, read-only path: these views never call the logged-in views, read only through
`publication.published`, activate the scope of the municipality the address names
themselves, answer GET and HEAD only, in Danish, and may be cached by anyone for a few
minutes (`_public`: ETag, Last-Modified, Cache-Control: public).
"""

import datetime
import hashlib
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_scopes import scope
from icalendar import Calendar, Timezone

from meetings import ical
from meetings.models import ALLOWED_ATTACHMENT_EXTENSIONS
from publication import published

# How long a browser or a proxy may keep a public page without asking again (seconds).
MAX_AGE = 300
# Meetings per page on a body's page; decisions per page of the search.
MEETINGS_PER_PAGE = 40
DECISIONS_PER_PAGE = 20
# The search ranks its hits: at most this many pages of them (never an OFFSET far into them).
MAX_SEARCH_PAGES = 10
# The index: the next and the last meetings across the bodies.
INDEX_MEETINGS = 8


def public_view(view: Callable) -> Callable:
    """An anonymous, read-only public view of the municipality the address names: GET and
    HEAD only, Danish, in the municipality's scope, and cacheable (`_conditional`)."""

    @login_not_required
    @require_safe
    @wraps(view)
    def wrapped(request, slug, *args, **kwargs):
        with translation.override("da"):
            municipality = published.municipality(slug)
            with scope(municipality=municipality.pk):
                response = view(request, municipality, *args, **kwargs)
            return _conditional(request, response)

    return wrapped


def _conditional(request, response):
    """ETag (of the content) and Last-Modified (where the view knows it), Cache-Control:
    public with a short max-age; 304 when the client has it already."""
    if isinstance(response, FileResponse) or response.status_code != 200:
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    response["ETag"] = etag
    last_modified = getattr(response, "last_modified", None)
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response.setdefault("Content-Language", "da")
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return get_conditional_response(
        request,
        etag=etag,
        last_modified=int(last_modified.timestamp()) if last_modified else None,
        response=response,
    )


def _latest(*times) -> datetime.datetime | None:
    found = [t for t in times if t is not None]
    return max(found) if found else None


def _page(request, template: str, context: dict, last_modified=None) -> HttpResponse:
    response = render(request, f"publication/{template}", context)
    response.last_modified = last_modified
    return response


# --- Pages ---------------------------------------------------------------------------------------


@public_view
def index(request, municipality):
    """The municipality's publishing bodies and the next and last public meetings (4 queries)."""
    today = timezone.localdate()
    bodies = list(published.bodies())
    meetings = published.meetings().select_related(None).select_related("body")
    coming = list(meetings.filter(date__gte=today).order_by("date", "start", "pk")[:INDEX_MEETINGS])
    past = list(meetings.filter(date__lt=today)[:INDEX_MEETINGS])
    return _page(
        request,
        "index.html",
        {
            "municipality": municipality,
            "active_bodies": [b for b in bodies if not b.closed_on],
            "closed_bodies": [b for b in bodies if b.closed_on],
            "coming": coming,
            "past": past,
        },
    )


def _before(value: str | None) -> tuple[datetime.date, int] | None:
    """The cursor of a list of meetings: “2024-05-15.123”, the last meeting shown."""
    try:
        date, pk = (value or "").split(".", 1)
        return datetime.date.fromisoformat(date), int(pk)
    except ValueError:
        return None


@public_view
def body(request, municipality, pk):
    """A publishing body and its public meetings, newest first, paged by a cursor (4 queries)."""
    from django.db.models import Q

    found = published.body(pk)
    meetings = (
        published.meetings().filter(body=found).select_related(None).select_related("publication")
    )
    cursor = _before(request.GET.get("foer"))
    if cursor:
        date, last = cursor
        meetings = meetings.filter(Q(date__lt=date) | Q(date=date, pk__lt=last))
    rows = list(meetings.order_by("-date", "-pk")[: MEETINGS_PER_PAGE + 1])
    more = len(rows) > MEETINGS_PER_PAGE
    rows = rows[:MEETINGS_PER_PAGE]
    for meeting in rows:
        meeting.body = found
    today = timezone.localdate()
    return _page(
        request,
        "body.html",
        {
            "municipality": municipality,
            "body": found,
            "coming": [m for m in rows if m.date >= today][::-1],
            "past": [m for m in rows if m.date < today],
            "paged": cursor is not None,
            "next_cursor": f"{rows[-1].date.isoformat()}.{rows[-1].pk}" if more else "",
            "minutes": {m.pk for m in rows if published.minutes_public(m)},
        },
        last_modified=_latest(*(published.last_modified(m) for m in rows)),
    )


@public_view
def meeting(request, municipality, pk):
    """A public meeting's agenda, with its minutes once approved (4 queries)."""
    found = published.meeting(pk)
    agenda = published.public_items(found)
    return _page(
        request,
        "meeting.html",
        {
            "municipality": municipality,
            "meeting": found,
            "body": found.body,
            "items": agenda,
            "minutes": published.minutes_public(found),
            "start": agenda[0].start if agenda else found.start,
            "end": agenda[-1].end if agenda else None,
        },
        last_modified=published.last_modified(found),
    )


@public_view
def attachment(request, municipality, pk):
    """An open attachment's file; 404 for a closed one, one of a closed item or of an
    unpublished meeting, the same as for an unknown id."""
    found = published.attachment(pk)
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    filename = found.file.name.rsplit("/", 1)[-1]
    content_type = (
        found.content_type
        or ALLOWED_ATTACHMENT_EXTENSIONS.get(filename.rsplit(".", 1)[-1].lower())
        or "application/octet-stream"
    )
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@public_view
def decisions(request, municipality):
    """The decisions of the public minutes, newest first and paged by a cursor; with `q`, the
    best matches, in at most MAX_SEARCH_PAGES small pages (3 queries)."""
    from django.db.models import Q

    q = (request.GET.get("q") or "").strip()
    rows = published.decisions(q or None)
    page, cursor, next_cursor = 1, None, ""
    if q:
        try:
            page = min(max(int(request.GET.get("side", 1)), 1), MAX_SEARCH_PAGES)
        except ValueError:
            page = 1
        start = (page - 1) * DECISIONS_PER_PAGE
        hits = list(rows[start : start + DECISIONS_PER_PAGE + 1])
    else:
        cursor = _before(request.GET.get("foer"))
        if cursor:
            date, last = cursor
            rows = rows.filter(Q(meeting__date__lt=date) | Q(meeting__date=date, pk__lt=last))
        hits = list(rows[: DECISIONS_PER_PAGE + 1])
    more = len(hits) > DECISIONS_PER_PAGE
    hits = hits[:DECISIONS_PER_PAGE]
    if more and not q:
        next_cursor = f"{hits[-1].meeting.date.isoformat()}.{hits[-1].pk}"
    found = [(item.meeting, published.public_item(item)) for item in hits]
    return _page(
        request,
        "decisions.html",
        {
            "municipality": municipality,
            "q": q,
            "found": found,
            "page": page,
            "next_page": page + 1 if q and more and page < MAX_SEARCH_PAGES else None,
            "previous_page": page - 1 if q and page > 1 else None,
            "paged": cursor is not None,
            "next_cursor": next_cursor,
        },
    )


# --- Feeds ---------------------------------------------------------------------------------------

FEED_MEETINGS = 30


class BodyFeed(Feed):
    """A body's public meetings as RSS 2.0: a new entry when an agenda is published, and the
    entry says so when the minutes are approved."""

    feed_type = Rss201rev2Feed
    language = "da"

    def get_object(self, request, municipality, pk):
        self.municipality = municipality
        return published.body(pk)

    def title(self, obj):
        return _("Meetings of %(body)s") % {"body": obj.name}

    def link(self, obj):
        return reverse("publication:body", args=[self.municipality.slug, obj.pk])

    def description(self, obj):
        return _("The published agendas and minutes of %(body)s, %(municipality)s.") % {
            "body": obj.name,
            "municipality": self.municipality.name,
        }

    def items(self, obj):
        rows = list(published.meetings().filter(body=obj)[:FEED_MEETINGS])
        for row in rows:
            row.body = obj
        return rows

    def item_title(self, item):
        if published.minutes_public(item):
            return _("Minutes: %(meeting)s") % {"meeting": item.heading}
        return _("Agenda: %(meeting)s") % {"meeting": item.heading}

    def item_description(self, item):
        when = item.date.strftime("%d-%m-%Y")
        text = _("Meeting on %(date)s at %(start)s.") % {
            "date": when,
            "start": item.start.strftime("%H.%M"),
        }
        if item.place:
            text += " " + _("Place: %(place)s.") % {"place": item.place}
        return text

    def item_link(self, item):
        return reverse("publication:meeting", args=[self.municipality.slug, item.pk])

    def item_guid(self, item):
        return f"{item.uid}-{'referat' if published.minutes_public(item) else 'dagsorden'}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return published.last_modified(item) or timezone.make_aware(
            datetime.datetime.combine(item.date, item.start)
        )


_body_feed = BodyFeed()


@public_view
def body_feed(request, municipality, pk):
    """The body's RSS feed (3 queries)."""
    return _body_feed(request, municipality=municipality, pk=pk)


@public_view
def body_ical(request, municipality, pk):
    """The body's public meetings as a calendar to subscribe to (4 queries): the agenda's
    item titles, a closed item as "Lukket punkt" (meetings.ical)."""
    from django.db.models import Prefetch

    from meetings.models import AgendaItem

    found = published.body(pk)
    since = timezone.localdate() - datetime.timedelta(days=ical.FEED_DAYS_BACK)
    meetings = (
        published.meetings()
        .filter(body=found, date__gte=since)
        .prefetch_related(Prefetch("items", queryset=AgendaItem.objects.order_by("position", "pk")))
        .order_by("date", "start")
    )
    calendar = Calendar()
    calendar.add("prodid", ical.PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Meetings of %(body)s") % {"body": found.name})
    calendar.add("x-wr-timezone", ical.TZID)
    calendar.add_component(Timezone.from_tzid(ical.TZID))
    for row in meetings:
        row.body = found
        event = ical.meeting_event(row, list(row.items.all()))
        # The time stamp of what the public saw change, not of the request: the same
        # calendar gives the same ETag, so a subscribed calendar program gets a 304.
        stamp = published.last_modified(row)
        if stamp is not None:
            del event["DTSTAMP"]
            event.add("dtstamp", stamp)
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="moeder-{found.pk}.ics"'
    return response
