"""Demo data: the IT systems of Norddjurs Kommune and the duties that come with them.

From the seeds (`docs/seeds/`), and only these facts:

- 000 (memo, August 2021): the lighthouse projects the steering group follows ("Aula, Fasit,
  Borgerblikket og Office 365"), Borgerblikket ("Borgernes adgang til egne data implementeres
  løbende efter landsdækkende bølgeplan"), Office 365 with Teams ("Implementeres i løbet af
  2021-2022"), the intranet ("Erstatter medarbejderportal på norddjurs.dk"), the webinar
  solution ("Zoom som supplement til Skype"), Schrems II ("Overførsel af data til
  3.-lande"); Kaare Christensen, "teamleder og databeskyttelsesrådgiver"; risk management
  "implementeres nu i første omgang på kritiske IT-systemer og systemområder".
- 003 (strategy 2016–2020): the projects that continue into the period name the speech
  recognition, print and telephony solutions, the library system, the benefit refund system
  and the collaboration platform for schools and day care; the IT security group reviews the
  policy yearly and judges yearly whether a new risk assessment is needed (the body of every
  system here, and the security body of `Privacy`).
- 004 (the Direktion's meeting of 15-05-2024): the data protection officer's annual report
  2023, and "TV-overvågning er blevet sat i system og registreret" (a system here).

Each system is linked to the demo project of its name (`portfolio.demo`, found by name) and
to the projects that change it: Schrems II changes Office 365 and Zoom, the new intranet
replaces the employee portal, the conference rooms integrate with Teams.

ASSUMPTION (as in `portfolio.demo`): Aula, Borgerblikket, the benefit refund system, the
collaboration platform and the library system are KOMBIT's, and the refund system is part of
the monopoly break (monopolbrud); Office 365, Teams and Skype are Microsoft's, Zoom is Zoom's
(the makers of the products, not a fact of the seeds); Teams took over from Skype, which has
ended. Fasit's nature is not in the seeds and is not guessed.

Everything else is DEMO and says "(demo)" where it shows: the other suppliers (fictional
companies), every contract, agreement, supervision, assessment and breach, owners, units,
criticality, personal data, hosting, costs. The duties are in order except exactly one of
each of the states the register must show: one overdue risk assessment (speech
recognition), one contract past its last notice date while it runs (telephony), one
supervision overdue (Zoom's agreement) and one breach under the 72-hour clock, discovered a
few hours before the demo's now. Three breaches of 2023, closed, give the DPO's annual
report 2023 something to count: that report, made from this register by `systems.reports`,
becomes the file of the attachment "Databeskyttelsesrådgiverens årsrapport 2023" of the
Direktion's meeting of 15-05-2024 (`attach_annual_report`), which `meetings.demo` enters with
a stand-in file.

The dates of what is current are counted in days from the day the demo is loaded
(`core.demo_clock.Clock`'s today), so that the four states hold whenever it is loaded; a
date written before `portfolio.demo.WINDOW_FROM` (a contract signed in 2018, the breaches of
2023) is history and stays, as the seeds' dates do. Demokommune Vest, entirely fictional,
gets its own two systems, all in order; its data protection officer (the head of
Digitalisering) and its security body (the steering group) are demo too.

`load(municipality)` is idempotent: a supplier, system, contract, agreement or breach is
found by its name (title), a usage by its system, a project link by its usage and project;
what exists is left alone (a demo user may have changed it since), and the assessments and
supervisions are written only with the usage or agreement they belong to.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from core.dates import add_months
from core.demo_clock import Clock
from organisation.models import Body, OrgUnit, Person
from portfolio.models import Project
from systems.models import (
    Assessment,
    AssessmentKind,
    Breach,
    Contract,
    Criticality,
    DataProcessingAgreement,
    Hosting,
    Lifecycle,
    Outcome,
    PersonalData,
    Privacy,
    ProjectEffect,
    Severity,
    Supervision,
    Supplier,
    System,
    SystemProject,
    SystemUsage,
    TransferBasis,
)

D = datetime.date
DAY = datetime.timedelta(days=1)

NORDDJURS = "norddjurs"
VEST = "demokommune-vest"

# A date written before this is history and stays (as portfolio.demo.WINDOW_FROM).
HISTORY_BEFORE = D(2023, 12, 31)

# A date in a spec: a written date (history, before HISTORY_BEFORE), or a whole number of
# days from the day the demo is loaded (negative: before it).
When = datetime.date | int

ORDINARY, SENSITIVE, CPR = PersonalData.ORDINARY, PersonalData.SENSITIVE, PersonalData.CPR
LOW, MEDIUM, HIGH, CRITICAL = (
    Criticality.LOW,
    Criticality.MEDIUM,
    Criticality.HIGH,
    Criticality.CRITICAL,
)
EXTERNAL, ON_PREMISES = Hosting.EXTERNAL, Hosting.ON_PREMISES
IN_USE, PREPARATION, PHASING_OUT, ENDED = (
    Lifecycle.IN_USE,
    Lifecycle.PREPARATION,
    Lifecycle.PHASING_OUT,
    Lifecycle.ENDED,
)
INTRODUCES, CHANGES, INTEGRATES, REPLACES, PHASES_OUT = (
    ProjectEffect.INTRODUCES,
    ProjectEffect.CHANGES,
    ProjectEffect.INTEGRATES,
    ProjectEffect.REPLACES,
    ProjectEffect.PHASES_OUT,
)

# The body of the systems (seed 003) and the data protection officer (seed 000).
SECURITY_GROUP = "IT-sikkerhedsgruppen"
DPO = "Kaare Christensen"

DEMO_NOTE = "Leverandør, kontrakt, databehandleraftale og vurderinger er opdigtede (demo)."


# --- Specifications ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SupplierSpec:
    name: str
    country: str = "Danmark"


@dataclass(frozen=True)
class UsageSpec:
    """A system and the municipality's use of it."""

    name: str
    supplier: str | None
    description: str = ""
    national: bool = False
    purpose: str = ""
    owner: str = ""
    unit: str = ""
    criticality: str = MEDIUM
    personal_data: tuple[str, ...] = ()
    hosting: str = EXTERNAL
    lifecycle: str = IN_USE
    annual_cost: int | None = None
    since: When = D(2020, 1, 1)  # in use since: no assessment before it
    # (project name, effect, note): the demo projects that change it
    projects: tuple[tuple[str, str, str], ...] = ()
    # Days before today of the last risk assessment and the last yearly review
    last_risk: int = -120
    last_review: int = -60
    note: str = DEMO_NOTE


