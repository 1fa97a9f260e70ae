"""The rules of the portfolio: colours, report periods, escalation into a body's backlog, gates,
and the latest status of many projects in a constant number of queries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from meetings import services as meeting_services
from meetings.models import Case, CaseStep
from organisation.models import BodyKind
from portfolio import services
from portfolio.models import (
    Colour,
    Phase,
    PhaseChange,
    Project,
    Risk,
    RiskStatus,
    StatusReport,
    level,
    next_report_due,
    worst,
)
from tests import factories

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def world():
    with scopes_disabled():
        municipality = factories.municipality()
        steering = factories.body(municipality, "Digitaliseringsstyregruppen")
        leader = factories.person(municipality, "Lise Leder")
        project = factories.project(municipality, "Borgerblikket", body=steering, leader=leader)
        with translation.override("en"):
            yield municipality, steering, project


def _report(project, start, end, **colours):
    values = {
        name: colours.get(name, Colour.GREEN)
        for name in ("schedule", "budget", "scope", "benefits", "resources")
    }
    return StatusReport(
        project=project,
        period_start=start,
        period_end=end,
        **values,
        overall=colours.get("overall", ""),
        override_reason=colours.get("override_reason", ""),
        needs_decision=colours.get("needs_decision", False),
        decision_request=colours.get("decision_request", ""),
        barriers=colours.get("barriers", ""),
    )


def test_worst_colour_is_the_most_severe():
    assert worst(Colour.GREEN, Colour.RED, Colour.YELLOW) == Colour.RED
    assert worst(Colour.GREEN, Colour.YELLOW) == Colour.YELLOW
    assert worst() == Colour.GREEN


def test_risk_levels_follow_the_score():
    assert [level(s) for s in (1, 4, 5, 14, 15, 25)] == [
        "green",
        "green",
        "yellow",
        "yellow",
        "red",
        "red",
    ]


def test_next_report_is_due_one_cycle_after_the_last_period(world):
    _, _, project = world
    project.report_cycle = 14
    assert next_report_due(project, datetime.date(2024, 3, 31)) == datetime.date(2024, 4, 14)
    assert next_report_due(project, None) == datetime.date(2024, 1, 15)  # from the start date
    project.start_date = None
    assert next_report_due(project, None) is None


def test_suggested_colour_is_the_worst_and_an_override_needs_a_reason(world):
    _, _, project = world
    report = _report(
        project,
        datetime.date(2024, 1, 1),
        datetime.date(2024, 1, 14),
        budget=Colour.YELLOW,
        overall=Colour.GREEN,
    )
    assert report.suggested == Colour.YELLOW
    assert report.overridden
    with scopes_disabled(), pytest.raises(ValidationError) as error:
        services.file_status_report(report)
    assert "override_reason" in error.value.message_dict
    assert not StatusReport.objects.exists()
    report.override_reason = "Budgettet er allerede genforhandlet."
    with scopes_disabled():
        services.file_status_report(report)
    assert report.colour == Colour.GREEN


def test_a_period_already_reported_is_refused(world):
    _, _, project = world
    with scopes_disabled():
        services.file_status_report(
            _report(project, datetime.date(2024, 1, 1), datetime.date(2024, 1, 14))
        )
        with pytest.raises(ValidationError) as error:
            services.file_status_report(
                _report(project, datetime.date(2024, 1, 10), datetime.date(2024, 1, 24))
            )
        assert "01-01-2024–14-01-2024" in error.value.message_dict["period_start"][0]
        assert StatusReport.objects.count() == 1
        # the next period, right after, is fine
        services.file_status_report(
            _report(project, datetime.date(2024, 1, 15), datetime.date(2024, 1, 28))
        )
        assert StatusReport.objects.count() == 2


def test_needs_a_decision_opens_a_case_in_the_governing_bodys_backlog(world):
    _, steering, project = world
    report = _report(
        project,
        datetime.date(2024, 1, 1),
        datetime.date(2024, 1, 14),
        needs_decision=True,
        decision_request="Skal vi udvide scope til Aula?",
    )
    with scopes_disabled():
        services.file_status_report(report)
        case = report.case
        assert case.number == f"PRJ-{timezone.localdate().year}-0001"
        assert case.description == "Skal vi udvide scope til Aula?"
        assert case.origin_url == f"/statusrapporter/{report.pk}/"
        step = CaseStep.objects.get(case=case)
        assert (step.body, step.arrived_on) == (steering, timezone.localdate())
        assert [s.case for s in meeting_services.backlog(steering).cases] == [case]


def test_needs_a_decision_without_a_governing_body_writes_nothing(world):
    municipality, _, _ = world
    with scopes_disabled():
        orphan = factories.project(municipality, "Uden organ")
        report = _report(
            orphan,
            datetime.date(2024, 1, 1),
            datetime.date(2024, 1, 14),
            needs_decision=True,
            decision_request="Hvem bestemmer?",
        )
        with pytest.raises(ValidationError) as error:
            services.file_status_report(report)
        assert "needs_decision" in error.value.message_dict
        assert not StatusReport.objects.exists() and not Case.objects.exists()


def test_needs_a_decision_without_the_question_is_refused(world):
    _, _, project = world
    report = _report(
        project, datetime.date(2024, 1, 1), datetime.date(2024, 1, 14), needs_decision=True
    )
    with scopes_disabled(), pytest.raises(ValidationError) as error:
        services.file_status_report(report)
    assert "decision_request" in error.value.message_dict


def test_case_numbers_count_up_within_the_year(world):
    _, steering, _ = world
    with scopes_disabled():
        first = services.open_case(
            title="A", description="", body=steering, origin_label="x", origin_url="/x/"
        )
        second = services.open_case(
            title="B", description="", body=steering, origin_label="y", origin_url="/y/"
        )
    assert int(second.number[-4:]) == int(first.number[-4:]) + 1


def test_a_closed_body_gets_no_cases(world):
    municipality, _, _ = world
    with scopes_disabled():
        closed = factories.body(municipality, "Lukket gruppe", closed_on=datetime.date(2020, 1, 1))
        with pytest.raises(ValidationError):
            services.open_case(
                title="A", description="", body=closed, origin_label="x", origin_url="/x/"
            )
        assert not Case.objects.exists()


def test_escalating_a_risk_puts_it_on_the_agenda_backlog_once(world):
    municipality, steering, project = world
    with scopes_disabled():
        risk = factories.risk(
            project,
            title="Leverandøren er forsinket",
            probability=4,
            impact=5,
            mitigation="Dagbøder",
        )
        case = services.escalate_risk(risk, steering)
        risk.refresh_from_db()
        assert (risk.escalated_to, risk.case) == (steering, case)
        assert "score 20" in case.description and "Dagbøder" in case.description
        assert case.origin_url.endswith("#risici")
        assert [s.case for s in meeting_services.backlog(steering).cases] == [case]
        with pytest.raises(ValidationError):
            services.escalate_risk(risk, steering)
        assert Case.objects.count() == 1


def test_a_closed_risk_is_not_escalated(world):
    _, steering, project = world
    with scopes_disabled():
        risk = factories.risk(project, status=RiskStatus.CLOSED)
        with pytest.raises(ValidationError):
            services.escalate_risk(risk, steering)
        assert not Case.objects.exists()


def test_a_portfolio_risk_links_back_to_the_register(world):
    municipality, steering, _ = world
    with scopes_disabled():
        risk = factories.risk(municipality=municipality, title="Mangel på udviklere")
        case = services.escalate_risk(risk, steering)
    assert case.origin_url == "/risici/"


def test_escalating_a_barrier_needs_one(world):
    _, steering, project = world
    with scopes_disabled():
        quiet = factories.status_report(project, datetime.date(2024, 1, 1))
        with pytest.raises(ValidationError):
            services.escalate_barrier(quiet, steering)
        loud = factories.status_report(
            project, datetime.date(2024, 2, 1), barriers="Leverandøren svarer ikke"
        )
        case = services.escalate_barrier(loud, steering)
        assert case.description == "Leverandøren svarer ikke"
        loud.refresh_from_db()
        assert loud.barrier_case == case
        with pytest.raises(ValidationError):
            services.escalate_barrier(loud, steering)
        assert Case.objects.count() == 1


def test_a_gate_moves_the_phase_and_records_the_decision(world):
    municipality, steering, project = world
    with scopes_disabled():
        meeting = factories.meeting(steering, datetime.date(2024, 5, 15))
        item = factories.item(meeting, "Godkendelse af Borgerblikket", decision="Godkendt")
        change = services.change_phase(project, Phase.REALISATION, decision=item, note="OK")
        project.refresh_from_db()
        assert project.phase == Phase.REALISATION
        assert (change.from_phase, change.to_phase, change.decision) == (
            Phase.IMPLEMENTATION,
            Phase.REALISATION,
            item,
        )
        with pytest.raises(ValidationError):
            services.change_phase(project, Phase.REALISATION)
        assert PhaseChange.objects.count() == 1


def test_a_gate_cannot_point_to_another_municipalitys_decision(world):
    _, _, project = world
    with scopes_disabled():
        other = factories.municipality()
        meeting = factories.meeting(factories.body(other, "Anden styregruppe"))
        item = factories.item(meeting, "Fremmed beslutning")
        with pytest.raises(ValidationError):
            services.change_phase(project, Phase.CLOSED, decision=item)
        project.refresh_from_db()
        assert project.phase == Phase.IMPLEMENTATION


def test_statuses_give_latest_previous_trend_and_lateness_in_constant_queries(world):
    municipality, steering, project = world
    today = datetime.date(2024, 6, 1)
    with scopes_disabled():
        factories.status_report(project, datetime.date(2024, 1, 1), colour=Colour.GREEN)
        factories.status_report(
            project, datetime.date(2024, 5, 1), datetime.date(2024, 5, 14), colour=Colour.RED
        )
        fresh = factories.project(municipality, "Frisk", report_cycle=91)
        factories.status_report(fresh, datetime.date(2024, 5, 1), datetime.date(2024, 5, 20))
        never = factories.project(municipality, "Aldrig", start_date=datetime.date(2024, 1, 1))
        closed = factories.project(municipality, "Lukket", phase=Phase.CLOSED)
        with CaptureQueriesContext(connection) as captured:
            rows = {s.project.name: s for s in services.statuses(Project.objects.all(), today)}
        assert len(captured) == 2
    borger = rows["Borgerblikket"]
    assert borger.latest.colour == Colour.RED and borger.previous.colour == Colour.GREEN
    assert borger.trend == services.Trend.WORSE
    assert not borger.late  # quarterly: due 13-08-2024
    assert rows["Frisk"].trend == services.Trend.NEW and not rows["Frisk"].late
    assert rows["Aldrig"].late and rows["Aldrig"].latest is None
    assert not rows[closed.name].late and never.is_active


def test_a_project_board_project_is_late_after_14_days(world):
    municipality, _, _ = world
    with scopes_disabled():
        board = factories.body(municipality, "Projektråd", kind=BodyKind.PROJECT_BOARD)
        project = factories.project(municipality, "Hurtig", body=board, report_cycle=14)
        factories.status_report(project, datetime.date(2024, 5, 1), datetime.date(2024, 5, 14))
        status = services.statuses(
            Project.objects.filter(pk=project.pk), datetime.date(2024, 5, 29)
        )[0]
        assert status.late and status.due == datetime.date(2024, 5, 28)


def test_a_risk_outside_1_to_5_is_refused_with_a_clear_message(world):
    _, _, project = world
    risk = Risk(
        project=project, title="Forkert", probability=6, impact=0, municipality=project.municipality
    )
    with pytest.raises(ValidationError) as error:
        risk.full_clean()
    assert error.value.message_dict["probability"][-1] == "The probability must be from 1 to 5."
    assert error.value.message_dict["impact"][-1] == "The impact must be from 1 to 5."


def test_the_latest_status_in_sql_agrees_with_statuses(world):
    """`with_latest_status` computes in SQL what `statuses` computes in Python: the colour in
    force of the latest report (overall, else the worst light) and whether a report is late,
    on the day it is due and the day after, for every report cycle."""
    municipality, _, project = world
    today = datetime.date(2024, 6, 1)
    d = datetime.date
    with scopes_disabled():
        factories.status_report(project, d(2024, 1, 1), colour=Colour.GREEN)
        factories.status_report(
            project, d(2024, 5, 1), d(2024, 5, 14), colour=Colour.GREEN, budget=Colour.YELLOW
        )
        overridden = factories.project(municipality, "Overstyret", report_cycle=14)
        factories.status_report(
            overridden,
            d(2024, 5, 4),
            d(2024, 5, 18),
            colour=Colour.RED,
            overall=Colour.YELLOW,
            override_reason="Styr på det",
        )
        due_today = factories.project(municipality, "Forfalder i dag", report_cycle=30)
        factories.status_report(
            due_today, d(2024, 4, 1), d(2024, 5, 2), colour=Colour.GREEN, resources=Colour.RED
        )
        due_yesterday = factories.project(municipality, "Forfaldt i går", report_cycle=30)
        factories.status_report(due_yesterday, d(2024, 4, 1), d(2024, 5, 1))
        factories.project(municipality, "Aldrig", start_date=d(2024, 1, 1), report_cycle=91)
        factories.project(municipality, "Ny", start_date=d(2024, 4, 1), report_cycle=91)
        factories.project(municipality, "Uden start", start_date=None)
        closed = factories.project(
            municipality, "Lukket", phase=Phase.CLOSED, start_date=d(2020, 1, 1)
        )
        factories.status_report(closed, d(2021, 1, 1), colour=Colour.RED)
        projects = Project.objects.all()
        in_python = {
            s.project.name: (s.latest.colour if s.latest else None, s.late)
            for s in services.statuses(projects, today)
        }
        in_sql = {
            p.name: (p.latest_colour, p.report_late)
            for p in services.with_latest_status(projects, today)
        }
    assert in_sql == in_python
    assert in_sql["Borgerblikket"] == (Colour.YELLOW, False)
    assert in_sql["Overstyret"] == (Colour.YELLOW, False)
    assert in_sql["Forfalder i dag"] == (Colour.RED, False)
    assert in_sql["Forfaldt i går"] == (Colour.GREEN, True)
    assert in_sql["Aldrig"] == (None, True) and in_sql["Ny"] == (None, False)
    assert in_sql["Uden start"] == (None, False) and in_sql["Lukket"] == (Colour.RED, False)


def test_an_implausible_date_is_refused_before_it_breaks_the_due_dates(world):
    _, _, project = world
    project.end_date = datetime.date(9999, 12, 31)
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert error.value.message_dict["end_date"] == ["End date: give a date in the years 2000–2100."]
