"""Demo data: Norddjurs Kommune's annual action plans (indsatsplaner).

From the seeds: seed 001 (the mandate of the cross-cutting digitalisation organisation) gives
the programme group the duty to "Udarbejde en årlig indsatsplan til godkendelse i
styregruppen med forslag til prioritering af de tværgående projekter og aktiviteter", and the
steering group approves it. The efforts are the projects of the demo portfolio
(`portfolio.demo`) and the topics seed 000 names for the steering group (digital competences,
benefit realisation); the demo meetings (`meetings.demo_year`) add the guidelines for
artificial intelligence.

Everything else is DEMO and says "(demo)" in its text: the capacity, hours and kroner, the
scores, the rank set by hand, the progress, and the reason for going over capacity.

Two plans are loaded:

- the plan for the current year. It is approved when the demo meetings hold both a decision
  of the programme group recommending "Indsatsplan <year>" and one of the steering group
  approving it (approved minutes): last year's demo meetings (`meetings.demo_year`) hold both,
  in November and December. When only the recommendation exists, the plan is left
  recommended; when neither exists, it is recommended without a linked decision and its
  introduction says so (and so does the loader's output). Its entries are allocated more
  kroner than the plan has, with a reason, and their progress is followed.
- a draft for next year, started from the current plan (its criteria and unfinished entries)
  plus up to two proposals (`planning.models.Proposal`, when `planning.proposals.demo` has
  loaded them) and a project not yet scored.

`load(municipality)` is idempotent: a plan is found by its year and, when it exists, left
alone (a demo user may have changed it since).
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from core.models import Municipality
from meetings.models import AgendaItem, MeetingState
from organisation.models import Body, OrgUnit, Person
from planning.models import (
    AnnualPlan,
    Criterion,
    PlanEntry,
    PlanState,
    Progress,
    Proposal,
    ProposalStatus,
    Score,
)
from planning.plans import services
from portfolio.models import Project

NORDDJURS = "norddjurs"
PROGRAMME = "Den tværgående digitaliseringsprogramgruppe"
STEERING = "Den tværgående digitaliseringsstyregruppe"

SEED_001 = (
    "Programgruppen udarbejder hvert år en indsatsplan til godkendelse i styregruppen med "
    "forslag til prioritering af de tværgående projekter og aktiviteter (kommissoriet for den "
    "tværgående digitaliseringsorganisation)."
)

# (title, project name or "", responsible, unit, hours, kroner, scores in the order of the
#  default criteria: strategisk sammenhæng, forventet gevinst, risiko, omkostning, lovkrav,
#  hast; progress, note, days ago)
ENTRIES = [
    (
        "Nyt intranet",
        "Nyt intranet",
        "Demo Projektleder",
        "Digitalisering",
        1400,
        900_000,
        (5, 4, 3, 4, 1, 4),
        Progress.ON_TRACK,
        "Den nye forside og nyhedsmodulet er i test; medarbejderportalen lukkes efter planen "
        "(demo).",
        12,
    ),
    (
        "Borgerblikket",
        "Borgerblikket",
        "Demo Projektleder",
        "Borgerservice",
        600,
        250_000,
        (5, 4, 2, 2, 4, 3),
        Progress.ON_TRACK,
        "Næste bølge af den landsdækkende bølgeplan er implementeret (demo).",
        20,
    ),
    (
        "Monopolbrud",
        "Monopolbrud",
        "Demo Projektleder",
        "Digitalisering",
        900,
        700_000,
        (4, 5, 4, 4, 3, 3),
        Progress.AT_RISK,
        "Konverteringen af data fra det gamle system er forsinket hos leverandøren (demo).",
        9,
    ),
    (
        "Schrems II – overførsel af data til tredjelande",
        "Schrems II – overførsel af data til tredjelande",
        "Kaare Christensen",
        "Digitalisering",
        350,
        150_000,
        (4, 2, 2, 1, 5, 4),
        Progress.DONE,
        "Databehandleraftalerne er opdateret for alle systemer med overførsel (demo).",
        40,
    ),
    (
        "Digitale kompetencer",
        "",
        "Demo Sekretær",
        "Digitalisering",
        800,
        200_000,
        (4, 3, 1, 2, 2, 3),
        Progress.DELAYED,
        "Kurserne for ledere er flyttet til efteråret (demo).",
        15,
    ),
    (
        "Gevinstrealisering efter den fælles model",
        "",
        "Kenneth Andersen",
        "IT",
        400,
        0,
        (4, 4, 1, 1, 2, 2),
        Progress.ON_TRACK,
        "Første halvårlige opfølgning er forelagt styregruppen (demo).",
        30,
    ),
    (
        "Retningslinjer for brug af kunstig intelligens",
        "",
        "Kaare Christensen",
        "Digitalisering",
        300,
        100_000,
        (3, 3, 2, 1, 4, 3),
        Progress.ON_TRACK,
        "Udkast til retningslinjer er i høring i MED (demo).",
        6,
    ),
    (
        "Printløsninger",
        "Printløsninger",
        "Nirojan Kathirgamarajah",
        "IT",
        250,
        350_000,
        (2, 3, 2, 3, 1, 2),
        Progress.NOT_STARTED,
        "",
        0,
    ),
    (
        "Telefoniløsning",
        "Telefoniløsning",
        "Nirojan Kathirgamarajah",
        "IT",
        200,
        300_000,
        (2, 2, 3, 3, 1, 2),
        Progress.DROPPED,
        "Udskudt; kontrakten er forlænget et år (demo).",
        50,
    ),
    (
        "Mobil- og bredbåndsdækning",
        "Mobil- og bredbåndsdækning",
        "Kim T. Jensen",
        "Vej og Ejendom",
        300,
        400_000,
        (3, 3, 3, 4, 1, 2),
        Progress.ON_TRACK,
        "Kortlægningen af huller i dækningen er færdig (demo).",
        25,
    ),
]

CAPACITY_HOURS = 6000
CAPACITY_KR = 3_000_000
OVER_REASON = (
    "Overskridelsen på 350.000 kr. dækkes af den forventede gevinst ved monopolbruddet i andet "
    "halvår og af uforbrugte midler fra sidste år (demo)."
)
RANK_TITLE = "Retningslinjer for brug af kunstig intelligens"
RANK = 3
RANK_REASON = (
    "EU's forordning om kunstig intelligens stiller krav til kommunens brug af AI; "
    "retningslinjerne skal være på plads, før andre indsatser tager AI i brug (demo)."
)

NEXT_CAPACITY_HOURS = 5500
NEXT_CAPACITY_KR = 3_200_000
NEXT_PROJECT = "BRA/Smart"


def _first(model, municipality, **lookup):
    return model.objects.filter(municipality=municipality, **lookup).order_by("pk").first()


def _decision(municipality, body: Body | None, year: int) -> AgendaItem | None:
    """The newest decision of `body` in approved minutes whose item names the plan's year."""
    if body is None:
        return None
    return (
        AgendaItem.objects.filter(
            municipality=municipality,
            meeting__body=body,
            meeting__state=MeetingState.MINUTES_APPROVED,
            title__icontains=f"Indsatsplan {year}",
        )
        .exclude(decision="")
        .order_by("-meeting__date", "-pk")
        .first()
    )


