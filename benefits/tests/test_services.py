"""Benefit summaries: realised per year, flags, the portfolio's kroner, due dates, progress."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation
from django_scopes import scopes_disabled

from benefits import services
from benefits.models import Benefit, BenefitMeasurement, BenefitType, Frequency, add_months
from tests import factories

TODAY = datetime.date(2025, 6, 15)


@pytest.fixture
def project(municipality):
    with scopes_disabled():
        return factories.project(municipality, "Digital post")


@pytest.fixture
def leader(municipality):
    return factories.person(municipality, "Lise Leder", "projektleder")


def _fresh(benefit: Benefit) -> Benefit:
    """The benefit as the pages get it: with plans and measurements prefetched."""
    with scopes_disabled():
        return services.benefit_queryset(Benefit.objects.filter(pk=benefit.pk)).get()


def _measure(benefit, *pairs):
    for day, value in pairs:
        factories.measurement(benefit, day, value)


# --- Realised per year -------------------------------------------------------------------------


@pytest.mark.usefixtures("no_scopes")
def test_an_accumulating_benefit_adds_up_the_measurements_of_a_year(project):
    benefit = factories.benefit(project, accumulates=True)
    _measure(
        benefit,
        (datetime.date(2024, 3, 31), 100),
        (datetime.date(2024, 6, 30), 250),
        (datetime.date(2025, 1, 31), 40),
    )
    assert services.realised_by_year(_fresh(benefit)) == {2024: 350, 2025: 40}


@pytest.mark.usefixtures("no_scopes")
def test_a_level_takes_the_latest_measurement_of_the_year_whatever_the_order_recorded(project):
    benefit = factories.benefit(project, type=BenefitType.QUALITATIVE, unit="%", accumulates=False)
    # recorded out of order: the date decides, not the order of recording
    _measure(
        benefit,
        (datetime.date(2024, 12, 1), 62),
        (datetime.date(2024, 3, 1), 40),
        (datetime.date(2024, 6, 1), 55),
        (datetime.date(2025, 2, 1), 64),
    )
    assert services.realised_by_year(_fresh(benefit)) == {2024: 62, 2025: 64}
    summary = services.summarise(_fresh(benefit), TODAY)
    assert summary.last_value == 64
    assert summary.realised_total == 64, "a level's total is its latest value, not a sum"


@pytest.mark.usefixtures("no_scopes")
def test_years_join_the_plan_and_the_measurements(project):
    benefit = factories.benefit(project)
    factories.plan(benefit, 2024, 200)
    factories.plan(benefit, 2026, 300)
    _measure(benefit, (datetime.date(2025, 5, 1), 90))
    rows = services.summarise(_fresh(benefit), TODAY).rows
    assert [(r.year, r.planned, r.realised) for r in rows] == [
        (2024, 200, None),
        (2025, None, 90),
        (2026, 300, None),
    ]
    assert services.YearRow(2024, Decimal(200), Decimal(150)).share == 75
    assert services.YearRow(2024, None, Decimal(150)).share is None


# --- Writing (the page and the API alike) ------------------------------------------------------


@pytest.mark.usefixtures("no_scopes")
def test_a_benefit_is_saved_with_exactly_the_plan_given(project):
    benefit = factories.benefit(project)
    stays = factories.plan(benefit, 2024, 200)
    changes = factories.plan(benefit, 2025, 300)
    factories.plan(benefit, 2026, 400)
    benefit.title = "Færre fejl"
    services.save_benefit(benefit, {2024: Decimal(200), 2025: Decimal(350), 2027: Decimal(10)})
    plans = {plan.year: plan for plan in benefit.plans.all()}
    assert {year: plan.planned for year, plan in plans.items()} == {2024: 200, 2025: 350, 2027: 10}
    assert plans[2024].pk == stays.pk and plans[2025].pk == changes.pk, "a year keeps its row"
    assert Benefit.objects.get(pk=benefit.pk).title == "Færre fejl"

    services.save_benefit(benefit)  # no plan given: the plan stays as it is
    assert sorted(benefit.plans.values_list("year", flat=True)) == [2024, 2025, 2027]


@pytest.mark.usefixtures("no_scopes")
def test_a_measurement_records_who_measured(project, municipality):
    benefit = factories.benefit(project)
    user = factories.user(municipality)
    measurement = services.record_measurement(
        BenefitMeasurement(benefit=benefit, measured_on=TODAY, value=5, unit="kr."), user
    )
    assert BenefitMeasurement.objects.get(pk=measurement.pk).recorded_by == user


# --- Flags -------------------------------------------------------------------------------------


@pytest.mark.usefixtures("no_scopes")
def test_flags_name_what_is_missing(project, leader):
    clean = factories.benefit(project, responsible=leader, frequency=Frequency.QUARTERLY)
    _measure(clean, (datetime.date(2025, 5, 1), 10))
    assert services.summarise(_fresh(clean), TODAY).flags == []

    orphan = factories.benefit(project, responsible=None, target_value=None, target_date=None)
    assert set(services.summarise(_fresh(orphan), TODAY).flags) >= {
        services.FLAG_NO_OWNER,
        services.FLAG_NO_TARGET,
    }


@pytest.mark.usefixtures("no_scopes")
def test_a_measurement_is_overdue_a_period_after_the_latest(project, leader):
    benefit = factories.benefit(project, responsible=leader, frequency=Frequency.QUARTERLY)
    _measure(benefit, (datetime.date(2025, 3, 14), 10))
    summary = services.summarise(_fresh(benefit), TODAY)
    assert summary.due == datetime.date(2025, 6, 14)
    assert summary.flags == [services.FLAG_OVERDUE]
    assert services.summarise(_fresh(benefit), datetime.date(2025, 6, 14)).flags == []
    with translation.override("en"):
        assert summary.flag_labels == ["Measurement overdue"]


@pytest.mark.usefixtures("no_scopes")
def test_a_closed_projects_benefit_is_still_due_for_measurement(project, leader):
    from portfolio.models import Phase

    project.phase = Phase.CLOSED
    project.save()
    benefit = factories.benefit(
        project, responsible=leader, baseline_date=datetime.date(2024, 1, 1)
    )
    assert services.FLAG_OVERDUE in services.summarise(_fresh(benefit), TODAY).flags


# --- Due dates -----------------------------------------------------------------------------


@pytest.mark.usefixtures("no_scopes")
def test_the_due_date_follows_the_frequency(project):
    base = datetime.date(2024, 1, 31)
    benefit = factories.benefit(project, baseline_date=base, frequency=Frequency.MONTHLY)
    assert benefit.measurement_due(None) == datetime.date(2024, 2, 29), "end of a short month"
    for frequency, expected in (
        (Frequency.QUARTERLY, datetime.date(2024, 4, 30)),
        (Frequency.HALF_YEARLY, datetime.date(2024, 7, 31)),
        (Frequency.YEARLY, datetime.date(2025, 1, 31)),
    ):
        benefit.frequency = frequency
        assert benefit.measurement_due(None) == expected
    benefit.first_due = datetime.date(2024, 3, 1)
    assert benefit.measurement_due(None) == datetime.date(2024, 3, 1), "first due beats baseline"
    assert benefit.measurement_due(datetime.date(2024, 11, 30)) == datetime.date(2025, 11, 30)
    benefit.first_due = benefit.baseline_date = None
    assert benefit.measurement_due(None) is None
    assert add_months(datetime.date(2024, 12, 15), 1) == datetime.date(2025, 1, 15)


# --- The portfolio's kroner --------------------------------------------------------------


@pytest.mark.usefixtures("no_scopes")
def test_economic_by_year_adds_up_kroner_only(project):
    budget = factories.benefit(project, type=BenefitType.BUDGET)
    other = factories.benefit(project, type=BenefitType.NON_BUDGET)
    hours = factories.benefit(project, type=BenefitType.QUALITATIVE, unit="timer")
    for benefit, planned, realised in ((budget, 100, 60), (other, 50, 5), (hours, 9999, 9999)):
        factories.plan(benefit, 2024, planned)
        _measure(benefit, (datetime.date(2024, 5, 1), realised))
    with scopes_disabled():
        benefits = list(services.benefit_queryset(Benefit.objects.filter(project=project)))
    rows = services.economic_by_year(benefits)
    assert [(r.year, r.planned, r.realised) for r in rows] == [(2024, 150, 65)]
    assert services.economic_by_year([]) == []


def test_to_date_sums_the_years_up_to_and_including_one():
    rows = [
        services.YearRow(2024, Decimal(100), Decimal(80)),
        services.YearRow(2025, Decimal(200), None),
        services.YearRow(2026, Decimal(300), None),
    ]
    so_far = services.to_date(rows, 2025)
    assert (so_far.planned, so_far.realised, so_far.share) == (300, 80, 27)


# --- Progress toward the target ------------------------------------------------------------


@pytest.mark.usefixtures("no_scopes")
def test_progress_of_a_level_runs_from_the_baseline_to_the_target(project):
    share = factories.benefit(
        project,
        type=BenefitType.QUALITATIVE,
        unit="%",
        accumulates=False,
        baseline_value=40,
        target_value=80,
    )
    assert services.progress(services.summarise(_fresh(share), TODAY)) is None, "not measured"
    _measure(share, (datetime.date(2024, 6, 1), 50), (datetime.date(2025, 1, 1), 60))
    assert services.progress(services.summarise(_fresh(share), TODAY)) == 50
    # a fall to reach: waiting days from 20 down to 5, now 11
    waiting = factories.benefit(
        project,
        type=BenefitType.QUALITATIVE,
        unit="dage",
        accumulates=False,
        baseline_value=20,
        target_value=5,
    )
    _measure(waiting, (datetime.date(2025, 1, 1), 11))
    assert services.progress(services.summarise(_fresh(waiting), TODAY)) == 60


@pytest.mark.usefixtures("no_scopes")
def test_progress_of_an_accumulating_benefit_counts_the_sum(project):
    benefit = factories.benefit(project, baseline_value=0, target_value=500_000)
    assert services.progress(services.summarise(_fresh(benefit), TODAY)) == 0
    _measure(benefit, (datetime.date(2024, 6, 1), 200_000), (datetime.date(2025, 1, 1), 100_000))
    assert services.progress(services.summarise(_fresh(benefit), TODAY)) == 60
    no_target = factories.benefit(project, target_value=None, target_date=None)
    assert services.progress(services.summarise(_fresh(no_target), TODAY)) is None


# --- Summed by the database: the same numbers as in Python ------------------------------------


@pytest.fixture
def varied(project, leader):
    """Benefits of every kind the rules tell apart: measured several times a year, twice on
    one day, recorded out of order, over several years, planned only, never measured; a
    level, an economic level (invalid by `clean`, but the sums must not care), no target, no
    responsible leader, first due given."""
    other = factories.project(project.municipality, "Ældrepleje")
    d = datetime.date
    specs = [
        (
            project,
            dict(type=BenefitType.BUDGET, responsible=leader),
            [
                (d(2024, 3, 31), 100),
                (d(2024, 6, 30), "250.50"),
                (d(2024, 6, 30), 7),
                (d(2025, 1, 31), 40),
            ],
            {2024: 300, 2025: 400, 2026: 500},
        ),
        (
            other,
            dict(type=BenefitType.NON_BUDGET, target_value=None, target_date=None),
            [(d(2025, 5, 1), 90), (d(2023, 12, 31), 15)],
            {2024: 200},
        ),
        (
            project,
            dict(
                type=BenefitType.QUALITATIVE,
                unit="%",
                accumulates=False,
                baseline_value=40,
                target_value=80,
                frequency=Frequency.MONTHLY,
            ),
            [(d(2024, 12, 1), 62), (d(2024, 3, 1), 40), (d(2024, 12, 1), 61), (d(2025, 2, 1), 64)],
            {2024: 60, 2025: 70},
        ),
        (
            other,
            dict(
                type=BenefitType.QUALITATIVE,
                unit="timer",
                responsible=leader,
                frequency=Frequency.YEARLY,
                first_due=d(2025, 9, 1),
            ),
            [(d(2024, 2, 29), "12.25"), (d(2024, 11, 30), "3.75")],
            {},
        ),
        (
            project,
            dict(
                type=BenefitType.BUDGET, baseline_date=d(2025, 1, 31), frequency=Frequency.MONTHLY
            ),
            [],
            {2025: 1000},
        ),
        (
            other,
            dict(
                type=BenefitType.QUALITATIVE,
                unit="point",
                accumulates=False,
                baseline_date=None,
                baseline_value=None,
            ),
            [],
            {},
        ),
        (
            project,
            dict(type=BenefitType.BUDGET, accumulates=False),
            [(d(2024, 5, 1), 10), (d(2024, 9, 1), 30), (d(2024, 9, 1), 20)],
            {2024: 50},
        ),
    ]
    benefits = []
    for owner, fields, measurements, plans in specs:
        benefit = factories.benefit(owner, **fields)
        for day, value in measurements:
            factories.measurement(benefit, day, Decimal(str(value)))
        for year, planned in plans.items():
            factories.plan(benefit, year, planned)
        benefits.append(benefit)
    return benefits


def _rows(rows):
    return [(r.year, r.planned, r.realised) for r in rows]


@pytest.mark.usefixtures("no_scopes")
def test_the_database_adds_up_like_python(varied):
    queryset = Benefit.objects.filter(pk__in=[b.pk for b in varied])
    prefetched = list(services.benefit_queryset(queryset))
    assert _rows(services.economic_by_year(queryset)) == _rows(
        services.economic_by_year(prefetched)
    )
    assert _rows(services.economic_by_year(queryset)) == [
        (2023, None, 15),
        (2024, 550, Decimal("377.50")),
        (2025, 1400, 130),
        (2026, 500, None),
    ], (
        "the economic level counts its latest measurement of 2024 (the last one recorded on "
        "the last day), not the sum"
    )
    by_benefit = services.years_by_benefit(queryset)
    standing = {b.pk: b for b in services.with_standing(queryset)}
    for benefit in prefetched:
        expected = services.summarise(benefit, TODAY)
        assert _rows(by_benefit.get(benefit.pk, [])) == _rows(expected.rows), benefit
        for rows in (None, by_benefit.get(benefit.pk, [])):
            got = services.summarise_standing(standing[benefit.pk], TODAY, rows)
            assert (got.last_measured, got.last_value, got.due, got.flags) == (
                expected.last_measured,
                expected.last_value,
                expected.due,
                expected.flags,
            ), benefit
            assert got.realised_total == expected.realised_total, benefit
            assert got.planned_total == (expected.planned_total if rows else 0)


@pytest.mark.usefixtures("no_scopes")
def test_a_due_date_from_a_values_row_follows_the_model(varied):
    rows = services.with_last_measured(Benefit.objects.all()).values_list(
        "pk",
        "frequency",
        "first_due",
        "baseline_date",
        "last_measured",
        "responsible_id",
        "target_value",
        named=True,
    )
    prefetched = {b.pk: b for b in services.benefit_queryset(Benefit.objects.all())}
    for row in rows:
        expected = services.summarise(prefetched[row.pk], TODAY)
        due = services.due_of(row)
        assert due == expected.due
        assert services.flags_of(row, due, TODAY) == expected.flags


@pytest.mark.usefixtures("no_scopes")
def test_nothing_to_add_up(project):
    assert services.economic_by_year(Benefit.objects.none()) == []
    assert services.years_by_benefit(Benefit.objects.none()) == {}
    benefit = factories.benefit(project)
    standing = services.with_standing(Benefit.objects.filter(pk=benefit.pk)).get()
    summary = services.summarise_standing(standing, TODAY)
    assert (summary.last_measured, summary.last_value, summary.realised_total) == (
        None,
        None,
        0,
    )


@pytest.mark.usefixtures("no_scopes")
def test_the_database_sums_to_the_cent(project):
    """SQLite adds decimals up as floats: 0,10 + 0,20 must still be 0,30."""
    benefit = factories.benefit(project)
    for value in ("0.10", "0.20", "1250000.35"):
        factories.measurement(benefit, datetime.date(2024, 5, 1), Decimal(value))
    factories.plan(benefit, 2024, Decimal("0.10"))
    factories.plan(factories.benefit(project), 2024, Decimal("0.20"))
    queryset = Benefit.objects.filter(project=project)
    [row] = services.economic_by_year(queryset)
    assert (str(row.planned), str(row.realised)) == ("0.30", "1250000.65")
    assert str(services.years_by_benefit(queryset)[benefit.pk][0].realised) == "1250000.65"
    standing = services.with_standing(Benefit.objects.filter(pk=benefit.pk)).get()
    assert str(services.summarise_standing(standing, TODAY).realised_total) == "1250000.65"
