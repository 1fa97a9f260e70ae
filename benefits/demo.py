"""Demo data: the benefit realisation of the demo projects of Norddjurs Kommune.

From the seeds (`docs/seeds/`), only this fact: 003 (strategy 2016–2020), the steering group
follows the benefit realisation of "især større og/eller tværgående projekter, herunder
monopolbrudsprojektet".

Everything else is DEMO: the benefits of the projects of the portfolio demo (`portfolio.demo`,
found by name), their types, baselines and targets, methods, responsible leaders (existing demo
people), and benefits with plans and measurements. Invented visible text says "(demo)".
Demokommune Vest, entirely fictional, gets the benefit of its new website.

Measurements run up to the day the demo is loaded (`timezone.localdate()`), so the demo is
alive whenever it is loaded. Among the benefits, one has no responsible leader, one no target,
two are overdue for a measurement, and the closed projects' benefits are still measured.

Like the portfolio demo's, the specifications are written as if the last full year were 2024,
and the loader moves them with one `core.demo_clock.Clock` made on the day the demo is loaded:
a plan's year by whole years, and so a date on the first or last day of a month (the
baselines, targets and measurements at the starts and ends of years and quarters), so that it
stays there and in the year of its plan; any other date by whole weeks, as the portfolio and
meetings demos move theirs (the baseline of Schrems II is the programme group's meeting day).
A date written before `portfolio.demo.WINDOW_FROM` is the projects' history and stays: the
baselines of Office 365 and the webinars at the end of 2021, when they were taken into use.

Load it right after the portfolio demo: its random numbers go on from each project's where the
portfolio demo left them (`portfolio.demo.project_rng`), so that the two give the same rows
as when the portfolio demo made the benefits itself.

`load_benefits(municipality)` is idempotent: a benefit is found by its project and title and,
when it exists, left alone (a demo user may have changed it since); a project that is not
there (the portfolio demo is not loaded) gets none.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from benefits.models import Benefit, BenefitMeasurement, BenefitPlan, BenefitType, add_months
from core.demo_clock import Clock
from core.models import Municipality, User
from organisation.models import Person
from portfolio.demo import (
    ANNETTE,
    BETTINA,
    KAARE,
    KENNETH,
    LENE,
    ML,
    NORDDJURS,
    SOES,
    VEST,
    WINDOW_FROM,
    D,
    project_rng,
)
from portfolio.models import Project

# --- Specifications ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BenefitSpec:
    title: str
    type: str
    description: str = ""
    unit: str = "kr."
    accumulates: bool = True
    baseline: tuple[Decimal | int, datetime.date] | None = None
    target: tuple[Decimal | int, datetime.date] | None = None
    method: str = ""
    frequency: int = 3  # months
    responsible: tuple[str, ...] = ()  # names of demo people; the first one found is used
    first_due: datetime.date | None = None
    plans: tuple[tuple[int, int], ...] = ()  # (written year, planned in the unit)
    # Measurements every `frequency` months from `measure_from` until `stop` days before
    # today: what was realised, `achieve` times the plan (accumulating) or the way from the
    # baseline to the target (a level).
    measure_from: datetime.date | None = None
    stop: int = 0
    achieve: float = 0.9


# The benefits of each project of portfolio.demo, by the project's name, in the order of the
# portfolio demo's projects.
NORDDJURS_BENEFITS: dict[str, tuple[BenefitSpec, ...]] = {
    "Aula": (
        BenefitSpec(
            "Forældrenes tilfredshed med kommunikationen (demo)",
            BenefitType.QUALITATIVE,
            unit="%",
            accumulates=False,
            baseline=(68, D(2023, 12, 31)),
            target=(85, D(2026, 12, 31)),
            method="Spørgeskema til forældre i Aula hvert halve år (demo).",
            frequency=6,
            responsible=LENE,
            plans=((2024, 75), (2025, 80), (2026, 85)),
            measure_from=D(2024, 6, 30),
            achieve=0.85,
            description="Måles fortsat, efter at projektet er afsluttet (demo).",
        ),
    ),
    "Borgerblikket": (
        BenefitSpec(
            "Flere borgere finder selv svar på deres sag (demo)",
            BenefitType.QUALITATIVE,
            unit="%",
            accumulates=False,
            baseline=(12, D(2024, 1, 1)),
            method="Andel af borgerne med en sag, der har set den i Borgerblikket (demo).",
            frequency=3,
            responsible=ML,
            plans=((2025, 20), (2026, 30)),
            measure_from=D(2024, 6, 30),
            achieve=1.0,
            description="Målet fastsættes, når næste bølge er planlagt (demo).",
        ),
    ),
    "Ydelsesrefusionssystem": (
        BenefitSpec(
            "Færre manuelle korrektioner af refusionen (demo)",
            BenefitType.BUDGET,
            baseline=(0, D(2023, 12, 31)),
            target=(600_000, D(2026, 12, 31)),
            method="Sparede timer i Økonomi ganget med timeprisen, budgetreguleret (demo).",
            frequency=3,
            responsible=BETTINA,
            plans=((2024, 150_000), (2025, 200_000), (2026, 250_000)),
            measure_from=D(2024, 3, 31),
            achieve=0.95,
        ),
    ),
    "Office 365 og Teams": (
        BenefitSpec(
            "Sparet transporttid ved virtuelle møder (demo)",
            BenefitType.NON_BUDGET,
            baseline=(0, D(2021, 12, 31)),
            target=(1_500_000, D(2026, 12, 31)),
            method="Antal Teams-møder på tværs af matrikler × sparet køretid × timepris (demo).",
            frequency=3,
            responsible=KENNETH,
            plans=((2024, 1_200_000), (2025, 1_400_000), (2026, 1_500_000)),
            measure_from=D(2024, 3, 31),
            achieve=1.05,
        ),
    ),
    "Nyt intranet": (
        BenefitSpec(
            "Medarbejderne finder vejledninger hurtigere (demo)",
            BenefitType.QUALITATIVE,
            unit="%",
            accumulates=False,
            baseline=(45, D(2024, 10, 1)),
            target=(75, D(2027, 6, 30)),
            method="Andel, der i medarbejdermålingen svarer, at de let finder vejledninger (demo).",
            frequency=6,
            first_due=D(2026, 9, 30),
            plans=((2026, 55), (2027, 75)),
            description="Ingen ansvarlig leder er udpeget endnu (demo).",
        ),
    ),
    "Webinarløsning": (
        BenefitSpec(
            "Sparede udgifter til kurser og konferencer (demo)",
            BenefitType.NON_BUDGET,
            baseline=(0, D(2021, 12, 31)),
            target=(300_000, D(2025, 12, 31)),
            method="Kursusudgifter før og efter webinarer (demo).",
            frequency=6,
            responsible=KENNETH,
            plans=((2024, 120_000), (2025, 120_000), (2026, 100_000)),
            measure_from=D(2024, 6, 30),
            achieve=0.8,
            description="Måles fortsat, efter at projektet er afsluttet (demo).",
        ),
    ),
    "Schrems II – overførsel af data til tredjelande": (
        BenefitSpec(
            "Systemer med gyldigt overførselsgrundlag (demo)",
            BenefitType.QUALITATIVE,
            unit="%",
            accumulates=False,
            baseline=(60, D(2024, 5, 21)),
            target=(100, D(2026, 12, 31)),
            method="Andel af systemerne med tredjelandsoverførsel, der har et gyldigt "
            "grundlag (demo).",
            frequency=3,
            responsible=KAARE,
            plans=((2025, 85), (2026, 100)),
            measure_from=D(2024, 9, 30),
            achieve=0.9,
        ),
    ),
    "Monopolbrud": (
        BenefitSpec(
            "Lavere licensudgifter efter monopolbruddet (demo)",
            BenefitType.BUDGET,
            baseline=(0, D(2023, 12, 31)),
            target=(2_400_000, D(2027, 12, 31)),
            method="Licensudgifter før og efter overgangen, budgetreguleret (demo).",
            frequency=3,
            responsible=BETTINA,
            plans=((2024, 400_000), (2025, 600_000), (2026, 700_000), (2027, 700_000)),
            measure_from=D(2024, 3, 31),
            achieve=0.7,
        ),
    ),
    "Talegenkendelse": (
        BenefitSpec(
            "Frigjort tid til dokumentation (demo)",
            BenefitType.QUALITATIVE,
            unit="timer",
            baseline=(0, D(2023, 12, 31)),
            target=(2_000, D(2026, 12, 31)),
            method="Sagsbehandlernes tidsregistrering af journalisering (demo).",
            frequency=6,
            responsible=ANNETTE,
            plans=((2024, 1_500), (2025, 1_800), (2026, 2_000)),
            measure_from=D(2024, 6, 30),
            achieve=0.9,
        ),
    ),
    "Udnyttelse af velfærdsteknologi": (
        BenefitSpec(
            "Færre kørte besøg i hjemmeplejen (demo)",
            BenefitType.BUDGET,
            baseline=(0, D(2023, 12, 31)),
            target=(1_800_000, D(2026, 12, 31)),
            method="Sparede besøg × gennemsnitlig besøgstid × timepris, budgetreguleret (demo).",
            frequency=3,
            responsible=SOES,
            plans=((2024, 1_200_000), (2025, 1_500_000), (2026, 1_800_000)),
            measure_from=D(2024, 3, 31),
            stop=200,
            achieve=0.8,
        ),
    ),
}

# --- Demokommune Vest: DEMO, entirely fictional -------------------------------------------------

VEST_BENEFITS: dict[str, tuple[BenefitSpec, ...]] = {
    "Ny hjemmeside (demo)": (
        BenefitSpec(
            "Færre telefonopkald til borgerservice (demo)",
            BenefitType.NON_BUDGET,
            baseline=(0, D(2024, 6, 30)),
            target=(200_000, D(2026, 12, 31)),
            method="Opkald før og efter × tid pr. opkald × timepris (demo).",
            frequency=6,
            responsible=("Vibeke Vestbo",),
            plans=((2025, 100_000), (2026, 200_000)),
            measure_from=D(2025, 6, 30),
        ),
    ),
}

PLANS = {NORDDJURS: NORDDJURS_BENEFITS, VEST: VEST_BENEFITS}


# --- The clock ---------------------------------------------------------------------------------


def moved(clock: Clock, day: datetime.date | None) -> datetime.date | None:
    """A written date of a benefit moved by `clock`: the first or last day of a month by whole
    years (the 29th of February of a year that has none becomes the 28th), any other day by
    whole weeks; history, written before `WINDOW_FROM`, stays. None stays None."""
    if day is None or day < WINDOW_FROM:
        return day
    if day.day != 1 and (day + datetime.timedelta(days=1)).day != 1:
        return clock.date(day)
    year = clock.year(day.year)
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


# --- Loading ---------------------------------------------------------------------------------


class _Loader:
    def __init__(self, municipality: Municipality, plan: dict, today: datetime.date):
        self.municipality = municipality
        self.plan = plan
        self.today = today
        self.clock = Clock(today)  # moves the specs' written dates and years
        self.created: dict[str, int] = {}
        m = municipality
        self.people = {p.name: p for p in Person.objects.filter(municipality=m)}
        self.users = {u.pk: u for u in User.objects.filter(municipality=m, is_active=True)}

    def count(self, label: str, n: int = 1) -> None:
        if n:
            self.created[label] = self.created.get(label, 0) + n

    def person(self, names: tuple[str, ...]) -> Person | None:
        for name in names:
            if name in self.people:
                return self.people[name]
        return None

    def user_of(self, person: Person | None) -> User | None:
        if person is not None and person.user_id:
            return self.users.get(person.user_id)
        return None

    def load(self) -> dict[str, int]:
        for name, specs in self.plan.items():
            project = (
                Project.objects.filter(municipality=self.municipality, name=name)
                .order_by("pk")
                .first()
            )
            if project is None:
                continue
            missing = [
                spec
                for spec in specs
                if not Benefit.objects.filter(project=project, title=spec.title).exists()
            ]
            if not missing:
                continue
            rng = project_rng(project, self.clock)
            for spec in missing:
                self.benefit(project, spec, rng)
        return self.created

    def benefit(self, project: Project, spec: BenefitSpec, rng: random.Random) -> None:
        baseline_value, baseline_date = spec.baseline or (None, None)
        target_value, target_date = spec.target or (None, None)
        baseline_date, target_date = (
            moved(self.clock, baseline_date),
            moved(self.clock, target_date),
        )
        measure_from = moved(self.clock, spec.measure_from)
        benefit = Benefit(
            municipality=self.municipality,
            project=project,
            title=spec.title,
            description=spec.description,
            type=spec.type,
            unit=spec.unit,
            accumulates=spec.accumulates,
            baseline_value=Decimal(baseline_value) if baseline_value is not None else None,
            baseline_date=baseline_date,
            target_value=Decimal(target_value) if target_value is not None else None,
            target_date=target_date,
            measurement_method=spec.method,
            frequency=spec.frequency,
            responsible=self.person(spec.responsible),
            first_due=moved(self.clock, spec.first_due),
        )
        benefit.full_clean()
        benefit.save()
        self.count("gevinster")
        plans = {self.clock.year(year): planned for year, planned in spec.plans}
        for year, planned in plans.items():
            row = BenefitPlan(
                municipality=self.municipality,
                benefit=benefit,
                year=year,
                planned=Decimal(planned),
            )
            row.full_clean()
            row.save()
            self.count("gevinstplaner")
        if measure_from is None:
            return
        until = self.today - datetime.timedelta(days=spec.stop)
        day, k = measure_from, 0
        recorder = self.user_of(benefit.responsible)
        start_level = float(baseline_value or 0)
        end_level = float(
            target_value if target_value is not None else max(plans.values(), default=start_level)
        )
        span = max(((target_date or until) - measure_from).days, 1)
        while day <= until:
            if spec.accumulates:
                planned = plans.get(day.year, 0)
                value = planned * spec.frequency / 12 * spec.achieve * rng.uniform(0.85, 1.1)
                value = round(value, -3) if spec.unit == "kr." else round(value)
            else:
                progress = min(1.0, (day - measure_from).days / span)
                value = start_level + (end_level - start_level) * progress * spec.achieve
                value = round(value + rng.uniform(-1.5, 1.5), 1)
            measurement = BenefitMeasurement(
                municipality=self.municipality,
                benefit=benefit,
                measured_on=day,
                value=Decimal(str(max(value, 0))),
                unit=benefit.unit,
                note="Måling fra demodata (demo)",
                recorded_by=recorder,
            )
            measurement.full_clean()
            measurement.save()
            self.count("målinger")
            k += 1
            day = add_months(measure_from, spec.frequency * k)


def load_benefits(municipality: Municipality, stdout=None) -> dict[str, int]:
    """Load the demo benefits of the projects of `municipality` (Norddjurs or Demokommune
    Vest), right after the portfolio demo (`portfolio.demo.load_portfolio`).

    Needs the organisation and portfolio demos. The written dates and years move with a `Clock`
    of today. Safe to run any number of times: returns the rows created per kind, empty when
    everything was there. Other municipalities get nothing.
    """
    plan = PLANS.get(municipality.slug)
    if plan is None:
        return {}
    with transaction.atomic(), scopes_disabled():
        created = _Loader(municipality, plan, timezone.localdate()).load()
    if stdout is not None:
        if created:
            parts = ", ".join(f"{count} {label}" for label, count in created.items())
            stdout.write(f"Gevinster i {municipality.name}: oprettet {parts}\n")
        else:
            stdout.write(f"Gevinster i {municipality.name}: allerede indlæst; intet ændret.\n")
    return created