@dataclass(frozen=True)
class ContractSpec:
    name: str
    supplier: str | None
    usages: tuple[str, ...]
    start: When
    end: When
    notice_months: int
    value: int
    note: str = "Kontrakten er opdigtet (demo)."


@dataclass(frozen=True)
class AgreementSpec:
    name: str
    processor: str
    usages: tuple[str, ...]
    concluded_on: When
    sub_processors: tuple[str, ...] = ()
    third_countries: str = ""
    transfer_basis: str = ""
    supervision_months: int = 12
    last_supervision: int | None = -100  # days before today; None: none yet
    note: str = "Databehandleraftalen er opdigtet (demo)."


@dataclass(frozen=True)
class BreachSpec:
    title: str
    usage: str | None
    severity: str
    # A written moment (history), or hours before the demo's now
    discovered: datetime.datetime | int
    description: str
    persons_affected: int
    personal_data: tuple[str, ...] = (ORDINARY,)
    notified_after_hours: int | None = None
    not_notified_reason: str = ""
    authority_reference: str = ""
    measures: str = ""
    closed_after_days: int | None = None


@dataclass(frozen=True)
class Plan:
    suppliers: tuple[SupplierSpec, ...]
    usages: tuple[UsageSpec, ...]
    contracts: tuple[ContractSpec, ...]
    agreements: tuple[AgreementSpec, ...]
    breaches: tuple[BreachSpec, ...]
    security_body: str | None
    officer: str | None
    body: str | None  # the body of every usage


KOMBIT = "KOMBIT"
MICROSOFT = "Microsoft"
ZOOM = "Zoom Video Communications"
FASIT_SUPPLIER = "Fasit-leverandøren ApS (demo)"
SPEECH_SUPPLIER = "Dikteringshuset ApS (demo)"
PRINT_SUPPLIER = "Print og Kopi A/S (demo)"
PHONE_SUPPLIER = "Kommunetelefoni A/S (demo)"
INTRANET_SUPPLIER = "Intranetbureauet ApS (demo)"
CCTV_SUPPLIER = "Sikringsfirmaet A/S (demo)"
HOSTING_SUPPLIER = "Datacentret A/S (demo)"

# The systems the seeds name.
AULA = "Aula"
FASIT = "Fasit"
BORGERBLIKKET = "Borgerblikket"
OFFICE = "Office 365 og Teams"
SKYPE = "Skype"
ZOOM_SYSTEM = "Zoom (webinarløsning)"
INTRANET = "Intranet"
PORTAL = "Medarbejderportal på norddjurs.dk"
REFUND = "Ydelsesrefusionssystem"
PLATFORM = "Samarbejdsplatform på skole- og dagtilbudsområdet"
LIBRARY = "Bibliotekssystem"
SPEECH = "Talegenkendelse"
PRINT = "Printløsning"
PHONE = "Telefoniløsning"
CCTV = "TV-overvågning"

# The four states of the issue, by what they are about.
OVERDUE_RISK = SPEECH
PAST_NOTICE = "Telefoni – drift og support (demo)"
OVERDUE_SUPERVISION = "Databehandleraftale med Zoom (demo)"
OPEN_BREACH = "E-mail med personoplysninger sendt til forkert modtager (demo)"

