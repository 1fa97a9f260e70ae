"""The demo action plans of Norddjurs: this year's (recommended and approved by last year's
demo meetings, over capacity with a reason, progress followed) and next year's draft;
idempotent; recommended without a link in a year no demo meeting names."""

import datetime
import io

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from core.demo_clock import Clock
from core.models import Municipality
from meetings import demo_year
from organisation import demo
from planning.models import AnnualPlan, Criterion, PlanEntry, PlanState, Progress, Score
from planning.plans import demo as demo_plans
from planning.plans import services as plans
from portfolio import demo as portfolio_demo
from tests.once import once_per_module

pytestmark = pytest.mark.django_db

MODELS = [AnnualPlan, Criterion, PlanEntry, Score]


def _counts() -> dict:
    with scopes_disabled():
        counts = {model.__name__: model.objects.count() for model in MODELS}
        counts.update({f"{m.__name__}.history": m.history.count() for m in MODELS})
    return counts


@once_per_module(history=True)
def norddjurs():
    """The organisation, meetings and portfolio demos, loaded once for the module."""
    demo.load()
    norddjurs = Municipality.objects.get(slug=demo_year.NORDDJURS)
    demo_year.load_year(norddjurs)
    portfolio_demo.load_portfolio(norddjurs)
    return norddjurs


def test_this_years_plan_and_next_years_draft(norddjurs):
    out = io.StringIO()
    created = demo_plans.load(norddjurs, stdout=out)
    assert created["indsatsplaner"] == 2
    year = timezone.localdate().year
    with scopes_disabled():
        current = AnnualPlan.objects.get(municipality=norddjurs, year=year)
        draft = AnnualPlan.objects.get(municipality=norddjurs, year=year + 1)
        view = plans.plan_view(current)
        draft_view = plans.plan_view(draft)
    assert "Indsatsplaner i Norddjurs Kommune: oprettet" in out.getvalue()
    # Last year's demo meetings recommend (November) and approve (December) this year's plan.
    assert current.state == PlanState.APPROVED
    with scopes_disabled():
        recommended, approved = current.recommended_by, current.approved_by
        assert recommended.meeting.body.name == demo_plans.PROGRAMME
        assert approved.meeting.body.name == demo_plans.STEERING
    assert recommended.meeting.date == Clock().date(datetime.date(2024, 11, 19))
    assert approved.meeting.date == Clock().date(datetime.date(2024, 12, 3))
    assert recommended.meeting.date.year == approved.meeting.date.year == year - 1
    assert "anbefaler indsatsplanen" in recommended.decision
    assert f"godkendte indsatsplan {year}" in approved.decision
    assert current.title == f"Indsatsplan {year}" and "(demo)" in current.introduction
    assert "årlig indsatsplan" in current.introduction or "indsatsplan" in current.introduction
    # Over capacity in kroner, with the reason.
    assert view.capacity.amount_over == 350_000 and not view.capacity.hours_over
    assert "(demo)" in current.over_capacity_reason
    # The six default criteria in Danish, every entry fully scored, one rank set by hand.
    assert [c.weight for c in view.criteria] == [25, 25, 15, 15, 10, 10]
    assert all(r.complete for r in view.ranked) and len(view.ranked) == len(demo_plans.ENTRIES)
    (by_hand,) = [r for r in view.ranked if r.overridden]
    assert by_hand.rank == demo_plans.RANK and "(demo)" in by_hand.entry.rank_reason
    # Entries from the demo projects; progress followed.
    assert {r.entry.project.name for r in view.ranked if r.entry.project_id} >= {
        "Nyt intranet",
        "Borgerblikket",
        "Monopolbrud",
    }
    counts = {p["value"]: p["count"] for p in view.progress}
    assert counts[Progress.DONE] == 1 and counts[Progress.AT_RISK] == 1
    # Next year: a draft from the unfinished entries plus one not yet scored.
    assert draft.state == PlanState.DRAFT
    titles = [r.entry.title for r in draft_view.ranked]
    assert "Schrems II – overførsel af data til tredjelande" not in titles  # done
    assert "Telefoniløsning" not in titles  # dropped
    assert "BRA/Smart" in titles and draft_view.incomplete == 1


def test_a_second_run_changes_nothing(norddjurs):
    demo_plans.load(norddjurs)
    before = _counts()
    out = io.StringIO()
    assert demo_plans.load(norddjurs, stdout=out) == {}
    assert "allerede indlæst" in out.getvalue()
    assert _counts() == before


def test_proposals_go_into_next_years_draft(norddjurs):
    from tests import factories

    with scopes_disabled():
        proposal = factories.proposal(
            norddjurs, "Digital post til foreninger (demo)", estimated_hours=150
        )
    demo_plans.load(norddjurs)
    with scopes_disabled():
        draft = AnnualPlan.objects.get(municipality=norddjurs, year=timezone.localdate().year + 1)
        entry = draft.entries.get(proposal=proposal)
    assert entry.title == proposal.title and entry.hours == 150


def test_in_a_year_no_meeting_names_the_plan_is_recommended_without_a_link(norddjurs, monkeypatch):
    """Loaded years after the demo meetings: no decision names the plan, and it says so."""
    later = timezone.localdate().year + 3

    class Today:
        @staticmethod
        def localdate():
            return datetime.date(later, 6, 1)

    monkeypatch.setattr(demo_plans, "timezone", Today)
    out = io.StringIO()
    demo_plans.load(norddjurs, stdout=out)
    with scopes_disabled():
        plan = AnnualPlan.objects.get(municipality=norddjurs, year=later)
    assert plan.state == PlanState.RECOMMENDED
    assert plan.recommended_by_id is None and plan.approved_by_id is None
    assert "ingen beslutning" in plan.introduction
    assert "ingen beslutning om planen" in out.getvalue()
