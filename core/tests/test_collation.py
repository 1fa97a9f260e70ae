"""Danish alphabetical order in the database (SQLite and PostgreSQL) and in Python."""

import pytest
from django.urls import reverse

from core.collation import danish_key
from tests import factories

NAMES = [
    "Åge Ågesen",
    "Ærø Hansen",
    "anders And",
    "Zacharias Zink",
    "Øster Øgaard",
    "Émile Eriksen",
]
DANISH_ORDER = [
    "anders And",
    "Émile Eriksen",
    "Zacharias Zink",
    "Ærø Hansen",
    "Øster Øgaard",
    "Åge Ågesen",
]


def test_python_key():
    assert sorted(NAMES, key=danish_key) == DANISH_ORDER


@pytest.mark.django_db
def test_people_are_listed_in_danish_order(reader_client, municipality):
    for name in NAMES:
        factories.person(municipality, name)
    html = reader_client.get(reverse("organisation:person_list")).content.decode()
    positions = [html.index(name) for name in DANISH_ORDER]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_api_lists_in_danish_order(admin_client, municipality):
    for name in NAMES:
        factories.body(municipality, name)
    names = [row["name"] for row in admin_client.get("/api/v1/bodies/").json()["results"]]
    assert names == DANISH_ORDER
