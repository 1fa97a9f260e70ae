"""Loading the portfolio demo into an empty database: gates without decisions when the
meetings demo is missing. (The tests over the demo loaded today are in test_demo.py, which
loads it once, and benefits/tests/test_demo.py; `load_demo` run twice and the portfolio and
its benefits loaded on other days are in tests/test_demo_today.py, with the whole demo.)
"""

import pytest
from django_scopes import scopes_disabled

from benefits import demo as benefits_demo
from core.models import Municipality
from organisation import demo
from portfolio import demo as portfolio_demo
from portfolio.models import (
    PhaseChange,
)

pytestmark = pytest.mark.django_db


def test_without_the_meetings_demo_the_gates_have_no_decision(db):
    demo.load()
    with scopes_disabled():
        municipality = Municipality.objects.get(slug=portfolio_demo.NORDDJURS)
        # before the portfolio demo, the benefits demo finds no project to add to
        assert benefits_demo.load_benefits(municipality) == {}
        created = portfolio_demo.load_portfolio(municipality)
        assert created["projekter"] == len(portfolio_demo.NORDDJURS_PROJECTS)
        assert PhaseChange.objects.exists()
        assert not PhaseChange.objects.filter(decision__isnull=False).exists()
