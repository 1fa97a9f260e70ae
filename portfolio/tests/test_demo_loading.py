"""Loading the portfolio demo into an empty database: gates without
decisions when the meetings demo is missing, and `load_demo` once. (The tests over the
loaded demo are in test_demo.py, which loads it once.)
"""

import io

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

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
        created = portfolio_demo.load_portfolio(municipality)
        assert created["projekter"] == len(portfolio_demo.NORDDJURS_PROJECTS)
        assert PhaseChange.objects.exists()
        assert not PhaseChange.objects.filter(decision__isnull=False).exists()


def test_load_demo_loads_the_portfolio_once():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Portefølje i Norddjurs Kommune: oprettet" in out.getvalue()
    counts = _counts()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Portefølje i Norddjurs Kommune: allerede indlæst" in out.getvalue()
    assert _counts() == counts
