"""Demo data: the strategies of Norddjurs Kommune, what its projects serve, and proposals.

From the seeds (`docs/seeds/`), and only these facts:

- 003 (Digitaliseringsstrategi 2016–2020): the vision (chapter 2; the OCR text with its
  broken Danish letters restored), from which the strategy's six goals are drawn (self-service
  for those who can, access to own data and cases, mobile and broadband coverage, smarter
  self-service working with the case systems, efficient and user-friendly systems, safe
  handling of the citizens' data); approved by Kommunalbestyrelsen on 21 January 2016, with an
  addendum on the changed organisation approved by the Direktion on 11 January 2017 (chapter
  7); the twelve focus areas of the joint-municipal strategy (the shared catalogue); the local
  digitalisation organisations, which report needs, and IOD, which brings ideas (chapter 6).
- the issue: "Digitaliseringsprogram 2021–2025" as the second strategy.

Everything else is DEMO and its visible text says "(demo)": the programme 2021–2025 (vision,
approval, goals), which goals, focus areas and SDGs each demo project serves (the projects of
`portfolio.demo`, found by name; one goal of the programme has no project, and two active
projects serve none of its goals, so the coverage page shows both), and the proposals (one
made into a project through `planning.services_proposals.make_project`, one rejected with a
reason).

`load(municipality)` is idempotent: a strategy is found by its title, a goal by its strategy
and title, a proposal by its title; what exists is left alone (a demo user may have changed
it since). A project gets its links once, when the goal is created; its focus areas and SDGs
only when it has none.
"""

import datetime

from django.db import transaction
from django.utils import translation
from django_scopes import scopes_disabled

from organisation.models import Body, OrgUnit, Person
from planning import services_proposals
from planning.models import Proposal, ProposalSource, ProposalStatus
from portfolio.models import Category, Project
from strategy import services
from strategy.models import SDG, FocusArea, Goal, Strategy

D = datetime.date

NORDDJURS = "norddjurs"
VEST = "demokommune-vest"

# seed 003, chapter 2 "Vision", with æ, ø and å restored.
VISION_2016 = "\n\n".join(
    [
        "Norddjurs Kommune ønsker, at alle borgere/virksomheder, som kan betjene sig selv, skal "
        "gøre dette. Der vil altid være borgere, der ikke er digitale, og de skal naturligvis "
        "fortsat ydes god service. Disse ikke digitale borgere kan få personlig hjælp, enten over "
        "telefonen eller i borgerservice. En del af rationalet ved, at borgere, der kan selv, skal "
        "selv, er netop, at der kan frigives ressourcer til dem, der virkelig har brug for det.",
        "Borgerne/virksomhederne skal i videst mulige omfang have adgang til egne data og sager.",
        "Norddjurs Kommune ønsker at give borgerne og virksomhederne den bedst mulige service og "
        "ønsker at anvende digitaliseringen som et redskab til at levere denne gode service. "
        "Servicen skal afbalanceres i forhold til de forskellige målgruppers behov og ressourcer.",
        "Norddjurs Kommune ønsker at udbredelsen af mobil- og bredbåndsdækningen udvikles mest "
        "muligt, således at borgerne får mulighed for at udnytte de digitale muligheder, der "
        "stilles til rådighed.",
        "Norddjurs Kommune vil arbejde for smartere og mere intuitive selvbetjeningsløsninger, som "
        "har samspil med bagvedliggende fagsystemer, så henvendelser kan behandles hurtigt og "
        "automatisk, når det giver mening.",
        "Digitalisering skal give mere effektive og brugervenlige fagsystemer, der gør det "
        "nemmere for medarbejderne at samarbejde på tværs, inddrage borgere, behandle sager, lave "
        "afgørelser mv. Digitalisering skal medvirke til, at kommunens ressourcer udnyttes "
        "effektivt.",
        "Norddjurs Kommune ønsker en åben og sammenhængende digital kommune, hvor der er fokus på, "
        "at borgernes oplysninger behandles forsvarligt.",
    ]
)

