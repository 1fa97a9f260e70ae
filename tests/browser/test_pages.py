"""Every page of the app, as an administrator with realistic data: axe must find nothing.

`visit` and `submit` run axe-core on each page they show (see conftest.py). Nothing here
writes (a form with errors is refused), so the module's tests share one data build, on
their own live server, with the administrator logged in once (see `shared_org`).
"""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def page(shared_page):
    return shared_page


@pytest.fixture
def org(shared_org):
    return shared_org


@pytest.fixture
def login(shared_login):
    return shared_login


def test_the_shared_data_is_committed_for_the_live_server(db, org):
    """The module's data is built once and committed, outside any test's transaction.

    (This test also asks for `db`, so pytest-django creates the test database when this
    module runs alone: its other tests reach the database only through the live server.)"""
    from django_scopes import scopes_disabled

    from organisation.models import Body

    with scopes_disabled():
        assert Body.objects.filter(pk=org.steering.pk).exists()


PAGES = {
    "home": lambda o: "/",
    "body-list": lambda o: "/organer/",
    "body-list-closed": lambda o: "/organer/?status=afsluttede",
    "body-list-all": lambda o: "/organer/?status=alle",
    "body-list-kind": lambda o: "/organer/?status=alle&type=styregruppe",
    "body-list-none": lambda o: "/organer/?status=afsluttede&type=direktion",
    "body-detail": lambda o: f"/organer/{o.steering.pk}/",
    "body-detail-few": lambda o: f"/organer/{o.project.pk}/",
    "body-detail-closed": lambda o: f"/organer/{o.closed.pk}/",
    "body-create": lambda o: "/organer/ny/",
    "body-edit": lambda o: f"/organer/{o.steering.pk}/rediger/",
    "body-close": lambda o: f"/organer/{o.steering.pk}/afslut/",
    "membership-add": lambda o: f"/organer/{o.steering.pk}/medlemmer/ny/",
    "membership-edit": lambda o: f"/medlemskaber/{o.membership.pk}/rediger/",
    "status-add": lambda o: f"/organer/{o.steering.pk}/status/ny/",
    "mandate-create": lambda o: f"/organer/{o.steering.pk}/kommissorium/ny/",
    "mandate-create-first": lambda o: f"/organer/{o.project.pk}/kommissorium/ny/",
    "mandate-detail": lambda o: f"/kommissorier/{o.mandate.pk}/",
    "history-body": lambda o: f"/historik/organ/{o.steering.pk}/",
    "history-mandate": lambda o: f"/historik/kommissorium/{o.mandate.pk}/",
    "history-membership": lambda o: f"/historik/medlemskab/{o.membership.pk}/",
    "history-person": lambda o: f"/historik/person/{o.people['okonomichef'].pk}/",
    "history-unit": lambda o: f"/historik/enhed/{o.units['digi'].pk}/",
    "person-list": lambda o: "/personer/",
    "person-search": lambda o: "/personer/?q=chef",
    "person-search-none": lambda o: "/personer/?q=ingen+s%C3%A5dan",
    "person-detail": lambda o: f"/personer/{o.people['okonomichef'].pk}/",
    "person-create": lambda o: "/personer/ny/",
    "person-edit": lambda o: f"/personer/{o.people['okonomichef'].pk}/rediger/",
    "unit-list": lambda o: "/enheder/",
    "unit-detail": lambda o: f"/enheder/{o.units['okonomi'].pk}/",
    "unit-detail-leaf": lambda o: f"/enheder/{o.units['stab'].pk}/",
    "unit-create": lambda o: "/enheder/ny/",
    "unit-edit": lambda o: f"/enheder/{o.units['digi'].pk}/rediger/",
    "memo": lambda o: "/statusnotat/",
    "memo-dated": lambda o: "/statusnotat/?dato=2019-03-01",
    "accessibility": lambda o: "/tilgaengelighed/",
    "user-list": lambda o: "/brugere/",
    "user-create": lambda o: "/brugere/ny/",
    "user-edit": lambda o: f"/brugere/{o.secretary.pk}/rediger/",
    "user-edit-keys": lambda o: f"/brugere/{o.secretary.pk}/rediger/",
    "account": lambda o: "/konto/",
    "password-change": lambda o: "/konto/adgangskode/",
    "api-key-create": lambda o: "/konto/noegler/ny/",
    "reminder-settings": lambda o: "/konto/paamindelser/",
    "audit-log": lambda o: "/sikkerhedslog/",
    "audit-log-filtered": lambda o: "/sikkerhedslog/?kind=login&start=2026-01-01",
    "municipality": lambda o: "/kommune/",
    "search": lambda o: "/soeg/?q=chef",
    "search-kind": lambda o: "/soeg/?q=chef&type=person",
    "search-none": lambda o: "/soeg/?q=ingen+s%C3%A5dan",
    "job-waiting": lambda o: f"/opgaver/{o.jobs['waiting'].pk}/",
    "job-running": lambda o: f"/opgaver/{o.jobs['running'].pk}/",
    "job-done": lambda o: f"/opgaver/{o.jobs['done'].pk}/",
    "job-failed": lambda o: f"/opgaver/{o.jobs['failed'].pk}/",
    "operations": lambda o: "/drift/",
    "full-export": lambda o: "/kommune/alle-data/",
    "unit-import": lambda o: "/enheder/import/",
    "person-import": lambda o: "/personer/import/",
    "membership-import": lambda o: "/organer/medlemmer/import/",
}
# Pages that show API keys get one in use, one revoked and one expired first.
WITH_KEYS = {"user-edit-keys", "account"}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_as_administrator(name, org, login, visit, django_db_blocker):
    login(org.admin)
    if name in WITH_KEYS:
        with django_db_blocker.unblock():
            _keys(org.secretary if name == "user-edit-keys" else org.admin)
    visit(PAGES[name](org))


