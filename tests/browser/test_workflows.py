"""Keyboard-driven workflows. Every page and htmx swap they show is checked by axe-core."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_scopes import scopes_disabled

from organisation.models import Body, Mandate, Membership
from tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName, id: el.id, name: el.getAttribute("name"),
                    inMain: !!el.closest("main")};
        }"""
    )


def test_secretary_adds_a_member_with_the_keyboard(page, org, login, visit, htmx_swap):
    henrik = org.people["henrik"]
    login(org.secretary)
    visit(f"/organer/{org.steering.pk}/")
    members = page.locator("#members table tbody")
    assert henrik.name not in members.inner_text()
    # The fourth rule ("a health chief") is not met yet.
    assert page.locator("#members li.rule-missing").count() == 1
    page.evaluate("window.__noReload = true")
    assert page.locator("#id_person").count() == 0, "the form opens on demand"
    tab_to(page, f"#members a[href='/organer/{org.steering.pk}/medlemmer/ny/']")
    htmx_swap(lambda: page.keyboard.press("Enter"))
    assert focused(page)["id"] == "id_person", "the opened form takes the focus"

    tab_to(page, "#id_person")
    page.keyboard.type("Henrik")
    assert page.locator("#id_person").input_value() == str(henrik.pk)
    tab_to(page, "#id_note")
    page.keyboard.type("Tilføjet med tastaturet")
    htmx_swap(lambda: page.keyboard.press("Enter"))

    assert page.evaluate("window.__noReload === true"), "the page was reloaded"
    assert henrik.name in members.inner_text()
    assert page.locator("#members li.rule-missing").count() == 0
    assert page.locator("#members > p.rule-ok").is_visible()
    assert focused(page)["tag"] != "BODY", "focus was lost in the swap"
    # The confirmation is shown (and announced) in the page's live region right away.
    assert henrik.name in page.locator("#messages[aria-live] [role=status]").inner_text()
    with scopes_disabled():
        added = Membership.objects.get(person=henrik, body=org.steering)
        assert added.note == "Tilføjet med tastaturet"
        assert added.start == timezone.localdate()
        assert added.end is None

    # The same person again, for an overlapping period: an inline error and nothing written.
    with translation.override("da"):
        danish = gettext("The person is already a member of the body in this period.")
    english = "The person is already a member of the body in this period."
    tab_to(page, "#id_person", key="Shift+Tab")
    page.keyboard.type("Henrik")
    assert page.locator("#id_person").input_value() == str(henrik.pk)
    tab_to(page, "#id_note")
    htmx_swap(lambda: page.keyboard.press("Enter"))

    assert page.evaluate("window.__noReload === true"), "the page was reloaded"
    error = page.locator("#members .form-error-message").first
    assert error.is_visible()
    assert danish in error.inner_text() or english in error.inner_text()
    assert page.locator("#members .alert-error[role=alert]").is_visible()
    assert page.locator("#id_person").get_attribute("aria-invalid") == "true"
    assert page.locator("#messages [role=status]").count() == 0
    with scopes_disabled():
        assert Membership.objects.filter(person=henrik, body=org.steering).count() == 1

    # The confirmation was shown once and is not left over for the next page.
    visit(f"/organer/{org.steering.pk}/")
    assert page.locator("#messages [role=status]").count() == 0
    assert henrik.name in members.inner_text()


def test_closing_a_body_with_a_summary(page, org, login, visit, submit, type_date):
    today = timezone.localdate()
    summary = "Styregruppen har afsluttet strategien. Arbejdet fortsætter i Direktionen."
    login(org.admin)
    visit(f"/organer/{org.steering.pk}/")
    tab_to(page, f"main a[href='/organer/{org.steering.pk}/afslut/']")
    submit(lambda: page.keyboard.press("Enter"))

    # Nothing filled in: errors (422), and the body stays open.
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"), status=422)
    assert page.locator("main .form-error-message").count() == 2
    with scopes_disabled():
        assert Body.objects.get(pk=org.steering.pk).closed_on is None

    type_date("#id_closed_on", today)
    tab_to(page, "#id_closing_summary")
    page.keyboard.type(summary)
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))

    assert page.url.endswith(f"/organer/{org.steering.pk}/")
    assert summary in page.locator("main .alert-info").inner_text()
    assert page.locator("main a[href$='/afslut/']").count() == 0
    assert page.locator("#id_person").count() == 0, "a closed body takes no new members"
    with scopes_disabled():
        body = Body.objects.get(pk=org.steering.pk)
        assert body.closed_on == today
        assert body.closing_summary == summary
        assert not Membership.objects.filter(body=body, end__isnull=True).exists()
        assert not Membership.objects.filter(
            body=body, end__gt=max(today, today + datetime.timedelta(days=30))
        ).exists()

    visit("/statusnotat/")
    closed_section = page.locator("main section", has_text=summary)
    assert closed_section.count() == 1
    assert str(today.year) in closed_section.locator("h2").inner_text()


