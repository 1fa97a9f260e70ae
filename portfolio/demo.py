"""Demo data: the project portfolio of Norddjurs Kommune.

From the seeds (`docs/seeds/`), and only these facts:

- 000 (memo, August 2021), the steering group's topics: Borgerblikket ("Borgernes adgang til
  egne data implementeres løbende efter landsdækkende bølgeplan"), Office 365 with Teams
  ("Implementeres i løbet af 2021-2022"), the lighthouse projects the group follows ("Aula,
  Fasit, Borgerblikket og Office 365"), the intranet ("Erstatter medarbejderportal på
  norddjurs.dk"), the conference rooms ("Et antal mødelokaler opgraderes med virtuelt
  udstyr"), the webinar solution ("Zoom som supplement til Skype"), Schrems II ("Overførsel af
  data til 3.-lande") and the KOMBIT projects.
- 003 (strategy 2016–2020), the projects that continue into the period: talegenkendelse,
  monopolbrud, printløsninger, teleløsninger, bibliotekssystem, ydelsesrefusionssystem,
  udnyttelse af velfærdsteknologi, grunddataprogrammet and the samarbejdsplatform på skole- og
  dagtilbudsområdet; the cross-cutting project groups for monopolbrud, mobil- og bredbånd and
  BRA/Smart, which govern their projects and whose leaders report on the Project Board about
  every 14 days; the vision for mobile and broadband coverage; KOMBIT and the joint-municipal
  strategy as the source of national projects.
- 001 (mandate): the programme group administers the portfolio of national and joint-
  municipal, cross-municipal and cross-cutting, and local projects.

The category of each project follows the seeds' wording: the lighthouse and KOMBIT projects
and those of the joint-municipal strategy are national / joint-municipal; the project groups'
projects and the organisation-wide solutions of seed 000 are cross-cutting (tværgående).
ASSUMPTION (not in the seeds): which national projects are KOMBIT's (Aula, Borgerblikket,
Ydelsesrefusion, the collaboration platform and the library system; not Fasit, whose nature
the seeds do not give, nor the basic data programme); that print and telephony are procured
with neighbouring municipalities (cross-municipal); that speech recognition and welfare
technology are local projects of the welfare areas; the intranet as a lighthouse project
follows the demo steering group's decision of September last year (`meetings.demo_year`).

Everything else is DEMO: phases and gate dates, leaders and owners (existing demo people;
the login "projektleder" leads the intranet, Borgerblikket and monopolbrud), start and end
dates, status reports with their colours and texts, milestones, budgets, risks and their
escalation. Invented visible text says "(demo)".
Gates point at the demo meetings' decisions where one fits (found by title; left out when
the meetings demo is not loaded). DEMO: Schrems II was started by the Direktion's decision on
the data protection officer's annual report of 15-05-2024 (seed 004), on that date, which is a
seed's and does not move (`SeedDate`): the decision's trace shows the project and its benefit.

The specifications below are written as if the last full year were 2024
(`core.demo_clock`). The loader moves every invented date through one `Clock` made on the day
the demo is loaded (`timezone.localdate()`): a date by whole weeks, as `meetings.demo_year`
moves its meetings, so that the gates still find the decisions of the demo meetings and the
milestones keep the dates of the meetings' follow-ups; a budget year by whole years; an
invented year or date in a text through its marker (a project number "DIG-{Y}-04", "den
{04-06-2024}"). A date written before `WINDOW_FROM` (31-12-2023) is the projects' history
(projects begun under the strategy 2016–2020, Office 365 taken into use in 2021–2022, as the
seeds tell it): moved, it would contradict the seeds, so it stays, as do the project numbers
of those years. A date written as a number of days from today needs no clock.

Status reports run from 1 January last year (written 2024) to a few weeks before the day the
demo is loaded, so the demo is alive whenever it is loaded: most projects are up to date,
three are late, Borgerblikket's newest report needs a decision (a case in the programme
group's backlog), the barriers of the conference rooms' newest report are escalated to the
programme group, Office 365's newest report has an overridden colour with a reason.

The projects' benefits, with their plans and measurements, are `benefits.demo`'s, loaded
right after this one (`benefits.demo.load_benefits`); `project_rng` hands it each project's
random numbers where this demo left them.

`load_portfolio(municipality)` is idempotent: a project is found by its name and, when it
exists, left alone (a demo user may have changed it since); a portfolio risk by its title.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from core.demo_clock import Clock
from core.models import Municipality, Role, User
from meetings.models import AgendaItem
from organisation.models import Body, OrgUnit, Person
from portfolio import services
from portfolio.models import (
    COLOUR_FIELDS,
    BudgetYear,
    Category,
    Colour,
    Milestone,
    Phase,
    Project,
    ReportCycle,
    Risk,
    RiskStatus,
    StatusReport,
)

D = datetime.date
DAY = datetime.timedelta(days=1)


class SeedDate(datetime.date):
    """A date of a seed (the Direktion's meeting of 15-05-2024, seed 004): a fact, never moved
    by the clock (`moved`), whenever the demo is loaded."""


NORDDJURS = "norddjurs"
VEST = "demokommune-vest"

# Reports are entered from this date on: 1 January of the last full year, as the clock moves the
# year (the demo's window is written as 2024–2026: last year, this year and the next).
REPORTS_FROM = D(2024, 1, 1)
# A date written before this is history and stays; from it on, a date is invented and moves
# with the clock (the benefits' baselines at the end of 2023 move with the window).
WINDOW_FROM = D(2023, 12, 31)

NATIONAL, CROSS_MUNICIPAL, CROSS_CUTTING, LOCAL = (
    Category.NATIONAL,
    Category.CROSS_MUNICIPAL,
    Category.CROSS_CUTTING,
    Category.LOCAL,
)
BIWEEKLY, QUARTERLY = ReportCycle.BIWEEKLY, ReportCycle.QUARTERLY
G, Y, R = Colour.GREEN, Colour.YELLOW, Colour.RED

# Body keys → names in organisation/demo.py
PB, PG, DSG = "pb", "pg", "dsg"
MONO, MOBIL, BRA = "mono", "mobil", "bra"
DIR = "dir"
NORDDJURS_BODIES = {
    DIR: "Direktion",
    PB: "Project Board",
    PG: "Den tværgående digitaliseringsprogramgruppe",
    DSG: "Den tværgående digitaliseringsstyregruppe",
    MONO: "Tværgående projektgruppe for monopolbrud",
    MOBIL: "Tværgående projektgruppe for mobil- og bredbånd",
    BRA: "Tværgående projektgruppe for BRA/Smart",
}
VEST_BODIES = {DSG: "Digitaliseringsstyregruppen"}

DEMO_LEADER = "Demo Projektleder"  # the person of the login "projektleder"


# --- Specifications ----------------------------------------------------------------------------

# A date in a spec is either a written date, which the loader moves with the clock, or a whole
# number of days from the day the demo is loaded (negative: before it), so that "three weeks
# ago" stays three weeks ago.
When = datetime.date | int


@dataclass(frozen=True)
class Gate:
    """A phase change; `decision` = (body key, meeting date as written in `meetings.demo_year`,
    item title) of a demo decision."""

    to_phase: str
    on: datetime.date
    note: str = ""
    decision: tuple[str, datetime.date, str] | None = None


@dataclass(frozen=True)
class MilestoneSpec:
    title: str
    due: When
    done: When | None = None  # None: not done


@dataclass(frozen=True)
class RiskSpec:
    title: str
    probability: int
    impact: int
    owner: tuple[str, ...] = ()
    description: str = ""
    mitigation: str = ""
    status: str = RiskStatus.OPEN
    identified: When = -120
    escalate: bool = False  # to the steering group, through portfolio.services.escalate_risk


@dataclass(frozen=True)
class ProjectSpec:
    name: str
    category: str
    body: str
    unit: str
    owner: tuple[str, ...]
    leader: tuple[str, ...]
    start: datetime.date | None
    gates: tuple[Gate, ...] = ()
    code: str = ""
    kombit: bool = False
    lighthouse: bool = False
    cycle: int = QUARTERLY
    end: datetime.date | None = None
    purpose: str = ""
    scope: str = ""
    deliverables: str = ""
    success_criteria: str = ""
    # Status reports: the colour story, the steps of progress told one after the other, and
    # how many days before today the newest period ends (more than the cycle: late).
    profile: str = "green"
    steps: tuple[str, ...] = ()
    lag: int = 5
    override: str = ""  # the newest report's overall colour is green, for this reason
    decision: str = ""  # the newest report needs this decision (opens a case)
    barrier_to: str = ""  # the newest report's barriers are escalated to this body (key)
    milestones: tuple[MilestoneSpec, ...] = ()
    budget: tuple[tuple[int, int], ...] = ()  # (written year, planned DKK)
    over_budget: bool = False
    risks: tuple[RiskSpec, ...] = ()


def _lines(*lines: str) -> str:
    return "\n".join(lines)


_PROJECT_GROUP_DUTY = (
    # seed 003, "Tværgående projektgruppe – Ansvar"
    "Projektgruppen skal sikre, at de leverancer og succeskriterier der er opstillet i "
    "projektet – og som kan ses i startdokumentet på projektet – opnås."
)

# People (names from organisation.demo and meetings.demo; the first one found is used)
TONNY = ("Tonny Olsen",)
KENNETH = ("Kenneth Andersen",)
KAARE = ("Kaare Christensen",)
NIROJAN = ("Nirojan Kathirgamarajah",)
KIM_B = ("Kim B. Nielsen",)
LENE = ("Lene Mehlsen Thomsen", "Thomas Olesen")
JACOB = ("Jacob Hørlyk",)
SOES = ("Søs Fuglsang",)
HANNE_W = ("Hanne Winterberg",)
TRINE_G = ("Trine Grejsen",)
LARS = ("Lars Lerche",)
BETTINA = ("Bettina Andersen",)
ERIK = ("Erik Holck Hansen", "Bettina Andersen")
PIA = ("Pia Ladefoged",)
RIKKE = ("Rikke Broch",)
MARIE = ("Marie-Louise Ifversen",)
ANNETTE = ("Annette Kristensen",)
KIM_T = ("Kim T. Jensen",)
ML = (DEMO_LEADER,)

# Decisions of the demo meetings (meetings.demo_year) that gates point at, as written there
# (both demos move them with the same clock)
DSG_MARCH, DSG_JUNE, DSG_SEPT = D(2024, 3, 5), D(2024, 6, 4), D(2024, 9, 3)
PG_NOV = D(2024, 11, 19)
# The Direktion's meeting of seed 004 (`meetings.demo`), not moved: its decision on the data
# protection officer's annual report 2023 points to the Datatilsynet's focus on "leverandør-
# styring" in 2024. DEMO: that this decision started Schrems II (a gate that points at it, so
# that the decision's trace shows the project and its benefit).
DIR_SEED_004 = SeedDate(2024, 5, 15)
DPO_REPORT = (DIR, DIR_SEED_004, "Databeskyttelsesrådgiverens årsrapport 2023")

NORDDJURS_PROJECTS = [
    # --- national / joint-municipal ----------------------------------------------------------
    ProjectSpec(
        "Aula",
        NATIONAL,
        PG,
        "Skole og Dagtilbud",
        LENE,
        JACOB,
        D(2018, 9, 3),
        code="DIG-2018-03",
        kombit=True,
        lighthouse=True,
        end=DSG_SEPT,
        gates=(
            Gate(Phase.ANALYSIS, D(2018, 9, 3)),
            Gate(Phase.IMPLEMENTATION, D(2019, 3, 1)),
            Gate(
                Phase.REALISATION,
                D(2020, 10, 1),
                "Aula er i drift på alle skoler og i alle dagtilbud (demo).",
            ),
            Gate(
                Phase.CLOSED,
                DSG_SEPT,
                "Evalueringen er taget til efterretning; gevinsterne følges fortsat (demo).",
                decision=(DSG, DSG_SEPT, "Aula – evaluering"),
            ),
        ),
        purpose="Aula er en af de fyrtårnsprojekter, styregruppen følger: én fælles "
        "kommunikationsplatform for skole, dagtilbud og forældre (demo).",
        deliverables=_lines(
            "Aula i drift på alle skoler og i alle dagtilbud (demo)",
            "Vejledning af medarbejdere og forældre (demo)",
        ),
        success_criteria="Forældrene er tilfredse med kommunikationen (demo).",
        profile="green",
        lag=0,
        steps=(
            "Aula er i drift; supporten er overgået til driften (demo).",
            "Vejledningen af nye medarbejdere er opdateret (demo).",
            "Evalueringen af Aula er udarbejdet til styregruppen (demo).",
        ),
        milestones=(
            MilestoneSpec("Aula i drift på skolerne (demo)", D(2019, 8, 12), D(2019, 8, 12)),
            MilestoneSpec("Aula i drift i dagtilbud (demo)", D(2020, 9, 28), D(2020, 10, 1)),
            MilestoneSpec("Evaluering til styregruppen (demo)", D(2024, 8, 23), D(2024, 8, 21)),
        ),
        budget=((2024, 150_000),),
        risks=(
            RiskSpec(
                "Nye medarbejdere kender ikke Aula godt nok (demo)",
                3,
                2,
                JACOB,
                mitigation="Fast introduktion til Aula for nye medarbejdere (demo).",
                status=RiskStatus.CLOSED,
                identified=D(2024, 2, 1),
            ),
        ),
    ),
    ProjectSpec(
        "Fasit",
        NATIONAL,
        PG,
        "Borgerservice, IT og Digitalisering",
        TONNY,
        RIKKE,
        D(2021, 2, 1),
        code="DIG-2021-02",
        lighthouse=True,
        gates=(
            Gate(Phase.ANALYSIS, D(2021, 2, 1)),
            Gate(Phase.IMPLEMENTATION, D(2022, 1, 10)),
            Gate(Phase.REALISATION, D(2024, 1, 15), "Løsningen er i drift (demo)."),
        ),
        purpose="Fasit er et af de fyrtårnsprojekter, styregruppen følger (seed 000). "
        "Projektets indhold er ikke beskrevet i kildematerialet (demo).",
        success_criteria="Gevinstopgørelse forelagt styregruppen (demo).",
        profile="recovering",
        lag=25,
        steps=(
            "Gevinstopgørelsen forberedes (demo).",
            "Gevinstopgørelsen er forelagt styregruppen den {04-06-2024} (demo).",
            "Opfølgning på gevinsterne efter den fælles model (demo).",
        ),
        milestones=(
            MilestoneSpec(
                "Gevinstopgørelse til styregruppen (demo)", D(2024, 5, 24), D(2024, 5, 22)
            ),
            MilestoneSpec("Halvårlig opfølgning på gevinster (demo)", 40),
        ),
        budget=((2024, 300_000), (2025, 200_000), (2026, 100_000)),
        risks=(
            RiskSpec(
                "Gevinsterne kan ikke opgøres, fordi data mangler (demo)",
                3,
                3,
                RIKKE,
                mitigation="Baseline fastlægges sammen med Økonomi (demo).",
                status=RiskStatus.MITIGATING,
                identified=D(2024, 3, 10),
            ),
        ),
    ),
    ProjectSpec(
        "Borgerblikket",
        NATIONAL,
        PG,
        "Borgerservice",
        TONNY,
        ML,
        D(2021, 3, 1),
        code="DIG-2021-04",
        kombit=True,
        lighthouse=True,
        gates=(
            Gate(Phase.ANALYSIS, D(2021, 3, 1)),
            Gate(
                Phase.IMPLEMENTATION,
                D(2021, 9, 1),
                "Implementeringen følger den landsdækkende bølgeplan (demo).",
            ),
        ),
        purpose="Borgernes adgang til egne data implementeres løbende efter landsdækkende "
        "bølgeplan.",  # seed 000
        scope="Tilslutning af kommunens fagsystemer bølge for bølge (demo).",
        deliverables=_lines(
            "Fagsystemerne tilsluttet efter bølgeplanen (demo)",
            "Kontaktpersoner i fagområderne (demo)",
        ),
        success_criteria="Borgerne kan se deres egne sager og data (demo).",
        profile="worsening",
        lag=8,
        decision="Næste bølge kræver, at tre fagsystemer tilsluttes. Programgruppen bedes "
        "prioritere ressourcer i fagområderne til tilslutningen (demo).",
        steps=(
            "Kontaktpersoner fra fagområderne er samlet (demo).",
            "Bølge 3 er gennemført (demo).",
            "Forberedelse af næste bølge (demo).",
            "Fagsystemerne til næste bølge er kortlagt (demo).",
            "Test af tilslutningen er i gang (demo).",
        ),
        milestones=(
            MilestoneSpec(
                "Kontaktpersoner fra fagområderne (demo)", D(2024, 3, 15), D(2024, 3, 12)
            ),
            MilestoneSpec("Bølge 3 i drift (demo)", D(2024, 11, 1), D(2024, 11, 4)),
            MilestoneSpec("Bølge 4 i drift (demo)", -20),
            MilestoneSpec("Bølge 5 i drift (demo)", 160),
        ),
        budget=((2024, 250_000), (2025, 300_000), (2026, 300_000), (2027, 150_000)),
        risks=(
            RiskSpec(
                "Fagområderne har ikke ressourcer til tilslutningen (demo)",
                4,
                3,
                ML,
                mitigation="Prioritering i programgruppen (demo).",
                identified=-60,
            ),
            RiskSpec(
                "Leverandørerne af fagsystemerne leverer integrationen for sent (demo)",
                3,
                3,
                ML,
                mitigation="Tæt dialog med leverandørerne (demo).",
                identified=D(2025, 2, 1),
            ),
        ),
    ),
    ProjectSpec(
        "Grunddataprogrammet",
        NATIONAL,
        PG,
        "Digitalisering",
        KIM_B,
        KENNETH,
        D(2016, 1, 4),
        code="DIG-2016-01",
        end=D(2025, 3, 31),
        gates=(
            Gate(Phase.ANALYSIS, D(2016, 1, 4)),
            Gate(Phase.IMPLEMENTATION, D(2016, 9, 1)),
            Gate(Phase.REALISATION, D(2023, 6, 1)),
            Gate(
                Phase.CLOSED,
                D(2025, 3, 31),
                "De sidste systemer bruger grunddata; projektet er afsluttet (demo).",
            ),
        ),
        purpose="Kommunens fagsystemer bruger de fællesoffentlige grunddata (demo).",
        profile="green",
        lag=0,
        steps=(
            "Udfasning af lokale registre (demo).",
            "De sidste fagsystemer henter adresser og ejendomsdata fra grunddata (demo).",
            "Afslutningsrapport udarbejdet (demo).",
        ),
        budget=((2024, 120_000), (2025, 40_000)),
        milestones=(MilestoneSpec("Afslutningsrapport (demo)", D(2025, 3, 15), D(2025, 3, 20)),),
    ),
    ProjectSpec(
        "Ydelsesrefusionssystem",
        NATIONAL,
        PG,
        "Arbejdsmarked",
        ERIK,
        PIA,
        D(2017, 2, 1),
        code="DIG-2017-02",
        kombit=True,
        gates=(
            Gate(Phase.ANALYSIS, D(2017, 2, 1)),
            Gate(Phase.IMPLEMENTATION, D(2018, 4, 3)),
            Gate(Phase.REALISATION, D(2023, 1, 9), "Ydelsesrefusion er i drift (demo)."),
        ),
        purpose="Ydelsesrefusionssystemet beregner den statslige refusion af kommunens "
        "ydelser (demo).",
        success_criteria="Refusionen hjemtages uden manuelle korrektioner (demo).",
        profile="green",
        lag=30,
        steps=(
            "Afstemning af refusionen mellem fagsystemer og økonomisystem (demo).",
            "Månedlig afstemning kører stabilt (demo).",
        ),
        budget=((2024, 180_000), (2025, 180_000), (2026, 120_000)),
        risks=(
            RiskSpec(
                "Fejl i snitfladen til økonomisystemet giver forkert refusion (demo)",
                2,
                4,
                PIA,
                mitigation="Månedlig afstemning (demo).",
                status=RiskStatus.MITIGATING,
                identified=D(2024, 4, 2),
            ),
        ),
    ),
    ProjectSpec(
        "Samarbejdsplatform på skole- og dagtilbudsområdet",
        NATIONAL,
        PG,
        "Skole og Dagtilbud",
        LENE,
        JACOB,
        D(2017, 8, 1),
        code="DIG-2017-05",
        kombit=True,
        gates=(
            Gate(Phase.ANALYSIS, D(2017, 8, 1)),
            Gate(Phase.PROCUREMENT, D(2018, 2, 1)),
            Gate(Phase.IMPLEMENTATION, D(2019, 1, 7)),
            Gate(Phase.REALISATION, D(2022, 8, 8)),
        ),
        purpose="Digitalisering skal understøtte sammenhæng i børn og unges læring, herunder "
        "trivsel, så de udvikler sig og lærer nok til at kunne gennemføre en "
        "kompetencegivende uddannelse.",  # seed 003, focus area "Digital sammenhæng"
        profile="green",
        lag=50,
        steps=(
            "Læringsplatformen bruges på alle skoler (demo).",
            "Opfølgning på brugen i dagtilbud (demo).",
        ),
        budget=((2024, 90_000), (2025, 90_000), (2026, 60_000)),
    ),
    ProjectSpec(
        "Bibliotekssystem",
        NATIONAL,
        PG,
        "Kultur og Udvikling",
        TRINE_G,
        LARS,
        D(2016, 3, 1),
        code="DIG-2016-04",
        kombit=True,
        gates=(
            Gate(Phase.ANALYSIS, D(2016, 3, 1)),
            Gate(Phase.IMPLEMENTATION, D(2017, 1, 9)),
            Gate(Phase.REALISATION, D(2019, 6, 3)),
        ),
        purpose="Et fælles bibliotekssystem for kommunens biblioteker (demo).",
        profile="green",
        lag=15,
        steps=(
            "Selvbetjening i bibliotekerne er udvidet (demo).",
            "Opfølgning på udlån via selvbetjening (demo).",
        ),
        budget=((2024, 60_000), (2025, 60_000), (2026, 60_000)),
    ),
    # --- cross-cutting, on the Project Board every 14 days -------------------------------------
    ProjectSpec(
        "Office 365 og Teams",
        CROSS_CUTTING,
        PB,
        "IT",
        TONNY,
        KENNETH,
        D(2021, 1, 4),
        code="DIG-2021-01",
        lighthouse=True,
        cycle=BIWEEKLY,
        gates=(
            Gate(Phase.ANALYSIS, D(2021, 1, 4)),
            Gate(Phase.IMPLEMENTATION, D(2021, 4, 6)),
            Gate(
                Phase.REALISATION,
                DSG_MARCH,
                "Governance for teams og samarbejdsrum er "
                "godkendt; projektet overgår til gevinstrealisering (demo).",
                decision=(
                    DSG,
                    DSG_MARCH,
                    "Office 365 og Teams – governance for teams og samarbejdsrum",
                ),
            ),
        ),
        purpose="Office 365 med bl.a. Teams. Implementeres i løbet af 2021-2022.",  # seed 000
        deliverables=_lines(
            "Office 365 og Teams til alle medarbejdere (demo)",
            "Governance for teams og samarbejdsrum (demo)",
        ),
        success_criteria="Færre fysiske møder på tværs af matrikler (demo).",
        profile="bumpy",
        lag=4,
        override="Ressourcerne er på plads fra næste periode, hvor en ny medarbejder starter "
        "i IT (demo).",
        steps=(
            "Governance for teams er godkendt (demo).",
            "Automatisk oprydning af inaktive teams er sat op (demo).",
            "Oprydning i teams uden ejer (demo).",
            "Kurser i Teams for nye ledere (demo).",
            "Opgørelse af sparet transporttid (demo).",
        ),
        milestones=(
            MilestoneSpec("Governance for teams godkendt (demo)", DSG_MARCH, DSG_MARCH),
            MilestoneSpec(
                "Automatisk oprydning af inaktive teams (demo)", D(2024, 6, 30), D(2024, 8, 15)
            ),
            MilestoneSpec("Teams-telefoni til alle (demo)", 90),
        ),
        budget=((2024, 400_000), (2025, 350_000), (2026, 300_000)),
        risks=(
            RiskSpec(
                "Teams uden ejer deler data med forkerte personer (demo)",
                3,
                4,
                KAARE,
                mitigation="Automatisk oprydning og ejerskab hos den leder, der opretter "
                "teamet (demo).",
                status=RiskStatus.MITIGATING,
                identified=D(2024, 2, 20),
            ),
            RiskSpec(
                "Prisstigning på licenser (demo)",
                4,
                3,
                KENNETH,
                mitigation="Gennemgang af licenstyper (demo).",
                identified=-90,
            ),
        ),
    ),
    ProjectSpec(
        "Nyt intranet",
        CROSS_CUTTING,
        PB,
        "Digitalisering",
        TONNY,
        ML,
        D(2024, 6, 24),
        code="DIG-{Y}-04",
        lighthouse=True,
        cycle=BIWEEKLY,
        end=D(2027, 6, 30),
        gates=(
            Gate(Phase.ANALYSIS, D(2024, 6, 24)),
            Gate(
                Phase.PROCUREMENT,
                DSG_SEPT,
                "Styregruppen godkendte udbuddet; projektet følges som fyrtårnsprojekt.",
                decision=(DSG, DSG_SEPT, "Nyt intranet – udbud"),
            ),
            Gate(
                Phase.IMPLEMENTATION,
                D(2025, 5, 5),
                "Kontrakt med leverandøren er underskrevet (demo).",
            ),
        ),
        purpose="Intranet. Erstatter medarbejderportal på norddjurs.dk.",  # seed 000
        scope="Nyheder, vejledninger og arbejdsgruppernes materiale samlet ét sted (demo).",
        deliverables=_lines(
            "Udbudsmateriale (demo)",
            "Nyt intranet i drift (demo)",
            "Medarbejderportalen lukket (demo)",
        ),
        success_criteria="Medarbejderne finder vejledninger hurtigere end i dag (demo).",
        profile="recovering",
        lag=6,
        steps=(
            "Krav til intranettet er samlet (demo).",
            "Udbudsmaterialet er udarbejdet (demo).",
            "Tilbuddene er evalueret; leverandør valgt (demo).",
            "Platformen er sat op (demo).",
            "Indholdet flyttes fra medarbejderportalen (demo).",
            "Redaktørerne uddannes (demo).",
        ),
        milestones=(
            MilestoneSpec(
                "Udbudsmateriale for nyt intranet (demo)", D(2024, 12, 16), D(2024, 12, 13)
            ),
            MilestoneSpec("Kontrakt underskrevet (demo)", D(2025, 5, 1), D(2025, 5, 5)),
            MilestoneSpec("Indhold flyttet fra medarbejderportalen (demo)", 45),
            MilestoneSpec("Nyt intranet i drift (demo)", 100),
        ),
        budget=((2024, 200_000), (2025, 900_000), (2026, 600_000), (2027, 150_000)),
        risks=(
            RiskSpec(
                "Kontrakten om medarbejderportalen udløber før det nye intranet er i drift (demo)",
                3,
                4,
                TONNY,
                mitigation="Forlængelse på højst 12 måneder er forhandlet (demo).",
                status=RiskStatus.CLOSED,
                identified=D(2024, 8, 26),
            ),
            RiskSpec(
                "Indholdet er ikke ryddet op inden flytningen (demo)",
                4,
                2,
                ML,
                mitigation="Redaktørerne rydder op efter en fast plan (demo).",
                identified=-45,
            ),
        ),
    ),
    ProjectSpec(
        "Konferencelokaler med virtuelt udstyr",
        CROSS_CUTTING,
        PB,
        "IT",
        TONNY,
        KENNETH,
        D(2024, 10, 28),
        code="DIG-{Y}-13",
        cycle=BIWEEKLY,
        gates=(
            Gate(Phase.ANALYSIS, D(2024, 10, 28)),
            Gate(
                Phase.PROCUREMENT,
                PG_NOV,
                "Programgruppen støtter forslaget.",
                decision=(PG, PG_NOV, "Konferencelokaler – virtuelt udstyr"),
            ),
            Gate(Phase.IMPLEMENTATION, D(2025, 4, 1), "Udstyret er bestilt (demo)."),
        ),
        purpose="Konferencelokaler. Et antal mødelokaler opgraderes med virtuelt udstyr.",
        success_criteria="Hybride møder i Teams fungerer for alle deltagere (demo).",
        profile="worsening",
        lag=47,
        barrier_to=PG,
        steps=(
            "Lokalerne er udvalgt (demo).",
            "Udstyret er bestilt (demo).",
            "De første lokaler er opgraderet (demo).",
            "Leverancen af skærme er forsinket (demo).",
        ),
        milestones=(
            MilestoneSpec("Fem lokaler opgraderet (demo)", D(2025, 9, 1), D(2025, 9, 12)),
            MilestoneSpec("Alle lokaler opgraderet (demo)", -30),
        ),
        budget=((2025, 750_000), (2026, 250_000)),
        over_budget=True,
        risks=(
            RiskSpec(
                "Leverandøren kan ikke levere skærmene til tiden (demo)",
                4,
                3,
                KENNETH,
                mitigation="Alternative modeller er undersøgt (demo).",
                identified=-70,
            ),
        ),
    ),
    ProjectSpec(
        "Webinarløsning",
        CROSS_CUTTING,
        PB,
        "IT",
        TONNY,
        KENNETH,
        D(2021, 3, 1),
        code="DIG-2021-03",
        cycle=BIWEEKLY,
        end=D(2024, 6, 28),
        gates=(
            Gate(Phase.ANALYSIS, D(2021, 3, 1)),
            Gate(Phase.IMPLEMENTATION, D(2021, 6, 1)),
            Gate(Phase.REALISATION, D(2022, 1, 10)),
            Gate(
                Phase.CLOSED,
                D(2024, 6, 28),
                "Zoom er udfaset til fordel for Teams; gevinsterne følges fortsat (demo).",
            ),
        ),
        purpose="Webinarløsning. Zoom som supplement til Skype.",  # seed 000
        profile="green",
        lag=0,
        steps=(
            "Webinarer afholdes i Zoom (demo).",
            "Overgang til Teams-webinarer (demo).",
            "Zoom-licenserne er opsagt (demo).",
        ),
        budget=((2024, 60_000),),
    ),
    ProjectSpec(
        "Schrems II – overførsel af data til tredjelande",
        CROSS_CUTTING,
        PB,
        "Digitalisering",
        TONNY,
        KAARE,
        DIR_SEED_004,
        code="DIG-2024-03",
        cycle=BIWEEKLY,
        gates=(
            Gate(
                Phase.ANALYSIS,
                DIR_SEED_004,
                "Direktionen drøftede databeskyttelsesrådgiverens årsrapport og datatilsynets "
                "fokus på leverandørstyring; kortlægningen af tredjelandsoverførsler sættes i "
                "gang (demo).",
                decision=DPO_REPORT,
            ),
            Gate(
                Phase.IMPLEMENTATION,
                DSG_JUNE,
                "Handleplanen blev godkendt.",
                decision=(DSG, DSG_JUNE, "Schrems II – handleplan for overførsler til tredjelande"),
            ),
        ),
        purpose="Schrems2. Overførsel af data til 3.-lande.",  # seed 000
        scope="Kortlægning af it-systemer med overførsel af persondata til lande uden for "
        "EU/EØS og en handleplan (demo).",
        success_criteria="Alle systemer med tredjelandsoverførsel har et gyldigt "
        "overførselsgrundlag (demo).",
        profile="bumpy",
        lag=10,
        steps=(
            "Kortlægningen er godkendt (demo).",
            "Databehandleraftalerne opdateres (demo).",
            "Risikovurdering af systemerne med tredjelandsoverførsel (demo).",
            "Udfasning af to systemer uden gyldigt grundlag (demo).",
        ),
        milestones=(
            MilestoneSpec("Databehandleraftaler opdateret (demo)", D(2024, 9, 30), D(2025, 1, 20)),
            MilestoneSpec("Risikovurdering af systemerne (demo)", D(2024, 10, 31), D(2024, 12, 2)),
            MilestoneSpec("Systemer uden gyldigt grundlag udfaset (demo)", 60),
        ),
        budget=((2024, 100_000), (2025, 150_000), (2026, 100_000)),
        risks=(
            RiskSpec(
                "En leverandør kan ikke dokumentere et gyldigt overførselsgrundlag (demo)",
                4,
                5,
                KAARE,
                description="Et kritisk fagsystem overfører persondata til USA (demo).",
                mitigation="Alternativ leverandør undersøges (demo).",
                identified=-100,
                escalate=True,
            ),
        ),
    ),
    # --- governed by the cross-cutting project groups (seed 003) --------------------------------
    ProjectSpec(
        "Monopolbrud",
        CROSS_CUTTING,
        MONO,
        "Digitalisering",
        KIM_B,
        ML,
        D(2016, 1, 4),
        code="DIG-2016-02",
        cycle=BIWEEKLY,
        end=D(2027, 12, 31),
        gates=(
            Gate(Phase.ANALYSIS, D(2016, 1, 4)),
            Gate(Phase.PROCUREMENT, D(2016, 10, 3)),
            Gate(Phase.IMPLEMENTATION, D(2018, 1, 8)),
        ),
        purpose="Digitaliseringsstyregruppen skal løbende følge op på gevinstrealiseringen fra "
        "især større og/eller tværgående projekter, herunder monopolbrudsprojektet.",  # seed 003
        scope="Overgangen fra monopolløsningerne til de nye fælleskommunale løsninger (demo).",
        deliverables=_PROJECT_GROUP_DUTY,
        success_criteria="Lavere udgifter til it-løsningerne efter overgangen (demo).",
        profile="bumpy",
        lag=9,
        steps=(
            "Datakonvertering til de nye løsninger (demo).",
            "Test af snitflader (demo).",
            "Udfasning af de gamle løsninger (demo).",
            "Opgørelse af licensbesparelsen (demo).",
        ),
        milestones=(
            MilestoneSpec("Datakonvertering godkendt (demo)", D(2025, 3, 1), D(2025, 4, 10)),
            MilestoneSpec("Gamle løsninger udfaset (demo)", -10),
            MilestoneSpec("Gevinstopgørelse til styregruppen (demo)", 120),
        ),
        budget=((2024, 800_000), (2025, 900_000), (2026, 700_000), (2027, 300_000)),
        over_budget=True,
        risks=(
            RiskSpec(
                "Datakonverteringen fra monopolløsningerne forsinkes (demo)",
                4,
                4,
                ML,
                description="Leverandøren mangler kapacitet til konverteringen (demo).",
                mitigation="Forlænget parallel drift er aftalt (demo).",
                identified=-80,
                escalate=True,
            ),
            RiskSpec(
                "Udgifter til parallel drift overstiger budgettet (demo)",
                3,
                4,
                BETTINA,
                mitigation="Budgetopfølgning hver måned (demo).",
                identified=-40,
            ),
        ),
    ),
    ProjectSpec(
        "Mobil- og bredbåndsdækning",
        CROSS_CUTTING,
        MOBIL,
        "Vej og Ejendom",
        KIM_B,
        KIM_T,
        D(2025, 8, 1),
        code="DIG-{Y+1}-06",
        cycle=BIWEEKLY,
        gates=(Gate(Phase.ANALYSIS, D(2025, 8, 1)),),
        purpose="Norddjurs Kommune ønsker at udbredelsen af mobil- og bredbåndsdækningen "
        "udvikles mest muligt, således at borgerne får mulighed for at udnytte de digitale "
        "muligheder, der stilles til rådighed.",  # seed 003, the vision
        deliverables=_PROJECT_GROUP_DUTY,
        profile="recovering",
        lag=35,
        steps=(
            "Kortlægning af huller i dækningen (demo).",
            "Dialog med teleselskaberne om master på kommunale bygninger (demo).",
        ),
        milestones=(MilestoneSpec("Kortlægning af dækningen (demo)", -25),),
        budget=((2025, 100_000), (2026, 150_000)),
        risks=(
            RiskSpec(
                "Teleselskaberne vil ikke investere i yderområderne (demo)",
                3,
                4,
                KIM_T,
                identified=-50,
            ),
        ),
    ),
    ProjectSpec(
        "BRA/Smart",
        CROSS_CUTTING,
        BRA,
        "Digitalisering",
        KIM_B,
        KENNETH,
        None,
        code="DIG-{Y+2}-01",
        cycle=BIWEEKLY,
        purpose="Projektgruppen for BRA/Smart nævnes i digitaliseringsstrategien (seed 003) "
        "uden en beskrivelse; projektet er en idé (demo).",
        deliverables=_PROJECT_GROUP_DUTY,
    ),
    # --- cross-municipal ---------------------------------------------------------------------
    ProjectSpec(
        "Printløsninger",
        CROSS_MUNICIPAL,
        PG,
        "IT",
        TONNY,
        NIROJAN,
        D(2025, 2, 3),
        code="DIG-{Y+1}-02",
        gates=(
            Gate(Phase.ANALYSIS, D(2025, 2, 3)),
            Gate(Phase.PROCUREMENT, D(2025, 6, 2), "Fælles udbud med nabokommuner (demo)."),
        ),
        purpose="Ny printløsning med sikker udskrivning, udbudt sammen med nabokommuner (demo).",
        profile="worsening",
        lag=130,
        steps=(
            "Kravspecifikation sammen med nabokommunerne (demo).",
            "Udbuddet er annonceret (demo).",
            "Tilbudsevaluering er forsinket (demo).",
        ),
        milestones=(MilestoneSpec("Kontrakt underskrevet (demo)", -45),),
        budget=((2025, 150_000), (2026, 500_000)),
        risks=(
            RiskSpec(
                "Uenighed mellem kommunerne om kravene forsinker udbuddet (demo)",
                3,
                3,
                NIROJAN,
                identified=-150,
            ),
        ),
    ),
    ProjectSpec(
        "Telefoniløsning",
        CROSS_MUNICIPAL,
        PG,
        "IT",
        TONNY,
        NIROJAN,
        D(2024, 9, 2),
        code="DIG-{Y}-09",
        gates=(
            Gate(Phase.ANALYSIS, D(2024, 9, 2)),
            Gate(Phase.PROCUREMENT, D(2024, 11, 4)),
            Gate(Phase.IMPLEMENTATION, D(2025, 6, 2), "Kontrakt via fælles indkøb (demo)."),
        ),
        purpose="Ny telefoniløsning, indkøbt sammen med nabokommuner (demo).",
        profile="green",
        lag=20,
        steps=(
            "Kontrakten er underskrevet (demo).",
            "Omstillingen flyttes til den nye løsning (demo).",
            "Mobiltelefoner udskiftes (demo).",
        ),
        milestones=(
            MilestoneSpec("Omstilling flyttet (demo)", D(2025, 10, 1), D(2025, 9, 29)),
            MilestoneSpec("Alle mobiltelefoner udskiftet (demo)", 75),
        ),
        budget=((2024, 100_000), (2025, 1_200_000), (2026, 400_000)),
    ),
    # --- local -------------------------------------------------------------------------------
    ProjectSpec(
        "Talegenkendelse",
        LOCAL,
        PG,
        "Børn og Familie",
        MARIE,
        ANNETTE,
        D(2016, 2, 1),
        code="DIG-2016-05",
        gates=(
            Gate(Phase.ANALYSIS, D(2016, 2, 1)),
            Gate(Phase.IMPLEMENTATION, D(2016, 9, 1)),
            Gate(Phase.REALISATION, D(2019, 3, 4)),
        ),
        purpose="Sagsbehandlerne dikterer journalnotater med talegenkendelse (demo).",
        profile="green",
        lag=40,
        steps=(
            "Talegenkendelse udbredt til familieafdelingen (demo).",
            "Ny version med bedre dansk sprogmodel (demo).",
        ),
        budget=((2024, 50_000), (2025, 50_000), (2026, 50_000)),
    ),
    ProjectSpec(
        "Udnyttelse af velfærdsteknologi",
        LOCAL,
        PG,
        "Sundhed og Omsorg",
        SOES,
        HANNE_W,
        D(2016, 4, 1),
        code="DIG-2016-06",
        gates=(
            Gate(Phase.ANALYSIS, D(2016, 4, 1)),
            Gate(Phase.IMPLEMENTATION, D(2017, 3, 1)),
            Gate(Phase.REALISATION, D(2021, 1, 4)),
        ),
        purpose="Udnyttelse af velfærdsteknologi i hjemmeplejen: skylletoiletter, "
        "medicindispensere og skærmbesøg (demo).",  # the name is from seed 003
        profile="recovering",
        lag=60,
        steps=(
            "Medicindispensere udbredt (demo).",
            "Skærmbesøg i hjemmeplejen (demo).",
            "Opfølgning på færre besøg (demo).",
        ),
        budget=((2024, 400_000), (2025, 400_000), (2026, 300_000)),
        risks=(
            RiskSpec(
                "Borgerne fravælger skærmbesøg (demo)",
                2,
                3,
                HANNE_W,
                status=RiskStatus.MITIGATING,
                identified=D(2024, 5, 1),
            ),
        ),
    ),
]

# Portfolio risks (no project). Title, probability, impact, owner, mitigation, escalate.
NORDDJURS_PORTFOLIO_RISKS = [
    RiskSpec(
        "For få projektledere til porteføljen (demo)",
        4,
        4,
        TONNY,
        description="Flere projekter venter på en projektleder fra Digitalisering (demo).",
        mitigation="Prioritering i indsatsplanen og brug af eksterne konsulenter (demo).",
        identified=-75,
        escalate=True,
    ),
    RiskSpec(
        "Cyberangreb kan standse flere projekter på én gang (demo)",
        2,
        5,
        NIROJAN,
        mitigation="Beredskabsplan afprøves hvert år (demo).",
        status=RiskStatus.MITIGATING,
        identified=D(2024, 6, 4),
    ),
]

# --- Demokommune Vest: DEMO, entirely fictional -------------------------------------------------

VEST_DSG_APRIL = D(2024, 4, 10)
VEST_PROJECTS = [
    ProjectSpec(
        "Ny hjemmeside (demo)",
        LOCAL,
        DSG,
        "Digitalisering",
        ("Viggo Vestermark",),
        ("Valdemar Vesterlund",),
        D(2024, 3, 1),
        gates=(
            Gate(Phase.ANALYSIS, D(2024, 3, 1)),
            Gate(
                Phase.IMPLEMENTATION,
                VEST_DSG_APRIL,
                "Løsning A blev valgt (demo).",
                decision=(DSG, VEST_DSG_APRIL, "Ny hjemmeside – valg af løsning"),
            ),
        ),
        purpose="Kommunens hjemmeside skal fornyes og gøres tilgængelig (demo).",
        profile="green",
        lag=20,
        steps=(
            "Løsning A er valgt (demo).",
            "Indholdet skrives om (demo).",
            "Tilgængelighedstest (demo).",
        ),
        budget=((2024, 300_000), (2025, 200_000), (2026, 100_000)),
    ),
    ProjectSpec(
        "Selvbetjening på byggesager (demo)",
        LOCAL,
        DSG,
        "Digitalisering",
        ("Viggo Vestermark",),
        ("Vibeke Vestbo",),
        D(2026, 5, 1),
        gates=(Gate(Phase.ANALYSIS, D(2026, 5, 1)),),
        purpose="Borgerne søger byggetilladelse digitalt (demo).",
        profile="green",
        lag=30,
        steps=("Kortlægning af arbejdsgangene (demo).",),
    ),
]

PLANS = {
    NORDDJURS: {
        "bodies": NORDDJURS_BODIES,
        "projects": NORDDJURS_PROJECTS,
        "portfolio_risks": NORDDJURS_PORTFOLIO_RISKS,
        "escalate_to": DSG,
    },
    VEST: {
        "bodies": VEST_BODIES,
        "projects": VEST_PROJECTS,
        "portfolio_risks": [],
        "escalate_to": DSG,
    },
}


# --- The colour stories of the status reports -------------------------------------------------


def _colours(profile: str, i: int, n: int, rng: random.Random) -> dict[str, str]:
    """The five traffic lights of report `i` of `n` (0 = the oldest)."""
    colours = dict.fromkeys(COLOUR_FIELDS, G)
    share = (i + 1) / n
    if profile == "green":
        if rng.random() < 0.15:
            colours["resources"] = Y
        if rng.random() < 0.08:
            colours["schedule"] = Y
    elif profile == "recovering":  # trouble early on, green at the end
        if share <= 0.4:
            colours["schedule"] = R if rng.random() < 0.3 else Y
            colours["resources"] = Y
        elif share <= 0.7:
            colours["schedule"] = Y if rng.random() < 0.5 else G
    elif profile == "worsening":  # green, then yellow, red in the newest reports
        if i >= n - 2:
            colours["schedule"], colours["resources"] = R, Y
        elif i >= n - 5:
            colours["schedule"] = Y
        elif rng.random() < 0.1:
            colours["scope"] = Y
    elif profile == "bumpy":  # yellow now and then, one red spell in the middle
        if abs(share - 0.5) < 0.08:
            colours["budget"] = R
            colours["schedule"] = Y
        elif rng.random() < 0.3:
            colours[rng.choice(["budget", "resources", "schedule"])] = Y
        if i == n - 1:
            colours["resources"] = Y
    return colours


_BARRIERS = {
    "schedule": "Leverancen fra leverandøren er forsinket (demo).",
    "budget": "Udgifterne til parallel drift er højere end budgetteret (demo).",
    "resources": "Nøglepersoner i fagområdet har ikke tid til projektet (demo).",
    "scope": "Ønsker om udvidelser af leverancen (demo).",
    "benefits": "Gevinsterne kan endnu ikke måles (demo).",
}


def _report_texts(spec: ProjectSpec, i: int, n: int, colours: dict, clock: Clock) -> dict:
    steps = [clock.text(step) for step in spec.steps] or ["Arbejdet følger planen (demo)."]
    here = steps[min(len(steps) - 1, i * len(steps) // max(n, 1))]
    after = steps[min(len(steps) - 1, i * len(steps) // max(n, 1) + 1)]
    troubled = [f for f in COLOUR_FIELDS if colours[f] != G]
    return {
        "progress": here,
        "next_steps": after if after != here else "Arbejdet fortsætter efter planen (demo).",
        "barriers": " ".join(_BARRIERS[f] for f in troubled if colours[f] == R)
        or (_BARRIERS[troubled[0]] if troubled and i % 3 == 0 else ""),
    }


def _periods(first: datetime.date, last_end: datetime.date, cycle: int):
    """Back-to-back periods of `cycle` days, the newest ending on `last_end`, none before
    `first`; oldest first."""
    periods = []
    end = last_end
    while True:
        start = end - datetime.timedelta(days=cycle - 1)
        if start < first:
            break
        periods.append((start, end))
        end = start - DAY
    return periods[::-1]


# --- The clock ---------------------------------------------------------------------------------


def moved(clock: Clock, day: datetime.date | None) -> datetime.date | None:
    """A written date moved by `clock` (by whole weeks); history, written before `WINDOW_FROM`,
    and a seed's date (`SeedDate`) stay. None stays None."""
    if isinstance(day, SeedDate):
        return D(day.year, day.month, day.day)
    if day is None or day < WINDOW_FROM:
        return day
    return clock.date(day)


def reports_from(clock: Clock) -> datetime.date:
    """The day from which status reports are entered: `REPORTS_FROM` in the clock's year."""
    return REPORTS_FROM.replace(year=clock.year(REPORTS_FROM.year))


# --- The random numbers of a project -----------------------------------------------------------


def _rng(municipality: Municipality, name: str) -> random.Random:
    """A project's random numbers, seeded by its municipality and name."""
    return random.Random(f"{municipality.slug}-{name}")


def _money(value: float) -> Decimal:
    return Decimal(round(value / 1000) * 1000)


def _budget_years(
    spec: ProjectSpec, clock: Clock, rng: random.Random
) -> list[tuple[int, int, Decimal]]:
    """(year, planned, spent) of the project's budget years, the years moved by `clock`."""
    today = clock.today
    elapsed = (today - D(today.year, 1, 1)).days / 365
    years = []
    for written, planned in spec.budget:
        year = clock.year(written)
        if year < today.year:
            share = rng.uniform(1.08, 1.2) if spec.over_budget else rng.uniform(0.85, 1.02)
        elif year == today.year:
            share = elapsed * (
                rng.uniform(1.15, 1.3) if spec.over_budget else rng.uniform(0.8, 1.05)
            )
        else:
            share = 0
        years.append((year, planned, _money(planned * share)))
    return years


def _report_periods(
    project: Project, spec: ProjectSpec, clock: Clock, rng: random.Random
) -> list[tuple[datetime.date, datetime.date, dict[str, str], datetime.date]]:
    """(period start, period end, colours, reported on) of the project's status reports, the
    oldest first, up to `clock.today`; `project` as its gates left it."""
    today = clock.today
    if project.start_date is None or not spec.steps:
        return []
    closed = project.phase == Phase.CLOSED
    last_end = (
        project.end_date
        if closed and project.end_date
        else today - datetime.timedelta(days=spec.lag)
    )
    first = max(project.start_date, reports_from(clock))
    periods = _periods(first, min(last_end, today), project.report_cycle)
    n = len(periods)
    rows = []
    for i, (start, end) in enumerate(periods):
        colours = _colours(spec.profile, i, n, rng)
        if i == n - 1 and closed:
            colours = dict.fromkeys(COLOUR_FIELDS, G)  # a project closes in good order
        reported_on = min(today, end + datetime.timedelta(days=rng.randint(1, 4)))
        rows.append((start, end, colours, reported_on))
    return rows


def project_rng(project: Project, clock: Clock | None = None) -> random.Random:
    """The random numbers of a demo project where this demo left them: seeded by the
    municipality and the project's name, past the draws of its budget and status reports
    (`project` as loaded with `clock`, by default today's). A demo that adds to the project
    right after this one (`benefits.demo`) draws on from here, so its rows come out as when
    one loader made both. A project this demo does not know gets the fresh seed."""
    clock = clock or Clock()
    municipality = project.municipality
    rng = _rng(municipality, project.name)
    plan = PLANS.get(municipality.slug)
    specs = [s for s in plan["projects"] if s.name == project.name] if plan else []
    if specs:
        _budget_years(specs[0], clock, rng)
        _report_periods(project, specs[0], clock, rng)
    return rng


# --- Loading ---------------------------------------------------------------------------------


class _Loader:
    def __init__(self, municipality: Municipality, plan: dict, today: datetime.date):
        self.municipality = municipality
        self.plan = plan
        self.today = today
        self.clock = Clock(today)  # moves the specs' written dates, years and texts
        self.created: dict[str, int] = {}
        m = municipality
        self.bodies = {
            key: Body.objects.filter(municipality=m, name=name).first()
            for key, name in plan["bodies"].items()
        }
        self.people = {p.name: p for p in Person.objects.filter(municipality=m)}
        self.units = {u.name: u for u in OrgUnit.objects.filter(municipality=m)}
        self.users = {u.pk: u for u in User.objects.filter(municipality=m, is_active=True)}
        self.admin = (
            User.objects.filter(municipality=m, role=Role.ADMINISTRATOR, is_active=True)
            .order_by("pk")
            .first()
        )

    def count(self, label: str, n: int = 1) -> None:
        if n:
            self.created[label] = self.created.get(label, 0) + n

    def when(self, value: When | None) -> datetime.date | None:
        """A spec's date: days from today, or a written date moved by the clock."""
        if isinstance(value, int):
            return self.today + datetime.timedelta(days=value)
        return moved(self.clock, value)

    def text(self, value: str) -> str:
        """A spec's text with its year and date markers filled in by the clock."""
        return self.clock.text(value)

    def person(self, names: tuple[str, ...]) -> Person | None:
        for name in names:
            if name in self.people:
                return self.people[name]
        return None

    def body(self, key: str) -> Body | None:
        """The body, or the programme group (or steering group) when it is missing."""
        return self.bodies.get(key) or self.bodies.get(PG) or self.bodies.get(DSG)

    def user_of(self, person: Person | None) -> User | None:
        if person is not None and person.user_id:
            return self.users.get(person.user_id)
        return None

    def load(self) -> dict[str, int]:
        for spec in self.plan["projects"]:
            if not Project.objects.filter(municipality=self.municipality, name=spec.name).exists():
                self.project(spec)
        for spec in self.plan["portfolio_risks"]:
            if not Risk.objects.filter(
                municipality=self.municipality, project=None, title=spec.title
            ).exists():
                self.risk(spec, None)
        return self.created

    # -- one project and everything of it --

    def project(self, spec: ProjectSpec) -> None:
        rng = _rng(self.municipality, spec.name)
        body = self.body(spec.body)
        cycle = spec.cycle
        if body is not None and body.name == NORDDJURS_BODIES[PG] and spec.body != PG:
            cycle = QUARTERLY  # no project group nor Project Board: the programme group's cycle
        project = Project(
            municipality=self.municipality,
            name=spec.name,
            code=self.text(spec.code),
            category=spec.category,
            kombit=spec.kombit,
            lighthouse=spec.lighthouse,
            phase=Phase.IDEA,
            owning_unit=self.units.get(spec.unit),
            owner=self.person(spec.owner),
            leader=self.person(spec.leader),
            body=body,
            start_date=self.when(spec.start),
            end_date=self.when(spec.end),
            report_cycle=cycle,
            purpose=self.text(spec.purpose),
            scope=self.text(spec.scope),
            deliverables=self.text(spec.deliverables),
            success_criteria=self.text(spec.success_criteria),
        )
        project.full_clean()
        project.save()
        self.count("projekter")
        self.gates(project, spec)
        self.milestones(project, spec)
        self.budget(project, spec, rng)
        self.reports(project, spec, rng)
        for risk_spec in spec.risks:
            self.risk(risk_spec, project)

    def decision(self, ref) -> AgendaItem | None:
        """The demo meetings' agenda item of `ref` (body key, written meeting date, title)."""
        if ref is None:
            return None
        key, written, title = ref
        day = self.when(written)
        body = self.bodies.get(key)
        if body is None:
            return None
        return (
            AgendaItem.objects.filter(
                municipality=self.municipality,
                meeting__body=body,
                meeting__date=day,
                title=title,
            )
            .order_by("pk")
            .first()
        )

    def gates(self, project: Project, spec: ProjectSpec) -> None:
        for gate in spec.gates:
            on = self.when(gate.on)
            if on > self.today:
                break
            services.change_phase(
                project,
                gate.to_phase,
                decided_on=on,
                decision=self.decision(gate.decision),
                note=self.text(gate.note),
                user=self.admin,
            )
            self.count("faseskift")
        project.refresh_from_db()

    def milestones(self, project: Project, spec: ProjectSpec) -> None:
        for ms in spec.milestones:
            due = self.when(ms.due)
            done = self.when(ms.done) if ms.done is not None else None
            if done is not None and done > self.today:
                done = None
            milestone = Milestone(
                municipality=self.municipality,
                project=project,
                title=self.text(ms.title),
                due_date=due,
                done_on=done,
            )
            milestone.full_clean()
            milestone.save()
            self.count("milepæle")

    def budget(self, project: Project, spec: ProjectSpec, rng: random.Random) -> None:
        for year, planned, spent in _budget_years(spec, self.clock, rng):
            row = BudgetYear(
                municipality=self.municipality,
                project=project,
                year=year,
                planned=Decimal(planned),
                spent=spent,
            )
            row.full_clean()
            row.save()
            self.count("budgetår")

    def reports(self, project: Project, spec: ProjectSpec, rng: random.Random) -> None:
        rows = _report_periods(project, spec, self.clock, rng)
        closed = project.phase == Phase.CLOSED
        leader_user = self.user_of(project.leader)
        n = len(rows)
        for i, (start, end, colours, reported_on) in enumerate(rows):
            newest = i == n - 1
            report = StatusReport(
                municipality=self.municipality,
                project=project,
                period_start=start,
                period_end=end,
                reported_on=reported_on,
                reported_by=leader_user,
                **colours,
                **_report_texts(spec, i, n, colours, self.clock),
            )
            if newest and spec.override and report.suggested != G:
                report.overall = G
                report.override_reason = self.text(spec.override)
            if newest and spec.decision and project.body_id and not closed:
                report.needs_decision = True
                report.decision_request = self.text(spec.decision)
                services.file_status_report(report, leader_user)
                self.count("sager")
            else:
                report.full_clean()
                report.save()
            self.count("statusrapporter")
            target = self.bodies.get(spec.barrier_to)
            if newest and target is not None and report.barriers.strip():
                services.escalate_barrier(report, target, user=leader_user)
                self.count("eskalerede barrierer")
                self.count("sager")

    def risk(self, spec: RiskSpec, project: Project | None) -> None:
        risk = Risk(
            municipality=self.municipality,
            project=project,
            title=spec.title,
            description=self.text(spec.description),
            probability=spec.probability,
            impact=spec.impact,
            owner=self.person(spec.owner),
            mitigation=self.text(spec.mitigation),
            status=spec.status,
            identified_on=min(self.when(spec.identified), self.today),
        )
        risk.full_clean()
        risk.save()
        self.count("risici")
        target = self.bodies.get(self.plan["escalate_to"])
        if spec.escalate and target is not None and spec.status != RiskStatus.CLOSED:
            services.escalate_risk(risk, target, user=self.admin)
            self.count("eskalerede risici")
            self.count("sager")


def load_portfolio(municipality: Municipality, stdout=None) -> dict[str, int]:
    """Load the demo portfolio of `municipality` (Norddjurs or Demokommune Vest).

    Needs the organisation demo and, for the gates' decisions, the meetings demo; the
    projects' benefits are loaded after it by `benefits.demo.load_benefits`. The written dates
    move with a `Clock` of today. Safe to run any number of times: returns the rows created
    per kind, empty when everything was there. Other municipalities get nothing.
    """
    plan = PLANS.get(municipality.slug)
    if plan is None:
        return {}
    # The cases the portfolio opens get their titles in the demo's language.
    with transaction.atomic(), scopes_disabled(), translation.override("da"):
        created = _Loader(municipality, plan, timezone.localdate()).load()
    if stdout is not None:
        if created:
            parts = ", ".join(f"{count} {label}" for label, count in created.items())
            stdout.write(f"Portefølje i {municipality.name}: oprettet {parts}\n")
        else:
            stdout.write(f"Portefølje i {municipality.name}: allerede indlæst; intet ændret.\n")
    return created
