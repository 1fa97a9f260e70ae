"""The error pages (templates/400.html, 403.html, 404.html, 500.html): Danish, in the site's
layout with the menu, a way back to the front page, and on 403 the right that is missing."""

import pytest
from django.test import override_settings

from core.models import Role
from core.permissions import REFUSALS, refusal

pytestmark = pytest.mark.django_db

ERROR_URLS = "core.tests.error_urls"


def page_text(response) -> str:
    return response.content.decode()


def assert_layout(html: str, menu: bool = True) -> None:
    assert '<html lang="da">' in html
    assert 'href="/"' in html, "no link to the front page"
    assert "Gå til forsiden" in html
    if menu:
        assert 'class="mainmenu"' in html
        assert 'href="/organer/"' in html


def test_404_is_danish_with_the_menu(admin_client):
    response = admin_client.get("/ingen-saadan-side/")
    assert response.status_code == 404
    html = page_text(response)
    assert "Siden blev ikke fundet" in html
    assert_layout(html)


def test_404_of_an_object_of_another_municipality(admin_client):
    response = admin_client.get("/organer/999999/")
    assert response.status_code == 404
    assert "Siden blev ikke fundet" in page_text(response)


def test_403_names_the_missing_right(client, users):
    client.force_login(users[Role.READER])
    response = client.get("/organer/ny/")
    assert response.status_code == 403
    html = page_text(response)
    assert "Du har ikke adgang" in html
    assert (
        "Kun en administrator eller en sekretær kan ændre organisationen, dens organer og "
        "personer." in html
    )
    assert_layout(html)


def test_403_of_the_security_log(client, users):
    client.force_login(users[Role.SECRETARY])
    response = client.get("/sikkerhedslog/")
    assert response.status_code == 403
    assert "Kun en administrator kan se sikkerhedsloggen." in page_text(response)


def test_every_refusal_is_translated():
    from django.utils import translation

    untranslated = []
    for name, text in REFUSALS.items():
        with translation.override("en"):
            english = str(text)
        with translation.override("da"):
            if str(text) == english:
                untranslated.append(name)
    assert not untranslated, f"not in Danish: {untranslated}"
    with translation.override("da"):
        assert refusal("no.such") == "Du har ikke ret til at gøre dette."


def test_every_view_permission_has_a_refusal():
    import rules

    from core.permissions import declared_permission
    from digistyr.urls import urlpatterns

    def views(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern.url_patterns)
            else:
                yield pattern.callback

    declared = {declared_permission(view) for view in views(urlpatterns)} - {None}
    assert declared, "no view declares a permission"
    assert all(rules.perm_exists(name) for name in declared)
    assert declared <= set(REFUSALS), f"no refusal text for {declared - set(REFUSALS)}"


def test_the_api_answers_403_in_json(client, users):
    client.force_login(users[Role.READER])
    response = client.post("/api/v1/bodies/", {}, content_type="application/json")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")


@override_settings(ROOT_URLCONF=ERROR_URLS)
def test_400_is_danish_with_the_menu(admin_client):
    response = admin_client.get("/test-fejl/400/")
    assert response.status_code == 400
    html = page_text(response)
    assert "Forespørgslen kunne ikke behandles" in html
    assert_layout(html)


@override_settings(ROOT_URLCONF=ERROR_URLS)
def test_500_is_danish_and_self_contained(admin_client):
    admin_client.raise_request_exception = False
    response = admin_client.get("/test-fejl/500/")
    assert response.status_code == 500
    html = page_text(response)
    assert "Der opstod en fejl" in html
    assert_layout(html, menu=False)
    assert 'href="/moeder/"' in html  # a short menu of its own
