"""KLE in the browser, with the keyboard: the catalogue, the upload of an emneplan with its
summary and import, a bad file, the KLE numbers of a case and of a system usage; axe on every
page on the way."""

import pytest
from django_scopes import scopes_disabled

from systems.kle.tests.emneplan import emneplan
from systems.models import CaseTask, KleCode
from tests import factories
from tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser


def test_import_the_catalogue_and_mark_a_case_and_a_usage(
    page, org, login, visit, submit, tmp_path
):
    login(org.admin)
    visit("/systemer/kle/")
    assert "Kataloget er tomt" in page.content() or "catalogue is empty" in page.content()

    # A file that is not KLE is refused, with nothing written.
    bad = tmp_path / "projekter.xml"
    bad.write_bytes(b"<?xml version='1.0'?><projekter/>")
    page.set_input_files("input[name=file]", str(bad))
    submit(lambda: page.click("form[enctype] button[type=submit]"), status=422)
    assert page.locator("#kle-errors").is_visible()
    with scopes_disabled():
        assert not KleCode.objects.exists()

    good = tmp_path / "emneplan.xml"
    good.write_bytes(emneplan())
    page.set_input_files("input[name=file]", str(good))
    submit(lambda: page.click("form[enctype] button[type=submit]"))
    assert page.locator("#kle-summary").is_visible()
    tab_to(page, "main button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    with scopes_disabled():
        assert KleCode.objects.count() == 10
    visit("/systemer/kle/?q=bibliotek")
    assert "17.01.00" in page.content()

    # The case page's section leads to its KLE numbers.
    with scopes_disabled():
        case = factories.case(org.municipality, "Nyt bibliotekssystem")
        usage = factories.system_usage(org.municipality, "Bibliotekssystem")
        task = KleCode.objects.get(number="17.01.00")
    visit(f"/systemer/kle/sag/{case.pk}/?q=17.01")
    box = f"input[name=codes][value='{task.pk}']"
    tab_to(page, box)
    page.keyboard.press("Space")
    assert page.locator(box).is_checked()
    tab_to(page, "main button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    assert "17.01.00 Biblioteker i almindelighed" in page.locator("#kle").locator("..").inner_text()
    with scopes_disabled():
        assert CaseTask.objects.filter(case=case, code=task).exists()

    visit(f"/systemer/kle/anvendelse/{usage.pk}/?q=bibliotekssystemer")
    assert page.locator("input[name=codes][disabled]").count() == 1  # the ended one
    visit(f"/systemer/kle/anvendelse/{usage.pk}/?q=17.01.00")
    tab_to(page, f"input[name=codes][value='{task.pk}']")
    page.keyboard.press("Space")
    tab_to(page, "main button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))
    with scopes_disabled():
        assert list(usage.kle_codes.values_list("number", flat=True)) == ["17.01.00"]
