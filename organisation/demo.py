"""Demo data: Norddjurs Kommune as the seeds describe it, plus a small fictional municipality.

The facts come from the seed documents in `docs/seeds/`:

- 000: memo "Status på tværgående grupper – august 2021" (groups, purposes, members with
  titles, organisation, "Aktuel status", closed groups);
- 001: "Kommissorium for den tværgående digitaliseringsorganisation" (steering group and
  programme group: purpose, duties, composition, cadence);
- 003: "Digitaliseringsstrategi 2016–2020", chapter 6 Organisering (programme group,
  cross-cutting project groups, Project Board, IOD, IT-sikkerhedsgruppen). That seed is OCR
  text with broken Danish letters; the texts below restore æ, ø and å.

Everything that is *not* in the seeds is marked "DEMO" or "ASSUMPTION" in a comment, and
invented visible text says "(demo)". Invented items are few on purpose: two demo people, their
memberships, three logins without a person, a status entry of this month for each body at work
(the memo's entries stay dated August 2021, as the seed dates them), and the fictional
"Demokommune Vest".

`load()` is idempotent: every row is found by a natural key (municipality + name, body +
date, person + body + start …) and only saved when something differs, so a second run
creates no rows and writes no history.
"""

import datetime

from django.db import transaction
from django.utils import timezone
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
    PlanRole,
)

DEMO_PASSWORD = "digistyr-demo"

D = datetime.date

# The date of the status memo in seed 000 ("august 2021"); the "Aktuel status" entries get it.
MEMO_DATE = D(2021, 8, 15)

# ASSUMPTION: the seeds give no start dates for memberships. The members named in the August
# 2021 memo are taken to have sat since the start of 2021; the Covid-19 group since shortly
# before its first meeting on 4 May 2021.
SEATED_2021 = D(2021, 1, 1)
COVID_GROUP_START = D(2021, 4, 15)
# DEMO: invented memberships (demo people) start after the memo, so the memo of August 2021
# reproduces seed 000 exactly, while "today" the demo secretary is visible in the bodies.
DEMO_START = D(2021, 9, 1)

# seed 003: "Tillæg vedr. ændret organisering er godkendt af Direktionen den 11. januar 2017"
ORGANISATION_2017 = D(2017, 1, 11)
# ASSUMPTION: seed 001 carries no approval date or approving body. It refers to the
# Sammenhængsreformen (2017–18) and precedes the 2021 memo; we assume the Direktion approved
# it on this date.
MANDATE_2018_APPROVED = D(2018, 12, 1)


# --- Norddjurs Kommune ---------------------------------------------------------------------

NORDDJURS_INTRO = (
    # seed 000, opening paragraph, with the line-break hyphens removed
    "Der er på nuværende tidspunkt etableret tre faste tværgående grupper på koncernniveau i "
    "Norddjurs Kommune. Grupperne består altid af flere ledelsesrepræsentanter på direktions- "
    "såvel som aftaleholderniveau. Formålet med de tværgående grupper er at understøtte bredt "
    "ejerskab og forankring i organisationen om strategiske emner. Dette arbejde kræver en "
    "koordineret og fælles indsats på tværs af forvaltninger og fagområder, og gruppens "
    "medlemmer skal afspejle det tværgående princip. Alle gruppers nedsættelse og bemanding "
    "godkendes i direktion og har et ledelsesmæssigt, strategisk ophæng i chefforum."
)

# (name, kind, parent name). Names are unique within the municipality (the natural key).
NORDDJURS_UNITS = [
    ("Direktionen", OrgUnitKind.STAB, None),
    ("Staben", OrgUnitKind.STAB, "Direktionen"),
    ("Velfærdsforvaltningen", OrgUnitKind.FORVALTNING, None),
    ("Sundhed og Omsorg", OrgUnitKind.CHEFOMRAADE, "Velfærdsforvaltningen"),
    ("Skole og Dagtilbud", OrgUnitKind.CHEFOMRAADE, "Velfærdsforvaltningen"),
    ("Børn og Familie", OrgUnitKind.CHEFOMRAADE, "Velfærdsforvaltningen"),
    ("Arbejdsmarked", OrgUnitKind.CHEFOMRAADE, "Velfærdsforvaltningen"),
    ("Fællesforvaltningen", OrgUnitKind.FORVALTNING, None),
    ("Borgerservice, IT og Digitalisering", OrgUnitKind.CHEFOMRAADE, "Fællesforvaltningen"),
    # ASSUMPTION: the chefområde's three afdelinger follow its name; seed 001 names
    # "Digitalisering", seed 003 "IT- og digitaliseringsafdelingen".
    ("Borgerservice", OrgUnitKind.AFDELING, "Borgerservice, IT og Digitalisering"),
    ("Digitalisering", OrgUnitKind.AFDELING, "Borgerservice, IT og Digitalisering"),
    ("IT", OrgUnitKind.AFDELING, "Borgerservice, IT og Digitalisering"),
    # ASSUMPTION: the seeds do not say where Kultur og Udvikling sits; a cultural and
    # development area sits most plausibly in Fællesforvaltningen.
    ("Kultur og Udvikling", OrgUnitKind.CHEFOMRAADE, "Fællesforvaltningen"),
    ("Økonomi", OrgUnitKind.CHEFOMRAADE, "Fællesforvaltningen"),
    ("HR", OrgUnitKind.FAGOMRAADE, "Fællesforvaltningen"),
    # seed 000 names a "vej- og ejendomschef"; ASSUMPTION: the area is in Fællesforvaltningen.
    ("Vej og Ejendom", OrgUnitKind.CHEFOMRAADE, "Fællesforvaltningen"),
    ("Fællessekretariatet", OrgUnitKind.STAB, "Fællesforvaltningen"),
    # ASSUMPTION: Ledelsessekretariatet placed in Fællesforvaltningen (not named in the seeds).
    ("Ledelsessekretariatet", OrgUnitKind.STAB, "Fællesforvaltningen"),
]

