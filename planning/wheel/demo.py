"""Demo data: the annual wheel (årshjul) of Norddjurs Kommune's digitalisation organisation.

The activities and their cadence come from the seeds; the dates are invented and say so:

- seed 001 (kommissorium): the steering group and the programme group hold four meetings a
  year, the programme group's following the steering group's cadence (here two weeks
  before: the demo year of meetings, `meetings.demo_year`, has the programme group on the
  third Tuesday of February, May, August and November and the steering group on the first
  Tuesday of March, June, September and December, so the wheel of that year merges the real
  meetings in); the programme group plans and hosts the annual internal digitalisation seminar
  ("Internt digitaliseringsseminar – er ikke bundet til Q2", the appendix "Årshjul for den
  tværgående digitaliseringsorganisation") and prepares the annual action plan (indsatsplan)
  for the steering group's approval.
- seed 000 (status memo): two dialogue meetings a year with each chief area (fagchefer and
  sekretariatschefer), attended by Kaare Christensen and Tonny Olsen; the economy
  coordination group works with the budget process.
- seed 003 (strategy): the IT security group assesses the information security policy once
  a year and once a year whether a new risk assessment is needed; Project Board meetings
  about every 14 days.
- The data protection officer's annual report (Kaare Christensen is "teamleder og
  databeskyttelsesrådgiver" in seed 000); its month and recipient are assumed.

Everything invented (the days, the months where the seeds give none, descriptions beyond the
seeds) is marked "(demo)" in the activity's description. The start dates are written for 2024
and move, by years, to the year of the demo meetings (`core.demo_clock`: the last full year).

`load(municipality)` is idempotent: an activity is found by its body and title and saved only
when something differs; the other municipalities get nothing.
"""

import datetime

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_scopes import scopes_disabled

from core.demo_clock import Clock
from core.models import Municipality
from organisation.models import Body, Person
from planning.models import ActivityKind, Frequency, WheelActivity
from planning.wheel import services

D = datetime.date
NORDDJURS = "norddjurs"

STEERING = "Den tværgående digitaliseringsstyregruppe"
PROGRAMME = "Den tværgående digitaliseringsprogramgruppe"
SECURITY_GROUP = "IT-sikkerhedsgruppen"
SECURITY_COMMITTEE = "Informationssikkerhedsudvalget"
ECONOMY = "Tværgående koordineringsgruppe for økonomi"
PROJECT_BOARD = "Project Board"

# The wheel starts with the demo year of meetings (meetings.demo_year), written for 2024.
START = D(2024, 1, 1)

TU, WE, TH = 1, 2, 3

# The chief areas of the demo organisation (organisation.demo) the dialogue meetings are
# with; Borgerservice, IT og Digitalisering is Tonny Olsen's own area and has none. Each gets
# a weekday and a week in April and October (demo).
DIALOGUE_AREAS = [
    ("Sundhed og Omsorg", WE, 1),
    ("Skole og Dagtilbud", TH, 1),
    ("Børn og Familie", WE, 2),
    ("Arbejdsmarked", TH, 2),
    ("Kultur og Udvikling", WE, 3),
    ("Økonomi", TH, 3),
    ("Vej og Ejendom", WE, 4),
]
DIALOGUE_TEXT = (
    "To årlige dialogmøder med hvert chefområde (både fagchefer og sekretariatschefer), hvor "
    "Kaare Christensen og Tonny Olsen deltager. Møderne i april og oktober og ugedagen er "
    "opfundet til demoen (demo)."
)


