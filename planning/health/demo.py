"""Demo data: this year's meetings, so that governance health, the front page and the annual
wheel have something to show today.

The meetings demo (`meetings.demo_year`) holds last year, when this year's action plan was
recommended and approved. This module adds, relative to today (`timezone.localdate()`), the
current year's meetings of Norddjurs Kommune's:

- steering group ("Den tværgående digitaliseringsstyregruppe"): four a year in March, June,
  September and December, as seed 001 says, except that the June meeting is missing, so the
  cadence check of the health page has a finding;
- programme group: four a year, one to two weeks before each steering group meeting (seed 001:
  it prepares the steering group's meetings);
- Project Board: every 14 days (seed 003).

Meetings before today are held and their minutes approved, through the state machine of
`meetings.services` (the chair, or the administrator where the seeds name no chair, approves
the agenda and the minutes; the secretary records the meeting): a short opening item and one
decision each. Meetings from today on are planned. A few open follow-ups are owned by the
people of the demo logins (tonny, sekretaer, projektleder); one of them is overdue.

Everything here is invented for the demo and says "(demo)". `load(municipality)` is
idempotent: a meeting is found by its body and date, a follow-up by its body and text, and
left alone when it exists (also when a demo user has changed it since).
"""

import datetime

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from core.models import Municipality, User
from meetings import services
from meetings.demo_year import DSG_PLACE, NORDDJURS, PG_PLACE
from meetings.models import (
    AgendaItem,
    FollowUp,
    ItemKind,
    Meeting,
    MeetingState,
    MinutesVersion,
    Outcome,
)
from organisation.models import Body, Person

DSG, PG, PB = "dsg", "pg", "pb"
BODIES = {
    DSG: "Den tværgående digitaliseringsstyregruppe",
    PG: "Den tværgående digitaliseringsprogramgruppe",
    PB: "Project Board",
}
PB_PLACE = "Borgerservice, IT og Digitalisering – mødelokale 2 (demo)"
# Who approves agendas and minutes (the chair; the administrator where the seeds name none)
# and who records the meeting (a secretary who is a member of the body, else the
# administrator).
APPROVER = {DSG: "tonny", PG: "admin", PB: "admin"}
RECORDER = {DSG: "sekretaer", PG: "sekretaer", PB: "admin"}

# The steering group meets in these months; the quarter left out is the missing meeting.
DSG_MONTHS = (3, 6, 9, 12)
MISSING_QUARTER = 2
# The programme group meets this many days before the steering group, quarter by quarter.
PG_DAYS_BEFORE = (14, 7, 14, 7)

TUESDAY, THURSDAY = 1, 3

DSG_TOPICS = (
    (
        "Årets indsatser – igangsætning (demo)",
        "Styregruppen satte årets indsatser i gang og bad programgruppen følge op på projekterne "
        "med forsinkede statusrapporter (demo).",
    ),
    (
        "Digitale kompetencer – fælles læringsforløb (demo)",
        "Styregruppen godkendte forløbet for ledere og superbrugere (demo).",
    ),
    (
        "Gevinstrealisering – halvårlig opfølgning (demo)",
        "Styregruppen godkendte opfølgningen og bad om en samlet status til Direktionen (demo).",
    ),
    (
        "Indsatsplan {next_year} – godkendelse (demo)",
        "Styregruppen godkendte Indsatsplan {next_year} (demo).",
    ),
)
PG_TOPICS = (
    (
        "Årets indsatser – fordeling af opgaver (demo)",
        "Programgruppen fordelte årets indsatser mellem fagområderne og aftalte kvartalsvis "
        "opfølgning (demo).",
    ),
    (
        "Kompetenceudvikling – forslag til læringsforløb (demo)",
        "Programgruppen sender forslaget til styregruppen (demo).",
    ),
    (
        "Gevinstrealisering – opfølgning fra projekterne (demo)",
        "Programgruppen samler opfølgningen til styregruppen (demo).",
    ),
    (
        "Indsatsplan {next_year} – anbefaling til styregruppen (demo)",
        "Programgruppen anbefaler Indsatsplan {next_year} over for styregruppen (demo).",
    ),
)
PB_TOPIC = (
    "Status fra projektlederne (demo)",
    "Projektlederne fremlagde status. Ingen projekter eskaleres til programgruppen (demo).",
)