# (name, title, unit name). Titles exactly as seed 000 writes them.
NORDDJURS_PEOPLE = [
    ("Christian Bertelsen", "kommunaldirektør", "Direktionen"),
    # Seed 000 calls the same man "Kim B. Nielsen" (steering group, Informationssikkerheds-
    # udvalget) and "Kim Bruun" (koordineringsgruppe for økonomi), both times with the title
    # "stabschef/konst. fællesforvaltningsdirektør": one person.
    ("Kim B. Nielsen", "stabschef/konst. fællesforvaltningsdirektør", "Staben"),
    ("Søs Fuglsang", "sundheds- og omsorgschef", "Sundhed og Omsorg"),
    # Seed 000 also writes "Lene Mehlsen" (Covid-19 group): the same chief, one person.
    ("Lene Mehlsen Thomsen", "skole- og dagtilbudschef", "Skole og Dagtilbud"),
    ("Marie-Louise Ifversen", "sekretariatschef for velfærd", "Velfærdsforvaltningen"),
    ("Trine Grejsen", "chef for kultur og udvikling", "Kultur og Udvikling"),
    (
        "Tonny Olsen",
        "chef for Borgerservice, IT og Digitalisering",
        "Borgerservice, IT og Digitalisering",
    ),
    # ASSUMPTION: the data protection officer is placed in Digitalisering (not in the seeds).
    ("Kaare Christensen", "teamleder og databeskyttelsesrådgiver", "Digitalisering"),
    # ASSUMPTION: afdelingsleder in the chefområde; placed in IT (technical security).
    ("Kenneth Andersen", "afdelingsleder i borgerservice, IT og digitalisering", "IT"),
    # ASSUMPTION: the information security coordinator is placed in IT.
    ("Nirojan Kathirgamarajah", "informationssikkerhedskoordinator", "IT"),
    # ASSUMPTION: the seed gives no unit for these two members of Informationssikkerheds-
    # udvalget; one is placed on each side, like the two sekretariatschefer.
    ("Rikke Broch", "afdelingsleder", "Fællessekretariatet"),
    ("Pia Ladefoged", "akademisk medarbejder", "Velfærdsforvaltningen"),
    ("Bettina Andersen", "økonomichef", "Økonomi"),
    ("Kim T. Jensen", "vej- og ejendomschef", "Vej og Ejendom"),
    # ASSUMPTION: the library belongs to Kultur og Udvikling.
    ("Lars Lerche", "biblioteksleder", "Kultur og Udvikling"),
    # ASSUMPTION: "forebyggelse og tidlig indsats" placed in Børn og Familie.
    ("Annette Kristensen", "leder af forebyggelse og tidlig indsats", "Børn og Familie"),
    ("Hanne Winterberg", "hjemmeplejeleder", "Sundhed og Omsorg"),
    ("Jacob Hørlyk", "skoleleder", "Skole og Dagtilbud"),
    # The seed does not say where the four MED representatives work: no unit rather than an
    # invented one.
    ("Lisa Mogensen", "MED-repræsentant", None),
    ("Hanne Majgaard Nielsen", "MED-repræsentant", None),
    ("Anni Hovmann Nielsen", "MED-repræsentant", None),
    ("Michael Aagaard Laursen", "MED-repræsentant", None),
    # DEMO: two invented people so the secretary and project leader logins have a person.
    ("Demo Sekretær", "digitaliseringskonsulent (demo)", "Digitalisering"),
    ("Demo Projektleder", "digitaliseringsprojektleder (demo)", "Digitalisering"),
]

# Vacant seats ("(vakant)" in seed 000: sekretariatschef i fællessekretariatet in Informations-
# sikkerhedsudvalget and sekretariatschef for fællesforvaltningen in the economy group) are not
# people and are left out.

STEERING = "Den tværgående digitaliseringsstyregruppe"
PROGRAMME = "Den tværgående digitaliseringsprogramgruppe"
DIREKTION = "Direktion"

_PROJECT_GROUP_PURPOSE = (
    # seed 003, "Tværgående projektgruppe"
    "De tværgående projektgrupper er tæt knyttet til den tværgående "
    "digitaliseringsprogramgruppe for at sikre, at kommunikationen og gennemsigtigheden i "
    "projekterne formidles bedst muligt. Det skyldes, at projekterne ofte har indvirkning på "
    "hele organisationen, og at investeringerne samt gevinstrealiseringen også er drevet fra "
    "centralt hold."
)
_PROJECT_GROUP_ORGANISATION = "\n".join(
    [
        "Gruppen styres af en digitaliseringsprojektleder fra IT- og digitaliseringsafdelingen og "
        "bemandes med de relevante fagpersoner og kompetencer fra forvaltningerne.",
        "Relevante medarbejdere, ledere og/eller chefer indkaldes løbende/ad hoc, når det findes "
        "nødvendigt.",
        "Projektgruppen administrerer selv sine mødeintervaller; projektlederen deltager i "
        "Project Board-møderne i IT- og digitaliseringsafdelingen.",
    ]
)

# The bodies outside the administration that seed 004 sends cases on to, the political
# treatment (`Body.external`): the DPO's annual report goes on to "Økonomiudvalg og
# Kommunalbestyrelse", the personnel statement to "Hovedudvalget, Økonomiudvalget og
# Kommunalbestyrelsen" (item 10.10 and 10.30). The short names are those the seed uses ("ØK",
# "ØK/HU"); "KB" is ASSUMPTION (the usual abbreviation). Their members and meetings are not
# kept in digistyr.
OEKONOMIUDVALGET = "Økonomiudvalget"
KOMMUNALBESTYRELSEN = "Kommunalbestyrelsen"
HOVEDUDVALGET = "Hovedudvalget"
NORDDJURS_POLITICAL_BODIES = [
    {
        "name": HOVEDUDVALGET,
        "short_name": "HU",
        "kind": BodyKind.COMMITTEE,
        "external": True,
        "purpose": "Kommunens øverste MED-udvalg (demo).",
    },
    {
        "name": OEKONOMIUDVALGET,
        "short_name": "ØK",
        "kind": BodyKind.COMMITTEE,
        "external": True,
        "purpose": "Kommunalbestyrelsens økonomiudvalg (demo).",
    },
    {
        "name": KOMMUNALBESTYRELSEN,
        "short_name": "KB",
        "kind": BodyKind.COUNCIL,
        "external": True,
        "purpose": "Kommunens politiske ledelse (demo).",
    },
]

