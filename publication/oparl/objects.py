"""The OParl 1.1 objects, as dictionaries, from the published rows (`queries`).

What a closed item, an attachment or a case says is read through `publication.published`
(`public_item`): a closed item is its title, `public: false` and the keyword "Lukket punkt";
only open attachments with a file become `File` objects; a person is a name and memberships.
"""

import datetime
import functools
import os
from collections import defaultdict
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import services
from meetings.models import ALLOWED_ATTACHMENT_EXTENSIONS, ItemKind, MeetingState
from meetings.uploads import extension
from organisation.models import MembershipRole
from publication import published

SCHEMA = "https://schema.oparl.org/1.1/"
# The recommended values of `meetingState`.
SCHEDULED, INVITED, HELD = "terminiert", "eingeladen", "durchgeführt"
# The first Danish municipal electoral term OParl lists, and the length of every term.
FIRST_TERM, TERM_YEARS = 2010, 4


def iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def clean(data: dict) -> dict:
    """Without the properties that have no value (OParl leaves them out)."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


# A primary key no row has, reversed once per URL name and replaced by the row's.
_PK = 987654321


class Urls:
    """The absolute URLs of one municipality's objects. Each name is reversed once per
    request (a list of 100 meetings names thousands of URLs)."""

    def __init__(self, request, slug: str | None = None):
        self.request, self.slug = request, slug
        self.root = request.build_absolute_uri("/")[:-1]
        self._templates: dict[tuple[str, bool], str] = {}

    def absolute(self, name: str, **kwargs) -> str:
        return self.root + reverse(name if ":" in name else f"oparl:{name}", kwargs=kwargs)

    def _template(self, name: str, with_pk: bool) -> str:
        key = (name, with_pk)
        if key not in self._templates:
            kwargs = {"slug": self.slug, **({"pk": _PK} if with_pk else {})}
            self._templates[key] = self.absolute(name, **kwargs)
        return self._templates[key]

    def of(self, name: str, pk=None) -> str:
        if pk is None:
            return self._template(name, False)
        return self._template(name, True).replace(str(_PK), str(int(pk)))

    def system(self) -> str:
        return self.absolute("system")

    def web(self, name: str, pk=None) -> str:
        """The public page (publication) of the same thing, for OParl's `web`."""
        return self.of(f"publication:{name}", pk)


def _stamps(row) -> dict:
    return {"created": iso(row.created), "modified": iso(row.modified)}


# --- System, Body, LegislativeTerm -----------------------------------------------------------


def system(urls: Urls, created, modified) -> dict:
    return clean(
        {
            "id": urls.system(),
            "type": SCHEMA + "System",
            "oparlVersion": SCHEMA,
            "name": "digistyr",
            "body": urls.absolute("body_list"),
            "website": urls.request.build_absolute_uri("/"),
            "created": iso(created),
            "modified": iso(modified),
        }
    )


def terms(today: datetime.date) -> list[tuple[int, datetime.date, datetime.date]]:
    """The Danish municipal electoral terms (four years from 1 January after the election)
    from 2010 to the one running `today`."""
    result, start = [], FIRST_TERM
    while start <= today.year:
        end = start + TERM_YEARS - 1
        result.append((start, datetime.date(start, 1, 1), datetime.date(end, 12, 31)))
        start += TERM_YEARS
    return result


def legislative_term(urls: Urls, term) -> dict:
    year, start, end = term
    stamp = iso(timezone.make_aware(datetime.datetime.combine(start, datetime.time())))
    return {
        "id": urls.of("legislativeterm", year),
        "type": SCHEMA + "LegislativeTerm",
        "body": urls.of("body"),
        "name": _("Electoral term %(start)s–%(end)s") % {"start": start.year, "end": end.year},
        "startDate": iso(start),
        "endDate": iso(end),
        # Fixed by law, never changed: created and modified when it begins.
        "created": stamp,
        "modified": stamp,
    }