def _on_or_after(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def meeting_plan(year: int) -> list[tuple[str, datetime.date, datetime.time, str, int]]:
    """(body key, date, start, title, topic number) of the year's demo meetings."""
    plan = []
    for quarter, month in enumerate(DSG_MONTHS, start=1):
        steering = _on_or_after(datetime.date(year, month, 8), TUESDAY)
        if quarter != MISSING_QUARTER:
            plan.append(
                (
                    DSG,
                    steering,
                    datetime.time(13, 0),
                    f"Styregruppemøde {quarter}/{year} (demo)",
                    quarter - 1,
                )
            )
        programme = steering - datetime.timedelta(days=PG_DAYS_BEFORE[quarter - 1])
        plan.append(
            (
                PG,
                programme,
                datetime.time(9, 0),
                f"Programgruppemøde {quarter}/{year} (demo)",
                quarter - 1,
            )
        )
    board = _on_or_after(datetime.date(year, 1, 6), THURSDAY)
    number = 1
    while board.year == year:
        plan.append(
            (PB, board, datetime.time(10, 0), f"Project Board-møde {number}/{year} (demo)", 0)
        )
        board += datetime.timedelta(days=14)
        number += 1
    return sorted(plan, key=lambda p: (p[1], p[2]))


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


class _Loader:
    def __init__(self, municipality: Municipality, today: datetime.date):
        self.municipality = municipality
        self.today = today
        self.created: dict[str, int] = {}
        self.bodies = {}
        for key, name in BODIES.items():
            body = Body.objects.filter(municipality=municipality, name=name).first()
            if body is None:
                raise ImproperlyConfigured(
                    f"The body “{name}” is missing: load the organisation demo first."
                )
            self.bodies[key] = body
        self.users = {}
        for username in {*APPROVER.values(), *RECORDER.values()}:
            user = User.objects.filter(username=username, municipality=municipality).first()
            if user is None:
                raise ImproperlyConfigured(
                    f"The login “{username}” is missing: load the organisation demo first."
                )
            self.users[username] = user
        # The decision item of the latest held meeting per body (for the follow-ups).
        self.decided: dict[str, AgendaItem] = {}

    def count(self, label: str, n: int = 1) -> None:
        self.created[label] = self.created.get(label, 0) + n

    def load(self) -> dict[str, int]:
        for key, date, start, title, topic in meeting_plan(self.today.year):
            self.meeting(key, date, start, title, topic)
        self.follow_ups()
        return self.created

    def meeting(self, key: str, date, start, title: str, topic: int) -> None:
        body = self.bodies[key]
        existing = Meeting.objects.filter(body=body, date=date).first()
        if existing is not None:
            if existing.state == MeetingState.MINUTES_APPROVED:
                item = existing.items.filter(kind=ItemKind.DECISION).order_by("position").first()
                if item is not None:
                    self.decided[key] = item
            return
        place = {DSG: DSG_PLACE, PG: PG_PLACE, PB: PB_PLACE}[key]
        meeting = Meeting(
            municipality=self.municipality,
            body=body,
            date=date,
            start=start,
            title=title,
            place=place,
            state=MeetingState.PLANNED,
        )
        meeting.full_clean()
        meeting.save()
        self.count("møder")
        if date >= self.today:
            return  # planned: the agenda is built nearer the date
        self.hold(key, meeting, topic)

    def hold(self, key: str, meeting: Meeting, topic: int) -> None:
        """Build the agenda, approve and send it, hold the meeting, record the decisions and
        approve the minutes, as the secretary and the chair would."""
        title, decision = {DSG: DSG_TOPICS, PG: PG_TOPICS}.get(key, (PB_TOPIC,))[topic]
        years = {"year": meeting.date.year, "next_year": meeting.date.year + 1}
        title, decision = title.format(**years), decision.format(**years)
        opening = services.add_item(
            meeting,
            AgendaItem(
                title="Godkendelse af dagsorden (demo)",
                kind=ItemKind.INFORMATION,
                duration=5,
                case_text="Dagsordenen godkendes (demo).",
            ),
        )
        decided = services.add_item(
            meeting,
            AgendaItem(
                title=title,
                kind=ItemKind.DECISION,
                duration=30,
                case_text="Sagsfremstilling til mødet (demo).",
                recommendation="Det indstilles, at forslaget godkendes (demo).",
            ),
        )
        self.count("dagsordenspunkter", 2)
        approver = self.users[APPROVER[key]]
        meeting = services.approve_agenda(meeting, approver)
        # Sent a week before the meeting. (services.send_agenda e-mails the members; the demo
        # people have no e-mail addresses, so the state is set as the service would set it.)
        meeting.agenda_approved_at = _at(meeting.date - datetime.timedelta(days=8), 10)
        meeting.state = MeetingState.AGENDA_SENT
        meeting.agenda_sent_at = _at(meeting.date - datetime.timedelta(days=7), 12)
        meeting.save()
        meeting = services.mark_held(meeting, self.users[RECORDER[key]])
        for item, text in ((opening, "Dagsordenen blev godkendt (demo)."), (decided, decision)):
            item.refresh_from_db()
            item.decision = text
            item.outcome = Outcome.TREATED
            services.update_item(item, item.revision)
        services.approve_minutes(meeting, approver)
        approved_at = _at(min(meeting.date + datetime.timedelta(days=7), self.today), 14)
        meeting.refresh_from_db()
        meeting.minutes_approved_at = approved_at
        meeting.save(update_fields=["minutes_approved_at"])
        MinutesVersion.objects.filter(meeting=meeting).update(approved_at=approved_at)
        decided.refresh_from_db()
        self.decided[key] = decided

    def follow_ups(self) -> None:
        today = self.today
        people = {
            p.user.username: p
            for p in Person.objects.filter(
                municipality=self.municipality,
                user__username__in=["tonny", "sekretaer", "projektleder"],
            ).select_related("user")
        }
        specs = [
            (
                DSG,
                "tonny",
                "Indhente tilbagemelding fra fagområderne på porteføljestatus (demo).",
                today - datetime.timedelta(days=10),
            ),
            (
                PG,
                "sekretaer",
                f"Forberede udkast til indsatsplan {today.year + 1} til programgruppen (demo).",
                today + datetime.timedelta(days=30),
            ),
            (
                PB,
                "projektleder",
                "Opdatere projektplanen efter Project Board-mødet og sende den rundt (demo).",
                today + datetime.timedelta(days=14),
            ),
        ]
        for key, username, description, due in specs:
            body = self.bodies[key]
            person = people.get(username)
            if person is None:
                raise ImproperlyConfigured(f"The login “{username}” has no person in the demo.")
            if FollowUp.objects.filter(body=body, description=description).exists():
                continue
            follow_up = FollowUp(
                municipality=self.municipality,
                body=body,
                item=self.decided.get(key),
                description=description,
                owner=person,
                due_date=due,
                note="Opfølgning fra demodata (demo)",
            )
            follow_up.full_clean()
            follow_up.save()
            self.count("opfølgninger")


def load(municipality: Municipality, stdout=None) -> dict[str, int]:
    """Load this year's demo meetings and follow-ups of `municipality` (Norddjurs only).

    Needs the organisation demo (`organisation.demo.load`). Safe to run any number of times:
    returns the rows created per kind, empty when everything was there already."""
    if municipality.slug != NORDDJURS:
        return {}
    with transaction.atomic(), scopes_disabled():
        created = _Loader(municipality, timezone.localdate()).load()
    if stdout is not None:
        if created:
            parts = ", ".join(f"{count} {label}" for label, count in created.items())
            stdout.write(f"Årets møder i {municipality.name}: oprettet {parts}\n")
        else:
            stdout.write(f"Årets møder i {municipality.name}: allerede indlæst; intet ændret.\n")
    return created
