"""The coverage of a strategy's goals by the active projects (portfolio.coverage) and its
pages (portfolio.views.coverage): the gaps, the matrix, the catalogues' counts and the Excel
export."""

import io

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from core.models import Role
from portfolio import coverage
from portfolio.models import Phase
from strategy.models import Strategy
from tests import factories
from tests.world import CANARY_OTHER


def _scoped(t):
    return scope(municipality=t.municipality.pk)


def _url(name, *args, **kwargs):
    return reverse(f"portfolio:{name}", args=args, kwargs=kwargs or None)


@pytest.fixture
def login(client):
    """`login(t, role)`: the client logged in as the role, with English pages."""

    def go(tenant, role=Role.ADMINISTRATOR):
        client.force_login(tenant.users[role])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return go


# --- The computation ---------------------------------------------------------------------------


@pytest.fixture
def spread(t, other):
    """Besides the world's goal (served by the world's active project): a goal no project
    serves but a closed one, an active project that serves no goal, and another
    municipality's project on focus area 2 (which must not count here)."""
    with scopes_disabled():
        lonely = factories.goal(t.strategy, "Datadrevet kommune", number="2", position=5)
        closed = factories.project(t.municipality, "Gammelt ESDH", phase=Phase.CLOSED)
        closed.goals.add(lonely)
        closed.focus_areas.add(factories.focus_area(2))
        idle = factories.project(t.municipality, "Chatbot", phase=Phase.ANALYSIS)
        other.project.focus_areas.add(factories.focus_area(2))
    return {"lonely": lonely, "closed": closed, "idle": idle}


def test_coverage_names_goals_without_projects_and_projects_without_goals(t, spread):
    with _scoped(t):
        result = coverage.coverage(t.strategy)
    assert [row.goal for row in result.goals] == [t.goal, spread["lonely"]]
    assert [row.goal for row in result.uncovered_goals] == [spread["lonely"]]
    # the closed project serves the lonely goal but does not count: it is not active
    assert [row.project.name for row in result.projects] == [t.project.name, "Chatbot"]
    assert [row.project for row in result.unserving_projects] == [spread["idle"]]
    assert result.projects[0].cells == [True, False]
    assert result.link_count == 1
    areas = {area.number: area for area in result.focus_areas}
    # the world's project (active) and the closed one; not the other municipality's
    assert (areas[2].active_count, areas[2].project_count) == (1, 2)
    assert len(result.focus_areas) == 12 and len(result.sdgs) == 17
    assert {s.number: s.active_count for s in result.sdgs}[16] == 1


def test_coverage_costs_the_same_queries_for_more_goals_and_projects(t, spread):
    with _scoped(t), CaptureQueriesContext(connection) as small:
        coverage.coverage(t.strategy)
    with scopes_disabled():
        for i in range(6):
            goal = factories.goal(t.strategy, f"Mål {i}")
            project = factories.project(t.municipality, f"Projekt {i}", phase=Phase.ANALYSIS)
            project.goals.add(goal, t.goal)
            project.sdgs.add(factories.sdg(1 + i))
    with _scoped(t), CaptureQueriesContext(connection) as large:
        result = coverage.coverage(t.strategy)
    assert len(large) == len(small)
    assert len(result.goals) == 8 and len(result.projects) == 8


# --- The pages ---------------------------------------------------------------------------------


@pytest.fixture
def gaps(t):
    with scopes_disabled():
        lonely = factories.goal(t.strategy, "Datadrevet kommune", number="2", position=5)
        idle = factories.project(t.municipality, "Chatbot", phase=Phase.ANALYSIS)
    return lonely, idle


def test_the_coverage_keeps_its_addresses():
    assert (_url("coverage"), _url("coverage_xlsx")) == (
        "/strategi/daekning/",
        "/strategi/daekning/xlsx/",
    )


def test_the_coverage_shows_the_gaps(t, other, gaps, login, english):
    lonely, idle = gaps
    response = login(t, Role.READER).get(_url("coverage"))
    assert response.status_code == 200
    html = response.content.decode()
    coverage = response.context["coverage"]
    assert response.context["strategy"] == t.strategy
    assert [row.goal for row in coverage.uncovered_goals] == [lonely]
    assert [row.project for row in coverage.unserving_projects] == [idle]
    assert "Goals with no project" in html and "Active projects that serve no goal" in html
    assert "<caption>" in html and 'scope="row"' in html and 'scope="col"' in html
    assert CANARY_OTHER not in html


def test_the_coverage_of_another_strategy_and_an_unknown_one(t, other, login, english):
    with scopes_disabled():
        old = factories.strategy(t.municipality, "Strategi 2016–2020", 2016, 2020)
        factories.goal(old, "Gammelt mål")
    client = login(t, Role.READER)
    response = client.get(_url("coverage"), {"strategi": old.pk})
    assert response.context["strategy"] == old
    assert [row.goal.title for row in response.context["coverage"].uncovered_goals] == [
        "Gammelt mål"
    ]
    for wanted in (other.strategy.pk, "abc", "99999999999999999999"):
        response = client.get(_url("coverage"), {"strategi": wanted})
        assert response.status_code == 200
        assert response.context["unknown"]
        assert response.context["strategy"] != other.strategy
        assert CANARY_OTHER not in response.content.decode()


def test_the_coverage_without_strategies(t, login, english):
    with scopes_disabled():
        Strategy.objects.filter(municipality=t.municipality).delete()
    client = login(t, Role.READER)
    response = client.get(_url("coverage"))
    assert response.status_code == 200
    assert "No strategies yet." in response.content.decode()
    assert client.get(_url("coverage_xlsx")).status_code == 404


def test_the_coverage_as_excel(t, gaps, login):
    response = login(t, Role.READER).get(_url("coverage_xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][3:] == (str(t.goal), "2 Datadrevet kommune", "Serves no goal")
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name[t.project.name][3:5] == ("x", None)
    assert by_name["Chatbot"][-1] == "Yes"
