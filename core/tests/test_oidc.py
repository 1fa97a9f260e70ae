"""Single sign-on with OpenID Connect: off by default; when on, it logs in existing users only."""

import importlib

import pytest
from django.urls import clear_url_caches

from core.models import Role
from core.oidc import MunicipalityOIDCBackend
from tests import factories

OIDC_SETTINGS = {
    "OIDC_ENABLED": True,
    "OIDC_RP_CLIENT_ID": "digistyr",
    "OIDC_RP_CLIENT_SECRET": "hemmelig",
    "OIDC_RP_SIGN_ALGO": "RS256",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.kommune.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://login.kommune.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://login.kommune.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://login.kommune.example/jwks",
}


@pytest.fixture
def oidc(settings):
    import digistyr.urls

    for name, value in OIDC_SETTINGS.items():
        setattr(settings, name, value)
    importlib.reload(digistyr.urls)
    clear_url_caches()
    yield
    settings.OIDC_ENABLED = False
    importlib.reload(digistyr.urls)
    clear_url_caches()


def test_no_sso_urls_unless_configured(client, db):
    assert client.get("/oidc/authenticate/").status_code == 404
    assert "/oidc/" not in client.get("/konto/login/").content.decode()


@pytest.mark.django_db
def test_sso_login_starts_without_a_session(client, oidc):
    login_page = client.get("/konto/login/").content.decode()
    assert 'href="/oidc/authenticate/"' in login_page
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 302
    assert response["Location"].startswith(OIDC_SETTINGS["OIDC_OP_AUTHORIZATION_ENDPOINT"])
    assert "client_id=digistyr" in response["Location"]


@pytest.mark.django_db
def test_sso_callback_without_state_fails_safely(client, oidc):
    response = client.get("/oidc/callback/?code=x&state=y")
    assert response.status_code in {302, 400}
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_backend_matches_existing_active_users_by_email(municipality, oidc):
    user = factories.user(municipality, Role.SECRETARY, email="Tonny@Norddjurs.dk")
    factories.user(municipality, Role.READER, email="gone@norddjurs.dk", is_active=False)
    backend = MunicipalityOIDCBackend()
    assert list(backend.filter_users_by_claims({"email": "tonny@norddjurs.dk"})) == [user]
    assert not backend.filter_users_by_claims({"email": "gone@norddjurs.dk"}).exists()
    assert not backend.filter_users_by_claims({}).exists()
    assert backend.create_user({"email": "ny@norddjurs.dk"}) is None


def test_both_backends_load_the_user_with_municipality_and_person_in_one_query(
    municipality, oidc, django_assert_num_queries
):
    from core.auth import MunicipalityModelBackend

    user = factories.user(municipality, Role.SECRETARY, email="sara@norddjurs.dk")
    person = factories.person(municipality, "Sara Sekretær", user=user)
    gone = factories.user(municipality, Role.READER, email="gone@norddjurs.dk", is_active=False)
    for backend in (MunicipalityOIDCBackend(), MunicipalityModelBackend()):
        with django_assert_num_queries(1):
            loaded = backend.get_user(user.pk)
            assert loaded.municipality == municipality and loaded.person == person
        assert backend.get_user(gone.pk) is None  # an inactive user is not let in
        assert backend.get_user(0) is None
