"""Loading the organisation demo into an empty database: idempotent, repairing, and the
commands. (The tests over the loaded demo are in test_demo.py, which loads it once.)
"""

import io

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from core.models import User
from organisation import demo
from organisation.models import (
    Person,
)
from organisation.tests.test_demo import _counts


@pytest.mark.django_db
def test_loading_twice_gives_identical_rows():
    out = io.StringIO()
    demo.load(stdout=out)
    first = _counts()
    assert "Oprettet" in out.getvalue()

    out = io.StringIO()
    result = demo.load(stdout=out)
    assert _counts() == first
    assert result == {"created": {}, "updated": {}}
    assert "intet ændret" in out.getvalue()


@pytest.mark.django_db
def test_load_repairs_a_changed_row_and_password():
    demo.load()
    with scopes_disabled():
        tonny = Person.objects.get(name="Tonny Olsen")
        tonny.title = "forkert"
        tonny.save()
    user = User.objects.get(username="tonny")
    user.set_password("noget-andet")
    user.save()

    result = demo.load()

    with scopes_disabled():
        assert Person.objects.get(name="Tonny Olsen").title == (
            "chef for Borgerservice, IT og Digitalisering"
        )
    assert User.objects.get(username="tonny").check_password(demo.DEMO_PASSWORD)
    assert result["created"] == {}


@pytest.mark.django_db
@pytest.mark.django_db
def test_demo_logins_without_data():
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert "load_demo" in out.getvalue()
