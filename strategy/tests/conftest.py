"""The world of tests/world.py for strategy's tests: two municipalities, each with a strategy
whose goal the project serves (focus area 2, SDG 16), and a user of every role."""

import pytest
from django.conf import settings
from django_scopes import scopes_disabled

from core.models import Role
from tests.world import CANARY_OTHER, CANARY_OWN, build_tenant


@pytest.fixture
def t(db):
    with scopes_disabled():
        return build_tenant("Norddjurs Kommune", canary=CANARY_OWN)


@pytest.fixture
def other(t):
    with scopes_disabled():
        return build_tenant("Anden Kommune", canary=CANARY_OTHER, usernames_prefix="other-")


@pytest.fixture
def login(client):
    """`login(t, role)`: the client logged in as the role, with English pages."""

    def go(tenant, role=Role.ADMINISTRATOR):
        client.force_login(tenant.users[role])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return go
