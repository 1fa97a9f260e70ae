"""The project leader keeps the project card with the keyboard (axe on every page)."""

import datetime

import pytest
from django_scopes import scopes_disabled

from core.models import Role
from meetings.models import MeetingState, Outcome
from organisation.models import BodyKind
from portfolio.models import Category, Phase, PhaseChange, Project
from tests import factories
from tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser


@pytest.fixture
def project(municipality, users):
    """A project led by the PROJECT_LEADER user, governed by a Project Board that approved
    going into procurement; with a status report, a milestone, a budget, a risk and a benefit."""
    with scopes_disabled():
        unit = factories.unit(municipality, "Digitalisering og IT")
        leader = factories.person(
            municipality, "Lise Projektleder", "Projektleder", unit, user=users[Role.PROJECT_LEADER]
        )
        owner = factories.person(municipality, "Søren Madsen", "Digitaliseringschef", unit)
        board = factories.body(municipality, "Projektboardet", BodyKind.PROJECT_BOARD)
        meeting = factories.meeting(board, datetime.date(2025, 3, 4), state=MeetingState.HELD)
        factories.item(
            meeting,
            "Udbud af ny hjemmeside",
            kind="decision",
            decision="Projektet går i udbud.",
            outcome=Outcome.TREATED,
        )
        meeting.state = MeetingState.MINUTES_APPROVED
        meeting.save()
        project = factories.project(
            municipality,
            "Ny hjemmeside",
            category=Category.CROSS_CUTTING,
            lighthouse=True,
            phase=Phase.ANALYSIS,
            owning_unit=unit,
            owner=owner,
            leader=leader,
            body=board,
            report_cycle=14,
            purpose="Borgerne finder svar selv.",
            start_date=datetime.date(2025, 1, 1),
            end_date=datetime.date(2026, 6, 30),
        )
        factories.status_report(
            project,
            datetime.date(2025, 1, 1),
            colour="green",
            schedule="yellow",
            progress="Analysen er færdig.",
        )
        factories.milestone(
            project, "Analyse færdig", datetime.date(2025, 2, 1), done_on=datetime.date(2025, 2, 1)
        )
        factories.milestone(project, "Kontrakt", datetime.date(2025, 3, 1))
        factories.budget_year(project, 2025, planned=1_250_000, spent=400_000)
        factories.budget_year(project, 2026, planned=600_000, spent=0)
        factories.risk(project, title="Leverandøren leverer for sent", probability=4, impact=4)
        benefit = factories.benefit(project, "Færre opkald", responsible=leader)
        factories.plan(benefit, 2026, 200_000)
    return project


def test_the_leader_edits_the_card_and_changes_the_phase(
    page, users, project, login, visit, submit
):
    login(users[Role.PROJECT_LEADER])
    visit("/projekter/")
    assert page.locator("main table.project-list tbody tr").count() == 1

    visit(f"/projekter/{project.pk}/")
    assert page.locator("main .phase-steps [aria-current=step]").count() == 1
    assert page.locator("main #risici").count() == 1
    assert (
        "1.250.000 kr."
        in page.locator("main #budget + .table--responsive-scroll table").inner_text()
    )

    # Edit the card: a change of the scope, saved with Enter.
    tab_to(page, f"main a[href='/projekter/{project.pk}/rediger/']")
    submit(lambda: page.keyboard.press("Enter"))
    tab_to(page, "#id_scope")
    page.keyboard.type("Hele kommunens hjemmeside og selvbetjening.")
    # A bad end date first: an error, nothing saved.
    page.fill("#id_end_date", "2024-12-31")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"), status=422)
    assert page.locator("#id_end_date_error").is_visible()
    page.fill("#id_end_date", "2026-06-30")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.url.endswith(f"/projekter/{project.pk}/")
    assert "Hele kommunens hjemmeside" in page.locator("main").inner_text()

    # The gate, with the keyboard only: the next phase is chosen already; pick the decision.
    tab_to(page, f"main a[href='/projekter/{project.pk}/fase/']")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.locator("#id_to_phase").input_value() == Phase.PROCUREMENT
    tab_to(page, "#id_decision")
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_decision").input_value() != ""
    tab_to(page, "#id_note")
    page.keyboard.type("Styregruppen godkendte udbuddet.")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.url.endswith(f"/projekter/{project.pk}/#fasehistorik")
    history = page.locator("main #fasehistorik + .table--responsive-scroll table").inner_text()
    assert "Projektboardet 04-03-2025: Udbud af ny hjemmeside" in history
    with scopes_disabled():
        project = Project.objects.get(pk=project.pk)
        change = PhaseChange.objects.get(project=project)
    assert project.phase == Phase.PROCUREMENT
    assert project.scope == "Hele kommunens hjemmeside og selvbetjening."
    assert change.note == "Styregruppen godkendte udbuddet."

    visit(f"/projekter/{project.pk}/historik/")
    assert page.locator("main table tbody tr").count() >= 3


def test_the_leader_keeps_milestones_and_budget(page, users, project, login, visit, submit):
    login(users[Role.PROJECT_LEADER])
    visit(f"/projekter/{project.pk}/milepaele/")
    # Delete the first milestone (space ticks the box) and add one.
    tab_to(page, "#id_milepaele-0-DELETE")
    page.keyboard.press("Space")
    assert page.locator("#id_milepaele-0-DELETE").is_checked()
    tab_to(page, "#id_milepaele-2-title")
    page.keyboard.type("Go live")
    page.fill("#id_milepaele-2-due_date", "2026-05-01")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    milestones = page.locator("main #milepaele + .table--responsive-scroll table").inner_text()
    assert "Go live" in milestones and "Analyse færdig" not in milestones

    visit(f"/projekter/{project.pk}/budget/")
    # The same year twice: refused, nothing saved.
    page.fill("#id_budget-2-year", "2025")
    page.fill("#id_budget-2-planned", "10")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"), status=422)
    assert page.locator("main .alert-error").is_visible()
    page.fill("#id_budget-2-year", "2027")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    assert "2027" in page.locator("main #budget + .table--responsive-scroll table").inner_text()


def test_the_secretary_creates_a_project(page, users, project, login, visit, submit):
    login(users[Role.SECRETARY])
    visit("/projekter/")
    tab_to(page, "main a[href='/projekter/ny/']")
    submit(lambda: page.keyboard.press("Enter"))
    tab_to(page, "#id_name")
    page.keyboard.type("Chatbot")
    page.select_option("#id_category", Category.LOCAL)
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.locator("main h1").inner_text() == "Chatbot"
