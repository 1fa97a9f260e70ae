"""Loading the demo year into an empty database: idempotent, and a clear error without the
organisation demo.

(The tests over the loaded year are in test_demo_year.py, which loads it once; `load_demo`
run twice is in tests/test_demo_today.py.)
"""

import io

import pytest
from django_scopes import scopes_disabled

from core.models import Municipality
from meetings import demo_year
from meetings.models import (
    Case,
    Meeting,
)
from meetings.tests.test_demo_year import _counts, _load_all
from organisation import demo

pytestmark = pytest.mark.django_db


def test_loading_twice_changes_nothing():
    demo.load()
    first = _load_all()
    assert first[demo_year.NORDDJURS]["møder"] == 8
    assert first[demo_year.VEST]["møder"] == 1
    counts = _counts()
    out = io.StringIO()
    with scopes_disabled():
        again = demo_year.load_year(Municipality.objects.get(slug=demo_year.NORDDJURS), stdout=out)
    again_vest = _load_all()[demo_year.VEST]
    assert again == {} and again_vest == {}
    assert _counts() == counts
    assert "intet ændret" in out.getvalue()


def test_a_missing_organisation_demo_is_a_clear_error(db):
    municipality = Municipality.objects.create(name="Norddjurs Kommune", slug="norddjurs")
    with pytest.raises(Exception, match="organisation demo"):
        demo_year.load_year(municipality)
    with scopes_disabled():
        assert not Meeting.objects.exists() and not Case.objects.exists()
