"""Every demo loader knows the municipalities it has facts for (Norddjurs and Demokommune
Vest): for any other municipality it loads nothing and writes nothing."""

import pytest
from django_scopes import scopes_disabled

from benefits import demo as benefits_demo
from benefits.models import Benefit
from core.models import Municipality
from meetings import demo_year
from meetings.models import Meeting
from planning.models import AnnualPlan, Proposal
from planning.plans import demo as demo_plans
from planning.proposals import demo as demo_proposals
from portfolio import demo as portfolio_demo
from portfolio import demo_links
from portfolio.models import Project
from strategy import demo as strategy_demo
from strategy.models import Strategy
from systems import demo as systems_demo
from systems.models import SystemUsage

LOADERS = {
    "meetings": (demo_year.load_year, Meeting),
    "portfolio": (portfolio_demo.load_portfolio, Project),
    "benefits": (benefits_demo.load_benefits, Benefit),
    "strategy": (strategy_demo.load, Strategy),
    "links": (demo_links.load_links, Project.goals.through),
    "proposals": (demo_proposals.load, Proposal),
    "plans": (demo_plans.load, AnnualPlan),
    "systems": (systems_demo.load, SystemUsage),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", LOADERS)
def test_another_municipality_gets_nothing(name):
    load, model = LOADERS[name]
    with scopes_disabled():
        other = Municipality.objects.create(name="Andeby Kommune", slug="andeby")
        assert load(other) == {}
        assert not model.objects.exists()