def _keys(user):
    """A key in use, a revoked and an expired one of `user` (committed: the live server
    reads them); once per user."""
    from datetime import timedelta

    from django.utils import timezone

    from core import tokens
    from core.models import ApiToken, TokenScope

    if ApiToken.objects.filter(user=user).exists():
        return
    tokens.issue(user, "Power BI (demo)", scope=TokenScope.READ)
    revoked, _ = tokens.issue(user, "Gammel integration (demo)", scope=TokenScope.WRITE)
    tokens.revoke(revoked)
    tokens.issue(user, "Udløbet (demo)", expires_at=timezone.now() - timedelta(days=1))


def test_axe_reports_violations(page, visit, axe):
    """The harness itself: a broken page must fail the check, with a readable message."""
    visit("/konto/login/")
    page.evaluate(
        """() => {
            const img = document.createElement("img");
            img.src = "/static/css/digistyr.css";
            img.id = "no-alt";
            document.querySelector("main").append(img);
        }"""
    )
    with pytest.raises(AssertionError) as failure:
        axe()
    assert "image-alt" in str(failure.value)
    assert "#no-alt" in str(failure.value)
    page.evaluate("document.getElementById('no-alt').remove()")
    axe()


def test_api_documentation(page, visit):
    """The API reference generated from the OpenAPI schema, in the design system."""
    visit("/api/docs/")
    assert "GET /api/v1/bodies/" in page.inner_text("main")


def test_pages_logged_out(page, visit):
    visit("/konto/login/")
    visit("/tilgaengelighed/")
    # Forgotten password: the form, the answer, an invalid link, the end.
    visit("/konto/nulstil/")
    visit("/konto/nulstil/sendt/")
    visit("/konto/nulstil/MQ/ugyldig-token/")
    visit("/konto/nulstil/faerdig/")


