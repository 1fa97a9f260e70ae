"""What the demo projects serve (portfolio.demo_links): idempotent, one history record per
project, and a coverage page that shows a goal with no project and active projects that
serve no goal."""

import io

import pytest
from django.db.models import Q
from django_scopes import scope, scopes_disabled

from core.models import Municipality
from organisation import demo as organisation_demo
from portfolio import demo as portfolio_demo
from portfolio import demo_links
from portfolio.coverage import coverage
from portfolio.models import Phase, Project
from strategy import demo as strategy_demo
from strategy.models import Strategy
from tests.once import once_per_module

pytestmark = pytest.mark.django_db

THROUGH = [Project.goals.through, Project.focus_areas.through, Project.sdgs.through]


@once_per_module(history=True)
def loaded():
    """The organisation, portfolio and strategy demos and this one, loaded once for the
    module; the project histories' record counts before the links."""
    organisation_demo.load()
    municipalities = {
        slug: Municipality.objects.get(slug=slug)
        for slug in (portfolio_demo.NORDDJURS, portfolio_demo.VEST)
    }
    for municipality in municipalities.values():
        portfolio_demo.load_portfolio(municipality)
        strategy_demo.load(municipality)
    history = Project.history.count()
    created = {slug: demo_links.load_links(m) for slug, m in municipalities.items()}
    return municipalities, created, history


def _counts() -> dict:
    with scopes_disabled():
        counts = {t.__name__: t.objects.count() for t in THROUGH}
        counts["Project.history"] = Project.history.count()
    return counts


def test_a_second_load_changes_nothing(loaded):
    municipalities, created, _ = loaded
    assert created["norddjurs"] == {"projektkoblinger": 90}
    assert created["demokommune-vest"] == {"projektkoblinger": 7}
    before = _counts()
    out = io.StringIO()
    for municipality in municipalities.values():
        assert demo_links.load_links(municipality, stdout=out) == {}
    assert _counts() == before
    assert "allerede indlæst" in out.getvalue()


def test_each_linked_project_gets_one_history_record(loaded):
    _, _, history = loaded
    with scopes_disabled():
        linked = (
            Project.objects.filter(
                Q(goals__isnull=False) | Q(focus_areas__isnull=False) | Q(sdgs__isnull=False)
            )
            .distinct()
            .count()
        )
        assert Project.history.count() == history + linked


def test_the_programme_shows_both_gaps_on_the_coverage(loaded):
    municipalities, _, _ = loaded
    norddjurs = municipalities["norddjurs"]
    with scope(municipality=norddjurs.pk):
        programme = Strategy.objects.get(title="Digitaliseringsprogram 2021–2025")
        result = coverage(programme)
        assert [row.goal.title for row in result.uncovered_goals] == [
            "En bæredygtig og datadrevet kommune (demo)"
        ]
        unserving = {row.project.name for row in result.unserving_projects}
        assert {"Printløsninger", "Telefoniløsning"} <= unserving
        assert len(unserving) <= 4
        assert all("(demo)" in row.goal.title for row in result.goals)
        # every active demo project has a focus area and an SDG
        for project in Project.objects.exclude(phase=Phase.CLOSED).filter(
            name__in=demo_links.NORDDJURS_CATALOGUES
        ):
            assert project.focus_areas.exists() and project.sdgs.exists(), project.name
