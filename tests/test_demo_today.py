"""The whole demo, loaded on two days years apart, looks like a municipality in use that month.

The seeds' dated documents keep their dates (the Direktion meeting of 15-05-2024, the status
memo of August 2021); everything invented follows the day of loading (`core.demo_clock`):
nothing before today waits for an agenda or minutes, there is a meeting held lately and one
coming, no follow-up is long overdue, nothing that happened is dated after today, the projects
have reported lately, the bodies at work have a status of this month, and this year's action
plan is approved; the portfolio and its benefits follow the day too and a second load of them
changes nothing. `load_demo` run twice loads everything once (each app's own loading tests
leave it to this module: a whole demo load costs seconds, in both test passes).
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from benefits import demo as benefits_demo
from benefits.models import BenefitMeasurement
from benefits.tests.test_demo import _counts as _benefit_counts
from benefits.tests.test_demo import assert_the_benefits_follow
from core.demo_clock import Clock
from core.models import Municipality
from meetings.models import FollowUp, Meeting, MeetingState
from meetings.tests.test_demo_year import _counts as _meeting_counts
from organisation import demo
from organisation.models import BodyStatus
from organisation.tests.test_demo import _counts as _organisation_counts
from planning.models import AnnualPlan, PlanState, Proposal
from portfolio import demo as portfolio_demo
from portfolio.models import Milestone, Project, StatusReport
from portfolio.tests.test_demo import _counts as _portfolio_counts
from portfolio.tests.test_demo import assert_the_portfolio_follows

D = datetime.date
DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.django_db


# Early in a year (the written 2025 is this year and partly still ahead) and years later.
@pytest.mark.parametrize("today", [D(2026, 2, 10), D(2029, 10, 23)])
def test_the_demo_lives_in_the_day_it_is_loaded(today, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    call_command("load_demo", stdout=io.StringIO())
    with scopes_disabled():
        norddjurs = Municipality.objects.get(slug="norddjurs")
        meetings = Meeting.objects.filter(municipality=norddjurs)

        # The seeds keep their dates.
        direktion = meetings.get(body__name=demo.DIREKTION, date=D(2024, 5, 15))
        assert direktion.state == MeetingState.MINUTES_APPROVED
        assert BodyStatus.objects.filter(municipality=norddjurs, date=D(2021, 8, 15)).count() == 4

        # Meetings: nothing before today waits; one held lately, one coming.
        waiting = Meeting.objects.filter(date__lt=today).exclude(
            state=MeetingState.MINUTES_APPROVED
        )
        assert not waiting.exists(), list(waiting.values_list("title", "date"))
        assert meetings.filter(
            date__range=(today - 90 * DAY, today), state=MeetingState.MINUTES_APPROVED
        ).exists()
        assert meetings.filter(date__range=(today, today + 90 * DAY)).exists()
        assert meetings.filter(date__year=today.year - 1).count() >= 8
        assert not meetings.filter(title__contains="/2024").exists()

        # Follow-ups: some to do, none long overdue, none done in the future.
        follow_ups = FollowUp.objects.all()
        assert follow_ups.open().filter(municipality=norddjurs).exists()
        long_overdue = follow_ups.overdue(today - 60 * DAY)
        assert not long_overdue.exists(), list(long_overdue.values_list("description", "due_date"))
        assert not follow_ups.filter(done_on__gt=today).exists()

        # What has happened is not dated after today.
        assert not StatusReport.objects.filter(period_end__gt=today).exists()
        assert not Milestone.objects.filter(done_on__gt=today).exists()
        assert not BenefitMeasurement.objects.filter(measured_on__gt=today).exists()
        assert not Proposal.objects.filter(received_on__gt=today).exists()
        assert not BodyStatus.objects.filter(date__gt=today).exists()

        # The projects in progress have reported within six weeks.
        reports = StatusReport.objects.filter(municipality=norddjurs)
        newest = reports.order_by("-period_end").first()
        assert today - 42 * DAY <= newest.period_end <= today
        assert Project.objects.filter(municipality=norddjurs).exists()

        # Each body at work has a status of this month.
        for name, _days, _text in demo.NORDDJURS_RECENT_STATUSES:
            latest = BodyStatus.objects.filter(municipality=norddjurs, body__name=name).latest(
                "date"
            )
            assert today - 40 * DAY <= latest.date <= today, name

        # This year's action plan, approved by last year's meetings; next year's a draft.
        plan = AnnualPlan.objects.get(municipality=norddjurs, year=today.year)
        assert plan.state == PlanState.APPROVED
        assert plan.approved_by.meeting.date.year == today.year - 1
        assert AnnualPlan.objects.get(municipality=norddjurs, year=today.year + 1).state == (
            PlanState.DRAFT
        )

        # The portfolio and its benefits follow the day; loading them again adds nothing.
        made_by_proposals = Proposal.objects.filter(project__isnull=False)
        assert_the_portfolio_follows(
            Clock(), others=frozenset(made_by_proposals.values_list("project__name", flat=True))
        )
        assert_the_benefits_follow(Clock())
        counts = _portfolio_counts() | _benefit_counts()
        municipalities = [
            Municipality.objects.get(slug=slug)
            for slug in (portfolio_demo.NORDDJURS, portfolio_demo.VEST)
        ]
        assert [portfolio_demo.load_portfolio(m) for m in municipalities] == [{}, {}]
        assert [benefits_demo.load_benefits(m) for m in municipalities] == [{}, {}]
        assert _portfolio_counts() | _benefit_counts() == counts


def _all_counts() -> dict:
    return {
        **_organisation_counts(),
        **_meeting_counts(),
        **_portfolio_counts(),
        **_benefit_counts(),
    }


def test_load_demo_twice_loads_everything_once():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Portefølje i Norddjurs Kommune: oprettet" in out.getvalue()
    assert "Gevinster i Norddjurs Kommune: oprettet" in out.getvalue()
    counts = _all_counts()
    assert counts["Meeting"] >= 9 and counts["Benefit"] and counts["BenefitMeasurement"]
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "intet ændret" in out.getvalue()
    assert "Portefølje i Norddjurs Kommune: allerede indlæst" in out.getvalue()
    assert "Gevinster i Norddjurs Kommune: allerede indlæst" in out.getvalue()
    assert _all_counts() == counts
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for username in ("admin", "sekretaer", "tonny", "projektleder", "laeser", "vest-admin"):
        assert username in text
    assert "digistyr-demo" in text
    assert "Tonny Olsen" in text
    assert "Demokommune Vest" in text
