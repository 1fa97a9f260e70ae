"""Reminders people act on ("advis"): what is due, to whom, and the mails that say so.

Each pass of the scheduler (`reminders.jobs`) computes the reminders of the whole
installation from the governed data, kind by kind, in a fixed number of queries per kind
(the rows with their recipients through `select_related`, the unit chiefs and the chairs
and secretaries of the bodies in one query each, the recipients' memberships in one query
for the permission checks). Nothing about a reminder is stored: its mail is a row of the
outbox (`core.mail`) under a key that says what, when and to whom, so a second pass the same
day, or a scheduler that restarts, queues nothing new.

- **Follow-ups** due within `REMINDER_DAYS` days, to the owner; a unit's follow-ups to the
  unit's chiefs: the organisation has no "head of unit" field, so a chief is an active
  person of the unit whose title names a chief ("chef", as the composition rules of the
  mandates find chiefs). Overdue: once when it becomes overdue, then once a week.
- **Status reports** due within `REMINDER_DAYS` days and late, to the project leader, by
  the portfolio's own rule (`portfolio.services.statuses`).
- **Benefit measurements** due within `REMINDER_DAYS` days and overdue, to the responsible
  leader, by the benefits' own rule (`Benefit.measurement_due`, `benefits.services.flags_of`).
- **Minutes** of a held meeting not yet approved, to the chair of the body (weekly).
- **Agendas** not approved `REMINDER_AGENDA_DAYS` days before the meeting, to the body's
  secretary (who gathers the material: the agenda items have no owner of their own) and
  chair (who approves it before it is sent).
- **Duties of the IT systems** (`systems.duties`: risk assessments, impact assessments, the
  yearly review, supervisions of the processors, contract notices) due within
  `REMINDER_DAYS` days and overdue, to the system owner. A duty without a date (a missing
  assessment or agreement) is on the owner's front page and the governance health page.

A person is reached through their login's e-mail address; people without a login or an
address are skipped and counted. A follow-up its recipient may not read
(`meetings.see_follow_up`: the follow-up of a closed item to a non-member, or of a decision
not yet published) is still reminded, but the mail names only the body and the date, never
the text. Every user chooses per kind: at once, in the weekly digest, or not at all
(`ReminderSetting`); the digest goes out on the first pass on or after Monday 07:00.
"""

import datetime
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope

from benefits.models import Benefit
from benefits.services import FLAG_OVERDUE, flags_of, with_last_measured
from core import mail
from core.models import Municipality, OutgoingMail, User
from core.permissions import has_perm
from meetings import rules as meeting_rules
from meetings.models import FollowUp, Meeting, MeetingState
from organisation.models import Membership, MembershipRole, Person
from portfolio.models import Project
from portfolio.services import statuses
from reminders.models import Delivery, DigestWeek, ReminderKind, ReminderSetting
from systems.duties import State, open_duties

# A chief of a unit is an active person of the unit whose title holds this (case ignored).
CHIEF_TITLE = "chef"
# The digest lists what falls due before the next digest, at least.
DIGEST_DAYS = 7
DIGEST_HOUR = 7


@dataclass
class Reminder:
    """One thing one person should act on."""

    kind: str  # a ReminderKind
    key: str  # the outbox key: what, when, to whom
    user: User  # the recipient's login
    name: str  # the recipient's name
    subject: str
    text: str  # what it is about, one sentence
    url: str  # straight to the thing, absolute
    detail: str = ""  # the thing's own text, only when the recipient may read it
    due: datetime.date | None = None


@dataclass
class Collected:
    reminders: list[Reminder] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # recipients not reachable, per kind


def absolute(path: str) -> str:
    return settings.DIGISTYR_BASE_URL.rstrip("/") + path


def _day(value: datetime.date) -> str:
    return value.strftime("%d-%m-%Y")