# Each body: its fields, keyed on (municipality, name). "parent" names another body.
NORDDJURS_BODIES = [
    {
        "name": DIREKTION,
        # seed 004 prints the Direktion's route ("Sagsgang") as "DIR"
        "short_name": "DIR",
        "kind": BodyKind.EXECUTIVE_BOARD,
        # seed 000: "Alle gruppers nedsættelse og bemanding godkendes i direktion"
        "purpose": "Direktionen godkender nedsættelse og bemanding af de tværgående grupper.",
    },
    {
        "name": "Chefforum",
        "kind": BodyKind.MANAGEMENT_FORUM,
        # seed 000: "... har et ledelsesmæssigt, strategisk ophæng i chefforum."
        "purpose": "De tværgående grupper har et ledelsesmæssigt, strategisk ophæng i chefforum.",
    },
    {
        "name": STEERING,
        "short_name": "Styregruppen",
        "kind": BodyKind.STEERING_GROUP,
        "parent": DIREKTION,
        "cross_cutting": True,
        "established_on": ORGANISATION_2017,
        "cadence": "4 gange årligt (i hvert kvartal)",
        "meetings_per_year": 4,
        "purpose": (
            "Formålet med den tværgående digitaliseringsstyregruppe er, at arbejdet med "
            "digitalisering i Norddjurs kommune fortsat styrkes som en integreret del af "
            "driften, ledelsesopgaven og på tværs af alle niveauer, herunder med en struktur, "
            "forankring og formalisering af digitaliseringsarbejdet på tværs af hele kommunen. "
            "Den tværgående digitaliseringsstyregruppe fungerer med afsæt i ”Kommissorium for "
            "den tværgående digitaliseringsorganisation”."
        ),
        "organisation": "\n".join(
            [
                "Gruppen mødes 4 gange årligt (i hvert kvartal) og har samlet arbejdsgruppens "
                "materiale på intranettet.",
                "Gruppens arbejde suppleres med to årlige dialogmøder med hvert chefområde (både "
                "fagchefer og sekretariatschefer), hvor Kaare Christensen og Tonny Olsen deltager.",
            ]
        ),
    },
    {
        "name": "Informationssikkerhedsudvalget",
        "short_name": "ISU",
        "kind": BodyKind.COMMITTEE,
        "parent": DIREKTION,
        "cross_cutting": True,
        "cadence": "4 gange årligt i hvert kvartal",
        "meetings_per_year": 4,
        "purpose": (
            "Informationssikkerhedsudvalget skal agere styrende organ i forhold til "
            "informationssikkerhed og varetage kommunens samlede overordnede interesser "
            "vedrørende informationssikkerhed. Dette indbefatter bl.a. Norddjurs Kommunes "
            "Informationssikkerhedspolitik og sikre at dertilhørende retningslinjer samt "
            "procedurer, løbende bliver ajourført og forankret i organisationen. "
            "Informationssikkerhedsudvalget fungerer med afsæt i ”Kommissorium for "
            "Informationssikkerhedsudvalget i Norddjurs Kommune”."
        ),
        "organisation": (
            "Gruppen mødes 4 gange årligt i hvert kvartal og har samlet arbejdsgruppens "
            "materiale på intranettet."
        ),
    },
    {
        "name": "Tværgående koordineringsgruppe for økonomi",
        "short_name": "Økonomigruppen",
        "kind": BodyKind.COORDINATION_GROUP,
        "parent": DIREKTION,
        "cross_cutting": True,
        "cadence": "Der afholdes møde efter behov. Dog afholdes møde mindst én gang i kvartalet.",
        "meetings_per_year": 4,  # "mindst én gang i kvartalet"
        "purpose": (
            "Formålet med den tværgående koordineringsgruppe for økonomi er at sikre forankring "
            "på tværs i forhold til økonomiske emner på en enkel måde, skabe rum og mulighed for "
            "organisationen til at arbejde med nye idéer på området, og gøre det hurtigere og "
            "lettere at implementere allerede vedtagne målsætninger på økonomiområdet. Den "
            "tværgående koordineringsgruppe for økonomi fungerer med afsæt i ”Kommisorium for "
            "den tværgående koordineringsgruppe for økonomi”."
        ),
        "organisation": "\n".join(
            [
                "Der afholdes møde efter behov. Dog afholdes møde mindst én gang i kvartalet.",
                "Møderne afholdes hvis muligt umiddelbart inden relevante "
                "sekretariatschefsgruppemøder.",
            ]
        ),
    },
    {
        "name": "Gruppe for opsamling og fremtidsperspektiver på baggrund af Covid-19",
        "short_name": "Covid-19-gruppen",
        "kind": BodyKind.AD_HOC,
        "parent": DIREKTION,
        "cross_cutting": True,
        "cadence": "3 møder i 2021",
        "purpose": (
            "Gruppen har beskæftiget sig med, hvordan vi som organisation og kommune vender "
            "tilbage til en mere almindelig hverdag på den anden side af covid19. Efter mere end "
            "et år med restriktioner, omlagte arbejdsrutiner og arbejdsgange har gruppen "
            "drøftet, hvordan organisationen sikres den bedst mulige genåbning, hvor trivsel og "
            "arbejdsglæde bevares, og hvor de bedste erfaringer og løsninger fra det seneste år "
            "fastholdes og videreudvikles til gavn for den borgerrettede service. Det har været "
            "relevant at sætte fokus på, hvilke dilemmaer og udfordringer, der kan opstå i den "
            "nye, gradvist normaliserede hverdag, hvordan disse kan håndteres, samt hvordan "
            "organisationen kan handle proaktivt for at sikre en god genåbning for borgere, "
            "pårørende, ledere og medarbejdere. Gruppen fungerer med afsæt i ”Kommissorium for "
            "tværgående gruppe vedr. opsamling og fremtidsperspektiver på baggrund af "
            "Covid-19”."
        ),
        "organisation": "\n".join(
            [
                "Første møde blev afholdt 4. maj 2021.",
                "Andet møde blev afholdt 7. juni 2021.",
                "Det tredje og afsluttende møde afholdes 9. september 2021.",
                "Kommunaldirektørens sekretariat er sekretariat for gruppens arbejde.",
            ]
        ),
        # The group held its closing meeting on 9 September 2021, but the seeds do not record
        # a closing: it is left open rather than given an invented closing summary.
    },
    {
        "name": "Gruppe for bæredygtighed",
        "kind": BodyKind.WORKING_GROUP,
        "parent": DIREKTION,
        "cross_cutting": True,
        # ASSUMPTION: seed 000 says "afsluttet 2021" and "afrapporterede sit arbejde primo
        # 2021"; the day is assumed.
        "closed_on": D(2021, 3, 31),
        "closing_summary": (
            "Gruppen afrapporterede sit arbejde primo 2021 i organisationens principper for "
            "bæredygtighed. I principperne beskrives det, hvordan bæredygtighed kan indgå i "
            "kommunens kerneopgave, så det skaber en merværdi for arbejdsgange, opgaveløsning og "
            "i sidste ende kommer borgerne til gavn. Formålet med principperne for bæredygtighed "
            "er at se os selv som en del af bæredygtige fællesskaber og lokalsamfund, der "
            "understøtter sammenhængskraften omkring den fælles, bæredygtige udvikling af "
            "Norddjurs på tværs af kommunen."
        ),
    },
    {
        "name": "Gruppe for markedsføring",
        "kind": BodyKind.WORKING_GROUP,
        "parent": DIREKTION,
        "cross_cutting": True,
        # ASSUMPTION: seed 000 says "afsluttede sit arbejde i efteråret 2019"; the day is
        # assumed.
        "closed_on": D(2019, 11, 30),
        "closing_summary": (
            "Gruppen afsluttede sit arbejde i efteråret 2019. En af målsætningerne med gruppen "
            "var at styrke den horisontale samarbejdsrelation og sætte fokus på tværgående "
            "emner. Gruppen har kvalificeret det lokale kommunikations- og "
            "markedsføringsarbejde og sat emnet på dagsordenen i afdelingerne. Gruppen har også "
            "medvirket til at styrke netværk og samarbejdsrelationer samt løftet konkrete "
            "opgaver og arrangementer, herunder letbane-indvielsen, byudvikling i Auning, cases "
            "til Facebook mv. Der er fortsat behov for fokus på eksekvering af "
            "markedsføringsopgaver på tværs, og det er på den baggrund en central pointe, at "
            "disse tværgående samarbejder og drøftelser ses som et supplement til den daglige "
            "drift i organisationen."
        ),
    },
    # --- seed 003 (and 001): the rest of the digitalisation organisation. These are not
    # "tværgående grupper på koncernniveau" in the sense of the memo (seed 000 lists exactly
    # the groups above), so cross_cutting stays False and the generated memo matches seed 000.
    {
        "name": PROGRAMME,
        "short_name": "Programgruppen",
        "kind": BodyKind.PROGRAMME_GROUP,
        "parent": STEERING,
        "established_on": ORGANISATION_2017,
        "cadence": "4 gange årligt (følger styregruppens mødekadence); derudover efter behov",
        "meetings_per_year": 4,
        "purpose": (
            # seed 001 (Operationel forankring) and seed 003
            "Den tværgående digitaliseringsprogramgruppe koordinerer fremdriften med "
            "digitalisering i kommunen, understøtter, at der træffes de fornødne beslutninger, "
            "og sikrer løbende et tværgående overblik over alle digitaliseringsprojekter i hele "
            "kommunen. Programgruppen tager beslutninger på det operationelle niveau og laver "
            "taktiske samt strategiske beslutningsoplæg til digitaliseringsstyregruppen, samt "
            "sikrer at styregruppen løbende er tæt på gruppens arbejde."
        ),
        "organisation": "\n".join(
            [
                "Programgruppen afholder fire årlige møder, der følger styregruppens mødekadence. "
                "Møder herudover afholdes efter behov.",
                "Programgruppen planlægger, koordinerer og er vært på et årligt "
                "digitaliseringsseminar.",
                "Formanden er mødeleder.",
                "Sekretæren skriver referat og står for mødeindkaldelser og bookning af lokaler.",
            ]
        ),
    },
    {
        "name": "Tværgående projektgruppe for monopolbrud",
        "short_name": "Monopolbrud",
        "kind": BodyKind.PROJECT_GROUP,
        "parent": PROGRAMME,
        "established_on": ORGANISATION_2017,
        "cadence": "Projektgruppen fastsætter selv sine mødeintervaller",
        "purpose": _PROJECT_GROUP_PURPOSE,
        "organisation": _PROJECT_GROUP_ORGANISATION,
    },
    {
        "name": "Tværgående projektgruppe for mobil- og bredbånd",
        "short_name": "Mobil og bredbånd",
        "kind": BodyKind.PROJECT_GROUP,
        "parent": PROGRAMME,
        "established_on": ORGANISATION_2017,
        "cadence": "Projektgruppen fastsætter selv sine mødeintervaller",
        "purpose": _PROJECT_GROUP_PURPOSE,
        "organisation": _PROJECT_GROUP_ORGANISATION,
    },
    {
        "name": "Tværgående projektgruppe for BRA/Smart",
        "short_name": "BRA/Smart",
        "kind": BodyKind.PROJECT_GROUP,
        "parent": PROGRAMME,
        "established_on": ORGANISATION_2017,
        "cadence": "Projektgruppen fastsætter selv sine mødeintervaller",
        "purpose": _PROJECT_GROUP_PURPOSE,
        "organisation": _PROJECT_GROUP_ORGANISATION,
    },
    {
        "name": "Project Board",
        "kind": BodyKind.PROJECT_BOARD,
        # ASSUMPTION: the seeds do not say whom the Project Board reports to; the programme
        # group, which administers the project portfolio, is the plausible one.
        "parent": PROGRAMME,
        "established_on": ORGANISATION_2017,
        "cadence": "ca. hver 14. dag",
        "meetings_per_year": 26,
        "purpose": (
            "Projektlederne for de tværgående projekter fremlægger på Project Board-møderne en "
            "status på de forskellige projekter."
        ),
        "organisation": (
            "Project Board-møderne afholdes ca. hver 14. dag i IT- og "
            "digitaliseringsafdelingen (Borgerservice, IT og Digitalisering)."
        ),
    },
    {
        "name": "IOD – Innovation og Digitalisering",
        "short_name": "IOD",
        "kind": BodyKind.INNOVATION_GROUP,
        # ASSUMPTION: IOD inspires both groups; it reports to the steering group, which can
        # fund its projects from the digitalisation budget (seed 003).
        "parent": STEERING,
        "established_on": ORGANISATION_2017,
        "purpose": (
            "Innovation og Digitalisering (IOD) er en lille gruppe af udvalgte medarbejdere fra "
            "forvaltningen og har fodfæste i Norddjurs Kommunes værdi om prøvehandlinger. "
            "Gruppen nedsættes for at identificere, undersøge samt igangsætte nye innovative "
            "tiltag, der kan inspirere og udfordre Norddjurs Kommunes organisation til at skabe "
            "nye innovative løsninger gennem øget digitalisering. Målet med gruppen er at give "
            "den tværgående digitaliseringsstyregruppe og den tværgående "
            "digitaliseringsprogramgruppe inspiration til, hvad der sker inden for "
            "digitaliseringsområdet både lokalt, nationalt og globalt."
        ),
        "organisation": "\n".join(
            [
                "Der er ingen rammer for gruppen, forstået på den måde, at der skal tænkes ud af "
                "boksen.",
                "Gruppen bestræber sig på at arbejde ud fra de agile principper og gerne fokusere på "
                "”disruptive innovation”: små og billige tiltag, der skaber store forandringer "
                "og/eller effektivisering.",
                "Projektarbejdet kan tage afsæt i laboratoriemodellen i Norddjurs Kommunes "
                "projektguide eller SCRUM-metoderne.",
                "Styregruppen kan afsætte økonomiske midler fra digitaliseringsbudgettet til "
                "projekter, som IOD-gruppen igangsætter og administrerer.",
            ]
        ),
    },
    {
        "name": "IT-sikkerhedsgruppen",
        "kind": BodyKind.SECURITY_GROUP,
        # ASSUMPTION: seed 000 says Informationssikkerhedsudvalget works "sammen med
        # IT-sikkerhedsgruppen (teknisk sikkerhed)"; the technical group reports to it.
        "parent": "Informationssikkerhedsudvalget",
        # seed 003: set up when the information security policy was adopted in 2011.
        # ASSUMPTION: only the year is known; 1 January is used.
        "established_on": D(2011, 1, 1),
        "cadence": "Mindst én gang årligt (vurdering af informationssikkerhedspolitikken)",
        "meetings_per_year": 1,
        "purpose": (
            "IT-sikkerhedsgruppen har, med reference til den øverste sikkerhedsansvarlige, "
            "ansvaret for at sikre, at målsætningen for informationssikkerhedspolitikken bliver "
            "opfyldt. IT-sikkerhedsgruppen er normgivende og fastsætter på grundlag af den "
            "godkendte informationssikkerhedspolitik de regler, procedurer m.v., der sikrer at "
            "målene opfyldes, og behandler alle spørgsmål om informationssikkerhed af "
            "principiel karakter."
        ),
        "organisation": "\n".join(
            [
                "Gruppen består af Norddjurs Kommunes øverste sikkerhedsansvarlige samt en "
                "IT-ansvarlig fra hvert direktørområde, udpeget af direktørerne blandt områdets "
                "medarbejdere.",
                "Opgaverne er beskrevet i Forretningsorden for IT-sikkerhedsgruppen, som gruppen "
                "selv vedtager.",
                "Én gang om året vurderes informationssikkerhedspolitikken, herunder regler, "
                "procedurer m.v., til sikring af at disse lever op til kravene i lovgivningen.",
                "Én gang årligt vurderes, om der er behov for fornyet "
                "risikovurdering/konsekvensanalyse.",
            ]
        ),
    },
]

