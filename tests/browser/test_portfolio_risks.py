"""Keyboard workflow of the risk register: a project leader adds a risk with the radio groups,
finds it in the heat map and escalates it to the steering group (axe on every page)."""

import pytest
from django_scopes import scopes_disabled

from core.models import Role
from meetings.services import backlog
from portfolio.models import Category, Phase, Risk
from tests import factories
from tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser


@pytest.fixture
def project(org, users):
    """A project of the steering group, led by the PROJECT_LEADER user, with a portfolio risk
    beside it (which the leader may read but not change)."""
    with scopes_disabled():
        leader = factories.person(
            org.municipality,
            "Lise Projektleder",
            "Projektleder",
            org.units["digi"],
            user=users[Role.PROJECT_LEADER],
        )
        project = factories.project(
            org.municipality,
            "Ny hjemmeside",
            category=Category.CROSS_CUTTING,
            phase=Phase.IMPLEMENTATION,
            leader=leader,
            body=org.steering,
        )
        factories.risk(
            municipality=org.municipality, title="Mangel på udviklere", probability=3, impact=3
        )
    return project


def test_leader_adds_a_risk_and_escalates_it(page, org, users, project, login, visit, submit):
    login(users[Role.PROJECT_LEADER])
    visit(f"/risici/?projekt={project.pk}")
    assert page.locator(".risk-heatmap caption").is_visible()
    assert page.locator(".risk-heat-cell a").count() == 0  # the project has no risks yet

    tab_to(page, f"a[href^='/projekter/{project.pk}/risici/ny/']")
    submit(lambda: page.keyboard.press("Enter"))

    # Nothing chosen: the radio groups say what is missing, nothing is written.
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"), status=422)
    assert page.locator("#id_probability_error").is_visible()
    assert page.locator("#id_impact_error").is_visible()

    tab_to(page, "#id_title")
    page.keyboard.type("Leverandøren leverer for sent")
    # A radio group: Tab into it, the arrow keys choose (probability 4, impact 5).
    tab_to(page, "#id_probability_0")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert page.locator("#id_probability_3").is_checked()
    tab_to(page, "#id_impact_0")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    assert page.locator("#id_impact_4").is_checked()
    tab_to(page, "#id_mitigation")
    page.keyboard.type("Bod i kontrakten og ugentlige statusmøder.")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))

    # Back on the register: the risk is in the heat map, red, in the cell 4 × 5.
    assert f"projekt={project.pk}" in page.url
    cell = page.locator(
        ".risk-heatmap tbody tr:nth-child(2) td:nth-child(6)"
    )  # probability 4, impact 5
    assert "risk-heat-red" in cell.get_attribute("class")
    assert cell.locator("a").inner_text().startswith("1")
    with scopes_disabled():
        risk = Risk.objects.get(title="Leverandøren leverer for sent")
    assert (risk.project_id, risk.probability, risk.impact) == (project.pk, 4, 5)

    # The cell's count shows the risks of that cell.
    tab_to(page, ".risk-heat-cell a")
    submit(lambda: page.keyboard.press("Enter"))
    assert "sandsynlighed=4" in page.url and "konsekvens=5" in page.url
    assert page.locator(".risk-table tbody tr").count() == 1

    # Escalate it: the steering group, the project's governing body, is proposed.
    tab_to(page, f"a[href^='/risici/{risk.pk}/eskaler/']")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.locator("#id_body").input_value() == str(org.steering.pk)
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))

    with scopes_disabled():
        risk.refresh_from_db()
        waiting = [step.case_id for step in backlog(org.steering).cases]
    assert risk.escalated_to_id == org.steering.pk
    assert risk.case_id in waiting
    assert risk.case.number in page.locator("#messages").inner_text()
    assert page.locator(f"a[href='/sager/{risk.case_id}/']").count() == 1

    # Its history: created, then escalated, with the body by its name.
    visit(f"/historik/risiko/{risk.pk}/")
    assert org.steering.name in page.locator("main").inner_text()
