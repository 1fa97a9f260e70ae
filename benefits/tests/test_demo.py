"""The demo benefits of the demo portfolio's projects: idempotent, every type, the flags
the product checks (no responsible leader, no target, overdue), with the closed projects'
benefits still measured, and invented dates that follow the day the demo is loaded
(`core.demo_clock`; loaded on other days in portfolio/tests/test_demo_loading.py)."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from benefits import demo as benefits_demo
from benefits.models import Benefit, BenefitMeasurement, BenefitPlan, BenefitType, add_months
from benefits.services import (
    FLAG_NO_OWNER,
    FLAG_NO_TARGET,
    FLAG_OVERDUE,
    benefit_queryset,
    summarise,
)
from core.demo_clock import Clock
from core.models import Municipality, User
from organisation import demo
from portfolio import demo as portfolio_demo
from portfolio.models import Phase, Project
from tests.once import once_per_module

pytestmark = pytest.mark.django_db

MODELS = [Benefit, BenefitPlan, BenefitMeasurement]
SLUGS = (benefits_demo.NORDDJURS, benefits_demo.VEST)


def _counts() -> dict[str, int]:
    with scopes_disabled():
        counts = {model.__name__: model.objects.count() for model in MODELS}
        counts.update({f"{model.__name__}.history": model.history.count() for model in MODELS})
    return counts


def _load_benefits() -> dict[str, dict]:
    with scopes_disabled():
        return {
            slug: benefits_demo.load_benefits(Municipality.objects.get(slug=slug)) for slug in SLUGS
        }


@once_per_module(history=True)
def norddjurs():
    """The organisation and portfolio demos and this one, loaded once for the module."""
    demo.load()
    for slug in SLUGS:
        municipality = Municipality.objects.get(slug=slug)
        portfolio_demo.load_portfolio(municipality)
        benefits_demo.load_benefits(municipality)
    return Municipality.objects.get(slug=benefits_demo.NORDDJURS)


def assert_the_benefits_follow(clock: Clock) -> None:
    """Every demo benefit is its spec, written for 2024, moved by `clock`: plans in the
    clock's years, baselines, targets and first measurements where `benefits.demo.moved` puts
    them (the first and last days of months stay so), measurements up to today and none in the
    written years, and a benefit measured until today is not overdue."""
    today = clock.today
    last_year = clock.year(2024)
    with scopes_disabled():
        for slug, plan in benefits_demo.PLANS.items():
            for name, specs in plan.items():
                for spec in specs:
                    benefit = Benefit.objects.get(
                        project__municipality__slug=slug, project__name=name, title=spec.title
                    )
                    assert sorted(benefit.plans.values_list("year", flat=True)) == sorted(
                        clock.year(year) for year, _ in spec.plans
                    )
                    for written, stored in (
                        (spec.baseline and spec.baseline[1], benefit.baseline_date),
                        (spec.target and spec.target[1], benefit.target_date),
                        (spec.first_due, benefit.first_due),
                    ):
                        assert stored == benefits_demo.moved(clock, written), spec.title
                        if written is None or written < portfolio_demo.WINDOW_FROM:
                            assert stored == written  # history stays
                        elif written.day == 1 or (written + datetime.timedelta(1)).day == 1:
                            # the first or last day of a month stays so, in the clock's year
                            assert stored.year == clock.year(written.year)
                            assert (stored.month, stored.day) == (written.month, written.day)
                        else:
                            assert stored == clock.date(written)
                    measured = list(
                        benefit.measurements.order_by("measured_on").values_list(
                            "measured_on", flat=True
                        )
                    )
                    first = benefits_demo.moved(clock, spec.measure_from)
                    if first is None or first > today:
                        assert not measured
                        continue
                    assert first.year == clock.year(spec.measure_from.year)
                    assert measured and measured[0] == first, spec.title
                    assert measured[0] >= datetime.date(last_year, 1, 1)
                    assert measured[-1] <= today
                    if not spec.stop:  # measured until today: the next one is not due yet
                        assert add_months(measured[-1], spec.frequency) > today, spec.title


def test_loading_twice_changes_nothing(norddjurs):
    counts = _counts()
    assert counts["Benefit"] == sum(
        len(specs)
        for plan in (benefits_demo.NORDDJURS_BENEFITS, benefits_demo.VEST_BENEFITS)
        for specs in plan.values()
    )
    out = io.StringIO()
    with scopes_disabled():
        again = benefits_demo.load_benefits(norddjurs, stdout=out)
    assert again == {} and _load_benefits() == {slug: {} for slug in SLUGS}
    assert _counts() == counts
    assert "Gevinster i Norddjurs Kommune: allerede indlæst; intet ændret." in out.getvalue()


def test_every_benefit_belongs_to_a_project_of_the_portfolio_demo(norddjurs):
    for slug, plan in benefits_demo.PLANS.items():
        projects = {spec.name for spec in portfolio_demo.PLANS[slug]["projects"]}
        assert set(plan) <= projects, slug
    with scopes_disabled():
        vest = Benefit.objects.filter(municipality__slug=benefits_demo.VEST)
        assert {b.project.name for b in vest} == set(benefits_demo.VEST_BENEFITS)
        assert all(b.project.municipality_id == b.municipality_id for b in Benefit.objects.all())


def test_the_invented_dates_follow_today(norddjurs):
    assert_the_benefits_follow(Clock())


def test_benefits_of_every_type_and_the_flags_show(norddjurs):
    today = timezone.localdate()
    with scopes_disabled():
        benefits = list(benefit_queryset(Benefit.objects.filter(municipality=norddjurs)))
        assert len(benefits) >= 8
        assert {b.type for b in benefits} == set(BenefitType.values)
        flags = {b.project.name: summarise(b, today).flags for b in benefits}
        assert FLAG_NO_OWNER in flags["Nyt intranet"]
        assert FLAG_NO_TARGET in flags["Borgerblikket"]
        assert FLAG_OVERDUE in flags["Udnyttelse af velfærdsteknologi"]
        assert sum(1 for f in flags.values() if not f) >= 5
        for benefit in benefits:
            benefit.full_clean()
            assert benefit.plans.all(), benefit
            for measurement in benefit.measurements.all():
                measurement.full_clean()
        # a closed project's benefits are still measured after it closed
        aula = Project.objects.get(municipality=norddjurs, name="Aula")
        assert aula.phase == Phase.CLOSED
        assert BenefitMeasurement.objects.filter(
            benefit__project=aula, measured_on__gt=aula.end_date
        ).exists()


def test_the_benefit_pages_show_the_demo(norddjurs, client):
    with scopes_disabled():
        client.force_login(User.objects.get(username="projektleder"))
        intranet = Project.objects.get(municipality=norddjurs, name="Nyt intranet")
        benefit = Benefit.objects.filter(project=intranet).get()
    for url_name, args, text in (
        ("benefits:benefit_overview", [], "Lavere licensudgifter efter monopolbruddet (demo)"),
        ("benefits:benefit_detail", [benefit.pk], benefit.title),
    ):
        response = client.get(reverse(url_name, args=args))
        assert response.status_code == 200, url_name
        assert text in response.content.decode(), url_name