# Project names of portfolio.demo.
AULA, FASIT, BORGERBLIKKET = "Aula", "Fasit", "Borgerblikket"
GRUNDDATA, YDELSE = "Grunddataprogrammet", "Ydelsesrefusionssystem"
SAMARBEJD = "Samarbejdsplatform på skole- og dagtilbudsområdet"
BIBLIOTEK, OFFICE = "Bibliotekssystem", "Office 365 og Teams"
INTRANET, KONFERENCE = "Nyt intranet", "Konferencelokaler med virtuelt udstyr"
WEBINAR, SCHREMS = "Webinarløsning", "Schrems II – overførsel af data til tredjelande"
MONOPOL, MOBIL, BRA = "Monopolbrud", "Mobil- og bredbåndsdækning", "BRA/Smart"
PRINT, TELEFONI = "Printløsninger", "Telefoniløsning"
TALE, VELFAERD = "Talegenkendelse", "Udnyttelse af velfærdsteknologi"

# (title, first year, last year, vision, approved by, approved on, [(number, goal,
# description, projects that serve it)])
NORDDJURS_STRATEGIES = [
    (
        "Digitaliseringsstrategi 2016–2020",
        2016,
        2020,
        VISION_2016,
        # seed 003, chapter 7 "Godkendelse"
        "Kommunalbestyrelsen; tillæg vedr. ændret organisering godkendt af Direktionen 11-01-2017",
        D(2016, 1, 21),
        [
            (
                "1",
                "Borgere og virksomheder, der kan betjene sig selv, gør det",
                "Der vil altid være borgere, der ikke er digitale; de får personlig hjælp over "
                "telefonen eller i borgerservice, og ressourcerne frigives til dem, der virkelig "
                "har brug for det.",
                [BORGERBLIKKET, AULA, BIBLIOTEK],
            ),
            (
                "2",
                "Adgang til egne data og sager",
                "Borgerne/virksomhederne skal i videst mulige omfang have adgang til egne data "
                "og sager.",
                [BORGERBLIKKET, GRUNDDATA],
            ),
            (
                "3",
                "Mobil- og bredbåndsdækning",
                "Udbredelsen af mobil- og bredbåndsdækningen udvikles mest muligt, så borgerne "
                "kan udnytte de digitale muligheder.",
                [MOBIL],
            ),
            (
                "4",
                "Smartere selvbetjening i samspil med fagsystemerne",
                "Smartere og mere intuitive selvbetjeningsløsninger, som har samspil med "
                "bagvedliggende fagsystemer, så henvendelser kan behandles hurtigt og "
                "automatisk, når det giver mening.",
                [YDELSE, MONOPOL, BRA],
            ),
            (
                "5",
                "Effektive og brugervenlige fagsystemer",
                "Fagsystemer, der gør det nemmere at samarbejde på tværs, inddrage borgere, "
                "behandle sager og lave afgørelser, så kommunens ressourcer udnyttes effektivt.",
                [FASIT, MONOPOL, SAMARBEJD, TALE, VELFAERD, OFFICE, PRINT, TELEFONI],
            ),
            (
                "6",
                "Forsvarlig behandling af borgernes oplysninger",
                "En åben og sammenhængende digital kommune, hvor borgernes oplysninger "
                "behandles forsvarligt.",
                [SCHREMS],
            ),
        ],
    ),
    (
        "Digitaliseringsprogram 2021–2025",
        2021,
        2025,
        "Programmet viderefører strategien 2016–2020 med fokus på sammenhængende digital "
        "borgerbetjening, sikker drift, en moderne digital arbejdsplads og gevinster, der "
        "hjemtages (demo).",
        "Den tværgående digitaliseringsstyregruppe (demo)",
        D(2021, 3, 1),
        [
            (
                "1",
                "Sammenhængende digital borgerbetjening (demo)",
                "Borgere, forældre og virksomheder møder én sammenhængende kommune digitalt "
                "(demo).",
                [BORGERBLIKKET, AULA, SAMARBEJD, MOBIL, YDELSE, BRA],
            ),
            (
                "2",
                "Sikker og stabil drift af data og systemer (demo)",
                "Data og systemer er sikre, dokumenterede og lever op til databeskyttelsen (demo).",
                [SCHREMS, FASIT, MONOPOL, GRUNDDATA, BIBLIOTEK],
            ),
            (
                "3",
                "Digitale kompetencer og gevinstrealisering (demo)",
                "Ledere og medarbejdere bruger teknologien, og gevinsterne hjemtages (demo).",
                [VELFAERD, TALE, OFFICE],
            ),
            (
                "4",
                "En moderne digital arbejdsplads (demo)",
                "Samarbejde, møder og viden på tværs af fysiske og virtuelle rum (demo).",
                [OFFICE, INTRANET, KONFERENCE, WEBINAR],
            ),
            # No project serves this goal: the coverage page shows it (demo).
            (
                "5",
                "En bæredygtig og datadrevet kommune (demo)",
                "Data om energi, bygninger og transport bruges til at nå klimamålene (demo).",
                [],
            ),
        ],
    ),
]
# Printløsninger and Telefoniløsning serve no goal of the programme: the coverage page shows
# them as active projects that serve no goal.

