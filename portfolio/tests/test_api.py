"""The portfolio API under /api/v1/: projects and their gates, status reports and risks.

The fixture: a project governed by the steering group, led by PROJECT_LEADER's person and
owned by a person without a login, with a report, a risk, a milestone and a budget year; a
second project nobody of the users keeps; a portfolio risk; and a mirror of it all, marked
SECRET, in another municipality. ADMINISTRATOR and SECRETARY run the portfolio; MEMBER and
READER keep nothing; `outsider` is an administrator of the other municipality.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from core.models import Role
from meetings import services as meeting_services
from meetings.models import Case, CaseStep
from portfolio.models import Phase, PhaseChange, Project, Risk, RiskStatus, StatusReport
from tests import factories

pytestmark = pytest.mark.django_db

SECRET = "SECRET-of-the-other-municipality"
REQUIRED = "This field is required."


@pytest.fixture
def pf(municipality, other_municipality, users):
    o = SimpleNamespace()
    o.unit = factories.unit(municipality, "Digitalisering")
    o.leader = factories.person(
        municipality, "Lene Leder", "projektleder", unit=o.unit, user=users[Role.PROJECT_LEADER]
    )
    o.owner = factories.person(municipality, "Otto Ejer", "chef", unit=o.unit)
    o.body = factories.body(municipality, "Digitaliseringsstyregruppen")
    o.closed_body = factories.body(
        municipality,
        "Lukket gruppe",
        established_on=datetime.date(2019, 1, 1),
        closed_on=datetime.date(2021, 1, 1),
        closing_summary="Løst.",
    )
    o.project = factories.project(
        municipality,
        "Borgerblikket",
        category="national",
        kombit=True,
        phase=Phase.IMPLEMENTATION,
        owning_unit=o.unit,
        owner=o.owner,
        leader=o.leader,
        body=o.body,
        start_date=datetime.date(2024, 1, 1),
    )
    o.unkept = factories.project(municipality, "Aula", category="local", phase=Phase.ANALYSIS)
    o.report = factories.status_report(
        o.project,
        datetime.date(2024, 1, 1),
        datetime.date(2024, 3, 31),
        colour="yellow",
        progress="Godt på vej",
    )
    o.risk = factories.risk(
        o.project, title="Leverandør forsinket", probability=4, impact=4, owner=o.leader
    )
    o.portfolio_risk = factories.risk(
        municipality=municipality, title="Mangel på folk", probability=2, impact=2
    )
    o.milestone = factories.milestone(o.project, "Go-live")
    o.budget = factories.budget_year(o.project, 2024)
    meeting = factories.meeting(o.body, datetime.date(2024, 5, 15))
    o.item = factories.item(meeting, "Borgerblikket: overgang til gennemførelse")

    o.f_unit = factories.unit(other_municipality, SECRET)
    o.f_person = factories.person(other_municipality, SECRET, SECRET, unit=o.f_unit)
    o.f_body = factories.body(other_municipality, SECRET)
    o.f_project = factories.project(
        other_municipality, SECRET, purpose=SECRET, body=o.f_body, leader=o.f_person
    )
    o.f_report = factories.status_report(o.f_project, progress=SECRET)
    o.f_risk = factories.risk(o.f_project, title=SECRET)
    o.f_item = factories.item(factories.meeting(o.f_body, datetime.date(2024, 5, 1)), SECRET)
    return o


@pytest.fixture
def api(users):
    """`api(role)`: an API client of the user with that role, by token; English messages."""

    def make(role=Role.ADMINISTRATOR):
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if role == "anonymous":
            return client
        key = factories.api_key(users[role])
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


def url(resource: str, pk: int | None = None, action: str = "") -> str:
    path = f"/api/v1/{resource}/" + (f"{pk}/" if pk is not None else "")
    return path + (f"{action}/" if action else "")


def fingerprint():
    """Everything a refused write must leave alone."""
    with scopes_disabled():
        return (
            sorted(Project.objects.values_list("pk", "name", "phase", "end_date", "leader_id")),
            sorted(StatusReport.objects.values_list("pk", "period_start", "overall")),
            sorted(
                Risk.objects.values_list(
                    "pk", "title", "probability", "status", "escalated_to_id", "project_id"
                )
            ),
            PhaseChange.objects.count(),
            Case.objects.count(),
            CaseStep.objects.count(),
        )


def refetch(obj):
    with scopes_disabled():
        return type(obj).objects.get(pk=obj.pk)


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response) -> list[int]:
    return [row["id"] for row in rows(response)]


def report_payload(project, /, **changes) -> dict:
    data = {
        "project": project.pk,
        "period_start": "2024-04-01",
        "period_end": "2024-06-30",
        "schedule": "green",
        "budget": "green",
        "scope": "yellow",
        "benefits": "green",
        "resources": "green",
        "progress": "Testet",
        "next_steps": "Idriftsættelse",
    }
    data.update(changes)
    return data


# --- Projects --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role.values))
def test_everyone_in_the_municipality_reads_the_portfolio(api, pf, role):
    client = api(role)
    response = client.get(url("projects"))
    assert set(ids(response)) == {pf.project.pk, pf.unkept.pk}
    assert SECRET not in response.content.decode()
    for resource, own in (("status-reports", pf.report), ("risks", pf.risk)):
        response = client.get(url(resource))
        assert own.pk in ids(response)
        assert SECRET not in response.content.decode()
        assert client.get(url(resource, own.pk)).status_code == 200
    assert client.get(url("projects", pf.project.pk)).status_code == 200


def test_anonymous_is_refused(api, pf):
    client = api("anonymous")
    for path in (
        url("projects"),
        url("projects", pf.project.pk),
        url("status-reports"),
        url("risks", pf.risk.pk),
    ):
        assert client.get(path).status_code == 401
    assert client.post(url("projects"), {}, format="json").status_code == 401


def test_list_shows_the_latest_status(api, pf):
    [row] = [r for r in rows(api(Role.READER).get(url("projects"))) if r["id"] == pf.project.pk]
    status = row["status"]
    assert status["latest"]["id"] == pf.report.pk
    assert status["latest"]["colour"] == "yellow"
    assert status["trend"] == "new"
    assert status["due"] == "2024-06-30"  # quarterly: 91 days after the period ends
    assert status["late"] is True
    assert "milestones" not in row


@pytest.mark.parametrize(
    "query, expected",
    [
        ("category=national", {"project"}),
        ("category=local", {"unkept"}),
        ("phase=analysis", {"unkept"}),
        ("active=false", set()),
        ("active=true", {"project", "unkept"}),
    ],
)
def test_projects_are_filtered(api, pf, query, expected):
    response = api(Role.READER).get(url("projects") + "?" + query)
    assert set(ids(response)) == {getattr(pf, name).pk for name in expected}


def test_projects_are_filtered_by_body_and_unit(api, pf):
    client = api(Role.READER)
    assert ids(client.get(url("projects"), {"body": pf.body.pk})) == [pf.project.pk]
    assert ids(client.get(url("projects"), {"owning_unit": pf.unit.pk})) == [pf.project.pk]
    assert ids(client.get(url("projects"), {"body": pf.f_body.pk})) == []


def test_projects_are_filtered_as_the_list_page_filters(api, pf):
    """The list page's other filters: name or number, strategy goal, lighthouse, KOMBIT."""
    client = api(Role.READER)
    with scopes_disabled():
        Project.objects.filter(pk=pf.project.pk).update(lighthouse=True)
        goal = factories.goal(factories.strategy(pf.project.municipality))
        pf.project.goals.add(goal)
    both = {pf.project.pk, pf.unkept.pk}
    assert ids(client.get(url("projects"), {"q": pf.project.name[1:6].upper()})) == [pf.project.pk]
    assert set(ids(client.get(url("projects"), {"q": ""}))) == both
    assert ids(client.get(url("projects"), {"lighthouse": "true"})) == [pf.project.pk]
    assert ids(client.get(url("projects"), {"lighthouse": "false"})) == [pf.unkept.pk]
    kombit = {p for p in both if client.get(url("projects", p)).json()["kombit"]}
    assert set(ids(client.get(url("projects"), {"kombit": "true"}))) == kombit
    assert set(ids(client.get(url("projects"), {"kombit": "false"}))) == both - kombit
    assert ids(client.get(url("projects"), {"goal": goal.pk})) == [pf.project.pk]
    with scopes_disabled():
        Project.objects.filter(pk=pf.project.pk).update(lighthouse=False)
        pf.project.goals.remove(goal)


