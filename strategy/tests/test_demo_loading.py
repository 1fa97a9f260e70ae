"""Loading the strategy demo for another municipality gives nothing. (The tests over the
loaded demo are in test_demo.py, which loads it once.)
"""

import pytest
from django_scopes import scopes_disabled

from core.models import Municipality
from strategy import demo

pytestmark = pytest.mark.django_db


def test_other_municipalities_get_nothing(db):
    with scopes_disabled():
        other = Municipality.objects.create(name="Andeby Kommune", slug="andeby")
    assert demo.load(other) == {}
