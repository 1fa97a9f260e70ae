"""The benchmark's dataset: all 98 municipalities, each with a realistic organisation.

At scale 1.0 every municipality gets about 60 org units in a three-level tree, 600 people,
40 bodies (some closed; a handful cross-cutting, as in the seed memo: the steering group, the
security committee, the economy group, IOD and some ad hoc groups), 1,500 memberships (40 %
current, the rest ended), a mandate with 4–6 composition rules for most bodies, status entries,
the history records a real installation would have, and one login per role. Every body has
about three years of meetings (400 per municipality at scale 1.0, by the body's cadence) with
about 8 timed agenda items each (some closed, some not treated and carried over), Danish case
texts, recommendations and decisions for the full-text search, cases travelling along routes of
bodies, follow-ups (some overdue), attendance and approved minutes; the steering group's latest
approved meeting has 20 items (60 in the large municipality), every other one with an attachment
(since version 7; about one item in five elsewhere has one or two). Since version 4 every
municipality also has a project portfolio: 408 projects at scale 1.0 (about 40,000 in the
country) in every phase and category, governed by the Project Board and the project groups
(every 14 days) or the programme group and others (quarterly, some monthly), with gates (some
pointing at meeting decisions), milestones, budget years, about 150,000 status reports in the
country (some late, overridden or needing a decision, which opens a case), about three risks
per project (a few escalated to the steering group, a few of the portfolio as a whole) and
about one benefit per project with plans per year and measurements (some without a
responsible leader or a target, some overdue, measured after the project closed). København is
generated with five times the rows of the others, so every page can be measured on a small
and on a large municipality. Since version 8 every municipality also has an IT system
register (issue 18): 1,000 system usages at scale 1.0, København no more (≈1,000 in the
largest municipality, ≈100,000 in the country), with systems, suppliers, contracts,
data-processing agreements, supervisions, assessments, KLE codes, links to projects and
breaches in proportion, and every flag of the register (overdue, due soon, missing).
Everything is written with bulk_create, one transaction per municipality, from a fixed random
seed: the same scale gives the same data.
"""

import copy
import datetime
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import slugify
from django_scopes import scopes_disabled

from benefits.models import Benefit, BenefitMeasurement, BenefitPlan, BenefitType, add_months
from core.models import Municipality, Role, User
from meetings.models import (
    AgendaItem,
    Attachment,
    Attendance,
    AttendanceStatus,
    Case,
    CaseStep,
    FollowUp,
    FollowUpStatus,
    ItemKind,
    Meeting,
    MeetingState,
    MinutesVersion,
    Outcome,
)
from organisation.models import (
    Body,
    BodyKind,
    BodyStatus,
    CompositionRule,
    Mandate,
    Membership,
    MembershipRole,
    OrgUnit,
    OrgUnitKind,
    Person,
)
from portfolio.models import (
    COLOUR_FIELDS,
    PHASE_ORDER,
    BudgetYear,
    Category,
    Colour,
    Milestone,
    Phase,
    PhaseChange,
    Project,
    ReportCycle,
    Risk,
    RiskStatus,
    StatusReport,
)
from search import services as search_services

GENERATOR_VERSION = "8"
SEED = 2021_08_01
LARGE_FACTOR = 5
LARGE = "København"  # generated with LARGE_FACTOR times the rows of the others
MEASURED = "Norddjurs"  # the typical municipality the timings are taken in
PASSWORD = "bench-password-1234"
META_TABLE = "bench_meta"

MUNICIPALITIES = [
    "Albertslund", "Allerød", "Assens", "Ballerup", "Billund", "Bornholm", "Brøndby",
    "Brønderslev", "Dragør", "Egedal", "Esbjerg", "Fanø", "Favrskov", "Faxe", "Fredensborg",
    "Fredericia", "Frederiksberg", "Frederikshavn", "Frederikssund", "Furesø",
    "Faaborg-Midtfyn", "Gentofte", "Gladsaxe", "Glostrup", "Greve", "Gribskov", "Guldborgsund",
    "Haderslev", "Halsnæs", "Hedensted", "Helsingør", "Herlev", "Herning", "Hillerød",
    "Hjørring", "Holbæk", "Holstebro", "Horsens", "Hvidovre", "Høje-Taastrup", "Hørsholm",
    "Ikast-Brande", "Ishøj", "Jammerbugt", "Kalundborg", "Kerteminde", "Kolding", "København",
    "Køge", "Langeland", "Lejre", "Lemvig", "Lolland", "Lyngby-Taarbæk", "Læsø",
    "Mariagerfjord", "Middelfart", "Morsø", "Norddjurs", "Nordfyns", "Nyborg", "Næstved",
    "Odder", "Odense", "Odsherred", "Randers", "Rebild", "Ringkøbing-Skjern", "Ringsted",
    "Roskilde", "Rudersdal", "Rødovre", "Samsø", "Silkeborg", "Skanderborg", "Skive",
    "Slagelse", "Solrød", "Sorø", "Stevns", "Struer", "Svendborg", "Syddjurs", "Sønderborg",
    "Thisted", "Tønder", "Tårnby", "Vallensbæk", "Varde", "Vejen", "Vejle", "Vesthimmerlands",
    "Viborg", "Vordingborg", "Ærø", "Aabenraa", "Aalborg", "Aarhus",
]  # fmt: skip

FORVALTNINGER = [
    "Velfærd", "Børn og Unge", "Teknik og Miljø", "Økonomi og Personale",
    "Kultur, Fritid og Borgerservice", "Sundhed og Omsorg", "Job og Arbejdsmarked",
    "Plan og Udvikling",
]  # fmt: skip
DIGITAL_UNIT = "Borgerservice, IT og Digitalisering"
FAGOMRAADER = [
    "Ældre", "Handicap og Psykiatri", "Skole", "Dagtilbud", "Familie", "Vej og Park",
    "Byggeri og Plan", "Natur og Miljø", "Økonomi", "HR og Løn", "Jobcenter", "Ydelse",
    "Sundhed og Forebyggelse", "Kultur og Fritid", "Ejendomme", "Indkøb", "Sekretariat",
    "Beredskab", "Erhverv", "Forsyning",
]  # fmt: skip
AFDELING_SUFFIXES = [
    "Nord",
    "Syd",
    "Øst",
    "Vest",
    "Myndighed",
    "Drift",
    "Udvikling",
    "Administration",
]
FIRST_NAMES = [
    "Anne", "Mette", "Hanne", "Susanne", "Lene", "Marianne", "Camilla", "Louise", "Charlotte",
    "Pia", "Helle", "Tina", "Maria", "Karen", "Lars", "Jens", "Peter", "Michael", "Henrik",
    "Søren", "Thomas", "Jesper", "Martin", "Niels", "Rasmus", "Anders", "Morten", "Christian",
    "Jakob", "Kasper", "Mads", "Bo", "Birgitte", "Dorthe", "Rikke", "Signe", "Ida", "Emil",
]  # fmt: skip
LAST_NAMES = [
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen",
    "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen",
    "Lauridsen", "Bech", "Holm", "Kjær", "Dahl", "Lund", "Frandsen", "Skov",
]  # fmt: skip
STAFF_TITLES = [
    "Konsulent", "Specialkonsulent", "Digitaliseringskonsulent", "Projektleder",
    "Sagsbehandler", "Teamleder", "Udviklingskonsulent", "IT-sikkerhedskoordinator",
    "Databeskyttelsesrådgiver", "Økonom", "Systemejer", "Forretningspartner",
]  # fmt: skip
PROJECTS = [
    "Fælles Sprog III", "Digital post", "Ny ESDH-løsning", "Robotter i borgerservice",
    "Velfærdsteknologi i hjemmeplejen", "Ny økonomiløsning", "Aula", "Min Læring",
    "Digital affaldsplanlægning", "Sikker mail", "Selvbetjening på byggesager",
    "Rammearkitektur", "Identitetsstyring", "Dataplatform", "Bedre borgerrejser",
]  # fmt: skip
TOPICS = [
    "GDPR-implementering", "Kunstig intelligens", "Brugerinddragelse", "Kontraktstyring",
    "Hjemmearbejde", "Informationssikkerhedspolitik", "Datadrevet ledelse", "Tilgængelighed",
]  # fmt: skip
CADENCES = [
    ("4 gange årligt (kvartalsvis)", 4), ("Hver 14. dag", 24), ("Månedligt", 11),
    ("6 gange årligt", 6), ("2 gange årligt", 2), ("Efter behov", None),
]  # fmt: skip
STATUS_TEXTS = [
    "Gruppen har drøftet udkast til den kommende indsatsplan og peget på tre prioriterede "
    "projekter.",
    "Arbejdet med ny løsning er i gang; leverandøren har leveret første version til test.",
    "Gruppen har afholdt temamøde om informationssikkerhed med oplæg fra den eksterne revision.",
    "Status på projektporteføljen blev gennemgået; to projekter er forsinkede.",
    "Gruppen har evalueret sit kommissorium og anbefaler styregruppen at justere mødefrekvensen.",
    "Gevinstrealiseringen for sidste års projekter er opgjort og forelagt direktionen.",
]

# name, short name, kind, index of the parent body, cross-cutting, cadence index
CORE_BODIES = [
    ("Direktionen", "DIR", BodyKind.EXECUTIVE_BOARD, None, False, 1),
    ("Chefforum", "CF", BodyKind.MANAGEMENT_FORUM, 0, False, 2),
    ("Digitaliseringsstyregruppen", "DSG", BodyKind.STEERING_GROUP, 0, True, 0),
    ("Digitaliseringsprogramgruppen", "DPG", BodyKind.PROGRAMME_GROUP, 2, False, 0),
    ("Project Board", "PB", BodyKind.PROJECT_BOARD, 3, False, 1),
    ("IT-sikkerhedsgruppen", "ITS", BodyKind.SECURITY_GROUP, 2, False, 3),
    ("Informationssikkerhedsudvalget", "ISU", BodyKind.COMMITTEE, 0, True, 4),
    ("IOD – innovation og digitalisering", "IOD", BodyKind.INNOVATION_GROUP, 3, True, 2),
    ("Økonomikoordineringsgruppen", "ØKG", BodyKind.COORDINATION_GROUP, 0, True, 2),
]
FLAGSHIP = 1  # Chefforum: the body with the most members; in København it grows with the rows


@dataclass(frozen=True)
class Size:
    units: int
    people: int
    bodies: int
    memberships: int
    meetings: int = 400
    projects: int = 408
    systems: int = 1000  # system usages: as many in the large municipality (issue 18)


BASE = Size(units=60, people=600, bodies=40, memberships=1500, meetings=400, projects=408)
MINIMUM = Size(
    units=7,
    people=20,
    bodies=len(CORE_BODIES),
    memberships=40,
    meetings=40,
    projects=12,
    systems=20,
)
FIELDS = ("units", "people", "bodies", "memberships", "meetings", "projects", "systems")
# Rows the large municipality has no more of: issue 18 asks for ≈1,000 system usages in the
# largest municipality and ≈100,000 in the country, so every municipality gets about as many.
UNFACTORED = ("systems",)


def size_for(scale: float, factor: int = 1) -> Size:
    """Rows of one municipality at `scale`; `factor` multiplies them for the large one
    (all but the system usages)."""

    def one(name: str) -> int:
        rows = max(getattr(MINIMUM, name), round(getattr(BASE, name) * scale))
        return rows if name in UNFACTORED else rows * factor

    return Size(*(one(name) for name in FIELDS))


def municipality_names(scale: float) -> list[str]:
    """The large and the measured municipality first, then as many others as the scale asks."""
    count = min(len(MUNICIPALITIES), max(2, round(len(MUNICIPALITIES) * scale)))
    rest = [name for name in MUNICIPALITIES if name not in (LARGE, MEASURED)]
    return [LARGE, MEASURED, *rest[: count - 2]]


def municipality_slug(name: str) -> str:
    for old, new in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("Æ", "Ae"), ("Ø", "Oe"), ("Å", "Aa")):
        name = name.replace(old, new)
    return slugify(name)


def username(municipality_name: str, role: str) -> str:
    return f"{municipality_slug(municipality_name)}-{role}"


# --- the marker that says a database holds a complete dataset ---------------------------


def read_meta() -> dict[str, str] | None:
    with connection.cursor() as cursor:
        if META_TABLE not in connection.introspection.table_names(cursor):
            return None
        cursor.execute(f"SELECT name, value FROM {META_TABLE}")
        return dict(cursor.fetchall())


