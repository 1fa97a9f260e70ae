"""The rules of a benefit and its measurements: each bad input a clear error on its field."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from benefits.models import Benefit, BenefitMeasurement, BenefitType, add_months
from tests import factories

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def project():
    with scopes_disabled():
        municipality = factories.municipality()
        with translation.override("en"):
            yield factories.project(municipality, "Talegenkendelse")


def _errors(obj) -> dict:
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    return error.value.message_dict


def test_a_target_date_before_the_baseline_date_is_refused(project):
    benefit = Benefit(
        project=project,
        municipality=project.municipality,
        title="Tid sparet",
        type=BenefitType.QUALITATIVE,
        unit="timer",
        baseline_value=0,
        baseline_date=datetime.date(2025, 1, 1),
        target_value=100,
        target_date=datetime.date(2024, 12, 31),
    )
    assert _errors(benefit)["target_date"] == ["The target date is before the baseline date."]


def test_an_economic_benefit_is_in_kroner_and_adds_up(project):
    benefit = Benefit(
        project=project,
        municipality=project.municipality,
        title="Licenser",
        type=BenefitType.BUDGET,
        unit="timer",
        accumulates=False,
    )
    errors = _errors(benefit)
    assert errors["unit"] == ["An economic benefit is measured in kr."]
    assert errors["accumulates"] == ["An economic benefit adds up over the year."]


def test_a_target_needs_its_date_and_a_baseline_its_date(project):
    benefit = Benefit(
        project=project,
        municipality=project.municipality,
        title="Andel digital",
        type=BenefitType.QUALITATIVE,
        unit="%",
        accumulates=False,
        baseline_value=40,
        target_value=80,
    )
    errors = _errors(benefit)
    assert set(errors) == {"target_date", "baseline_date"}


def test_a_measurement_in_another_unit_is_refused(project):
    with scopes_disabled():
        benefit = factories.benefit(
            project, "Færre opkald", type=BenefitType.QUALITATIVE, unit="opkald"
        )
    measurement = BenefitMeasurement(
        benefit=benefit,
        municipality=project.municipality,
        value=12,
        unit="timer",
        measured_on=datetime.date(2024, 6, 1),
    )
    assert _errors(measurement)["unit"] == [
        "The benefit is measured in opkald; convert the value before recording it."
    ]


def test_a_measurement_in_the_future_is_refused(project):
    with scopes_disabled():
        benefit = factories.benefit(project)
    measurement = BenefitMeasurement(
        benefit=benefit,
        municipality=project.municipality,
        value=1,
        unit="kr.",
        measured_on=timezone.localdate() + datetime.timedelta(days=1),
    )
    assert "measured_on" in _errors(measurement)


def test_rows_take_the_municipality_of_their_parent(project):
    with scopes_disabled():
        benefit = factories.benefit(project)
        measurement = factories.measurement(benefit)
    assert benefit.municipality_id == measurement.municipality_id == project.municipality_id


def test_the_next_measurement_is_due_a_period_after_the_last(project):
    with scopes_disabled():
        benefit = factories.benefit(project, baseline_date=datetime.date(2024, 1, 31))
    assert benefit.measurement_due(None) == datetime.date(2024, 4, 30)  # quarterly
    assert benefit.measurement_due(datetime.date(2024, 11, 30)) == datetime.date(2025, 2, 28)
    benefit.first_due = datetime.date(2024, 3, 1)
    assert benefit.measurement_due(None) == datetime.date(2024, 3, 1)


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2024, 12, 15), 12) == datetime.date(2025, 12, 15)
    assert add_months(datetime.date(2024, 11, 30), 3) == datetime.date(2025, 2, 28)
