"""Project-wide pytest fixtures: two municipalities, a user of every role, scoping helpers,
and data built once per test module (`once_per_module`)."""

import shutil

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from django_scopes import scope, scopes_disabled

from core.models import Role
from tests import factories
from tests.once import once_per_module
from tests.world import CANARY_OTHER, CANARY_OWN, build_tenant


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


@once_per_module
def t():
    """The world of tests/world.py (`Tenant`): Norddjurs with its users of every role, bodies,
    meetings with an open and a closed item, a project with its report, risk and benefit,
    a strategy, a proposal, an action plan and an annual wheel activity, every text marked
    with CANARY_OWN. Built once per module; each test gets a fresh copy of the objects."""
    return build_tenant("Norddjurs Kommune", canary=CANARY_OWN)


@once_per_module
def other():
    """Another municipality's world like `t`, marked with CANARY_OTHER (users "other-…")."""
    return build_tenant("Anden Kommune", canary=CANARY_OTHER, usernames_prefix="other-")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (a browser test's live server) ends with the database flushed,
    and with it the catalogues a data migration loaded (focus areas, SDGs): load them again
    for the tests that come after it on this worker, whatever their order."""
    yield
    if nextitem is not None and "transactional_db" in getattr(item, "fixturenames", ()):
        from pytest_django.plugin import blocking_manager_key

        from strategy.catalogues import ensure_loaded

        with item.config.stash[blocking_manager_key].unblock():
            ensure_loaded()


@pytest.fixture
def municipality(db):
    return factories.municipality("Norddjurs Kommune")


@pytest.fixture
def other_municipality(db):
    return factories.municipality("Syddjurs Kommune")


@pytest.fixture
def users(municipality, other_municipality):
    """One user per role in `municipality`, plus `outsider` from the other municipality."""
    return factories.users_of_every_role(municipality, other_municipality)


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


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker, _module_media):
    """One outer transaction per test module for data built once (`tests.once`): it stays
    open for the module's tests, each in a savepoint inside it, and is rolled back after
    them."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module", autouse=True)
def _module_media(tmp_path_factory):
    """Files of the data built once per module live in the module's own media folder."""
    root = tmp_path_factory.mktemp("module-media")
    with override_settings(MEDIA_ROOT=root):
        yield root


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory, _module_media):
    """Uploaded files of a test go to a temporary folder of its own, never into data/: a copy
    of the module's files, so what one test writes or deletes no other test sees."""
    root = tmp_path_factory.mktemp("media")
    if any(_module_media.iterdir()):
        shutil.copytree(_module_media, root, dirs_exist_ok=True)
    settings.MEDIA_ROOT = root


@pytest.fixture(scope="module")
def clamd():
    """A real ClamAV daemon for the module, knowing only the EICAR test file
    (`documents.tests.clamav`); its unix socket's path."""
    from documents.tests.clamav import daemon

    with daemon() as socket_path:
        yield socket_path


@pytest.fixture
def virus_scan(clamd, settings):
    """Uploads in the test are scanned by the module's ClamAV daemon (`documents.scan`)."""
    settings.CLAMAV_SOCKET = clamd
    settings.CLAMAV_HOST = ""
    return clamd
