"""Demo data: the strategies of Norddjurs Kommune, with their goals.

From the seeds (`docs/seeds/`), and only these facts:

- 003 (Digitaliseringsstrategi 2016–2020): the vision (chapter 2; the OCR text with its
  broken Danish letters restored), from which the strategy's six goals are drawn (self-service
  for those who can, access to own data and cases, mobile and broadband coverage, smarter
  self-service working with the case systems, efficient and user-friendly systems, safe
  handling of the citizens' data); approved by Kommunalbestyrelsen on 21 January 2016, with an
  addendum on the changed organisation approved by the Direktion on 11 January 2017 (chapter
  7).
- the issue: "Digitaliseringsprogram 2021–2025" as the second strategy.

Everything else is DEMO and its visible text says "(demo)": the programme 2021–2025 (vision,
approval, goals) and the strategy of Demokommune Vest.

What each demo project serves (goals, focus areas, SDGs) is portfolio's demo
(`portfolio.demo_links`), and the proposals are planning's (`planning.proposals.demo`): both
are loaded after this one, as they read the goals and the projects.

`load(municipality)` is idempotent: a strategy is found by its title, a goal by its strategy
and title; what exists is left alone (a demo user may have changed it since).
"""

import datetime

from django.db import transaction
from django_scopes import scopes_disabled

from strategy.models import Goal, Strategy

D = datetime.date

NORDDJURS = "norddjurs"
VEST = "demokommune-vest"

# The strategies' titles, by which the demo finds them.
STRATEGY_2016 = "Digitaliseringsstrategi 2016–2020"
PROGRAMME = "Digitaliseringsprogram 2021–2025"
VEST_STRATEGY = "Digitaliseringsstrategi 2024–2027 (demo)"

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

# (title, first year, last year, vision, approved by, approved on, [(number, goal,
# description)])
NORDDJURS_STRATEGIES = [
    (
        STRATEGY_2016,
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
            ),
            (
                "2",
                "Adgang til egne data og sager",
                "Borgerne/virksomhederne skal i videst mulige omfang have adgang til egne data "
                "og sager.",
            ),
            (
                "3",
                "Mobil- og bredbåndsdækning",
                "Udbredelsen af mobil- og bredbåndsdækningen udvikles mest muligt, så borgerne "
                "kan udnytte de digitale muligheder.",
            ),
            (
                "4",
                "Smartere selvbetjening i samspil med fagsystemerne",
                "Smartere og mere intuitive selvbetjeningsløsninger, som har samspil med "
                "bagvedliggende fagsystemer, så henvendelser kan behandles hurtigt og "
                "automatisk, når det giver mening.",
            ),
            (
                "5",
                "Effektive og brugervenlige fagsystemer",
                "Fagsystemer, der gør det nemmere at samarbejde på tværs, inddrage borgere, "
                "behandle sager og lave afgørelser, så kommunens ressourcer udnyttes effektivt.",
            ),
            (
                "6",
                "Forsvarlig behandling af borgernes oplysninger",
                "En åben og sammenhængende digital kommune, hvor borgernes oplysninger "
                "behandles forsvarligt.",
            ),
        ],
    ),
    (
        PROGRAMME,
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
            ),
            (
                "2",
                "Sikker og stabil drift af data og systemer (demo)",
                "Data og systemer er sikre, dokumenterede og lever op til databeskyttelsen (demo).",
            ),
            (
                "3",
                "Digitale kompetencer og gevinstrealisering (demo)",
                "Ledere og medarbejdere bruger teknologien, og gevinsterne hjemtages (demo).",
            ),
            (
                "4",
                "En moderne digital arbejdsplads (demo)",
                "Samarbejde, møder og viden på tværs af fysiske og virtuelle rum (demo).",
            ),
            (
                "5",
                "En bæredygtig og datadrevet kommune (demo)",
                "Data om energi, bygninger og transport bruges til at nå klimamålene (demo).",
            ),
        ],
    ),
]

VEST_STRATEGIES = [
    (
        VEST_STRATEGY,
        2024,
        2027,
        "Demokommune Vest er en fiktiv kommune; strategien viser, at hver kommune kun ser "
        "sine egne strategier (demo).",
        "Byrådet (demo)",
        D(2024, 1, 25),
        [
            ("1", "Borgerne finder svar selv (demo)", ""),
            ("2", "Sagsbehandling uden papir (demo)", ""),
        ],
    ),
]

PLANS = {NORDDJURS: NORDDJURS_STRATEGIES, VEST: VEST_STRATEGIES}


class _Loader:
    def __init__(self, municipality):
        self.municipality = municipality
        self.created: dict[str, int] = {}

    def count(self, label: str, n: int = 1) -> None:
        if n:
            self.created[label] = self.created.get(label, 0) + n

    def strategies(self, specs) -> dict[str, int]:
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
            for position, (number, goal_title, description) in enumerate(goals):
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
        return self.created


def load(municipality, stdout=None) -> dict[str, int]:
    """Load the strategies and goals of `municipality` (Norddjurs Kommune or Demokommune
    Vest; others get nothing). Needs the organisation demo. Safe to run any number of times:
    returns the rows created per kind, empty when everything was there."""
    specs = PLANS.get(municipality.slug)
    if specs is None:
        return {}
    with transaction.atomic(), scopes_disabled():
        created = _Loader(municipality).strategies(specs)
    if stdout is not None:
        if created:
            parts = ", ".join(f"{count} {label}" for label, count in created.items())
            stdout.write(f"Strategier i {municipality.name}: oprettet {parts}\n")
        else:
            stdout.write(f"Strategier i {municipality.name}: allerede indlæst; intet ændret.\n")
    return created