def _activities() -> list[dict]:
    """The wheel: (body name or None, title) is the natural key."""
    activities = [
        {
            "body": STEERING,
            "title": "Møde i styregruppen",
            "kind": ActivityKind.MEETING,
            "responsible": "Tonny Olsen",
            "description": "Styregruppen holder fire årlige møder (kommissoriet). Mødedagen, "
            "første tirsdag i marts, juni, september og december, er opfundet "
            "til demoen (demo).",
            "frequency": Frequency.NTH_WEEKDAY,
            "interval": 3,
            "weekday": TU,
            "week_of_month": 1,
            "starts_on": D(2024, 3, 1),
        },
        {
            "body": PROGRAMME,
            "title": "Møde i programgruppen",
            "kind": ActivityKind.MEETING,
            "description": "Programgruppen holder fire årlige møder, der følger styregruppens "
            "mødekadence (kommissoriet); her to uger før styregruppens møde, "
            "tredje tirsdag i februar, maj, august og november (demo).",
            "frequency": Frequency.NTH_WEEKDAY,
            "interval": 3,
            "weekday": TU,
            "week_of_month": 3,
            "starts_on": D(2024, 2, 1),
        },
        {
            "body": PROGRAMME,
            "title": "Internt digitaliseringsseminar",
            "kind": ActivityKind.SEMINAR,
            "description": "Programgruppen planlægger, koordinerer og er vært på et årligt "
            "digitaliseringsseminar (kommissoriet). Seminaret er ikke bundet til "
            "2. kvartal; maj er valgt til demoen (demo).",
            "frequency": Frequency.YEARLY,
            "month": 5,
            "day": None,
            "starts_on": START,
        },
        {
            "body": PROGRAMME,
            "title": "Indsatsplan: udarbejdelse og forslag til prioritering",
            "kind": ActivityKind.DEADLINE,
            "description": "Programgruppen udarbejder en årlig indsatsplan med forslag til "
            "prioritering af de tværgående projekter og aktiviteter "
            "(kommissoriet). Arbejdet i oktober, før programgruppens møde i "
            "november, er demo (demo).",
            "frequency": Frequency.YEARLY,
            "month": 10,
            "day": None,
            "starts_on": START,
        },
        {
            "body": STEERING,
            "title": "Indsatsplan: godkendelse",
            "kind": ActivityKind.DECISION,
            "responsible": "Tonny Olsen",
            "description": "Styregruppen godkender programgruppens årlige indsatsplan "
            "(kommissoriet), på mødet i december (demo).",
            "frequency": Frequency.NTH_WEEKDAY,
            "interval": 12,
            "weekday": TU,
            "week_of_month": 1,
            "starts_on": D(2024, 12, 1),
        },
        {
            "body": SECURITY_GROUP,
            "title": "Vurdering af informationssikkerhedspolitikken",
            "kind": ActivityKind.REVIEW,
            "responsible": "Nirojan Kathirgamarajah",
            "description": "IT-sikkerhedsgruppen foretager én gang om året en vurdering af "
            "informationssikkerhedspolitikken, herunder regler og procedurer, "
            "så de lever op til lovgivningen (digitaliseringsstrategien). Marts "
            "er valgt til demoen (demo).",
            "frequency": Frequency.YEARLY,
            "month": 3,
            "day": None,
            "starts_on": START,
        },
        {
            "body": SECURITY_GROUP,
            "title": "Vurdering af behovet for fornyet risikovurdering/konsekvensanalyse",
            "kind": ActivityKind.REVIEW,
            "responsible": "Nirojan Kathirgamarajah",
            "description": "IT-sikkerhedsgruppen vurderer én gang årligt, om der er behov for "
            "fornyet risikovurdering/konsekvensanalyse (digitaliseringsstrategien)"
            ". September er valgt til demoen (demo).",
            "frequency": Frequency.YEARLY,
            "month": 9,
            "day": None,
            "starts_on": START,
        },
        {
            "body": SECURITY_COMMITTEE,
            "title": "Databeskyttelsesrådgiverens årsrapport",
            "kind": ActivityKind.REPORT,
            "responsible": "Kaare Christensen",
            "description": "Databeskyttelsesrådgiverens årlige rapport. Fristen 1. marts og "
            "at den forelægges Informationssikkerhedsudvalget er antaget til "
            "demoen (demo).",
            "frequency": Frequency.YEARLY,
            "month": 3,
            "day": 1,
            "starts_on": START,
        },
        {
            "body": ECONOMY,
            "title": "Budgetprocessen",
            "kind": ActivityKind.BUDGET,
            "responsible": "Bettina Andersen",
            "description": "Koordineringsgruppen for økonomi koordinerer på tværs i forbindelse "
            "med budgetproces og budgetopfølgning (statusnotatet). "
            "Digitaliseringsbehov meldes ind til budgettet i maj (demo).",
            "frequency": Frequency.YEARLY,
            "month": 5,
            "day": None,
            "starts_on": START,
        },
        {
            "body": None,
            "title": "Budgetvedtagelse: digitaliseringsbudgettet for næste år",
            "kind": ActivityKind.BUDGET,
            "description": "Kommunalbestyrelsen vedtager budgettet i oktober; styregruppen kan "
            "afsætte midler fra digitaliseringsbudgettet (digitaliserings"
            "strategien). Måneden er demo (demo).",
            "frequency": Frequency.YEARLY,
            "month": 10,
            "day": None,
            "starts_on": START,
        },
        {
            "body": PROJECT_BOARD,
            "title": "Project Board-møde",
            "kind": ActivityKind.MEETING,
            "description": "Projektlederne for de tværgående projekter fremlægger status ca. "
            "hver 14. dag i IT- og digitaliseringsafdelingen "
            "(digitaliseringsstrategien). Tirsdag i ulige uger er demo (demo).",
            "frequency": Frequency.WEEKLY,
            "interval": 2,
            "weekday": TU,
            "starts_on": D(2024, 1, 2),
        },
    ]
    for area, weekday, week in DIALOGUE_AREAS:
        activities.append(
            {
                "body": STEERING,
                "title": f"Dialogmøde med {area}",
                "kind": ActivityKind.DIALOGUE,
                "responsible": "Tonny Olsen",
                "description": DIALOGUE_TEXT,
                "frequency": Frequency.NTH_WEEKDAY,
                "interval": 6,
                "weekday": weekday,
                "week_of_month": week,
                "starts_on": D(2024, 4, 1),
            }
        )
    return activities


