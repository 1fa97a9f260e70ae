"""Test data built once per test module instead of once per test.

Building a test world costs about 0.1 s; building it for every test made the suite grow with
the square of the product. A builder decorated with `once_per_module` runs once per test
module (and xdist worker), inside an outer transaction that the `module_db` fixture
(conftest.py) opens and rolls back when the module ends. Each test runs in a savepoint inside
it (pytest-django's `db`), so what a test writes is undone after it, and gets its own deep
copy of the built objects (as Django's `setUpTestData` does), so changing them in memory does
not leak into the next test either. Files the builder writes land in the module's own media
folder, and each test works on a copy of it.
"""

import copy
import inspect
from collections.abc import Callable
from contextlib import nullcontext

import pytest
from django.test import override_settings
from django_scopes import scopes_disabled


def history_off():
    """django-simple-history writes no history rows in this block (about 65 % of the cost of
    building a world). Builders whose history a test reads keep it on."""
    return override_settings(SIMPLE_HISTORY_ENABLED=False)


def once_per_module(build: Callable | None = None, *, history: bool = False):
    """Make `build` a fixture of the same name whose data is built once per module.

    The builder runs with scopes disabled and with history off, unless `history=True` or
    the module is marked `pytest.mark.history` (its tests read the data's history).
    Every test gets a deep copy of what it returned, over the same rows::

        @once_per_module
        def t():
            return build_tenant("Norddjurs Kommune", canary=CANARY_OWN)

    It works in a test module and in a conftest.py (each module under it builds its own).
    """

    def register(build: Callable):
        name = build.__name__
        built_name = f"_{name}_built_once"

        def built(module_db, request):
            # A module whose tests read the history of this data says so with
            # `pytestmark = pytest.mark.history`.
            keep = history or request.node.get_closest_marker("history") is not None
            with nullcontext() if keep else history_off(), scopes_disabled():
                return build()

        # The module-scoped fixture that builds, next to the builder in its module, so pytest
        # finds it where it finds the builder.
        build.__globals__[built_name] = pytest.fixture(scope="module", name=built_name)(built)

        def fresh(db, **built_data):
            return copy.deepcopy(built_data[built_name])

        # Ask for the built data by name: pytest sets module-scoped fixtures up before the
        # test's savepoint (`db`), so the build is not rolled back with the first test.
        fresh.__signature__ = inspect.Signature(
            [
                inspect.Parameter("db", inspect.Parameter.POSITIONAL_OR_KEYWORD),
                inspect.Parameter(built_name, inspect.Parameter.KEYWORD_ONLY),
            ]
        )
        fresh.__doc__ = build.__doc__
        return pytest.fixture(name=name)(fresh)

    return register(build) if build is not None else register


def use_session(client, session_key: str) -> None:
    """Log the test client in with a session made once per module (see `make_session`),
    instead of writing a new session for every test."""
    from django.conf import settings

    client.cookies[settings.SESSION_COOKIE_NAME] = session_key


def make_session(user) -> str:
    """A logged-in session for `user`, as `Client.force_login` makes it, for `use_session`."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value
