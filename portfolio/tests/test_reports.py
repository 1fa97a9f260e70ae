"""Status reports: filing one (lights, the suggested and overridden overall colour, the period,
needs a decision), the list with its history, one report, and escalating its barriers."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from core.models import Role
from meetings import services as meeting_services
from meetings.models import Case, CaseStep
from portfolio import services
from portfolio.forms.reports import period_initial, suggested_colour
from portfolio.models import ReportCycle, StatusReport
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(municipality, users):
    """A steering group under the executive board, and a project of the steering group led
    by the PROJECT_LEADER user's person (owned by somebody without a login)."""
    with scopes_disabled():
        board = factories.body(municipality, "Direktionen")
        steering = factories.body(municipality, "Styregruppen", parent=board)
        leader = factories.person(municipality, "Lene Leder", user=users[Role.PROJECT_LEADER])
        owner = factories.person(municipality, "Ole Ejer")
        project = factories.project(
            municipality,
            "Borgerblikket",
            leader=leader,
            owner=owner,
            body=steering,
            start_date=datetime.date(2024, 1, 1),
            report_cycle=ReportCycle.BIWEEKLY,
        )
    return {"board": board, "steering": steering, "project": project, "users": users}


def _create_url(project) -> str:
    return reverse("portfolio:report_create", args=[project.pk])


def _data(**overrides) -> dict:
    data = {
        "period_start": "2024-01-01",
        "period_end": "2024-01-14",
        "schedule": "green",
        "budget": "yellow",
        "scope": "green",
        "benefits": "green",
        "resources": "green",
        "overall": "",
        "override_reason": "",
        "progress": "Leverandøren er valgt.",
        "next_steps": "Kontrakten underskrives.",
        "barriers": "",
        "decision_request": "",
    }
    data.update(overrides)
    return data


def _count(**filters) -> int:
    with scopes_disabled():
        return StatusReport.objects.filter(**filters).count()


def _post(client, user, project, **overrides):
    client.force_login(user)
    with translation.override("en"):
        return client.post(_create_url(project), _data(**overrides))


# --- The suggested overall colour --------------------------------------------------------


def test_the_suggested_colour_is_the_worst_of_the_five():
    assert suggested_colour({"schedule": "green", "budget": "red", "scope": "yellow"}) == "red"
    assert suggested_colour({"schedule": "green", "budget": "yellow"}) == "yellow"
    assert suggested_colour({"schedule": "green"}) == "green"
    assert suggested_colour({"schedule": "purple"}) is None
    assert suggested_colour({}) is None