# Project name -> (focus area numbers, SDG numbers). DEMO.
NORDDJURS_CATALOGUES = {
    AULA: ((12, 2), (4,)),
    FASIT: ((8,), (16,)),
    BORGERBLIKKET: ((2, 3, 10), (16,)),
    GRUNDDATA: ((3, 5, 7), (16, 17)),
    YDELSE: ((8, 9), (8, 10)),
    SAMARBEJD: ((12, 5), (4,)),
    BIBLIOTEK: ((1, 2), (4,)),
    OFFICE: ((6, 8), (8,)),
    INTRANET: ((8,), (8,)),
    KONFERENCE: ((8,), (13,)),
    WEBINAR: ((6,), (13,)),
    SCHREMS: ((4,), (16,)),
    MONOPOL: ((5, 1), (17,)),
    MOBIL: ((11,), (9, 11)),
    BRA: ((11,), (9, 11)),
    PRINT: ((8,), (12,)),
    TELEFONI: ((8,), (9,)),
    TALE: ((8, 6), (3,)),
    VELFAERD: ((10, 6), (3,)),
}

# (title, source, body, unit, contact, received on, description, expected benefit, hours,
# amount, status, status note, make a project of the category). DEMO, from the roles seed
# 003 gives the local digitalisation organisations (needs) and IOD (ideas).
IOD = "IOD – Innovation og Digitalisering"
NORDDJURS_PROPOSALS = [
    (
        "Digital tilmelding og opskrivning til dagtilbud (demo)",
        ProposalSource.LOCAL,
        None,
        "Skole og Dagtilbud",
        "Jacob Hørlyk",
        D(2025, 9, 15),
        "Forældre skriver i dag deres børn op på papir eller pr. mail, og pladsanvisningen "
        "taster oplysningerne ind igen (demo).",
        "Færre manuelle indtastninger i pladsanvisningen og hurtigere svar til forældrene (demo).",
        300,
        150_000,
        ProposalStatus.NEW,
        "",
        None,
    ),
    (
        "Talegenkendelse i hjemmeplejens dokumentation (demo)",
        ProposalSource.LOCAL,
        None,
        "Sundhed og Omsorg",
        "Hanne Winterberg",
        D(2025, 6, 2),
        "Medarbejderne i hjemmeplejen bruger meget tid på at skrive dokumentation i bilen "
        "mellem besøgene (demo).",
        "Mere tid hos borgerne; erfaringerne fra talegenkendelse i Børn og Familie bruges (demo).",
        400,
        250_000,
        ProposalStatus.ASSESSING,
        "Programgruppen vurderer forslaget sammen med leverandøren af omsorgssystemet (demo).",
        None,
    ),
    (
        "Chatbot på norddjurs.dk (demo)",
        ProposalSource.INNOVATION,
        IOD,
        "Borgerservice",
        "Kenneth Andersen",
        D(2025, 3, 10),
        "IOD foreslår en chatbot, der svarer på de hyppigste spørgsmål uden for borgerservices "
        "åbningstid (demo).",
        "Færre telefonopkald om enkle spørgsmål (demo).",
        250,
        120_000,
        ProposalStatus.PLANNED,
        "Indgår i indsatsplanen (demo).",
        None,
    ),
    (
        "Droner til inspektion af kommunale tage (demo)",
        ProposalSource.INNOVATION,
        IOD,
        "Vej og Ejendom",
        "Kim T. Jensen",
        D(2024, 11, 4),
        "IOD foreslår droner med kamera til at inspicere tagene på kommunens bygninger (demo).",
        "Ingen stilladser ved eftersyn (demo).",
        150,
        200_000,
        ProposalStatus.REJECTED,
        "Afvist af programgruppen: gevinsten står ikke mål med udgiften til certificering af "
        "piloter og til forsikring (demo).",
        None,
    ),
    (
        "Selvbetjening til genbestilling af hjælpemidler (demo)",
        ProposalSource.LOCAL,
        None,
        "Sundhed og Omsorg",
        "Søs Fuglsang",
        D(2025, 1, 20),
        "Borgere ringer for at genbestille forbrugshjælpemidler, og bestillingen tastes ind i "
        "fagsystemet af en medarbejder (demo).",
        "Borgerne bestiller selv; bestillingen går direkte til fagsystemet (demo).",
        500,
        400_000,
        ProposalStatus.ASSESSING,
        "",
        Category.LOCAL,
    ),
]

