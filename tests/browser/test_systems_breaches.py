"""Breaches and the DPO's documents in the browser: record a breach with the keyboard, see
its 72-hour clock in words, close it; the annual report and a body's systems; axe on every
page on the way."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def data(org):
    with scopes_disabled():
        m = org.municipality
        usage = factories.system_usage(
            m, "Aula", personal_data=["cpr"], hosting="external", body=org.steering
        )
        breach = factories.breach(
            m,
            "Mail til forkert modtager",
            discovered_at=timezone.now() - datetime.timedelta(hours=80),
            description="Hvad skete",
            usage=usage,
        )
    return {"breach": breach}


def test_record_a_breach_and_see_its_clock(page, org, data, login, visit, submit):
    login(org.admin)
    visit("/systemer/brud/")
    assert page.locator("#breach-clock").first.is_visible()
    visit("/systemer/brud/ny/")
    page.fill("#id_title", "USB-nøgle tabt")
    discovered = timezone.localtime() - datetime.timedelta(hours=2)
    page.fill("#id_discovered_at", f"{discovered:%Y-%m-%dT%H:%M}")
    page.select_option("#id_severity", "risk")
    page.locator("label[for=id_personal_data_0]").click()
    submit(lambda: page.click("form button[type=submit].button-primary"))
    assert "/systemer/brud/" in page.url
    assert page.locator("#breach-clock").is_visible()
    # A bad close: no reason for a breach never notified.
    visit(f"/systemer/brud/{data['breach'].pk}/luk/")
    submit(lambda: page.click("form button[type=submit].button-primary"), status=422)
    assert page.locator("#id_not_notified_reason_error").is_visible()


def test_the_annual_report_and_the_body_s_systems(page, org, data, login, visit):
    login(org.admin)
    visit(f"/systemer/aarsrapport/{timezone.localdate().year}/")
    assert "Mail til forkert modtager" in page.content()
    visit(f"/systemer/aarsrapport/{timezone.localdate().year}/vedhaeft/")
    visit(f"/systemer/organ/{org.steering.pk}/")
    assert "Aula" in page.content()
    visit(f"/organer/{org.steering.pk}/")
    assert page.locator(f"a[href='/systemer/organ/{org.steering.pk}/']").is_visible()
    visit(f"/systemer/brud/{data['breach'].pk}/")
    visit(f"/historik/brud/{data['breach'].pk}/")
