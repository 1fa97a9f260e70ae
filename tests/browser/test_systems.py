"""The register of IT systems in the browser: axe on the list, a system's page and every form
(also with errors), and the main flow by keyboard: add a system, then send its missing DPIA to
the steering group's list from the red flag."""

import datetime

import pytest
from django_scopes import scopes_disabled

from core.models import Role
from meetings.models import Case
from tests import factories
from tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser


@pytest.fixture
def register(org):
    with scopes_disabled():
        supplier = factories.supplier(org.municipality, "Systematic")
        usage = factories.system_usage(
            org.municipality,
            "Columna CIS",
            supplier=supplier,
            owner=org.people["okonomichef"],
            body=org.steering,
            criticality="critical",
            personal_data=["sensitive", "cpr"],
            hosting="external",
        )
        contract = factories.contract(
            org.municipality,
            "Driftskontrakt",
            usages=[usage],
            supplier=supplier,
            start=datetime.date(2020, 1, 1),
            end=datetime.date(2030, 12, 31),
            notice_months=6,
        )
        agreement = factories.agreement(
            org.municipality,
            "Databehandleraftale Systematic",
            usages=[usage],
            processor=supplier,
            third_countries="USA",
            transfer_basis="scc",
        )
        factories.supervision(agreement)
        assessment = factories.assessment(usage)
        from systems.models import SystemProject

        project = factories.project(org.municipality, "Ny omsorgsjournal")
        link = SystemProject.objects.create(
            municipality=org.municipality, usage=usage, project=project
        )
    return {
        "usage": usage,
        "contract": contract,
        "agreement": agreement,
        "assessment": assessment,
        "link": link,
        "project": project,
    }


def test_every_page_of_the_register_passes_axe(page, org, users, register, login, visit, submit):
    login(users[Role.SECRETARY])
    usage, contract, agreement = register["usage"], register["contract"], register["agreement"]
    for path in (
        "/systemer/",
        "/systemer/?flag=ja&kritikalitet=critical&persondata=cpr",
        f"/systemer/{usage.pk}/",
        "/systemer/ny/",
        f"/systemer/{usage.pk}/rediger/",
        f"/systemer/{usage.pk}/eskaler/",
        f"/systemer/{usage.pk}/kontrakter/ny/",
        f"/systemer/kontrakter/{contract.pk}/rediger/",
        f"/systemer/{usage.pk}/databehandleraftaler/ny/",
        f"/systemer/databehandleraftaler/{agreement.pk}/rediger/",
        f"/systemer/databehandleraftaler/{agreement.pk}/tilsyn/ny/",
        f"/systemer/{usage.pk}/vurderinger/ny/",
        f"/systemer/vurderinger/{register['assessment'].pk}/rediger/",
        f"/systemer/{usage.pk}/projekter/ny/",
        f"/systemer/projektlinks/{register['link'].pk}/rediger/",
        f"/projekter/{register['project'].pk}/",
        f"/historik/system/{usage.pk}/",
    ):
        visit(path)
    # Forms with errors: the messages pass axe too.
    visit(f"/systemer/kontrakter/{contract.pk}/rediger/")
    page.fill("#id_end", "2019-01-01")
    submit(lambda: page.click("main form[method=post] button.button-primary"), status=422)
    assert page.locator("#id_end_error").is_visible()
    visit(f"/systemer/{usage.pk}/databehandleraftaler/ny/")
    page.fill("#id_name", "Ny aftale")
    page.fill("#id_third_countries", "Indien")
    submit(lambda: page.click("main form[method=post] button.button-primary"), status=422)
    assert page.locator("#id_transfer_basis_error").is_visible()
    visit("/systemer/ny/")
    submit(lambda: page.click("main form[method=post] button.button-primary"), status=422)
    assert page.locator("#id_system_error").is_visible()


def test_add_a_system_and_send_its_missing_dpia_to_the_list_by_keyboard(
    page, org, users, login, visit, submit
):
    login(users[Role.SECRETARY])
    visit("/systemer/")
    tab_to(page, "main a[href='/systemer/ny/']")
    submit(lambda: page.keyboard.press("Enter"))
    tab_to(page, "#id_new_system")
    page.keyboard.type("Sensum Bosted")
    tab_to(page, "#id_new_supplier")
    page.keyboard.type("Netcompany")
    tab_to(page, "#id_body")
    page.select_option("#id_body", str(org.steering.pk))
    tab_to(page, "#id_criticality")
    page.select_option("#id_criticality", "high")
    tab_to(page, "#id_personal_data_1")  # sensitive
    page.keyboard.press("Space")
    assert page.locator("#id_personal_data_1").is_checked()
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.locator("h1").inner_text() == "Sensum Bosted"
    # The red flag of the missing DPIA: sent to the steering group's list.
    flag = page.locator("li.system-flag", has_text="DPIA")
    select = flag.locator("select")
    tab_to(page, f"#{select.get_attribute('id')}")
    select.select_option(str(org.steering.pk))
    page.keyboard.press("Tab")
    submit(lambda: page.keyboard.press("Enter"))
    flag = page.locator("li.system-flag", has_text="DPIA")
    assert flag.locator("a[href^='/sager/']").count() == 1
    with scopes_disabled():
        case = Case.objects.get(origin_url__contains="#pligt-dpia-")
        assert case.steps.get().body == org.steering
