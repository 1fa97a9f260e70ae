"""The demo strategies, links and proposals: from seed 003, idempotent, and a coverage page
that shows a goal with no project and active projects that serve no goal."""

import io

import pytest
from django_scopes import scope, scopes_disabled

from core.models import Municipality
from organisation import demo as organisation_demo
from planning.models import Proposal, ProposalStatus
from portfolio import demo as portfolio_demo
from portfolio.models import Phase, Project
from strategy import demo, services
from strategy.models import Goal, Strategy
from tests.once import once_per_module

pytestmark = pytest.mark.django_db

HISTORY_MODELS = [Strategy, Goal, Proposal, Project]


@once_per_module(history=True)
def loaded():
    """The organisation and portfolio demos and this one, loaded once for the module."""
    organisation_demo.load()
    municipalities = {
        slug: Municipality.objects.get(slug=slug) for slug in (demo.NORDDJURS, demo.VEST)
    }
    for municipality in municipalities.values():
        portfolio_demo.load_portfolio(municipality)
    created = {slug: demo.load(m) for slug, m in municipalities.items()}
    return municipalities, created


def _counts() -> dict:
    with scopes_disabled():
        counts = {m.__name__: m.objects.count() for m in HISTORY_MODELS}
        counts.update({f"{m.__name__}.history": m.history.count() for m in HISTORY_MODELS})
        through = Project.goals.through, Project.focus_areas.through, Project.sdgs.through
        counts.update({t.__name__: t.objects.count() for t in through})
    return counts


def test_a_second_load_changes_nothing(loaded):
    municipalities, created = loaded
    assert created["norddjurs"]["strategier"] == 2
    assert created["demokommune-vest"]["strategier"] == 1
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


def test_the_programme_shows_both_gaps_on_the_coverage(loaded):
    municipalities, _ = loaded
    norddjurs = municipalities["norddjurs"]
    with scope(municipality=norddjurs.pk):
        programme = Strategy.objects.get(title="Digitaliseringsprogram 2021–2025")
        result = services.coverage(programme)
        assert [row.goal.title for row in result.uncovered_goals] == [
            "En bæredygtig og datadrevet kommune (demo)"
        ]
        unserving = {row.project.name for row in result.unserving_projects}
        assert {"Printløsninger", "Telefoniløsning"} <= unserving
        assert len(unserving) <= 4
        assert all("(demo)" in row.goal.title for row in result.goals)
        # every active demo project has a focus area and an SDG
        for project in Project.objects.exclude(phase=Phase.CLOSED).filter(
            name__in=demo.NORDDJURS_CATALOGUES
        ):
            assert project.focus_areas.exists() and project.sdgs.exists(), project.name


def test_the_proposals(loaded):
    municipalities, _ = loaded
    with scopes_disabled():
        proposals = Proposal.objects.filter(municipality=municipalities["norddjurs"])
        assert all("(demo)" in p.title for p in proposals)
        made = proposals.get(status=ProposalStatus.PROJECT)
        assert made.project.phase == Phase.IDEA
        assert made.project.name == made.title
        rejected = proposals.get(status=ProposalStatus.REJECTED)
        assert rejected.status_note
        assert proposals.filter(source="innovation", body__name=demo.IOD).count() == 2
        assert proposals.filter(source="local").count() == 3
