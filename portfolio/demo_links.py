"""Demo data: what the demo projects serve, the goals of the demo strategies
(`strategy.demo`), the KL focus areas and the Sustainable Development Goals.

From the seeds only this: the focus areas are the twelve of the joint-municipal
digitalisation strategy that seed 003 names (the shared catalogue, `strategy.catalogues`).

Everything else is DEMO: which goals, focus areas and SDGs each project of `portfolio.demo`
serves (the projects found by name, the goals by their strategy's title and their number). One
goal of the programme 2021–2025 has no project, and two active projects serve none of its
goals, so the coverage page (`portfolio.coverage`) shows both.

`load_links(municipality)` needs the portfolio and strategy demos and is idempotent: a goal
gets its projects only while no project serves it, and a project its focus areas and SDGs only
while it has none (a demo user may have changed them since). A project's new links are one
record in its history (`strategy.services.one_history_record`).
"""

from django.db import transaction
from django_scopes import scopes_disabled

from portfolio.demo import NORDDJURS, VEST
from portfolio.models import Project
from strategy import services
from strategy.demo import PROGRAMME, STRATEGY_2016, VEST_STRATEGY
from strategy.models import SDG, FocusArea, Goal

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
HJEMMESIDE, BYGGESAGER = "Ny hjemmeside (demo)", "Selvbetjening på byggesager (demo)"

# (strategy title, goal number) -> the projects that serve the goal, in the order of the
# strategies and their goals. DEMO.
NORDDJURS_GOALS = {
    (STRATEGY_2016, "1"): [BORGERBLIKKET, AULA, BIBLIOTEK],
    (STRATEGY_2016, "2"): [BORGERBLIKKET, GRUNDDATA],
    (STRATEGY_2016, "3"): [MOBIL],
    (STRATEGY_2016, "4"): [YDELSE, MONOPOL, BRA],
    (STRATEGY_2016, "5"): [FASIT, MONOPOL, SAMARBEJD, TALE, VELFAERD, OFFICE, PRINT, TELEFONI],
    (STRATEGY_2016, "6"): [SCHREMS],
    (PROGRAMME, "1"): [BORGERBLIKKET, AULA, SAMARBEJD, MOBIL, YDELSE, BRA],
    (PROGRAMME, "2"): [SCHREMS, FASIT, MONOPOL, GRUNDDATA, BIBLIOTEK],
    (PROGRAMME, "3"): [VELFAERD, TALE, OFFICE],
    (PROGRAMME, "4"): [OFFICE, INTRANET, KONFERENCE, WEBINAR],
    # No project serves goal 5 of the programme: the coverage page shows it.
}
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

VEST_GOALS = {
    (VEST_STRATEGY, "1"): [HJEMMESIDE],
    (VEST_STRATEGY, "2"): [BYGGESAGER],
}
VEST_CATALOGUES = {
    HJEMMESIDE: ((2,), (16,)),
    BYGGESAGER: ((2, 8), (11,)),
}

PLANS = {
    NORDDJURS: (NORDDJURS_GOALS, NORDDJURS_CATALOGUES),
    VEST: (VEST_GOALS, VEST_CATALOGUES),
}


def _goals_for(municipality, spec: dict) -> dict[int, list]:
    """{project pk: the goals to add}: the goals of `spec` that no project serves yet, in
    the order of `spec`."""
    goals = {}
    found = Goal.objects.filter(municipality=municipality).select_related("strategy")
    for goal in found.order_by("strategy_id", "position", "pk"):
        goals.setdefault((goal.strategy.title, goal.number), goal)
    projects = {p.name: p.pk for p in Project.objects.filter(municipality=municipality)}
    goals_for: dict[int, list] = {}
    for key, names in spec.items():
        goal = goals.get(key)
        if goal is None or goal.projects.exists():
            continue
        for name in names:
            if name in projects:
                goals_for.setdefault(projects[name], []).append(goal)
    return goals_for


def _link(municipality, plan) -> dict[str, int]:
    goal_spec, catalogues = plan
    goals_for = _goals_for(municipality, goal_spec)
    areas = {a.number: a for a in FocusArea.objects.all()}
    sdgs = {s.number: s for s in SDG.objects.all()}
    linked = 0
    for project in Project.objects.filter(municipality=municipality):
        goals = goals_for.get(project.pk, [])
        area_numbers, sdg_numbers = catalogues.get(project.name, ((), ()))
        add_areas = [] if project.focus_areas.exists() else [areas[n] for n in area_numbers]
        add_sdgs = [] if project.sdgs.exists() else [sdgs[n] for n in sdg_numbers]
        if not (goals or add_areas or add_sdgs):
            continue
        with services.one_history_record(project):
            project.goals.add(*goals)
            project.focus_areas.add(*add_areas)
            project.sdgs.add(*add_sdgs)
        linked += len(goals) + len(add_areas) + len(add_sdgs)
    return {"projektkoblinger": linked} if linked else {}


def load_links(municipality, stdout=None) -> dict[str, int]:
    """Link the demo projects of `municipality` (Norddjurs Kommune or Demokommune Vest;
    others get nothing) to the demo strategies' goals, the focus areas and the SDGs. Needs
    the portfolio and strategy demos. Safe to run any number of times: returns the links
    made, empty when everything was there."""
    plan = PLANS.get(municipality.slug)
    if plan is None:
        return {}
    with transaction.atomic(), scopes_disabled():
        created = _link(municipality, plan)
    if stdout is not None:
        name = municipality.name
        if created:
            stdout.write(
                f"Projekternes strategikoblinger i {name}: oprettet "
                f"{created['projektkoblinger']} projektkoblinger\n"
            )
        else:
            stdout.write(
                f"Projekternes strategikoblinger i {name}: allerede indlæst; intet ændret.\n"
            )
    return created