NORDDJURS_PLAN = Plan(
    suppliers=(
        SupplierSpec(KOMBIT),
        SupplierSpec(MICROSOFT, "Irland"),
        SupplierSpec(ZOOM, "USA"),
        SupplierSpec(FASIT_SUPPLIER),
        SupplierSpec(SPEECH_SUPPLIER),
        SupplierSpec(PRINT_SUPPLIER),
        SupplierSpec(PHONE_SUPPLIER),
        SupplierSpec(INTRANET_SUPPLIER),
        SupplierSpec(CCTV_SUPPLIER),
        SupplierSpec(HOSTING_SUPPLIER),
    ),
    usages=(
        UsageSpec(
            AULA,
            KOMBIT,
            "Fælles kommunikationsplatform for skole, dagtilbud og forældre; et af de "
            "fyrtårnsprojekter, styregruppen følger (seed 000).",
            national=True,
            purpose="Kommunikation mellem skole, dagtilbud og forældre (demo).",
            owner="Lene Mehlsen Thomsen",
            unit="Skole og Dagtilbud",
            criticality=HIGH,
            personal_data=(ORDINARY, SENSITIVE, CPR),
            annual_cost=850_000,
            since=D(2019, 8, 12),
            projects=((AULA, INTRODUCES, ""),),
            last_risk=-150,
            last_review=-70,
        ),
        UsageSpec(
            FASIT,
            FASIT_SUPPLIER,
            "Et af de fyrtårnsprojekter, styregruppen følger (seed 000). Hvad Fasit er, siger "
            "kildematerialet ikke.",
            purpose="Løsningen fra projektet Fasit (demo).",
            owner="Tonny Olsen",
            unit="Borgerservice, IT og Digitalisering",
            criticality=MEDIUM,
            personal_data=(ORDINARY,),
            annual_cost=240_000,
            since=D(2022, 1, 10),
            projects=((FASIT, INTRODUCES, ""),),
            last_risk=-200,
            last_review=-70,
        ),
        UsageSpec(
            BORGERBLIKKET,
            KOMBIT,
            "Borgernes adgang til egne data implementeres løbende efter landsdækkende "
            "bølgeplan (seed 000).",
            national=True,
            purpose="Borgerne ser deres egne sager og data (demo).",
            owner="Tonny Olsen",
            unit="Borgerservice",
            criticality=HIGH,
            personal_data=(ORDINARY, SENSITIVE, CPR),
            annual_cost=320_000,
            since=D(2021, 3, 1),
            projects=((BORGERBLIKKET, INTRODUCES, ""),),
            last_risk=-90,
            last_review=-70,
        ),
        UsageSpec(
            OFFICE,
            MICROSOFT,
            "Office 365 med bl.a. Teams. Implementeres i løbet af 2021-2022 (seed 000).",
            national=True,
            purpose="E-mail, dokumenter, chat og virtuelle møder for alle medarbejdere (demo).",
            owner="Kenneth Andersen",
            unit="IT",
            criticality=CRITICAL,
            personal_data=(ORDINARY, SENSITIVE, CPR),
            annual_cost=2_400_000,
            since=D(2021, 6, 1),
            projects=(
                ("Office 365 og Teams", INTRODUCES, ""),
                (
                    "Schrems II – overførsel af data til tredjelande",
                    CHANGES,
                    "Overførslen af data til USA vurderes og dokumenteres (demo).",
                ),
                (
                    "Konferencelokaler med virtuelt udstyr",
                    INTEGRATES,
                    "Mødelokalerne kobles til Teams-møder (demo).",
                ),
                ("Nyt intranet", INTEGRATES, "Intranettet bruger medarbejdernes login (demo)."),
            ),
            last_risk=-60,
            last_review=-70,
        ),
        UsageSpec(
            SKYPE,
            MICROSOFT,
            "Zoom som supplement til Skype (seed 000).",
            national=True,
            purpose="Virtuelle møder, før Teams tog over (demo).",
            owner="Kenneth Andersen",
            unit="IT",
            criticality=LOW,
            personal_data=(ORDINARY,),
            lifecycle=ENDED,
            since=D(2016, 1, 1),
            projects=(("Office 365 og Teams", PHASES_OUT, "Teams har afløst Skype (demo)."),),
        ),
        UsageSpec(
            ZOOM_SYSTEM,
            ZOOM,
            "Webinarløsning. Zoom som supplement til Skype (seed 000).",
            national=True,
            purpose="Webinarer for borgere og samarbejdspartnere (demo).",
            owner="Kenneth Andersen",
            unit="IT",
            criticality=LOW,
            personal_data=(ORDINARY,),
            annual_cost=60_000,
            since=D(2021, 3, 1),
            projects=(
                ("Webinarløsning", INTRODUCES, ""),
                (
                    "Schrems II – overførsel af data til tredjelande",
                    CHANGES,
                    "Leverandøren er i USA (demo).",
                ),
            ),
            last_risk=-180,
            last_review=-70,
        ),
        UsageSpec(
            INTRANET,
            INTRANET_SUPPLIER,
            "Intranet. Erstatter medarbejderportal på norddjurs.dk (seed 000).",
            purpose="Nyheder, vejledninger og arbejdsgruppernes materiale (demo).",
            owner="Demo Projektleder",
            unit="Digitalisering",
            criticality=MEDIUM,
            personal_data=(ORDINARY,),
            lifecycle=PREPARATION,
            annual_cost=180_000,
            since=-150,
            projects=(("Nyt intranet", INTRODUCES, ""),),
            last_risk=-40,
            last_review=-40,
        ),
        UsageSpec(
            PORTAL,
            None,
            "Medarbejderportalen, som det nye intranet erstatter (seed 000).",
            purpose="Medarbejdernes indgang til nyheder og vejledninger (demo).",
            owner="Tonny Olsen",
            unit="Digitalisering",
            criticality=LOW,
            personal_data=(ORDINARY,),
            hosting=ON_PREMISES,
            lifecycle=PHASING_OUT,
            since=D(2012, 1, 1),
            projects=(("Nyt intranet", REPLACES, "Lukkes, når intranettet er i drift (demo)."),),
            last_risk=-220,
            last_review=-70,
        ),
        UsageSpec(
            REFUND,
            KOMBIT,
            "Et af de projekter, der fortsætter ind i perioden (seed 003).",
            national=True,
            purpose="Hjemtagelse af statsrefusion af ydelser (demo).",
            owner="Bettina Andersen",
            unit="Økonomi",
            criticality=HIGH,
            personal_data=(ORDINARY, CPR),
            annual_cost=410_000,
            since=D(2019, 1, 1),
            projects=(
                (REFUND, INTRODUCES, ""),
                ("Monopolbrud", REPLACES, "Afløser det tidligere monopolsystem (demo)."),
            ),
            last_risk=-100,
            last_review=-70,
        ),
        UsageSpec(
            PLATFORM,
            KOMBIT,
            "Et af de projekter, der fortsætter ind i perioden (seed 003).",
            national=True,
            purpose="Læring og samarbejde om børnenes udvikling (demo).",
            owner="Lene Mehlsen Thomsen",
            unit="Skole og Dagtilbud",
            criticality=HIGH,
            personal_data=(ORDINARY, SENSITIVE, CPR),
            annual_cost=520_000,
            since=D(2019, 8, 12),
            projects=((PLATFORM, INTRODUCES, ""),),
            last_risk=-130,
            last_review=-70,
        ),
        UsageSpec(
            LIBRARY,
            KOMBIT,
            "Et af de projekter, der fortsætter ind i perioden (seed 003).",
            national=True,
            purpose="Udlån, materialer og lånere på bibliotekerne (demo).",
            owner="Lars Lerche",
            unit="Kultur og Udvikling",
            criticality=MEDIUM,
            personal_data=(ORDINARY, CPR),
            annual_cost=290_000,
            since=D(2018, 1, 1),
            projects=((LIBRARY, INTRODUCES, ""),),
            last_risk=-170,
            last_review=-70,
        ),
        UsageSpec(
            SPEECH,
            SPEECH_SUPPLIER,
            "Et af de projekter, der fortsætter ind i perioden (seed 003).",
            purpose="Diktering af journalnotater i sagsbehandlingen (demo).",
            owner="Annette Kristensen",
            unit="Børn og Familie",
            criticality=MEDIUM,
            personal_data=(ORDINARY, SENSITIVE, CPR),
            annual_cost=140_000,
            since=D(2017, 1, 1),
            projects=((SPEECH, INTRODUCES, ""),),
            # The overdue risk assessment: the last one is 12 months and 40 days old.
            last_risk=-405,
            last_review=-70,
        ),
        UsageSpec(
            PRINT,
            PRINT_SUPPLIER,
            "Et af de projekter, der fortsætter ind i perioden (seed 003).",
            purpose="Print og kopi på alle arbejdspladser (demo).",
            owner="Nirojan Kathirgamarajah",
            unit="IT",
            criticality=LOW,
            personal_data=(ORDINARY,),
            hosting=ON_PREMISES,
            annual_cost=650_000,
            since=D(2019, 4, 1),
            projects=(("Printløsninger", REPLACES, "Ny fælles printløsning udbydes (demo)."),),
            last_risk=-110,
            last_review=-70,
        ),
        UsageSpec(
            PHONE,
            PHONE_SUPPLIER,
            "Et af de projekter, der fortsætter ind i perioden (seed 003); borgerne får "
            "personlig hjælp over telefonen (seed 003).",
            purpose="Telefoni for medarbejdere og borgerservice (demo).",
            owner="Nirojan Kathirgamarajah",
            unit="IT",
            criticality=HIGH,
            personal_data=(ORDINARY,),
            annual_cost=780_000,
            since=D(2019, 5, 1),
            projects=(("Telefoniløsning", REPLACES, "Ny telefoniløsning udbydes (demo)."),),
            last_risk=-80,
            last_review=-70,
        ),
        UsageSpec(
            CCTV,
            CCTV_SUPPLIER,
            "TV-overvågning er blevet sat i system og registreret (seed 004).",
            purpose="Overvågning af kommunale bygninger og pladser (demo).",
            owner="Kim T. Jensen",
            unit="Vej og Ejendom",
            criticality=LOW,
            personal_data=(ORDINARY,),
            hosting=ON_PREMISES,
            annual_cost=90_000,
            since=D(2023, 6, 1),
            last_risk=-140,
            last_review=-70,
        ),
    ),
    contracts=(
        ContractSpec(
            "KOMBIT – fælleskommunale systemer (demo)",
            KOMBIT,
            (AULA, BORGERBLIKKET, REFUND, PLATFORM, LIBRARY),
            D(2018, 1, 1),
            900,
            12,
            1_950_000,
        ),
        ContractSpec(
            "Microsoft-licenser (demo)", MICROSOFT, (OFFICE,), D(2021, 6, 1), 480, 3, 7_200_000
        ),
        ContractSpec("Zoom-abonnement (demo)", ZOOM, (ZOOM_SYSTEM,), D(2021, 3, 1), 300, 1, 60_000),
        ContractSpec("Fasit (demo)", FASIT_SUPPLIER, (FASIT,), D(2022, 1, 10), 700, 6, 960_000),
        ContractSpec(
            "Talegenkendelse (demo)", SPEECH_SUPPLIER, (SPEECH,), D(2017, 1, 1), 420, 3, 560_000
        ),
        ContractSpec(
            "Print og kopi (demo)",
            PRINT_SUPPLIER,
            (PRINT,),
            D(2019, 4, 1),
            1000,
            6,
            2_600_000,
            note="Fælles udbud med nabokommunerne forberedes (demo).",
        ),
        # The contract past its last notice date: it ends in 75 days, with 3 months' notice.
        ContractSpec(
            PAST_NOTICE,
            PHONE_SUPPLIER,
            (PHONE,),
            D(2019, 5, 1),
            75,
            3,
            3_100_000,
            note="Opsigelsesfristen er overskredet; kontrakten forlænges, hvis den ikke "
            "opsiges (demo).",
        ),
        ContractSpec("Intranet (demo)", INTRANET_SUPPLIER, (INTRANET,), -160, 1400, 6, 720_000),
        ContractSpec(
            "TV-overvågning – service (demo)",
            CCTV_SUPPLIER,
            (CCTV,),
            D(2023, 6, 1),
            600,
            3,
            270_000,
        ),
    ),
    agreements=(
        AgreementSpec(
            "Databehandleraftale med KOMBIT (demo)",
            KOMBIT,
            (AULA, BORGERBLIKKET, REFUND, PLATFORM, LIBRARY),
            D(2018, 5, 25),
            sub_processors=(HOSTING_SUPPLIER,),
            last_supervision=-90,
        ),
        AgreementSpec(
            "Databehandleraftale med Microsoft (demo)",
            MICROSOFT,
            (OFFICE,),
            D(2021, 6, 1),
            third_countries="USA",
            transfer_basis=TransferBasis.SCC,
            last_supervision=-120,
        ),
        # The overdue supervision: the last one is 14 months old, due every 12.
        AgreementSpec(
            OVERDUE_SUPERVISION,
            ZOOM,
            (ZOOM_SYSTEM,),
            D(2021, 3, 1),
            third_countries="USA",
            transfer_basis=TransferBasis.SCC,
            last_supervision=-425,
        ),
        AgreementSpec(
            "Databehandleraftale om Fasit (demo)", FASIT_SUPPLIER, (FASIT,), D(2022, 1, 10)
        ),
        AgreementSpec(
            "Databehandleraftale om talegenkendelse (demo)",
            SPEECH_SUPPLIER,
            (SPEECH,),
            D(2018, 5, 25),
            sub_processors=(HOSTING_SUPPLIER,),
            last_supervision=-150,
        ),
        AgreementSpec(
            "Databehandleraftale om telefoni (demo)",
            PHONE_SUPPLIER,
            (PHONE,),
            D(2019, 5, 1),
            last_supervision=-60,
        ),
        AgreementSpec(
            "Databehandleraftale om intranettet (demo)",
            INTRANET_SUPPLIER,
            (INTRANET,),
            -160,
            last_supervision=None,
        ),
    ),
    breaches=(
        # Under the 72-hour clock: discovered five hours before the demo's now.
        BreachSpec(
            OPEN_BREACH,
            OFFICE,
            Severity.RISK,
            5,
            "En medarbejder sendte en e-mail med en borgers helbredsoplysninger til en forkert "
            "ekstern modtager (demo).",
            1,
            (ORDINARY, SENSITIVE),
            measures="Modtageren er bedt om at slette e-mailen (demo).",
        ),
        # The breaches of 2023, closed, for the annual report 2023.
        BreachSpec(
            "Brev sendt til forkert borger (demo)",
            None,
            Severity.RISK,
            datetime.datetime(2023, 3, 14, 10, 30),
            "Et brev om en sag blev sendt til en anden borger med samme navn (demo).",
            1,
            (ORDINARY, CPR),
            notified_after_hours=26,
            authority_reference="2023-441-0001 (demo)",
            measures="Adressen kontrolleres nu mod CPR-nummeret (demo).",
            closed_after_days=27,
        ),
        BreachSpec(
            "Bærbar computer mistet (demo)",
            OFFICE,
            Severity.LOW,
            datetime.datetime(2023, 9, 5, 8, 15),
            "En krypteret bærbar computer blev glemt i et tog (demo).",
            0,
            (ORDINARY,),
            not_notified_reason="Disken er krypteret; bruddet indebærer sandsynligvis ikke en "
            "risiko for de registrerede (demo).",
            measures="Computeren er spærret og slettet fjernt (demo).",
            closed_after_days=15,
        ),
        BreachSpec(
            "Forældre kunne se andre børns oplysninger (demo)",
            AULA,
            Severity.HIGH,
            datetime.datetime(2023, 11, 20, 13, 0),
            "En fejl i en gruppeopsætning gav forældre adgang til andre børns oplysninger i en "
            "time (demo).",
            38,
            (ORDINARY, SENSITIVE),
            notified_after_hours=80,
            not_notified_reason="Omfanget blev først klarlagt efter 72 timer (demo).",
            authority_reference="2023-441-0002 (demo)",
            measures="Gruppeopsætningen er rettet, og forældrene er orienteret (demo).",
            closed_after_days=40,
        ),
    ),
    security_body=SECURITY_GROUP,
    officer=DPO,
    body=SECURITY_GROUP,
)