def test_publishing_a_new_mandate_version(page, org, login, visit, submit, type_date):
    today = timezone.localdate()
    login(org.admin)
    visit(f"/organer/{org.steering.pk}/")
    tab_to(page, f"main a[href='/organer/{org.steering.pk}/kommissorium/ny/']")
    submit(lambda: page.keyboard.press("Enter"))
    # The form starts from the current version, rules included.
    assert page.locator("#id_title").input_value() == org.mandate.title
    assert page.locator("#id_rules-0-description").input_value() == "En formand"

    tab_to(page, "#id_title")
    page.keyboard.press("Control+A")
    page.keyboard.type("Kommissorium for Styregruppen for digitalisering 2025")
    type_date("#id_approved_on", today)
    tab_to(page, "#id_rules-4-description")
    page.keyboard.type("En projektleder")
    tab_to(page, "#id_rules-4-title_contains")
    page.keyboard.type("projektleder")
    tab_to(page, "main form[method=post] button.button-primary")
    submit(lambda: page.keyboard.press("Enter"))

    with scopes_disabled():
        mandate = Mandate.objects.get(body=org.steering, version=3)
        assert mandate.title == "Kommissorium for Styregruppen for digitalisering 2025"
        assert mandate.approved_on == today
        assert mandate.approved_by_id == org.direktion.pk
        assert [r.description for r in mandate.rules.all()] == [
            "En formand",
            "En chef fra Velfærd",
            "En økonomichef",
            "En sundhedschef",
            "En projektleder",
        ]
        assert list(org.mandate.rules.values_list("description", flat=True)) == [
            "En formand",
            "En chef fra Velfærd",
            "En økonomichef",
            "En sundhedschef",
        ], "the previous version is left as it was"
    assert page.url.endswith(f"/kommissorier/{mandate.pk}/")
    assert page.locator("main h1").inner_text() == mandate.title
    assert page.locator("main table tbody tr").count() == 5

    visit(f"/organer/{org.steering.pk}/")
    assert page.locator(f"main a[href='/kommissorier/{mandate.pk}/']").first.is_visible()
    assert page.locator("#members li.rule-missing", has_text="En projektleder").count() == 1


def test_skip_link_is_the_first_tab_stop(page, org, login, visit):
    login(org.admin)
    visit(f"/organer/{org.steering.pk}/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skipnav")
    assert skip.evaluate("(el) => el === document.activeElement"), focused(page)
    assert skip.get_attribute("href") == "#main-content"
    assert skip.is_visible()
    box = skip.bounding_box()
    assert box and box["width"] > 1 and box["height"] > 1, "the focused skip link is not shown"

    page.keyboard.press("Enter")
    assert page.url.endswith("#main-content")
    assert focused(page)["id"] == "main-content"
    page.keyboard.press("Tab")
    assert focused(page)["inMain"], "the next Tab stop is not in the content"


def test_skip_link_when_logged_out(page, visit):
    visit("/tilgaengelighed/")
    page.keyboard.press("Tab")
    assert page.locator("a.skipnav").evaluate("(el) => el === document.activeElement")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content"


def test_switching_language_in_the_footer(page, org, login, visit, submit):
    login(org.admin)
    path = f"/organer/{org.steering.pk}/"
    visit(path)
    assert page.locator("html").get_attribute("lang") == "da"

    tab_to(page, "footer button[name=language][value=en]")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.url.endswith(path), "the language switch leaves the page"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("footer button[name=language][value=en]").count() == 0
    assert page.locator("footer button[name=language][value=da]").inner_text() == "Dansk"
    assert page.get_by_role("heading", name="Members", exact=True).is_visible()

    visit("/personer/")
    assert page.locator("html").get_attribute("lang") == "en", "the choice is remembered"

    tab_to(page, "footer button[name=language][value=da]")
    submit(lambda: page.keyboard.press("Enter"))
    assert page.url.endswith("/personer/")
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.locator("footer button[name=language][value=en]").inner_text() == "English"