COVID = "Gruppe for opsamling og fremtidsperspektiver på baggrund af Covid-19"
ECONOMY = "Tværgående koordineringsgruppe for økonomi"
ISU = "Informationssikkerhedsudvalget"

CHAIR, SECRETARY, MEMBER = MembershipRole.CHAIR, MembershipRole.SECRETARY, MembershipRole.MEMBER

# (person, body, role, start, note). The closed groups' members are not in the seeds: none.
NORDDJURS_MEMBERSHIPS = [
    # seed 000; chair per seed 001 ("Styregruppeformand: Chef for Borgerservice, IT og
    # Digitalisering")
    ("Tonny Olsen", STEERING, CHAIR, SEATED_2021, ""),
    ("Søs Fuglsang", STEERING, MEMBER, SEATED_2021, ""),
    ("Trine Grejsen", STEERING, MEMBER, SEATED_2021, ""),
    ("Lene Mehlsen Thomsen", STEERING, MEMBER, SEATED_2021, ""),
    ("Kim B. Nielsen", STEERING, MEMBER, SEATED_2021, ""),
    ("Kaare Christensen", STEERING, MEMBER, SEATED_2021, ""),
    # DEMO: the demo secretary fills the secretary seat of seed 001 after the memo date.
    ("Demo Sekretær", STEERING, SECRETARY, DEMO_START, "demo"),
    # seed 000 (the vacant sekretariatschef i fællessekretariatet is left out); no chair named
    ("Marie-Louise Ifversen", ISU, MEMBER, SEATED_2021, ""),
    ("Kim B. Nielsen", ISU, MEMBER, SEATED_2021, ""),
    ("Rikke Broch", ISU, MEMBER, SEATED_2021, ""),
    ("Pia Ladefoged", ISU, MEMBER, SEATED_2021, ""),
    ("Kenneth Andersen", ISU, MEMBER, SEATED_2021, ""),
    ("Kaare Christensen", ISU, MEMBER, SEATED_2021, ""),
    ("Nirojan Kathirgamarajah", ISU, MEMBER, SEATED_2021, ""),
    ("Tonny Olsen", ISU, MEMBER, SEATED_2021, ""),
    # seed 000 ("Kim Bruun" = Kim B. Nielsen; the vacant sekretariatschef for
    # fællesforvaltningen is left out)
    ("Bettina Andersen", ECONOMY, MEMBER, SEATED_2021, ""),
    ("Marie-Louise Ifversen", ECONOMY, MEMBER, SEATED_2021, ""),
    ("Kim B. Nielsen", ECONOMY, MEMBER, SEATED_2021, ""),
    # seed 000 ("Lene Mehlsen" = Lene Mehlsen Thomsen)
    ("Christian Bertelsen", COVID, CHAIR, COVID_GROUP_START, ""),
    ("Tonny Olsen", COVID, MEMBER, COVID_GROUP_START, ""),
    ("Lene Mehlsen Thomsen", COVID, MEMBER, COVID_GROUP_START, ""),
    ("Lars Lerche", COVID, MEMBER, COVID_GROUP_START, ""),
    ("Annette Kristensen", COVID, MEMBER, COVID_GROUP_START, ""),
    ("Hanne Winterberg", COVID, MEMBER, COVID_GROUP_START, ""),
    ("Jacob Hørlyk", COVID, MEMBER, COVID_GROUP_START, ""),
    ("Lisa Mogensen", COVID, MEMBER, COVID_GROUP_START, ""),
    ("Hanne Majgaard Nielsen", COVID, MEMBER, COVID_GROUP_START, ""),
    ("Anni Hovmann Nielsen", COVID, MEMBER, COVID_GROUP_START, ""),
    ("Michael Aagaard Laursen", COVID, MEMBER, COVID_GROUP_START, ""),
    # ASSUMPTION: the seeds name no members of the Direktion; the kommunaldirektør chairs it
    # and the acting director of Fællesforvaltningen sits in it (from their titles).
    ("Christian Bertelsen", DIREKTION, CHAIR, SEATED_2021, "antaget ud fra titlen (demo)"),
    ("Kim B. Nielsen", DIREKTION, MEMBER, SEATED_2021, "antaget ud fra titlen (demo)"),
    # DEMO: the seeds name no members of the programme group or the project groups.
    ("Demo Sekretær", PROGRAMME, SECRETARY, DEMO_START, "demo"),
    ("Demo Projektleder", PROGRAMME, MEMBER, DEMO_START, "demo"),
    ("Demo Projektleder", "Tværgående projektgruppe for monopolbrud", CHAIR, DEMO_START, "demo"),
    ("Demo Projektleder", "Project Board", MEMBER, DEMO_START, "demo"),
]