VEST_WEB = "Hjemmesideplatform (demo)"
VEST_BUILDING = "Byggesagssystem (demo)"
VEST_WEB_SUPPLIER = "Webbureauet Vest ApS (demo)"
VEST_BUILDING_SUPPLIER = "Byggesagsløsninger A/S (demo)"
VEST_PLAN = Plan(
    suppliers=(SupplierSpec(VEST_WEB_SUPPLIER), SupplierSpec(VEST_BUILDING_SUPPLIER)),
    usages=(
        UsageSpec(
            VEST_WEB,
            VEST_WEB_SUPPLIER,
            "Platformen under kommunens hjemmeside (demo).",
            purpose="Kommunens hjemmeside (demo).",
            owner="Viggo Vestermark",
            unit="Digitalisering",
            criticality=MEDIUM,
            personal_data=(ORDINARY,),
            annual_cost=150_000,
            since=D(2020, 1, 1),
            projects=(("Ny hjemmeside (demo)", REPLACES, ""),),
            last_risk=-100,
            last_review=-80,
        ),
        UsageSpec(
            VEST_BUILDING,
            VEST_BUILDING_SUPPLIER,
            "Sagsbehandling af byggesager (demo).",
            purpose="Byggesager og byggetilladelser (demo).",
            owner="Vibeke Vestbo",
            unit="Digitalisering",
            criticality=HIGH,
            personal_data=(ORDINARY, CPR),
            annual_cost=380_000,
            since=D(2019, 1, 1),
            projects=(("Selvbetjening på byggesager (demo)", INTEGRATES, ""),),
            last_risk=-60,
            last_review=-80,
        ),
    ),
    contracts=(
        ContractSpec(
            "Hjemmeside (demo)", VEST_WEB_SUPPLIER, (VEST_WEB,), D(2020, 1, 1), 500, 6, 600_000
        ),
        ContractSpec(
            "Byggesagssystem (demo)",
            VEST_BUILDING_SUPPLIER,
            (VEST_BUILDING,),
            D(2019, 1, 1),
            800,
            6,
            1_500_000,
        ),
    ),
    agreements=(
        AgreementSpec(
            "Databehandleraftale om hjemmesiden (demo)",
            VEST_WEB_SUPPLIER,
            (VEST_WEB,),
            D(2020, 1, 1),
        ),
        AgreementSpec(
            "Databehandleraftale om byggesager (demo)",
            VEST_BUILDING_SUPPLIER,
            (VEST_BUILDING,),
            D(2019, 1, 1),
        ),
    ),
    breaches=(),
    security_body="Digitaliseringsstyregruppen",
    officer="Vibeke Vestbo",
    body="Digitaliseringsstyregruppen",
)