def body(urls: Urls, municipality: Any, today: datetime.date) -> dict:
    """`municipality`: a row of `queries.municipalities` (with `created` and `modified`)."""
    return clean(
        {
            "id": urls.of("body"),
            "type": SCHEMA + "Body",
            "system": urls.system(),
            "name": municipality.name,
            "classification": _("Municipality"),
            "organization": urls.of("organization_list"),
            "person": urls.of("person_list"),
            "meeting": urls.of("meeting_list"),
            "paper": urls.of("paper_list"),
            "agendaItem": urls.of("agendaitem_list"),
            "consultation": urls.of("consultation_list"),
            "file": urls.of("file_list"),
            "membership": urls.of("membership_list"),
            "legislativeTermList": urls.of("legislativeterm_list"),
            "legislativeTerm": [legislative_term(urls, term) for term in terms(today)],
            "web": urls.web("index"),
            "created": iso(municipality.created),
            "modified": iso(municipality.modified),
        }
    )


# --- Organization, Person, Membership ---------------------------------------------------------


def organization(urls: Urls, row) -> dict:
    parent = row.parent if row.parent_id else None
    parent_publishes = parent is not None and getattr(
        published.publication_of(parent), "publishes", False
    )
    return clean(
        {
            "id": urls.of("organization", row.pk),
            "type": SCHEMA + "Organization",
            "body": urls.of("body"),
            "name": row.name,
            "shortName": row.short_name,
            "organizationType": "Gremium",
            "classification": str(row.get_kind_display()),
            "membership": [urls.of("membership", m.pk) for m in row.memberships.all()],
            "meeting": urls.of("organization_meetings", row.pk),
            "subOrganizationOf": (
                urls.of("organization", parent.pk)
                if parent is not None and parent_publishes
                else None
            ),
            "startDate": iso(row.established_on),
            "endDate": iso(row.closed_on),
            "web": urls.web("body", row.pk),
            **_stamps(row),
        }
    )


VOTING = {MembershipRole.CHAIR, MembershipRole.MEMBER}


def membership(urls: Urls, row, embedded: bool = False) -> dict:
    return clean(
        {
            "id": urls.of("membership", row.pk),
            "type": SCHEMA + "Membership",
            "person": None if embedded else urls.of("person", row.person_id),
            "organization": urls.of("organization", row.body_id),
            "role": str(row.get_role_display()),
            "votingRight": row.role in VOTING,
            "startDate": iso(row.start),
            "endDate": iso(row.end),
            **_stamps(row),
        }
    )


def person(urls: Urls, row) -> dict:
    """A person by name and memberships only: no e-mail, title or unit."""
    return clean(
        {
            "id": urls.of("person", row.pk),
            "type": SCHEMA + "Person",
            "body": urls.of("body"),
            "name": row.name,
            "membership": [membership(urls, m, embedded=True) for m in row.public_memberships],
            **_stamps(row),
        }
    )


# --- Meeting, AgendaItem, File, Paper, Consultation -----------------------------------------


def meeting_state(row) -> str:
    if row.state == MeetingState.MINUTES_APPROVED:
        return HELD
    if row.state == MeetingState.AGENDA_APPROVED:
        return SCHEDULED
    return INVITED


@functools.lru_cache(maxsize=1024)
def _offset(day: datetime.date) -> datetime.timezone:
    """The local UTC offset of a day's working hours (summer time changes at night)."""
    noon = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    return datetime.timezone(noon.utcoffset() or datetime.timedelta())


def _at(day: datetime.date, time: datetime.time) -> str:
    """A meeting's or an item's clock time on its day, in local time with its offset (a list
    of meetings names thousands of them: the offset is found once per day)."""
    return datetime.datetime.combine(day, time, tzinfo=_offset(day)).isoformat()


def file(urls: Urls, row, item_pk: int, meeting_pk: int, modified=None) -> dict:
    """An open attachment with a file; `modified`: its meeting's (`queries.modified_of`)."""
    name = os.path.basename(row.file.name)
    mime = (
        row.content_type
        or ALLOWED_ATTACHMENT_EXTENSIONS.get(extension(name))
        or "application/octet-stream"
    )
    content = urls.of("file_content", row.pk)
    return clean(
        {
            "id": urls.of("file", row.pk),
            "type": SCHEMA + "File",
            "name": row.title,
            "fileName": name,
            "mimeType": mime,
            "size": row.size,
            "accessUrl": content,
            "downloadUrl": content,
            "meeting": [urls.of("meeting", meeting_pk)],
            "agendaItem": [urls.of("agendaitem", item_pk)],
            "created": iso(row.created),
            "modified": iso(modified or row.modified),
        }
    )