# (body, date, text): the "Aktuel status" sections of seed 000, bullet points one per line.
NORDDJURS_STATUSES = [
    (
        STEERING,
        MEMO_DATE,
        "\n".join(
            [
                "I digitaliseringsstyregruppen drøftes primært tværgående strategiske emner, herunder "
                "det, der har relevans uden for Norddjurs Kommune og koblinger til lokale indsatser. "
                "Det kan eksemplificeres gennem de seneste års emner behandlet i "
                "Digitaliseringsstyregruppen:",
                "• Ny digitaliseringsstrategi til politisk behandling. ”Digitalisering med fokus i "
                "Norddjurs Kommune – Digitaliseringsprogram 2021-2025”",
                "• Borgerblikket. Borgernes adgang til egne data implementeres løbende efter "
                "landsdækkende bølgeplan",
                "• Office 365 med bl.a. Teams. Implementeres i løbet af 2021-2022",
                "• Fyrtårnsprojekter som gruppen følger: Aula, Fasit, Borgerblikket og Office 365",
                "• Intranet. Erstatter medarbejderportal på norddjurs.dk",
                "• Gevinstrealisering. Hvad er det og hvordan arbejder man med det?",
                "• Konferencelokaler. Et antal mødelokaler opgraderes med virtuelt udstyr",
                "• Webinarløsning. Zoom som supplement til Skype",
                "• Schrems2. Overførsel af data til 3.-lande",
                "• Kombit-projekter. Projektplanlægning, -udrulning og -opfølgning",
                "• Digitale kompetencer. Udvikling af det digitale mindset hos ledere og medarbejdere, "
                "herunder arbejdet med digitale kompetencer",
                "Slutteligt forventes det nye digitaliseringsprogram 2021-2025 at blive rammesættende "
                "for gruppens arbejde i fremtiden.",
            ]
        ),
    ),
    (
        ISU,
        MEMO_DATE,
        "\n".join(
            [
                "Informationssikkerhedsudvalget har sammen med IT-sikkerhedsgruppen (teknisk "
                "sikkerhed) de seneste par år arbejdet målrettet med at implementere "
                "EU-persondataforordningen, den danske persondatalov og krav til informationssikkerhed "
                "generelt. Indsatserne har primært handlet om at blive compliant med lovgivning, "
                "forordninger og omgivelsernes forventninger til informationssikkerhed i en kommune:",
                "• Senest er arbejdet med risikostyring sat i system og implementeres nu i første "
                "omgang på kritiske IT-systemer og systemområder.",
                "• Arbejdet med at øge opmærksomheden i hele organisationen (awareness) har været "
                "prioriteret højt og er et emne, som der fortsat skal arbejdes med for at vedligehold "
                "et passende niveau og løbende opmærksomhed på hele området.",
                "• Mange tidligere gode rutiner er nu dokumenteret, sat i system og er tilgængelig på "
                "intranettet.",
                "Den kommende tids indsatser bliver i høj grad at vedligeholde, fastholde og "
                "videreudvikle arbejdet med informationssikkerhed på et passende niveau, herunder "
                "minimere fejlmuligheder og dokumentere indsatserne.",
            ]
        ),
    ),
    (
        ECONOMY,
        MEMO_DATE,
        "\n".join(
            [
                "Den nuværende status er, at gruppen fortsat anvendes i forbindelse med koordinering på "
                "tværs af organisationen. Dette foregår bl.a. i forbindelse med budgetproces og "
                "budgetopfølgning mv. Der har endnu ikke været afholdt nogle formelle møder i gruppen "
                "under nedlukningen, men der har løbende været en koordinering mellem økonomi og "
                "sekretariatscheferne for de to forvaltninger omkring de løbende opgaver.",
                "Derudover har der været indgået samarbejdsaftaler omkring økonomi med alle chefer, "
                "hvor der også har været en dialog med medlemmerne af gruppen individuelt.",
            ]
        ),
    ),
    (
        COVID,
        MEMO_DATE,
        (
            "Status for gruppen er, at der netop er udarbejdet en afrapportering, som deles bredt i "
            "organisationen med henblik på at rette opmærksomhed på temaer, forhold og muligheder, "
            "der er væsentlige at tage i betragtning for at sikre den bedst mulige løsning af "
            "kerneopgaven i den fremtidige organisation post-corona."
        ),
    ),
]