def write_meta(values: dict[str, str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {META_TABLE} (name VARCHAR(100) PRIMARY KEY, value TEXT)"
        )
        cursor.execute(f"DELETE FROM {META_TABLE}")
        for name, value in values.items():
            cursor.execute(
                f"INSERT INTO {META_TABLE} (name, value) VALUES (%s, %s)", [name, str(value)]
            )


def clear_meta() -> None:
    with connection.cursor() as cursor:
        if META_TABLE in connection.introspection.table_names(cursor):
            cursor.execute(f"DELETE FROM {META_TABLE}")


# --- generation -------------------------------------------------------------------------


class _Dates:
    def __init__(self, rng: random.Random, today: datetime.date):
        self.rng = rng
        self.today = today

    def between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        if last <= first:
            return first
        return first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))

    def ago(self, low_days: int, high_days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=self.rng.randint(low_days, high_days))

    def moment(self, day: datetime.date) -> datetime.datetime:
        day = min(day, self.today)
        at = datetime.datetime.combine(day, datetime.time(8)) + datetime.timedelta(
            minutes=self.rng.randint(0, 9 * 60)
        )
        return min(timezone.make_aware(at), timezone.now())


def _numbered(names: list[str], index: int) -> str:
    name = names[index % len(names)]
    return name if index < len(names) else f"{name} {index // len(names) + 1}"


def _history(model, objs: list, dates: Callable, user=None, update: bool = False) -> int:
    for obj in objs:
        obj._history_date = dates(obj)
        if user is not None:
            obj._history_user = user
    model.history.bulk_history_create(objs, batch_size=1000, update=update)
    return len(objs)


