"""Keyboard workflows for status reports and the project board (axe on every page and swap)."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from core.models import Role
from meetings.models import CaseStep
from portfolio.models import Category, Phase, ReportCycle, StatusReport
from tests import factories
from tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


@pytest.fixture
def portfolio(municipality, users):
    """A steering group under the executive board; the leader's project reports every 14
    days (its latest report ended 20 days ago: late); a second project is green and fresh."""
    m = municipality
    with scopes_disabled():
        direktion = factories.body(m, "Direktionen")
        steering = factories.body(m, "Styregruppen for digitalisering", parent=direktion)
        unit = factories.unit(m, "Digitalisering og IT")
        leader = factories.person(
            m, "Lene Projektleder", "Projektleder", unit, user=users[Role.PROJECT_LEADER]
        )
        other = factories.person(m, "Ole Andersen", "Projektleder", unit)
        project = factories.project(
            m,
            "Borgerblikket",
            category=Category.NATIONAL,
            kombit=True,
            phase=Phase.IMPLEMENTATION,
            owning_unit=unit,
            leader=leader,
            body=steering,
            start_date=days(120),
            report_cycle=ReportCycle.BIWEEKLY,
        )
        fresh = factories.project(
            m,
            "Aula",
            owning_unit=unit,
            leader=other,
            body=steering,
            start_date=days(60),
            report_cycle=ReportCycle.BIWEEKLY,
        )
        factories.budget_year(project, TODAY.year, planned=1_200_000)
        benefit = factories.benefit(project, "Færre opkald")
        factories.plan(benefit, TODAY.year, 400_000)
    factories.status_report(
        project, days(33), days(20), colour="green", barriers="Mangler en arkitekt."
    )
    factories.status_report(fresh, days(13), days(0), colour="green")
    return {
        "project": project,
        "fresh": fresh,
        "steering": steering,
        "direktion": direktion,
        "leader": users[Role.PROJECT_LEADER],
    }


def _choose(page, htmx_swap, field: str, steps: int) -> None:
    """Tab into a radio group and choose with the keyboard: Space takes the first colour,
    each arrow the next one. Every change asks htmx for the suggested colour."""
    tab_to(page, f"#id_{field}_0")
    htmx_swap(lambda: page.keyboard.press("Space"))
    for _ in range(steps):
        htmx_swap(lambda: page.keyboard.press("ArrowDown"))
    assert page.locator(f"#id_{field}_{steps}").is_checked()


def test_leader_files_a_status_report_with_the_keyboard(
    page, portfolio, login, visit, submit, htmx_swap
):
    project = portfolio["project"]
    login(portfolio["leader"])
    visit(f"/projekter/{project.pk}/statusrapporter/ny/")
    # The period follows on from the latest report, for one cycle.
    assert page.locator("#id_period_start").input_value() == days(19).isoformat()
    assert (
        page.locator("#id_period_end").input_value()
        == (days(19) + datetime.timedelta(13)).isoformat()
    )

    _choose(page, htmx_swap, "schedule", 0)  # green
    assert "light-green" in page.locator("#suggested-colour").inner_html()
    _choose(page, htmx_swap, "budget", 1)  # yellow
    assert "light-yellow" in page.locator("#suggested-colour").inner_html()
    _choose(page, htmx_swap, "scope", 0)
    _choose(page, htmx_swap, "benefits", 0)
    _choose(page, htmx_swap, "resources", 2)  # red: the suggested colour is red
    assert "light-red" in page.locator("#suggested-colour").inner_html()

    # The overall colour: "suggested" is chosen; take green instead, without a reason first.
    tab_to(page, "#id_overall_0")
    assert page.locator("#id_overall_0").is_checked()
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_overall_1").is_checked()
    tab_to(page, "#id_progress")
    page.keyboard.type("Leverandøren har leveret første version.")
    tab_to(page, "#id_barriers")
    page.keyboard.type("Mangler en arkitekt.")
    tab_to(page, "#id_needs_decision")
    page.keyboard.press("Space")
    tab_to(page, "#id_decision_request")
    page.keyboard.type("Styregruppen bedes tilføre en arkitekt i tre måneder.")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"), status=422)
    assert page.locator("#id_override_reason_error").is_visible()
    assert page.locator("#id_override_reason").get_attribute("aria-invalid") == "true"
    with scopes_disabled():
        assert StatusReport.objects.filter(project=project).count() == 1
    # Nothing typed or chosen is lost.
    assert page.locator("#id_resources_2").is_checked()
    assert page.locator("#id_overall_1").is_checked()
    assert page.locator("#id_needs_decision").is_checked()

    tab_to(page, "#id_override_reason")
    page.keyboard.type("Arkitekten er lovet fra næste uge.")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.url.endswith(f"/projekter/{project.pk}/")

    with scopes_disabled():
        report = StatusReport.objects.select_related("case").get(
            project=project, period_start=days(19)
        )
        step = CaseStep.objects.get(case=report.case)
    assert (report.schedule, report.budget, report.resources) == ("green", "yellow", "red")
    assert report.overall == "green" and report.overridden
    assert step.body == portfolio["steering"] and step.arrived_on == TODAY
    assert report.case.number in page.locator("#messages").inner_text()

    # The board: the project is no longer late, and shows its overall colour and trend.
    visit("/projekttavle/")
    row = page.locator("tr", has=page.get_by_role("link", name="Borgerblikket"))
    assert row.locator(".board-status .light-green").count() == 1
    assert row.locator(".tag-late").count() == 0
    assert row.locator(".board-lights .light-red").count() == 1
    # The five lights side by side, in one line of the row.
    tops = row.locator(".board-lights li").evaluate_all(
        "items => items.map(li => Math.round(li.getBoundingClientRect().top))"
    )
    assert len(tops) == 5 and len(set(tops)) == 1, tops
    # The figures come before the projects.
    assert page.locator("#board-figures").bounding_box()["y"] < row.bounding_box()["y"]

    visit(f"/projekter/{project.pk}/statusrapporter/")
    assert page.locator(".report-table .badge").count() == 1  # the overridden report
    visit(f"/statusrapporter/{report.pk}/")
    assert page.get_by_role("link", name=report.case.number, exact=False).count() == 1


def test_leader_escalates_the_barriers(page, portfolio, login, visit, submit):
    project = portfolio["project"]
    with scopes_disabled():
        report = StatusReport.objects.get(project=project)
    login(portfolio["leader"])
    visit(f"/statusrapporter/{report.pk}/")
    tab_to(page, "main .actions button")
    submit(lambda: page.keyboard.press("Enter"))
    assert "/eskaler/" in page.url
    # The governing body's parent is proposed.
    assert page.locator("#id_body").input_value() == str(portfolio["direktion"].pk)
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.url.endswith(f"/statusrapporter/{report.pk}/")
    with scopes_disabled():
        step = CaseStep.objects.get(body=portfolio["direktion"])
    assert step.case.description == "Mangler en arkitekt."
    assert step.case.number in page.locator("#messages").inner_text()


def test_the_board_flags_late_reports_and_filters(page, portfolio, users, login, visit, submit):
    login(users[Role.READER])
    visit("/projekttavle/")
    late = page.locator("tr", has=page.get_by_role("link", name="Borgerblikket"))
    fresh = page.locator("tr", has=page.get_by_role("link", name="Aula"))
    assert late.locator(".tag-late").count() == 1
    assert fresh.locator(".tag-late").count() == 0
    # Late first.
    assert page.locator(".board-table tbody tr").first.inner_text().startswith("Borgerblikket")
    # Only late reports, with the keyboard.
    tab_to(page, "#id_sen")
    page.keyboard.press("Space")
    tab_to(page, "form.filters button")
    submit(lambda: page.keyboard.press("Enter"))
    assert "sen=on" in page.url
    assert page.locator(".board-table tbody tr").count() == 1
    visit(f"/projekter/{portfolio['fresh'].pk}/statusrapporter/")