def _overdue_week(due: datetime.date, today: datetime.date) -> int:
    """0 in the first week overdue, 1 in the second …: an overdue thing is reminded once
    when it becomes overdue and then once a week (the week is part of its key)."""
    return ((today - due).days - 1) // 7


def _reachable(person, municipality_id: int):
    """The person's login when a mail can reach it, else None: an active person of the
    row's municipality with an active login of the same municipality and an address."""
    if person is None or not person.active or person.municipality_id != municipality_id:
        return None
    user = person.user
    if user is None or not user.is_active or not user.email:
        return None
    if user.municipality_id != municipality_id:
        return None
    return user


def _chiefs(unit_ids: set[int]) -> dict[int, list[Person]]:
    """{unit id: its chiefs}, in one query."""
    found: dict[int, list[Person]] = defaultdict(list)
    if unit_ids:
        for person in (
            Person.objects.filter(unit_id__in=unit_ids, active=True, title__icontains=CHIEF_TITLE)
            .select_related("user")
            .order_by("pk")
        ):
            if person.unit_id is not None:
                found[person.unit_id].append(person)
    return found


def _seats(body_ids: set[int], roles: Iterable[str], today) -> dict[int, list[Membership]]:
    """{body id: its current memberships in `roles`}, in one query."""
    found: dict[int, list[Membership]] = defaultdict(list)
    if body_ids:
        for seat in (
            Membership.objects.current(today)
            .filter(body_id__in=body_ids, role__in=list(roles))
            .select_related("person__user")
            .order_by("pk")
        ):
            found[seat.body_id].append(seat)
    return found


def prime_memberships(users: Iterable, today: datetime.date) -> None:
    """Give every recipient the memberships `meetings.rules` asks about, in one query for
    them all, so the permission checks of a whole pass ask the database nothing more."""
    users = [user for user in users if user is not None]
    roles: dict[int, dict[int, set[str]]] = defaultdict(dict)
    rows = (
        Membership.objects.current(today)
        .filter(person__user_id__in={user.pk for user in users})
        .values_list("person__user_id", "municipality_id", "body_id", "role")
    )
    municipality_of = {user.pk: user.municipality_id for user in users}
    for user_id, municipality_id, body_id, role in rows:
        if municipality_id == municipality_of.get(user_id):
            roles[user_id].setdefault(body_id, set()).add(role)
    for user in users:
        meeting_rules.remember_memberships(user, roles.get(user.pk, {}))


# --- The kinds ---------------------------------------------------------------------------------


def follow_ups(today: datetime.date, days: int) -> Collected:
    """Open follow-ups due within `days` days or overdue, to their owner or their unit's
    chiefs."""
    result = Collected()
    rows = list(
        FollowUp.objects.open()
        .filter(due_date__isnull=False, due_date__lte=today + datetime.timedelta(days=days))
        .select_related("body", "owner__user", "owner_unit", "item__meeting")
        .order_by("due_date", "pk")
    )
    chiefs = _chiefs({row.owner_unit_id for row in rows if row.owner_id is None})
    pairs = []
    for row in rows:
        people = [row.owner] if row.owner_id else chiefs.get(row.owner_unit_id, [])
        if not people:
            result.skipped[ReminderKind.FOLLOW_UPS] += 1
        for person in people:
            user = _reachable(person, row.municipality_id)
            if user is None:
                result.skipped[ReminderKind.FOLLOW_UPS] += 1
            else:
                pairs.append((row, person, user))
    prime_memberships((user for _, _, user in pairs), today)
    for row, person, user in pairs:
        visible = has_perm(user, "meetings.see_follow_up", row)
        if visible and has_perm(user, "meetings.edit_follow_up", row):
            url = reverse("meetings:followup_edit", kwargs={"pk": row.pk})
        else:
            url = reverse("meetings:my_followups")
        overdue = row.due_date < today
        what = str(row) if visible else _("a follow-up from %(body)s") % {"body": row.body.name}
        values = {"what": what, "date": _day(row.due_date), "body": row.body.name}
        if overdue:
            key = (
                f"followup-overdue:{row.pk}:{row.due_date}:{user.pk}:"
                f"w{_overdue_week(row.due_date, today)}"
            )
            subject = _("Follow-up overdue since %(date)s: %(what)s") % values
            text = _("The follow-up from %(body)s was due on %(date)s and is not done.") % values
        else:
            key = f"followup-due:{row.pk}:{row.due_date}:{user.pk}"
            subject = _("Follow-up due %(date)s: %(what)s") % values
            text = _("The follow-up from %(body)s is due on %(date)s.") % values
        if person != row.owner:
            text += " " + _("You are reminded as chief of %(unit)s, which follows up.") % {
                "unit": row.owner_unit.name
            }
        if not visible:
            text += " " + _("The mail does not show what it is about: log in to read it.")
        result.reminders.append(
            Reminder(
                ReminderKind.FOLLOW_UPS,
                key,
                user,
                person.name,
                subject,
                text,
                absolute(url),
                detail=row.description if visible else "",
                due=row.due_date,
            )
        )
    return result