def test_login_with_wrong_password(page, org, visit, submit):
    visit("/konto/login/")
    page.fill("#id_username", org.admin.username)
    page.fill("#id_password", "wrong")
    submit(lambda: page.click("main form button[type=submit]"))
    assert "/konto/login/" in page.url
    assert page.locator("main .alert-error").is_visible()


def test_body_list_filters_through_the_form(page, org, login, visit, submit):
    login(org.admin)
    visit("/organer/")
    page.select_option("#id_status", "afsluttede")
    submit(lambda: page.click("main form.filters button[type=submit]"))
    assert "status=afsluttede" in page.url
    assert page.locator("main table").get_by_text(org.closed.name).is_visible()
    assert page.locator("main table").get_by_text(org.steering.name).count() == 0


# --- Forms in their error state -----------------------------------------------------------

ERROR_FORMS = {
    # name: (path, fields to fill before submitting, expected status: 422 for invalid input)
    "body-create": (lambda o: "/organer/ny/", {}, 422),
    "body-edit": (lambda o: f"/organer/{o.steering.pk}/rediger/", {"#id_name": ""}, 422),
    "body-close": (lambda o: f"/organer/{o.steering.pk}/afslut/", {}, 422),
    "body-close-future": (
        lambda o: f"/organer/{o.steering.pk}/afslut/",
        {"#id_closed_on": "2999-01-01", "#id_closing_summary": "For tidligt."},
        422,
    ),
    "membership-add": (lambda o: f"/organer/{o.steering.pk}/medlemmer/ny/", {"#id_start": ""}, 422),
    "membership-edit": (
        lambda o: f"/medlemskaber/{o.membership.pk}/rediger/",
        {"#id_start": "2020-01-01", "#id_end": "2019-01-01"},
        422,
    ),
    "status-add": (lambda o: f"/organer/{o.steering.pk}/status/ny/", {"#id_date": ""}, 422),
    "status-add-future": (
        lambda o: f"/organer/{o.steering.pk}/status/ny/",
        {"#id_date": "2999-01-01", "#id_text": "Fremtiden."},
        422,
    ),
    "mandate-create": (
        lambda o: f"/organer/{o.project.pk}/kommissorium/ny/",
        {"#id_rules-0-description": "En formand", "#id_rules-0-min_count": "0"},
        422,
    ),
    "person-create": (lambda o: "/personer/ny/", {"#id_email": "ikke en adresse"}, 422),
    "person-edit": (
        lambda o: f"/personer/{o.people['okonomichef'].pk}/rediger/",
        {"#id_name": ""},
        422,
    ),
    "unit-create": (lambda o: "/enheder/ny/", {}, 422),
    "user-create": (lambda o: "/brugere/ny/", {"#id_username": "ny bruger!"}, 422),
    "api-key-create": (lambda o: "/konto/noegler/ny/", {"#id_name": " "}, 422),
    "password-change": (
        lambda o: "/konto/adgangskode/",
        {"#id_old_password": "forkert", "#id_new_password1": "1234", "#id_new_password2": "1"},
        422,
    ),
    "unit-edit": (
        lambda o: f"/enheder/{o.units['okonomi'].pk}/rediger/",
        {"#id_parent": "digi"},  # below itself
        422,
    ),
}


@pytest.mark.parametrize("name", list(ERROR_FORMS))
def test_form_with_errors(name, page, org, login, visit, submit):
    path, fields, status = ERROR_FORMS[name]
    login(org.admin)
    visit(path(org))
    for selector, value in fields.items():
        if page.locator(selector).evaluate("(el) => el.tagName") == "SELECT":
            page.select_option(selector, str(org.units[value].pk))
        else:
            page.fill(selector, value)
    submit(lambda: page.click("main form[method=post] button.button-primary"), status=status)
    assert page.locator("main .alert-error").first.is_visible(), "no error summary shown"
    assert page.locator("main .form-error-message").count() >= 1, "no field error shown"
