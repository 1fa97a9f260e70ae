"""Loading the portfolio demo into an empty database: gates without
decisions when the meetings demo is missing, and `load_demo` once, with the benefits demo
after it. (The tests over the loaded demo are in test_demo.py, which loads it once, and
benefits/tests/test_demo.py.)
"""

import io

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from benefits import demo as benefits_demo
from benefits.tests.test_demo import _counts as _benefit_counts
from core.models import Municipality
from organisation import demo
from portfolio import demo as portfolio_demo
from portfolio.models import (
    PhaseChange,
)
from portfolio.tests.test_demo import _counts

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


def test_load_demo_loads_the_portfolio_and_its_benefits_once():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Portefølje i Norddjurs Kommune: oprettet" in out.getvalue()
    assert "Gevinster i Norddjurs Kommune: oprettet" in out.getvalue()
    counts = _counts() | _benefit_counts()
    assert counts["Benefit"] and counts["BenefitMeasurement"]
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Portefølje i Norddjurs Kommune: allerede indlæst" in out.getvalue()
    assert "Gevinster i Norddjurs Kommune: allerede indlæst" in out.getvalue()
    assert _counts() | _benefit_counts() == counts