VEST_STRATEGIES = [
    (
        "Digitaliseringsstrategi 2024–2027 (demo)",
        2024,
        2027,
        "Demokommune Vest er en fiktiv kommune; strategien viser, at hver kommune kun ser "
        "sine egne strategier (demo).",
        "Byrådet (demo)",
        D(2024, 1, 25),
        [
            ("1", "Borgerne finder svar selv (demo)", "", ["Ny hjemmeside (demo)"]),
            ("2", "Sagsbehandling uden papir (demo)", "", ["Selvbetjening på byggesager (demo)"]),
        ],
    ),
]
VEST_CATALOGUES = {
    "Ny hjemmeside (demo)": ((2,), (16,)),
    "Selvbetjening på byggesager (demo)": ((2, 8), (11,)),
}
VEST_PROPOSALS = [
    (
        "Digital booking af idrætshaller (demo)",
        ProposalSource.LOCAL,
        None,
        "Digitalisering",
        "Vibeke Vestbo",
        D(2025, 4, 1),
        "Foreninger booker haller pr. telefon (demo).",
        "Færre opkald (demo).",
        80,
        40_000,
        ProposalStatus.NEW,
        "",
        None,
    ),
]

PLANS = {
    NORDDJURS: (NORDDJURS_STRATEGIES, NORDDJURS_CATALOGUES, NORDDJURS_PROPOSALS),
    VEST: (VEST_STRATEGIES, VEST_CATALOGUES, VEST_PROPOSALS),
}