def _build(municipality: Municipality, size: Size, factor: int, rng, today, users) -> dict:
    """One municipality's organisation. Returns the rows written per model."""
    dates = _Dates(rng, today)
    m_id = municipality.pk
    counts: dict[str, int] = {}
    history_rows = 0
    onboarded = dates.between(datetime.date(2019, 1, 1), datetime.date(2020, 12, 31))

    # Units: forvaltning → chefområde/fagområde → afdeling.
    n1 = max(2, round(size.units * 0.1))
    n2 = max(2, round(size.units * 0.25))
    n3 = max(1, size.units - n1 - n2)
    level1 = [
        OrgUnit(
            municipality_id=m_id, name=_numbered(FORVALTNINGER, i), kind=OrgUnitKind.FORVALTNING
        )
        for i in range(n1)
    ]
    OrgUnit.objects.bulk_create(level1)
    level2 = []
    for i in range(n2):
        name = DIGITAL_UNIT if i == 0 else _numbered(FAGOMRAADER, i - 1)
        kind = OrgUnitKind.CHEFOMRAADE if i % 2 == 0 else OrgUnitKind.FAGOMRAADE
        level2.append(OrgUnit(municipality_id=m_id, name=name, kind=kind, parent=level1[i % n1]))
    OrgUnit.objects.bulk_create(level2)
    level3 = []
    for i in range(n3):
        parent = level2[i % n2]
        suffix = _numbered(AFDELING_SUFFIXES, i // n2)
        level3.append(
            OrgUnit(
                municipality_id=m_id,
                name=f"{parent.name} – {suffix}",
                kind=OrgUnitKind.AFDELING,
                parent=parent,
            )
        )
    OrgUnit.objects.bulk_create(level3, batch_size=1000)
    units = level1 + level2 + level3
    counts["OrgUnit"] = len(units)
    history_rows += _history(OrgUnit, units, lambda u: dates.moment(onboarded))

    # People: a chief for every unit, then staff.
    domain = f"{municipality.slug}.dk"

    def new_person(title: str, unit: OrgUnit, active: bool = True) -> Person:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        n = len(people) + 1
        local = municipality_slug(f"{first}.{last}{n}").replace("-", ".")
        return Person(
            municipality_id=m_id,
            name=f"{first} {last}",
            title=title,
            unit=unit,
            email=f"{local}@{domain}",
            active=active,
        )

    people: list[Person] = []
    people.append(new_person("Kommunaldirektør", level1[0]))
    directors = []
    for unit in level1:
        directors.append(new_person(f"Direktør for {unit.name}", unit))
        people.append(directors[-1])
    chiefs = []
    for unit in level2:
        chiefs.append(new_person(f"Chef for {unit.name}", unit))
        people.append(chiefs[-1])
    leaders = []
    for unit in level3:
        if len(people) >= size.people:
            break
        leaders.append(new_person(f"Leder af {unit.name}", unit))
        people.append(leaders[-1])
    staff = []
    while len(people) < size.people:
        unit = rng.choice(level3) if rng.random() < 0.7 else rng.choice(level2)
        staff.append(new_person(rng.choice(STAFF_TITLES), unit, active=rng.random() > 0.05))
        people.append(staff[-1])
    people = people[: size.people]
    digital_chief = chiefs[0]
    links = {
        Role.ADMINISTRATOR: digital_chief,
        Role.MEMBER: directors[-1],
        Role.SECRETARY: staff[0] if staff else leaders[0],
        Role.PROJECT_LEADER: staff[1] if len(staff) > 1 else None,
    }
    for role, person in links.items():
        if person is not None:
            person.user_id = users[role].pk
    Person.objects.bulk_create(people, batch_size=1000)
    counts["Person"] = len(people)
    history_rows += _history(Person, people, lambda p: dates.moment(onboarded))
    active_people = [p for p in people if p.active]

    # Bodies: the digitalisation organisation of the seeds, then project and working groups.
    bodies: list[Body] = []
    for name, short, kind, parent, cross, _cadence in CORE_BODIES:
        bodies.append(
            Body(
                municipality_id=m_id,
                name=name,
                short_name=short,
                kind=kind,
                parent=bodies[parent] if parent is not None else None,
                cross_cutting=cross,
                established_on=dates.between(
                    datetime.date(2012, 1, 1), datetime.date(2016, 12, 31)
                ),
            )
        )
    for j in range(size.bodies - len(CORE_BODIES)):
        variant = j % 5
        if variant in (0, 1):
            name, kind, parent, cross = (
                f"Projektgruppe: {_numbered(PROJECTS, j)}",
                BodyKind.PROJECT_GROUP,
                bodies[3],
                False,
            )
        elif variant == 2:
            name, kind, parent, cross = (
                f"Lokal digitaliseringsorganisation – {_numbered([u.name for u in level1], j // 5)}",
                BodyKind.WORKING_GROUP,
                bodies[3],
                False,
            )
        elif variant == 3:
            name, kind, parent, cross = (
                f"Ad hoc-gruppe: {_numbered(TOPICS, j // 5)}",
                BodyKind.AD_HOC,
                bodies[2],
                rng.random() < 0.5,
            )
        else:
            name, kind, parent, cross = (
                f"Arbejdsgruppe: {_numbered(TOPICS, j // 5 + 3)}",
                BodyKind.WORKING_GROUP,
                bodies[3],
                rng.random() < 0.2,
            )
        bodies.append(
            Body(
                municipality_id=m_id,
                name=name,
                kind=kind,
                parent=parent,
                cross_cutting=cross,
                established_on=dates.ago(200, 3000),
            )
        )
    extras = bodies[len(CORE_BODIES) :]
    closing = [body for body in extras if rng.random() < 0.18]
    if not any(body.cross_cutting for body in closing):
        closing.append(bodies[7])  # the memo always has a closed group
    for index, body in enumerate(bodies):
        if index < len(CORE_BODIES):
            cadence, per_year = CADENCES[CORE_BODIES[index][5]]
        else:
            cadence, per_year = CADENCES[rng.randrange(len(CADENCES))]
        body.cadence, body.meetings_per_year = cadence, per_year
        body.purpose = (
            f"{body.name} skal sikre sammenhæng og fremdrift i kommunens digitalisering og "
            f"koordinere på tværs af forvaltningerne."
        )
        if body.cross_cutting:
            body.organisation = (
                f"Mødes {cadence.lower()}\nSekretariatet varetages af {DIGITAL_UNIT}\n"
                "Referat udsendes senest en uge efter mødet"
            )
    for body in closing:
        body.closed_on = dates.between(
            body.established_on + datetime.timedelta(days=180), today - datetime.timedelta(days=30)
        )
        body.closing_summary = (
            f"{body.name} har afsluttet sit arbejde. Opgaverne er overgået til "
            "Digitaliseringsprogramgruppen."
        )
    remaining = list(bodies)
    while remaining:  # parents first, so every parent has its pk
        ready = [b for b in remaining if b.parent is None or b.parent.pk is not None]
        for body in ready:
            body.parent_id = body.parent.pk if body.parent is not None else None
        Body.objects.bulk_create(ready, batch_size=1000)
        remaining = [b for b in remaining if b.pk is None]
    counts["Body"] = len(bodies)

    # Memberships: Chefforum largest (growing with the municipality), 40 % current.
    weights = []
    for index in range(len(bodies)):
        if index == FLAGSHIP:
            weights.append(3.0 * factor)
        elif index == 0:
            weights.append(0.5)
        elif index < len(CORE_BODIES):
            weights.append(1.2)
        else:
            weights.append(rng.uniform(0.5, 1.5))
    total_weight = sum(weights)
    wanted = [round(size.memberships * w / total_weight) for w in weights]
    wanted[FLAGSHIP] += size.memberships - sum(wanted)
    heads = [people[0], *directors]
    priorities = {
        0: heads,
        FLAGSHIP: heads + chiefs + leaders,
        2: [digital_chief, *directors],
        3: [digital_chief, *chiefs],
        4: [digital_chief, *chiefs],
        5: [digital_chief, *[p for p in staff if "sikkerhed" in p.title.lower()]],
    }
    memberships: list[Membership] = []
    for index, body in enumerate(bodies):
        k = min(max(wanted[index], 2), len(active_people))
        chosen, seen = [], set()
        for person in priorities.get(index, []):
            if len(chosen) < k and id(person) not in seen and person.active:
                chosen.append(person)
                seen.add(id(person))
        others = [p for p in active_people if id(p) not in seen]
        chosen += rng.sample(others, k - len(chosen))
        n_current = 0 if body.closed_on else max(min(k, 2), round(k * 0.4))
        last_day = (body.closed_on or today) - datetime.timedelta(days=1)
        for position, person in enumerate(chosen):
            if position < n_current:
                role = (
                    MembershipRole.CHAIR
                    if position == 0
                    else MembershipRole.SECRETARY
                    if position == 1
                    else MembershipRole.OBSERVER
                    if rng.random() < 0.05
                    else MembershipRole.MEMBER
                )
                start = dates.between(
                    max(body.established_on, today - datetime.timedelta(days=6 * 365)),
                    today - datetime.timedelta(days=30),
                )
                end = None
                if position > 1 and rng.random() < 0.03:
                    start = today + datetime.timedelta(days=rng.randint(7, 90))
                elif position > 1 and rng.random() < 0.05:
                    end = today + datetime.timedelta(days=rng.randint(30, 365))
            else:
                role = MembershipRole.CHAIR if position == 0 else MembershipRole.MEMBER
                start = dates.between(body.established_on, last_day - datetime.timedelta(days=200))
                end = dates.between(start + datetime.timedelta(days=90), last_day)
                start = min(start, end)
            memberships.append(
                Membership(
                    municipality_id=m_id,
                    person_id=person.pk,
                    body_id=body.pk,
                    role=role,
                    start=start,
                    end=end,
                )
            )
    Membership.objects.bulk_create(memberships, batch_size=1000)
    counts["Membership"] = len(memberships)
    history_rows += _history(Membership, memberships, lambda m: dates.moment(m.start))

    # Mandates with 4–6 composition rules for most bodies; some in a second version.
    mandates: list[Mandate] = []
    for index, body in enumerate(bodies):
        if index >= len(CORE_BODIES) and rng.random() > 0.8:
            continue
        approver = body.parent or bodies[0]
        approved = dates.between(
            body.established_on + datetime.timedelta(days=10), today - datetime.timedelta(days=400)
        )
        versions = [approved]
        if index == FLAGSHIP or rng.random() < 0.3:
            later = dates.between(
                approved + datetime.timedelta(days=300), today - datetime.timedelta(days=1)
            )
            if approved < later < today:
                versions.append(later)
        for version, approved_on in enumerate(versions, start=1):
            mandates.append(
                Mandate(
                    municipality_id=m_id,
                    body_id=body.pk,
                    version=version,
                    title=f"Kommissorium for {body.name}",
                    purpose=body.purpose,
                    duties="Prioritere indsatser\nFølge op på porteføljen\nIndstille til direktionen",
                    composition="Formand, sekretær og repræsentanter for forvaltningerne.",
                    cadence=body.cadence,
                    meetings_per_year=body.meetings_per_year,
                    approved_by_id=approver.pk,
                    approved_on=approved_on,
                )
            )
    Mandate.objects.bulk_create(mandates, batch_size=1000)
    counts["Mandate"] = len(mandates)
    history_rows += _history(Mandate, mandates, lambda m: dates.moment(m.approved_on))

    digital_unit = level2[0]
    rule_templates = [
        lambda: dict(description=f"Formand: chef for {DIGITAL_UNIT}", role=MembershipRole.CHAIR,
                     unit=digital_unit, title_contains="chef"),
        lambda: dict(description="Sekretær fra Digitalisering", role=MembershipRole.SECRETARY,
                     unit=digital_unit),
        lambda: (lambda u: dict(description=f"2 chefer fra {u.name}", role=MembershipRole.MEMBER,
                                min_count=2, unit=u, title_contains="chef"))(rng.choice(level1)),
        lambda: (lambda u: dict(description=f"1 leder fra {u.name}", role=MembershipRole.MEMBER,
                                unit=u, title_contains="leder"))(rng.choice(level1)),
        lambda: dict(description="Mindst 3 medlemmer", role=MembershipRole.MEMBER, min_count=3),
        lambda: dict(description="1 direktør", title_contains="direktør"),
        lambda: dict(description="1 observatør", role=MembershipRole.OBSERVER),
    ]  # fmt: skip
    rules = []
    for mandate in mandates:
        chosen = [rule_templates[0]] + rng.sample(rule_templates[1:], rng.randint(3, 5))
        for position, template in enumerate(chosen):
            rules.append(
                CompositionRule(
                    municipality_id=m_id, mandate=mandate, position=position, **template()
                )
            )
    for rule in rules:
        rule.mandate_id = rule.mandate.pk
        rule.unit_id = rule.unit.pk if rule.unit is not None else None
    CompositionRule.objects.bulk_create(rules, batch_size=1000)
    counts["CompositionRule"] = len(rules)
    approved_on = {m.pk: m.approved_on for m in mandates}
    history_rows += _history(
        CompositionRule, rules, lambda r: dates.moment(approved_on[r.mandate_id])
    )

    # Status entries: a few for every cross-cutting group, fewer for the others.
    statuses = []
    for index, body in enumerate(bodies):
        n = (
            2 + factor
            if index == FLAGSHIP
            else rng.randint(3, 5)
            if body.cross_cutting
            else rng.randint(0, 2)
        )
        last = body.closed_on or today
        for _ in range(n):
            statuses.append(
                BodyStatus(
                    municipality_id=m_id,
                    body_id=body.pk,
                    date=dates.between(
                        max(body.established_on, last - datetime.timedelta(days=1000)), last
                    ),
                    text=rng.choice(STATUS_TEXTS),
                )
            )
    BodyStatus.objects.bulk_create(statuses, batch_size=1000)
    counts["BodyStatus"] = len(statuses)
    history_rows += _history(BodyStatus, statuses, lambda s: dates.moment(s.date))

    # Body history: created, then a few edits (more for Chefforum in the large municipality).
    first_states, edits = [], []
    for index, body in enumerate(bodies):
        n_edits = 4 * factor if index == FLAGSHIP else rng.randint(0, 3)
        states = []
        for step in range(n_edits):
            state = copy.copy(body)
            state.cadence, state.meetings_per_year = CADENCES[(step + 1) % len(CADENCES)]
            state.purpose = f"{body.purpose} (udkast {step + 1})"
            state.closed_on, state.closing_summary = None, ""
            states.append(state)
        states.append(body)
        moments = sorted(
            dates.moment(dates.between(body.established_on, today)) for _ in range(len(states))
        )
        moments[0] = dates.moment(body.established_on)
        for state, moment in zip(states, moments, strict=True):
            state._history_date = moment
        first_states.append(states[0])
        edits.extend(states[1:])
    history_rows += _history(Body, first_states, lambda b: b._history_date)
    history_rows += _history(
        Body, edits, lambda b: b._history_date, user=users[Role.ADMINISTRATOR], update=True
    )
    meeting_counts, meeting_history = _build_meetings(
        municipality, bodies, people, units, memberships, size, factor, rng, today, users
    )
    counts.update(meeting_counts)
    counts["history"] = history_rows + meeting_history
    for model, count in _build_portfolio(
        municipality, bodies, people, units, size, factor, rng, today, users
    ).items():
        counts[model] = counts.get(model, 0) + count
    counts.update(_build_planning(municipality, bodies, people, units, size, factor, rng, today))
    counts.update(_build_systems(municipality, bodies, people, units, size, rng, today))
    # The bulk writes above send no signals: the search box's index is written in one go.
    counts["SearchEntry"] = search_services.rebuild(municipality)
    return counts


# --- meetings ---------------------------------------------------------------------------

MEETING_YEARS = 3
STEERING_GROUP = 2  # index in CORE_BODIES: its latest approved meeting is the flagship
FLAGSHIP_ITEMS = 20  # items of the flagship meeting (three times as many in the large municipality)
FUTURE_DAYS = 45  # meetings are planned this far ahead
NOT_TREATED_TEXT = "Punktet blev ikke behandlet."
PLACES = [
    "Rådhuset, mødelokale 1", "Rådhuset, mødelokale 2", "Rådhuset, byrådssalen",
    "Jobcentret, mødelokale A", "Teams", "Borgerservice, mødelokale 3",
]  # fmt: skip
SYSTEMS = [
    "ESDH-systemet", "Aula", "Fasit", "Nexus", "Momentum", "Office 365", "Zoom", "Digital Post",
    "Kommunernes Ydelsessystem", "Økonomisystemet", "Lønsystemet", "Byggesagssystemet",
]  # fmt: skip
KOMBIT_PROJECTS = [
    "Kommunernes Ydelsessystem", "Fælleskommunalt Adgangsstyringssystem", "Serviceplatformen",
    "Støttesystemerne", "Kommunernes Sygedagpengesystem", "Fælles Sprog III",
]  # fmt: skip
CLOSED_REASONS = [
    "Personfølsomme oplysninger", "Forhandlingsmæssige hensyn over for leverandøren",
    "Oplysninger om informationssikkerhed", "Kontraktforhold under forhandling",
]  # fmt: skip
# (kind, title, case text, recommendation, decision); {p} a project, {s} an IT system, {u} a
# unit, {y} a year, {k} a KOMBIT project.
ITEM_TEXTS = [
    (ItemKind.DECISION, "Startdokument for {p}",
     "Projektlederen fremlægger startdokumentet for {p} med formål, leverancer, succeskriterier "
     "og en plan for gevinstrealisering. Projektet berører især {u}.",
     "Det indstilles, at startdokumentet for {p} godkendes, og at projektet overgår til "
     "analysefasen.",
     "Startdokumentet for {p} blev godkendt. Projektlederen indarbejder bemærkningerne om "
     "succeskriterier, og projektet overgår til analysefasen."),
    (ItemKind.INFORMATION, "Statusrapport for {p}",
     "Statusrapporten for {p} viser grøn status for tidsplan og økonomi, men gul status for "
     "ressourcer i {u}. Næste milepæl er idriftsættelse i {y}.",
     "Det indstilles, at orienteringen tages til efterretning.",
     "Orienteringen blev taget til efterretning. Gruppen bad om en plan for ressourcerne i {u} "
     "til næste møde."),
    (ItemKind.DISCUSSION, "Gevinstrealisering i {p}",
     "Gevinsterne ved {p} er opgjort: sparede timer i sagsbehandlingen, færre henvendelser og "
     "bedre kvalitet. Den ansvarlige leder i {u} fremlægger målingerne.",
     "Det indstilles, at gevinsterne drøftes, og at de budgetvirksomme gevinster indarbejdes i "
     "budgettet for {y}.",
     "Gevinstrealiseringen blev drøftet. De budgetvirksomme gevinster ved {p} indarbejdes i "
     "budgettet for {y}; de øvrige gevinster følges op om et halvt år."),
    (ItemKind.DECISION, "Risikovurdering af {s}",
     "Informationssikkerhedskoordinatoren har gennemført en risikovurdering af {s}, herunder "
     "leverandørens behandling af personoplysninger og overførsel til tredjelande.",
     "Det indstilles, at risikovurderingen godkendes, og at databehandleraftalen for {s} "
     "opdateres.",
     "Risikovurderingen af {s} blev godkendt. Databehandleraftalen opdateres, og næste "
     "risikovurdering gennemføres om et år."),
    (ItemKind.INFORMATION, "Borgerblikket – næste bølge",
     "Borgernes adgang til egne data i Borgerblikket udvides efter den landsdækkende bølgeplan. "
     "{s} skal tilsluttes i næste bølge.",
     "Det indstilles, at orienteringen om Borgerblikket tages til efterretning.",
     "Orienteringen om Borgerblikket blev taget til efterretning. {u} udpeger en kontaktperson "
     "til tilslutningen af {s}."),
    (ItemKind.DECISION, "Indsatsplan {y}",
     "Programgruppen har udarbejdet forslag til indsatsplan for {y} med prioritering af de "
     "tværgående projekter efter de fælles kriterier. {p} foreslås som fyrtårnsprojekt.",
     "Det indstilles, at indsatsplanen for {y} godkendes.",
     "Indsatsplanen for {y} blev godkendt med {p} som fyrtårnsprojekt. Planen sendes til "
     "orientering i Direktionen."),
    (ItemKind.INFORMATION, "KOMBIT: udrulning af {k}",
     "KOMBIT har offentliggjort tidsplanen for udrulning af {k}. Kommunen skal stille ressourcer "
     "til rådighed i {u} til test og uddannelse.",
     "Det indstilles, at orienteringen tages til efterretning, og at {u} udpeger superbrugere.",
     "Orienteringen blev taget til efterretning. {u} udpeger superbrugere til {k} inden "
     "udgangen af måneden."),
    (ItemKind.DISCUSSION, "Kunstig intelligens i sagsbehandlingen",
     "Der er stor interesse for at bruge kunstig intelligens, fx til journalisering og udkast "
     "til breve. Drøftelse af retningslinjer og af et forsøg i {u}.",
     "Det indstilles, at gruppen drøfter retningslinjer for brug af kunstig intelligens.",
     "Retningslinjerne for kunstig intelligens blev drøftet. Der igangsættes et afgrænset forsøg "
     "i {u}; databeskyttelsesrådgiveren inddrages."),
    (ItemKind.DECISION, "Schrems II – overførsel af persondata med {s}",
     "Kortlægningen viser, at {s} overfører persondata til et tredjeland. Der er behov for et "
     "gyldigt overførselsgrundlag.",
     "Det indstilles, at der indgås standardkontraktbestemmelser med leverandøren af {s}.",
     "Det blev besluttet at indgå standardkontraktbestemmelser med leverandøren af {s}. "
     "Databeskyttelsesrådgiveren følger op."),
    (ItemKind.DISCUSSION, "Digitale kompetencer i {u}",
     "Drøftelse af et kompetenceløft, så ledere og medarbejdere i {u} kan udnytte de digitale "
     "løsninger, herunder Office 365 og Teams.",
     "Det indstilles, at gruppen drøfter behovet for kompetenceudvikling.",
     "Kompetenceløftet blev drøftet. Der udarbejdes et forløb for ledere i {u} med fokus på det "
     "digitale mindset."),
    (ItemKind.DECISION, "Udbud af {s}",
     "Kontrakten om {s} udløber i {y}. Der er udarbejdet en udbudsstrategi med krav til "
     "tilgængelighed, informationssikkerhed og exit.",
     "Det indstilles, at udbudsstrategien for {s} godkendes.",
     "Udbudsstrategien for {s} blev godkendt. Udbuddet gennemføres som et fælles udbud med "
     "nabokommunerne."),
    (ItemKind.INFORMATION, "Årshjul og mødeplan for {y}",
     "Forslag til årshjul med møder, frister for statusrapporter, digitaliseringsseminar og "
     "dialogmøder med chefområderne i {y}.",
     "Det indstilles, at årshjulet for {y} tages til efterretning.",
     "Årshjulet for {y} blev taget til efterretning. Datoerne sendes ud som "
     "kalenderinvitationer."),
]  # fmt: skip
FOLLOW_UP_TEXTS = [
    "Udarbejde en plan for ressourcerne i {u}.",
    "Opdatere databehandleraftalen for {s}.",
    "Orientere Direktionen om beslutningen om {p}.",
    "Indarbejde gevinsterne ved {p} i budgettet for {y}.",
    "Udpege superbrugere til {k} i {u}.",
    "Følge op på forsøget med kunstig intelligens i {u}.",
]


def _weekday(day: datetime.date) -> datetime.date:
    """Move a Saturday back to Friday and a Sunday on to Monday."""
    if day.weekday() == 5:
        return day - datetime.timedelta(days=1)
    if day.weekday() == 6:
        return day + datetime.timedelta(days=1)
    return day


def _meeting_dates(bodies, size: Size, rng, today) -> list[list[datetime.date]]:
    """Dates of each body's meetings over the last years (and a few weeks ahead), by cadence."""
    first_day = today - datetime.timedelta(days=365 * MEETING_YEARS)
    last_day = today + datetime.timedelta(days=FUTURE_DAYS)
    spans, weights = [], []
    for body in bodies:
        start = max(first_day, body.established_on)
        end = (
            min(last_day, body.closed_on - datetime.timedelta(days=1))
            if body.closed_on
            else (last_day)
        )
        spans.append((start, end))
        weights.append((body.meetings_per_year or 4) * max(0, (end - start).days) / 365)
    total = sum(weights) or 1
    result = []
    for index, ((start, end), weight) in enumerate(zip(spans, weights, strict=True)):
        n = round(size.meetings * weight / total)
        if index < len(CORE_BODIES):
            n = max(n, 3)
        days = (end - start).days
        if n == 0 or days <= 0:
            result.append([])
            continue
        step = days / n
        dates = sorted(
            {
                _weekday(
                    start + datetime.timedelta(days=int(step * (k + 0.5)) + rng.randint(-3, 3))
                )
                for k in range(n)
            }
        )
        result.append([d for d in dates if start <= d <= end])
    # The steering group's flagship must be in the past: make sure it has one.
    if not any(d < today for d in result[STEERING_GROUP]):
        result[STEERING_GROUP].insert(0, _weekday(today - datetime.timedelta(days=30)))
    return result


def _fill(rng, units, day: datetime.date) -> dict[str, str]:
    return {
        "p": rng.choice(PROJECTS),
        "s": rng.choice(SYSTEMS),
        "u": rng.choice(units).name,
        "y": str(day.year + 1),
        "k": rng.choice(KOMBIT_PROJECTS),
    }


ATTACHMENT_TITLES = [
    "Projektbeskrivelse for {p}",
    "Statusrapport for {p}",
    "Business case for {p}",
    "Risikovurdering af {s}",
    "Databehandleraftale for {s}",
    "Tidsplan for {p}",
    "Notat fra {u}",
    "Gevinstopgørelse {y}",
]


def _build_meetings(
    municipality, bodies, people, units, memberships, size, factor, rng, today, users
) -> tuple[dict, int]:
    """Meetings of every body with their items, cases, follow-ups, attendance and minutes."""
    dates = _Dates(rng, today)
    m_id = municipality.pk
    admin = users[Role.ADMINISTRATOR]
    members: dict[int, list[int]] = {}
    for membership in memberships:
        members.setdefault(membership.body_id, []).append(membership.person_id)
    active_people = [p for p in people if p.active]
    day_lists = _meeting_dates(bodies, size, rng, today)

    # The meetings, in date order across bodies (cases travel between bodies in time).
    schedule = sorted(
        ((day, index) for index, days in enumerate(day_lists) for day in days),
        key=lambda pair: (pair[0], pair[1]),
    )
    flagship_day = max(d for d in day_lists[STEERING_GROUP] if d < today)
    latest_past = {}
    for day, index in schedule:
        if day < today:
            latest_past[index] = day

    meetings: list[Meeting] = []
    meeting_items: list[list[AgendaItem]] = []
    cases: list[Case] = []
    steps: list[CaseStep] = []
    follow_ups: list[FollowUp] = []
    attendance: list[Attendance] = []
    guests: list[tuple[AgendaItem, int]] = []
    carries: list[tuple[AgendaItem, AgendaItem]] = []  # (copy, original)
    attachments: list[Attachment] = []
    # Attachments draw from their own generator: the rest of the data stays as version 6 made it.
    attachment_rng = random.Random(m_id)
    waiting: dict[int, list[tuple[Case, int]]] = {}  # body index → (case, step) sent on to it
    untreated: dict[int, list[AgendaItem]] = {}  # body index → items not treated
    index_of = {body.pk: i for i, body in enumerate(bodies)}

    for day, index in schedule:
        body = bodies[index]
        flagship = index == STEERING_GROUP and day == flagship_day
        if day >= today:
            ahead = (day - today).days
            state = (
                MeetingState.AGENDA_SENT if ahead <= 7
                else MeetingState.AGENDA_APPROVED if ahead <= 14
                else MeetingState.AGENDA_DRAFT if ahead <= 30
                else MeetingState.PLANNED
            )  # fmt: skip
        elif latest_past.get(index) == day and not flagship and rng.random() < 0.3:
            state = MeetingState.HELD if rng.random() < 0.5 else MeetingState.MINUTES_DRAFT
        else:
            state = MeetingState.MINUTES_APPROVED
        start = (
            datetime.time(8, 0)
            if flagship
            else rng.choice([datetime.time(9, 0), datetime.time(10, 0), datetime.time(13, 0)])
        )
        meeting = Meeting(
            municipality_id=m_id,
            body_id=body.pk,
            date=day,
            start=start,
            place=rng.choice(PLACES),
            state=state,
            uid=uuid.UUID(int=rng.getrandbits(128)),
            sequence=rng.randint(0, 3),
        )
        if state not in (MeetingState.PLANNED, MeetingState.AGENDA_DRAFT):
            meeting.agenda_approved_by_id = admin.pk
            meeting.agenda_approved_at = dates.moment(day - datetime.timedelta(days=9))
        if state in (
            MeetingState.AGENDA_SENT,
            MeetingState.HELD,
            MeetingState.MINUTES_DRAFT,
            MeetingState.MINUTES_APPROVED,
        ):
            meeting.agenda_sent_at = dates.moment(day - datetime.timedelta(days=7))
        if state == MeetingState.MINUTES_APPROVED:
            meeting.minutes_approved_by_id = admin.pk
            meeting.minutes_approved_at = dates.moment(day + datetime.timedelta(days=7))
        meetings.append(meeting)
        decided = state in (MeetingState.MINUTES_APPROVED, MeetingState.MINUTES_DRAFT)
        held = day < today

        n_topics = (
            FLAGSHIP_ITEMS * (3 if factor > 1 else 1) if flagship else rng.randint(5, 11)
        ) - 3  # opening, break and "Eventuelt" come on top
        items = [
            AgendaItem(
                municipality_id=m_id,
                title="Godkendelse af dagsorden og referat",
                kind=ItemKind.INFORMATION,
                duration=5,
                case_text="Dagsordenen og referatet fra sidste møde godkendes.",
            )
        ]
        if decided:
            items[0].decision, items[0].outcome = "Dagsordenen blev godkendt.", Outcome.TREATED
        for original in untreated.pop(index, []):
            copy_ = AgendaItem(
                municipality_id=m_id,
                title=original.title,
                kind=original.kind,
                duration=original.duration,
                case_text=original.case_text,
                recommendation=original.recommendation,
                closed=original.closed,
                closed_reason=original.closed_reason,
            )
            copy_.case_ref = original.case_ref
            if decided:
                copy_.outcome, copy_.decision = Outcome.TREATED, original.later_decision
            carries.append((copy_, original))
            items.append(copy_)
            n_topics -= 1
        for topic in range(max(0, n_topics)):
            if topic == max(0, n_topics) // 2:
                items.append(
                    AgendaItem(
                        municipality_id=m_id, title="Pause", kind=ItemKind.BREAK, duration=10
                    )
                )
            queue = waiting.get(index)
            case, step_index = None, 0
            if queue and rng.random() < 0.7:
                case, step_index = queue.pop(0)
                fill, template = case.fill, case.template
            else:
                fill, template = _fill(rng, units, day), rng.randrange(len(ITEM_TEXTS))
            kind, title, text, recommendation, decision = ITEM_TEXTS[template]
            closed = case.closed if case is not None else rng.random() < 0.08
            item = AgendaItem(
                municipality_id=m_id,
                title=title.format(**fill),
                kind=kind,
                duration=rng.choice([10, 15, 20]) if flagship else rng.choice([10, 15, 20, 25, 30]),
                case_text=text.format(**fill),
                recommendation=recommendation.format(**fill),
                closed=closed,
                closed_reason=rng.choice(CLOSED_REASONS) if closed else "",
            )
            if case is None and rng.random() < 0.7:
                # A new case, routed from this body up through the bodies it reports to.
                route = [body]
                while len(route) < 3 and route[-1].parent is not None:
                    route.append(route[-1].parent)
                case = Case(
                    municipality_id=m_id,
                    number=f"{day.year % 100:02d}/{len(cases) + 1:05d}",
                    title=item.title,
                    description=item.case_text,
                    closed=closed,
                    created_on=day - datetime.timedelta(days=rng.randint(5, 40)),
                )
                case.fill, case.template, case.route = fill, template, []
                cases.append(case)
                for position, step_body in enumerate(route):
                    step = CaseStep(
                        municipality_id=m_id,
                        case=case,
                        body_id=step_body.pk,
                        position=position,
                        arrived_on=case.created_on if position == 0 else None,
                    )
                    case.route.append(step)
                    steps.append(step)
            item.case_ref = case
            if decided and (state == MeetingState.MINUTES_APPROVED or rng.random() < 0.6):
                roll = rng.random()
                if roll < 0.04 and state == MeetingState.MINUTES_APPROVED:
                    item.outcome, item.decision = Outcome.NOT_TREATED, NOT_TREATED_TEXT
                    item.later_decision = decision.format(**fill)
                    untreated.setdefault(index, []).append(item)
                elif case is not None and step_index + 1 < len(case.route) and roll < 0.4:
                    item.outcome, item.decision = Outcome.FORWARDED, decision.format(**fill)
                    following = case.route[step_index + 1]
                    if following.arrived_on is None:
                        following.arrived_on = day
                        waiting.setdefault(index_of[following.body_id], []).append(
                            (case, step_index + 1)
                        )
                else:
                    item.outcome, item.decision = Outcome.TREATED, decision.format(**fill)
                    if case is not None and step_index + 1 == len(case.route) and roll > 0.7:
                        case.status = "closed"
            if rng.random() < 0.15:
                for person in rng.sample(active_people, rng.randint(1, 2)):
                    guests.append((item, person.pk))
            if item.decision and item.outcome != Outcome.NOT_TREATED and rng.random() < 0.35:
                due = day + datetime.timedelta(days=rng.randint(14, 120))
                done = due < today - datetime.timedelta(days=30) and rng.random() < 0.8
                body_members = members.get(body.pk) or [p.pk for p in active_people]
                by_unit = rng.random() < 0.25
                follow_up = FollowUp(
                    municipality_id=m_id,
                    body_id=body.pk,
                    description=rng.choice(FOLLOW_UP_TEXTS).format(**fill),
                    owner_id=None if by_unit else rng.choice(body_members),
                    owner_unit_id=rng.choice(units).pk if by_unit else None,
                    due_date=due,
                    status=FollowUpStatus.DONE if done else FollowUpStatus.OPEN,
                    done_on=due + datetime.timedelta(days=rng.randint(-10, 10)) if done else None,
                    closed=item.closed,
                )
                follow_up.item_ref = item
                follow_ups.append(follow_up)
            items.append(item)
            count = (
                (topic % 2 == 0) if flagship
                else attachment_rng.choice((1, 2)) if attachment_rng.random() < 0.2
                else 0
            )  # fmt: skip
            for n in range(count):
                attachment = Attachment(
                    municipality_id=m_id,
                    position=n,
                    title=attachment_rng.choice(ATTACHMENT_TITLES).format(**fill),
                    document_number=f"{len(attachments) + 1}",
                    journal_number=f"{attachment_rng.randint(10000, 99999)}/{day.year % 100:02d}",
                    closed=item.closed,
                    closed_reason=item.closed_reason,
                    file=f"bilag/{m_id}/bench/{len(attachments) + 1}.pdf",
                    content_type="application/pdf",
                    size=attachment_rng.randint(40_000, 2_000_000),
                )
                attachment.item_ref = item
                attachments.append(attachment)
        closing = AgendaItem(
            municipality_id=m_id, title="Eventuelt", kind=ItemKind.INFORMATION, duration=5
        )
        if decided:
            closing.decision, closing.outcome = "Intet.", Outcome.TREATED
        items.append(closing)
        for position, item in enumerate(items):
            item.position = position
            if not hasattr(item, "case_ref"):
                item.case_ref = None
        meeting_items.append(items)
        if held:
            body_members = members.get(body.pk, [])
            for person_id in body_members[:8]:
                roll = rng.random()
                attendance.append(
                    Attendance(
                        municipality_id=m_id, meeting=meeting, person_id=person_id,
                        status=AttendanceStatus.PRESENT if roll < 0.85
                        else AttendanceStatus.EXCUSED if roll < 0.95
                        else AttendanceStatus.ABSENT,
                    )
                )  # fmt: skip

    # Write everything, parents first.
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    Case.objects.bulk_create(cases, batch_size=1000)
    for step in steps:
        step.case_id = step.case.pk
    CaseStep.objects.bulk_create(steps, batch_size=1000)
    all_items = []
    for meeting, items in zip(meetings, meeting_items, strict=True):
        for item in items:
            item.meeting_id = meeting.pk
            item.case_id = item.case_ref.pk if item.case_ref is not None else None
            all_items.append(item)
    AgendaItem.objects.bulk_create(all_items, batch_size=1000)
    for copy_, original in carries:
        copy_.carried_from_id = original.pk
    AgendaItem.objects.bulk_update([c for c, _o in carries], ["carried_from"], batch_size=1000)
    Guest = AgendaItem.guests.through
    Guest.objects.bulk_create(
        [Guest(agendaitem_id=item.pk, person_id=person_id) for item, person_id in guests],
        batch_size=1000,
        ignore_conflicts=True,
    )
    for attachment in attachments:
        attachment.item_id = attachment.item_ref.pk
    Attachment.objects.bulk_create(attachments, batch_size=1000)
    for follow_up in follow_ups:
        follow_up.item_id = follow_up.item_ref.pk
    FollowUp.objects.bulk_create(follow_ups, batch_size=1000)
    for row in attendance:
        row.meeting_id = row.meeting.pk
    Attendance.objects.bulk_create(attendance, batch_size=1000)
    versions = [
        MinutesVersion(
            municipality_id=m_id,
            meeting_id=meeting.pk,
            number=1,
            approved_by_id=admin.pk,
            approved_at=meeting.minutes_approved_at,
            snapshot=[
                {
                    "id": i.pk,
                    "title": i.title,
                    "closed": i.closed,
                    "outcome": i.outcome,
                    "decision": i.decision,
                }
                for i in items
            ],
        )
        for meeting, items in zip(meetings, meeting_items, strict=True)
        if meeting.state == MeetingState.MINUTES_APPROVED
    ]
    MinutesVersion.objects.bulk_create(versions, batch_size=1000)
    # History for the meetings only: no measured page reads the other meeting histories.
    history_rows = _history(
        Meeting, meetings, lambda m: dates.moment(m.date - datetime.timedelta(days=21))
    )
    counts = {
        "Meeting": len(meetings),
        "AgendaItem": len(all_items),
        "Case": len(cases),
        "CaseStep": len(steps),
        "FollowUp": len(follow_ups),
        "Attendance": len(attendance),
        "MinutesVersion": len(versions),
        "AgendaItem.guests": len(guests),
        "Attachment": len(attachments),
    }
    return counts, history_rows


# --- portfolio and benefits -------------------------------------------------------------

PORTFOLIO_PROJECTS = [
    *PROJECTS, "Borgerblikket", "Office 365 og Teams", "Nyt intranet", "Konferencelokaler",
    "Webinarløsning", "Schrems II", "Talegenkendelse", "Monopolbrud", "Printløsninger",
    "Telefoniløsning", "Bibliotekssystem", "Ydelsesrefusion", "Grunddataprogrammet",
    "Samarbejdsplatform for skole og dagtilbud", "Mobil- og bredbåndsdækning", "BRA/Smart",
    "Fasit",
]  # fmt: skip
PHASE_WEIGHTS = [
    (Phase.IDEA, 8), (Phase.ANALYSIS, 12), (Phase.PROCUREMENT, 10),
    (Phase.IMPLEMENTATION, 30), (Phase.REALISATION, 20), (Phase.CLOSED, 20),
]  # fmt: skip
CATEGORY_WEIGHTS = [
    (Category.NATIONAL, 20), (Category.CROSS_MUNICIPAL, 10), (Category.CROSS_CUTTING, 30),
    (Category.LOCAL, 40),
]  # fmt: skip
LATE_SHARE = 0.12  # projects whose newest report is older than their cycle
REPORT_TEXTS = [
    "Arbejdet med {p} følger planen; næste milepæl nås som aftalt.",
    "Leverandøren har leveret en ny version af {p} til test i {u}.",
    "Uddannelsen af superbrugere i {u} er gennemført.",
    "Tilslutningen af fagsystemerne til {p} er forsinket hos leverandøren.",
    "Gevinsterne ved {p} er opgjort for første halvår.",
    "Ressourcerne i {u} er presset af driften; projektet er nedprioriteret i to uger.",
]  # fmt: skip
RISK_TITLES = [
    "Leverandøren af {p} leverer for sent", "For få ressourcer i {u} til {p}",
    "Data til {p} har for dårlig kvalitet", "Udgifterne til {p} overstiger budgettet",
    "Medarbejderne i {u} tager ikke {p} i brug", "Persondata i {p} behandles uden aftale",
    "Snitfladen mellem {p} og økonomisystemet fejler",
]  # fmt: skip
BENEFIT_TITLES = {
    BenefitType.BUDGET: ["Sparede licensudgifter ved {p}", "Færre kørte besøg efter {p}"],
    BenefitType.NON_BUDGET: ["Sparet tid i {u} med {p}", "Færre fejl i sagsbehandlingen"],
    BenefitType.QUALITATIVE: ["Borgernes tilfredshed med {p}", "Frigjort tid i {u}"],
}
MILESTONE_TITLES = [
    "Startdokument godkendt", "Kravspecifikation", "Kontrakt underskrevet", "Test gennemført",
    "Idriftsættelse", "Uddannelse af superbrugere", "Evaluering", "Gevinstopgørelse",
]  # fmt: skip
COLOUR_WEIGHTS = [(Colour.GREEN, 75), (Colour.YELLOW, 20), (Colour.RED, 5)]
TROUBLED_WEIGHTS = [(Colour.GREEN, 40), (Colour.YELLOW, 40), (Colour.RED, 20)]


def _pick(rng: random.Random, weighted: list[tuple]):
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def _periods_back(first: datetime.date, last_end: datetime.date, cycle: int, count: int):
    """Up to `count` back-to-back periods of `cycle` days, the newest ending on `last_end`,
    none starting before `first`; oldest first."""
    periods, end = [], last_end
    while len(periods) < count:
        start = end - datetime.timedelta(days=cycle - 1)
        if start < first:
            break
        periods.append((start, end))
        end = start - datetime.timedelta(days=1)
    return periods[::-1]


def _project_url(pk: int) -> str:
    try:
        return reverse("portfolio:project_detail", args=[pk])
    except NoReverseMatch:  # the portfolio's pages are not installed
        return ""


def _build_portfolio(municipality, bodies, people, units, size, factor, rng, today, users) -> dict:
    """The project portfolio: projects with gates, milestones, budget years, status reports
    (Project Board and project-group projects every 14 days, the others quarterly; some late,
    some overridden, some needing a decision), risks (some escalated to the steering group,
    some of the portfolio as a whole), and benefits with plans and measurements."""
    dates = _Dates(rng, today)
    m_id = municipality.pk
    n_projects = size.projects
    active_people = [p for p in people if p.active]
    chiefs = [p for p in active_people if p.title.startswith(("Chef", "Direktør"))] or people
    staff = [p for p in active_people if p.title in STAFF_TITLES] or active_people
    leader_user = users.get(Role.PROJECT_LEADER)
    own_leader = next((p for p in people if leader_user and p.user_id == leader_user.pk), None)
    steering, programme, board = bodies[2], bodies[3], bodies[4]
    groups = [b for b in bodies if b.kind == BodyKind.PROJECT_GROUP and not b.closed_on]
    others = [b for b in bodies[5:] if not b.closed_on]
    decisions = list(
        AgendaItem._base_manager.filter(
            municipality_id=m_id,
            meeting__body_id__in=[steering.pk, programme.pk],
            kind=ItemKind.DECISION,
            outcome__in=[Outcome.TREATED, Outcome.FORWARDED],
        ).values_list("pk", "meeting__date")
    )
    texts_fill = lambda project: {"p": project.name, "u": project.owning_unit.name}  # noqa: E731

    # Projects
    projects: list[Project] = []
    for j in range(n_projects):
        phase = _pick(rng, PHASE_WEIGHTS)
        category = _pick(rng, CATEGORY_WEIGHTS)
        roll = rng.random()
        if roll < 0.3:
            body, cycle = board, ReportCycle.BIWEEKLY
        elif roll < 0.4 and groups:
            body, cycle = rng.choice(groups), ReportCycle.BIWEEKLY
        elif roll < 0.8:
            body, cycle = programme, ReportCycle.QUARTERLY
        elif roll < 0.85:
            body, cycle = steering, ReportCycle.QUARTERLY
        else:
            body = rng.choice(others) if others else programme
            cycle = ReportCycle.MONTHLY if rng.random() < 0.3 else ReportCycle.QUARTERLY
        if phase == Phase.IDEA:
            start = (
                None
                if rng.random() < 0.4
                else today + datetime.timedelta(days=rng.randint(10, 200))
            )
            end = None
        elif phase == Phase.CLOSED:
            start = dates.ago(500, 3000)
            end = dates.between(
                start + datetime.timedelta(days=200), today - datetime.timedelta(days=10)
            )
        else:
            start = dates.ago(60, 2500)
            end = today + datetime.timedelta(days=rng.randint(60, 1200))
        leader = own_leader if own_leader is not None and j < 6 * factor else rng.choice(staff)
        project = Project(
            municipality_id=m_id,
            name=_numbered(PORTFOLIO_PROJECTS, j),
            code=f"P-{(start or today).year}-{j + 1:04d}",
            category=category,
            kombit=category == Category.NATIONAL and rng.random() < 0.5,
            lighthouse=rng.random() < 0.05,
            phase=phase,
            owning_unit=rng.choice(units),
            owner=rng.choice(chiefs),
            leader=leader,
            body=body,
            start_date=start,
            end_date=end,
            report_cycle=cycle,
            purpose="Projektet skal effektivisere sagsbehandlingen og give borgerne bedre "
            "digital service.",
            deliverables="Løsningen i drift\nUddannede superbrugere\nGevinstopgørelse",
            success_criteria="Løsningen er taget i brug i alle relevante enheder.",
        )
        project.troubled = rng.random() < 0.2
        project.created_at = dates.moment(start or today)
        projects.append(project)
    for project in projects:
        project.owning_unit_id = project.owning_unit.pk
        project.owner_id, project.leader_id = project.owner.pk, project.leader.pk
        project.body_id = project.body.pk
    Project.objects.bulk_create(projects, batch_size=1000)

    cases: list[Case] = []
    steps: list[CaseStep] = []

    def open_case(title: str, description: str, body, day: datetime.date, project) -> Case:
        case = Case(
            municipality_id=m_id,
            number=f"PRJ-{day.year}-{len(cases) + 1:04d}",
            title=title[:300],
            description=description,
            created_on=day,
            origin_label=f"Projektet {project.name}" if project else "Porteføljen",
            origin_url=_project_url(project.pk) if project else "",
        )
        cases.append(case)
        steps.append(
            CaseStep(municipality_id=m_id, case=case, body_id=body.pk, position=1, arrived_on=day)
        )
        return case

    # Gates, milestones, budget years
    gates, milestones, budget_years = [], [], []
    for project in projects:
        reached = PHASE_ORDER.index(project.phase)
        first_day = project.start_date or today
        last_day = min(today, project.end_date or today)
        days = sorted(dates.between(first_day, last_day) for _ in range(reached))
        for k, day in enumerate(days):
            decision_id = None
            if decisions and rng.random() < 0.15:
                decision_id, day = rng.choice(decisions)
            gates.append(
                PhaseChange(
                    municipality_id=m_id,
                    project=project,
                    from_phase=PHASE_ORDER[k],
                    to_phase=PHASE_ORDER[k + 1],
                    decided_on=day,
                    decision_id=decision_id,
                    note="Gaten blev godkendt." if decision_id else "",
                )
            )
        span_end = project.end_date or first_day + datetime.timedelta(days=365)
        for k in range(rng.randint(2, 5)):
            due = dates.between(first_day, span_end)
            done = None
            if due < today and rng.random() < 0.85:
                done = min(today, due + datetime.timedelta(days=rng.randint(-10, 15)))
            milestones.append(
                Milestone(
                    municipality_id=m_id,
                    project=project,
                    title=_numbered(MILESTONE_TITLES, k),
                    due_date=due,
                    done_on=done,
                )
            )
        if project.start_date is not None:
            last_year = min(span_end.year, project.start_date.year + 3)
            for year in range(project.start_date.year, last_year + 1):
                planned = rng.randint(5, 200) * 10_000
                spent = (
                    0
                    if year > today.year
                    else round(planned * rng.uniform(0.3, 1.25 if project.troubled else 1.0), -3)
                )
                budget_years.append(
                    BudgetYear(
                        municipality_id=m_id,
                        project=project,
                        year=year,
                        planned=planned,
                        spent=spent,
                    )
                )

    # Status reports
    reports: list[StatusReport] = []
    oldest = today - datetime.timedelta(days=3 * 365)
    for project in projects:
        if project.start_date is None or project.start_date > today:
            continue
        cycle = project.report_cycle
        if project.phase == Phase.CLOSED:
            count, last_end = rng.randint(0, 3), project.end_date
        else:
            count = (rng.randint(4, 11) if cycle == ReportCycle.BIWEEKLY
                     else rng.randint(3, 8) if cycle == ReportCycle.MONTHLY
                     else rng.randint(1, 5))  # fmt: skip
            lag = (rng.randint(cycle + 1, cycle * 3) if rng.random() < LATE_SHARE
                   else rng.randint(1, cycle - 1))  # fmt: skip
            last_end = today - datetime.timedelta(days=lag)
        periods = _periods_back(max(project.start_date, oldest), last_end, cycle, count)
        weights = TROUBLED_WEIGHTS if project.troubled else COLOUR_WEIGHTS
        fill = texts_fill(project)
        for k, (start, end) in enumerate(periods):
            newest = k == len(periods) - 1
            report = StatusReport(
                municipality_id=m_id,
                project=project,
                period_start=start,
                period_end=end,
                reported_on=min(today, end + datetime.timedelta(days=rng.randint(0, 5))),
                reported_by_id=leader_user.pk
                if project.leader is own_leader and leader_user
                else None,
                progress=rng.choice(REPORT_TEXTS).format(**fill),
                next_steps=rng.choice(REPORT_TEXTS).format(**fill),
                **{name: _pick(rng, weights) for name in COLOUR_FIELDS},
            )
            if report.suggested != Colour.GREEN and rng.random() < 0.5:
                report.barriers = f"Ressourcerne i {fill['u']} er ikke afsat."
                if newest and rng.random() < 0.1:
                    report.barrier_case = open_case(
                        f"Barriere i {project.name}",
                        report.barriers,
                        programme,
                        report.reported_on,
                        project,
                    )
            if report.suggested != Colour.GREEN and rng.random() < 0.05:
                report.overall = Colour.YELLOW if report.suggested == Colour.RED else Colour.GREEN
                report.override_reason = "Afvigelsen er midlertidig; den er håndteret."
            if newest and project.is_active and rng.random() < 0.04:
                report.needs_decision = True
                report.decision_request = (
                    f"Styregruppen bedes prioritere ressourcer til {fill['p']}."
                )
                report.case = open_case(
                    f"Beslutning om {project.name}",
                    report.decision_request,
                    project.body,
                    report.reported_on,
                    project,
                )
            reports.append(report)

    # Risks: about three per project, and a few of the portfolio as a whole
    risks: list[Risk] = []
    for project in projects:
        fill = texts_fill(project)
        for k in range(rng.randint(1, 5)):
            status = (
                RiskStatus.CLOSED
                if project.phase == Phase.CLOSED or rng.random() < 0.2
                else RiskStatus.MITIGATING
                if rng.random() < 0.3
                else RiskStatus.OPEN
            )
            risk = Risk(
                municipality_id=m_id,
                project=project,
                title=RISK_TITLES[(k + project.pk) % len(RISK_TITLES)].format(**fill),
                description="Risikoen er vurderet på projektgruppens seneste møde.",
                probability=rng.randint(1, 5),
                impact=rng.randint(1, 5),
                owner=rng.choice(active_people),
                status=status,
                mitigation="Tæt opfølgning med leverandøren og i projektgruppen.",
                identified_on=dates.between(min(project.start_date or today, today), today),
            )
            if status != RiskStatus.CLOSED and risk.score >= 15 and rng.random() < 0.1:
                risk.escalated_to = steering
                risk.case = open_case(
                    f"Risiko: {risk.title}",
                    risk.description,
                    steering,
                    dates.between(risk.identified_on, today),
                    project,
                )
            risks.append(risk)
    for k in range(8 * factor):
        risk = Risk(
            municipality_id=m_id,
            project=None,
            title=_numbered(
                [
                    "Mangel på projektledere",
                    "Cyberangreb mod kommunens systemer",
                    "Leverandørafhængighed",
                    "Besparelser på it-budgettet",
                ],
                k,
            ),
            probability=rng.randint(2, 5),
            impact=rng.randint(3, 5),
            owner=rng.choice(chiefs),
            identified_on=dates.ago(30, 700),
            mitigation="Følges af programgruppen.",
        )
        if k % 3 == 0:
            risk.escalated_to = steering
            risk.case = open_case(
                f"Risiko: {risk.title}",
                risk.mitigation,
                steering,
                dates.between(risk.identified_on, today),
                None,
            )
        risks.append(risk)

    # Benefits: about one per project that has started
    benefits: list[Benefit] = []
    for project in projects:
        if project.phase == Phase.IDEA or project.start_date is None:
            continue
        roll = rng.random()
        for k in range(0 if roll < 0.05 else 2 if roll > 0.75 else 1):
            kind = _pick(
                rng,
                [
                    (BenefitType.BUDGET, 35),
                    (BenefitType.NON_BUDGET, 30),
                    (BenefitType.QUALITATIVE, 35),
                ],
            )
            level = kind == BenefitType.QUALITATIVE and rng.random() < 0.6
            unit = "kr." if kind != BenefitType.QUALITATIVE else "%" if level else "timer"
            target = (rng.randint(60, 95) if level else rng.randint(2, 200) * 10_000
                      if unit == "kr." else rng.randint(100, 3000))  # fmt: skip
            has_target = rng.random() < 0.93
            baseline_date = project.start_date
            benefit = Benefit(
                municipality_id=m_id,
                project=project,
                title=BENEFIT_TITLES[kind][k % 2].format(**texts_fill(project)),
                type=kind,
                unit=unit,
                accumulates=not level,
                baseline_value=rng.randint(20, 50) if level else 0,
                baseline_date=baseline_date,
                target_value=target if has_target else None,
                target_date=(project.end_date or today) + datetime.timedelta(days=365)
                if has_target
                else None,
                measurement_method="Opgøres af den ansvarlige leder efter den fælles model.",
                frequency=rng.choice([3, 3, 6, 12]),
                responsible=rng.choice(chiefs) if rng.random() < 0.92 else None,
            )
            benefit.target_level = target
            benefits.append(benefit)
    for benefit in benefits:
        benefit.project_id = benefit.project.pk
        benefit.responsible_id = benefit.responsible.pk if benefit.responsible else None
    Benefit.objects.bulk_create(benefits, batch_size=1000)
    plans, measurements = [], []
    window = today - datetime.timedelta(days=550)
    for benefit in benefits:
        first_year = benefit.baseline_date.year
        years = range(
            max(first_year, today.year - 2), max(first_year, today.year - 2) + rng.randint(2, 4)
        )
        per_year = {}
        for n, year in enumerate(years):
            per_year[year] = (
                round(benefit.target_level * min(1.0, 0.6 + 0.2 * n))
                if not benefit.accumulates
                else round(benefit.target_level / len(years))
            )
            plans.append(
                BenefitPlan(
                    municipality_id=m_id, benefit_id=benefit.pk, year=year, planned=per_year[year]
                )
            )
        day = add_months(max(benefit.baseline_date, window), benefit.frequency)
        stop = today - (
            datetime.timedelta(days=rng.randint(200, 400))
            if rng.random() < 0.15
            else datetime.timedelta(0)
        )
        while day <= stop:
            planned = per_year.get(day.year, benefit.target_level / 3)
            value = (
                planned * rng.uniform(0.7, 1.0)
                if not benefit.accumulates
                else planned * benefit.frequency / 12 * rng.uniform(0.5, 1.2)
            )
            measurements.append(
                BenefitMeasurement(
                    municipality_id=m_id,
                    benefit_id=benefit.pk,
                    measured_on=day,
                    value=round(value, 1),
                    unit=benefit.unit,
                    note="Opgjort af den ansvarlige leder.",
                )
            )
            day = add_months(day, benefit.frequency)

    # Write the rest, parents first.
    Case.objects.bulk_create(cases, batch_size=1000)
    for step in steps:
        step.case_id = step.case.pk
    CaseStep.objects.bulk_create(steps, batch_size=1000)
    for row in (*gates, *milestones, *budget_years, *reports):
        row.project_id = row.project.pk
    for report in reports:
        report.case_id = report.case.pk if report.case else None
        report.barrier_case_id = report.barrier_case.pk if report.barrier_case else None
    for risk in risks:
        risk.project_id = risk.project.pk if risk.project else None
        risk.owner_id = risk.owner.pk
        risk.escalated_to_id = risk.escalated_to.pk if risk.escalated_to else None
        risk.case_id = risk.case.pk if risk.case else None
    PhaseChange.objects.bulk_create(gates, batch_size=1000)
    Milestone.objects.bulk_create(milestones, batch_size=1000)
    BudgetYear.objects.bulk_create(budget_years, batch_size=1000)
    StatusReport.objects.bulk_create(reports, batch_size=1000)
    Risk.objects.bulk_create(risks, batch_size=1000)
    BenefitPlan.objects.bulk_create(plans, batch_size=1000)
    BenefitMeasurement.objects.bulk_create(measurements, batch_size=1000)
    return {
        "Project": len(projects),
        "PhaseChange": len(gates),
        "Milestone": len(milestones),
        "BudgetYear": len(budget_years),
        "StatusReport": len(reports),
        "Risk": len(risks),
        "Benefit": len(benefits),
        "BenefitPlan": len(plans),
        "BenefitMeasurement": len(measurements),
        "Case": len(cases),
        "CaseStep": len(steps),
    }


def generate(scale: float, log: Callable[[str], None] = print) -> dict:
    """Write the whole dataset at `scale` into the (empty) default database."""
    started = time.perf_counter()
    rng = random.Random(f"{SEED}-{scale}")
    today = timezone.localdate()
    names = municipality_names(scale)
    password = make_password(PASSWORD)
    totals: dict[str, int] = {}
    with scopes_disabled():
        with transaction.atomic():
            municipalities = Municipality.objects.bulk_create(
                [
                    Municipality(
                        name=f"{name} Kommune",
                        slug=municipality_slug(name),
                        memo_intro=(
                            f"Notatet giver et overblik over de tværgående grupper i {name} "
                            "Kommune: formål, medlemmer, organisering og aktuel status."
                        ),
                    )
                    for name in names
                ]
            )
            users = User.objects.bulk_create(
                [
                    User(
                        username=username(name, role),
                        first_name=str(role.label),
                        last_name=f"{name} Kommune",
                        password=password,
                        municipality=municipality,
                        role=role,
                    )
                    for name, municipality in zip(names, municipalities, strict=True)
                    for role in Role
                ]
            )
        totals["Municipality"] = len(municipalities)
        totals["User"] = len(users)
        by_municipality: dict[int, dict] = {}
        for user in users:
            by_municipality.setdefault(user.municipality_id, {})[user.role] = user
        for number, (name, municipality) in enumerate(
            zip(names, municipalities, strict=True), start=1
        ):
            factor = LARGE_FACTOR if name == LARGE else 1
            with transaction.atomic():
                counts = _build(
                    municipality,
                    size_for(scale, factor),
                    factor,
                    rng,
                    today,
                    by_municipality[municipality.pk],
                )
            for model, count in counts.items():
                totals[model] = totals.get(model, 0) + count
            if number == 1 or number % 10 == 0 or number == len(names):
                log(
                    f"  {number:3d}/{len(names)} municipalities, "
                    f"{sum(totals.values()):,} rows, {time.perf_counter() - started:.1f} s"
                )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"rows": totals, "seconds": round(time.perf_counter() - started, 1)}


