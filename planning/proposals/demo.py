"""Demo data: the proposals (forslag) of Norddjurs Kommune and Demokommune Vest.

From the seeds (`docs/seeds/`), only the roles: seed 003 (Digitaliseringsstrategi
2016–2020, chapter 6) gives the local digitalisation organisations, which report needs, and
IOD, which brings ideas.

Everything else is DEMO and its visible text says "(demo)": the proposals, one of them made
into a project (`planning.proposals.services.make_project`) and one rejected with a reason.
The action plans take up to two of them into next year's draft (`planning.plans.demo`, loaded
after this one).

The days received are written for 2024–2025 and move with the demo (`core.demo_clock`):
the written 2025 becomes this year, and a day not yet come is today.

`load(municipality)` is idempotent: a proposal is found by its title; what exists is left
alone (a demo user may have changed it since).
"""

import datetime

from django.db import transaction
from django.utils import translation
from django_scopes import scopes_disabled

from core.demo_clock import Clock
from organisation.models import Body, OrgUnit, Person
from planning.models import Proposal, ProposalSource, ProposalStatus
from planning.proposals import services
from portfolio.models import Category

D = datetime.date

NORDDJURS = "norddjurs"
VEST = "demokommune-vest"

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

PLANS = {NORDDJURS: NORDDJURS_PROPOSALS, VEST: VEST_PROPOSALS}


class _Loader:
    def __init__(self, municipality):
        self.municipality = municipality
        self.clock = Clock()
        self.created: dict[str, int] = {}

    def count(self, label: str, n: int = 1) -> None:
        if n:
            self.created[label] = self.created.get(label, 0) + n

    def proposals(self, specs) -> dict[str, int]:
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
                received_on=self.clock.past(received),
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
                services.make_project(proposal, category=category)
                self.count("projekter fra forslag")
        return self.created


def load(municipality, stdout=None) -> dict[str, int]:
    """Load the proposals of `municipality` (Norddjurs Kommune or Demokommune Vest; others
    get nothing). Needs the organisation demo (the proposals' bodies, units and contacts).
    Safe to run any number of times: returns the rows created per kind, empty when
    everything was there."""
    specs = PLANS.get(municipality.slug)
    if specs is None:
        return {}
    with transaction.atomic(), scopes_disabled(), translation.override("da"):
        created = _Loader(municipality).proposals(specs)
    if stdout is not None:
        if created:
            parts = ", ".join(f"{count} {label}" for label, count in created.items())
            stdout.write(f"Forslag i {municipality.name}: oprettet {parts}\n")
        else:
            stdout.write(f"Forslag i {municipality.name}: allerede indlæst; intet ændret.\n")
    return created