class _Loader:
    def __init__(self, municipality):
        self.municipality = municipality
        self.created: dict[str, int] = {}
        self.projects = {p.name: p for p in Project.objects.filter(municipality=municipality)}
        # project pk -> goals to add
        self.goals_for: dict[int, list] = {}

    def count(self, label: str, n: int = 1) -> None:
        if n:
            self.created[label] = self.created.get(label, 0) + n

    def strategies(self, specs) -> None:
        for title, first, last, vision, approved_by, approved_on, goals in specs:
            strategy = Strategy.objects.filter(municipality=self.municipality, title=title).first()
            if strategy is None:
                strategy = Strategy(
                    municipality=self.municipality,
                    title=title,
                    start_year=first,
                    end_year=last,
                    vision=vision,
                    approved_by=approved_by,
                    approved_on=approved_on,
                )
                strategy.full_clean()
                strategy.save()
                self.count("strategier")
            for position, (number, goal_title, description, projects) in enumerate(goals):
                if Goal.objects.filter(strategy=strategy, title=goal_title).exists():
                    continue
                goal = Goal(
                    strategy=strategy,
                    number=number,
                    title=goal_title,
                    description=description,
                    position=position,
                )
                goal.municipality_id = self.municipality.pk
                goal.full_clean()
                goal.save()
                self.count("mål")
                for name in projects:
                    project = self.projects.get(name)
                    if project is not None:
                        self.goals_for.setdefault(project.pk, []).append(goal)

    def links(self, catalogues: dict) -> None:
        areas = {a.number: a for a in FocusArea.objects.all()}
        sdgs = {s.number: s for s in SDG.objects.all()}
        for project in self.projects.values():
            goals = self.goals_for.get(project.pk, [])
            area_numbers, sdg_numbers = catalogues.get(project.name, ((), ()))
            add_areas = [] if project.focus_areas.exists() else [areas[n] for n in area_numbers]
            add_sdgs = [] if project.sdgs.exists() else [sdgs[n] for n in sdg_numbers]
            if not (goals or add_areas or add_sdgs):
                continue
            with services.one_history_record(project):
                project.goals.add(*goals)
                project.focus_areas.add(*add_areas)
                project.sdgs.add(*add_sdgs)
            self.count("projektkoblinger", len(goals) + len(add_areas) + len(add_sdgs))

    def proposals(self, specs) -> None:
        m = self.municipality
        for (
            title,
            source,
            body,
            unit,
            contact,
            received,
            description,
            benefit,
            hours,
            amount,
            status,
            note,
            category,
        ) in specs:
            if Proposal.objects.filter(municipality=m, title=title).exists():
                continue
            proposal = Proposal(
                municipality=m,
                title=title,
                source=source,
                body=Body.objects.filter(municipality=m, name=body).first() if body else None,
                unit=OrgUnit.objects.filter(municipality=m, name=unit).first(),
                contact=Person.objects.filter(municipality=m, name=contact).first(),
                received_on=received,
                description=description,
                expected_benefit=benefit,
                estimated_hours=hours,
                estimated_amount=amount,
                status=status,
                status_note=note,
            )
            proposal.full_clean()
            proposal.save()
            self.count("forslag")
            if category:
                services_proposals.make_project(proposal, category=category)
                self.count("projekter fra forslag")

    def load(self, plan) -> dict[str, int]:
        strategies, catalogues, proposals = plan
        self.strategies(strategies)
        self.links(catalogues)
        self.proposals(proposals)
        return self.created


def load(municipality, stdout=None) -> dict[str, int]:
    """Load the strategies, the projects' links and the proposals of `municipality`
    (Norddjurs Kommune or Demokommune Vest; others get nothing). Needs the organisation and
    portfolio demos. Safe to run any number of times: returns the rows created per kind,
    empty when everything was there."""
    plan = PLANS.get(municipality.slug)
    if plan is None:
        return {}
    with transaction.atomic(), scopes_disabled(), translation.override("da"):
        created = _Loader(municipality).load(plan)
    if stdout is not None:
        if created:
            parts = ", ".join(f"{count} {label}" for label, count in created.items())
            stdout.write(f"Strategi og forslag i {municipality.name}: oprettet {parts}\n")
        else:
            stdout.write(
                f"Strategi og forslag i {municipality.name}: allerede indlæst; intet ændret.\n"
            )
    return created
