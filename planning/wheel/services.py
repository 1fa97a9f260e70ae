"""The annual wheel (årshjul): recurrences into dates, a wheel year with the actual meetings
merged in, and the geometry of the circular picture.

- `dates(activity, start, end)`: the dates an activity occurs on between two dates, by
  python-dateutil's `rrule` with iCalendar's semantics (a month without the day is skipped:
  "the 31st every month" has no date in April). A yearly activity without a day lasts the
  whole month: its date is the first of the month and `whole_month(activity)` says so.
- `check(activity)`: the rule both the form and the API use. It empties the fields the
  frequency does not use, says which fields the frequency needs ("Choose the weekday and the
  week of the month.") and refuses a recurrence that never occurs: no date from the start to
  the end, or within ten years from the start when there is no end (31 February; the 31st
  every 12 months from February).
- `wheel_year(...)`: the twelve months from a first month (August 2026 – July 2027), every
  active activity's occurrences in them and the actual meetings of the municipality's bodies.
  A planned activity of kind "meeting" of a body on a date close to a real meeting of the
  same body is not shown twice: the real meeting is kept, and it names the activity it was
  planned as. The deadlines of the IT system register (contract notices, supervisions, risk
  and impact assessments due: `register_deadlines`) are read-only entries of the body that
  governs the system. Five queries whatever the number of rows.
- `picture(year)`: the geometry of the SVG (`planning/wheel/_picture.html`): one ring per
  body (the whole organisation outermost), the month sectors clockwise from 12 o'clock,
  a marker per occurrence (an arc for a month-long activity) and a line for today.

Everything here runs inside the municipality's scope (`Model.objects`).
"""

import calendar
import datetime
import hashlib
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, cast

from dateutil import rrule
from dateutil.relativedelta import relativedelta
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.collation import danish_key
from core.links import url_maker
from core.models import current_municipality_id
from planning.models import ActivityKind, Frequency, Weekday, WeekOfMonth, WheelActivity
from systems.duties import Kind, duties_in
from systems.models import SystemUsage

# How far ahead an activity without an end must occur at least once.
HORIZON_YEARS = 10
# A planned meeting this many days or fewer from a real meeting of the same body is that
# meeting.
MERGE_DAYS = 14

# The fields each frequency uses (the rest are emptied) and those it needs.
RECURRENCE_FIELDS = ("interval", "month", "day", "weekday", "week_of_month")
USES: dict[str, tuple[str, ...]] = {
    Frequency.ONCE: (),
    Frequency.WEEKLY: ("interval", "weekday"),
    Frequency.MONTHLY: ("interval", "day"),
    Frequency.QUARTERLY: ("month", "day"),
    Frequency.NTH_WEEKDAY: ("interval", "weekday", "week_of_month"),
    Frequency.YEARLY: ("month", "day"),
}
NEEDS: dict[str, tuple[str, ...]] = {
    Frequency.ONCE: (),
    Frequency.WEEKLY: (),  # without a weekday: the weekday of the start
    Frequency.MONTHLY: ("day",),
    Frequency.QUARTERLY: ("month", "day"),
    Frequency.NTH_WEEKDAY: ("weekday", "week_of_month"),
    Frequency.YEARLY: ("month",),  # without a day: the whole month
}

# Body filter value for the activities of the whole organisation (no body).
WHOLE_ORGANISATION = "hele"
# The rings a wheel of all bodies draws at most (the page and the PDF): past a dozen rings are
# too thin to read, and København's 235 made a page of 1.5 MB. A chosen body shows its own.
MAX_RINGS = 12


def _datetime(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time())