class _Loader:
    def __init__(self, municipality: Municipality):
        self.m = municipality
        self.today = timezone.localdate()
        self.created: dict[str, int] = {}
        self.notes: list[str] = []
        self.people = {p.name: p for p in Person.objects.filter(municipality=municipality)}
        self.units = {u.name: u for u in OrgUnit.objects.filter(municipality=municipality)}
        self.projects = {p.name: p for p in Project.objects.filter(municipality=municipality)}

    def count(self, label: str, n: int = 1) -> None:
        self.created[label] = self.created.get(label, 0) + n

    def load(self) -> None:
        year = self.today.year
        current = AnnualPlan.objects.filter(municipality=self.m, year=year).first()
        if current is None:
            current = self.current_plan(year)
        if not AnnualPlan.objects.filter(municipality=self.m, year=year + 1).exists():
            self.next_plan(year + 1, current)

    def current_plan(self, year: int) -> AnnualPlan:
        plan = AnnualPlan(
            municipality=self.m,
            year=year,
            title=f"Indsatsplan {year}",
            introduction=f"{SEED_001}\nKapacitet, timer, beløb og scorer er demodata (demo).",
            capacity_hours=CAPACITY_HOURS,
            capacity_amount=Decimal(CAPACITY_KR),
        )
        services.create_plan(plan)
        self.count("indsatsplaner")
        criteria = list(Criterion.objects.filter(plan=plan).order_by("position", "pk"))
        for position, spec in enumerate(ENTRIES):
            (title, project, responsible, unit, hours, kroner, scores, progress, note, days) = spec
            entry = PlanEntry(
                plan=plan,
                title=title,
                project=self.projects.get(project) if project else None,
                responsible=self.people.get(responsible),
                unit=self.units.get(unit),
                hours=hours,
                amount=Decimal(kroner),
                position=position,
                description="" if project else "Tværgående aktivitet i indsatsplanen (demo).",
            )
            if title == RANK_TITLE:
                entry.rank_override, entry.rank_reason = RANK, RANK_REASON
            if progress != Progress.NOT_STARTED:
                entry.progress, entry.progress_note = progress, note
                entry.progress_updated_on = self.today - datetime.timedelta(days=days)
            entry.full_clean()
            entry.save()
            self.count("indsatser")
            for criterion, value in zip(criteria, scores, strict=True):
                Score.objects.create(entry=entry, criterion=criterion, value=value)
            self.count("scorer", len(scores))
        self.take_through_states(plan)
        return plan

    def take_through_states(self, plan: AnnualPlan) -> None:
        programme = _first(Body, self.m, name=PROGRAMME)
        steering = _first(Body, self.m, name=STEERING)
        recommended = _decision(self.m, programme, plan.year)
        approved = _decision(self.m, steering, plan.year)
        if recommended is not None:
            plan = services.recommend(plan, recommended)
            if approved is not None:
                services.approve(plan, approved, OVER_REASON)
                return
            self.notes.append(
                f"Indsatsplan {plan.year} er anbefalet af programgruppen "
                f"({recommended.meeting.date:%d-%m-%Y}); demomøderne rummer ingen godkendelse "
                "i styregruppen, så den står som anbefalet."
            )
        else:
            # No decision to point to: recommended as the brief of the demo says, and said so.
            plan.state = PlanState.RECOMMENDED
            plan.introduction += (
                f"\nDemomøderne rummer ingen beslutning om indsatsplan {plan.year}: planen står "
                "som anbefalet af programgruppen uden link til en beslutning (demo)."
            )
            self.notes.append(
                f"Indsatsplan {plan.year}: demomøderne rummer ingen beslutning om planen; den "
                "står som anbefalet uden link til en beslutning."
            )
        plan.over_capacity_reason = OVER_REASON
        plan.save()

    def next_plan(self, year: int, current: AnnualPlan) -> AnnualPlan:
        plan = AnnualPlan(
            municipality=self.m,
            year=year,
            title=f"Indsatsplan {year}",
            introduction=f"{SEED_001}\nUdkast: de uafsluttede indsatser fra {current.year} er "
            "ført videre, og nye behov er taget med (demo).",
            capacity_hours=NEXT_CAPACITY_HOURS,
            capacity_amount=Decimal(NEXT_CAPACITY_KR),
        )
        services.create_plan(plan, copy_from=current)
        self.count("indsatsplaner")
        self.count("indsatser", plan.entries.count())
        position = services.next_position(plan)
        proposals = (
            Proposal.objects.filter(municipality=self.m)
            .exclude(status=ProposalStatus.REJECTED)
            .order_by("received_on", "pk")[:2]
        )
        extra = [
            PlanEntry(
                plan=plan,
                title=proposal.title,
                proposal=proposal,
                unit=proposal.unit,
                responsible=proposal.contact,
                hours=proposal.estimated_hours or 200,
                amount=proposal.estimated_amount or Decimal(100_000),
                description="Forslag fra en lokal digitaliseringsorganisation; endnu ikke "
                "scoret (demo).",
            )
            for proposal in proposals
        ]
        project = self.projects.get(NEXT_PROJECT)
        extra.append(
            PlanEntry(
                plan=plan,
                title=NEXT_PROJECT,
                project=project,
                responsible=self.people.get("Kenneth Andersen"),
                unit=self.units.get("Digitalisering"),
                hours=500,
                amount=Decimal(300_000),
                description="Projektgruppen for BRA/Smart; endnu ikke scoret (demo).",
            )
        )
        for entry in extra:
            entry.position = position
            position += 1
            entry.full_clean()
            entry.save()
            self.count("indsatser")
        return plan


def load(municipality: Municipality, stdout=None) -> dict[str, int]:
    """Load Norddjurs' action plans for this year and the next. Other municipalities get
    nothing. Safe to run any number of times: returns the rows created per kind, empty when
    everything was there already."""
    if municipality.slug != NORDDJURS:
        return {}
    with transaction.atomic(), scopes_disabled():
        loader = _Loader(municipality)
        loader.load()
    if stdout is not None:
        if loader.created:
            parts = ", ".join(f"{count} {label}" for label, count in loader.created.items())
            stdout.write(f"Indsatsplaner i {municipality.name}: oprettet {parts}\n")
        else:
            stdout.write(f"Indsatsplaner i {municipality.name}: allerede indlæst; intet ændret.\n")
        for note in loader.notes:
            stdout.write(f"  {note}\n")
    return loader.created