# DEMO: (body, days before today, text): what the active bodies work on now, so that "Aktuel
# status" is of this month and the memo of 2021 its history. Dated when first loaded and found
# by their text afterwards (a second load, on any day, adds nothing).
NORDDJURS_RECENT_STATUSES = [
    (
        STEERING,
        12,
        "Styregruppen følger op på årets indsatsplan og forbereder godkendelsen af næste års "
        "plan. Gevinsterne ved de afsluttede projekter gøres op til Direktionen (demo).",
    ),
    (
        PROGRAMME,
        19,
        "Programgruppen samler fagområdernes behov til næste års indsatsplan og følger op på "
        "projekterne med forsinkede statusrapporter (demo).",
    ),
    (
        "Project Board",
        5,
        "Projektlederne rapporterer status hver 14. dag; gule og røde projekter drøftes først "
        "(demo).",
    ),
    (
        ISU,
        26,
        "Udvalget følger årets risikovurderinger af de kritiske systemer og planlægger næste "
        "awareness-kampagne (demo).",
    ),
    (
        ECONOMY,
        33,
        "Gruppen koordinerer budgetopfølgningen og de digitale løsningers driftsudgifter til "
        "næste år (demo).",
    ),
]

MANDATE_TITLE = "Kommissorium for den tværgående digitaliseringsorganisation"

# Mandates from seed 001: one document, one mandate per body it governs. Each rule:
# (description, role, min_count, unit name, title_contains).
NORDDJURS_MANDATES = [
    {
        "body": STEERING,
        "title": MANDATE_TITLE,
        "plan_role": PlanRole.APPROVES,  # "indsatsplan til godkendelse i styregruppen"
        "approved_by": DIREKTION,
        "approved_on": MANDATE_2018_APPROVED,
        "purpose": "\n".join(
            [
                "Ledelsesmæssig forankring",
                "Der er behov for en ledelsesmæssig forankring af den tværgående "
                "digitaliseringsindsats, for at",
                "• Vi i Norddjurs fremadrettet kan være på forkant med udviklingen og sikre den "
                "nødvendige gevinstrealisering.",
                "• Vi i Norddjurs på tværs af kommunen kan arbejde intelligent og effektivt med "
                "digitalisering, hvor alle kan få gavn af den viden, læring og de produkter, der er "
                "forankret lokalt.",
                "• Vi i Norddjurs på tværs af kommunen kan udnytte de ressourcer og viden, der er "
                "forankret centralt i vores it- og digitaliseringsorganisation og herved "
                "understøtte, at vi har en sund og effektiv digital kommune.",
                "Det forudsætter, at styregruppen koordinerer tværgående digitalisering i kommunen "
                "og understøtter, at der er struktur, styring, samarbejde, sparring og videndeling "
                "omkring de større digitaliseringsprojekter.",
            ]
        ),
        "duties": "\n".join(
            [
                "Styregruppen understøtter, at",
                "• Norddjurs Kommune har klare og fælles kommunale strategiske mål på det digitale "
                "område, og at kommunens digitale indsatser prioriteres og styres i "
                "overensstemmelse med disse.",
                "• Digitaliseringsstrategien udmøntes og koordineres med kommunens øvrige "
                "strategier.",
                "• Det digitale arbejde har et visionært afsæt således, at der arbejdes aktivt med "
                "at udvikle og modne kommunen både nu og fremadrettet.",
                "• Norddjurs indgår i strategiske partnerskaber på digitaliseringsområdet, hvor det "
                "giver mening og bidrager proaktivt til udviklingen af en digital kommune.",
                "• Der træffes de nødvendige beslutninger så digitaliseringsindsatsen understøttes.",
                "• Direktion og chefforum informeres vedrørende digitaliseringsindsatsen.",
                "",
                "Styregruppen tager det tværgående ejerskab: Styregruppen har ejerskab til og "
                "medansvar for, at kommunens overordnede tværgående digitaliseringsindsats lykkes, "
                "herunder medvirker til at binde organisationen sammen ved bl.a. tydelige "
                "opfølgninger på de initiativer vi gennemfører.",
                "Styregruppen vurderer risici og fjerner eventuelle barrierer: Programgruppen kan "
                "være afhængig af styregruppens opbakning og ledelsesmæssige reaktioner for at nå i "
                "mål med digitale initiativer. Styregruppen skal derfor hjælpe med at vurdere risici "
                "og fjerne barriere for programgruppen.",
                "Styregruppen formidler relevant information til den øvrige ledelse: Styregruppen "
                "skal informere den øvrige ledelse i kommunen på baggrund af statusrapporter eller "
                "lignende fra programgruppen.",
                "Styregruppen kan træffe tværgående beslutninger: Styregruppen træffer tværgående "
                "centrale beslutninger på baggrund af oplæg fra programgruppen. Det foregår fx ved, "
                "at programgruppen forud for styregruppemøder fremsender indstillinger til "
                "beslutning.",
                "",
                "Arbejdsform",
                "• Dagsorden udsendes forud for hvert møde med tilhørende indstillinger og notater, "
                "og med mulighed for, at emner kan behandles på chefmøder inden behandling i "
                "styregruppen.",
                "• Møderne vil primært indeholde emner til information og punkter til beslutninger.",
                "• Formand for programgruppen og styregruppens sekretær forbereder materialet, der "
                "forud for udsendelse godkendes af styregruppens formand.",
            ]
        ),
        "composition": "\n".join(
            [
                "Styregruppeformand: Chef for Borgerservice, IT og Digitalisering.",
                "Øvrige styregruppemedlemmer er ledelsesmæssige repræsentanter der bredt dækker "
                "organisationen.",
                "• Stabschefen",
                "• 2 chefer fra velfærdsområdet",
                "• 1 chef fra fællesforvaltningsområdet",
                "• Leder af Digitalisering",
                "En medarbejder fra Digitalisering dækker sekretærrollen.",
            ]
        ),
        "cadence": "Der afholdes fire årlige møder.",
        "meetings_per_year": 4,
        "rules": [
            (
                "Formand: chef for Borgerservice, IT og Digitalisering",
                CHAIR,
                1,
                None,
                "chef for Borgerservice",
            ),
            ("Stabschefen", "", 1, None, "stabschef"),
            ("2 chefer fra velfærdsområdet", "", 2, "Velfærdsforvaltningen", "chef"),
            ("1 chef fra fællesforvaltningsområdet", "", 1, "Fællesforvaltningen", "chef"),
            ("Leder af Digitalisering", "", 1, None, "leder af digitalisering"),
            ("Sekretær: en medarbejder fra Digitalisering", SECRETARY, 1, "Digitalisering", ""),
        ],
    },
    {
        "body": PROGRAMME,
        "title": MANDATE_TITLE,
        "plan_role": PlanRole.RECOMMENDS,  # "udarbejde en årlig indsatsplan"
        "approved_by": DIREKTION,
        "approved_on": MANDATE_2018_APPROVED,
        "purpose": "\n".join(
            [
                "Operationel forankring",
                "Der er behov for en operationel forankring af den tværgående "
                "digitaliseringsindsats, for at",
                "• Understøtte de lokale digitaliseringsorganisationer via involvering, dialog og "
                "videndeling.",
                "• Etablere et tværgående overblik over digitaliseringsprojekter i hele kommunen.",
                "• Bistå til lokal motivation og optimere gevinstrealisering af "
                "digitaliseringsprojekter ved at udbygge det tværkommunale samarbejde.",
                "• Understøtte den løbende fremdrift af de tværgående digitaliseringsindsatser, "
                "herunder medvirke til, at der løbende sker en prioritering og ressourcetildeling "
                "til indsatserne.",
                "Det forudsætter en tværgående digitaliseringsprogramgruppe til at koordinere "
                "fremdriften med digitalisering i kommunen og understøtte, at der træffes de "
                "fornødne beslutninger.",
            ]
        ),
        "duties": "\n".join(
            [
                "Programgruppens opgaver er, at",
                "• Levere de nødvendige inputs til styregruppen og direktionen for dermed at "
                "understøtte den strategiske beslutningsproces for digitaliseringsindsatsen i "
                "kommunen.",
                "• Udarbejde en årlig indsatsplan til godkendelse i styregruppen med forslag til "
                "prioritering af de tværgående projekter og aktiviteter.",
                "• Træffe de nødvendige operationelle beslutninger der understøtter, at de "
                "tværgående projekter og aktiviteter er i fremdrift.",
                "• Synliggøre mulige gevinster i tværgående digitaliseringsprojekter.",
                "• Administrere kommunens projektportefølje vedrørende:",
                "  – Nationale og fælleskommunale digitaliseringsprojekter.",
                "  – Tværkommunale projekter samt egne tværgående indsatser.",
                "  – Alle lokale digitaliseringsprojekter rundt om i organisationen.",
                "• Administrere en systemportefølje, der sikrer overblik og afsæt for strategiske "
                "og taktiske indsatser for at øge gevinstpotentialerne.",
                "• Sikre og koordinere tværgående dialog og videndeling til de lokale "
                "digitaliseringsorganisationer, herunder strategier, fælleskommunale "
                "retningslinjer og arkitekturprincipper.",
                "",
                "Arbejdsform",
                "• Programgruppen planlægger, koordinerer og er vært på et årligt "
                "digitaliseringsseminar.",
                "• Dagsorden udsendes i passende tid forud for hvert møde.",
                "• Formanden er mødeleder.",
                "• Sekretæren skriver referat og står for mødeindkaldelser og bookning af lokaler.",
                "• Det aftales på baggrund af den enkelte sag/emne, hvem der er ansvarlig for at "
                "udarbejde materiale til styregruppen.",
            ]
        ),
        "composition": "\n".join(
            [
                "Formand for programgruppen: Leder af Digitalisering.",
                "Øvrige medlemmer af programgruppen er projektledere, it-ansvarlige, superbrugere, "
                "koordinatorer eller lignende og består af:",
                "• 1 repræsentant fra Staben",
                "• 1 repræsentant fra hver af fagchefområderne – fagcheferne kan dog indgå aftale "
                "om at en repræsentant dækker flere fagchefområder.",
                "En medarbejder fra Digitalisering dækker sekretærrollen.",
            ]
        ),
        "cadence": (
            "Programgruppen afholder fire årlige møder, der følger styregruppens "
            "mødekadence. Møder herudover afholdes efter behov."
        ),
        "meetings_per_year": 4,
        # "1 repræsentant fra hver af fagchefområderne" may be shared by agreement between the
        # chiefs, so it cannot be checked as fixed rules and is kept in the text only.
        "rules": [
            ("Formand: Leder af Digitalisering", CHAIR, 1, None, "leder af digitalisering"),
            ("1 repræsentant fra Staben", "", 1, "Staben", ""),
            ("Sekretær: en medarbejder fra Digitalisering", SECRETARY, 1, "Digitalisering", ""),
        ],
    },
]

