"""Benefit realisation in the browser: record a measurement with the keyboard as the
responsible leader, create a benefit with its plan, and axe on every page on the way."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from benefits.models import Benefit, BenefitMeasurement, BenefitType
from core.models import Role
from portfolio.models import Phase
from tests import factories
from tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser


@pytest.fixture
def harvest(org, users):
    """A closed project whose benefit is still being harvested, answered for by a leader who
    does not keep the project (a reader with a person), and an active project led by the
    project leader."""
    with scopes_disabled():
        m = org.municipality
        bente = factories.person(
            m, "Bente Ansvarlig", "Afdelingsleder", org.units["aeldre"], user=users[Role.READER]
        )
        leader = factories.person(
            m,
            "Lasse Projektleder",
            "Projektleder",
            org.units["digi"],
            user=users[Role.PROJECT_LEADER],
        )
        closed = factories.project(
            m, "Digital post", phase=Phase.CLOSED, leader=org.people["konsulent"], body=org.steering
        )
        benefit = factories.benefit(
            closed,
            "Sparet porto",
            responsible=bente,
            baseline_date=datetime.date(2024, 1, 1),
            measurement_method="Fakturaer fra postleverandøren, sammenlignet med 2023.",
        )
        year = timezone.localdate().year
        factories.plan(benefit, year - 1, 400_000)
        factories.plan(benefit, year, 600_000)
        factories.measurement(benefit, datetime.date(year - 1, 6, 30), 180_000)
        qualitative = factories.benefit(
            closed,
            "Andel digitale breve",
            type=BenefitType.QUALITATIVE,
            unit="%",
            accumulates=False,
            baseline_value=60,
            target_value=None,
            target_date=None,
            responsible=None,
        )
        factories.measurement(qualitative, datetime.date(year - 1, 12, 1), 87)
        active = factories.project(m, "Ny hjemmeside", leader=leader, body=org.steering)
    return {"benefit": benefit, "closed": closed, "active": active, "bente": bente}


def test_the_responsible_leader_records_a_measurement_with_the_keyboard(
    page, org, users, harvest, login, visit, submit
):
    benefit = harvest["benefit"]
    login(users[Role.READER])
    visit("/gevinster/")
    assert page.locator("#attention-heading").is_visible()
    visit(f"/gevinster/{benefit.pk}/")
    tab_to(page, f"main a.button[href='/gevinster/{benefit.pk}/maaling/']")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.locator("#id_unit").input_value() == "kr."
    assert page.locator("#id_measured_on").input_value() == timezone.localdate().isoformat()

    # Another unit: refused with the model's clear message, nothing written.
    tab_to(page, "#id_value")
    page.keyboard.type("1.250.000")
    tab_to(page, "#id_unit")
    page.keyboard.press("Control+A")
    page.keyboard.type("timer")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"), status=422)
    assert page.locator("#id_unit").get_attribute("aria-invalid") == "true"
    assert "kr." in page.locator("#id_unit_error").inner_text()
    with scopes_disabled():
        assert BenefitMeasurement.objects.filter(benefit=benefit).count() == 1

    tab_to(page, "#id_unit")
    page.keyboard.press("Control+A")
    page.keyboard.type("kr.")
    assert page.locator("#id_value").input_value() == "1.250.000"
    tab_to(page, "#id_note")
    page.keyboard.type("Første kvartal efter lukning")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.url.endswith(f"/gevinster/{benefit.pk}/")
    assert page.locator("#messages").inner_text().strip()

    # The chart's table (behind its disclosure) has this year's realisation.
    figure = page.locator("#years-heading ~ .benefit-chart figure.chart").first
    tab_to(page, "#years-heading ~ .benefit-chart figure.chart summary")
    page.keyboard.press("Enter")
    row = figure.locator("tbody tr", has_text=str(timezone.localdate().year))
    assert "1.250.000" in row.inner_text()
    assert "600.000" in row.inner_text()
    with scopes_disabled():
        measurement = BenefitMeasurement.objects.filter(benefit=benefit).latest("pk")
    assert measurement.recorded_by == users[Role.READER]
    assert (
        "Første kvartal efter lukning"
        in page.locator("#measurements-heading ~ .table--responsive-scroll table").inner_text()
    )
    # She answers for the benefit but does not keep the project: no edit button.
    assert page.locator(f"main a[href='/gevinster/{benefit.pk}/rediger/']").count() == 0

    # The history has her measurement, with the value she typed.
    tab_to(page, f"main a[href='/gevinster/{benefit.pk}/historik/']")
    submit(lambda: page.keyboard.press("Enter"))
    history = page.locator("main table").inner_text()
    assert "Gevinsten" in history and "1.250.000 kr." in history


def test_a_project_leader_creates_a_benefit_with_two_plan_years(
    page, org, users, harvest, login, visit, submit, type_date
):
    project = harvest["active"]
    login(users[Role.PROJECT_LEADER])
    visit(f"/projekter/{project.pk}/gevinster/")
    tab_to(page, f"main a[href='/projekter/{project.pk}/gevinster/ny/']")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.locator("#id_unit").input_value() == "kr."

    tab_to(page, "#id_title")
    page.keyboard.type("Færre telefonopkald")
    page.select_option("#id_type", BenefitType.NON_BUDGET)
    tab_to(page, "#id_baseline_value")
    page.keyboard.type("0")
    type_date("#id_baseline_date", datetime.date(2025, 1, 1))
    tab_to(page, "#id_target_value")
    page.keyboard.type("750.000")
    # The target before the baseline: refused, nothing written.
    type_date("#id_target_date", datetime.date(2024, 12, 31))
    tab_to(page, "#id_plan-0-year")
    page.keyboard.type("2026")
    tab_to(page, "#id_plan-0-planned")
    page.keyboard.type("250.000")
    tab_to(page, "#id_plan-1-year")
    page.keyboard.type("2027")
    tab_to(page, "#id_plan-1-planned")
    page.keyboard.type("500.000,50")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"), status=422)
    assert page.locator("#id_target_date").get_attribute("aria-invalid") == "true"
    with scopes_disabled():
        assert not Benefit.objects.filter(title="Færre telefonopkald").exists()
    assert page.locator("#id_plan-1-planned").input_value() == "500.000,50", "nothing typed is lost"

    type_date("#id_target_date", datetime.date(2027, 12, 31))
    page.select_option("#id_responsible", str(harvest["bente"].pk))
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    with scopes_disabled():
        benefit = Benefit.objects.get(title="Færre telefonopkald")
        assert sorted(benefit.plans.values_list("year", flat=True)) == [2026, 2027]
    assert page.url.endswith(f"/gevinster/{benefit.pk}/")
    years = page.locator("#years-heading ~ .table--responsive-scroll table").inner_text()
    assert "250.000" in years and "500.000,5" in years

    visit(f"/projekter/{project.pk}/gevinster/")
    assert page.get_by_role("heading", name="Færre telefonopkald").is_visible()
    visit(f"/gevinster/{benefit.pk}/rediger/")
    assert page.locator("#id_plan-1-planned").input_value() == "500.000,5"


def test_the_overview_filters_and_the_closed_projects_benefits(
    page, org, users, harvest, login, visit, submit
):
    login(org.admin)
    visit("/gevinster/")
    assert page.get_by_role("link", name="Sparet porto").first.is_visible()
    page.select_option("#id_fase", "closed")
    tab_to(page, "main form[role=search] button[type=submit]")
    submit(lambda: page.keyboard.press("Enter"))
    assert "fase=closed" in page.url
    assert page.locator("#all-heading").inner_text().endswith("(2)")
    page.select_option("#id_flag", "no_owner")
    tab_to(page, "main form[role=search] button[type=submit]")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.locator("#all-heading").inner_text().endswith("(1)")
    visit(f"/projekter/{harvest['closed'].pk}/gevinster/")


def test_a_long_overview_pages_and_opens_a_whole_attention_group_with_the_keyboard(
    page, org, users, login, visit, submit
):
    from benefits.views import ATTENTION_SHOWN, PAGE_SIZE

    with scopes_disabled():
        project = factories.project(org.municipality, "Mange gevinster", body=org.steering)
        for i in range(PAGE_SIZE + 5):
            factories.benefit(project, f"Gevinst {i:02d}", responsible=None)
    login(org.admin)
    visit("/gevinster/")
    assert (
        page.locator("div[aria-labelledby=attention-no_owner] tbody tr").count() == ATTENTION_SHOWN
    )
    tab_to(page, "main a[href*='flag=no_owner']")
    submit(lambda: page.keyboard.press("Enter"))
    assert "flag=no_owner" in page.url
    assert page.locator("#all-heading").inner_text().endswith(f"({PAGE_SIZE + 5})")
    assert page.locator(".benefit-table tbody tr").count() == PAGE_SIZE
    tab_to(page, "nav.pagination a[href*='side=2']")
    submit(lambda: page.keyboard.press("Enter"))
    assert "flag=no_owner" in page.url and "side=2" in page.url
    assert page.locator(".benefit-table tbody tr").count() == 5
