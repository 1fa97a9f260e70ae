"""The demo strategies and their goals: from seed 003 and idempotent. What the demo projects
serve is portfolio's demo (portfolio/tests/test_demo_links.py), the proposals planning's
(planning/proposals/tests/test_proposals_demo.py)."""

import io

import pytest
from django_scopes import scopes_disabled

from core.models import Municipality
from organisation import demo as organisation_demo
from strategy import demo
from strategy.models import Goal, Strategy
from tests.once import once_per_module

pytestmark = pytest.mark.django_db

HISTORY_MODELS = [Strategy, Goal]


@once_per_module(history=True)
def loaded():
    """The organisation demo and this one, loaded once for the module."""
    organisation_demo.load()
    municipalities = {
        slug: Municipality.objects.get(slug=slug) for slug in (demo.NORDDJURS, demo.VEST)
    }
    created = {slug: demo.load(m) for slug, m in municipalities.items()}
    return municipalities, created


def _counts() -> dict:
    with scopes_disabled():
        counts = {m.__name__: m.objects.count() for m in HISTORY_MODELS}
        counts.update({f"{m.__name__}.history": m.history.count() for m in HISTORY_MODELS})
    return counts


def test_a_second_load_changes_nothing(loaded):
    municipalities, created = loaded
    assert created["norddjurs"] == {"strategier": 2, "mål": 11}
    assert created["demokommune-vest"] == {"strategier": 1, "mål": 2}
    before = _counts()
    out = io.StringIO()
    for municipality in municipalities.values():
        assert demo.load(municipality, stdout=out) == {}
    assert _counts() == before
    assert "allerede indlæst" in out.getvalue()


def test_the_strategy_of_seed_003(loaded):
    municipalities, _ = loaded
    with scopes_disabled():
        strategy = Strategy.objects.get(
            municipality=municipalities["norddjurs"], title="Digitaliseringsstrategi 2016–2020"
        )
        goals = list(strategy.goals.order_by("position"))
    assert (strategy.start_year, strategy.end_year) == (2016, 2020)
    assert strategy.approved_on.isoformat() == "2016-01-21"
    assert strategy.approved_by.startswith("Kommunalbestyrelsen")
    assert "11-01-2017" in strategy.approved_by
    assert "mobil- og bredbåndsdækningen" in strategy.vision
    assert len(goals) == 6
    assert "(demo)" not in " ".join(g.title for g in goals)  # all from the seed's vision


def test_the_programme_is_demo(loaded):
    municipalities, _ = loaded
    with scopes_disabled():
        programme = Strategy.objects.get(
            municipality=municipalities["norddjurs"], title=demo.PROGRAMME
        )
        assert all("(demo)" in goal.title for goal in programme.goals.all())
        assert "(demo)" in programme.vision and "(demo)" in programme.approved_by
