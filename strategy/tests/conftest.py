"""The world of tests/world.py for strategy's tests: two municipalities, each with a strategy
whose goal the project serves (focus area 2, SDG 16), and a user of every role."""

import pytest
from django.conf import settings

from core.models import Role


@pytest.fixture
def login(client):
    """`login(t, role)`: the client logged in as the role, with English pages."""

    def go(tenant, role=Role.ADMINISTRATOR):
        client.force_login(tenant.users[role])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return go
