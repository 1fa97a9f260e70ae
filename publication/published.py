"""What is public: the one place that decides what citizens see without a login.

The public pages (`publication.views`) and OParl (`publication.oparl`) read only through
these functions. Every queryset is inside the municipality's scope: the caller activates
`django_scopes.scope(municipality=…)` for the municipality the address names (`municipality`),
and the querysets name nothing outside it.

- A body is public when its `BodyPublication.publishes` is set (active and closed bodies).
- A meeting of such a body is public once its agenda is approved by the chair (any state
  from "agenda approved" on) and either the secretary published it by hand
  (`MeetingPublication`) or it is at most the body's `days_before` days away.
- Its minutes (the decisions) are public once they are approved.
- A closed item is shown by its title and "Lukket punkt" only (with its reason when the body
  chooses); its case text, recommendation, decision and attachments never. A closed
  attachment is shown by its title only, marked closed, without its file.

Nothing here shows drafts, unpublished meetings, closed content or another municipality's
rows; the canary tests in `publication/tests` prove it for every public page and feed.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import DateField, F, Func, Prefetch, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from core.models import Municipality
from meetings import search, services
from meetings.models import (
    AGENDA_PUBLISHED,
    AgendaItem,
    Attachment,
    ItemKind,
    Meeting,
    MeetingState,
)
from organisation.models import Body
from publication.models import MAX_DAYS_BEFORE, BodyPublication

CLOSED_ITEM = "Lukket punkt"
CLOSED_ATTACHMENT = "Lukket"

# The states in which the chair has approved the agenda: it may be published.
AGENDA_APPROVED_STATES = frozenset({MeetingState.AGENDA_APPROVED, *AGENDA_PUBLISHED})


def _today(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(now) if now is not None else timezone.localdate()


# --- The municipality and its bodies ---------------------------------------------------------


def municipality(slug: str) -> Municipality:
    """The municipality of the address (`/offentlig/<slug>/`), or 404."""
    try:
        return Municipality.objects.get(slug=slug)
    except Municipality.DoesNotExist:
        raise Http404 from None


def bodies() -> QuerySet[Body]:
    """The bodies that publish (active and closed), with their `publication`."""
    return (
        Body.objects.filter(publication__publishes=True)
        .select_related("publication")
        .order_by("closed_on", "name", "pk")
    )


def body(pk) -> Body:
    """A body that publishes, or 404 (the same as an unknown id)."""
    try:
        return bodies().get(pk=int(pk))
    except (Body.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def publication_of(body: Body) -> BodyPublication | None:
    """The body's publication settings, or None."""
    try:
        return body.publication
    except BodyPublication.DoesNotExist:
        return None


# --- Meetings ---------------------------------------------------------------------------------


class _PlusDays(Func):
    """`date + days` as a date, in SQL: PostgreSQL adds an integer to a date; SQLite's date()
    takes a modifier. (The two databases digistyr runs on.)"""

    arity = 2
    output_field = DateField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" + ", **extra
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '+' || ",
            **extra,
        )


def _due(today: datetime.date, prefix: str = "") -> Q:
    """Meetings (via `prefix`) at most their body's `days_before` days away, or past:
    `date <= today + days_before` (and, for the index on the date, never further away than
    the most days a body may choose)."""
    days = F(f"{prefix}body__publication__days_before")
    return Q(**{f"{prefix}date__lte": today + datetime.timedelta(days=MAX_DAYS_BEFORE)}) & Q(
        **{f"{prefix}date__lte": _PlusDays(Value(today, output_field=DateField()), days)}
    )


def _public(today: datetime.date, prefix: str = "") -> Q:
    return (
        Q(**{f"{prefix}body__publication__publishes": True})
        & Q(**{f"{prefix}state__in": list(AGENDA_APPROVED_STATES)})
        & (Q(**{f"{prefix}publication__isnull": False}) | _due(today, prefix))
    )