# (username, role, person name or None). Password DEMO_PASSWORD for all.
NORDDJURS_USERS = [
    ("admin", Role.ADMINISTRATOR, None),
    ("sekretaer", Role.SECRETARY, "Demo Sekretær"),  # DEMO person
    ("tonny", Role.MEMBER, "Tonny Olsen"),
    ("projektleder", Role.PROJECT_LEADER, "Demo Projektleder"),  # DEMO person
    ("laeser", Role.READER, None),
]


# --- Demokommune Vest: DEMO, entirely fictional ----------------------------------------------
# A second tenant so that separation is visible: log in as vest-admin and nothing of
# Norddjurs shows. Municipality code 999 is not a real Danish municipality code.

VEST_UNITS = [
    ("Direktionen", OrgUnitKind.STAB, None),
    ("Fællesforvaltningen", OrgUnitKind.FORVALTNING, None),
    ("Digitalisering", OrgUnitKind.AFDELING, "Fællesforvaltningen"),
]
VEST_PEOPLE = [
    ("Vera Vestergaard", "kommunaldirektør (demo)", "Direktionen"),
    ("Viggo Vestermark", "digitaliseringschef (demo)", "Fællesforvaltningen"),
    ("Vibeke Vestbo", "leder af Digitalisering (demo)", "Digitalisering"),
    ("Valdemar Vesterlund", "digitaliseringskonsulent (demo)", "Digitalisering"),
]
VEST_BODIES = [
    {
        "name": "Direktionen",
        "kind": BodyKind.EXECUTIVE_BOARD,
        "purpose": "Kommunens øverste administrative ledelse (demo).",
    },
    {
        "name": "Digitaliseringsstyregruppen",
        "kind": BodyKind.STEERING_GROUP,
        "parent": "Direktionen",
        "cross_cutting": True,
        "established_on": D(2020, 1, 1),
        "cadence": "4 gange årligt",
        "meetings_per_year": 4,
        "purpose": "Styrer den fiktive kommunes digitalisering (demo).",
    },
]
VEST_MEMBERSHIPS = [
    ("Vera Vestergaard", "Direktionen", CHAIR, D(2020, 1, 1), "demo"),
    ("Viggo Vestermark", "Digitaliseringsstyregruppen", CHAIR, D(2020, 1, 1), "demo"),
    ("Vera Vestergaard", "Digitaliseringsstyregruppen", MEMBER, D(2020, 1, 1), "demo"),
    ("Vibeke Vestbo", "Digitaliseringsstyregruppen", MEMBER, D(2020, 1, 1), "demo"),
    ("Valdemar Vesterlund", "Digitaliseringsstyregruppen", SECRETARY, D(2020, 1, 1), "demo"),
]
VEST_STATUSES = [
    (
        "Digitaliseringsstyregruppen",
        MEMO_DATE,
        "Styregruppen følger kommunens digitaliseringsprojekter (demo).",
    ),
]
VEST_RECENT_STATUSES = [
    (
        "Digitaliseringsstyregruppen",
        15,
        "Styregruppen følger den nye hjemmeside og planlægger næste års projekter (demo).",
    ),
]
VEST_USERS = [("vest-admin", Role.ADMINISTRATOR, None)]