def timed_meeting(meeting, rows) -> dict[int, tuple[int, services.TimedItem]]:
    """{item id: (order, timed item)} of a meeting's items (all of them, in agenda order)."""
    rows = sorted(rows, key=lambda r: (r.position, r.pk))
    return {t.item.pk: (order, t) for order, t in enumerate(services.timed_items(meeting, rows))}


def agenda_item(urls: Urls, row, order: int, timed, minutes: bool, modified=None) -> dict:
    """An item as the public sees it (`published.public_item`)."""
    meeting = row.meeting
    shown = published.public_item(row, minutes=minutes, number=timed.number or 0, timed=timed)
    data: dict[str, Any] = {
        "id": urls.of("agendaitem", row.pk),
        "type": SCHEMA + "AgendaItem",
        "meeting": urls.of("meeting", meeting.pk),
        "number": str(timed.number) if timed.number else None,
        "order": order,
        "name": shown.title,
        "public": not shown.closed,
        "start": _at(meeting.date, timed.start),
        "end": _at(meeting.date, timed.end),
        "created": iso(row.created),
        "modified": iso(modified or row.modified),
    }
    if shown.closed:
        data["keyword"] = [published.CLOSED_ITEM, *([shown.reason] if shown.reason else [])]
        return clean(data)
    if row.kind == ItemKind.BREAK:
        data["keyword"] = [str(row.get_kind_display())]
    if shown.case_number:
        data["consultation"] = urls.of("consultation", row.pk)
    if minutes and row.outcome:
        data["result"] = str(row.get_outcome_display())
    data["resolutionText"] = shown.decision
    files = {a.pk: a for a in row.attachments.all()}
    data["auxiliaryFile"] = [
        file(urls, files[a.pk], row.pk, meeting.pk, modified)
        for a in shown.attachments
        if a.downloadable and a.pk in files
    ]
    return clean(data)


def meeting(urls: Urls, row, items, modified) -> dict:
    """A meeting with its items embedded (`items`: all of its items)."""
    timed = timed_meeting(row, items)
    minutes = published.minutes_public(row)
    for item in items:
        item.meeting = row
    embedded = [
        agenda_item(urls, item, *timed[item.pk], minutes=minutes, modified=modified)
        for item in sorted(items, key=lambda r: (r.position, r.pk))
    ]
    return clean(
        {
            "id": urls.of("meeting", row.pk),
            "type": SCHEMA + "Meeting",
            "name": row.heading,
            "meetingState": meeting_state(row),
            "start": _at(row.date, row.start),
            "end": _at(row.date, services.meeting_end(row, items)),
            "organization": [urls.of("organization", row.body_id)],
            "agendaItem": embedded,
            "web": urls.web("meeting", row.pk),
            "created": iso(row.created),
            "modified": iso(modified),
        }
    )


def consultation(urls: Urls, row, modified=None) -> dict:
    """The treatment of a case by an open item (named by the item's id)."""
    return clean(
        {
            "id": urls.of("consultation", row.pk),
            "type": SCHEMA + "Consultation",
            "paper": urls.of("paper", row.case_id),
            "agendaItem": urls.of("agendaitem", row.pk),
            "meeting": urls.of("meeting", row.meeting_id),
            "organization": [urls.of("organization", row.meeting.body_id)],
            "authoritative": row.kind == ItemKind.DECISION,
            "role": str(row.get_kind_display()),
            "created": iso(row.created),
            "modified": iso(modified or row.modified),
        }
    )


def paper(urls: Urls, row, modified_of) -> dict:
    return clean(
        {
            "id": urls.of("paper", row.pk),
            "type": SCHEMA + "Paper",
            "body": urls.of("body"),
            "name": row.title,
            "reference": row.number,
            "date": iso(row.created_on),
            "consultation": [
                consultation(urls, item, modified_of(item)) for item in row.public_items
            ],
            **_stamps(row),
        }
    )


def by_meeting(rows) -> dict[int, list]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.meeting_id].append(row)
    return grouped