def meetings(now: datetime.datetime | None = None) -> QuerySet[Meeting]:
    """The meetings whose agenda is public now, with their body and its publication."""
    return (
        Meeting.objects.filter(_public(_today(now)))
        .select_related("body__publication", "publication")
        .order_by("-date", "-start", "-pk")
    )


def meeting(pk, now: datetime.datetime | None = None) -> Meeting:
    """A meeting whose agenda is public, or 404 (the same as an unknown id)."""
    try:
        return meetings(now).get(pk=int(pk))
    except (Meeting.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def _published_by_hand(meeting: Meeting) -> bool:
    try:
        return meeting.publication is not None
    except Meeting.publication.RelatedObjectDoesNotExist:
        return False


def agenda_public(meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    """Is the meeting's agenda public now? (The same rule as `meetings()`, in Python.)"""
    settings = publication_of(meeting.body)
    if settings is None or not settings.publishes:
        return False
    if meeting.state not in AGENDA_APPROVED_STATES:
        return False
    if _published_by_hand(meeting):
        return True
    return meeting.date - datetime.timedelta(days=settings.days_before) <= _today(now)


def minutes_public(meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    """Are the meeting's minutes (its decisions) public: the agenda is, and they are approved."""
    return meeting.state == MeetingState.MINUTES_APPROVED and agenda_public(meeting, now)


def last_modified(meeting: Meeting) -> datetime.datetime | None:
    """When what the public sees of the meeting last changed, as far as the meeting knows
    (its approvals and publication); a page adds its own rows' times."""
    times = [meeting.agenda_approved_at, meeting.agenda_sent_at, meeting.minutes_approved_at]
    if _published_by_hand(meeting):
        times.append(meeting.publication.published_at)
    times = [t for t in times if t is not None]
    return max(times) if times else None


# --- Items and attachments ----------------------------------------------------------------------


@dataclass(frozen=True)
class PublicAttachment:
    """An attachment as the public sees it: an open one with its file, a closed one (or one of
    a closed item) by its title only."""

    pk: int
    number: int
    title: str
    closed: bool
    has_file: bool
    document_number: str = ""
    content_type: str = ""
    size: int = 0

    @property
    def downloadable(self) -> bool:
        return self.has_file and not self.closed


@dataclass(frozen=True)
class PublicItem:
    """An agenda item as the public sees it. A closed item has its title, `closed` and, when
    the body shows it, its `reason`; every other text is empty."""

    pk: int
    number: int
    position: int
    title: str
    kind: str
    kind_label: str
    closed: bool
    start: datetime.time | None = None
    end: datetime.time | None = None
    reason: str = ""
    case_number: str = ""
    case_text: str = ""
    recommendation: str = ""
    decision: str = ""
    not_treated: bool = False
    attachments: list[PublicAttachment] = field(default_factory=list)
    # The number the agenda prints ("3."): None for a break and for an item whose title
    # carries its own ("Punkt 1 – …"), as the logged-in agenda does.
    shown_number: int | None = None

    @property
    def closed_label(self) -> str:
        return CLOSED_ITEM

    @property
    def is_break(self) -> bool:
        return self.kind == ItemKind.BREAK


def items(meeting: Meeting) -> QuerySet[AgendaItem]:
    """Every item of the meeting in agenda order, with its case and attachments (3 queries).
    Read them through `public_item`, never directly: they hold closed text."""
    return (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("case")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("position", "pk"))
        )
        .order_by("position", "pk")
    )


def _public_attachment(number: int, attachment: Attachment, item_closed: bool) -> PublicAttachment:
    closed = item_closed or attachment.closed
    if closed:
        return PublicAttachment(
            attachment.pk, number, attachment.title, True, has_file=bool(attachment.file)
        )
    return PublicAttachment(
        attachment.pk,
        number,
        attachment.title,
        False,
        has_file=bool(attachment.file),
        document_number=attachment.document_number,
        content_type=attachment.content_type,
        size=attachment.size,
    )


def attachments(item: AgendaItem, numbers: dict[int, int] | None = None) -> list[PublicAttachment]:
    """The item's attachments: open ones with their file, closed ones (and every attachment of
    a closed item) by title only, marked closed. `numbers` are the meeting's attachment
    numbers ({attachment id: number}, from `public_items`); without them, 1, 2, 3 …"""
    result = []
    for index, attachment in enumerate(item.attachments.all(), start=1):
        number = (numbers or {}).get(attachment.pk, index)
        result.append(_public_attachment(number, attachment, item.closed))
    return result


_OWN_NUMBER = re.compile(r"^\s*(punkt|item)\s+\d+\b", re.IGNORECASE)


def _shown_number(item: AgendaItem, timed: services.TimedItem | None) -> int | None:
    if timed is None or timed.number is None or _OWN_NUMBER.match(item.title):
        return None
    return timed.number


def public_item(
    item: AgendaItem,
    *,
    minutes: bool | None = None,
    number: int = 0,
    timed: services.TimedItem | None = None,
    numbers: dict[int, int] | None = None,
) -> PublicItem:
    """The item as the public sees it. `minutes`: whether the meeting's minutes are public
    (asked of the meeting when not given)."""
    meeting = item.meeting
    if minutes is None:
        minutes = minutes_public(meeting)
    settings = publication_of(meeting.body)
    common = {
        "pk": item.pk,
        "number": number or item.position,
        "position": item.position,
        "title": item.title,
        "kind": item.kind,
        "kind_label": str(item.get_kind_display()),
        "closed": item.closed,
        "start": timed.start if timed else None,
        "end": timed.end if timed else None,
        "attachments": attachments(item, numbers),
        "shown_number": _shown_number(item, timed),
    }
    if item.closed:
        reason = item.closed_reason if settings and settings.show_closed_reason else ""
        return PublicItem(**common, reason=reason)
    case = item.case if item.case_id and not item.case.closed else None
    return PublicItem(
        **common,
        case_number=case.number if case else "",
        case_text=item.case_text,
        recommendation=item.recommendation,
        decision=item.decision if minutes else "",
        not_treated=minutes and item.not_treated,
    )


def public_items(meeting: Meeting, now: datetime.datetime | None = None) -> list[PublicItem]:
    """The meeting's agenda as the public sees it, with clock times and attachment numbers
    (3 queries). Empty when the agenda is not public."""
    if not agenda_public(meeting, now):
        return []
    rows = list(items(meeting))
    for row in rows:
        row.meeting = meeting  # the meeting read already, with its body and publication
    minutes = minutes_public(meeting, now)
    numbers = {a.pk: n for n, a in services.numbered_attachments(rows)}
    return [
        public_item(timed.item, minutes=minutes, number=index, timed=timed, numbers=numbers)
        for index, timed in enumerate(services.timed_items(meeting, rows), start=1)
    ]


def attachment(pk, now: datetime.datetime | None = None) -> Attachment:
    """An open attachment with a file, of an open item of a public meeting, or 404 (the same
    for closed, unpublished and unknown)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    found = (
        Attachment.objects.filter(
            _public(_today(now), prefix="item__meeting__"),
            pk=pk,
            closed=False,
            item__closed=False,
        )
        .exclude(file="")
        .select_related("item__meeting")
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- Decisions ----------------------------------------------------------------------------------


def decisions(q: str | None = None, now: datetime.datetime | None = None) -> QuerySet[AgendaItem]:
    """The decided open items of public meetings whose minutes are approved, newest meeting
    first; with `q`, those matching every word (the meetings' full-text search), best first.
    Read them through `public_item`: only open items are here, but keep to one path."""
    today = _today(now)
    rows = (
        AgendaItem.objects.filter(
            _public(today, prefix="meeting__"),
            meeting__state=MeetingState.MINUTES_APPROVED,
            closed=False,
        )
        .exclude(decision="")
        .select_related("meeting__body__publication", "meeting__publication", "case")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("position", "pk"))
        )
        .order_by("-meeting__date", "-pk")
    )
    if q is not None and search.clean_query(q):
        rows = search.matching_items(rows, q)
    return rows
