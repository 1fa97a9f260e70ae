"""The published rows OParl lists, with their `created` and `modified`, filtered and paged.

Everything here starts from `publication.published` (what the public may see) and runs inside
the municipality's scope that the view activates.

`created` and `modified`: no model of digistyr keeps a creation or modification time, but every
governed row keeps its history (django-simple-history, one row per save). `created` is a row's
first history entry and `modified` its newest; a meeting's `modified` is also moved by its items'
history, by its minutes' approval, by the secretary publishing it by hand and by the day its
agenda became public by its body's "days before" (a meeting becomes visible without any row
changing, and a syncing client must not miss it). Everything below a meeting (agenda items,
consultations, files) is as modified as its meeting. A person is modified by its memberships
of publishing bodies, a case (Paper) by its open items of public meetings: a change elsewhere
is not public and does not show. A row without history (written outside
the ORM, e.g. a bulk import) is reported as created and modified now, so that a client
synchronising with `modified_since` never misses it.

Lists are paged by primary key (`page_after`), never by OFFSET.
"""

import datetime

from django.db.models import (
    DateField,
    DateTimeField,
    Exists,
    F,
    Func,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from core.models import Municipality
from meetings.models import AgendaItem, Attachment, Case, Meeting
from organisation.models import Body, Membership, Person
from publication import published
from publication.models import BodyPublication

PAGE_SIZE = 100
# A meeting embeds its agenda items (often 10–30): fewer a page.
MEETING_PAGE_SIZE = 20
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _newest(model, key: str = "id", ref: str = "pk", **only):
    """The newest history entry's time of the rows of `model` whose `key` is the outer `ref`
    (and that match `only`)."""
    history = model.history.model
    return Subquery(
        history.objects.filter(**{key: OuterRef(ref)}, **only)
        .order_by()
        .values(key)
        .annotate(at=Max("history_date"))
        .values("at")[:1],
        output_field=DateTimeField(),
    )


def _oldest(model, ref: str = "pk"):
    history = model.history.model
    return Subquery(
        history.objects.filter(id=OuterRef(ref))
        .order_by()
        .values("id")
        .annotate(at=Min("history_date"))
        .values("at")[:1],
        output_field=DateTimeField(),
    )


def _at(value: datetime.datetime):
    return Value(value, output_field=DateTimeField())


def _latest(now: datetime.datetime, own, *others):
    """The latest of the row's own history (now when it has none) and `others` (ignored when
    empty): `Greatest` is NULL on SQLite when any part is."""
    parts = [Coalesce(own, _at(now))]
    parts += [Coalesce(other, _at(EPOCH)) for other in others]
    return Greatest(*parts) if len(parts) > 1 else parts[0]


def municipalities(now: datetime.datetime) -> QuerySet[Municipality]:
    """The municipalities with a body that publishes: one OParl Body each (no scope needed).
    `modified`: their own history and their bodies' publication settings' (a body starting
    to publish changes the Body)."""
    publishing = BodyPublication.within(OuterRef("pk")).filter(publishes=True)
    return (
        Municipality.objects.filter(Exists(publishing))
        .annotate(
            created=Coalesce(_oldest(Municipality), _at(now)),
            modified=_latest(
                now, _newest(Municipality), _newest(BodyPublication, key="municipality_id")
            ),
        )
        .order_by("pk")
    )


def publishes_anything() -> bool:
    return published.bodies().exists()


# --- Organizations, persons, memberships ------------------------------------------------------


def organizations(now: datetime.datetime) -> QuerySet[Body]:
    """The bodies that publish, with their parent's publication and their memberships' ids."""
    return (
        published.bodies()
        .select_related("parent__publication")
        .annotate(
            created=Coalesce(_oldest(Body), _at(now)),
            modified=_latest(now, _newest(Body), _newest(BodyPublication, key="body_id", ref="pk")),
        )
        .order_by("pk")
    )


def memberships(now: datetime.datetime) -> QuerySet[Membership]:
    """The memberships (current and past) of the bodies that publish."""
    return (
        Membership.objects.filter(body__in=published.bodies().values("pk"))
        .annotate(
            created=Coalesce(_oldest(Membership), _at(now)),
            modified=_latest(now, _newest(Membership)),
        )
        .order_by("pk")
    )


def persons(now: datetime.datetime) -> QuerySet[Person]:
    """The persons with a membership of a body that publishes; by name only."""
    return (
        Person.objects.filter(
            Exists(
                Membership.objects.filter(
                    person=OuterRef("pk"), body__in=published.bodies().values("pk")
                )
            )
        )
        .annotate(
            created=Coalesce(_oldest(Person), _at(now)),
            # Only the memberships of publishing bodies move it: a change elsewhere is not public.
            modified=_latest(
                now,
                _newest(Person),
                _newest(Membership, key="person_id", body_id__in=published.bodies().values("pk")),
            ),
        )
        .order_by("pk")
    )


# --- Meetings and what is below them ----------------------------------------------------------


def _meeting_modified(now: datetime.datetime, prefix: str = ""):
    """The SQL part of a meeting's `modified` (through `prefix`); `published_on` adds the day
    its agenda became public by the body's days before."""
    ref = f"{prefix}pk" if prefix else "pk"
    return _latest(
        now,
        _newest(Meeting, ref=ref),
        _newest(AgendaItem, key="meeting_id", ref=ref),
        F(f"{prefix}minutes_approved_at"),
        F(f"{prefix}publication__published_at"),
    )


def meetings(now: datetime.datetime) -> QuerySet[Meeting]:
    return (
        published.meetings(now)
        .annotate(created=Coalesce(_oldest(Meeting), _at(now)), modified=_meeting_modified(now))
        .order_by("pk")
    )


def published_on(meeting: Meeting) -> datetime.datetime | None:
    """The start of the day the meeting's agenda became public by its body's days before
    (None when the secretary published it by hand: that time is in the SQL part)."""
    try:
        if meeting.publication is not None:
            return None
    except Meeting.publication.RelatedObjectDoesNotExist:
        pass
    settings = published.publication_of(meeting.body)
    days = settings.days_before if settings else 0
    day = meeting.date - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def modified_of(meeting: Meeting, sql_modified: datetime.datetime) -> datetime.datetime:
    """A meeting's `modified`: the SQL part and the day its agenda became public."""
    day = published_on(meeting)
    return max(sql_modified, day) if day else sql_modified


class PlusDays(Func):
    """`date + days` as a date in SQL, on the two databases digistyr runs on: PostgreSQL adds
    an integer to a date, SQLite's date() takes a modifier."""

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


def _due_on_or_after(prefix: str, day: datetime.date) -> Q:
    """Meetings (through `prefix`) not published by hand whose agenda became public by the days
    before on `day` or later: `date - days_before >= day`, i.e. `date >= day + days_before`."""
    days = F(f"{prefix}body__publication__days_before")
    return Q(**{f"{prefix}publication__isnull": True}) & Q(
        **{f"{prefix}date__gte": PlusDays(Value(day, output_field=DateField()), days)}
    )


def meeting_modified_q(
    prefix: str,
    since: datetime.datetime | None,
    until: datetime.datetime | None,
) -> Q:
    """`modified_since`/`modified_until` on everything as modified as its meeting, including
    the day its agenda became public (`published_on`)."""
    q = Q()
    if since is not None:
        local = timezone.localtime(since)
        first = (
            local.date()
            if local.time() == datetime.time()
            else local.date() + datetime.timedelta(days=1)
        )
        q &= Q(modified__gte=since) | _due_on_or_after(prefix, first)
    if until is not None:
        after = timezone.localtime(until).date() + datetime.timedelta(days=1)
        q &= Q(modified__lte=until) & ~_due_on_or_after(prefix, after)
    return q


def _public_meetings(now: datetime.datetime):
    """The ids of the public meetings, as a subquery."""
    return published.meetings(now).order_by().values("pk")


def _items(now: datetime.datetime, own: bool = False) -> QuerySet[AgendaItem]:
    """Items with `created` and `modified`; `own`: `modified` by the item's own history only
    (the caller knows its meeting's, which it is as modified as)."""
    newest = _newest(AgendaItem)
    modified = (
        _latest(now, newest) if own else _latest(now, newest, _meeting_modified(now, "meeting__"))
    )
    return (
        AgendaItem.objects.select_related(
            "meeting__body__publication", "meeting__publication", "case"
        )
        .annotate(created=Coalesce(_oldest(AgendaItem), _at(now)), modified=modified)
        .order_by("pk")
    )


def agenda_items(now: datetime.datetime) -> QuerySet[AgendaItem]:
    """Every item of a public meeting (closed ones too: the view shows them reduced)."""
    return _items(now).filter(meeting__in=_public_meetings(now))


def consultations(now: datetime.datetime) -> QuerySet[AgendaItem]:
    """The treatments of a case that the public sees: the open items of public meetings with
    a case that is not closed. A consultation is named by its agenda item's id."""
    return agenda_items(now).filter(closed=False, case__isnull=False, case__closed=False)


def _files(now: datetime.datetime, own: bool = False) -> QuerySet[Attachment]:
    """Open attachments with a file, with `created` and `modified` (`own`: as `_items`)."""
    newest = _newest(Attachment)
    modified = (
        _latest(now, newest)
        if own
        else _latest(now, newest, _meeting_modified(now, "item__meeting__"))
    )
    rows = Attachment.objects.filter(closed=False, item__closed=False).exclude(file="")
    if not own:
        rows = rows.select_related("item__meeting__body__publication", "item__meeting__publication")
    return rows.annotate(
        created=Coalesce(_oldest(Attachment), _at(now)), modified=modified
    ).order_by("pk")


def files(now: datetime.datetime) -> QuerySet[Attachment]:
    """The open attachments with a file, of open items of public meetings."""
    return _files(now).filter(item__meeting__in=_public_meetings(now))


def items_of(now: datetime.datetime, public_meeting_ids) -> QuerySet[AgendaItem]:
    """All items of meetings whose ids a public query gave (`meetings`, `agenda_items`), each
    with its open attachments with a file, without asking the publication rule again (its
    condition per day before is costly to build). Their `modified` is their own: the caller
    gives them their meeting's."""
    return (
        _items(now, own=True)
        .filter(meeting_id__in=list(public_meeting_ids))
        .prefetch_related(Prefetch("attachments", queryset=_files(now, own=True)))
    )


def papers(now: datetime.datetime) -> QuerySet[Case]:
    """The cases (not closed) treated by an open item of a public meeting. `modified`: the
    case's and its items' history."""
    treated = consultations(now).filter(case=OuterRef("pk")).values("pk")
    return (
        Case.objects.filter(Exists(treated), closed=False)
        .annotate(
            created=Coalesce(_oldest(Case), _at(now)),
            # Only its open items of public meetings move it: a draft is not public.
            modified=_latest(
                now,
                _newest(Case),
                _newest(
                    AgendaItem,
                    key="case_id",
                    meeting_id__in=_public_meetings(now),
                    closed=False,
                ),
            ),
        )
        .order_by("pk")
    )


# --- Filters and pages ------------------------------------------------------------------------


class BadFilter(ValueError):
    pass


FILTERS = ("created_since", "created_until", "modified_since", "modified_until")


def parse_filters(params) -> dict[str, datetime.datetime]:
    """The list filters of the query string as aware datetimes; a bad one raises `BadFilter`."""
    result = {}
    for name in FILTERS:
        raw = params.get(name)
        if raw is None:
            continue
        try:
            value = datetime.datetime.fromisoformat(raw.strip().replace(" ", "+"))
        except ValueError:
            raise BadFilter(name) from None
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        result[name] = value
    return result


def filtered(queryset: QuerySet, filters: dict, meeting_prefix: str | None = None) -> QuerySet:
    """`queryset` (annotated `created`/`modified`) by the list filters. `meeting_prefix`: the
    rows are as modified as their meeting (through the prefix) and its publication day."""
    if "created_since" in filters:
        queryset = queryset.filter(created__gte=filters["created_since"])
    if "created_until" in filters:
        queryset = queryset.filter(created__lte=filters["created_until"])
    since, until = filters.get("modified_since"), filters.get("modified_until")
    if meeting_prefix is not None:
        return queryset.filter(meeting_modified_q(meeting_prefix, since, until))
    if since is not None:
        queryset = queryset.filter(modified__gte=since)
    if until is not None:
        queryset = queryset.filter(modified__lte=until)
    return queryset


def page(queryset: QuerySet, after: int | None, size: int | None = None) -> tuple[list, bool]:
    """The rows after primary key `after`, at most `size` (`PAGE_SIZE`), and whether more
    follow."""
    size = size or PAGE_SIZE
    if after is not None:
        queryset = queryset.filter(pk__gt=after)
    rows = list(queryset[: size + 1])
    return rows[:size], len(rows) > size