# --- strategy and planning (dataset version 5) ---------------------------------------------

STRATEGIES = [
    ("Digitaliseringsstrategi", -10, -6),
    ("Digitaliseringsprogram", -5, -1),
    ("Digitaliseringsstrategi", 0, 3),
]
GOAL_TITLES = [
    "Borgere og virksomheder, der kan, betjener sig selv digitalt",
    "Borgerne har adgang til egne data og sager",
    "Sammenhængende selvbetjening med automatisk sagsbehandling",
    "Effektive og brugervenlige fagsystemer",
    "Sikker og ansvarlig behandling af borgernes oplysninger",
    "Data genbruges på tværs og skaber ny viden",
    "Medarbejdernes digitale kompetencer styrkes",
    "Velfærdsteknologi frigør tid til kerneopgaven",
    "Bedre mobil- og bredbåndsdækning i hele kommunen",
    "Gevinster realiseres og dokumenteres",
]
PROPOSAL_TITLES = [
    "Digital booking af lokaler",
    "Robot til udbetaling af tilskud",
    "Chatbot i borgerservice",
    "Sensorer i kommunale bygninger",
    "Digital tilsynsrapport",
    "Fælles opgaveportal",
    "Talegenkendelse i sagsbehandlingen",
    "Automatisk journalisering af e-mails",
    "Skærmbesøg i hjemmeplejen",
    "Digital vagtplan i dagtilbud",
]
PLAN_ENTRIES_PER_PLAN = 60
YEARLY_ACTIVITIES = [
    ("Indsatsplanen udarbejdes", "deadline", 9, None),
    ("Indsatsplanen godkendes", "decision", 11, 25),
    ("Digitaliseringsseminar", "seminar", 5, 20),
    ("Årlig vurdering af informationssikkerhedspolitikken", "review", 3, 1),
    ("Behov for ny risikovurdering vurderes", "review", 9, 15),
    ("Databeskyttelsesrådgiverens årsrapport", "report", 2, 28),
    ("Budgetproces", "budget", 6, None),
    ("Gevinstopfølgning til direktionen", "report", 8, 31),
]