def status_reports(today: datetime.date, days: int) -> Collected:
    """Status reports due within `days` days or late (the portfolio's rule), to the project
    leader."""
    result = Collected()
    horizon = today + datetime.timedelta(days=days)
    projects = Project.objects.active().select_related("leader__user").order_by("pk")
    for status in statuses(projects, today):
        project = status.project
        if status.due is None or status.due > horizon:
            continue
        leader = project.leader
        user = _reachable(leader, project.municipality_id)
        if leader is None or user is None:
            result.skipped[ReminderKind.STATUS_REPORTS] += 1
            continue
        values = {"project": project.name, "date": _day(status.due)}
        if status.late:
            key = (
                f"report-late:{project.pk}:{status.due}:{user.pk}:"
                f"w{_overdue_week(status.due, today)}"
            )
            subject = _("Status report late: %(project)s") % values
            text = _("The status report of %(project)s was due on %(date)s.") % values
        else:
            key = f"report-due:{project.pk}:{status.due}:{user.pk}"
            subject = _("Status report due %(date)s: %(project)s") % values
            text = _("The next status report of %(project)s is due on %(date)s.") % values
        url = reverse("portfolio:report_create", kwargs={"pk": project.pk})
        result.reminders.append(
            Reminder(
                ReminderKind.STATUS_REPORTS,
                key,
                user,
                leader.name,
                subject,
                text,
                absolute(url),
                due=status.due,
            )
        )
    return result


def measurements(today: datetime.date, days: int) -> Collected:
    """Benefit measurements due within `days` days or overdue (the benefits' rule), to the
    responsible leader."""
    result = Collected()
    horizon = today + datetime.timedelta(days=days)
    benefits = with_last_measured(
        Benefit.objects.select_related("project", "responsible__user").order_by("pk")
    )
    for benefit in benefits:
        due = benefit.measurement_due(benefit.last_measured)
        if due is None or due > horizon:
            continue
        user = _reachable(benefit.responsible, benefit.municipality_id)
        if user is None:
            result.skipped[ReminderKind.MEASUREMENTS] += 1
            continue
        values = {"benefit": benefit.title, "project": benefit.project.name, "date": _day(due)}
        if FLAG_OVERDUE in flags_of(benefit, due, today):
            key = f"measurement-overdue:{benefit.pk}:{due}:{user.pk}:w{_overdue_week(due, today)}"
            subject = _("Measurement overdue: %(benefit)s") % values
            text = (
                _("The measurement of the benefit %(benefit)s of %(project)s was due on %(date)s.")
                % values
            )
        else:
            key = f"measurement-due:{benefit.pk}:{due}:{user.pk}"
            subject = _("Measurement due %(date)s: %(benefit)s") % values
            text = (
                _(
                    "The next measurement of the benefit %(benefit)s of %(project)s is due on "
                    "%(date)s."
                )
                % values
            )
        url = reverse("benefits:measurement_add", kwargs={"pk": benefit.pk})
        result.reminders.append(
            Reminder(
                ReminderKind.MEASUREMENTS,
                key,
                user,
                benefit.responsible.name,
                subject,
                text,
                absolute(url),
                due=due,
            )
        )
    return result


