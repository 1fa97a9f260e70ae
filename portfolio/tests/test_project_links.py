"""A project's links to strategy goals, focus areas and SDGs (`portfolio:project_links`): kept
by the project's keepers, shown on the project card and recorded in its history."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from core.models import Role
from portfolio.models import Project
from tests import factories

pytestmark = pytest.mark.history


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


def test_the_links_keep_their_address(t):
    assert _url("project_links", t.project.pk) == f"/projekter/{t.project.pk}/strategi/"


def _links(project_pk):
    with scopes_disabled():
        project = Project.objects.get(pk=project_pk)
        return (
            sorted(project.goals.values_list("pk", flat=True)),
            sorted(project.focus_areas.values_list("number", flat=True)),
            sorted(project.sdgs.values_list("number", flat=True)),
        )


def test_the_project_leader_links_the_project_and_the_card_and_history_show_it(t, login, english):
    with scopes_disabled():
        goal = factories.goal(t.strategy, "Mobil- og bredbåndsdækning", number="3")
    client = login(t, Role.PROJECT_LEADER)  # leads the world's project
    response = client.get(_url("project_links", t.project.pk))
    assert response.status_code == 200
    groups = response.context["goal_groups"]
    assert [g["strategy"] for g in groups] == [t.strategy]
    with scopes_disabled():
        sdg9 = factories.sdg(9)
        area11 = factories.focus_area(11)
    response = client.post(
        _url("project_links", t.project.pk),
        {"goals": [t.goal.pk, goal.pk], "focus_areas": [area11.pk], "sdgs": [sdg9.pk]},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#strategi")
    assert _links(t.project.pk) == (sorted([t.goal.pk, goal.pk]), [11], [9])
    card = client.get(reverse("portfolio:project_detail", args=[t.project.pk])).content.decode()
    assert "3 Mobil- og bredbåndsdækning" in card
    assert "9. Industry, innovation and infrastructure" in card
    assert _url("project_links", t.project.pk) in card
    history = client.get(reverse("portfolio:project_history", args=[t.project.pk]))
    html = history.content.decode()
    assert "added 3 Mobil- og bredbåndsdækning" in html
    assert "added 11. Teknologi giver bedre fysiske rammer og bæredygtig vækst" in html
    assert "removed 2. Borgerbetjening 3.0" in html
    assert "removed 16. Peace, justice and strong institutions" in html


def test_a_goal_of_another_municipality_is_refused_and_nothing_is_saved(t, other, login, english):
    before = _links(t.project.pk)
    response = login(t).post(
        _url("project_links", t.project.pk), {"goals": [other.goal.pk], "sdgs": [1]}
    )
    assert response.status_code == 422
    assert "Select a valid choice" in " ".join(response.context["form"].errors["goals"])
    assert _links(t.project.pk) == before


@pytest.mark.parametrize(
    "data", [{"sdgs": ["abc"]}, {"focus_areas": ["999999"]}, {"goals": ["-1"]}]
)
def test_bad_ids_are_refused(t, login, data):
    before = _links(t.project.pk)
    response = login(t).post(_url("project_links", t.project.pk), data)
    assert response.status_code == 422
    assert _links(t.project.pk) == before


@pytest.mark.parametrize("role", [Role.MEMBER, Role.READER])
def test_only_the_projects_keepers_link_it(t, login, role):
    client = login(t, role)
    assert client.get(_url("project_links", t.project.pk)).status_code == 403
    assert client.post(_url("project_links", t.project.pk), {}).status_code == 403
    assert _links(t.project.pk)[0] == [t.goal.pk]


def test_the_card_shows_no_edit_link_to_others(t, login, english):
    card = login(t, Role.READER).get(reverse("portfolio:project_detail", args=[t.project.pk]))
    html = card.content.decode()
    assert "Borgerne betjener sig selv" in html and "2. Borgerbetjening 3.0" in html
    assert _url("project_links", t.project.pk) not in html


def test_the_history_costs_the_same_queries_for_more_link_changes(t, login):
    client = login(t, Role.READER)
    url = reverse("portfolio:project_history", args=[t.project.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    with scopes_disabled():
        project = Project.objects.get(pk=t.project.pk)
        for i in range(5):
            goal = factories.goal(t.strategy, f"Mål {i}")
            project.goals.add(goal)
            project.sdgs.add(factories.sdg(1 + i))
            project.focus_areas.remove(factories.focus_area(2))
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(large) == len(small)
    # a change of nothing shown (remove of a focus area no longer linked) leaves no entry
    assert all(
        e["changes"] or e["links"] or e["record"].history_type != "~"
        for e in response.context["entries"]
    )