FIELDS = (
    "kind",
    "description",
    "responsible",
    "frequency",
    "interval",
    "month",
    "day",
    "weekday",
    "week_of_month",
    "starts_on",
    "ends_on",
    "active",
)


def _values(spec: dict, people: dict, clock: Clock) -> dict:
    name = spec.get("responsible")
    if name and name not in people:
        raise ImproperlyConfigured(
            f"The person “{name}” is missing: load the organisation demo first."
        )
    return {
        "kind": spec["kind"],
        "description": spec["description"],
        "responsible": people[name] if name else None,
        "frequency": spec["frequency"],
        "interval": spec.get("interval", 1),
        "month": spec.get("month"),
        "day": spec.get("day"),
        "weekday": spec.get("weekday"),
        "week_of_month": spec.get("week_of_month"),
        # by years, not weeks: the activities start on a day of the calendar
        "starts_on": spec["starts_on"].replace(year=clock.year(spec["starts_on"].year)),
        "ends_on": None,
        "active": True,
    }


def _load(municipality: Municipality) -> dict[str, int]:
    tally = {"created": 0, "updated": 0}
    specs = _activities()
    names = {s["body"] for s in specs if s["body"]}
    bodies = {b.name: b for b in Body.objects.filter(municipality=municipality, name__in=names)}
    missing = names - bodies.keys()
    if missing:
        raise ImproperlyConfigured(
            f"The bodies {sorted(missing)} are missing: load the organisation demo first."
        )
    people = {p.name: p for p in Person.objects.filter(municipality=municipality)}
    clock = Clock()
    existing = {
        (a.body_id, a.title): a for a in WheelActivity.objects.filter(municipality=municipality)
    }
    for spec in specs:
        body = bodies[spec["body"]] if spec["body"] else None
        values = _values(spec, people, clock)
        activity = existing.get((body.pk if body else None, spec["title"]))
        if activity is None:
            activity = WheelActivity(municipality=municipality, body=body, title=spec["title"])
            changed, key = True, "created"
        else:
            changed, key = False, "updated"
            for name in FIELDS:
                current = getattr(activity, f"{name}_id" if name == "responsible" else name)
                new = values[name].pk if name == "responsible" and values[name] else values[name]
                if current != new:
                    changed = True
        if not changed:
            continue
        for name, value in values.items():
            setattr(activity, name, value)
        activity.full_clean()
        services.check(activity)
        activity.save()
        tally[key] += 1
    return tally


def load(municipality: Municipality, stdout=None) -> dict[str, int]:
    """Load the demo wheel of `municipality` (Norddjurs only). Safe to run any number of times:
    returns the activities created and updated, both 0 when everything was there already."""
    if municipality.slug != NORDDJURS:
        return {}
    with transaction.atomic(), scopes_disabled():
        tally = _load(municipality)
    if stdout is not None:
        if tally["created"] or tally["updated"]:
            stdout.write(
                f"Årshjul i {municipality.name}: oprettet {tally['created']} aktiviteter, "
                f"opdateret {tally['updated']}\n"
            )
        else:
            stdout.write(f"Årshjul i {municipality.name}: allerede indlæst; intet ændret.\n")
    return tally