def _meeting_reminders(
    result: Collected, kind: str, meetings: list[Meeting], roles: Iterable[str], today, build
) -> None:
    seats = _seats({meeting.body_id for meeting in meetings}, roles, today)
    for meeting in meetings:
        reached = 0
        seen = set()
        for seat in seats.get(meeting.body_id, []):
            user = _reachable(seat.person, meeting.municipality_id)
            if user is None or user.pk in seen:
                continue
            seen.add(user.pk)
            reached += 1
            key, subject, text = build(meeting, seat, user)
            url = reverse("meetings:meeting_detail", kwargs={"pk": meeting.pk})
            result.reminders.append(
                Reminder(kind, key, user, seat.person.name, subject, text, absolute(url))
            )
        if not reached:
            result.skipped[kind] += 1


def minutes(today: datetime.date, days: int) -> Collected:
    """Held meetings whose minutes are not approved, to the chair of the body: once when
    the meeting is over, then weekly."""
    result = Collected()
    meetings = list(
        Meeting.objects.filter(
            state__in=[MeetingState.HELD, MeetingState.MINUTES_DRAFT], date__lt=today
        )
        .select_related("body")
        .order_by("date", "pk")
    )

    def build(meeting, seat, user):
        values = {"meeting": meeting.heading}
        return (
            f"minutes:{meeting.pk}:{user.pk}:w{_overdue_week(meeting.date, today)}",
            _("Minutes awaiting your approval: %(meeting)s") % values,
            _("The minutes of %(meeting)s await the chair's approval.") % values,
        )

    _meeting_reminders(result, ReminderKind.MINUTES, meetings, [MembershipRole.CHAIR], today, build)
    return result


def agendas(today: datetime.date, days: int) -> Collected:
    """Meetings within `REMINDER_AGENDA_DAYS` days whose agenda is not approved, to the
    body's secretary and chair, once per meeting date."""
    result = Collected()
    horizon = today + datetime.timedelta(days=max(days, settings.REMINDER_AGENDA_DAYS))
    meetings = list(
        Meeting.objects.filter(
            state__in=[MeetingState.PLANNED, MeetingState.AGENDA_DRAFT],
            date__gte=today,
            date__lte=horizon,
        )
        .select_related("body")
        .order_by("date", "pk")
    )

    def build(meeting, seat, user):
        values = {"meeting": meeting.heading, "date": _day(meeting.date)}
        if seat.role == MembershipRole.CHAIR:
            text = (
                _(
                    "The agenda of %(meeting)s is not approved yet: as chair you approve it "
                    "before it is sent to the members."
                )
                % values
            )
        else:
            text = (
                _(
                    "The agenda of %(meeting)s is not approved yet: gather the material for its "
                    "items and have the chair approve it, so that it can be sent."
                )
                % values
            )
        return (
            f"agenda:{meeting.pk}:{meeting.date}:{user.pk}",
            _("Agenda not approved: %(meeting)s") % values,
            text,
        )

    roles = [MembershipRole.CHAIR, MembershipRole.SECRETARY]
    _meeting_reminders(result, ReminderKind.AGENDAS, meetings, roles, today, build)
    return result