PLANS = {NORDDJURS: NORDDJURS_PLAN, VEST: VEST_PLAN}

_LABELS = {
    Supplier: "leverandører",
    System: "it-systemer",
    SystemUsage: "systemer i brug",
    SystemProject: "projektkoblinger",
    Contract: "kontrakter",
    DataProcessingAgreement: "databehandleraftaler",
    Supervision: "tilsyn",
    Assessment: "vurderinger",
    Breach: "brud",
    Privacy: "databeskyttelsesopsætninger",
}


# --- Loading ----------------------------------------------------------------------------------


class _Loader:
    def __init__(self, municipality, plan: Plan, clock: Clock):
        self.municipality = municipality
        self.plan = plan
        self.clock = clock
        self.today = clock.today
        self.created: dict[str, int] = {}
        tenant = {"municipality": municipality}
        self.people = {p.name: p for p in Person.objects.filter(**tenant)}
        self.units = {u.name: u for u in OrgUnit.objects.filter(**tenant)}
        self.bodies = {b.name: b for b in Body.objects.filter(**tenant)}
        self.projects = {p.name: p for p in Project.objects.filter(**tenant)}
        self.rng = random.Random(f"systems-{municipality.slug}")

    def day(self, when: When | None) -> datetime.date | None:
        if when is None:
            return None
        if isinstance(when, int):
            return self.today + when * DAY
        if when < HISTORY_BEFORE:
            return when
        return self.clock.date(when)

    def now(self) -> datetime.datetime:
        """The demo's now: today's date of the clock at the time of day, never later than the
        real now (a breach cannot be discovered in the future)."""
        real = timezone.now()
        local = timezone.localtime(real)
        moment = timezone.make_aware(datetime.datetime.combine(self.today, local.time()))
        return min(moment, real)

    def _save(self, obj):
        obj.full_clean()
        obj.save()
        label = _LABELS[type(obj)]
        self.created[label] = self.created.get(label, 0) + 1
        return obj

    def _find_or_make(self, model, key: dict, values: dict):
        found = model.objects.filter(municipality=self.municipality, **key).first()
        if found is not None:
            return found, False
        return self._save(model(municipality=self.municipality, **key, **values)), True

    def load(self) -> dict[str, int]:
        suppliers = {
            spec.name: self._find_or_make(Supplier, {"name": spec.name}, {"country": spec.country})[
                0
            ]
            for spec in self.plan.suppliers
        }
        body = self.bodies.get(self.plan.body) if self.plan.body else None
        usages = {}
        for spec in self.plan.usages:
            system, _ = self._find_or_make(
                System,
                {"name": spec.name},
                {
                    "description": spec.description,
                    "supplier": suppliers.get(spec.supplier),
                    "national": spec.national,
                },
            )
            usage = SystemUsage.objects.filter(
                municipality=self.municipality, system=system
            ).first()
            if usage is None:
                usage = self._save(
                    SystemUsage(
                        municipality=self.municipality,
                        system=system,
                        purpose=spec.purpose,
                        owner=self.people.get(spec.owner),
                        responsible_unit=self.units.get(spec.unit),
                        body=body,
                        criticality=spec.criticality,
                        personal_data=list(spec.personal_data),
                        hosting=spec.hosting,
                        lifecycle=spec.lifecycle,
                        annual_cost=Decimal(spec.annual_cost) if spec.annual_cost else None,
                        note=spec.note,
                    )
                )
                if spec.lifecycle != ENDED:
                    self._assessments(usage, spec)
            usages[spec.name] = usage
            for project_name, effect, note in spec.projects:
                project = self.projects.get(project_name)
                if project is None:  # the portfolio demo is not loaded
                    continue
                if not SystemProject.objects.filter(usage=usage, project=project).exists():
                    self._save(
                        SystemProject(
                            municipality=self.municipality,
                            usage=usage,
                            project=project,
                            effect=effect,
                            note=note,
                        )
                    )
        for spec in self.plan.contracts:
            contract, made = self._find_or_make(
                Contract,
                {"name": spec.name},
                {
                    "supplier": suppliers.get(spec.supplier),
                    "start": self.day(spec.start),
                    "end": self.day(spec.end),
                    "notice_months": spec.notice_months,
                    "value": Decimal(spec.value),
                    "note": spec.note,
                },
            )
            if made:
                contract.usages.set([usages[name] for name in spec.usages])
        for spec in self.plan.agreements:
            agreement, made = self._find_or_make(
                DataProcessingAgreement,
                {"name": spec.name},
                {
                    "processor": suppliers[spec.processor],
                    "concluded_on": self.day(spec.concluded_on),
                    "third_countries": spec.third_countries,
                    "transfer_basis": spec.transfer_basis,
                    "supervision_months": spec.supervision_months,
                    "note": spec.note,
                },
            )
            if made:
                agreement.usages.set([usages[name] for name in spec.usages])
                agreement.sub_processors.set([suppliers[name] for name in spec.sub_processors])
                self._supervisions(agreement, spec)
        for spec in self.plan.breaches:
            self._breach(spec, usages)
        if not Privacy.objects.filter(municipality=self.municipality).exists():
            self._save(
                Privacy(
                    municipality=self.municipality,
                    officer=self.people.get(self.plan.officer),
                    security_body=self.bodies.get(self.plan.security_body),
                )
            )
        return self.created

    def _yearly(self, last: datetime.date, first: datetime.date, months: int = 12):
        """`last` and the dates every `months` before it, back to `first`, oldest first."""
        days, n = [], 0
        while True:
            day = add_months(last, -months * n)
            if day < first or n > 20:
                break
            days.append(day)
            n += 1
        return days[::-1] or [last]

    def _assessments(self, usage: SystemUsage, spec: UsageSpec) -> None:
        """The risk assessments and yearly reviews since the system was taken into use (the
        last ones `spec.last_risk` and `spec.last_review` days ago) and, for a system holding
        sensitive data or CPR numbers, its impact assessment."""
        kinds = set(spec.personal_data)
        since = max(self.day(spec.since), D(2021, 1, 1))
        if not (kinds or spec.criticality in (HIGH, CRITICAL)):
            return
        rows = []
        for done in self._yearly(self.day(spec.last_risk), since):
            rows.append((AssessmentKind.RISK, done))
        for done in self._yearly(self.day(spec.last_review), since):
            rows.append((AssessmentKind.REVIEW, done))
        if kinds & {SENSITIVE, CPR, PersonalData.CRIMINAL}:
            rows.append((AssessmentKind.DPIA, min(since + 30 * DAY, self.today)))
        for kind, done in rows:
            outcome = Outcome.REMARKS if self.rng.random() < 0.2 else Outcome.SATISFACTORY
            self._save(
                Assessment(
                    municipality=self.municipality,
                    usage=usage,
                    kind=kind,
                    done_on=done,
                    outcome=outcome,
                    summary=_SUMMARIES[kind, outcome],
                )
            )

    def _supervisions(self, agreement, spec: AgreementSpec) -> None:
        if spec.last_supervision is None:
            return
        first = max(agreement.concluded_on or D(2021, 1, 1), D(2021, 1, 1))
        for done in self._yearly(self.day(spec.last_supervision), first, spec.supervision_months):
            self._save(
                Supervision(
                    agreement=agreement,
                    municipality=self.municipality,
                    done_on=done,
                    method=Supervision.Method.REPORT
                    if agreement.third_countries
                    else Supervision.Method.WRITTEN,
                    outcome=Outcome.SATISFACTORY,
                    note="Revisorerklæringen er gennemgået uden bemærkninger (demo).",
                )
            )

    def _breach(self, spec: BreachSpec, usages: dict) -> None:
        if Breach.objects.filter(municipality=self.municipality, title=spec.title).exists():
            return
        if isinstance(spec.discovered, int):
            discovered = self.now() - datetime.timedelta(hours=spec.discovered)
        else:
            discovered = timezone.make_aware(spec.discovered)
        notified = (
            discovered + datetime.timedelta(hours=spec.notified_after_hours)
            if spec.notified_after_hours is not None
            else None
        )
        closed = (
            timezone.localtime(discovered).date() + spec.closed_after_days * DAY
            if spec.closed_after_days is not None
            else None
        )
        self._save(
            Breach(
                municipality=self.municipality,
                title=spec.title,
                discovered_at=discovered,
                occurred_at=discovered - datetime.timedelta(hours=2),
                usage=usages.get(spec.usage) if spec.usage else None,
                description=spec.description,
                persons_affected=spec.persons_affected,
                personal_data=list(spec.personal_data),
                severity=spec.severity,
                notified_at=notified,
                not_notified_reason=spec.not_notified_reason,
                authority_reference=spec.authority_reference,
                persons_informed_on=closed if spec.severity == Severity.HIGH else None,
                measures=spec.measures,
                closed_on=closed,
            )
        )