def month_last(day: datetime.date) -> datetime.date:
    """The last day of the month of `day`."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_name(month: int) -> str:
    """“January”, in the active language (Django's own month names)."""
    return capfirst(str(MONTHS[month]))


def whole_month(activity: WheelActivity) -> bool:
    """Does the activity last a whole month (a yearly activity without a day)?"""
    return activity.frequency == Frequency.YEARLY and not activity.day


# --- Recurrence ----------------------------------------------------------------------------------


def can_occur(activity: WheelActivity) -> bool:
    """Can the recurrence ever give a date, whatever its start and end? No for 30 February,
    or the 31st every 12 months from February. (dateutil searches a rule that never matches
    up to the year 9999 before it gives up, so such a rule is never handed to it.)"""
    f, day = activity.frequency, activity.day
    if f == Frequency.YEARLY and day and activity.month:
        return day <= (29 if activity.month == 2 else calendar.monthrange(2001, activity.month)[1])
    if f == Frequency.MONTHLY and day and day >= 29:
        interval = activity.interval or 1
        year, month = activity.starts_on.year, activity.starts_on.month
        for _ in range(400 * 12 // interval + 1):  # the calendar repeats every 400 years
            if calendar.monthrange(year, month)[1] >= day:
                return True
            year, month = divmod(year * 12 + month - 1 + interval, 12)
            month += 1
            if year > 9998:
                return False
        return False
    return True


def _aligned_start(activity: WheelActivity, low: datetime.date) -> datetime.date:
    """A date on or before `low` from which the recurrence gives the same dates from `low`
    on as from its own start: a whole number of intervals after the start (the first of the
    month for months, 1 January for years), so a rule that began years ago is not walked
    through from its beginning. The start itself when it is near."""
    start = activity.starts_on
    f = activity.frequency
    interval = activity.interval or 1
    if low <= start or f == Frequency.ONCE:
        return start
    if f == Frequency.WEEKLY:
        steps = max((low - start).days // 7 // interval - 1, 0)
        return start + datetime.timedelta(weeks=steps * interval)
    if f in (Frequency.MONTHLY, Frequency.NTH_WEEKDAY):
        months = (low.year - start.year) * 12 + low.month - start.month
        steps = max(months // interval - 1, 0)
        return (
            start if steps == 0 else start.replace(day=1) + relativedelta(months=steps * interval)
        )
    if low.year - 1 > start.year:  # yearly and quarterly
        return datetime.date(low.year - 1, 1, 1)
    return start


def _rule(
    activity: WheelActivity, until: datetime.date, low: datetime.date | None = None
) -> rrule.rrule:
    """The activity's recurrence as an rrule until `until` (always bounded: a rule that never
    matches would otherwise search for ever), from its start or, when only the dates from
    `low` on are wanted, from a later date that gives the same dates."""
    f = activity.frequency
    start = activity.starts_on
    first = start if low is None else _aligned_start(activity, low)
    bounds = {"dtstart": _datetime(first), "until": _datetime(until)}
    interval = activity.interval or 1
    if f == Frequency.WEEKLY:
        weekday = start.weekday() if activity.weekday is None else activity.weekday
        return rrule.rrule(rrule.WEEKLY, interval=interval, byweekday=weekday, **bounds)
    if f == Frequency.MONTHLY:
        return rrule.rrule(rrule.MONTHLY, interval=interval, bymonthday=activity.day, **bounds)
    if f == Frequency.QUARTERLY:
        months = sorted({(cast(int, activity.month) - 1 + 3 * k) % 12 + 1 for k in range(4)})
        return rrule.rrule(rrule.YEARLY, bymonth=months, bymonthday=activity.day, **bounds)
    if f == Frequency.NTH_WEEKDAY:
        weekday = rrule.weekday(activity.weekday)(activity.week_of_month)
        return rrule.rrule(rrule.MONTHLY, interval=interval, byweekday=weekday, **bounds)
    if f == Frequency.YEARLY:
        if activity.day:
            return rrule.rrule(
                rrule.YEARLY, bymonth=activity.month, bymonthday=activity.day, **bounds
            )
        # The whole month: the first of the month, counted from the month of the start.
        bounds["dtstart"] = _datetime(first.replace(day=1))
        return rrule.rrule(rrule.YEARLY, bymonth=activity.month, bymonthday=1, **bounds)
    return rrule.rrule(rrule.DAILY, count=1, dtstart=bounds["dtstart"])  # once: the start


def dates(activity: WheelActivity, start: datetime.date, end: datetime.date) -> list:
    """The dates the activity occurs on from `start` to `end` (both included), within its own
    start and end. For a month-long activity, the first of each month that overlaps."""
    low = max(start, activity.starts_on)
    high = min(end, activity.ends_on) if activity.ends_on else end
    if high < low or not can_occur(activity):
        return []
    rule = _rule(activity, high, low)
    if whole_month(activity):
        return [d.date() for d in rule if month_last(d.date()) >= low]
    return [d.date() for d in rule.between(_datetime(low), _datetime(high), inc=True)]


def horizon(activity: WheelActivity) -> datetime.date:
    """The last date that counts when checking that the activity occurs at all."""
    if activity.ends_on:
        return activity.ends_on
    return activity.starts_on + relativedelta(years=HORIZON_YEARS)


def next_dates(activity: WheelActivity, after: datetime.date, count: int = 6) -> list:
    """Up to `count` dates from `after` on (within the activity's horizon from `after`)."""
    until = activity.ends_on or max(after, activity.starts_on) + relativedelta(years=HORIZON_YEARS)
    if until < after or until < activity.starts_on or not can_occur(activity):
        return []
    rule = _rule(activity, until, after)
    found = []
    for moment in rule:
        day = moment.date()
        last = month_last(day) if whole_month(activity) else day
        if last >= after:
            found.append(day)
            if len(found) >= count:
                break
    return found


def normalise(activity: WheelActivity) -> None:
    """Empty the recurrence fields the frequency does not use (every N only where it counts)."""
    used = USES.get(activity.frequency, ())
    for name in RECURRENCE_FIELDS:
        if name not in used:
            setattr(activity, name, 1 if name == "interval" else None)


def _missing(activity: WheelActivity) -> dict:
    f = activity.frequency
    needed = NEEDS.get(f, ())
    missing = [name for name in needed if getattr(activity, name) in (None, "")]
    if not missing:
        return {}
    if f == Frequency.NTH_WEEKDAY:
        message = _("Choose the weekday and the week of the month.")
        return {name: [message] for name in missing}
    messages = {
        "day": _("Choose the day of the month."),
        "month": (
            _("Choose the month of the first quarter.")
            if f == Frequency.QUARTERLY
            else _("Choose the month.")
        ),
    }
    return {name: [messages[name]] for name in missing}


def never_occurs_message(activity: WheelActivity) -> str:
    start = activity.starts_on
    end = horizon(activity)
    return _(
        "The recurrence never occurs: no date from %(start)s to %(end)s matches it. "
        "Check the day of the month (30 and 31 February do not exist, nor the 31st of a "
        "month with 30 days) and the end date."
    ) % {"start": f"{start:%d-%m-%Y}", "end": f"{end:%d-%m-%Y}"}


def check(activity: WheelActivity) -> None:
    """Normalise the recurrence and raise a ValidationError (by field) when a field the
    frequency needs is missing, or when the recurrence never occurs. Nothing is saved here."""
    normalise(activity)
    errors = _missing(activity)
    if errors:
        raise ValidationError(errors)
    start, end = activity.starts_on, activity.ends_on
    if not isinstance(start, datetime.date) or (end and end < start):
        return  # the model's own rules say what is wrong with the dates
    if not next_dates(activity, start, count=1):
        raise ValidationError({NON_FIELD_ERRORS: [never_occurs_message(activity)]})


@transaction.atomic
def save_activity(activity: WheelActivity) -> WheelActivity:
    """Add an activity to the wheel or save the changes to one: its recurrence normalised and
    checked (`check`), then the model's own rules. Refused, nothing is written."""
    if activity.municipality_id is None:
        activity.municipality_id = current_municipality_id()
    check(activity)
    activity.full_clean()
    activity.save()
    return activity


def describe(activity: WheelActivity) -> str:
    """The recurrence in words: “Every 2 weeks on Tuesday”, “The third Tuesday every 3
    months”, “Yearly in May (the whole month)”."""
    f = activity.frequency
    n = activity.interval or 1
    weekday = str(Weekday(activity.weekday).label) if activity.weekday is not None else ""
    if f == Frequency.ONCE:
        return _("Once, on %(date)s") % {"date": f"{activity.starts_on:%d-%m-%Y}"}
    if f == Frequency.WEEKLY:
        if not weekday:
            weekday = str(Weekday(activity.starts_on.weekday()).label)
        return ngettext("Every week on %(weekday)s", "Every %(n)d weeks on %(weekday)s", n) % {
            "n": n,
            "weekday": weekday,
        }
    if f == Frequency.MONTHLY:
        return ngettext("Every month on day %(day)s", "Every %(n)d months on day %(day)s", n) % {
            "n": n,
            "day": activity.day,
        }
    if f == Frequency.QUARTERLY:
        return _("Quarterly on day %(day)s, from %(month)s") % {
            "day": activity.day,
            "month": str(MONTHS[cast(int, activity.month)]),
        }
    if f == Frequency.NTH_WEEKDAY:
        week = str(WeekOfMonth(cast(int, activity.week_of_month)).label)
        return ngettext(
            "The %(week)s %(weekday)s of every month",
            "The %(week)s %(weekday)s every %(n)d months",
            n,
        ) % {"week": week, "weekday": weekday, "n": n}
    month = str(MONTHS[cast(int, activity.month)])
    if activity.day:
        return _("Yearly on %(day)s %(month)s") % {"day": activity.day, "month": month}
    return _("Yearly in %(month)s (the whole month)") % {"month": month}


# --- A wheel year --------------------------------------------------------------------------------


def year_of(day: datetime.date, first_month: int) -> int:
    """The wheel year a date belongs to: the year its first month is in."""
    return day.year if day.month >= first_month else day.year - 1


def period(year: int, first_month: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, first_month, 1)
    return start, start + relativedelta(months=12) - datetime.timedelta(days=1)


def year_label(year: int, first_month: int) -> str:
    """“2026” for a calendar year, “2026/27” for a year from another month."""
    return str(year) if first_month == 1 else f"{year}/{(year + 1) % 100:02d}"


@dataclass
class Entry:
    """One occurrence on the wheel: a planned activity's date, or a real meeting."""

    date: datetime.date
    last: datetime.date  # the same day, or the last of the month for a month-long activity
    title: str
    kind: str
    body_id: int | None
    body_name: str
    url: str
    activity: WheelActivity | None = None
    meeting: Any = None  # a meetings.Meeting
    duty: Any = None  # a deadline of the register (`systems.duties.Duty`), read-only
    planned: WheelActivity | None = None  # the activity a real meeting was planned as
    whole_month: bool = False
    ring: int = 0

    @property
    def kind_label(self) -> str:
        return str(ActivityKind(self.kind).label)

    @property
    def date_text(self) -> str:
        """dd-mm-yyyy, as the list prints it (without the `date` filter's work per row)."""
        return f"{self.date:%d-%m-%Y}"

    @property
    def is_meeting(self) -> bool:
        return self.meeting is not None

    @property
    def is_deadline(self) -> bool:
        """A deadline of the IT system register, not an activity of the wheel."""
        return self.duty is not None

    @property
    def uid(self) -> str:
        """A stable identifier for calendars."""
        if self.meeting is not None:
            return f"aarshjul-moede-{self.meeting.uid}@digistyr"
        if self.duty is not None:
            about = f"{self.duty.subject}:{','.join(map(str, self.duty.usage_ids))}".encode()
            digest = hashlib.sha1(about, usedforsecurity=False).hexdigest()[:16]
            return f"aarshjul-frist-{self.duty.kind}-{digest}-{self.date:%Y%m%d}@digistyr"
        return f"aarshjul-{cast(WheelActivity, self.activity).pk}-{self.date:%Y%m%d}@digistyr"


@dataclass
class Ring:
    index: int
    body_id: int | None
    name: str
    count: int = 0
    # geometry (picture)
    inner: float = 0
    outer: float = 0
    label_x: float = 0
    label_y: float = 0

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def middle(self) -> float:
        return (self.inner + self.outer) / 2

    @property
    def width(self) -> float:
        return self.outer - self.inner


@dataclass
class Month:
    start: datetime.date
    entries: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{month_name(self.start.month)} {self.start.year}"


@dataclass
class WheelYear:
    year: int
    first_month: int
    start: datetime.date
    end: datetime.date
    today: datetime.date
    entries: list
    rings: list
    months: list
    # Bodies with entries in the year that the picture and the list leave out (`max_rings`).
    hidden_bodies: int = 0
    hidden_entries: int = 0

    @property
    def label(self) -> str:
        return year_label(self.year, self.first_month)

    @property
    def today_in_year(self) -> bool:
        return self.start <= self.today <= self.end

    @property
    def span_label(self) -> str:
        return (
            f"{month_name(self.start.month)} {self.start.year} – "
            f"{month_name(self.end.month)} {self.end.year}"
        )


def _body_active(body, on_from: datetime.date, on_to: datetime.date) -> bool:
    if body is None:
        return True
    if body.established_on and body.established_on > on_to:
        return False
    return not (body.closed_on and body.closed_on <= on_from)


def _in_body_lifetime(body, day: datetime.date) -> bool:
    if body is None:
        return True
    if body.established_on and day < body.established_on:
        return False
    return not (body.closed_on and day >= body.closed_on)


def _merge(planned: list, meetings: list) -> set:
    """Pair real meetings with planned meetings of the same body, closest first, each at most
    once and at most MERGE_DAYS apart. Marks each paired meeting's `planned` and returns the
    ids of the planned entries it replaces."""
    pairs = []
    by_body: dict = {}
    for entry in planned:
        by_body.setdefault(entry.body_id, []).append(entry)
    for meeting in meetings:
        for entry in by_body.get(meeting.body_id, ()):
            distance = abs((entry.date - meeting.date).days)
            if distance <= MERGE_DAYS:
                pairs.append(
                    (distance, meeting.date, entry.date, id(meeting), id(entry), meeting, entry)
                )
    pairs.sort(key=lambda p: p[:5])
    used_meetings, used_planned = set(), set()
    for _distance, _m, _p, meeting_id, entry_id, meeting, entry in pairs:
        if meeting_id in used_meetings or entry_id in used_planned:
            continue
        used_meetings.add(meeting_id)
        used_planned.add(entry_id)
        meeting.planned = entry.activity
    return used_planned


# The register's deadlines the wheel shows (the yearly review is the wheel's own activity).
DEADLINE_KINDS = {Kind.RISK, Kind.DPIA, Kind.SUPERVISION, Kind.NOTICE}


def register_deadlines(
    start: datetime.date, end: datetime.date, today: datetime.date, body: str | int | None = None
) -> list[Entry]:
    """The dated duties of the IT system register from `start` to `end` as read-only entries
    of the body that governs the system (the whole organisation's without one): contract
    notices, supervisions, risk and impact assessments due (`systems.duties.duties_in`, four
    queries). `body` as `wheel_year` takes it."""
    scope = SystemUsage.objects.all()
    if body == WHOLE_ORGANISATION:
        scope = scope.filter(body__isnull=True)
    elif body is not None:
        scope = scope.filter(body_id=body)
    duties = [
        duty
        for duty in duties_in(today, scope)
        if duty.kind in DEADLINE_KINDS and duty.due is not None and start <= duty.due <= end
    ]
    entries = []
    for duty in duties:
        due = duty.due
        if due is None:  # pragma: no cover - left out above; says so to the type checker
            continue
        try:
            url = duty.url
        except NoReverseMatch:  # the register's page of the system is not there (yet)
            url = ""
        entries.append(
            Entry(
                date=due,
                last=due,
                title=f"{duty.label}: {duty.subject}",
                kind=ActivityKind.DEADLINE,
                body_id=duty.body_id,
                body_name=duty.body_name,
                url=url,
                duty=duty,
            )
        )
    return entries


def wheel_year(
    year: int,
    first_month: int,
    *,
    body: str | int | None = None,
    kind: str | None = None,
    today: datetime.date | None = None,
    max_rings: int | None = None,
) -> WheelYear:
    """The wheel year from `first_month` of `year`: occurrences and meetings, rings, months.

    `body`: a body's id, WHOLE_ORGANISATION for the activities without a body, or None for
    all. `kind`: an ActivityKind (real meetings are of kind "meeting"). `max_rings`: with
    all bodies, at most this many rings (the whole organisation and the bodies with the most
    entries in the year); the entries of the others are left out and counted
    (`hidden_bodies`, `hidden_entries`)."""
    from meetings.models import Meeting

    start, end = period(year, first_month)
    today = today or timezone.localdate()
    activities = (
        WheelActivity.objects.filter(active=True, starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .select_related("body")
        .order_by("pk")
    )
    meetings = Meeting.objects.filter(date__gte=start, date__lte=end).select_related("body")
    if body == WHOLE_ORGANISATION:
        activities = activities.filter(body__isnull=True)
        meetings = meetings.none()
    elif body is not None:
        activities = activities.filter(body_id=body)
        meetings = meetings.filter(body_id=body)
    if kind:
        activities = activities.filter(kind=kind)
        if kind != ActivityKind.MEETING:
            meetings = meetings.none()
    meetings = meetings.only(
        "pk",
        "uid",
        "date",
        "title",
        "state",
        "body_id",
        "body__name",
        "body__established_on",
        "body__closed_on",
    ).order_by("date", "start", "pk")

    activity_url = url_maker("planning:activity_detail")
    meeting_url = url_maker("meetings:meeting_detail")
    planned: list[Entry] = []
    others: list[Entry] = []
    for activity in activities:
        owner = activity.body
        if not _body_active(owner, start, end):
            continue
        month_long = whole_month(activity)
        for day in dates(activity, start, end):
            if not _in_body_lifetime(owner, day):
                continue
            entry = Entry(
                date=day,
                last=month_last(day) if month_long else day,
                title=activity.title,
                kind=activity.kind,
                body_id=activity.body_id,
                body_name=owner.name if owner else "",
                url=activity_url(activity.pk),
                activity=activity,
                whole_month=month_long,
            )
            is_planned_meeting = (
                activity.kind == ActivityKind.MEETING and owner is not None and not month_long
            )
            (planned if is_planned_meeting else others).append(entry)

    real = [m for m in meetings if _in_body_lifetime(m.body, m.date)]
    for meeting in real:
        meeting.planned = None  # type: ignore[attr-defined]
    replaced = _merge(planned, real)
    entries = [e for e in planned if id(e) not in replaced] + others
    if not kind or kind == ActivityKind.DEADLINE:
        entries += register_deadlines(start, end, today, body)
    for meeting in real:
        entries.append(
            Entry(
                date=meeting.date,
                last=meeting.date,
                title=meeting.title or _("Meeting of %(body)s") % {"body": meeting.body.name},
                kind=ActivityKind.MEETING,
                body_id=meeting.body_id,
                body_name=meeting.body.name,
                url=meeting_url(meeting.pk),
                meeting=meeting,
                planned=meeting.planned,  # type: ignore[attr-defined]
            )
        )
    entries.sort(
        key=lambda e: (e.date, not e.whole_month, danish_key(e.body_name), danish_key(e.title))
    )

    # One ring per body with something in the year; the whole organisation outermost.
    names = {e.body_id: e.body_name for e in entries}
    ordered: list[int | None] = sorted(
        (b for b in names if b is not None), key=lambda b: danish_key(names[b])
    )
    hidden_bodies = hidden_entries = 0
    if max_rings and body is None and len(names) > max_rings:
        counts = Counter(e.body_id for e in entries)
        busiest = sorted(ordered, key=lambda b: (-counts[b], danish_key(names[b])))
        kept = set(busiest[: max_rings - (None in names)])
        hidden_bodies = len(ordered) - len(kept)
        ordered = [b for b in ordered if b in kept]
        shown = [e for e in entries if e.body_id is None or e.body_id in kept]
        hidden_entries = len(entries) - len(shown)
        entries = shown
    if None in names:
        ordered.insert(0, None)
    rings = [
        Ring(index=i, body_id=b, name=names[b] if b is not None else _("The whole organisation"))
        for i, b in enumerate(ordered)
    ]
    ring_of = {ring.body_id: ring for ring in rings}
    for entry in entries:
        ring = ring_of[entry.body_id]
        entry.ring = ring.index
        ring.count += 1

    months = [Month(start + relativedelta(months=k)) for k in range(12)]
    for entry in entries:
        months[(entry.date.year - start.year) * 12 + entry.date.month - first_month].entries.append(
            entry
        )
    return WheelYear(
        year, first_month, start, end, today, entries, rings, months, hidden_bodies, hidden_entries
    )


# --- The picture ---------------------------------------------------------------------------------

SIZE = 800
CENTRE = SIZE / 2
OUTER = 320  # the outer edge of the outermost ring
INNER = 78  # the hole in the middle, with the year
LABEL_RADIUS = 352  # the month names


def _point(angle: float, radius: float) -> tuple[float, float]:
    """The point at `angle` degrees clockwise from 12 o'clock, `radius` from the centre."""
    radians = math.radians(angle)
    return CENTRE + radius * math.sin(radians), CENTRE - radius * math.cos(radians)


def angle_of(day: datetime.date, first_month: int) -> float:
    """Each month a sector of 30°; a day at its place in its month."""
    index = (day.month - first_month) % 12
    days = calendar.monthrange(day.year, day.month)[1]
    return (index + (day.day - 0.5) / days) * 30


def _f(value: float) -> str:
    return f"{value:.1f}"


@dataclass
class Marker:
    entry: Entry
    shape: str  # "circle", "diamond" or "arc"
    # Numbers as strings with a decimal point (`_f`), as the picture's.
    x: float | str = 0
    y: float | str = 0
    size: float | str = 0
    path: str = ""  # arc
    points: str = ""  # diamond
    width: float | str = 0  # arc stroke
    label: str = ""
    focus: str = ""  # the radius (or arc stroke) of the focus ring around it

    @property
    def svg(self) -> str:
        """The marker's shape, written here rather than by an include per marker (a large
        municipality's year has hundreds)."""
        kind = self.entry.kind
        if self.shape == "arc":
            return format_html(
                '<path class="wheel-marker wheel-arc wheel-kind-{}" d="{}" stroke-width="{}">'
                "</path>",
                kind, self.path, self.width,
            )  # fmt: skip
        if self.shape == "diamond":
            return format_html(
                '<polygon class="wheel-marker wheel-kind-{}" points="{}"></polygon>',
                kind, self.points,
            )  # fmt: skip
        return format_html(
            '<circle class="wheel-marker wheel-kind-{}" cx="{}" cy="{}" r="{}"></circle>',
            kind, self.x, self.y, self.size,
        )  # fmt: skip


@dataclass
class Picture:
    """What the template draws; numbers as strings with a decimal point (a template would
    write 400,0 in Danish)."""

    size: int
    centre: str
    inner: str
    outer: str
    rings: list
    sectors: list  # (x1, y1, x2, y2) of the month boundaries
    month_labels: list  # (x, y, label)
    markers: list
    today: tuple | None  # (x1, y1, x2, y2, label x, label y)
    title: str
    description: str


def entry_text(entry: Entry) -> str:
    """“03-03-2026: Styregruppen – Styregruppemøde (Meeting)”, for tooltips and link names."""
    when = (
        _("%(month)s (the whole month)")
        % {"month": f"{month_name(entry.date.month)} {entry.date.year}"}
        if entry.whole_month
        else f"{entry.date:%d-%m-%Y}"
    )
    who = entry.body_name or _("The whole organisation")
    return f"{when}: {who} – {entry.title} ({entry.kind_label})"


def picture(year: WheelYear) -> Picture:
    rings = year.rings
    n = max(len(rings), 1)
    width = (OUTER - INNER) / n
    for ring in rings:
        ring.outer = OUTER - ring.index * width
        ring.inner = ring.outer - width
        # the ring's number just right of 12 o'clock, in the ring
        ring.label_x, ring.label_y = _point(0, ring.middle)
    sectors = []
    labels = []
    for k in range(12):
        x1, y1 = _point(k * 30, INNER)
        x2, y2 = _point(k * 30, OUTER + 8)
        sectors.append((_f(x1), _f(y1), _f(x2), _f(y2)))
        month = (year.first_month - 1 + k) % 12 + 1
        lx, ly = _point(k * 30 + 15, LABEL_RADIUS)
        labels.append((_f(lx), _f(ly), month_name(month)))
    size = max(min(width * 0.3, 9), 3)
    markers = []
    for entry in year.entries:
        ring = rings[entry.ring]
        text = entry_text(entry)
        if entry.whole_month:
            a1 = ((entry.date.month - year.first_month) % 12) * 30 + 1.5
            a2 = a1 + 27
            x1, y1 = _point(a1, ring.middle)
            x2, y2 = _point(a2, ring.middle)
            r = _f(ring.middle)
            markers.append(
                Marker(
                    entry,
                    "arc",
                    path=f"M {_f(x1)} {_f(y1)} A {r} {r} 0 0 1 {_f(x2)} {_f(y2)}",
                    width=_f(max(width * 0.45, 4)),
                    label=text,
                    focus=_f(max(width * 0.45, 4) + 7),
                )
            )
            continue
        x, y = _point(angle_of(entry.date, year.first_month), ring.middle)
        if entry.is_meeting:
            d = size * 1.25
            points = " ".join(
                f"{_f(px)},{_f(py)}" for px, py in ((x, y - d), (x + d, y), (x, y + d), (x - d, y))
            )
            markers.append(
                Marker(
                    entry,
                    "diamond",
                    x=_f(x),
                    y=_f(y),
                    size=_f(d),
                    points=points,
                    label=text,
                    focus=_f(d + 4),
                )
            )
        else:
            markers.append(
                Marker(
                    entry, "circle", x=_f(x), y=_f(y), size=_f(size), label=text, focus=_f(size + 4)
                )
            )
    today = None
    if year.today_in_year:
        angle = angle_of(year.today, year.first_month)
        x1, y1 = _point(angle, INNER - 4)
        x2, y2 = _point(angle, OUTER + 14)
        lx, ly = _point(angle, OUTER + 24)
        today = (_f(x1), _f(y1), _f(x2), _f(y2), _f(lx), _f(ly))
    title = _("Annual wheel %(year)s") % {"year": year.label}
    shape = ngettext(
        "A circle with %(rings)d ring, one per body, and the months clockwise from %(month)s "
        "at the top.",
        "A circle with %(rings)d rings, one per body, and the months clockwise from %(month)s "
        "at the top.",
        len(rings),
    ) % {"rings": len(rings), "month": MONTHS[year.first_month]}
    content = ngettext(
        "%(count)d activity or meeting from %(span)s.",
        "%(count)d activities and meetings from %(span)s.",
        len(year.entries),
    ) % {"count": len(year.entries), "span": year.span_label}
    parts = [shape, content]
    if today:
        parts.append(_("A line marks today, %(date)s.") % {"date": f"{year.today:%d-%m-%Y}"})
    parts.append(_("The list below the picture holds the same."))
    description = " ".join(parts)
    return Picture(
        SIZE,
        _f(CENTRE),
        _f(INNER),
        _f(OUTER),
        rings,
        sectors,
        labels,
        markers,
        today,
        title,
        description,
    )


# --- The review's outcome per system -------------------------------------------------------------


def review_usages(activity: WheelActivity):
    """The systems the body of a review governs (not ended), with their last review (the
    date and outcome), in the register's order: one query."""
    from django.db.models import OuterRef, Subquery

    from systems.models import Assessment, AssessmentKind, Lifecycle

    last = Assessment.objects.filter(usage_id=OuterRef("pk"), kind=AssessmentKind.REVIEW).order_by(
        "-done_on", "-pk"
    )
    if activity.body_id is None:
        return SystemUsage.objects.none()
    return (
        SystemUsage.objects.filter(body_id=activity.body_id)
        .exclude(lifecycle=Lifecycle.ENDED)
        .select_related("system")
        .annotate(
            last_review_on=Subquery(last.values("done_on")[:1]),
            last_review_outcome=Subquery(last.values("outcome")[:1]),
        )
        .order_by("system__name", "pk")
    )


def record_reviews(
    activity: WheelActivity, done_on: datetime.date, outcomes: list[tuple], user=None
) -> list:
    """Record the outcome of the review `activity` held on `done_on` for each system
    ((usage, outcome, note) of `outcomes`, every one governed by the activity's body) as an
    assessment of kind "review" (`systems.register.services.record_review`), all in one
    transaction: a refused one writes none."""
    from systems.register.services import record_review

    if activity.kind != ActivityKind.REVIEW or activity.body_id is None:
        raise ValidationError(_("Only a review of a body records an outcome per system."))
    with transaction.atomic():
        recorded = []
        for usage, outcome, note in outcomes:
            if usage.body_id != activity.body_id:
                raise ValidationError(
                    _("%(system)s is not governed by %(body)s.")
                    % {"system": usage, "body": activity.body}
                )
            try:
                recorded.append(record_review(usage, done_on, outcome, note, user))
            except ValidationError as error:
                raise ValidationError(
                    _("%(system)s: %(errors)s")
                    % {"system": usage, "errors": " ".join(error.messages)}
                ) from error
        return recorded
