"""The demo's publishing bodies (publication.demo): the Direktion and the steering group of
Norddjurs publish, once; other municipalities get nothing."""

import io

import pytest
from django_scopes import scopes_disabled

from core.models import Municipality
from organisation.models import BodyKind
from publication import demo
from publication.models import BodyPublication
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_bodies_publish_once():
    norddjurs = Municipality.objects.create(name="Norddjurs Kommune", slug="norddjurs")
    other = factories.municipality("Demokommune Vest")
    with scopes_disabled():
        direktion = factories.body(
            norddjurs, "Direktion", BodyKind.EXECUTIVE_BOARD, short_name="DIR"
        )
        steering = factories.body(
            norddjurs,
            "Digitaliseringsstyregruppen",
            BodyKind.STEERING_GROUP,
            short_name="Styregruppen",
        )
        factories.body(norddjurs, "Chefforum", BodyKind.MANAGEMENT_FORUM)
        factories.body(other, "Direktion", BodyKind.EXECUTIVE_BOARD, short_name="DIR")
    out = io.StringIO()
    assert demo.load(norddjurs, stdout=out) == 2
    assert demo.load(norddjurs, stdout=out) == 0
    assert demo.load(other) == 0
    assert "intet ændret" in out.getvalue()
    with scopes_disabled():
        rows = BodyPublication.objects.all()
        assert {(p.body_id, p.publishes, p.days_before) for p in rows} == {
            (direktion.pk, True, 4),
            (steering.pk, True, 4),
        }
