"""Loading the portfolio demo into an empty database: gates without
decisions when the meetings demo is missing, `load_demo` once, with the benefits demo after it,
and the portfolio loaded on other days, whose invented dates follow the day it is loaded.
(The tests over the demo loaded today are in test_demo.py, which loads it once, and
benefits/tests/test_demo.py.)
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from benefits import demo as benefits_demo
from benefits.tests.test_demo import _counts as _benefit_counts
from benefits.tests.test_demo import assert_the_benefits_follow
from core.demo_clock import Clock
from core.models import Municipality
from organisation import demo
from portfolio import demo as portfolio_demo
from portfolio.models import (
    PhaseChange,
)
from portfolio.tests.test_demo import _counts, assert_the_portfolio_follows

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


# Two days in different years, after the written 2024 has moved: early in one year, late in
# another (the clock moves 104 weeks, three days short of two years, and 209 weeks, two days
# past four).
FROZEN = [datetime.date(2027, 2, 15), datetime.date(2029, 10, 20)]


def _load_on(today: datetime.date, monkeypatch) -> list[Municipality]:
    """The organisation and portfolio demos loaded on `today` (the meetings demo is left out:
    the gates go without decisions); Norddjurs and Demokommune Vest."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    demo.load()
    with scopes_disabled():
        municipalities = [
            Municipality.objects.get(slug=slug)
            for slug in (portfolio_demo.NORDDJURS, portfolio_demo.VEST)
        ]
        for municipality in municipalities:
            assert portfolio_demo.load_portfolio(municipality)["projekter"]
    return municipalities


@pytest.mark.parametrize("today", FROZEN, ids=str)
def test_the_portfolio_loaded_on_another_day_follows_it(db, monkeypatch, today):
    municipalities = _load_on(today, monkeypatch)
    clock = Clock()
    assert clock.today == today and clock.year(2024) == today.year - 1
    assert_the_portfolio_follows(clock)
    counts = _counts()
    with scopes_disabled():
        assert [portfolio_demo.load_portfolio(m) for m in municipalities] == [{}, {}]
    assert _counts() == counts


@pytest.mark.parametrize("today", FROZEN, ids=str)
def test_the_benefits_loaded_on_another_day_follow_it(db, monkeypatch, today):
    """benefits.demo's test of the clock: here, since its own module holds the demo loaded
    today."""
    municipalities = _load_on(today, monkeypatch)
    with scopes_disabled():
        for municipality in municipalities:
            assert benefits_demo.load_benefits(municipality)["gevinster"]
    assert_the_benefits_follow(Clock())
    counts = _benefit_counts()
    with scopes_disabled():
        assert [benefits_demo.load_benefits(m) for m in municipalities] == [{}, {}]
    assert _benefit_counts() == counts
