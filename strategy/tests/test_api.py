"""The strategy API: strategies, goals, the catalogues, and a project's links on /projects/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from core.models import Role
from portfolio.models import Phase, Project
from strategy.models import Goal, Strategy
from tests import factories
from tests.world import CANARY_OTHER


@pytest.fixture
def api(t):
    def make(role=Role.ADMINISTRATOR, tenant=None):
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.force_authenticate((tenant or t).users[role])
        return client

    return make


def _links(pk):
    with scopes_disabled():
        project = Project.objects.get(pk=pk)
        return (
            sorted(project.goals.values_list("pk", flat=True)),
            sorted(project.focus_areas.values_list("pk", flat=True)),
            sorted(project.sdgs.values_list("pk", flat=True)),
        )


# --- Strategies --------------------------------------------------------------------------------


def test_everyone_reads_the_municipalitys_strategies_with_their_goals(t, other, api):
    response = api(Role.READER).get("/api/v1/strategies/")
    assert response.status_code == 200
    [strategy] = response.json()["results"]
    assert strategy["title"] == t.strategy.title and strategy["period"] == "2021–2025"
    assert [g["id"] for g in strategy["goals"]] == [t.goal.pk]
    assert strategy["document"] is None
    assert CANARY_OTHER not in response.content.decode()
    assert api(Role.READER).get(f"/api/v1/strategies/{other.strategy.pk}/").status_code == 404


def test_an_administrator_creates_and_changes_a_strategy(t, api):
    client = api()
    response = client.post(
        "/api/v1/strategies/",
        {
            "title": "Digitaliseringsstrategi 2016–2020",
            "start_year": 2016,
            "end_year": 2020,
            "approved_by": "Kommunalbestyrelsen",
            "approved_on": "2016-01-21",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = client.patch(f"/api/v1/strategies/{pk}/", {"end_year": 2021}, format="json")
    assert response.status_code == 200 and response.json()["end_year"] == 2021
    with scopes_disabled():
        assert Strategy.objects.get(pk=pk).municipality_id == t.municipality.pk
    assert client.delete(f"/api/v1/strategies/{pk}/").status_code == 405


@pytest.mark.parametrize(
    "data, field",
    [
        ({"title": "X", "start_year": 2021, "end_year": 2020}, "end_year"),
        ({"title": "X", "start_year": 1800, "end_year": 2020}, "start_year"),
        ({"title": "X", "start_year": 2021, "end_year": 99999}, "end_year"),
        ({"start_year": 2021, "end_year": 2022}, "title"),
        (
            {"title": "X", "start_year": 2021, "end_year": 2022, "approved_on": "3001-01-01"},
            "approved_on",
        ),
        (
            {"title": "X", "start_year": 2021, "end_year": 2022, "document_url": "nej"},
            "document_url",
        ),
    ],
)
def test_bad_strategies_are_refused(t, api, data, field):
    response = api().post("/api/v1/strategies/", data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    with scopes_disabled():
        assert Strategy.objects.filter(municipality=t.municipality).count() == 1


@pytest.mark.parametrize("role", [Role.MEMBER, Role.PROJECT_LEADER, Role.READER])
def test_only_those_with_strategy_change_write(t, api, role):
    client = api(role)
    assert client.post("/api/v1/strategies/", {"title": "X"}, format="json").status_code == 403
    assert (
        client.patch(f"/api/v1/goals/{t.goal.pk}/", {"title": "X"}, format="json").status_code
        == 403
    )
    assert client.delete(f"/api/v1/goals/{t.goal.pk}/").status_code == 403
    with scopes_disabled():
        assert Goal.objects.get(pk=t.goal.pk).title == t.goal.title


# --- Goals -------------------------------------------------------------------------------------


def test_goals_with_the_projects_that_serve_them(t, other, api):
    with scopes_disabled():
        second = factories.strategy(t.municipality, "Gammel", 2016, 2020)
        factories.goal(second, "Gammelt mål")
    client = api(Role.READER)
    response = client.get("/api/v1/goals/", {"strategy": t.strategy.pk})
    [goal] = response.json()["results"]
    assert goal["projects"] == [t.project.pk]
    assert len(client.get("/api/v1/goals/").json()["results"]) == 2
    assert client.get("/api/v1/goals/", {"strategy": "abc"}).status_code == 400
    assert client.get(f"/api/v1/goals/{other.goal.pk}/").status_code == 404


def test_a_goal_is_added_to_a_strategy_of_the_municipality_only(t, other, api):
    client = api(Role.SECRETARY)
    response = client.post(
        "/api/v1/goals/",
        {
            "strategy": t.strategy.pk,
            "number": "2",
            "title": "Adgang til egne data",
            "position": 1,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    response = client.post(
        "/api/v1/goals/", {"strategy": other.strategy.pk, "title": "X"}, format="json"
    )
    assert response.status_code == 400 and "strategy" in response.json()
    response = client.post(
        "/api/v1/goals/",
        {"strategy": t.strategy.pk, "title": "X", "position": 40000},
        format="json",
    )
    assert response.status_code == 400 and "position" in response.json()
    with scopes_disabled():
        assert Goal.objects.filter(strategy=t.strategy).count() == 2
        assert not Goal.objects.filter(strategy=other.strategy, title="X").exists()


def test_a_new_goal_without_a_position_comes_after_the_last_as_on_the_page(t, api):
    with scopes_disabled():
        last = max(Goal.objects.filter(strategy=t.strategy).values_list("position", flat=True))
    response = api(Role.SECRETARY).post(
        "/api/v1/goals/", {"strategy": t.strategy.pk, "title": "Sidst"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["position"] == last + 1


def test_a_new_goal_after_one_at_the_largest_position_takes_that_position(t, api):
    client = api(Role.SECRETARY)
    response = client.post(
        "/api/v1/goals/",
        {"strategy": t.strategy.pk, "title": "Bagerst", "position": 32767},
        format="json",
    )
    assert response.status_code == 201, response.json()
    response = client.post(
        "/api/v1/goals/", {"strategy": t.strategy.pk, "title": "Endnu bagere"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["position"] == 32767


def test_a_goal_stays_with_its_strategy(t, api):
    with scopes_disabled():
        second = factories.strategy(t.municipality, "Gammel", 2016, 2020)
    response = api().patch(f"/api/v1/goals/{t.goal.pk}/", {"strategy": second.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["strategy"] == ["A goal cannot be moved to another strategy."]
    with scopes_disabled():
        assert Goal.objects.get(pk=t.goal.pk).strategy_id == t.strategy.pk


def test_deleting_a_goal_removes_its_links_in_the_projects_history(t, api):
    with scopes_disabled():
        before = Project.objects.get(pk=t.project.pk).history.count()
    assert api().delete(f"/api/v1/goals/{t.goal.pk}/").status_code == 204
    with scopes_disabled():
        project = Project.objects.get(pk=t.project.pk)
        assert not project.goals.exists()
        assert project.history.count() == before + 1


# --- Catalogues --------------------------------------------------------------------------------


def test_the_catalogues_count_the_municipalitys_projects_only(t, other, api):
    with scopes_disabled():
        closed = factories.project(t.municipality, "Gammel", phase=Phase.CLOSED)
        closed.sdgs.add(factories.sdg(16))
    client = api(Role.READER)
    areas = client.get("/api/v1/focus-areas/").json()["results"]
    assert [a["number"] for a in areas] == list(range(1, 13))
    assert areas[1]["project_count"] == 1  # the world's project; not the other's
    sdgs = client.get("/api/v1/sdgs/").json()["results"]
    assert len(sdgs) == 17
    assert (sdgs[15]["project_count"], sdgs[15]["active_count"]) == (2, 1)
    assert sdgs[15]["name_en"] == "Peace, justice and strong institutions"


@pytest.mark.parametrize(("role", "status"), [(Role.ADMINISTRATOR, 405), (Role.READER, 403)])
def test_the_catalogues_are_read_only(t, api, role, status):
    client = api(role)
    assert client.post("/api/v1/sdgs/", {"number": 18}, format="json").status_code == status
    area, sdg = factories.focus_area(1).pk, factories.sdg(1).pk
    assert (
        client.patch(f"/api/v1/focus-areas/{area}/", {"name": "X"}, format="json").status_code
        == status
    )
    assert client.delete(f"/api/v1/sdgs/{sdg}/").status_code == status


# --- A project's links -------------------------------------------------------------------------


def test_the_projects_keeper_sets_its_links(t, api):
    with scopes_disabled():
        goal = factories.goal(t.strategy, "Mobil")
        before = Project.objects.get(pk=t.project.pk).history.count()
        area, sdgs = (
            factories.focus_area(11).pk,
            sorted([factories.sdg(9).pk, factories.sdg(11).pk]),
        )
    client = api(Role.PROJECT_LEADER)  # leads the world's project
    response = client.patch(
        f"/api/v1/projects/{t.project.pk}/",
        {
            "goals": [goal.pk],
            "focus_areas": [area],
            "sdgs": sdgs,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["goals"], body["focus_areas"], sorted(body["sdgs"])) == ([goal.pk], [area], sdgs)
    assert _links(t.project.pk) == ([goal.pk], [area], sdgs)
    with scopes_disabled():
        # one change of the links is one record of the project's history
        assert Project.objects.get(pk=t.project.pk).history.count() == before + 1
    # a change of other fields leaves the links as they are
    response = client.patch(f"/api/v1/projects/{t.project.pk}/", {"code": "P-1"}, format="json")
    assert response.status_code == 200 and response.json()["goals"] == [goal.pk]


@pytest.mark.parametrize(
    "data, field",
    [
        ({"goals": "other"}, "goals"),
        ({"goals": ["abc"]}, "goals"),
        ({"sdgs": [99999]}, "sdgs"),
        ({"focus_areas": [2**70]}, "focus_areas"),
        ({"goals": 5}, "goals"),
    ],
)
def test_bad_links_are_refused_and_nothing_changes(t, other, api, data, field):
    if data.get("goals") == "other":
        data = {"goals": [other.goal.pk], "sdgs": [1]}
    before = _links(t.project.pk)
    response = api().patch(f"/api/v1/projects/{t.project.pk}/", data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert _links(t.project.pk) == before


def test_a_new_project_with_its_links(t, api):
    response = api().post(
        "/api/v1/projects/",
        {
            "name": "Chatbot",
            "category": "local",
            "goals": [t.goal.pk],
            "sdgs": [factories.sdg(9).pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert _links(response.json()["id"]) == ([t.goal.pk], [], [factories.sdg(9).pk])


def test_the_project_list_costs_the_same_queries_with_more_links(t, api):
    client = api(Role.READER)
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/projects/")
    with scopes_disabled():
        for i in range(5):
            project = factories.project(t.municipality, f"Projekt {i}")
            project.goals.add(factories.goal(t.strategy, f"Mål {i}"))
            project.sdgs.add(factories.sdg(1 + i), factories.sdg(2 + i))
            project.focus_areas.add(factories.focus_area(1 + i))
    with CaptureQueriesContext(connection) as large:
        response = client.get("/api/v1/projects/")
    assert len(response.json()["results"]) == 6
    assert len(large) == len(small)