_SUMMARIES = {
    (AssessmentKind.RISK, Outcome.SATISFACTORY): "Risikoen er acceptabel (demo).",
    (AssessmentKind.RISK, Outcome.REMARKS): "Risikoen er acceptabel med to tiltag (demo).",
    (AssessmentKind.REVIEW, Outcome.SATISFACTORY): (
        "IT-sikkerhedsgruppen har gennemgået systemet; ingen ny risikovurdering nødvendig (demo)."
    ),
    (AssessmentKind.REVIEW, Outcome.REMARKS): (
        "IT-sikkerhedsgruppen har gennemgået systemet med bemærkninger (demo)."
    ),
    (AssessmentKind.DPIA, Outcome.SATISFACTORY): "Konsekvensanalysen er godkendt (demo).",
    (AssessmentKind.DPIA, Outcome.REMARKS): "Konsekvensanalysen er godkendt med tiltag (demo).",
}


# The Direktion's meeting of seed 004 and the DPO's report on its agenda (`meetings.demo`).
REPORT_MEETING_DAY = D(2024, 5, 15)
REPORT_TITLE = "Databeskyttelsesrådgiverens årsrapport 2023"
REPORT_YEAR = 2023


def attach_annual_report(municipality) -> bool:
    """Put the DPO's annual report 2023, made from the demo register by
    `systems.reports` (PDF), in the place of the stand-in file of the attachment
    "Databeskyttelsesrådgiverens årsrapport 2023" of the Direktion's meeting of 15-05-2024
    (seed 004, `meetings.demo`), keeping its numbers. The minutes of that meeting are
    approved, so the file is set as the meetings demo sets it, not through
    `systems.reports.services.attach` (which refuses a sent agenda). Returns whether it was
    written: not when the meeting is not loaded or the report is there already."""
    from django.core.files.base import ContentFile
    from django.utils import translation
    from django_scopes import scope

    from meetings.models import Attachment
    from organisation.models import BodyKind
    from systems.reports import documents, services

    attachment = (
        Attachment.objects.filter(
            municipality=municipality,
            title=REPORT_TITLE,
            item__meeting__date=REPORT_MEETING_DAY,
            item__meeting__body__kind=BodyKind.EXECUTIVE_BOARD,
        )
        .order_by("pk")
        .first()
    )
    if attachment is None:
        return False
    filename = f"dpo-aarsrapport-{REPORT_YEAR}.pdf"
    if attachment.file and attachment.file.name.rsplit("/", 1)[-1].startswith(filename[:-4]):
        return False
    with scope(municipality=municipality.pk), translation.override("da"):
        content = documents.annual_pdf(services.annual_report(municipality, REPORT_YEAR))
    attachment.content_type = "application/pdf"
    attachment.size = len(content)
    attachment.file.save(filename, ContentFile(content), save=False)
    attachment.full_clean()
    attachment.save()
    return True


def load(municipality, stdout=None) -> dict[str, int]:
    """Load the systems, contracts, agreements, assessments and breaches of `municipality`
    (Norddjurs Kommune or Demokommune Vest; others get nothing). Needs the organisation demo,
    and the portfolio demo for the links to projects. Safe to run any number of times:
    returns the rows created per kind, empty when everything was there."""
    plan = PLANS.get(municipality.slug)
    if plan is None:
        return {}
    with transaction.atomic(), scopes_disabled():
        created = _Loader(municipality, plan, Clock(timezone.localdate())).load()
        if municipality.slug == NORDDJURS and attach_annual_report(municipality):
            created["årsrapporter"] = 1
    if stdout is not None:
        if created:
            parts = ", ".join(f"{count} {label}" for label, count in created.items())
            stdout.write(f"Systemer i {municipality.name}: oprettet {parts}\n")
        else:
            stdout.write(f"Systemer i {municipality.name}: allerede indlæst; intet ændret.\n")
    return created