def test_the_form_answers_the_suggested_colour_for_htmx(client, org):
    client.force_login(org["users"][Role.PROJECT_LEADER])
    with translation.override("en"):
        response = client.get(
            _create_url(org["project"]),
            {"suggest": "1", "schedule": "green", "budget": "yellow", "scope": "red"},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    assert b"light-red" in response.content
    assert b"<html" not in response.content


def test_a_report_without_an_overall_colour_gets_the_worst(client, org):
    response = _post(client, org["users"][Role.PROJECT_LEADER], org["project"], resources="red")
    assert response.status_code == 302
    assert response["Location"] == reverse("portfolio:project_detail", args=[org["project"].pk])
    with scopes_disabled():
        report = StatusReport.objects.get(project=org["project"])
    assert report.overall == ""
    assert report.colour == "red"
    assert report.reported_by == org["users"][Role.PROJECT_LEADER]
    assert report.case is None


# --- Overriding the overall colour --------------------------------------------------------


def test_another_overall_colour_without_a_reason_is_refused_and_nothing_written(
    client, org, english
):
    response = _post(client, org["users"][Role.PROJECT_LEADER], org["project"], overall="green")
    assert response.status_code == 422
    assert "override_reason" in response.context["form"].errors
    assert "Give the reason" in response.content.decode()
    assert _count() == 0


def test_another_overall_colour_with_a_reason_is_kept(client, org):
    response = _post(
        client,
        org["users"][Role.PROJECT_LEADER],
        org["project"],
        overall="green",
        override_reason="Budgettet er allerede tilført.",
    )
    assert response.status_code == 302
    with scopes_disabled():
        report = StatusReport.objects.get(project=org["project"])
    assert report.overall == "green"
    assert report.overridden


# --- The period ------------------------------------------------------------------------------


def test_the_period_follows_the_latest_report(client, org):
    project = org["project"]
    client.force_login(org["users"][Role.PROJECT_LEADER])
    response = client.get(_create_url(project))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["period_start"] == datetime.date(2024, 1, 1)  # the start date
    assert form.initial["period_end"] == datetime.date(2024, 1, 14)  # one cycle: 14 days
    factories.status_report(project, datetime.date(2024, 1, 1), datetime.date(2024, 1, 14))
    form = client.get(_create_url(project)).context["form"]
    assert form.initial["period_start"] == datetime.date(2024, 1, 15)
    assert form.initial["period_end"] == datetime.date(2024, 1, 28)


def test_without_a_start_date_the_period_starts_today(org):
    project = org["project"]
    project.start_date = None
    project.report_cycle = ReportCycle.QUARTERLY
    today = datetime.date(2025, 3, 1)
    assert period_initial(project, None, today) == {
        "period_start": today,
        "period_end": datetime.date(2025, 5, 30),
    }


def test_an_overlapping_period_names_the_period_and_writes_nothing(client, org):
    factories.status_report(org["project"], datetime.date(2024, 1, 1), datetime.date(2024, 1, 14))
    response = _post(
        client,
        org["users"][Role.PROJECT_LEADER],
        org["project"],
        period_start="2024-01-10",
        period_end="2024-01-23",
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "period_start" in errors
    assert "01-01-2024–14-01-2024" in errors["period_start"][0]
    assert _count() == 1


def test_a_period_that_ends_before_it_starts_is_refused(client, org):
    response = _post(
        client,
        org["users"][Role.PROJECT_LEADER],
        org["project"],
        period_start="2024-02-01",
        period_end="2024-01-01",
    )
    assert response.status_code == 422
    assert "period_end" in response.context["form"].errors
    assert _count() == 0


# --- Needs a decision -------------------------------------------------------------------


def test_needs_a_decision_opens_a_case_in_the_governing_body_backlog(client, org):
    steering = org["steering"]
    response = _post(
        client,
        org["users"][Role.PROJECT_LEADER],
        org["project"],
        needs_decision="on",
        decision_request="Styregruppen bedes godkende en udvidelse af budgettet.",
    )
    assert response.status_code == 302
    with scopes_disabled():
        report = StatusReport.objects.select_related("case").get(project=org["project"])
        case = report.case
        step = CaseStep.objects.get(case=case)
        backlog = meeting_services.backlog(steering)
    assert case is not None
    assert case.description.startswith("Styregruppen bedes godkende")
    assert step.body == steering
    assert step.arrived_on == timezone.localdate()
    assert case.pk in [s.case_id for s in backlog.cases]
    # The message on the project card names the case.
    with translation.override("en"):
        page = client.get(response["Location"])
    assert case.number in page.content.decode()


def test_needs_a_decision_without_the_request_is_refused(client, org):
    response = _post(client, org["users"][Role.PROJECT_LEADER], org["project"], needs_decision="on")
    assert response.status_code == 422
    assert "decision_request" in response.context["form"].errors
    assert _count() == 0


def test_needs_a_decision_without_a_governing_body_writes_nothing(client, org, english):
    project = org["project"]
    with scopes_disabled():
        project.body = None
        project.save()
        cases_before = Case.objects.count()
    response = _post(
        client,
        org["users"][Role.PROJECT_LEADER],
        project,
        needs_decision="on",
        decision_request="Vi skal have en beslutning.",
    )
    assert response.status_code == 422
    assert "needs_decision" in response.context["form"].errors
    assert "no governing body" in response.content.decode()
    assert _count() == 0
    with scopes_disabled():
        assert Case.objects.count() == cases_before


def test_a_closed_governing_body_writes_nothing(client, org, english):
    with scopes_disabled():
        org["steering"].closed_on = datetime.date(2020, 1, 1)
        org["steering"].closing_summary = "Nedlagt."
        org["steering"].save()
    response = _post(
        client,
        org["users"][Role.PROJECT_LEADER],
        org["project"],
        needs_decision="on",
        decision_request="Vi skal have en beslutning.",
    )
    assert response.status_code == 422
    assert "is closed" in response.content.decode()
    assert _count() == 0


# --- Who may file -----------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.READER, Role.MEMBER])
def test_readers_and_members_may_not_file(client, org, role):
    client.force_login(org["users"][role])
    assert client.get(_create_url(org["project"])).status_code == 403
    response = client.post(_create_url(org["project"]), _data())
    assert response.status_code == 403
    assert _count() == 0


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.SECRETARY, Role.PROJECT_LEADER])
def test_keepers_may_file(client, org, role):
    response = _post(client, org["users"][role], org["project"])
    assert response.status_code == 302
    assert _count() == 1


def test_another_municipality_gets_404(client, org):
    client.force_login(org["users"]["outsider"])
    assert client.get(_create_url(org["project"])).status_code == 404


# --- Reading ---------------------------------------------------------------------------


@pytest.fixture
def history(org):
    project = org["project"]
    reports = [
        factories.status_report(project, datetime.date(2024, 1, 1), colour="green"),
        factories.status_report(
            project,
            datetime.date(2024, 1, 15),
            colour="yellow",
            overall="green",
            override_reason="Styr på det.",
        ),
        factories.status_report(
            project,
            datetime.date(2024, 1, 29),
            colour="green",
            budget="red",
            barriers="Mangler en udvikler.",
        ),
    ]
    return reports


