"""Project-wide pytest fixtures: two municipalities, a user of every role, scoping helpers."""

import pytest
from django.utils import translation
from django_scopes import scope, scopes_disabled

from core.models import Role
from tests import factories


def pytest_configure(config):
    from django.conf import settings

    # Hashing passwords properly is slow by design; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english(client, settings):
    """Messages in English: in the test, and on the pages (the language cookie), for tests
    that read a page's English source text. The product is Danish by default."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def municipality(db):
    return factories.municipality("Norddjurs Kommune")


@pytest.fixture
def other_municipality(db):
    return factories.municipality("Syddjurs Kommune")


@pytest.fixture
def users(municipality, other_municipality):
    """One user per role in `municipality`, plus `outsider` from the other municipality."""
    result = {role: factories.user(municipality, role, username=role) for role in Role.values}
    result["outsider"] = factories.user(other_municipality, Role.ADMINISTRATOR, username="outsider")
    return result


@pytest.fixture
def admin_client(client, users):
    client.force_login(users[Role.ADMINISTRATOR])
    return client


@pytest.fixture
def reader_client(client, users):
    client.force_login(users[Role.READER])
    return client


@pytest.fixture
def in_scope(municipality):
    """Run the test body inside the municipality's scope, as a request would."""
    with scope(municipality=municipality.pk):
        yield


@pytest.fixture
def no_scopes():
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Uploaded files of a test go to a temporary folder, never into data/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
