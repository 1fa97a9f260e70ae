"""The political route (issue 19): the case page, the route form, the body list and the page of
a body outside the administration, read and checked with axe."""

import pytest
from django_scopes import scopes_disabled

from organisation.models import BodyKind
from tests import factories
from tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser


def test_a_case_goes_on_to_political_treatment(page, org, login, visit):
    with scopes_disabled():
        finance = factories.body(
            org.municipality, "Økonomiudvalget", BodyKind.COMMITTEE, short_name="ØK", external=True
        )
        council = factories.body(
            org.municipality,
            "Kommunalbestyrelsen",
            BodyKind.COUNCIL,
            short_name="KB",
            external=True,
        )
        case = factories.case(
            org.municipality, "Årsrapport 2023", route=[org.direktion, finance, council]
        )
    login(org.secretary)
    visit(f"/sager/{case.pk}/")
    route = page.locator("main .case-route-summary").inner_text()
    assert route == "Direktionen → Økonomiudvalget → Kommunalbestyrelsen"
    assert page.locator("main .case-route .badge").count() == 2
    visit(f"/sager/{case.pk}/rediger/")
    tab_to(page, "#id_route-step_1")
    assert page.locator("#id_route-step_1 optgroup").count() == 2
    visit("/organer/")
    assert page.locator("main table").nth(1).locator("tbody tr").count() == 2
    visit(f"/organer/{finance.pk}/")
    assert page.locator(f'main a[href="/sager/{case.pk}/"]').count() == 1
