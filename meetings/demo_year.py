"""Demo data: last year's meetings of the digitalisation steering group and programme group.

Norddjurs Kommune gets four meetings of "Den tværgående digitaliseringsprogramgruppe" and four of
"Den tværgående digitaliseringsstyregruppe". As seed 001 describes the work, the programme group
meets about two weeks before each steering group meeting and sends its recommendations on; cases
travel programme group → steering group → Direktion (their routes). The topics are those seed 000
lists for the steering group (Borgerblikket, Office 365/Teams, Aula, Fasit, the intranet,
Schrems II, KOMBIT projects, digital competences, benefit realisation) plus the annual action plan
and the annual seminar of seed 001.

Everything here is invented for the demo: meeting and case titles say "(demo)". The specs below
are written for 2024; `core.demo_clock.Clock` moves them to the last full year before the day
the demo is loaded (dates by whole weeks, so the meetings keep their weekdays; the markers
``{Y}``, ``{Y+1}``, ``{Y-1}`` and ``{20-02-2024}`` in texts become years and dates). This year's
meetings of the same bodies come from `planning.health.demo`.

The meetings go through the state machine of `meetings.services` as a real year would: the
secretary builds the agenda, the chair (Tonny Olsen, login "tonny", for the steering group; the
administrator for the programme group, whose chair the seeds do not name) approves it, it is
sent, the meeting is held, decisions and follow-ups are recorded, the minutes are approved
(untreated items wait in the backlog and are carried over by hand, forwarded cases land in the
next body's backlog). The December meeting approves this year's action plan. Every follow-up of
the year is done, except one due years later.

Demokommune Vest gets one small meeting, so that tenancy is visible.

`load_year(municipality)` is idempotent: a meeting is found by its body and date and left alone
when it exists (also when a demo user has edited it since); cases by their number.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from core.demo_clock import Clock
from core.models import Municipality, User
from meetings import services
from meetings.models import (
    AgendaItem,
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
from organisation.models import Body, Membership, OrgUnit, Person

D = datetime.date
T = datetime.time

NORDDJURS = "norddjurs"
VEST = "demokommune-vest"

# Body keys → names in organisation/demo.py
PG, DSG, DIR = "pg", "dsg", "dir"
NORDDJURS_BODIES = {
    PG: "Den tværgående digitaliseringsprogramgruppe",
    DSG: "Den tværgående digitaliseringsstyregruppe",
    DIR: "Direktion",
}
VEST_BODIES = {DSG: "Digitaliseringsstyregruppen", DIR: "Direktionen"}

INFO, DISCUSS, DECIDE, BREAK = (
    ItemKind.INFORMATION,
    ItemKind.DISCUSSION,
    ItemKind.DECISION,
    ItemKind.BREAK,
)
TREATED, NOT_TREATED, FORWARDED = Outcome.TREATED, Outcome.NOT_TREATED, Outcome.FORWARDED

# The seed's wording: "Punktet blev ikke behandlet."
NOT_TREATED_TEXT = "Punktet blev ikke behandlet."

DSG_PLACE = "Rådhuset, Grenaa – mødelokale 1"
PG_PLACE = "Borgerservice, IT og Digitalisering – mødelokale 2"


@dataclass(frozen=True)
class Owner:
    """Who follows up: a person (by name) or a unit (by name)."""

    person: str = ""
    unit: str = ""


def P(name: str) -> Owner:
    return Owner(person=name)


def U(name: str) -> Owner:
    return Owner(unit=name)


@dataclass(frozen=True)
class FU:
    description: str
    owner: Owner
    due: datetime.date
    done_on: datetime.date | None = None


@dataclass(frozen=True)
class CaseSpec:
    number: str
    title: str
    description: str
    route: tuple[str, ...]
    created_on: datetime.date
    closed: bool = False


@dataclass(frozen=True)
class Item:
    title: str
    kind: str = DISCUSS
    minutes: int = 15
    case: str = ""  # key into the cases
    text: str = ""
    recommendation: str = ""
    decision: str = ""
    outcome: str = TREATED
    guests: tuple[str, ...] = ()
    closed_reason: str = ""  # given: a closed item
    follow_ups: tuple[FU, ...] = ()
    key: str = ""  # to refer to the item later (carrying it over)
    carry: str = ""  # the key of an earlier untreated item this one continues


@dataclass(frozen=True)
class MeetingSpec:
    body: str
    date: datetime.date
    start: datetime.time
    title: str
    place: str
    items: tuple[Item, ...]
    absent: dict = field(default_factory=dict)  # person name → AttendanceStatus


def _pause(minutes: int = 10) -> Item:
    return Item("Pause", kind=BREAK, minutes=minutes)


def _opening(date_text: str | None = None) -> Item:
    if date_text:
        text = (
            f"Referatet fra mødet den {date_text} er udsendt og godkendes sammen med dagsordenen."
        )
        decision = "Dagsordenen og referatet fra sidste møde blev godkendt."
    else:
        text = "Dagsordenen godkendes."
        decision = "Dagsordenen blev godkendt."
    return Item(
        "Godkendelse af dagsorden og referat", kind=INFO, minutes=5, text=text, decision=decision
    )


def _other(decision: str = "Intet.") -> Item:
    return Item("Eventuelt", kind=INFO, minutes=5, decision=decision)


# --- Norddjurs Kommune: the cases --------------------------------------------------------------

NORDDJURS_CASES = {
    "o365": CaseSpec(
        "DIG-{Y}-01",
        "Office 365 og Teams – governance for teams og samarbejdsrum (demo)",
        "Office 365 med bl.a. Teams er implementeret i 2021–2022. Der er nu mange teams uden en "
        "tydelig ejer, og der mangler fælles regler for oprettelse, ejerskab og oprydning.",
        (PG, DSG, DIR),
        D(2024, 1, 29),
    ),
    "borgerblikket": CaseSpec(
        "DIG-{Y}-02",
        "Borgerblikket – implementering efter den landsdækkende bølgeplan (demo)",
        "Borgernes adgang til egne data implementeres løbende efter den landsdækkende "
        "bølgeplan. Flere fagsystemer skal tilsluttes i {Y}.",
        (PG, DSG),
        D(2024, 1, 29),
    ),
    "schrems": CaseSpec(
        "DIG-{Y}-03",
        "Schrems II – overførsel af persondata til tredjelande (demo)",
        "Kortlægning af kommunens it-systemer med overførsel af persondata til lande uden for "
        "EU/EØS og en handleplan for systemer uden gyldigt overførselsgrundlag.",
        (PG, DSG, DIR),
        D(2024, 4, 22),
    ),
    "intranet": CaseSpec(
        "DIG-{Y}-04",
        "Nyt intranet – afløser medarbejderportalen på norddjurs.dk (demo)",
        "Et nyt intranet skal erstatte medarbejderportalen på norddjurs.dk og samle nyheder, "
        "vejledninger og arbejdsgruppernes materiale ét sted.",
        (PG, DSG),
        D(2024, 6, 24),
    ),
    "kombit": CaseSpec(
        "DIG-{Y}-05",
        "KOMBIT-projekter – planlægning, udrulning og opfølgning (demo)",
        "Overblik over de fælleskommunale KOMBIT-projekter: tidsplaner, ressourcer i "
        "fagområderne og opfølgning på udrulningen.",
        (PG, DSG),
        D(2024, 1, 29),
    ),
    "kompetencer": CaseSpec(
        "DIG-{Y}-06",
        "Digitale kompetencer – det digitale mindset hos ledere og medarbejdere (demo)",
        "Udvikling af det digitale mindset hos ledere og medarbejdere, herunder arbejdet med "
        "digitale kompetencer og et forløb for ledere.",
        (PG, DSG),
        D(2024, 1, 29),
    ),
    "gevinster": CaseSpec(
        "DIG-{Y}-07",
        "Gevinstrealisering – fælles model for opfølgning på gevinster (demo)",
        "Hvad er gevinstrealisering, og hvordan arbejder man med det? En fælles model for, "
        "hvordan gevinster i tværgående digitaliseringsprojekter beskrives, måles og følges op.",
        (PG, DSG, DIR),
        D(2024, 4, 22),
    ),
    "aula": CaseSpec(
        "DIG-{Y}-08",
        "Aula – evaluering af fyrtårnsprojektet (demo)",
        "Aula er et af de fyrtårnsprojekter, styregruppen følger. Erfaringer efter driften i "
        "skoler og dagtilbud, brugertilfredshed og gevinster.",
        (DSG,),
        D(2024, 2, 12),
    ),
    "fasit": CaseSpec(
        "DIG-{Y}-09",
        "Fasit – status på fyrtårnsprojektet (demo)",
        "Fasit er et af de fyrtårnsprojekter, styregruppen følger. Status på fremdrift og "
        "gevinster.",
        (DSG,),
        D(2024, 2, 12),
    ),
    "indsatsplan": CaseSpec(
        "DIG-{Y}-10",
        "Indsatsplan {Y+1} for den tværgående digitalisering (demo)",
        "Programgruppen udarbejder hvert år en indsatsplan til godkendelse i styregruppen med "
        "forslag til prioritering af de tværgående projekter og aktiviteter.",
        (PG, DSG),
        D(2024, 8, 5),
    ),
    "ai": CaseSpec(
        "DIG-{Y}-11",
        "Retningslinjer for brug af kunstig intelligens (demo)",
        "Regler for medarbejdernes brug af kunstig intelligens (AI) i Norddjurs Kommune, i lyset "
        "af EU's forordning om kunstig intelligens og KL's arbejde med at oversætte den til "
        "kommunerne.",
        (PG, DSG, DIR),
        D(2024, 11, 25),
    ),
    "kontrakt": CaseSpec(
        "DIG-{Y}-12",
        "Medarbejderportalen – forlængelse af kontrakt med leverandøren (demo)",
        "Forhandling med den nuværende leverandør af medarbejderportalen om en forlængelse, "
        "indtil det nye intranet er i drift.",
        (DSG,),
        D(2024, 8, 26),
        closed=True,
    ),
    "lokaler": CaseSpec(
        "DIG-{Y}-13",
        "Konferencelokaler – opgradering med virtuelt udstyr (demo)",
        "Et antal mødelokaler opgraderes med udstyr til virtuelle møder, så hybride møder i "
        "Teams fungerer for alle deltagere.",
        (PG, DSG),
        D(2024, 10, 28),
    ),
}

# --- Norddjurs Kommune: the meetings -----------------------------------------------------------

NORDDJURS_MEETINGS = [
    MeetingSpec(
        PG,
        D(2024, 2, 20),
        T(9, 0),
        "Programgruppemøde 1/{Y} (demo)",
        PG_PLACE,
        (
            _opening(),
            Item(
                "Office 365 og Teams – governance for teams og samarbejdsrum",
                DISCUSS,
                30,
                case="o365",
                text="Udrulningen af Office 365 med bl.a. Teams er gennemført. Der er nu over "
                "600 teams, og mange af dem har ingen aktiv ejer. Digitalisering har udarbejdet "
                "et udkast til governance for oprettelse, ejerskab og oprydning af teams og "
                "samarbejdsrum.",
                recommendation="Det indstilles, at programgruppen drøfter udkastet og sender det "
                "videre til styregruppen til beslutning.",
                decision="Udkastet blev drøftet. Programgruppen ønsker en fast oprydning af teams "
                "uden aktivitet i 12 måneder. Sagen sendes videre til styregruppen.",
                outcome=FORWARDED,
                guests=("Kenneth Andersen",),
                follow_ups=(
                    FU(
                        "Udkastet til governance for Teams tilrettes efter drøftelsen og sendes "
                        "med dagsordenen til styregruppen.",
                        P("Demo Sekretær"),
                        D(2024, 2, 27),
                        done_on=D(2024, 2, 26),
                    ),
                ),
            ),
            Item(
                "Borgerblikket – status på bølgeplanen",
                INFO,
                20,
                case="borgerblikket",
                text="Borgerblikket giver borgerne adgang til egne data og implementeres løbende "
                "efter den landsdækkende bølgeplan. Programgruppen orienteres om næste bølge og "
                "om de fagsystemer, der skal tilsluttes.",
                recommendation="Det indstilles, at orienteringen tages til efterretning.",
                decision="Orienteringen blev taget til efterretning. Fagområderne melder en "
                "kontaktperson ind til projektet.",
                follow_ups=(
                    FU(
                        "Samle kontaktpersoner fra fagområderne til Borgerblikket.",
                        P("Demo Projektleder"),
                        D(2024, 3, 15),
                        done_on=D(2024, 3, 12),
                    ),
                ),
            ),
            _pause(),
            Item(
                "KOMBIT-projekter – porteføljen {Y}",
                DISCUSS,
                25,
                case="kombit",
                text="Gennemgang af porteføljen af fælleskommunale KOMBIT-projekter: "
                "planlægning, udrulning og opfølgning i {Y}, herunder ressourcer i "
                "fagområderne.",
                recommendation="Det indstilles, at programgruppen drøfter porteføljen og "
                "prioriteringen af ressourcer.",
                decision="Porteføljen blev gennemgået. Projektlederne opdaterer tidsplanerne i "
                "projektoversigten inden næste møde.",
                follow_ups=(
                    FU(
                        "Opdatere tidsplanerne for KOMBIT-projekterne i projektoversigten.",
                        P("Demo Projektleder"),
                        D(2024, 4, 30),
                        done_on=D(2024, 5, 6),
                    ),
                ),
            ),
            Item(
                "Digitale kompetencer – behov for et kompetenceløft",
                DISCUSS,
                20,
                case="kompetencer",
                key="pg1-kompetencer",
                text="Drøftelse af behovet for at udvikle det digitale mindset hos ledere og "
                "medarbejdere og af et muligt forløb for ledere.",
                recommendation="Det indstilles, at programgruppen drøfter behovet og peger på "
                "næste skridt.",
                decision=NOT_TREATED_TEXT,
                outcome=NOT_TREATED,
            ),
            _other(),
        ),
    ),
    MeetingSpec(
        DSG,
        D(2024, 3, 5),
        T(13, 0),
        "Styregruppemøde 1/{Y} (demo)",
        DSG_PLACE,
        (
            _opening("{05-12-2023}"),
            Item(
                "Office 365 og Teams – governance for teams og samarbejdsrum",
                DECIDE,
                30,
                case="o365",
                text="Programgruppen har på sit møde den {20-02-2024} drøftet et udkast til "
                "governance for Teams og samarbejdsrum og sender det til beslutning i "
                "styregruppen. Udkastet beskriver, hvem der må oprette teams, at hvert team har "
                "en ejer, og at teams uden aktivitet i 12 måneder arkiveres.",
                recommendation="Det indstilles, at styregruppen godkender governance for Teams "
                "og samarbejdsrum og sender den til orientering i Direktionen.",
                decision="Styregruppen godkendte governance for Teams og samarbejdsrum med den "
                "bemærkning, at ejerskabet placeres hos den leder, der opretter teamet. "
                "Direktionen orienteres.",
                outcome=FORWARDED,
                follow_ups=(
                    FU(
                        "Orientere Direktionen om governance for Teams og samarbejdsrum.",
                        P("Tonny Olsen"),
                        D(2024, 4, 10),
                        done_on=D(2024, 4, 3),
                    ),
                    FU(
                        "Sætte automatisk oprydning af inaktive teams op.",
                        U("IT"),
                        D(2024, 6, 30),
                        done_on=D(2024, 8, 15),
                    ),
                ),
            ),
            Item(
                "Digitaliseringsprogram 2021–2025 – status",
                INFO,
                20,
                text="Status på indsatserne i \u201dDigitalisering med fokus i Norddjurs Kommune "
                "– Digitaliseringsprogram 2021-2025\u201d, som er rammesættende for "
                "styregruppens arbejde.",
                recommendation="Det indstilles, at orienteringen tages til efterretning.",
                decision="Orienteringen blev taget til efterretning.",
            ),
            _pause(),
            Item(
                "Fasit – status på fyrtårnsprojektet",
                INFO,
                20,
                case="fasit",
                text="Projektlederen giver status på fremdrift, tidsplan og de forventede "
                "gevinster.",
                recommendation="Det indstilles, at orienteringen tages til efterretning.",
                decision="Styregruppen tog status til efterretning og bad om en gevinstopgørelse "
                "til næste møde.",
                guests=("Demo Projektleder",),
                follow_ups=(
                    FU(
                        "Gevinstopgørelse for Fasit til styregruppens næste møde.",
                        P("Demo Projektleder"),
                        D(2024, 5, 24),
                        done_on=D(2024, 5, 22),
                    ),
                ),
            ),
            Item(
                "Aula – erfaringer og brugertilfredshed",
                DISCUSS,
                25,
                case="aula",
                text="Aula har været i drift i skoler og dagtilbud i flere år. Styregruppen "
                "drøfter, hvordan erfaringerne og gevinsterne skal evalueres.",
                recommendation="Det indstilles, at styregruppen drøfter rammerne for en "
                "evaluering.",
                decision="Drøftet. Skole og Dagtilbud udarbejder en kort evaluering til mødet i "
                "september.",
                follow_ups=(
                    FU(
                        "Evaluering af Aula til styregruppens møde i september.",
                        P("Lene Mehlsen Thomsen"),
                        D(2024, 8, 23),
                        done_on=D(2024, 8, 21),
                    ),
                ),
            ),
            _other(),
        ),
        absent={"Søs Fuglsang": AttendanceStatus.EXCUSED},
    ),
    MeetingSpec(
        PG,
        D(2024, 5, 21),
        T(9, 0),
        "Programgruppemøde 2/{Y} (demo)",
        PG_PLACE,
        (
            _opening("{20-02-2024}"),
            Item(
                "",
                carry="pg1-kompetencer",
                decision="Programgruppen drøftede behovet for et kompetenceløft og foreslår et "
                "forløb for ledere om det digitale mindset. Sagen sendes til styregruppen.",
                outcome=FORWARDED,
                follow_ups=(
                    FU(
                        "Beskrive forslaget til et kompetenceforløb for ledere.",
                        P("Demo Sekretær"),
                        D(2024, 5, 29),
                        done_on=D(2024, 5, 28),
                    ),
                ),
            ),
            Item(
                "Schrems II – kortlægning af overførsler til tredjelande",
                DISCUSS,
                30,
                case="schrems",
                text="EU-Domstolens dom i Schrems II-sagen stiller skærpede krav til "
                "overførsel af persondata til lande uden for EU/EØS. Databeskyttelsesrådgiveren "
                "har kortlagt kommunens it-systemer med tredjelandsoverførsel og foreslår en "
                "handleplan.",
                recommendation="Det indstilles, at programgruppen godkender kortlægningen og "
                "sender forslaget til handleplan til styregruppen.",
                decision="Kortlægningen blev godkendt. Handleplanen sendes til styregruppen.",
                outcome=FORWARDED,
                guests=("Kaare Christensen", "Nirojan Kathirgamarajah"),
                follow_ups=(
                    FU(
                        "Opdatere databehandleraftalerne for systemer med tredjelandsoverførsel.",
                        P("Kaare Christensen"),
                        D(2024, 9, 30),
                        done_on=D(2024, 12, 20),
                    ),
                ),
            ),
            _pause(),
            Item(
                "Gevinstrealisering – udkast til fælles model",
                DECIDE,
                30,
                case="gevinster",
                text="Udkast til en fælles model for opfølgning på gevinster i tværgående "
                "digitaliseringsprojekter: gevinsterne beskrives i startdokumentet, hver gevinst "
                "har en ansvarlig leder, en baseline og et mål, og de måles efter en fast plan.",
                recommendation="Det indstilles, at programgruppen anbefaler modellen over for "
                "styregruppen.",
                decision="Programgruppen anbefaler modellen. Sagen sendes til styregruppen.",
                outcome=FORWARDED,
            ),
            Item(
                "Borgerblikket – næste bølge",
                INFO,
                15,
                case="borgerblikket",
                text="Næste bølge af Borgerblikket kræver, at flere fagsystemer tilsluttes.",
                recommendation="Det indstilles, at orienteringen tages til efterretning.",
                decision="Status blev taget til efterretning. Sagen sendes til styregruppen til "
                "orientering.",
                outcome=FORWARDED,
            ),
            _other("Programgruppen planlægger årets digitaliseringsseminar på næste møde."),
        ),
    ),
    MeetingSpec(
        DSG,
        D(2024, 6, 4),
        T(13, 0),
        "Styregruppemøde 2/{Y} (demo)",
        DSG_PLACE,
        (
            _opening("{05-03-2024}"),
            Item(
                "Schrems II – handleplan for overførsler til tredjelande",
                DECIDE,
                30,
                case="schrems",
                text="Programgruppen har den {21-05-2024} godkendt kortlægningen af kommunens "
                "it-systemer med overførsel af persondata til tredjelande og sender forslag til "
                "handleplan til beslutning.",
                recommendation="Det indstilles, at styregruppen godkender handleplanen og sender "
                "den til orientering i Direktionen.",
                decision="Handleplanen blev godkendt. Systemer uden gyldigt overførselsgrundlag "
                "prioriteres først. Direktionen orienteres.",
                outcome=FORWARDED,
                guests=("Nirojan Kathirgamarajah",),
                follow_ups=(
                    FU(
                        "Risikovurdering af de systemer, der overfører persondata til tredjelande.",
                        U("IT"),
                        D(2024, 10, 31),
                        done_on=D(2024, 12, 2),
                    ),
                ),
            ),
            Item(
                "Gevinstrealisering – fælles model for opfølgning",
                DECIDE,
                25,
                case="gevinster",
                text="Programgruppen anbefaler en fælles model for opfølgning på gevinster i "
                "tværgående digitaliseringsprojekter.",
                recommendation="Det indstilles, at styregruppen godkender modellen.",
                decision="Styregruppen godkendte modellen med den tilføjelse, at gevinsterne "
                "følges op to gange årligt. Direktionen orienteres.",
                outcome=FORWARDED,
                follow_ups=(
                    FU(
                        "Orientere Direktionen om modellen for gevinstrealisering.",
                        P("Tonny Olsen"),
                        D(2024, 6, 30),
                        done_on=D(2024, 6, 19),
                    ),
                ),
            ),
            _pause(),
            Item(
                "Digitale kompetencer – forløb for ledere",
                DISCUSS,
                25,
                case="kompetencer",
                key="dsg2-kompetencer",
                text="Programgruppen foreslår et forløb for ledere om det digitale mindset.",
                recommendation="Det indstilles, at styregruppen drøfter forslaget.",
                decision=NOT_TREATED_TEXT,
                outcome=NOT_TREATED,
            ),
            Item(
                "Borgerblikket – næste bølge",
                INFO,
                15,
                case="borgerblikket",
                text="Programgruppen orienterer om næste bølge af Borgerblikket og de "
                "fagsystemer, der skal tilsluttes.",
                recommendation="Det indstilles, at orienteringen tages til efterretning.",
                decision="Orienteringen blev taget til efterretning.",
            ),
            Item(
                "Fasit – gevinstopgørelse",
                INFO,
                15,
                case="fasit",
                text="Gevinstopgørelsen for Fasit, som styregruppen bad om den {05-03-2024}.",
                recommendation="Det indstilles, at gevinstopgørelsen tages til efterretning.",
                decision="Gevinstopgørelsen blev taget til efterretning.",
            ),
            _other(),
        ),
        absent={"Trine Grejsen": AttendanceStatus.EXCUSED},
    ),
    MeetingSpec(
        PG,
        D(2024, 8, 20),
        T(9, 0),
        "Programgruppemøde 3/{Y} (demo)",
        PG_PLACE,
        (
            _opening("{21-05-2024}"),
            Item(
                "Indsatsplan {Y+1} – første udkast",
                DISCUSS,
                40,
                case="indsatsplan",
                text="Programgruppen udarbejder hvert år en indsatsplan til godkendelse i "
                "styregruppen med forslag til prioritering af de tværgående projekter og "
                "aktiviteter. Første udkast drøftes; projekterne er scoret efter de fælles "
                "kriterier.",
                recommendation="Det indstilles, at programgruppen drøfter udkastet.",
                decision="Udkastet blev drøftet. Fagområderne melder behov og ressourcer ind "
                "inden 1. oktober.",
                follow_ups=(
                    FU(
                        "Indsamle behov og ressourcer fra fagområderne til indsatsplan {Y+1}.",
                        P("Demo Sekretær"),
                        D(2024, 10, 1),
                        done_on=D(2024, 10, 2),
                    ),
                ),
            ),
            Item(
                "Digitaliseringsseminar {Y} – planlægning",
                DISCUSS,
                20,
                text="Programgruppen planlægger, koordinerer og er vært på et årligt "
                "digitaliseringsseminar.",
                recommendation="Det indstilles, at programgruppen fastlægger dato og tema.",
                decision="Seminaret afholdes den {07-11-2024} med temaet kunstig intelligens "
                "i kerneopgaven.",
                follow_ups=(
                    FU(
                        "Program og invitation til digitaliseringsseminaret.",
                        U("Digitalisering"),
                        D(2024, 9, 15),
                        done_on=D(2024, 9, 13),
                    ),
                ),
            ),
            _pause(),
            Item(
                "Nyt intranet – afløser medarbejderportalen",
                DISCUSS,
                25,
                case="intranet",
                text="Det nye intranet skal erstatte medarbejderportalen på norddjurs.dk. "
                "Programgruppen drøfter krav og en model for udbud.",
                recommendation="Det indstilles, at programgruppen anbefaler styregruppen at "
                "igangsætte et udbud.",
                decision="Programgruppen anbefaler at gå videre med et udbud. Sagen sendes til "
                "styregruppen.",
                outcome=FORWARDED,
            ),
            Item(
                "KOMBIT-projekter – status",
                INFO,
                15,
                case="kombit",
                text="Status på udrulningen af KOMBIT-projekterne.",
                recommendation="Det indstilles, at orienteringen tages til efterretning.",
                decision="Orienteringen blev taget til efterretning. Status forelægges "
                "styregruppen.",
                outcome=FORWARDED,
            ),
            _other(),
        ),
    ),
    MeetingSpec(
        DSG,
        D(2024, 9, 3),
        T(13, 0),
        "Styregruppemøde 3/{Y} (demo)",
        DSG_PLACE,
        (
            _opening("{04-06-2024}"),
            Item(
                "",
                carry="dsg2-kompetencer",
                decision="Styregruppen godkendte et kompetenceforløb for ledere i {Y+1}. "
                "Chefområderne udpeger deltagere.",
                follow_ups=(
                    FU(
                        "Udpege deltagere fra chefområderne til kompetenceforløbet for ledere.",
                        P("Kim B. Nielsen"),
                        D(2024, 11, 29),
                        done_on=D(2024, 11, 27),
                    ),
                ),
            ),
            Item(
                "Nyt intranet – udbud",
                DECIDE,
                30,
                case="intranet",
                text="Programgruppen anbefaler, at der igangsættes et udbud af et nyt intranet, "
                "der erstatter medarbejderportalen på norddjurs.dk.",
                recommendation="Det indstilles, at styregruppen godkender, at udbuddet "
                "igangsættes, og at projektet følges som fyrtårnsprojekt.",
                decision="Styregruppen godkendte udbuddet. Projektet følges som fyrtårnsprojekt.",
                follow_ups=(
                    FU(
                        "Udarbejde udbudsmateriale for nyt intranet.",
                        P("Demo Projektleder"),
                        D(2024, 12, 16),
                        done_on=D(2024, 12, 13),
                    ),
                    FU(
                        "Opgøre gevinsterne ved det nye intranet et år efter idriftsættelsen.",
                        P("Demo Projektleder"),
                        D(2027, 6, 30),
                    ),
                ),
            ),
            _pause(),
            Item(
                "Medarbejderportalen – forlængelse af kontrakt",
                DECIDE,
                15,
                case="kontrakt",
                closed_reason="Lukket af hensyn til kommunens forhandlingsposition over for "
                "leverandøren.",
                text="Kontrakten om medarbejderportalen udløber, før det nye intranet kan være i "
                "drift. Leverandøren har tilbudt en forlængelse; prisen og vilkårene fremgår af "
                "det lukkede bilag.",
                recommendation="Det indstilles, at styregruppen bemyndiger formanden til at "
                "forhandle en forlængelse.",
                decision="Styregruppen bemyndigede formanden til at forhandle en forlængelse på "
                "højst 12 måneder.",
                follow_ups=(
                    FU(
                        "Forhandle forlængelsen af kontrakten om medarbejderportalen.",
                        P("Tonny Olsen"),
                        D(2024, 10, 15),
                        done_on=D(2024, 10, 10),
                    ),
                ),
            ),
            Item(
                "Aula – evaluering",
                INFO,
                20,
                case="aula",
                text="Skole og Dagtilbud fremlægger evalueringen af Aula, som styregruppen bad om "
                "den {05-03-2024}.",
                recommendation="Det indstilles, at evalueringen tages til efterretning.",
                decision="Evalueringen blev taget til efterretning. Brugertilfredsheden er høj "
                "blandt forældre; der er behov for bedre vejledning af nye medarbejdere.",
                guests=("Jacob Hørlyk",),
            ),
            Item(
                "KOMBIT-projekter – status",
                INFO,
                15,
                case="kombit",
                text="Programgruppen forelægger status på udrulningen af KOMBIT-projekterne.",
                recommendation="Det indstilles, at orienteringen tages til efterretning.",
                decision=NOT_TREATED_TEXT,
                outcome=NOT_TREATED,
            ),
            _other(),
        ),
        absent={"Kim B. Nielsen": AttendanceStatus.ABSENT},
    ),
    MeetingSpec(
        PG,
        D(2024, 11, 19),
        T(9, 0),
        "Programgruppemøde 4/{Y} (demo)",
        PG_PLACE,
        (
            _opening("{20-08-2024}"),
            Item(
                "Indsatsplan {Y+1} – anbefaling til styregruppen",
                DECIDE,
                40,
                case="indsatsplan",
                text="Indsatsplanen for {Y+1} er udarbejdet på baggrund af fagområdernes behov og "
                "ressourcer. Fem tværgående indsatser prioriteres: nyt intranet, Borgerblikket, "
                "digitale kompetencer, gevinstrealisering og retningslinjer for kunstig "
                "intelligens.",
                recommendation="Det indstilles, at programgruppen anbefaler indsatsplan {Y+1} over "
                "for styregruppen.",
                decision="Programgruppen anbefaler indsatsplanen med de fem prioriterede "
                "indsatser. Sagen sendes til styregruppen til godkendelse.",
                outcome=FORWARDED,
            ),
            Item(
                "Digitaliseringsseminar {Y} – evaluering",
                INFO,
                15,
                text="Opsamling på seminaret den {07-11-2024}.",
                recommendation="Det indstilles, at evalueringen tages til efterretning.",
                decision="Evalueringen blev taget til efterretning. Temaet kunstig intelligens "
                "tages op i en ny sag om retningslinjer.",
            ),
            _pause(),
            Item(
                "Konferencelokaler – virtuelt udstyr",
                DISCUSS,
                20,
                case="lokaler",
                text="Et antal mødelokaler foreslås opgraderet med udstyr til hybride møder.",
                recommendation="Det indstilles, at programgruppen sender forslaget til "
                "styregruppen.",
                decision="Programgruppen støtter forslaget. Sagen sendes til styregruppen.",
                outcome=FORWARDED,
            ),
            Item(
                "Schrems II – status på databehandleraftaler",
                INFO,
                15,
                case="schrems",
                text="Status på opdateringen af databehandleraftaler for systemer med "
                "tredjelandsoverførsel.",
                recommendation="Det indstilles, at orienteringen tages til efterretning.",
                decision=NOT_TREATED_TEXT,
                outcome=NOT_TREATED,
                guests=("Kaare Christensen",),
            ),
            _other(),
        ),
    ),
    # The year's last meeting approves next year's action plan. In the backlog still wait the
    # conference rooms (sent on by the programme group) and the KOMBIT status (not treated on
    # 03-09-2024).
    MeetingSpec(
        DSG,
        D(2024, 12, 3),
        T(13, 0),
        "Styregruppemøde 4/{Y} (demo)",
        DSG_PLACE,
        (
            _opening("{03-09-2024}"),
            Item(
                "Indsatsplan {Y+1} – godkendelse",
                DECIDE,
                40,
                case="indsatsplan",
                text="Programgruppen har den {19-11-2024} anbefalet indsatsplanen for {Y+1} med fem "
                "prioriterede tværgående indsatser.",
                recommendation="Det indstilles, at styregruppen godkender indsatsplan {Y+1}.",
                decision="Styregruppen godkendte indsatsplan {Y+1} med de fem prioriterede "
                "indsatser. Programgruppen følger op på indsatserne hvert kvartal.",
            ),
            _pause(),
            Item(
                "Gevinstrealisering – første halvårlige opfølgning",
                INFO,
                20,
                case="gevinster",
                text="Første opfølgning efter den fælles model, som styregruppen godkendte den "
                "{04-06-2024}.",
                recommendation="Det indstilles, at orienteringen tages til efterretning.",
                decision="Orienteringen blev taget til efterretning.",
            ),
            _other(),
        ),
    ),
]

# --- Demokommune Vest: one small meeting (DEMO, entirely fictional) -----------------------------

VEST_CASES = {
    "hjemmeside": CaseSpec(
        "VEST-{Y}-01",
        "Ny hjemmeside for kommunen (demo)",
        "Kommunens hjemmeside skal fornyes og gøres tilgængelig (demo).",
        (DSG, DIR),
        D(2024, 3, 1),
    ),
}
VEST_MEETINGS = [
    MeetingSpec(
        DSG,
        D(2024, 4, 10),
        T(10, 0),
        "Styregruppemøde april {Y} (demo)",
        "Rådhuset, mødelokale Vest (demo)",
        (
            _opening(),
            Item(
                "Ny hjemmeside – valg af løsning",
                DECIDE,
                30,
                case="hjemmeside",
                text="Styregruppen vælger mellem to løsninger til den nye hjemmeside (demo).",
                recommendation="Det indstilles, at styregruppen vælger løsning A (demo).",
                decision="Løsning A blev valgt. Direktionen orienteres (demo).",
                outcome=FORWARDED,
                follow_ups=(
                    FU(
                        "Orientere Direktionen om valget af løsning (demo).",
                        P("Viggo Vestermark"),
                        D(2024, 5, 1),
                        done_on=D(2024, 4, 29),
                    ),
                ),
            ),
            _other(),
        ),
    ),
]

# Per municipality: bodies, cases, meetings, who approves (per body key), who records.
PLANS = {
    NORDDJURS: {
        "bodies": NORDDJURS_BODIES,
        "cases": NORDDJURS_CASES,
        "meetings": NORDDJURS_MEETINGS,
        # Tonny Olsen chairs the steering group (seed 001); the seeds name no chair of the
        # programme group, so the administrator approves its agendas and minutes.
        "approver": {DSG: "tonny", PG: "admin"},
        "secretary": "sekretaer",
    },
    VEST: {
        "bodies": VEST_BODIES,
        "cases": VEST_CASES,
        "meetings": VEST_MEETINGS,
        "approver": {DSG: "vest-admin"},
        "secretary": "vest-admin",
    },
}


# --- Loading -----------------------------------------------------------------------------------


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, T(hour, 0)))


class _Loader:
    def __init__(self, municipality: Municipality, plan: dict, clock: Clock):
        self.municipality = municipality
        self.plan = plan
        self.clock = clock
        self.created: dict[str, int] = {}
        m = municipality
        self.bodies = {}
        for key, name in plan["bodies"].items():
            body = Body.objects.filter(municipality=m, name=name).first()
            if body is None:
                raise ImproperlyConfigured(
                    f"The body “{name}” is missing: load the organisation demo first."
                )
            self.bodies[key] = body
        self.people = {p.name: p for p in Person.objects.filter(municipality=m)}
        self.units = {u.name: u for u in OrgUnit.objects.filter(municipality=m)}
        self.users = {}
        for username in {*plan["approver"].values(), plan["secretary"]}:
            user = User.objects.filter(username=username, municipality=m).first()
            if user is None:
                raise ImproperlyConfigured(
                    f"The login “{username}” is missing: load the organisation demo first."
                )
            self.users[username] = user
        self.cases: dict[str, Case] = {}
        self.items: dict[str, AgendaItem] = {}

    def count(self, label: str, n: int = 1) -> None:
        self.created[label] = self.created.get(label, 0) + n

    def load(self) -> dict[str, int]:
        for key, spec in self.plan["cases"].items():
            self.cases[key] = self.case(spec)
        for spec in sorted(self.plan["meetings"], key=lambda s: (s.date, s.start)):
            self.meeting(spec)
        return self.created

    def case(self, spec: CaseSpec) -> Case:
        text, number = self.clock.text, self.clock.text(spec.number)
        created_on = self.clock.date(spec.created_on)
        case = Case.objects.filter(municipality=self.municipality, number=number).first()
        if case is not None:
            return case
        case = Case(
            municipality=self.municipality,
            number=number,
            title=text(spec.title),
            description=text(spec.description),
            closed=spec.closed,
            created_on=created_on,
        )
        case.full_clean()
        case.save()
        self.count("sager")
        for position, body_key in enumerate(spec.route):
            step = CaseStep(
                municipality=self.municipality,
                case=case,
                body=self.bodies[body_key],
                position=position,
                arrived_on=created_on if position == 0 else None,
            )
            step.full_clean()
            step.save()
        return case

    def person(self, name: str) -> Person:
        try:
            return self.people[name]
        except KeyError:
            raise ImproperlyConfigured(f"The person “{name}” is missing from the demo.") from None

    def meeting(self, spec: MeetingSpec) -> None:
        body, text, date = self.bodies[spec.body], self.clock.text, self.clock.date(spec.date)
        existing = Meeting.objects.filter(body=body, date=date).first()
        if existing is not None:
            # Already loaded (and perhaps changed by a demo user since): leave it alone, but
            # remember its untreated items so that a later meeting can continue them.
            for item_spec in spec.items:
                if item_spec.key:
                    item = existing.items.filter(
                        case=self.cases.get(item_spec.case), outcome=Outcome.NOT_TREATED
                    ).first()
                    if item is not None:
                        self.items[item_spec.key] = item
            return
        meeting = Meeting(
            municipality=self.municipality,
            body=body,
            date=date,
            start=spec.start,
            title=text(spec.title),
            place=spec.place,
            state=MeetingState.PLANNED,
        )
        meeting.full_clean()
        meeting.save()
        self.count("møder")

        items = []
        for item_spec in spec.items:
            if item_spec.carry:
                if item_spec.carry not in self.items:
                    continue  # the earlier meeting was changed by hand since
                item = services.add_untreated_to_agenda(meeting, self.items[item_spec.carry])
            else:
                item = services.add_item(
                    meeting,
                    AgendaItem(
                        title=text(item_spec.title),
                        kind=item_spec.kind,
                        duration=item_spec.minutes,
                        case=self.cases[item_spec.case] if item_spec.case else None,
                        case_text=text(item_spec.text),
                        recommendation=text(item_spec.recommendation),
                        closed=bool(item_spec.closed_reason),
                        closed_reason=text(item_spec.closed_reason),
                    ),
                    guests=[self.person(name) for name in item_spec.guests],
                )
            if item_spec.key:
                self.items[item_spec.key] = item
            items.append((item_spec, item))
        self.count("dagsordenspunkter", len(items))

        approver = self.users[self.plan["approver"][spec.body]]
        recorder = self.users[self.plan["secretary"]]
        meeting = services.approve_agenda(meeting, approver)
        # Sent a week before the meeting. (services.send_agenda e-mails the members; the demo
        # people have no e-mail addresses, so the state is set as the service would set it.)
        meeting.agenda_approved_at = _at(date - datetime.timedelta(days=8), 10)
        meeting.state = MeetingState.AGENDA_SENT
        meeting.agenda_sent_at = _at(date - datetime.timedelta(days=7), 12)
        meeting.save()
        meeting = services.mark_held(meeting, recorder)

        self.attendance(meeting, spec, date)
        for item_spec, item in items:
            if item.kind == ItemKind.BREAK:
                continue
            item.decision = text(item_spec.decision)
            item.outcome = item_spec.outcome
            services.check_outcome(item)
            services.update_item(item, item.revision)
            for fu in item_spec.follow_ups:
                self.follow_up(body, item, fu)

        services.approve_minutes(meeting, approver)
        approved_at = _at(date + datetime.timedelta(days=7), 14)
        meeting.refresh_from_db()
        meeting.minutes_approved_at = approved_at
        meeting.save(update_fields=["minutes_approved_at"])
        MinutesVersion.objects.filter(meeting=meeting).update(approved_at=approved_at)

    def attendance(self, meeting: Meeting, spec: MeetingSpec, date: datetime.date) -> None:
        members = (
            Membership.objects.current(date)
            .filter(body=meeting.body)
            .select_related("person")
            .order_by("person__name")
        )
        seen = set()
        for membership in members:
            if membership.person_id in seen:
                continue
            seen.add(membership.person_id)
            Attendance.objects.create(
                municipality=self.municipality,
                meeting=meeting,
                person=membership.person,
                status=spec.absent.get(membership.person.name, AttendanceStatus.PRESENT),
            )
            self.count("fremmøder")

    def follow_up(self, body: Body, item: AgendaItem, spec: FU) -> None:
        follow_up = FollowUp(
            municipality=self.municipality,
            body=body,
            item=item,
            description=self.clock.text(spec.description),
            owner=self.person(spec.owner.person) if spec.owner.person else None,
            owner_unit=self.units[spec.owner.unit] if spec.owner.unit else None,
            due_date=self.clock.date(spec.due),
            status=FollowUpStatus.DONE if spec.done_on else FollowUpStatus.OPEN,
            done_on=self.clock.date(spec.done_on),
            note="Opfølgning fra demodata (demo)",
        )
        follow_up.full_clean()
        follow_up.save()
        self.count("opfølgninger")


def load_year(municipality: Municipality, stdout=None) -> dict[str, int]:
    """Load the demo year of meetings of `municipality` (Norddjurs or Demokommune Vest).

    Needs the organisation demo (`organisation.demo.load`). Safe to run any number of times:
    returns the rows created per kind, empty when everything was there already. Other
    municipalities get nothing.
    """
    plan = PLANS.get(municipality.slug)
    if plan is None:
        return {}
    with transaction.atomic(), scopes_disabled():
        created = _Loader(municipality, plan, Clock()).load()
    if stdout is not None:
        if created:
            parts = ", ".join(f"{count} {label}" for label, count in created.items())
            stdout.write(f"Møder i {municipality.name}: oprettet {parts}\n")
        else:
            stdout.write(f"Møder i {municipality.name}: allerede indlæst; intet ændret.\n")
    return created