def system_duties(today: datetime.date, days: int) -> Collected:
    """Duties of the IT systems due within `days` days or overdue, to the system owner:
    the duties in three queries, the owners with their logins in one."""
    result = Collected()
    horizon = today + datetime.timedelta(days=days)
    duties = [
        duty
        for duty in open_duties(today)
        if duty.due is not None and duty.due <= horizon and duty.owner_id is not None
    ]
    owners = Person.objects.select_related("user").in_bulk({d.owner_id for d in duties})
    for duty in duties:
        due = duty.due
        if due is None:  # pragma: no cover - left out above; says so to the type checker
            continue
        person = owners.get(duty.owner_id)
        user = _reachable(person, person.municipality_id) if person else None
        if person is None or user is None:
            result.skipped[ReminderKind.SYSTEM_DUTIES] += 1
            continue
        values = {"duty": duty.label, "subject": duty.subject, "date": _day(due)}
        # What it is about, short enough for the key whatever the names and the systems.
        about = f"{duty.subject}:{','.join(map(str, duty.usage_ids))}".encode()
        what = f"{duty.kind}:{hashlib.sha1(about, usedforsecurity=False).hexdigest()[:16]}"
        if duty.state == State.OVERDUE:
            key = f"duty-overdue:{what}:{due}:{user.pk}:w{_overdue_week(due, today)}"
            subject = _("%(duty)s overdue: %(subject)s") % values
            text = _("%(duty)s of %(subject)s was due on %(date)s.") % values
        else:
            key = f"duty-due:{what}:{duty.due}:{user.pk}"
            subject = _("%(duty)s due %(date)s: %(subject)s") % values
            text = _("%(duty)s of %(subject)s is due on %(date)s.") % values
        try:
            url = duty.url
        except NoReverseMatch:  # the register's page of the system is not there (yet)
            url = reverse("home")
        result.reminders.append(
            Reminder(
                ReminderKind.SYSTEM_DUTIES,
                key,
                user,
                person.name,
                subject,
                text,
                absolute(url),
                due=duty.due,
            )
        )
    return result


KINDS = {
    ReminderKind.FOLLOW_UPS: follow_ups,
    ReminderKind.STATUS_REPORTS: status_reports,
    ReminderKind.MEASUREMENTS: measurements,
    ReminderKind.MINUTES: minutes,
    ReminderKind.AGENDAS: agendas,
    ReminderKind.SYSTEM_DUTIES: system_duties,
}


def collect(today: datetime.date, days: int) -> Collected:
    """Every reminder of the installation, due within `days` days or overdue."""
    result = Collected()
    for function in KINDS.values():
        part = function(today, days)
        result.reminders.extend(part.reminders)
        result.skipped.update(part.skipped)
    return result


# --- Choices and mails -------------------------------------------------------------------------


def deliveries(user_ids: Iterable[int]) -> dict[tuple[int, str], str]:
    """{(user id, kind): delivery} of the users' own choices (absent: at once)."""
    return {
        (user_id, kind): delivery
        for user_id, kind, delivery in ReminderSetting.objects.filter(
            user_id__in=set(user_ids)
        ).values_list("user_id", "kind", "delivery")
    }