def test_the_list_shows_every_report_newest_first(client, org, history, english):
    client.force_login(org["users"][Role.READER])
    with translation.override("en"):
        response = client.get(reverse("portfolio:report_list", args=[org["project"].pk]))
    assert response.status_code == 200
    assert response.context["reports"] == history[::-1]
    html = response.content.decode()
    assert html.count("Overridden") == 1
    assert "New status report" not in html  # a reader files nothing
    chart = response.context["chart"]
    assert chart.categories == ["14-01-2024", "28-01-2024", "11-02-2024"]  # oldest first
    red = next(s for s in chart.series if s.css == "red")
    assert red.values == [0, 0, 1]


def test_the_list_costs_the_same_queries_for_more_reports(client, org, history):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(org["users"][Role.READER])
    url = reverse("portfolio:report_list", args=[org["project"].pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for week in range(10):
        start = datetime.date(2024, 3, 1) + datetime.timedelta(days=14 * week)
        factories.status_report(org["project"], start, colour="yellow")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


def test_the_report_page_shows_the_report_and_its_case(client, org):
    case = factories.case(org["project"].municipality, "Beslutning om budget")
    report = factories.status_report(
        org["project"],
        colour="yellow",
        needs_decision=True,
        decision_request="Mere budget",
        case=case,
        barriers="Ingen udviklere",
    )
    client.force_login(org["users"][Role.READER])
    with translation.override("en"):
        response = client.get(reverse("portfolio:report_detail", args=[report.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("meetings:case_detail", args=[case.pk]) in html
    assert "Mere budget" in html
    assert reverse("portfolio:report_escalate", args=[report.pk]) not in html
    client.force_login(org["users"][Role.PROJECT_LEADER])
    response = client.get(reverse("portfolio:report_detail", args=[report.pk]))
    assert reverse("portfolio:report_escalate", args=[report.pk]) in response.content.decode()
    # once escalated, the page links to that case instead of offering it again
    with scopes_disabled():
        barrier_case = services.escalate_barrier(report, org["project"].body)
    html = client.get(reverse("portfolio:report_detail", args=[report.pk])).content.decode()
    assert reverse("meetings:case_detail", args=[barrier_case.pk]) in html
    assert reverse("portfolio:report_escalate", args=[report.pk]) not in html


# --- Escalating barriers ---------------------------------------------------------------


def test_escalation_defaults_to_the_parent_of_the_governing_body(client, org, history):
    client.force_login(org["users"][Role.PROJECT_LEADER])
    response = client.get(reverse("portfolio:report_escalate", args=[history[2].pk]))
    assert response.status_code == 200
    assert response.context["form"].fields["body"].initial == org["board"].pk


def test_escalating_the_barriers_opens_a_case_for_the_body(client, org, history):
    client.force_login(org["users"][Role.PROJECT_LEADER])
    report = history[2]
    response = client.post(
        reverse("portfolio:report_escalate", args=[report.pk]), {"body": org["board"].pk}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portfolio:report_detail", args=[report.pk])
    with scopes_disabled():
        steps = meeting_services.backlog(org["board"]).cases
    assert len(steps) == 1
    assert steps[0].case.description == "Mangler en udvikler."
    assert steps[0].arrived_on == timezone.localdate()


def test_a_report_without_barriers_cannot_be_escalated(client, org, history, english):
    client.force_login(org["users"][Role.PROJECT_LEADER])
    with scopes_disabled():
        cases_before = Case.objects.count()
    with translation.override("en"):
        response = client.post(
            reverse("portfolio:report_escalate", args=[history[0].pk]),
            {"body": org["board"].pk},
        )
    assert response.status_code == 422
    assert "names no barriers" in response.content.decode()
    with scopes_disabled():
        assert Case.objects.count() == cases_before


def test_a_closed_or_foreign_body_cannot_be_chosen(client, org, history, other_municipality):
    foreign = factories.body(other_municipality, "Fremmed gruppe")
    closed = factories.body(
        org["project"].municipality,
        "Lukket gruppe",
        closed_on=datetime.date(2020, 1, 1),
        closing_summary="Slut.",
    )
    client.force_login(org["users"][Role.PROJECT_LEADER])
    url = reverse("portfolio:report_escalate", args=[history[2].pk])
    for body in (foreign, closed):
        response = client.post(url, {"body": body.pk})
        assert response.status_code == 422
        assert "body" in response.context["form"].errors
    with scopes_disabled():
        assert Case.objects.count() == 0


@pytest.mark.parametrize("role", [Role.READER, Role.MEMBER])
def test_readers_and_members_may_not_escalate(client, org, history, role):
    client.force_login(org["users"][role])
    url = reverse("portfolio:report_escalate", args=[history[2].pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"body": org["board"].pk}).status_code == 403
    with scope(municipality=org["project"].municipality_id):
        assert Case.objects.count() == 0
