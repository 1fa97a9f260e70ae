"""The demo portfolio: idempotent, the seeds' projects with their categories, a portfolio
that shows what the product checks (late reports, a decision, escalations), and invented dates
that follow the day the demo is loaded (`core.demo_clock`). The projects' benefits are
benefits.demo's (benefits/tests/test_demo.py)."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from core.demo_clock import Clock
from core.models import Municipality, User
from core.permissions import has_perm
from meetings import demo_year
from meetings.models import Case
from meetings.services import backlog
from organisation import demo
from organisation.models import Body
from portfolio import demo as portfolio_demo
from portfolio.models import (
    BudgetYear,
    Category,
    Milestone,
    Phase,
    PhaseChange,
    Project,
    ReportCycle,
    Risk,
    StatusReport,
)
from portfolio.services import statuses
from tests.once import once_per_module

pytestmark = pytest.mark.django_db

MODELS = [
    Project,
    PhaseChange,
    Milestone,
    BudgetYear,
    StatusReport,
    Risk,
    Case,
]

# The projects the seeds name, with the category the seeds' wording gives them.
SEED_PROJECTS = {
    "Aula": Category.NATIONAL,
    "Fasit": Category.NATIONAL,
    "Borgerblikket": Category.NATIONAL,
    "Grunddataprogrammet": Category.NATIONAL,
    "Ydelsesrefusionssystem": Category.NATIONAL,
    "Samarbejdsplatform på skole- og dagtilbudsområdet": Category.NATIONAL,
    "Bibliotekssystem": Category.NATIONAL,
    "Office 365 og Teams": Category.CROSS_CUTTING,
    "Nyt intranet": Category.CROSS_CUTTING,
    "Konferencelokaler med virtuelt udstyr": Category.CROSS_CUTTING,
    "Webinarløsning": Category.CROSS_CUTTING,
    "Schrems II – overførsel af data til tredjelande": Category.CROSS_CUTTING,
    "Monopolbrud": Category.CROSS_CUTTING,
    "Mobil- og bredbåndsdækning": Category.CROSS_CUTTING,
    "BRA/Smart": Category.CROSS_CUTTING,
    "Printløsninger": Category.CROSS_MUNICIPAL,
    "Telefoniløsning": Category.CROSS_MUNICIPAL,
    "Talegenkendelse": Category.LOCAL,
    "Udnyttelse af velfærdsteknologi": Category.LOCAL,
}
LATE = {"Konferencelokaler med virtuelt udstyr", "Mobil- og bredbåndsdækning", "Printløsninger"}
PROGRAMME = demo_year.NORDDJURS_BODIES[demo_year.PG]
STEERING = demo_year.NORDDJURS_BODIES[demo_year.DSG]


def _counts() -> dict[str, int]:
    with scopes_disabled():
        counts = {model.__name__: model.objects.count() for model in MODELS}
        counts.update({f"{model.__name__}.history": model.history.count() for model in MODELS})
    return counts


def _load_portfolios() -> dict[str, dict]:
    with scopes_disabled():
        return {
            slug: portfolio_demo.load_portfolio(Municipality.objects.get(slug=slug))
            for slug in (portfolio_demo.NORDDJURS, portfolio_demo.VEST)
        }


@once_per_module(history=True)
def norddjurs():
    """The organisation, meetings and portfolio demos, loaded once for the module."""
    demo.load()
    for slug in (demo_year.NORDDJURS, demo_year.VEST):
        demo_year.load_year(Municipality.objects.get(slug=slug))
    _load_portfolios()
    return Municipality.objects.get(slug=portfolio_demo.NORDDJURS)


def _projects(municipality):
    return Project.objects.filter(municipality=municipality)


def assert_the_portfolio_follows(clock: Clock, others: frozenset = frozenset()) -> None:
    """Every demo project is its spec, written for 2024, moved by `clock`: its number, its
    dates, gates, milestones, budget years and risks; nothing invented stays in the written
    years, no project still in progress has its end date behind it, and a milestone in the
    past is done or one of the late ones the spec asks for (written as days before today).
    `others`: the names of projects another demo made (a proposal's project)."""
    today = clock.today
    last_year = clock.year(2024)
    assert last_year == today.year - 1

    def date(written):
        if isinstance(written, int):
            return today + datetime.timedelta(days=written)
        day = portfolio_demo.moved(clock, written)
        if isinstance(written, portfolio_demo.SeedDate):  # a seed's date stays
            assert day == written
        elif written is not None and written >= portfolio_demo.WINDOW_FROM:
            assert day == clock.date(written) and day.year >= last_year, written
        else:  # the projects' history stays
            assert day == written
        return day

    with scopes_disabled():
        for slug, plan in portfolio_demo.PLANS.items():
            projects = {p.name: p for p in Project.objects.filter(municipality__slug=slug)}
            assert set(projects) - others == {spec.name for spec in plan["projects"]}, slug
            for spec in plan["projects"]:
                project = projects[spec.name]
                assert project.code == clock.text(spec.code) and "{" not in project.code
                if "{Y" in spec.code:  # an invented number has the year of the start
                    start = project.start_date or datetime.date(today.year + 1, 1, 1)  # an idea
                    assert project.code.split("-")[1] == str(start.year), spec.name
                assert project.start_date == date(spec.start), spec.name
                assert project.end_date == date(spec.end), spec.name
                gates = [date(gate.on) for gate in spec.gates]
                assert list(
                    project.phase_changes.order_by("pk").values_list("decided_on", flat=True)
                ) == [day for day in gates if day <= today], spec.name
                assert sorted(project.budget_years.values_list("year", flat=True)) == sorted(
                    clock.year(year) for year, _ in spec.budget
                )
                if project.is_active and project.end_date is not None:
                    assert project.end_date > today, spec.name
                milestones = {m.title: m for m in project.milestones.all()}
                for written in spec.milestones:
                    milestone = milestones[written.title]
                    assert milestone.due_date == date(written.due), written.title
                    done = None if written.done is None else date(written.done)
                    assert milestone.done_on == (done if done and done <= today else None)
                    if milestone.due_date < today and milestone.done_on is None:
                        assert isinstance(written.due, int), written.title  # deliberately late
                risks = {r.title: r for r in project.risks.all()}
                for written in spec.risks:
                    assert risks[written.title].identified_on == min(
                        date(written.identified), today
                    )
        reports = StatusReport.objects.filter(municipality__slug__in=portfolio_demo.PLANS)
        assert reports.exists()
        assert min(r.period_start for r in reports) >= portfolio_demo.reports_from(clock)
        assert portfolio_demo.reports_from(clock) == datetime.date(last_year, 1, 1)
        assert max(r.reported_on for r in reports) <= today
        # the newest report ends a few weeks before today at the most
        assert today - max(r.period_end for r in reports) <= datetime.timedelta(weeks=6)


def test_loading_twice_changes_nothing(norddjurs):
    counts = _counts()
    assert counts["Project"] == len(portfolio_demo.NORDDJURS_PROJECTS) + len(
        portfolio_demo.VEST_PROJECTS
    )
    out = io.StringIO()
    with scopes_disabled():
        again = portfolio_demo.load_portfolio(norddjurs, stdout=out)
    assert again == {} and _load_portfolios() == {
        portfolio_demo.NORDDJURS: {},
        portfolio_demo.VEST: {},
    }
    assert _counts() == counts
    assert "intet ændret" in out.getvalue()


def test_the_seeds_projects_with_their_categories(norddjurs):
    with scopes_disabled():
        projects = {p.name: p for p in _projects(norddjurs)}
        for name, category in SEED_PROJECTS.items():
            assert projects[name].category == category, name
            project = projects[name]
            project.full_clean()
        assert {n for n, p in projects.items() if p.lighthouse} == {
            "Aula",
            "Fasit",
            "Borgerblikket",
            "Office 365 og Teams",
            "Nyt intranet",
        }
        assert all(p.category == Category.NATIONAL for p in projects.values() if p.kombit)
        assert projects["Aula"].kombit and projects["Borgerblikket"].kombit
        # the project groups of seed 003 govern their projects, which report every 14 days
        for name, body in (
            ("Monopolbrud", "monopolbrud"),
            ("BRA/Smart", "BRA/Smart"),
            ("Mobil- og bredbåndsdækning", "mobil- og bredbånd"),
        ):
            assert projects[name].body.name.endswith(body), name
            assert projects[name].report_cycle == ReportCycle.BIWEEKLY
        assert projects["Nyt intranet"].body.name == "Project Board"
        assert projects["Nyt intranet"].report_cycle == ReportCycle.BIWEEKLY
        assert projects["Aula"].body.name == PROGRAMME
        assert projects["Aula"].report_cycle == ReportCycle.QUARTERLY
        # every phase is represented
        assert {p.phase for p in projects.values()} == set(Phase.values)
        # the Vest demo stays in its own municipality
        assert not any("(demo)" in name for name in projects)


def test_reports_are_alive_and_three_projects_are_late(norddjurs):
    today = timezone.localdate()
    with scopes_disabled():
        rows = statuses(_projects(norddjurs).order_by("pk"), today)
        late = {row.project.name for row in rows if row.late}
        assert late == LATE
        current = [row for row in rows if row.project.is_active and row.latest and not row.late]
        assert len(current) >= 8
        for row in current:
            assert today - row.latest.period_end < datetime.timedelta(days=row.project.report_cycle)
            assert row.latest.period_end < today
        assert {row.latest.colour for row in rows if row.latest} == {"green", "yellow", "red"}
        for report in StatusReport.objects.filter(municipality=norddjurs):
            report.full_clean()
            assert report.period_start >= datetime.date(today.year - 1, 1, 1)
            assert report.reported_on <= today
        overridden = [
            r for r in StatusReport.objects.filter(municipality=norddjurs) if r.overridden
        ]
        assert len(overridden) == 1 and overridden[0].override_reason


def test_a_report_needs_a_decision_of_the_programme_group(norddjurs):
    with scopes_disabled():
        report = StatusReport.objects.get(municipality=norddjurs, needs_decision=True)
        assert report.project.name == "Borgerblikket"
        assert report.case is not None and report.reported_by.username == "projektleder"
        programme = Body.objects.get(municipality=norddjurs, name=PROGRAMME)
        waiting = [step.case_id for step in backlog(programme).cases]
        assert report.case_id in waiting
        assert "Borgerblikket" in report.case.title
        # the barriers of the late conference rooms project are on the same backlog
        barrier = StatusReport.objects.get(municipality=norddjurs, barrier_case__isnull=False)
        assert barrier.project.name == "Konferencelokaler med virtuelt udstyr"
        assert barrier.barriers and barrier.barrier_case_id in waiting


def test_the_invented_dates_follow_today(norddjurs):
    assert_the_portfolio_follows(Clock())


def test_risks_are_escalated_to_the_steering_group(norddjurs):
    with scopes_disabled():
        steering = Body.objects.get(municipality=norddjurs, name=STEERING)
        escalated = list(Risk.objects.filter(municipality=norddjurs, escalated_to=steering))
        assert len(escalated) == 3
        assert any(r.project_id is None for r in escalated)
        waiting = {step.case_id for step in backlog(steering).cases}
        assert {r.case_id for r in escalated} <= waiting
        assert Risk.objects.filter(municipality=norddjurs, project=None).count() == 2
        assert Risk.objects.filter(municipality=norddjurs).count() >= 15


def test_gates_point_at_the_meetings_decisions(norddjurs):
    with scopes_disabled():
        gates = PhaseChange.objects.filter(municipality=norddjurs, decision__isnull=False)
        decided = {g.project.name: g.decision.title for g in gates}
        assert decided["Nyt intranet"] == "Nyt intranet – udbud"
        assert decided["Aula"] == "Aula – evaluering"
        assert len(decided) >= 5
        for gate in gates:
            assert gate.decision.meeting.date == gate.decided_on
            assert gate.decision.municipality_id == norddjurs.pk


def test_the_project_leader_login_leads_three_projects(norddjurs):
    with scopes_disabled():
        leader = User.objects.get(username="projektleder")
        reader = User.objects.get(username="laeser")
        led = _projects(norddjurs).filter(leader__user=leader)
        assert set(led.values_list("name", flat=True)) == {
            "Nyt intranet",
            "Borgerblikket",
            "Monopolbrud",
        }
        for project in led:
            assert has_perm(leader, "portfolio.edit_project", project)
            assert not has_perm(reader, "portfolio.edit_project", project)
        owner = User.objects.get(username="tonny")
        assert _projects(norddjurs).filter(owner__user=owner).count() >= 5


def test_the_portfolio_pages_show_the_demo(norddjurs, client):
    with scopes_disabled():
        client.force_login(User.objects.get(username="projektleder"))
        intranet = Project.objects.get(municipality=norddjurs, name="Nyt intranet")
    for url_name, args, text in (
        ("portfolio:board", [], "Konferencelokaler med virtuelt udstyr"),
        ("portfolio:project_list", [], "Borgerblikket"),
        ("portfolio:project_detail", [intranet.pk], "Nyt intranet – udbud"),
        ("portfolio:risk_list", [], "For få projektledere til porteføljen (demo)"),
    ):
        response = client.get(reverse(url_name, args=args))
        assert response.status_code == 200, url_name
        assert text in response.content.decode(), url_name
