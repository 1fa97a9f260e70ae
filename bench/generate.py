"""The benchmark's dataset: all 98 municipalities, each with a realistic organisation.

At scale 1.0 every municipality gets about 60 org units in a three-level tree, 600 people,
40 bodies (some closed; a handful cross-cutting, as in the seed memo: the steering group, the
security committee, the economy group, IOD and some ad hoc groups), 1,500 memberships (40 %
current, the rest ended), a mandate with 4–6 composition rules for most bodies, status entries,
the history records a real installation would have, and one login per role. København is
generated with five times the rows of the others, so every page can be measured on a small
and on a large municipality. Everything is written with bulk_create, one transaction per
municipality, from a fixed random seed: the same scale gives the same data.
"""

import copy
import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django_scopes import scopes_disabled

from core.models import Municipality, Role, User
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

GENERATOR_VERSION = "2"
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


BASE = Size(units=60, people=600, bodies=40, memberships=1500)
MINIMUM = Size(units=7, people=20, bodies=len(CORE_BODIES), memberships=40)


def size_for(scale: float, factor: int = 1) -> Size:
    """Rows of one municipality at `scale`; `factor` multiplies them for the large one."""

    def one(name: str) -> int:
        return max(getattr(MINIMUM, name), round(getattr(BASE, name) * scale)) * factor

    return Size(*(one(name) for name in ("units", "people", "bodies", "memberships")))


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
    counts["history"] = history_rows
    return counts


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
