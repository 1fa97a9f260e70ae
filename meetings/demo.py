"""Demo data: the Direktion's meeting of 15-05-2024, entered in full from seed 004.

Seed 004 is the Direktion's "dagsorden og beslutninger": one open case, "Punkter til
behandling" with the route (Sagsgang) "DIR", whose case text lists the day's timed items
(9.00 Ankomst … 14.45 Gennemgang …, the meeting ends 15.00), then the recommendation, the
decision per item and the numbered list of attachments (open with document and journal
numbers, closed with their title only).

It is entered as the seed structures it: ONE case, with one agenda item per line of the timed
list (breaks included), so the generated agenda and minutes (`meetings.documents`) print the
case once with its timed list, like the seed, while every item still has its own times, guests,
decision, follow-ups and attachments.

From the seed, verbatim (line-break hyphens removed, bullets written "•"): the titles, times and
durations, the case texts, the guests and their titles, the recommendation, the decisions, the
twelve attachments with numbers and open/closed, and who follows up. A sentence that only says
who takes part in an item ("X og Y deltager under behandlingen af punktet.") is not kept in the
item's case text: those people are the item's guests, and the documents print the sentence from
that data. The decisions are kept verbatim, also where they repeat the case text.

Not in the seed, and marked DEMO/ASSUMPTION below (visible text says "(demo)"): the place,
when the agenda was approved and sent and the minutes approved, the case number, the due dates
of the follow-ups except "6. juni", the content of the attachment files, and the owning unit
"Arbejdsgruppen", and that every follow-up was done on its due date (the seed is from 2024, and
a municipality in use has long since followed up; `FollowUp.note` says so).

`load_executive_meeting(municipality)` is idempotent: people and units are found by name and
only saved when they differ (as in `organisation.demo`); the meeting is found by its body and
date and, when it exists, left alone (its minutes are approved and locked, and a demo user may
have corrected them since). The meeting goes through the state machine of `meetings.services`
as a real one would: items added, agenda approved and sent, meeting held, decisions recorded,
minutes approved by the municipality's administrator.
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_scopes import scopes_disabled

from core.models import Municipality, Role, User
from meetings import services
from meetings.models import (
    AgendaItem,
    Attachment,
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
from organisation import demo as organisation_demo
from organisation.demo import _Tally, _upsert
from organisation.models import Body, BodyKind, OrgUnit, OrgUnitKind, Person

D = datetime.date
T = datetime.time

MEETING_DATE = D(2024, 5, 15)
MEETING_TITLE = "Direktionen"  # the seed's heading: "Direktionen 15-05-2024"
# DEMO: the seed names no place.
PLACE = "Rådhuset, Grenaa – direktionens mødelokale (demo)"
# DEMO: the seed does not say when the agenda was approved and sent, nor when the minutes
# were approved: a week before and a week after the meeting.
AGENDA_APPROVED_AT = datetime.datetime(2024, 5, 7, 10, 0)
AGENDA_SENT_AT = datetime.datetime(2024, 5, 8, 12, 0)
MINUTES_APPROVED_AT = datetime.datetime(2024, 5, 22, 14, 0)

# DEMO: invented case number; the title and text are the seed's.
CASE_NUMBER = "DIR-2024-05-15"
CASE_TITLE = "Punkter til behandling"
CASE_TEXT = "Direktionen har følgende punkter til behandling:"
CASE_CREATED_ON = D(2024, 5, 6)  # ASSUMPTION: the case was opened the week before
RECOMMENDATION = "Det indstilles, at punkterne behandles."

DEMO_NOTE = "Frist antaget, seed 004 nævner ingen (demo)"
DONE_NOTE = "Udført til fristen (demo)"

# (name, title, unit name or None): the guests, titles as seed 004 writes them (lower case
# where the seed writes them mid-sentence). Units only where the title names the area.
PEOPLE = [
    ("Vicki Nygaard Svendsen", "udviklingskonsulent", None),
    ("Lene Helbo Bachmann", "chefkonsulent", None),
    ("Erik Holck Hansen", "arbejdsmarkedschef", "Arbejdsmarked"),
    ("Thomas Olesen", "skole- og dagtilbudschef", "Skole og Dagtilbud"),
    ("Mette Koudal", "børne- og familiechef", "Børn og Familie"),
    ("Rikke Thind", "sekretariatschef", None),
    ("Lisette Bulig Thoustrup", "sekretariatschef", None),
    ("Jeppe Thvilum", "sekretariatschef", None),
    ("Carina Tang Svendsen", "konsulent", None),
    ("Malene Blæsbjerg", "konsulent", None),
    ("Ulrik Toft", "ekstern konsulent (UKON)", None),
    ("Anders Trillingsgaard", "oplægsholder", None),
    # ASSUMPTION: an HR and work environment consultant sits in HR.
    ("Trine Kjær Poulsen", "HR- og arbejdsmiljøkonsulent", "HR"),
]
# Found, not created: organisation.demo enters him with his title from seed 000.
TONNY = (
    "Tonny Olsen",
    "chef for Borgerservice, IT og Digitalisering",
    "Borgerservice, IT og Digitalisering",
)

# (name, kind, parent): the units that follow up. organisation.demo creates
# Ledelsessekretariatet; it is created here too if missing.
LEDELSESSEKRETARIATET = "Ledelsessekretariatet"
# ASSUMPTION: seed 004 says "Arbejdsgruppen følger op" (the working group on simplifying
# policies, strategies and plans). A follow-up needs a person or a unit as owner, so the working
# group is entered as a unit of Fællesforvaltningen under the seed's name.
ARBEJDSGRUPPEN = "Arbejdsgruppen"
UNITS = [
    ("Fællesforvaltningen", OrgUnitKind.FORVALTNING, None),
    (LEDELSESSEKRETARIATET, OrgUnitKind.STAB, "Fællesforvaltningen"),
    (ARBEJDSGRUPPEN, OrgUnitKind.STAB, "Fællesforvaltningen"),
]


@dataclass(frozen=True)
class Doc:
    """An attachment as the seed's Bilag list gives it."""

    number: int
    title: str
    closed: bool = False
    document_number: str = ""
    journal_number: str = ""


