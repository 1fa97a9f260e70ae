"""The proposals API: reading, reporting, editing, the status, and `make-project`."""

import pytest
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from core.models import Role
from planning.models import Proposal, ProposalStatus
from portfolio.models import Phase, Project
from tests import factories
from tests.world import CANARY_OTHER


@pytest.fixture
def api(t):
    def make(role=Role.ADMINISTRATOR, user=None):
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.force_authenticate(user or t.users[role])
        return client

    return make


def _proposal(pk) -> Proposal:
    with scopes_disabled():
        return Proposal.objects.get(pk=pk)


def _count(t) -> int:
    with scopes_disabled():
        return Proposal.objects.filter(municipality=t.municipality).count()


def _projects(t) -> int:
    with scopes_disabled():
        return Project.objects.filter(municipality=t.municipality).count()


def test_everyone_reads_the_municipalitys_proposals(t, other, api):
    with scopes_disabled():
        entry = factories.plan_entry(t.plan, "Digital post", proposal=t.proposal)
    response = api(Role.READER).get("/api/v1/proposals/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == t.proposal.pk and row["plan_entries"] == [entry.pk]
    assert CANARY_OTHER not in response.content.decode()
    assert api(Role.READER).get(f"/api/v1/proposals/{other.proposal.pk}/").status_code == 404


def test_the_list_filters(t, api):
    with scopes_disabled():
        factories.proposal(
            t.municipality, "Droner", source="innovation", status="rejected", status_note="For dyrt"
        )
    client = api(Role.READER)
    assert [
        r["title"]
        for r in client.get("/api/v1/proposals/", {"status": "rejected"}).json()["results"]
    ] == ["Droner"]
    assert len(client.get("/api/v1/proposals/", {"source": "local"}).json()["results"]) == 1
    assert len(client.get("/api/v1/proposals/", {"unit": t.unit.pk}).json()["results"]) == 1
    for bad in ({"status": "x"}, {"source": "x"}, {"unit": "x"}, {"unit": "9" * 30}):
        assert client.get("/api/v1/proposals/", bad).status_code == 400


@pytest.mark.parametrize(
    "role", [Role.ADMINISTRATOR, Role.SECRETARY, Role.MEMBER, Role.PROJECT_LEADER]
)
def test_everyone_who_takes_part_reports(t, api, role):
    response = api(role).post(
        "/api/v1/proposals/",
        {
            "title": "Chatbot",
            "description": "Spørgsmål uden for åbningstid.",
            "unit": t.unit.pk,
            "estimated_amount": "120000.00",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "new" and body["project"] is None
    proposal = _proposal(body["id"])
    assert proposal.created_by == t.users[role]
    assert proposal.municipality_id == t.municipality.pk


def test_a_reader_does_not_report(t, api):
    response = api(Role.READER).post(
        "/api/v1/proposals/", {"title": "X", "description": "Y"}, format="json"
    )
    assert response.status_code == 403
    assert _count(t) == 1


@pytest.mark.parametrize(
    "data, field",
    [
        ({"title": "X"}, "description"),
        ({"title": "X", "description": ""}, "description"),
        ({"description": "Y"}, "title"),
        ({"title": "X", "description": "Y", "unit": "other"}, "unit"),
        ({"title": "X", "description": "Y", "contact": "other"}, "contact"),
        ({"title": "X", "description": "Y", "estimated_hours": -1}, "estimated_hours"),
        ({"title": "X", "description": "Y", "estimated_hours": 10**12}, "estimated_hours"),
        ({"title": "X", "description": "Y", "estimated_amount": "-1"}, "estimated_amount"),
        ({"title": "X", "description": "Y", "received_on": "1066-10-14"}, "received_on"),
        ({"title": "X", "description": "Y", "status": "rejected"}, "status_note"),
        ({"title": "X", "description": "Y", "status": "project"}, "status"),
        ({"title": "X", "description": "Y", "source": "x"}, "source"),
    ],
)
def test_bad_proposals_are_refused_and_nothing_is_written(t, other, api, data, field):
    data = dict(data)
    for name, value in data.items():
        if value == "other":
            data[name] = {"unit": other.unit.pk, "contact": other.person.pk}[name]
    response = api().post("/api/v1/proposals/", data, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert _count(t) == 1


def test_only_those_who_run_planning_set_the_status(t, api):
    member = api(Role.MEMBER)
    response = member.post("/api/v1/proposals/", {"title": "X", "description": "Y"}, format="json")
    pk = response.json()["id"]
    # the creator edits the new proposal, but does not assess it
    assert (
        member.patch(f"/api/v1/proposals/{pk}/", {"title": "Z"}, format="json").status_code == 200
    )
    response = member.patch(f"/api/v1/proposals/{pk}/", {"status": "planned"}, format="json")
    assert response.status_code == 403
    response = api(Role.SECRETARY).patch(
        f"/api/v1/proposals/{pk}/",
        {"status": "rejected", "status_note": "Findes allerede."},
        format="json",
    )
    assert response.status_code == 200
    assert _proposal(pk).status == ProposalStatus.REJECTED
    # no longer new: the creator may not edit it
    assert (
        member.patch(f"/api/v1/proposals/{pk}/", {"title": "Ø"}, format="json").status_code == 403
    )
    assert _proposal(pk).title == "Z"


def test_a_rejection_needs_the_reason(t, api):
    response = api().patch(
        f"/api/v1/proposals/{t.proposal.pk}/", {"status": "rejected"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["status_note"] == ["Give the reason the proposal was rejected."]
    assert _proposal(t.proposal.pk).status == ProposalStatus.NEW


@pytest.mark.parametrize("role", [Role.MEMBER, Role.PROJECT_LEADER, Role.READER])
def test_others_do_not_change_the_worlds_proposal(t, api, role):
    client = api(role)
    assert (
        client.patch(
            f"/api/v1/proposals/{t.proposal.pk}/", {"title": "X"}, format="json"
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/proposals/{t.proposal.pk}/make-project/", {"category": "local"}, format="json"
        ).status_code
        == 403
    )
    assert _proposal(t.proposal.pk).title == t.proposal.title


def test_proposals_are_not_deleted(t, api):
    assert api().delete(f"/api/v1/proposals/{t.proposal.pk}/").status_code == 405
    assert _count(t) == 1


def test_make_project_once(t, api):
    client = api(Role.SECRETARY)
    before = _projects(t)
    response = client.post(
        f"/api/v1/proposals/{t.proposal.pk}/make-project/",
        {"category": "cross_cutting"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "project"
    with scopes_disabled():
        project = Project.objects.get(pk=body["project"])
    assert (project.name, project.phase, project.category) == (
        t.proposal.title,
        Phase.IDEA,
        "cross_cutting",
    )
    assert project.owning_unit_id == t.unit.pk
    response = client.post(
        f"/api/v1/proposals/{t.proposal.pk}/make-project/",
        {"category": "local", "name": "Igen"},
        format="json",
    )
    assert response.status_code == 400
    assert "already became the project" in str(response.json())
    assert _projects(t) == before + 1
    # its status no longer changes
    response = client.patch(f"/api/v1/proposals/{t.proposal.pk}/", {"status": "new"}, format="json")
    assert response.status_code == 400
    assert _proposal(t.proposal.pk).status == ProposalStatus.PROJECT


@pytest.mark.parametrize(
    "data", [{}, {"category": "space"}, {"category": "local", "name": "X" * 201}]
)
def test_make_project_with_bad_input_makes_nothing(t, api, data):
    before = _projects(t)
    response = api().post(f"/api/v1/proposals/{t.proposal.pk}/make-project/", data, format="json")
    assert response.status_code == 400
    assert _projects(t) == before
    assert _proposal(t.proposal.pk).project_id is None


def test_make_project_of_another_municipalitys_proposal_is_not_found(t, other, api):
    response = api().post(
        f"/api/v1/proposals/{other.proposal.pk}/make-project/", {"category": "local"}, format="json"
    )
    assert response.status_code == 404
    assert _proposal(other.proposal.pk).project_id is None
