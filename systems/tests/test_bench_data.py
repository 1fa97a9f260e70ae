"""The benchmark's system register (bench/generate.py, dataset version 8): ≈1,000 usages per
municipality at scale 1.0 (the large one included), every row valid, and every flag of the
register present."""

import random

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from bench import generate
from core.models import Municipality, Role, User
from systems.duties import State, open_duties
from systems.models import (
    Assessment,
    Breach,
    Contract,
    DataProcessingAgreement,
    Privacy,
    Supervision,
    Supplier,
    System,
    SystemProject,
    SystemUsage,
)


def test_about_100000_usages_in_the_country_and_1000_in_the_largest():
    names = generate.municipality_names(1.0)
    sizes = [
        generate.size_for(1.0, generate.LARGE_FACTOR if name == generate.LARGE else 1)
        for name in names
    ]
    assert 95_000 <= sum(size.systems for size in sizes) <= 105_000
    assert generate.size_for(1.0, generate.LARGE_FACTOR).systems == 1000
    assert generate.size_for(0.02).systems == generate.MINIMUM.systems


@pytest.mark.django_db
def test_generated_register_is_consistent():
    today = timezone.localdate()
    with scopes_disabled():
        municipality = Municipality.objects.create(name="Norddjurs Kommune", slug="norddjurs")
        users = {
            role: User.objects.create(username=f"u-{role}", municipality=municipality, role=role)
            for role in Role
        }
        size = generate.size_for(0.1)
        counts = generate._build(municipality, size, 1, random.Random(3), today, users)
        assert counts["SystemUsage"] == size.systems == 100
        assert counts["System"] == 100 and 10 <= counts["Supplier"] <= 20
        assert 25 <= counts["Contract"] <= 60 and counts["DataProcessingAgreement"] > 10
        assert counts["Assessment"] > 50 and counts["Supervision"] > 5
        for model in (
            Supplier,
            System,
            SystemUsage,
            SystemProject,
            Contract,
            DataProcessingAgreement,
            Supervision,
            Assessment,
            Breach,
            Privacy,
        ):
            rows = list(model.objects.filter(municipality=municipality))
            assert rows, model
            for row in rows:
                row.full_clean()
        usages = SystemUsage.objects.filter(municipality=municipality)
        states = {(duty.kind, duty.state) for duty in open_duties(today, usages=usages)}
        for kind in ("risk_assessment", "notice", "supervision"):
            assert (kind, State.OVERDUE) in states, kind
        assert ("agreement", State.MISSING) in states
        assert any(
            contract.last_notice_date < today < contract.end
            for contract in Contract.objects.filter(municipality=municipality)
        )
        now = timezone.now()
        assert any(
            b.notified_at is None and b.closed_on is None and b.notify_by > now
            for b in Breach.objects.filter(municipality=municipality)
        )
        assert usages.filter(kle_codes__isnull=False).exists()
        assert DataProcessingAgreement.objects.exclude(third_countries="").exists()