@dataclass(frozen=True)
class Follow:
    description: str
    due: datetime.date
    people: tuple[str, ...] = ()
    unit: str = ""
    note: str = ""


@dataclass(frozen=True)
class Item:
    title: str
    minutes: int
    kind: str = ItemKind.DISCUSSION
    text: str = ""
    guests: tuple[str, ...] = ()
    decision: str = ""
    outcome: str = Outcome.TREATED
    docs: tuple[Doc, ...] = ()
    follow_ups: tuple[Follow, ...] = ()


def _break(title: str, minutes: int) -> Item:
    return Item(title, minutes, kind=ItemKind.BREAK, outcome=Outcome.PENDING)


def _p(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


VICKI, LENE = "Vicki Nygaard Svendsen", "Lene Helbo Bachmann"
ERIK, THOMAS, METTE = "Erik Holck Hansen", "Thomas Olesen", "Mette Koudal"
ULRIK = "Ulrik Toft"

_DPO_TEXT = (
    "På mødet præsenterer chef for Borgerservice, IT og Digitalisering Tonny Olsen årsrapporten "
    "2023 og forslag til fokusområder 2024. Årsrapporten skal efterfølgende behandles i "
    "Økonomiudvalg og Kommunalbestyrelse."
)
_HR_TEXT = (
    "Den personalepolitiske redegørelse har til formål at skabe viden om og indsigt i de "
    "personalepolitiske forhold og indsatser. Redegørelsen udarbejdes årligt og tilgår på vanlig "
    "vis Hovedudvalget, Økonomiudvalget og Kommunalbestyrelsen i 2. kvartal. Redegørelsen samler "
    "organisatorisk viden med henblik på at understøtte attraktive arbejdspladser. Som det "
    "beskrives i HR-strategien, anvendes den personalepolitiske status til at gøre status på de "
    "tiltag, der i løbet af det forgangne år, har været med til at understøtte HR-strategiens tre "
    "hovedtemaer: En attraktiv og rummelig arbejdsplads for medarbejdere og ledere; "
    "Kommunikation, samarbejde og kompetenceudvikling; Rum til ledelse og udvikling af ledelse. "
    "Endvidere udgør notatet en opsamling af en række personalepolitiske nøgletal for Norddjurs "
    "Kommune for hele 2023."
)
_LEDELSE_TEXT = (
    "Direktionen gennemgår og kvalificerer materiale, herunder udkast til orienteringssag i ØK, "
    "kommissorie, tids- og procesplan, samt program for chefforumseminar d. 29.-30. maj. "
    "Direktionen drøfter bud på, hvilke sager der skal behandles i KCL."
)
_UNGE_TEXT = (
    "Af Budgetaftale 2024-2027 fremgår det, at udvalgene i et samarbejde arbejder videre med "
    "kvalificering af indsatserne frem mod budgetforhandlingerne 2025. Direktionen præsenteres "
    "for de indsatser, som Arbejdsmarkedsudvalget, Børne- og Ungdomsudvalget og "
    "Erhvervsudvalget hver især har godkendt til at indgå i et forslag til en Ungegaranti i "
    "Norddjurs Kommune. Direktionen drøfter den efterfølgende administrative og politiske "
    "behandling, herunder om der skal beskrives forskellige Ungegaranti-modeller."
)
_FORENKLING_PARAGRAPHS = (
    "Frisættelse og forenkling af politikker, strategier og planer.",
    "Med henblik på politisk behandling i Økonomiudvalget den 11. juni og i "
    "Kommunalbestyrelsen den 18. juni drøfter og godkender direktionen tidsplan og udkast til "
    "kommissorium.",
    "Tidsplan og kommissorium er udarbejdet på baggrund af en politisk drøftelse på temamøde "
    "for kommunalbestyrelsen d. 19. marts 2024.",
    "Ønsket om forenkling tager afsæt i Budgetaftalen 2024-2027 og understøtter desuden den "
    "nationale og regionale dagsorden, hvor en ny kurs er sat for frisættelse af den offentlige "
    "sektor.",
)
_FORENKLING_GUESTS = (
    "Sekretariatschef Rikke Thind, Sekretariatschef Lisette Bulig Thoustrup, Sekretariatschef "
    "Jeppe Thvilum, Chefkonsulent Lene Helbo Bachmann, konsulent Carina Tang Svendsen og "
    "konsulent Malene Blæsbjerg deltager under punktets behandling."
)
_CHEFFORUM_TEXT = (
    "Planlægningsmøde frem for chefforumseminar d. 29.-30. maj. Med udgangspunkt i programmet "
    "for seminaret drøftes og kvalificeres indholdet på seminaret."
)
_LEDERDAG_TEXT = (
    "Oplægsholder Anders Trillingsgaard og konsulent Ulrik Toft deltager med henblik på at "
    "koble temaerne fra udviklingsforløbet i direktionen og chefforum sammen med den fælles "
    "lederdag i dialog med direktionen."
)
_LEDERDAG_GUESTS = (
    "HR- og Arbejdsmiljøkonsulent Trine Kjær Poulsen og Udviklingskonsulent Vicki Nygaard "
    "Svendsen deltager under behandlingen."
)

ITEMS = [
    _break("Ankomst", 5),
    Item("Punkt 1 – Beslutningsprotokoller og dagsordener (Borgmesteren deltager ikke)", 25),
    Item(
        "Dialogmøde med aftaleholdere",
        30,
        text="Direktionen drøfter dagsorden og fokus, herunder deltagerkreds, emner mm.",
        outcome=Outcome.NOT_TREATED,
    ),
    _break("Pause", 10),
    Item(
        "Databeskyttelsesrådgiverens årsrapport 2023",
        20,
        kind=ItemKind.INFORMATION,
        text=_p(_DPO_TEXT, "Bilag er vedlagt"),
        # ASSUMPTION: Tonny Olsen presents the report, so he takes part in the item.
        guests=("Tonny Olsen",),
        decision=_p(
            _DPO_TEXT,
            "Punkter som blev fremhævet:\n"
            "• Fokus på sletning og arkivering.\n"
            "• Afprøvning af beredskabsplan.\n"
            "• Netværk med kontaktpersoner i de forskellige fagområder.\n"
            "• TV-overvågning er blevet sat i system og registreret.\n"
            "• Fokus på læring ved persondatabrud på datasikkerhed.",
            "Det blev besluttet, at orienteres om brud på persondata under kategorien "
            "graverende konsekvenser. I 2024 vil datatilsynet have særligt fokus på: kunstig "
            "intelligens, rettighedsstyring og forebyggelse af adgange i kommunerne, "
            "leverandørstyrring.",
            "Der er fokus på regler for brugen af AI i Norddjurs Kommune. Der arbejdes aktuelt i "
            "KL på at oversætte en EU-forordning omkring reglerne for kommuner. KL har særligt "
            "fokus på cybersikkerhed som i kommunerne og er i forhandling med regeringen herom. "
            "IT og Digitalisering har ligeledes fokus herpå.",
        ),
        docs=(
            Doc(
                1,
                "Databeskyttelsesrådgiverens årsrapport 2023",
                document_number="3608761",
                journal_number="40064/24",
            ),
        ),
    ),
    Item(
        "Personalepolitisk status",
        15,
        kind=ItemKind.DECISION,
        text=_HR_TEXT,
        decision=_p(
            _HR_TEXT,
            "I drøftelsen af redegørelsen blev der særligt drøftet sygefravær, fald i "
            "arbejdsulykker, samt justerede procedurer i arbejdsmiljørapporter fra 2024. "
            "Derudover havde direktionen et ønske om yderligere fokus på data og "
            "ledelsesinformation i rapporten til næste år.",
            "Endvidere blev det besluttet, at kommissoriet for sygefraværsmål skal drøftes i "
            "direktionen.",
            "Den personalepolitiske redegørelse blev godkendt.",
        ),
        docs=(
            Doc(
                2,
                "Personalepolitisk status 2023",
                document_number="3610268",
                journal_number="41270/24",
            ),
        ),
    ),
    Item(
        "Ledelsesprojektet",
        45,
        text=_p(_LEDELSE_TEXT, "Bilag er vedlagt."),
        guests=(VICKI, LENE),
        decision=_p(
            _LEDELSE_TEXT + " Udviklingskonsulent Vicki Nygaard Svendsen og chefkonsulent Lene "
            "Helbo Bachmann deltog under behandlingen af punktet. Bilag er vedlagt.",
            "Kommunaldirektør Jonas Kroustrup redegjorde kort for processen og ambitionen.",
            "Sagsudkastet til ØK/HU blev drøftet. Jonas arbejder videre på udkastet.",
            "Der blev givet en række bemærkninger til grundfortællingen. Ledelsessekretariatet "
            "følger op.",
            "Overskriften på indsatsen er Ledelsesudvikling i Norddjurs Kommune.",
            "Der blev givet en række bemærkninger til tids- og procesplan. Der skal planlægges et "
            "direktionsseminar i august 2024. Ledelsessekretariatet følger op.",
        ),
        docs=(
            Doc(3, "Direktionens grundfortælling vers. 12.5.24", closed=True),
            Doc(4, "Orienteringssag til ØK om Ledelsesprojektet", closed=True),
            Doc(5, "Kommissorie Ledelsesprojektet", closed=True),
            Doc(6, "Tids- og procesplan for Ledelsesprojektet", closed=True),
            Doc(7, "Program for chefforumseminar d. 29.-30. maj", closed=True),
        ),
        follow_ups=(
            # DEMO: due dates invented (before the chefforum seminar 29.-30. maj; before the
            # summer for planning an August seminar).
            Follow(
                "Bemærkningerne til grundfortællingen indarbejdes.",
                D(2024, 5, 28),
                unit=LEDELSESSEKRETARIATET,
                note=DEMO_NOTE,
            ),
            Follow(
                "Direktionsseminar i august 2024 planlægges.",
                D(2024, 6, 28),
                unit=LEDELSESSEKRETARIATET,
                note=DEMO_NOTE,
            ),
        ),
    ),
    Item(
        "Ungegaranti",
        30,
        text=_UNGE_TEXT,
        guests=(ERIK, THOMAS, METTE),
        decision=_p(
            _UNGE_TEXT + " Arbejdsmarkedschef Erik Holck Hansen, skole- og dagtilbudschef "
            "Thomas Olesen deltog under behandlingen.",
            "Der blev efterspurgt tydeliggørelse af hvilken målgruppe, indsatsen præcist retter "
            "sig i mod. Fokus er på hvilke indsatser der skal gøre mindre af, når der sættes ind "
            "med Ungegarantien.",
            "I udkastet til en sagsfremstilling som indeholder finansieringsmodel, skal der ske "
            "en tydeliggørelse af mål for indsatsen og de økonomiske gevinster ved indsatsen "
            "(businesscase). Der skal udarbejdes en guld, sølv og bronze-model. Derudover skal "
            "der udarbejdes et oplæg til, hvorledes det organisatorisk skal forankres. Sagen skal "
            "behandles på møde i direktionen den 6. juni. Arbejdsmarkedschef Erik Holck Hansen, "
            "skole- og dagtilbudschef Thomas Olesen følger op.",
        ),
        docs=(
            Doc(
                8,
                "Oversigt over udgifter til Ungegaranti",
                document_number="3610148",
                journal_number="41188/24",
            ),
            Doc(
                9,
                "Forslag til indsatser i Ungegaranti",
                document_number="3610150",
                journal_number="41190/24",
            ),
        ),
        follow_ups=(
            # seed 004: "Sagen skal behandles på møde i direktionen den 6. juni."
            Follow(
                "Sagen skal behandles på møde i direktionen den 6. juni.",
                D(2024, 6, 6),
                people=(ERIK, THOMAS),
            ),
        ),
    ),
    _break("Frokost", 30),
    Item(
        "Forenkling af politikker, strategier og planer",
        30,
        kind=ItemKind.DECISION,
        text=_p(*_FORENKLING_PARAGRAPHS),
        guests=(
            "Rikke Thind",
            "Lisette Bulig Thoustrup",
            "Jeppe Thvilum",
            LENE,
            "Carina Tang Svendsen",
            "Malene Blæsbjerg",
        ),
        decision=_p(
            *_FORENKLING_PARAGRAPHS,
            _FORENKLING_GUESTS,
            "Der blev givet en række bemærkninger til kommissoriet. Målsætningen fra "
            "budgetaftalen er enkle mål - virkemidlet hertil er forenkling af politikker. "
            "Derudover bemærkninger til formålsafsnittet. I efterårets kortlægning af politik, "
            "strategi, og plan involveres direktionen. Der skal være opmærksomhed på, om der kan "
            "være videndeling for direktionen fra andre kommuner. En justeret udgave af "
            "kommissoriet fremsendes til direktionen på mail. Arbejdsgruppen følger op.",
        ),
        docs=(
            Doc(
                10,
                "Forenkling af politikker i Norddjurs Kommune - Tidsplan af de tre spor",
                document_number="3609934",
                journal_number="41021/24",
            ),
            Doc(
                11,
                "Forenkling af politikker i Norddjurs Kommune - Tidsplan for forenkling af "
                "politikker, planer og strategier",
                document_number="3609936",
                journal_number="41023/24",
            ),
            Doc(
                12,
                "Kommissorium for forenkling af politikker strategier og planer i Norddjurs "
                "Kommune",
                document_number="3609942",
                journal_number="41027/24",
            ),
        ),
        follow_ups=(
            # DEMO: due date invented (before Økonomiudvalget 11 June).
            Follow(
                "En justeret udgave af kommissoriet fremsendes til direktionen på mail.",
                D(2024, 6, 4),
                unit=ARBEJDSGRUPPEN,
                note=DEMO_NOTE,
            ),
        ),
    ),
    Item(
        "Udviklingsforløb for chefforum",
        50,
        text=_CHEFFORUM_TEXT,
        guests=(ULRIK, VICKI, LENE),
        decision=_p(
            _CHEFFORUM_TEXT + " Ekstern konsulent Ulrik Toft fra UKON, udviklingskonsulent Vicki "
            "Nygaard Svendsen og chefkonsulent Lene Helbo Bachmann deltager under behandlingen af "
            "punktet. Direktionen og gæster gennemgik programmet for dagen og kvalificerede de "
            "forskellige punkter. Der udarbejdes illustrationer til grundfortælling og formidling "
            "af udviklingsprojektet, illustrator deltager på kommende direktionsmøde.",
        ),
    ),
    _break("Pause", 10),
    Item(
        "Fælles lederdag 12. juni",
        45,
        text=_LEDERDAG_TEXT,
        guests=("Anders Trillingsgaard", ULRIK, "Trine Kjær Poulsen", VICKI),
        decision=_p(
            _LEDERDAG_TEXT,
            _LEDERDAG_GUESTS,
            "Der blev givet en række kvalificeringer til formål og program for dagen. "
            "Hovedbudskaber og faglig vinkel blev afklaret med Anders Trillingsgaard, og Ulrik "
            "Toft kvalificerede for at styrke sammenhæng til chefforumseminar ultimo maj. Der "
            "skal udarbejdes drøftelsesopgaver, så deltagerne på lederdagen får lejlighed til at "
            "arbejde med den præsenterede ledelsestilgang.",
            "Ledelsessekretariatet arbejder videre med program og forberedelse af lederdagen i "
            "samarbejde med arbejdsgruppen.",
        ),
    ),
    Item("Gennemgang af punkter til kommende direktionsmøde", 15, guests=(VICKI,)),
]
MEETING_END = T(15, 0)  # "15.00 Mødet afsluttes"


# --- Loading ---------------------------------------------------------------------------------


_LABELS = {
    "Meeting": "møder",
    "AgendaItem": "dagsordenspunkter",
    "Attachment": "bilag",
    "FollowUp": "opfølgninger",
    "Case": "sager",
    "CaseStep": "sagsgange",
}


@dataclass
class Result:
    created: dict[str, int] = field(default_factory=dict)
    meeting: Meeting | None = None


def _aware(value: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(value)


def _attachment_pdf(doc: Doc) -> bytes:
    """A small real PDF standing in for the attachment, so that downloads work."""
    from documents.pdf import html_to_pdf

    title = escape(doc.title)
    html = (
        f'<html lang="da"><head><meta charset="utf-8"><title>{title}</title>'
        "<style>body { font-family: 'IBM Plex Sans', sans-serif; }</style></head>"
        f"<body><h1>{title}</h1><p>Bilag {doc.number} til Direktionens møde 15-05-2024.</p>"
        "<p>Indholdet af bilaget er ikke en del af kildematerialet (demo).</p></body></html>"
    )
    return html_to_pdf(html)


def _administrator(municipality: Municipality) -> User:
    user = (
        User.objects.filter(municipality=municipality, role=Role.ADMINISTRATOR, is_active=True)
        .order_by("pk")
        .first()
    )
    if user is None:
        raise ValueError(f"{municipality} has no administrator to approve the demo minutes.")
    return user


def _direktion(municipality: Municipality, tally: _Tally) -> Body:
    body = (
        Body.objects.filter(municipality=municipality, kind=BodyKind.EXECUTIVE_BOARD)
        .order_by("-short_name", "pk")  # organisation.demo's "Direktion" has "DIR"
        .first()
    )
    if body is None:
        body = _upsert(
            Body,
            tally,
            {"municipality": municipality, "name": "Direktion"},
            {"kind": BodyKind.EXECUTIVE_BOARD, "short_name": "DIR"},
        )
    return body


def _people(municipality: Municipality, tally: _Tally) -> tuple[dict, dict]:
    """The guests by name (created when missing) and the units by name."""
    tenant = {"municipality": municipality}
    units = {unit.name: unit for unit in OrgUnit.objects.filter(**tenant)}
    for name, kind, parent in UNITS:
        if name not in units:
            units[name] = _upsert(
                OrgUnit,
                tally,
                {**tenant, "name": name},
                {"kind": kind, "parent": units.get(parent)},
            )
    people = {}
    for name, title, unit in PEOPLE:
        people[name] = _upsert(
            Person, tally, {**tenant, "name": name}, {"title": title, "unit": units.get(unit)}
        )
    name, title, unit = TONNY
    tonny = Person.objects.filter(**tenant, name=name).first()
    if tonny is None:
        tonny = _upsert(
            Person, tally, {**tenant, "name": name}, {"title": title, "unit": units.get(unit)}
        )
    people[name] = tonny
    return people, units


def _case(municipality: Municipality, body: Body, tally: _Tally) -> Case:
    case = _upsert(
        Case,
        tally,
        {"municipality": municipality, "number": CASE_NUMBER},
        {"title": CASE_TITLE, "description": CASE_TEXT, "created_on": CASE_CREATED_ON},
    )
    _upsert(
        CaseStep,
        tally,
        {"municipality": municipality, "case": case, "position": 0},
        {"body": body, "arrived_on": CASE_CREATED_ON},
    )
    return case


# The political route (issue 19): the DPO's annual report and the personnel statement, treated
# by the Direktion at this meeting, go on to bodies outside the administration, as their case
# texts say (item 10.10: "skal efterfølgende behandles i Økonomiudvalg og Kommunalbestyrelse";
# item 10.30: "tilgår på vanlig vis Hovedudvalget, Økonomiudvalget og Kommunalbestyrelsen").
# The meeting enters the whole day as ONE case (above); each of the two continues as a case of
# its own, raised from the meeting, whose route the Direktion sent on on the meeting's date.
# DEMO: the case numbers; the titles are the seed's attachments', the texts the items'.
POLITICAL_CASES = [
    (
        "DIR-2024-05-15-DPO",
        "Databeskyttelsesrådgiverens årsrapport 2023",
        _DPO_TEXT,
        (organisation_demo.OEKONOMIUDVALGET, organisation_demo.KOMMUNALBESTYRELSEN),
    ),
    (
        "DIR-2024-05-15-HR",
        "Personalepolitisk status 2023",
        _HR_TEXT,
        (
            organisation_demo.HOVEDUDVALGET,
            organisation_demo.OEKONOMIUDVALGET,
            organisation_demo.KOMMUNALBESTYRELSEN,
        ),
    ),
]


def _political_bodies(municipality: Municipality, tally: _Tally) -> dict[str, Body]:
    """The bodies outside the administration of `organisation.demo`, by name (created as it
    creates them when missing, so that a municipality without them gets them too)."""
    bodies = {}
    for spec in organisation_demo.NORDDJURS_POLITICAL_BODIES:
        values = {name: spec[name] for name in ("short_name", "kind", "external", "purpose")}
        bodies[spec["name"]] = _upsert(
            Body, tally, {"municipality": municipality, "name": spec["name"]}, values
        )
    return bodies


def _political_cases(municipality: Municipality, body: Body, meeting: Meeting, tally) -> None:
    """The two cases that go on from the meeting to political treatment: the Direktion had
    them from the case's creation and sent them on to the first body outside the
    administration on the meeting's date."""
    political = _political_bodies(municipality, tally)
    origin = {
        "origin_label": meeting.heading,
        "origin_url": reverse("meetings:meeting_detail", kwargs={"pk": meeting.pk}),
    }
    for number, title, text, route in POLITICAL_CASES:
        case = _upsert(
            Case,
            tally,
            {"municipality": municipality, "number": number},
            {"title": title, "description": text, "created_on": CASE_CREATED_ON, **origin},
        )
        steps = [(body, CASE_CREATED_ON)] + [
            (political[name], MEETING_DATE if position == 0 else None)
            for position, name in enumerate(route)
        ]
        for position, (step_body, arrived_on) in enumerate(steps):
            _upsert(
                CaseStep,
                tally,
                {"municipality": municipality, "case": case, "position": position},
                {"body": step_body, "arrived_on": arrived_on},
            )


def _enter_meeting(municipality, body, case, people, units, admin, tally: _Tally) -> Meeting:
    meeting = Meeting(
        municipality=municipality,
        body=body,
        date=MEETING_DATE,
        start=T(9, 0),
        end=MEETING_END,
        title=MEETING_TITLE,
        place=PLACE,
        state=MeetingState.PLANNED,
    )
    meeting.full_clean()
    meeting.save()
    tally.add(Meeting, True, True)

    entered = []
    for spec in ITEMS:
        is_break = spec.kind == ItemKind.BREAK
        item = services.add_item(
            meeting,
            AgendaItem(
                title=spec.title,
                kind=spec.kind,
                duration=spec.minutes,
                case=None if is_break else case,
                case_text=spec.text,
                recommendation="" if is_break else RECOMMENDATION,
            ),
            guests=[people[name] for name in spec.guests],
        )
        tally.add(AgendaItem, True, True)
        for position, doc in enumerate(spec.docs):
            attachment = Attachment(
                municipality=municipality,
                item=item,
                position=position,
                title=doc.title,
                document_number=doc.document_number,
                journal_number=doc.journal_number,
                closed=doc.closed,
                closed_reason="Internt arbejdsdokument (demo)" if doc.closed else "",
            )
            content = _attachment_pdf(doc)
            attachment.content_type = "application/pdf"
            attachment.size = len(content)
            attachment.file.save(f"bilag-{doc.number}.pdf", ContentFile(content), save=False)
            attachment.full_clean()
            attachment.save()
            tally.add(Attachment, True, True)
        entered.append((spec, item))

    meeting = services.approve_agenda(meeting, admin)
    meeting.agenda_approved_at = _aware(AGENDA_APPROVED_AT)
    # The agenda was sent before digistyr: the state is set as services.send_agenda sets it.
    meeting.state = MeetingState.AGENDA_SENT
    meeting.agenda_sent_at = _aware(AGENDA_SENT_AT)
    meeting.save()
    meeting = services.mark_held(meeting, admin)

    for spec, item in entered:
        if spec.kind == ItemKind.BREAK:
            continue
        item.refresh_from_db()
        item.decision = spec.decision
        item.outcome = spec.outcome
        services.update_item(item, item.revision)
        for follow in spec.follow_ups:
            owners = [(people[name], None) for name in follow.people] or [
                (None, units[follow.unit])
            ]
            for person, unit in owners:
                follow_up = FollowUp(
                    municipality=municipality,
                    body=body,
                    item=item,
                    description=follow.description,
                    owner=person,
                    owner_unit=unit,
                    due_date=follow.due,
                    # DEMO: done on the due date; the seed does not say.
                    status=FollowUpStatus.DONE,
                    done_on=min(follow.due, timezone.localdate()),
                    note=" ".join(filter(None, (follow.note, DONE_NOTE))),
                )
                follow_up.full_clean()
                follow_up.save()
                tally.add(FollowUp, True, True)

    services.approve_minutes(meeting, admin)
    approved_at = _aware(MINUTES_APPROVED_AT)
    Meeting.objects.filter(pk=meeting.pk).update(minutes_approved_at=approved_at)
    MinutesVersion.objects.filter(meeting=meeting).update(approved_at=approved_at)
    meeting.refresh_from_db()
    return meeting


def load_executive_meeting(municipality: Municipality, stdout=None) -> Result:
    """Enter the Direktion's meeting of 15-05-2024 (seed 004). Safe to run any number of times.

    Needs the organisation demo (`organisation.demo.load`) for the Direktion and the
    administrator who approves the minutes.
    """
    tally = _Tally()
    with transaction.atomic(), scopes_disabled():
        body = _direktion(municipality, tally)
        people, units = _people(municipality, tally)
        case = _case(municipality, body, tally)
        meeting = Meeting.objects.filter(body=body, date=MEETING_DATE).first()
        if meeting is None:
            meeting = _enter_meeting(
                municipality, body, case, people, units, _administrator(municipality), tally
            )
        _political_cases(municipality, body, meeting, tally)
    if stdout is not None:
        if tally.created or tally.updated:
            parts = ", ".join(
                f"{n} {_LABELS.get(name, name)}"
                for name, n in {**tally.created, **tally.updated}.items()
            )
            stdout.write(f"Direktionens møde 15-05-2024: oprettet eller opdateret {parts}\n")
        else:
            stdout.write("Direktionens møde 15-05-2024: allerede indlæst; intet ændret.\n")
    return Result(created=tally.created, meeting=meeting)