@pytest.mark.parametrize(
    "query", ["category=nope", "phase=x", "body=abc", "active=maybe", "goal=x", "kombit=2"]
)
def test_a_bad_filter_is_400(api, pf, query):
    response = api(Role.READER).get(url("projects") + "?" + query)
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_project_detail_has_milestones_budget_status_and_history(api, pf):
    with scopes_disabled():
        PhaseChange.objects.create(
            municipality=pf.project.municipality,
            project=pf.project,
            from_phase=Phase.ANALYSIS,
            to_phase=Phase.IMPLEMENTATION,
            decided_on=datetime.date(2024, 2, 1),
            note="Go",
        )
    data = api(Role.READER).get(url("projects", pf.project.pk)).json()
    assert data["name"] == "Borgerblikket"
    assert [m["title"] for m in data["milestones"]] == ["Go-live"]
    assert data["budget_years"][0]["year"] == 2024
    assert data["budget_years"][0]["planned"] == "1000000.00"
    assert data["status"]["latest"]["id"] == pf.report.pk
    assert [(c["from_phase"], c["to_phase"]) for c in data["phase_changes"]] == [
        ("analysis", "implementation")
    ]


def test_another_municipalitys_rows_are_404(api, pf):
    client = api(Role.ADMINISTRATOR)
    before = fingerprint()
    assert client.get(url("projects", pf.f_project.pk)).status_code == 404
    assert (
        client.patch(url("projects", pf.f_project.pk), {"name": "x"}, format="json").status_code
        == 404
    )
    assert (
        client.post(
            url("projects", pf.f_project.pk, "change-phase"), {"to_phase": "closed"}, format="json"
        ).status_code
        == 404
    )
    assert client.get(url("status-reports", pf.f_report.pk)).status_code == 404
    assert client.get(url("risks", pf.f_risk.pk)).status_code == 404
    assert (
        client.patch(url("risks", pf.f_risk.pk), {"title": "x"}, format="json").status_code == 404
    )
    assert client.delete(url("risks", pf.f_risk.pk)).status_code == 404
    assert (
        client.post(
            url("risks", pf.f_risk.pk, "escalate"), {"body": pf.body.pk}, format="json"
        ).status_code
        == 404
    )
    assert fingerprint() == before


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.SECRETARY])
def test_those_who_run_the_portfolio_create_projects(api, pf, role):
    response = api(role).post(
        url("projects"),
        {
            "name": "Digital post",
            "category": "cross_cutting",
            "owning_unit": pf.unit.pk,
            "leader": pf.leader.pk,
            "body": pf.body.pk,
            "start_date": "2025-01-01",
            "phase": "closed",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["phase"] == "idea"  # the phase only changes through a gate
    assert data["milestones"] == [] and data["status"]["latest"] is None
    with scopes_disabled():
        project = Project.objects.get(pk=data["id"])
    assert project.municipality == pf.project.municipality
    assert project.leader == pf.leader


def test_a_new_project_reports_as_often_as_its_governing_body_meets_as_on_the_page(
    api, pf, municipality
):
    """The report cycle left out is the body's, as the page's "by the governing body":
    every 14 days to a Project Board, else quarterly (portfolio.services.report_cycle_for)."""
    board = factories.body(municipality, "Projektboard", kind="project_board")
    cycles = {}
    for name, body in (("Til boardet", board), ("Til styregruppen", pf.body)):
        response = api().post(
            url("projects"),
            {
                "name": name,
                "category": "cross_cutting",
                "owning_unit": pf.unit.pk,
                "body": body.pk,
                "start_date": "2025-01-01",
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        cycles[name] = response.json()["report_cycle"]
    assert cycles == {"Til boardet": 14, "Til styregruppen": 91}


@pytest.mark.parametrize("role", [Role.PROJECT_LEADER, Role.MEMBER, Role.READER])
def test_others_may_not_create_projects(api, pf, role):
    before = fingerprint()
    response = api(role).post(url("projects"), {"name": "X", "category": "local"}, format="json")
    assert response.status_code == 403
    assert fingerprint() == before


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"start_date": "2025-01-01", "end_date": "2024-01-01"}, "end_date"),
        ({"kombit": True, "category": "local"}, "kombit"),
        ({"category": "nope"}, "category"),
        ({"start_date": "9999-12-31"}, "start_date"),
        ({"name": ""}, "name"),
    ],
)
def test_a_bad_project_is_refused_and_nothing_is_written(api, pf, changes, field):
    before = fingerprint()
    data = {"name": "Ny", "category": "cross_cutting", **changes}
    response = api().post(url("projects"), data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert fingerprint() == before


@pytest.mark.parametrize("field", ["owning_unit", "owner", "leader", "body"])
def test_a_reference_to_another_municipality_is_400(api, pf, field):
    foreign = {
        "owning_unit": pf.f_unit,
        "owner": pf.f_person,
        "leader": pf.f_person,
        "body": pf.f_body,
    }[field]
    before = fingerprint()
    client = api()
    response = client.post(
        url("projects"), {"name": "Ny", "category": "local", field: foreign.pk}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert SECRET not in response.content.decode()
    response = client.patch(url("projects", pf.project.pk), {field: foreign.pk}, format="json")
    assert response.status_code == 400
    assert fingerprint() == before


@pytest.mark.parametrize("role", [Role.PROJECT_LEADER, Role.SECRETARY, Role.ADMINISTRATOR])
def test_keepers_change_the_project(api, pf, role):
    response = api(role).patch(
        url("projects", pf.project.pk),
        {"name": "Borgerblikket 2", "phase": "closed"},
        format="json",
    )
    assert response.status_code == 200, response.content
    project = refetch(pf.project)
    assert project.name == "Borgerblikket 2"
    assert project.phase == Phase.IMPLEMENTATION
    assert response.json()["milestones"][0]["title"] == "Go-live"


@pytest.mark.parametrize("role", [Role.MEMBER, Role.READER])
def test_others_may_not_change_a_project(api, pf, role):
    before = fingerprint()
    response = api(role).patch(url("projects", pf.project.pk), {"name": "X"}, format="json")
    assert response.status_code == 403
    assert fingerprint() == before


def test_the_leader_may_not_change_another_project(api, pf):
    before = fingerprint()
    client = api(Role.PROJECT_LEADER)
    assert (
        client.patch(url("projects", pf.unkept.pk), {"name": "X"}, format="json").status_code == 403
    )
    assert (
        client.post(
            url("projects", pf.unkept.pk, "change-phase"),
            {"to_phase": "procurement"},
            format="json",
        ).status_code
        == 403
    )
    assert fingerprint() == before


def test_a_project_change_is_validated(api, pf):
    before = fingerprint()
    response = api(Role.PROJECT_LEADER).patch(
        url("projects", pf.project.pk), {"end_date": "2023-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "end_date" in response.json()
    assert fingerprint() == before


def test_projects_are_not_deleted(api, pf):
    before = fingerprint()
    assert api().delete(url("projects", pf.project.pk)).status_code == 405
    assert fingerprint() == before


# --- Gates -----------------------------------------------------------------------------------


def test_the_leader_moves_the_project_through_a_gate(api, pf, users):
    response = api(Role.PROJECT_LEADER).post(
        url("projects", pf.project.pk, "change-phase"),
        {
            "to_phase": "realisation",
            "decided_on": "2024-05-15",
            "decision": pf.item.pk,
            "note": "Besluttet i styregruppen",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["phase"] == "realisation"
    change = data["phase_changes"][0]
    assert change["from_phase"] == "implementation"
    assert change["to_phase"] == "realisation"
    assert change["decision"] == pf.item.pk
    assert change["decided_on"] == "2024-05-15"
    with scopes_disabled():
        stored = PhaseChange.objects.get(project=pf.project)
    assert stored.decided_by == users[Role.PROJECT_LEADER]
    assert refetch(pf.project).phase == Phase.REALISATION


def test_a_gate_defaults_to_today(api, pf):
    response = api().post(
        url("projects", pf.project.pk, "change-phase"), {"to_phase": "closed"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["phase_changes"][0]["decided_on"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"to_phase": "implementation"}, "to_phase"),  # the present phase
        ({"to_phase": "nope"}, "to_phase"),
        ({}, "to_phase"),
        ({"to_phase": "closed", "decided_on": "10000-01-01"}, "decided_on"),
        ({"to_phase": "closed", "decision": 10**9}, "decision"),
    ],
)
def test_a_bad_gate_is_refused(api, pf, data, field):
    before = fingerprint()
    response = api().post(url("projects", pf.project.pk, "change-phase"), data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert fingerprint() == before


def test_a_gate_cannot_rest_on_another_municipalitys_decision(api, pf):
    before = fingerprint()
    response = api().post(
        url("projects", pf.project.pk, "change-phase"),
        {"to_phase": "closed", "decision": pf.f_item.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "decision" in response.json()
    assert SECRET not in response.content.decode()
    assert fingerprint() == before


@pytest.mark.parametrize("role", [Role.MEMBER, Role.READER])
def test_others_may_not_move_a_project(api, pf, role):
    before = fingerprint()
    response = api(role).post(
        url("projects", pf.project.pk, "change-phase"), {"to_phase": "closed"}, format="json"
    )
    assert response.status_code == 403
    assert fingerprint() == before


def test_the_gate_answers_post_only(api, pf):
    assert api().get(url("projects", pf.project.pk, "change-phase")).status_code == 405


# --- Status reports --------------------------------------------------------------------------


def test_reports_are_filtered_by_project(api, pf):
    other = factories.status_report(pf.unkept, datetime.date(2024, 1, 1))
    client = api(Role.READER)
    assert set(ids(client.get(url("status-reports")))) == {pf.report.pk, other.pk}
    assert ids(client.get(url("status-reports"), {"project": pf.unkept.pk})) == [other.pk]
    assert client.get(url("status-reports"), {"project": "x"}).status_code == 400


def test_a_report_shows_its_colours(api, pf):
    data = api(Role.READER).get(url("status-reports", pf.report.pk)).json()
    assert data["suggested"] == "yellow"
    assert data["colour"] == "yellow"
    assert data["overridden"] is False
    assert data["progress"] == "Godt på vej"


@pytest.mark.parametrize("role", [Role.PROJECT_LEADER, Role.SECRETARY])
def test_keepers_file_a_report(api, pf, users, role):
    response = api(role).post(url("status-reports"), report_payload(pf.project), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["colour"] == "yellow"
    assert data["case"] is None
    with scopes_disabled():
        report = StatusReport.objects.get(pk=data["id"])
    assert report.reported_by == users[role]
    assert report.reported_on == timezone.localdate()
    assert report.municipality_id == pf.project.municipality_id


def test_needs_a_decision_opens_a_case_in_the_bodys_backlog(api, pf):
    response = api(Role.PROJECT_LEADER).post(
        url("status-reports"),
        report_payload(
            pf.project,
            needs_decision=True,
            decision_request="Godkend ekstra budget",
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["case"] is not None
    assert data["case_number"].startswith("PRJ-")
    with scopes_disabled():
        case = Case.objects.get(pk=data["case"])
        backlog = meeting_services.backlog(pf.body)
    assert case.description == "Godkend ekstra budget"
    assert case.pk in {step.case_id for step in backlog.cases}


def test_an_override_needs_a_reason(api, pf):
    client = api(Role.PROJECT_LEADER)
    before = fingerprint()
    response = client.post(
        url("status-reports"), report_payload(pf.project, overall="green"), format="json"
    )
    assert response.status_code == 400
    with translation.override("en"):
        assert response.json()["override_reason"] == [
            "Give the reason why the overall colour differs from the suggested one."
        ]
    assert fingerprint() == before
    response = client.post(
        url("status-reports"),
        report_payload(pf.project, overall="green", override_reason="Risikoen er afbødet"),
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["colour"] == "green"
    assert response.json()["overridden"] is True


@pytest.mark.parametrize(
    "changes, field",
    [
        # overlaps the reported period 2024-01-01–2024-03-31
        ({"period_start": "2024-03-01"}, "period_start"),
        ({"period_start": "2024-01-01", "period_end": "2024-01-31"}, "period_start"),
        ({"period_start": "2024-06-30", "period_end": "2024-06-01"}, "period_end"),
        ({"needs_decision": True}, "decision_request"),
        ({"schedule": "blue"}, "schedule"),
        ({"schedule": None}, "schedule"),
        ({"period_end": "9999-12-31"}, "period_end"),
        ({"project": 10**9}, "project"),
    ],
)
def test_a_bad_report_is_refused_and_nothing_is_written(api, pf, changes, field):
    before = fingerprint()
    response = api(Role.PROJECT_LEADER).post(
        url("status-reports"), report_payload(pf.project, **changes), format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert fingerprint() == before


def test_the_overlap_names_the_reported_period(api, pf):
    response = api().post(
        url("status-reports"), report_payload(pf.project, period_start="2024-03-01"), format="json"
    )
    assert response.json()["period_start"] == [
        "The period 01-01-2024–31-03-2024 is already reported."
    ]


def test_a_decision_needs_a_governing_body(api, pf):
    before = fingerprint()
    response = api().post(
        url("status-reports"),
        report_payload(pf.unkept, needs_decision=True, decision_request="Hjælp"),
        format="json",
    )
    assert response.status_code == 400
    assert "needs_decision" in response.json()
    assert fingerprint() == before


def test_a_report_for_another_municipalitys_project_is_400(api, pf):
    before = fingerprint()
    response = api().post(url("status-reports"), report_payload(pf.f_project), format="json")
    assert response.status_code == 400
    assert "project" in response.json()
    assert SECRET not in response.content.decode()
    assert fingerprint() == before


@pytest.mark.parametrize("role", [Role.MEMBER, Role.READER])
def test_those_who_keep_no_project_may_not_file_reports(api, pf, role):
    before = fingerprint()
    client = api(role)
    assert (
        client.post(url("status-reports"), report_payload(pf.project), format="json").status_code
        == 403
    )
    assert client.post(url("status-reports"), {}, format="json").status_code == 403
    assert fingerprint() == before


def test_the_leader_may_not_report_for_another_project(api, pf):
    before = fingerprint()
    response = api(Role.PROJECT_LEADER).post(
        url("status-reports"), report_payload(pf.unkept, schedule="blue"), format="json"
    )
    assert response.status_code == 403  # before the input is looked at
    assert fingerprint() == before


def test_an_empty_report_of_a_keeper_names_what_is_missing(api, pf):
    response = api(Role.PROJECT_LEADER).post(url("status-reports"), {}, format="json")
    assert response.status_code == 400
    assert response.json()["project"] == [REQUIRED]


def test_a_filed_report_is_a_record(api, pf):
    before = fingerprint()
    client = api()
    path = url("status-reports", pf.report.pk)
    assert client.patch(path, {"overall": "green"}, format="json").status_code == 405
    assert client.put(path, report_payload(pf.project), format="json").status_code == 405
    assert client.delete(path).status_code == 405
    assert fingerprint() == before


# --- Risks -----------------------------------------------------------------------------------


def test_risks_are_listed_by_score_and_filtered(api, pf):
    closed = factories.risk(
        pf.unkept, title="Lukket", probability=5, impact=5, status=RiskStatus.CLOSED
    )
    client = api(Role.READER)
    response = client.get(url("risks"))
    assert ids(response) == [closed.pk, pf.risk.pk, pf.portfolio_risk.pk]
    first = rows(response)[1]
    assert first["score"] == 16 and first["level"] == "red"
    assert ids(client.get(url("risks"), {"project": pf.project.pk})) == [pf.risk.pk]
    assert ids(client.get(url("risks"), {"portfolio": "true"})) == [pf.portfolio_risk.pk]
    assert ids(client.get(url("risks"), {"portfolio": "false"})) == [closed.pk, pf.risk.pk]
    assert ids(client.get(url("risks"), {"status": "closed"})) == [closed.pk]
    assert client.get(url("risks"), {"status": "x"}).status_code == 400
    # the register page's other filters
    assert ids(client.get(url("risks"), {"min_score": 16})) == [closed.pk, pf.risk.pk]
    assert ids(client.get(url("risks"), {"min_score": 25})) == [closed.pk]
    risk = rows(response)[1]
    same = client.get(url("risks"), {"probability": risk["probability"], "impact": risk["impact"]})
    assert pf.risk.pk in ids(same) and closed.pk not in ids(same)
    assert ids(client.get(url("risks"), {"owner": pf.leader.pk})) == [pf.risk.pk]
    escalated = {row["id"] for row in rows(response) if row["escalated_to"] is not None}
    assert set(ids(client.get(url("risks"), {"escalated": "true"}))) == escalated
    assert set(ids(client.get(url("risks"), {"escalated": "false"}))) == (
        set(ids(response)) - escalated
    )
    for bad in ({"min_score": 26}, {"probability": 0}, {"impact": "x"}, {"escalated": "kan"}):
        assert client.get(url("risks"), bad).status_code == 400


def test_the_leader_adds_a_risk_to_the_project(api, pf):
    response = api(Role.PROJECT_LEADER).post(
        url("risks"),
        {
            "project": pf.project.pk,
            "title": "Nøgleperson stopper",
            "probability": 2,
            "impact": 5,
            "owner": pf.leader.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["score"] == 10
    with scopes_disabled():
        risk = Risk.objects.get(pk=response.json()["id"])
    assert risk.municipality_id == pf.project.municipality_id


def test_a_portfolio_risk_is_added_by_those_who_run_the_portfolio(api, pf):
    before = fingerprint()
    data = {"title": "Budgetpres", "probability": 3, "impact": 3}
    assert api(Role.PROJECT_LEADER).post(url("risks"), data, format="json").status_code == 403
    assert api(Role.PROJECT_LEADER).post(url("risks"), {}, format="json").status_code == 403
    assert fingerprint() == before
    response = api(Role.SECRETARY).post(url("risks"), data, format="json")
    assert response.status_code == 201
    assert response.json()["project"] is None


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"probability": 6}, "probability"),
        ({"impact": 0}, "impact"),
        ({"title": ""}, "title"),
        ({"status": "x"}, "status"),
        ({"identified_on": "0001-01-01"}, "identified_on"),
    ],
)
def test_a_bad_risk_is_refused_and_nothing_is_written(api, pf, changes, field):
    before = fingerprint()
    client = api(Role.PROJECT_LEADER)
    data = {"project": pf.project.pk, "title": "R", "probability": 3, "impact": 3, **changes}
    response = client.post(url("risks"), data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    response = client.patch(url("risks", pf.risk.pk), changes, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert fingerprint() == before


def test_a_risk_cannot_point_to_another_municipality(api, pf):
    before = fingerprint()
    client = api(Role.PROJECT_LEADER)
    response = client.post(
        url("risks"),
        {
            "project": pf.project.pk,
            "title": "R",
            "probability": 3,
            "impact": 3,
            "owner": pf.f_person.pk,
        },
        format="json",
    )
    assert response.status_code == 400 and "owner" in response.json()
    response = client.post(
        url("risks"),
        {"project": pf.f_project.pk, "title": "R", "probability": 3, "impact": 3},
        format="json",
    )
    assert response.status_code == 400 and "project" in response.json()
    assert SECRET not in response.content.decode()
    assert fingerprint() == before


@pytest.mark.parametrize("role", [Role.MEMBER, Role.READER])
def test_others_may_not_add_or_change_risks(api, pf, role):
    before = fingerprint()
    client = api(role)
    data = {"project": pf.project.pk, "title": "R", "probability": 3, "impact": 3}
    assert client.post(url("risks"), data, format="json").status_code == 403
    assert client.post(url("risks"), {}, format="json").status_code == 403
    assert client.patch(url("risks", pf.risk.pk), {"title": "X"}, format="json").status_code == 403
    assert client.delete(url("risks", pf.risk.pk)).status_code == 403
    assert fingerprint() == before


def test_the_leader_keeps_the_projects_risks_but_not_the_portfolios(api, pf):
    client = api(Role.PROJECT_LEADER)
    response = client.patch(url("risks", pf.risk.pk), {"status": "mitigating"}, format="json")
    assert response.status_code == 200
    assert refetch(pf.risk).status == RiskStatus.MITIGATING
    before = fingerprint()
    assert (
        client.patch(url("risks", pf.portfolio_risk.pk), {"title": "X"}, format="json").status_code
        == 403
    )
    assert client.delete(url("risks", pf.portfolio_risk.pk)).status_code == 403
    assert fingerprint() == before
    assert client.delete(url("risks", pf.risk.pk)).status_code == 204
    with scopes_disabled():
        assert not Risk.objects.filter(pk=pf.risk.pk).exists()


def test_a_risk_stays_with_its_project(api, pf):
    before = fingerprint()
    client = api()
    for project in (pf.unkept.pk, None):
        response = client.patch(url("risks", pf.risk.pk), {"project": project}, format="json")
        assert response.status_code == 400
        assert "project" in response.json()
    assert fingerprint() == before


def test_escalating_a_risk_puts_a_case_in_the_bodys_backlog(api, pf):
    response = api(Role.PROJECT_LEADER).post(
        url("risks", pf.risk.pk, "escalate"), {"body": pf.body.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["body"] == pf.body.pk
    assert data["case_number"].startswith("PRJ-")
    assert data["risk"]["escalated_to"] == pf.body.pk
    assert data["risk"]["case"] == data["case"]
    with scopes_disabled():
        backlog = meeting_services.backlog(pf.body)
        case = Case.objects.get(pk=data["case"])
    assert case.pk in {step.case_id for step in backlog.cases}
    assert "Leverandør forsinket" in case.title
    risk = refetch(pf.risk)
    assert risk.escalated_to == pf.body and risk.case == case


def test_the_portfolios_risk_is_escalated_by_those_who_run_it(api, pf):
    before = fingerprint()
    path = url("risks", pf.portfolio_risk.pk, "escalate")
    assert (
        api(Role.PROJECT_LEADER).post(path, {"body": pf.body.pk}, format="json").status_code == 403
    )
    assert fingerprint() == before
    assert api(Role.SECRETARY).post(path, {"body": pf.body.pk}, format="json").status_code == 201


@pytest.mark.parametrize("role", [Role.MEMBER, Role.READER])
def test_others_may_not_escalate(api, pf, role):
    before = fingerprint()
    response = api(role).post(
        url("risks", pf.risk.pk, "escalate"), {"body": pf.body.pk}, format="json"
    )
    assert response.status_code == 403
    assert fingerprint() == before


@pytest.mark.parametrize("body", ["closed_body", "f_body", None, "missing"])
def test_a_bad_escalation_is_refused(api, pf, body):
    data = {} if body == "missing" else {"body": getattr(pf, body).pk if body else None}
    before = fingerprint()
    response = api().post(url("risks", pf.risk.pk, "escalate"), data, format="json")
    assert response.status_code == 400
    assert SECRET not in response.content.decode()
    assert fingerprint() == before


def test_a_risk_is_escalated_to_a_body_once(api, pf):
    client = api()
    path = url("risks", pf.risk.pk, "escalate")
    assert client.post(path, {"body": pf.body.pk}, format="json").status_code == 201
    before = fingerprint()
    response = client.post(path, {"body": pf.body.pk}, format="json")
    assert response.status_code == 400
    assert fingerprint() == before


def test_escalate_answers_post_only(api, pf):
    assert api().get(url("risks", pf.risk.pk, "escalate")).status_code == 405


# --- Queries ---------------------------------------------------------------------------------


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_the_rows(api, pf, municipality):
    client = api(Role.READER)
    paths = [url("projects"), url("projects", pf.project.pk), url("status-reports"), url("risks")]
    small = [_queries(client, path) for path in paths]
    for i in range(5):
        project = factories.project(municipality, f"Projekt {i}", leader=pf.leader, body=pf.body)
        for r in range(3):
            factories.status_report(
                project, datetime.date(2024, 1, 1) + datetime.timedelta(days=14 * r)
            )
        factories.risk(project)
        factories.milestone(pf.project)
        factories.budget_year(pf.project, 2030 + i)
        case = factories.case(municipality, f"Sag {i}", route=[pf.body])
        factories.risk(pf.project, case=case, escalated_to=pf.body)
    assert [_queries(client, path) for path in paths] == small