def _existing(keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found.update(
            OutgoingMail.objects.filter(key__in=keys[start : start + 500]).values_list(
                "key", flat=True
            )
        )
    return found


def _render(template: str, context: dict) -> tuple[str, str]:
    return (
        render_to_string(f"reminders/mail/{template}.txt", context),
        render_to_string(f"reminders/mail/{template}.html", context),
    )


def _context(name: str, **extra) -> dict:
    return {
        "name": name,
        "settings_url": absolute(reverse("reminders:settings")),
        **extra,
    }


def queue_immediate(
    reminders: list[Reminder], choices: dict, municipalities: dict[int, Municipality]
) -> int:
    """Queue one mail per reminder whose recipient wants it at once; returns how many were
    new (the keys queued before are not rendered again)."""
    wanted = [
        r
        for r in reminders
        if choices.get((r.user.pk, r.kind), Delivery.IMMEDIATE) == Delivery.IMMEDIATE
    ]
    sent_before = _existing([r.key for r in wanted])
    count = 0
    for reminder in wanted:
        if reminder.key in sent_before:
            continue
        text, html = _render("reminder", _context(reminder.name, reminder=reminder))
        queued = mail.queue(
            reminder.key,
            to=reminder.user.email,
            subject=reminder.subject,
            text=text,
            html=html,
            kind=f"reminder:{reminder.kind}",
            user=reminder.user,
            municipality=municipalities.get(reminder.user.municipality_id or 0),
        )
        count += queued is not None
    return count


def digest_week(now: datetime.datetime) -> str | None:
    """The ISO week whose digest is due at `now` ("2026-W50"): from Monday 07:00 local
    time; None before that on a Monday."""
    local = timezone.localtime(now)
    year, week, weekday = local.isocalendar()
    if weekday == 1 and local.hour < DIGEST_HOUR:
        return None
    return f"{year}-W{week:02d}"


def queue_digests(now: datetime.datetime, municipalities: dict[int, Municipality]) -> int:
    """On the first pass of the week on or after Monday 07:00: one mail per person who
    chose the weekly digest for some kind, listing those kinds' reminders. Marked done in
    the same transaction, so a pass that fails is tried again by the next one."""
    week = digest_week(now)
    if week is None or DigestWeek.objects.filter(week=week).exists():
        return 0
    today = timezone.localdate(now)
    count = 0
    with transaction.atomic():
        marker, created = DigestWeek.objects.get_or_create(week=week)
        if not created:
            return 0
        weekly = set(
            ReminderSetting.objects.filter(delivery=Delivery.WEEKLY).values_list("user_id", "kind")
        )
        if not weekly:
            return 0
        days = max(settings.REMINDER_DAYS, DIGEST_DAYS)
        per_user: dict[int, list[Reminder]] = defaultdict(list)
        for reminder in collect(today, days).reminders:
            if (reminder.user.pk, reminder.kind) in weekly:
                per_user[reminder.user.pk].append(reminder)
        for user_id, reminders in per_user.items():
            first = reminders[0]
            groups = [
                (label, [r for r in reminders if r.kind == kind])
                for kind, label in ReminderKind.choices
            ]
            context = _context(
                first.name,
                week_number=week.split("-W")[1],
                groups=[(label, items) for label, items in groups if items],
                count=len(reminders),
            )
            text, html = _render("digest", context)
            queued = mail.queue(
                f"digest:{user_id}:{week}",
                to=first.user.email,
                subject=_("Your reminders for week %(week)s") % {"week": week.split("-W")[1]},
                text=text,
                html=html,
                kind="reminder:digest",
                user=first.user,
                municipality=municipalities.get(first.user.municipality_id or 0),
            )
            count += queued is not None
    return count


def run(now: datetime.datetime | None = None) -> dict[str, int]:
    """One pass: queue the reminders due now (at once) and, once a week, the digests. The
    mails are sent by the scheduler right after (`core.mail.send_pending`)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    municipalities = Municipality.objects.in_bulk()
    # Every municipality's rows at once (the scope of all of them: `municipality IN …`), so a
    # kind costs the same queries for 98 municipalities as for one; each row reaches only
    # people of its own municipality (`_reachable`).
    with translation.override("da"), scope(municipality=list(municipalities)):
        collected = collect(today, settings.REMINDER_DAYS)
        choices = deliveries(r.user.pk for r in collected.reminders)
        queued = queue_immediate(collected.reminders, choices, municipalities)
        digests = queue_digests(now, municipalities)
    return {
        "reminders": len(collected.reminders),
        "queued": queued,
        "digests": digests,
        "unreachable": sum(collected.skipped.values()),
    }


def settings_for(user) -> dict[str, str]:
    """{kind: delivery} of the user, every kind (the default where no choice was made)."""
    chosen = dict(ReminderSetting.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, Delivery.IMMEDIATE) for kind in ReminderKind.values}


def save_settings(user, choices: dict[str, str]) -> None:
    """Store the user's choice per kind (one row per kind)."""
    with transaction.atomic():
        for kind, delivery in choices.items():
            ReminderSetting.objects.update_or_create(
                user=user, kind=kind, defaults={"delivery": delivery}
            )
