"""Loading the action plan demo for another municipality gives nothing. (The tests over the
loaded demo are in test_plans_demo.py, which loads it once.)
"""

import pytest
from django_scopes import scopes_disabled

from core.models import Municipality
from planning import demo_plans
from planning.models import AnnualPlan

pytestmark = pytest.mark.django_db


def test_other_municipalities_get_nothing(db):
    with scopes_disabled():
        other = Municipality.objects.create(name="Andeby Kommune", slug="andeby")
        assert demo_plans.load(other) == {}
        assert not AnnualPlan.objects.exists()
