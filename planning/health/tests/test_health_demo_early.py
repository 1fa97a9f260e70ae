"""This year's demo loaded early in the year, into an empty database: nothing is held yet.

(The tests over the demo loaded today are in test_health_demo.py, which loads it once.)
"""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from core.models import User
from meetings.models import (
    FollowUp,
    Meeting,
    MeetingState,
)
from organisation import demo
from planning.health import demo as demo_current
from planning.health import services as health
from planning.health.tests.test_health_demo import _norddjurs

pytestmark = pytest.mark.django_db


def test_early_in_the_year_nothing_is_held_yet(db, monkeypatch, english):
    demo.load()
    early = datetime.date(timezone.localdate().year + 1, 1, 3)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: early)
    municipality = _norddjurs()
    created = demo_current.load(municipality)
    assert created["møder"] == len(demo_current.meeting_plan(early.year))
    with scopes_disabled():
        meetings = Meeting.objects.filter(municipality=municipality, date__year=early.year)
        assert not meetings.exclude(state=MeetingState.PLANNED).exists()
        assert not FollowUp.objects.filter(
            municipality=municipality, item__isnull=False, due_date__year=early.year
        ).exists()
        admin = User.objects.get(username="admin")
    with scope(municipality=municipality.pk):
        report = health.governance_health(admin, today=early)
    findings = {f.subject: f for f in report.groups[health.CADENCE].findings}
    assert findings[demo_current.BODIES[demo_current.DSG]].message.startswith(
        "0 held and 3 planned"
    )
    assert demo_current.BODIES[demo_current.PG] not in findings
    assert demo_current.BODIES[demo_current.PB] not in findings