def _build_planning(municipality, bodies, people, units, size, factor, rng, today) -> dict:
    """Strategies with goals, the projects' links to goals, focus areas and SDGs, proposals,
    three annual action plans (last year's and this year's approved, next year's a draft) with
    six criteria and scored entries, and the annual wheel's activities of every body."""
    from planning.models import (
        DEFAULT_CRITERIA,
        ActivityKind,
        AnnualPlan,
        Criterion,
        Frequency,
        PlanEntry,
        PlanState,
        Progress,
        Proposal,
        ProposalSource,
        ProposalStatus,
        Score,
        WheelActivity,
    )
    from strategy.models import SDG, FocusArea, Goal, Strategy

    m_id = municipality.pk
    counts: dict[str, int] = {}
    strategies = Strategy.objects.bulk_create(
        [
            Strategy(
                municipality_id=m_id,
                title=title,
                start_year=today.year + first,
                end_year=today.year + last,
                vision="Digitalisering skal give bedre service.",
                approved_by="Kommunalbestyrelsen",
                approved_on=datetime.date(today.year + first - 1, 12, 15),
            )
            for title, first, last in STRATEGIES
        ]
    )
    goals = Goal.objects.bulk_create(
        [
            Goal(
                municipality_id=m_id,
                strategy_id=strategy.pk,
                number=str(n + 1),
                title=title,
                position=n,
            )
            for strategy in strategies
            for n, title in enumerate(GOAL_TITLES[: 6 + rng.randint(0, 4)])
        ]
    )
    current_goals = [g for g in goals if g.strategy_id == strategies[-1].pk]
    projects = list(
        Project._base_manager.filter(municipality_id=m_id)
        .order_by("pk")
        .values_list("pk", "name", "phase", "owning_unit_id", "leader_id")
    )
    focus = list(FocusArea.objects.values_list("pk", flat=True))
    sdgs = list(SDG.objects.values_list("pk", flat=True))
    goal_links, focus_links, sdg_links = [], [], []
    for pk, *_ in projects:
        if rng.random() < 0.85:
            for goal in rng.sample(current_goals, rng.randint(1, 2)):
                goal_links.append(Project.goals.through(project_id=pk, goal_id=goal.pk))
        for area in rng.sample(focus, rng.randint(1, 2)):
            focus_links.append(Project.focus_areas.through(project_id=pk, focusarea_id=area))
        for sdg in rng.sample(sdgs, rng.randint(0, 2)):
            sdg_links.append(Project.sdgs.through(project_id=pk, sdg_id=sdg))
    Project.goals.through.objects.bulk_create(goal_links, batch_size=1000)
    Project.focus_areas.through.objects.bulk_create(focus_links, batch_size=1000)
    Project.sdgs.through.objects.bulk_create(sdg_links, batch_size=1000)
    counts.update(
        {
            "Strategy": len(strategies),
            "Goal": len(goals),
            "ProjectLink": len(goal_links) + len(focus_links) + len(sdg_links),
        }
    )

    active_people = [p for p in people if p.active] or people
    innovation = next((b for b in bodies if b.kind == BodyKind.INNOVATION_GROUP), None)
    proposals = []
    converted = iter(projects[: len(projects) // 20])
    statuses = [
        ProposalStatus.NEW,
        ProposalStatus.ASSESSING,
        ProposalStatus.PLANNED,
        ProposalStatus.REJECTED,
        ProposalStatus.PROJECT,
    ]
    for n in range(40 * factor):
        status = statuses[n % len(statuses)]
        project = next(converted, None) if status == ProposalStatus.PROJECT else None
        if status == ProposalStatus.PROJECT and project is None:
            status = ProposalStatus.ASSESSING
        idea = n % 3 == 0 and innovation is not None
        proposals.append(
            Proposal(
                municipality_id=m_id,
                title=_numbered(PROPOSAL_TITLES, n),
                source=ProposalSource.INNOVATION if idea else ProposalSource.LOCAL,
                body_id=innovation.pk if idea else None,
                unit_id=rng.choice(units).pk,
                contact_id=rng.choice(active_people).pk,
                received_on=today - datetime.timedelta(days=rng.randint(0, 700)),
                description="Behovet er meldt ind af den lokale digitaliseringsorganisation.",
                expected_benefit="Færre manuelle sagsskridt og hurtigere svar til borgerne.",
                estimated_hours=rng.randint(50, 2000),
                estimated_amount=rng.randint(20, 3000) * 1000,
                status=status,
                status_note="Ligger uden for strategien."
                if status == ProposalStatus.REJECTED
                else "",
                project_id=project[0] if project else None,
            )
        )
    Proposal.objects.bulk_create(proposals, batch_size=1000)
    counts["Proposal"] = len(proposals)

    steering = next((b for b in bodies if b.kind == BodyKind.STEERING_GROUP), bodies[0])
    programme = next((b for b in bodies if b.kind == BodyKind.PROGRAMME_GROUP), bodies[0])
    decisions = {
        body.pk: list(
            AgendaItem._base_manager.filter(
                municipality_id=m_id,
                meeting__body_id=body.pk,
                kind=ItemKind.DECISION,
                meeting__state=MeetingState.MINUTES_APPROVED,
            )
            .order_by("meeting__date")
            .values_list("pk", "meeting__date")
        )
        for body in (steering, programme)
    }

    def decision_in(body, year):
        matching = [pk for pk, day in decisions[body.pk] if day.year == year]
        return matching[-1] if matching else None

    plans, criteria, entries, scores = [], [], [], []
    for offset in (-1, 0, 1):
        year = today.year + offset
        approved = offset < 1
        plan = AnnualPlan(
            municipality_id=m_id,
            year=year,
            title=f"Indsatsplan {year}",
            introduction="Programgruppens forslag til prioritering af de tværgående indsatser.",
            state=PlanState.APPROVED if approved else PlanState.DRAFT,
            capacity_hours=9000 * factor,
            capacity_amount=6_000_000 * factor,
            recommended_by_id=decision_in(programme, year - 1) if approved else None,
            approved_by_id=decision_in(steering, year - 1) if approved else None,
        )
        if approved and not (plan.recommended_by_id and plan.approved_by_id):
            plan.state = PlanState.DRAFT
            plan.recommended_by_id = plan.approved_by_id = None
        plans.append(plan)
    AnnualPlan.objects.bulk_create(plans)
    for plan in plans:
        plan_criteria = [
            Criterion(
                municipality_id=m_id,
                plan_id=plan.pk,
                name=str(name),
                weight=weight,
                lower_is_better=lower,
                position=n,
            )
            for n, (name, weight, lower) in enumerate(DEFAULT_CRITERIA)
        ]
        criteria.extend(plan_criteria)
        plan._criteria = plan_criteria
    Criterion.objects.bulk_create(criteria)
    progresses = list(Progress.values)
    for plan in plans:
        for n in range(PLAN_ENTRIES_PER_PLAN * factor):
            pk, name, _phase, unit_id, leader_id = projects[(n * 7 + plan.year) % len(projects)]
            entry = PlanEntry(
                municipality_id=m_id,
                plan_id=plan.pk,
                title=name,
                project_id=pk,
                responsible_id=leader_id,
                unit_id=unit_id,
                hours=rng.randint(20, 400),
                amount=rng.randint(10, 400) * 1000,
                position=n,
                progress=rng.choice(progresses)
                if plan.state == PlanState.APPROVED
                else Progress.NOT_STARTED,
            )
            if n % 25 == 3:
                entry.rank_override, entry.rank_reason = 1 + n % 10, "Lovkrav med frist."
            entries.append(entry)
            entry._plan = plan
    PlanEntry.objects.bulk_create(entries, batch_size=1000)
    for entry in entries:
        for criterion in entry._plan._criteria:
            if entry._plan.state == PlanState.DRAFT and rng.random() < 0.1:
                continue  # a draft is still being scored
            scores.append(
                Score(
                    municipality_id=m_id,
                    entry_id=entry.pk,
                    criterion_id=criterion.pk,
                    value=rng.randint(1, 5),
                )
            )
    Score.objects.bulk_create(scores, batch_size=2000)
    counts.update(
        {
            "AnnualPlan": len(plans),
            "Criterion": len(criteria),
            "PlanEntry": len(entries),
            "Score": len(scores),
        }
    )

    activities = []
    start = datetime.date(today.year - 2, 1, 1)
    for body in bodies:
        if body.closed_on:
            continue
        per_year = body.meetings_per_year
        if per_year in (24, 26):
            rule = {"frequency": Frequency.WEEKLY, "interval": 2}
        elif per_year == 11 or per_year == 12:
            rule = {"frequency": Frequency.NTH_WEEKDAY, "week_of_month": 2, "weekday": 1}
        elif per_year == 6:
            rule = {"frequency": Frequency.MONTHLY, "interval": 2, "day": 10}
        elif per_year == 4:
            rule = {"frequency": Frequency.QUARTERLY, "day": 15, "month": 3}
        elif per_year == 2:
            rule = {"frequency": Frequency.MONTHLY, "interval": 6, "day": 5}
        else:
            continue
        activities.append(
            WheelActivity(
                municipality_id=m_id,
                body_id=body.pk,
                title=f"{body.name}: møde",
                kind=ActivityKind.MEETING,
                starts_on=start,
                **rule,
            )
        )
    for n in range(20 * factor):
        title, kind, month, day = YEARLY_ACTIVITIES[n % len(YEARLY_ACTIVITIES)]
        body = rng.choice([steering, programme, *bodies[:9]])
        activities.append(
            WheelActivity(
                municipality_id=m_id,
                body_id=None if n % 5 == 0 else body.pk,
                title=_numbered([title], n // len(YEARLY_ACTIVITIES)),
                kind=kind,
                frequency=Frequency.YEARLY,
                month=month,
                day=day,
                starts_on=start,
            )
        )
    WheelActivity.objects.bulk_create(activities, batch_size=1000)
    counts["WheelActivity"] = len(activities)
    return counts


# --- IT systems and data protection (dataset version 8) --------------------------------------

SYSTEMS_PER_MUNICIPALITY = 1000  # at scale 1.0, in the large municipality too (issue 18)
CATALOGUE = [
    "Aula", "Fasit", "Borgerblikket", "Office 365", "Teams", "Zoom", "Nexus", "Momentum",
    "Kommunernes Ydelsessystem", "Ydelsesrefusion", "Fælles Bibliotekssystem", "SBSYS",
    "Acadre", "Opus Økonomi", "Silkeborg Løn", "Byggesagsportalen", "Digital Post", "MitID",
    "Serviceplatformen", "Sikker mail", "Talegenkendelse", "Printløsning", "Telefoni",
    "TV-overvågning", "Intranet", "Læringsplatform", "Vagtplan", "Skoleadministration",
    "Dagtilbudsadministration", "Affaldsplanlægning", "GIS", "Ejendomsdata", "Sundhedsjournal",
    "Hjælpemiddelsystem", "Jobcentersystem", "Kontraktstyring", "Elevplan", "Booking",
]  # fmt: skip
SUPPLIER_NAMES = [
    "KOMBIT", "Netcompany", "Systematic", "KMD", "Microsoft", "Zoom Video Communications",
    "Fujitsu", "EG", "Schultz", "Visma", "Atea", "Dedikeret Drift", "IT-Forsyningen",
    "Formpipe", "Bluegarden", "Novataris", "Itera", "Trifork", "Cordura", "Ementor",
]  # fmt: skip
THIRD_COUNTRIES = ["USA", "Indien", "Storbritannien", "USA, Indien"]
BREACH_TITLES = [
    "Brev sendt til forkert borger", "E-mail sendt til forkert modtager",
    "Bærbar computer mistet", "Uautoriseret opslag i fagsystem",
    "Forkert adgang i gruppe", "Dokument journaliseret på forkert sag",
]  # fmt: skip
PERSONAL_DATA_WEIGHTS = [
    ((), 25), (("ordinary",), 35), (("ordinary", "sensitive"), 15), (("ordinary", "cpr"), 15),
    (("ordinary", "sensitive", "cpr"), 8), (("ordinary", "criminal", "cpr"), 2),
]  # fmt: skip
CRITICALITY_WEIGHTS = [("low", 30), ("medium", 40), ("high", 22), ("critical", 8)]
HOSTING_WEIGHTS = [("external", 65), ("on_premises", 30), ("unknown", 5)]
LIFECYCLE_WEIGHTS = [("in_use", 80), ("preparation", 5), ("phasing_out", 8), ("ended", 7)]
KLE_MAIN_GROUPS = [
    ("00", "Kommunens styrelse"), ("02", "Fysisk planlægning og byggeri"),
    ("17", "Undervisning og uddannelse"), ("27", "Sundhed og sygdom"),
    ("28", "Børn og unge"), ("32", "Beskæftigelse"),
]  # fmt: skip


def _kle_tasks() -> list[int]:
    """The KLE task numbers the usages get: the catalogue's, or a small one made here when the
    catalogue is empty (the KLE import is not part of the dataset)."""
    from systems.models import KleCode

    tasks = list(KleCode.objects.filter(level=3).order_by("number").values_list("pk", flat=True))
    if tasks:
        return tasks
    mains = KleCode.objects.bulk_create(
        [KleCode(number=number, title=title, level=1) for number, title in KLE_MAIN_GROUPS]
    )
    groups = KleCode.objects.bulk_create(
        [
            KleCode(number=f"{m.number}.{g:02d}", title=f"{m.title}, gruppe {g}", level=2, parent=m)
            for m in mains
            for g in range(1, 4)
        ]
    )
    return [
        code.pk
        for code in KleCode.objects.bulk_create(
            [
                KleCode(
                    number=f"{g.number}.{t:02d}", title=f"{g.title}, opgave {t}", level=3, parent=g
                )
                for g in groups
                for t in range(0, 4)
            ]
        )
    ]


def _build_systems(municipality, bodies, people, units, size, rng, today) -> dict:
    """The IT system register: ~1,000 system usages per municipality at scale 1.0 (the same in
    the large one, as issue 18 asks: ≈100,000 in the country), each of its own system, with
    suppliers (one per ~7 systems), contracts (one per ~2.5 usages, some past their notice
    date, some ended), data-processing agreements for most external systems holding personal
    data (some with third countries) and their supervisions (some overdue), risk assessments,
    DPIAs and yearly reviews (some overdue, some missing), links to projects, KLE task codes,
    a few breaches (one under the 72-hour clock) and the municipality's DPO and security
    group."""
    from systems.models import (
        Assessment,
        Breach,
        Contract,
        DataProcessingAgreement,
        Privacy,
        Supervision,
        Supplier,
        System,
        SystemProject,
        SystemUsage,
    )

    m_id = municipality.pk
    n = size.systems
    day = datetime.timedelta(days=1)
    counts: dict[str, int] = {}
    suppliers = Supplier.objects.bulk_create(
        [
            Supplier(
                municipality_id=m_id,
                name=_numbered(SUPPLIER_NAMES, i),
                country="USA" if i % 9 == 5 else "Danmark",
            )
            for i in range(max(3, n // 7))
        ],
        batch_size=1000,
    )
    systems = System.objects.bulk_create(
        [
            System(
                municipality_id=m_id,
                name=_numbered(CATALOGUE, i),
                supplier_id=suppliers[(i * 7 + rng.randint(0, 6)) % len(suppliers)].pk,
                national=i % 3 == 0,
                description="Systemet er registreret i kommunens systemoversigt.",
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    active_people = [p for p in people if p.active] or people
    security = next((b for b in bodies if b.kind == BodyKind.SECURITY_GROUP), None)
    steering = next((b for b in bodies if b.kind == BodyKind.STEERING_GROUP), None)
    usages = []
    for i, system in enumerate(systems):
        governing = rng.random()
        usages.append(
            SystemUsage(
                municipality_id=m_id,
                system_id=system.pk,
                purpose="Understøtter fagområdets opgaver.",
                owner_id=None if rng.random() < 0.05 else rng.choice(active_people).pk,
                responsible_unit_id=rng.choice(units).pk,
                body_id=(security or steering).pk
                if governing < 0.6 and (security or steering)
                else (steering.pk if governing < 0.7 and steering else None),
                criticality=_pick(rng, CRITICALITY_WEIGHTS),
                personal_data=list(_pick(rng, PERSONAL_DATA_WEIGHTS)),
                hosting=_pick(rng, HOSTING_WEIGHTS),
                lifecycle=_pick(rng, LIFECYCLE_WEIGHTS),
                annual_cost=None if i % 10 == 0 else rng.randint(1, 3000) * 1000,
                risk_assessment_months=24 if i % 6 == 0 else 12,
            )
        )
    SystemUsage.objects.bulk_create(usages, batch_size=1000)
    counts.update({"Supplier": len(suppliers), "System": len(systems), "SystemUsage": n})

    kle_tasks = _kle_tasks()
    kle_links = [
        SystemUsage.kle_codes.through(systemusage_id=u.pk, klecode_id=code)
        for u in usages
        for code in rng.sample(kle_tasks, min(len(kle_tasks), rng.randint(0, 3)))
    ]
    SystemUsage.kle_codes.through.objects.bulk_create(kle_links, batch_size=2000)

    projects = list(
        Project.objects.filter(municipality_id=m_id).order_by("pk").values_list("pk", flat=True)
    )
    links = []
    for project in projects[: int(len(projects) * 0.6)]:
        for usage in rng.sample(usages, min(len(usages), rng.randint(1, 2))):
            links.append(
                SystemProject(
                    municipality_id=m_id,
                    usage_id=usage.pk,
                    project_id=project,
                    effect=rng.choice(["introduces", "changes", "integrates", "replaces"]),
                )
            )
    links = list({(link.usage_id, link.project_id): link for link in links}.values())
    SystemProject.objects.bulk_create(links, batch_size=1000)
    counts["SystemProject"] = len(links)

    # Contracts: one per 1–4 usages of a supplier; ends spread so that some are past their
    # notice date, some within it and a few have ended.
    contracts, contract_usages, i = [], [], 0
    while i < n:
        group = usages[i : i + rng.choice([1, 1, 2, 3, 4])]
        i += len(group)
        end = today + day * rng.randint(-200, 1800)
        notice = rng.choice([1, 3, 3, 6, 6, 12])
        start = min(end - day * 400, add_months(end, -notice) - day * 30)
        contract = Contract(
            municipality_id=m_id,
            name=f"Kontrakt {len(contracts) + 1}: {systems[i - len(group)].name}",
            supplier_id=systems[i - len(group)].supplier_id,
            start=start,
            end=end,
            notice_months=notice,
            value=rng.randint(10, 20000) * 1000,
        )
        contracts.append(contract)
        contract._usages = group
    Contract.objects.bulk_create(contracts, batch_size=1000)
    for contract in contracts:
        contract_usages += [
            Contract.usages.through(contract_id=contract.pk, systemusage_id=u.pk)
            for u in contract._usages
        ]
    Contract.usages.through.objects.bulk_create(contract_usages, batch_size=2000)
    counts["Contract"] = len(contracts)

    # Agreements: for ~90 % of the external usages holding personal data (the rest missing).
    needing = [u for u in usages if u.personal_data and u.hosting == "external"]
    agreements, agreement_usages, subs, i = [], [], [], 0
    while i < len(needing):
        group = needing[i : i + rng.choice([1, 1, 2, 3])]
        i += len(group)
        if rng.random() < 0.1:
            continue
        third = rng.random() < 0.1
        agreement = DataProcessingAgreement(
            municipality_id=m_id,
            name=f"Databehandleraftale {len(agreements) + 1}",
            processor_id=rng.choice(suppliers).pk,
            concluded_on=today - day * rng.randint(60, 2500),
            third_countries=rng.choice(THIRD_COUNTRIES) if third else "",
            transfer_basis=rng.choice(["scc", "adequacy"]) if third else "",
            supervision_months=rng.choice([12, 12, 24]),
        )
        agreements.append(agreement)
        agreement._usages = group
    DataProcessingAgreement.objects.bulk_create(agreements, batch_size=1000)
    for agreement in agreements:
        agreement_usages += [
            DataProcessingAgreement.usages.through(
                dataprocessingagreement_id=agreement.pk, systemusage_id=u.pk
            )
            for u in agreement._usages
        ]
        subs += [
            DataProcessingAgreement.sub_processors.through(
                dataprocessingagreement_id=agreement.pk, supplier_id=s.pk
            )
            for s in rng.sample(suppliers, min(len(suppliers), rng.randint(0, 2)))
            if s.pk != agreement.processor_id
        ]
    DataProcessingAgreement.usages.through.objects.bulk_create(agreement_usages, batch_size=2000)
    DataProcessingAgreement.sub_processors.through.objects.bulk_create(subs, batch_size=2000)
    counts["DataProcessingAgreement"] = len(agreements)

    supervisions = []
    for agreement in agreements:
        last = today - day * rng.randint(20, 500)  # older than the interval: overdue
        for k in range(rng.randint(0, 3)):
            done = last - day * 365 * k
            if done < agreement.concluded_on:
                break
            supervisions.append(
                Supervision(
                    municipality_id=m_id,
                    agreement_id=agreement.pk,
                    done_on=done,
                    method=rng.choice(["written", "report", "physical"]),
                    outcome=rng.choice(
                        ["satisfactory", "satisfactory", "remarks", "unsatisfactory"]
                    ),
                )
            )
    Supervision.objects.bulk_create(supervisions, batch_size=2000)
    counts["Supervision"] = len(supervisions)

    # Assessments: a risk assessment (with up to two before it) for ~90 % of the usages that
    # need one, a DPIA for most holding sensitive data, a yearly review for most governed.
    assessments = []
    for usage in usages:
        kinds = set(usage.personal_data)
        if usage.lifecycle == "ended" or not (kinds or usage.criticality in ("high", "critical")):
            continue
        if rng.random() < 0.9:
            last = today - day * rng.randint(10, 480)
            for k in range(rng.randint(1, 3)):
                assessments.append(
                    Assessment(
                        municipality_id=m_id,
                        usage_id=usage.pk,
                        kind="risk",
                        done_on=last - day * 365 * k,
                        outcome=rng.choice(["satisfactory", "satisfactory", "remarks"]),
                        summary="Risikoen er vurderet med de kendte trusler.",
                    )
                )
        if kinds & {"sensitive", "criminal", "cpr"} and rng.random() < 0.85:
            assessments.append(
                Assessment(
                    municipality_id=m_id,
                    usage_id=usage.pk,
                    kind="dpia",
                    done_on=today - day * rng.randint(30, 1500),
                    outcome="satisfactory",
                )
            )
        if usage.body_id and rng.random() < 0.8:
            assessments.append(
                Assessment(
                    municipality_id=m_id,
                    usage_id=usage.pk,
                    kind="review",
                    done_on=today - day * rng.randint(10, 420),
                    outcome="satisfactory",
                )
            )
    Assessment.objects.bulk_create(assessments, batch_size=2000)
    counts["Assessment"] = len(assessments)

    now = timezone.now()
    with_data = [u for u in usages if u.personal_data] or usages
    breaches = []
    for k in range(max(2, n // 50)):
        discovered = now - datetime.timedelta(hours=5 if k == 0 else rng.randint(80, 24 * 700))
        open_ = k == 0
        notified = None if open_ or k % 3 == 0 else discovered + datetime.timedelta(hours=30)
        breaches.append(
            Breach(
                municipality_id=m_id,
                title=_numbered(BREACH_TITLES, k),
                discovered_at=discovered,
                usage_id=rng.choice(with_data).pk,
                description="En medarbejder opdagede fejlen og meldte den straks.",
                persons_affected=rng.randint(1, 40),
                personal_data=["ordinary"],
                severity=rng.choice(["low", "risk", "risk", "high"]),
                notified_at=notified,
                not_notified_reason=""
                if open_ or notified
                else "Bruddet indebærer sandsynligvis ikke en risiko for de registrerede.",
                measures="Modtageren har slettet oplysningerne.",
                closed_on=None
                if open_
                else min(timezone.localtime(discovered).date() + 20 * day, today),
            )
        )
    Breach.objects.bulk_create(breaches, batch_size=1000)
    counts["Breach"] = len(breaches)

    officer = next((p for p in active_people if p.unit_id == units[0].pk), active_people[0])
    Privacy.objects.create(
        municipality_id=m_id, officer_id=officer.pk, security_body_id=security and security.pk
    )
    counts["Privacy"] = 1
    return counts