MUNICIPALITIES = [
    {
        "slug": "norddjurs",
        "name": "Norddjurs Kommune",
        "code": "707",
        "memo_intro": NORDDJURS_INTRO,
        "units": NORDDJURS_UNITS,
        "people": NORDDJURS_PEOPLE,
        "bodies": NORDDJURS_BODIES + NORDDJURS_POLITICAL_BODIES,
        "memberships": NORDDJURS_MEMBERSHIPS,
        "statuses": NORDDJURS_STATUSES,
        "recent_statuses": NORDDJURS_RECENT_STATUSES,
        "mandates": NORDDJURS_MANDATES,
        "users": NORDDJURS_USERS,
    },
    {
        "slug": "demokommune-vest",
        "name": "Demokommune Vest",
        "code": "999",
        "memo_intro": (
            "Demokommune Vest er en fiktiv kommune i demodata. Den viser, at hver kommune kun "
            "ser sine egne data (demo)."
        ),
        "units": VEST_UNITS,
        "people": VEST_PEOPLE,
        "bodies": VEST_BODIES,
        "memberships": VEST_MEMBERSHIPS,
        "statuses": VEST_STATUSES,
        "recent_statuses": VEST_RECENT_STATUSES,
        "mandates": [],
        "users": VEST_USERS,
    },
]


def demo_users() -> list[tuple[str, str, str, str | None]]:
    """(username, role, municipality slug, person name) of every demo login."""
    return [
        (username, role, data["slug"], person)
        for data in MUNICIPALITIES
        for username, role, person in data["users"]
    ]


# --- Loading ---------------------------------------------------------------------------------


_LABELS = {
    "Municipality": "kommuner",
    "User": "brugere",
    "OrgUnit": "enheder",
    "Person": "personer",
    "Body": "organer",
    "BodyStatus": "statusindlæg",
    "Mandate": "kommissorier",
    "CompositionRule": "sammensætningsregler",
    "Membership": "medlemskaber",
}


class _Tally:
    def __init__(self):
        self.created: dict[str, int] = {}
        self.updated: dict[str, int] = {}

    def add(self, model, created: bool, changed: bool):
        name = _LABELS.get(model.__name__, model.__name__)
        if created:
            self.created[name] = self.created.get(name, 0) + 1
        elif changed:
            self.updated[name] = self.updated.get(name, 0) + 1


def _differs(obj, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if field.is_relation:
            current = getattr(obj, field.attname)
            new = value.pk if value is not None else None
        else:
            current, new = getattr(obj, name), value
        if current != new:
            setattr(obj, name, value)
            changed = True
    return changed


def _upsert(model, tally: _Tally, lookup: dict, values: dict, exclude=()):
    """Find the row by `lookup`; create it, or save it only when `values` differ."""
    obj = model.objects.filter(**lookup).first()
    created = obj is None
    if created:
        obj = model(**lookup, **values)
        changed = True
    else:
        changed = _differs(obj, values)
    if changed:
        obj.full_clean(exclude=list(exclude))
        obj.save()
    tally.add(model, created, changed)
    return obj


def _load_municipality(data: dict, tally: _Tally) -> Municipality:
    municipality = _upsert(
        Municipality,
        tally,
        {"slug": data["slug"]},
        {"name": data["name"], "code": data["code"], "memo_intro": data["memo_intro"]},
    )
    tenant = {"municipality": municipality}

    units: dict[str, OrgUnit] = {}
    for name, kind, parent in data["units"]:  # parents come before their children
        units[name] = _upsert(
            OrgUnit,
            tally,
            {**tenant, "name": name},
            {"kind": kind, "parent": units[parent] if parent else None},
        )

    users: dict[str, User] = {}
    person_names = {name for _, _, name in data["users"] if name}
    for username, role, person_name in data["users"]:
        first, last = person_name.split(" ", 1) if person_name else ("", "")
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username)
        changed = _differs(
            user,
            {
                "municipality": municipality,
                "role": role,
                "first_name": first,
                "last_name": last,
                # DEMO address (the reserved .example domain), so that reminders reach it.
                "email": f"{username}@{data['slug']}.dk.example",
                "is_active": True,
            },
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            changed = True
        if changed:
            user.save()
        tally.add(User, created, changed)
        if person_name:
            users[person_name] = user

    people: dict[str, Person] = {}
    for name, title, unit in data["people"]:
        values = {"title": title, "unit": units[unit] if unit else None}
        if name in person_names:
            values["user"] = users[name]
        people[name] = _upsert(Person, tally, {**tenant, "name": name}, values)

    bodies: dict[str, Body] = {}
    for spec in data["bodies"]:  # a parent comes before the bodies reporting to it
        values = {
            "kind": spec["kind"],
            "short_name": spec.get("short_name", ""),
            "parent": bodies[spec["parent"]] if spec.get("parent") else None,
            "purpose": spec.get("purpose", ""),
            "organisation": spec.get("organisation", ""),
            "cadence": spec.get("cadence", ""),
            "meetings_per_year": spec.get("meetings_per_year"),
            "cross_cutting": spec.get("cross_cutting", False),
            "external": spec.get("external", False),
            "established_on": spec.get("established_on"),
            "closed_on": spec.get("closed_on"),
            "closing_summary": spec.get("closing_summary", ""),
        }
        bodies[spec["name"]] = _upsert(Body, tally, {**tenant, "name": spec["name"]}, values)

    for person, body, role, start, note in data["memberships"]:
        _upsert(
            Membership,
            tally,
            {**tenant, "person": people[person], "body": bodies[body], "start": start},
            {"role": role, "end": None, "note": note},
        )

    for body, date, text in data["statuses"]:
        _upsert(BodyStatus, tally, {**tenant, "body": bodies[body], "date": date}, {"text": text})
    today = timezone.localdate()
    for body, days, text in data["recent_statuses"]:
        if not BodyStatus.objects.filter(**tenant, body=bodies[body], text=text).exists():
            date = today - datetime.timedelta(days=days)
            _upsert(
                BodyStatus, tally, {**tenant, "body": bodies[body], "date": date}, {"text": text}
            )

    for spec in data["mandates"]:
        mandate = _upsert(
            Mandate,
            tally,
            {**tenant, "body": bodies[spec["body"]], "title": spec["title"]},
            {
                "purpose": spec["purpose"],
                "duties": spec["duties"],
                "composition": spec["composition"],
                "cadence": spec["cadence"],
                "meetings_per_year": spec["meetings_per_year"],
                "plan_role": spec.get("plan_role", ""),
                "approved_by": bodies[spec["approved_by"]],
                "approved_on": spec["approved_on"],
            },
            exclude=["version"],
        )
        for position, (description, role, count, unit, title) in enumerate(spec["rules"]):
            _upsert(
                CompositionRule,
                tally,
                {**tenant, "mandate": mandate, "description": description},
                {
                    "role": role,
                    "min_count": count,
                    "unit": units[unit] if unit else None,
                    "title_contains": title,
                    "position": position,
                },
            )
    return municipality


def load(stdout=None) -> dict[str, dict[str, int]]:
    """Load (or bring up to date) the demo data. Safe to run any number of times."""
    tally = _Tally()
    with transaction.atomic(), scopes_disabled():
        for data in MUNICIPALITIES:
            _load_municipality(data, tally)
    if stdout is not None:
        if not tally.created and not tally.updated:
            stdout.write("Demodata er allerede indlæst; intet ændret.\n")
        for label, counts in (("Oprettet", tally.created), ("Opdateret", tally.updated)):
            if counts:
                parts = ", ".join(f"{count} {name}" for name, count in counts.items())
                stdout.write(f"{label}: {parts}\n")
    return {"created": tally.created, "updated": tally.updated}
