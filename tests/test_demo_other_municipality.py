"""Every demo loader knows the municipalities it has facts for (Norddjurs and Demokommune
Vest): for any other municipality it loads nothing and writes nothing."""

import pytest
from django_scopes import scopes_disabled

from core.models import Municipality
from meetings import demo_year
from meetings.models import Meeting
from planning import demo_plans
from planning.models import AnnualPlan
from portfolio import demo as portfolio_demo
from portfolio.models import Project
from strategy import demo as strategy_demo
from strategy.models import Strategy

LOADERS = {
    "meetings": (demo_year.load_year, Meeting),
    "portfolio": (portfolio_demo.load_portfolio, Project),
    "strategy": (strategy_demo.load, Strategy),
    "plans": (demo_plans.load, AnnualPlan),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", LOADERS)
def test_another_municipality_gets_nothing(name):
    load, model = LOADERS[name]
    with scopes_disabled():
        other = Municipality.objects.create(name="Andeby Kommune", slug="andeby")
        assert load(other) == {}
        assert not model.objects.exists()
