"""Benefit realisation: planned against realised per year, and what needs attention.

The numbers of one benefit, or of a few, are computed from `BenefitPlan` and
`BenefitMeasurement` rows that the caller fetched (prefetched), so a page of any number of
benefits costs the same few queries (`benefit_queryset`, `summarise`). Pages over the whole
portfolio (thousands of benefits with all their measurements) let the database add up
instead, with the same rules: `with_standing` annotates the latest measurement and the sum,
`economic_by_year` and `years_by_benefit` sum per year in SQL (`counted_measurements`).

- Realised in a year: for a benefit that accumulates, the sum of the year's measurements; for a
  level, the latest measurement of the year.
- Flags: no responsible leader, no target, a measurement overdue (the next one was due
  before today, counted from the latest measurement, else from the first due date or the
  baseline).
- The portfolio total per year adds up the economic benefits only: kroner can be summed,
  hours and percentages of different benefits cannot.

The writes are here too, for the page and the API alike: a benefit with its plan per year
(`save_benefit`) and a measurement (`record_measurement`). The form or serializer validates
first (the models' `clean`); these write in one transaction.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import overload

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    DateField,
    DecimalField,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benefits.models import DKK, ECONOMIC, Benefit, BenefitMeasurement, BenefitPlan

# --- Writing -----------------------------------------------------------------------------------


# --- Units -------------------------------------------------------------------------------------

# Ways of writing kroner that mean the benefit's "kr.".
KRONER = {"kr", "dkk", "kroner"}


def _norm(unit: str) -> str:
    return unit.strip().casefold().rstrip(".")


def same_unit(typed: str, unit: str) -> bool:
    """ "Kr", "kr" and "kr." are the same unit; so are "Timer" and "timer"."""
    return _norm(typed) == _norm(unit) or (_norm(typed) in KRONER and _norm(unit) in KRONER)


def benefit_unit(benefit: Benefit, typed: str) -> str:
    """The unit a benefit is to have when `typed` is given (the page and the API ask here):
    kroner written any way is "kr."; a benefit with measurements keeps its unit."""
    unit = (typed or "").strip()
    if _norm(unit) in KRONER:
        unit = DKK
    if benefit.pk and unit != benefit.unit.strip() and benefit.measurements.exists():
        raise ValidationError(
            _("The benefit has measurements in %(unit)s; its unit cannot change.")
            % {"unit": benefit.unit}
        )
    return unit


def measurement_unit(benefit: Benefit, typed: str) -> str:
    """The benefit's own spelling of its unit when `typed` is the same unit."""
    unit = (typed or "").strip()
    return benefit.unit if same_unit(unit, benefit.unit) else unit


@transaction.atomic
def save_benefit(benefit: Benefit, plans: dict[int, Decimal] | None = None) -> Benefit:
    """Save a validated benefit and, when `plans` is given ({year: planned}), make its plan
    exactly that (`set_plans`): the benefit and its plan, all of it or nothing."""
    benefit.save()
    if plans is not None:
        set_plans(benefit, plans)
    return benefit


def set_plans(benefit: Benefit, plans: dict[int, Decimal]) -> None:
    """Make the benefit's plans exactly `plans` ({year: planned}), row by row (so each change
    is in the history); a year that stays keeps its row, saved only when its amount changes."""
    existing = {plan.year: plan for plan in BenefitPlan.within(benefit).filter(benefit=benefit)}
    for year, plan in existing.items():
        if year not in plans:
            plan.delete()
    for year, planned in plans.items():
        plan = existing.get(year)
        if plan is None:
            BenefitPlan(benefit=benefit, year=year, planned=planned).save()
        elif plan.planned != planned:
            plan.planned = planned
            plan.save()


@transaction.atomic
def record_measurement(measurement: BenefitMeasurement, user=None) -> BenefitMeasurement:
    """Save a validated measurement, recorded by `user` (none when anonymous)."""
    measurement.recorded_by = user if user is not None and user.is_authenticated else None
    measurement.save()
    return measurement


# --- Reading ------------------------------------------------------------------------------------


def benefit_queryset(queryset=None):
    """Benefits with what the summaries need, in a constant number of queries."""
    queryset = queryset if queryset is not None else Benefit.objects.all()
    return queryset.select_related("project", "responsible").prefetch_related(
        Prefetch("plans", queryset=BenefitPlan.objects.order_by("year")),
        Prefetch("measurements", queryset=BenefitMeasurement.objects.order_by("measured_on", "pk")),
    )


def realised_by_year(benefit: Benefit, since: datetime.date | None = None) -> dict[int, Decimal]:
    """{year: realised} from the benefit's (prefetched) measurements (from `since` on)."""
    result: dict[int, Decimal] = {}
    for m in sorted(benefit.measurements.all(), key=lambda m: (m.measured_on, m.pk)):
        if since is not None and m.measured_on < since:
            continue
        year = m.measured_on.year
        if benefit.accumulates:
            result[year] = result.get(year, Decimal(0)) + m.value
        else:
            result[year] = m.value  # sorted by date: the latest of the year wins
    return result


def planned_by_year(benefit: Benefit, since: datetime.date | None = None) -> dict[int, Decimal]:
    """{year: planned} from the benefit's (prefetched) plans (from the year of `since` on)."""
    return {
        plan.year: plan.planned
        for plan in benefit.plans.all()
        if since is None or plan.year >= since.year
    }


@dataclass
class YearRow:
    year: int
    planned: Decimal | None
    realised: Decimal | None

    @property
    def share(self) -> int | None:
        """Realised as a whole percentage of planned."""
        if not self.planned or self.realised is None:
            return None
        return round(self.realised / self.planned * 100)


def years(planned: dict[int, Decimal], realised: dict[int, Decimal]) -> list[YearRow]:
    return [
        YearRow(year, planned.get(year), realised.get(year))
        for year in sorted(planned.keys() | realised.keys())
    ]


FLAG_NO_OWNER = "no_owner"
FLAG_NO_TARGET = "no_target"
FLAG_OVERDUE = "overdue"
FLAG_LABELS = {
    FLAG_NO_OWNER: _("No responsible leader"),
    FLAG_NO_TARGET: _("No target"),
    FLAG_OVERDUE: _("Measurement overdue"),
}


def flags_of(benefit, due: datetime.date | None, today: datetime.date) -> list[str]:
    """What needs attention: `benefit` is a Benefit or a row with its `responsible_id` and
    `target_value`; `due` the date the next measurement is due."""
    flags = []
    if benefit.responsible_id is None:
        flags.append(FLAG_NO_OWNER)
    if benefit.target_value is None:
        flags.append(FLAG_NO_TARGET)
    if due is not None and due < today:
        flags.append(FLAG_OVERDUE)
    return flags


def due_of(row) -> datetime.date | None:
    """`Benefit.measurement_due` of a values row (frequency, first_due, baseline_date and
    last_measured): the model's rule, without building a model instance per row."""
    return Benefit.measurement_due(row, row.last_measured)


@dataclass
class BenefitSummary:
    benefit: Benefit
    rows: list[YearRow]
    last_measured: datetime.date | None
    last_value: Decimal | None
    due: datetime.date | None
    flags: list[str] = field(default_factory=list)
    # The sum of all measurements, when the database added them up (`with_standing`) and
    # the rows are not given.
    realised_sum: Decimal | None = None

    @property
    def flag_labels(self) -> list[str]:
        return [str(FLAG_LABELS[f]) for f in self.flags]

    @property
    def planned_total(self) -> Decimal:
        return sum((r.planned or Decimal(0) for r in self.rows), Decimal(0))

    @property
    def realised_total(self) -> Decimal:
        if self.benefit.accumulates:
            if self.realised_sum is not None:
                return self.realised_sum
            return sum((r.realised or Decimal(0) for r in self.rows), Decimal(0))
        return self.last_value if self.last_value is not None else Decimal(0)


def summarise(
    benefit: Benefit, today: datetime.date | None = None, since: datetime.date | None = None
) -> BenefitSummary:
    """Planned vs realised per year, the latest measurement, when the next is due, and flags.

    With `since` (the day of a decision), the years, the realised total and the latest
    measurement count only from that day on (the plans from its year): what has been realised
    since. When the next measurement is due, and the flags, still follow every measurement.
    """
    today = today or timezone.localdate()
    measurements = sorted(benefit.measurements.all(), key=lambda m: (m.measured_on, m.pk))
    last = measurements[-1] if measurements else None
    due = benefit.measurement_due(last.measured_on if last else None)
    if since is not None:
        counted = [m for m in measurements if m.measured_on >= since]
        last = counted[-1] if counted else None
    return BenefitSummary(
        benefit=benefit,
        rows=years(planned_by_year(benefit, since), realised_by_year(benefit, since)),
        last_measured=last.measured_on if last else None,
        last_value=last.value if last else None,
        due=due,
        flags=flags_of(benefit, due, today),
    )


def economic_by_year(benefits) -> list[YearRow]:
    """Planned vs realised kroner per year, over the economic benefits given: a queryset is
    added up by the database (`economic_by_year_in_sql`), a list of benefits in Python from
    their prefetched plans and measurements."""
    if isinstance(benefits, QuerySet):
        return economic_by_year_in_sql(benefits)
    planned: dict[int, Decimal] = defaultdict(Decimal)
    realised: dict[int, Decimal] = defaultdict(Decimal)
    for benefit in benefits:
        if not benefit.is_economic:
            continue
        for year, value in planned_by_year(benefit).items():
            planned[year] += value
        for year, value in realised_by_year(benefit).items():
            realised[year] += value
    return years(dict(planned), dict(realised))


# --- Added for the benefit pages ---------------------------------------------------------------


def progress(summary: BenefitSummary) -> int | None:
    """How far the benefit has come toward its target, in whole percent (may pass 100).

    A level counts its latest measurement on the way from the baseline to the target (a
    target below the baseline is a fall to reach: waiting days from 20 to 5). A benefit that
    accumulates counts the sum of all its measurements against the target. None without a
    target, or for a level not measured yet or whose target equals its baseline.
    """
    benefit = summary.benefit
    if benefit.target_value is None:
        return None
    if benefit.accumulates:
        start, current = Decimal(0), summary.realised_total
    else:
        if summary.last_value is None:
            return None
        start, current = benefit.baseline_value or Decimal(0), summary.last_value
    span = benefit.target_value - start
    if span == 0:
        return None
    return round((current - start) / span * 100)


def to_date(rows: list[YearRow], year: int) -> YearRow:
    """Planned and realised summed over the years up to and including `year`."""
    return YearRow(
        year,
        sum((r.planned or Decimal(0) for r in rows if r.year <= year), Decimal(0)),
        sum((r.realised or Decimal(0) for r in rows if r.year <= year), Decimal(0)),
    )


# --- Summed by the database, for pages over the whole portfolio ---------------------------------


CENT = Decimal("0.01")


@overload
def _cents(value: Decimal) -> Decimal: ...
@overload
def _cents(value: None) -> None: ...
def _cents(value: Decimal | None) -> Decimal | None:
    """A sum from the database to the cent: SQLite adds decimals up as floats."""
    return value.quantize(CENT) if value is not None else None


class Year(ExtractYear):
    """The year of a date. On SQLite with its own strftime: Django's ExtractYear calls a
    Python function there for every row."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(strftime('%%Y', {sql}) AS INTEGER)", params


def _measurements_of_outer(benefit: str = "pk") -> QuerySet:
    """The measurements of the benefit of the outer query's row. Unscoped: the outer row
    is already the municipality's, and the scope's `municipality_id = …` would tempt SQLite
    to walk every measurement of the municipality by that index instead of the benefit's."""
    return BenefitMeasurement._base_manager.filter(benefit=OuterRef(benefit)).order_by()


def counted_measurements(measurements: QuerySet | None = None) -> QuerySet:
    """The measurements whose sum per benefit and year is the year's realised value, each
    with its `year`: every measurement of a benefit that accumulates, and the latest of the
    year (by date, then by the order recorded) of a level."""
    measurements = measurements if measurements is not None else BenefitMeasurement.objects.all()
    later_that_year = (
        _measurements_of_outer("benefit")
        .annotate(its_year=Year("measured_on"))
        .filter(its_year=OuterRef("year"))
        .filter(
            Q(measured_on__gt=OuterRef("measured_on"))
            | Q(measured_on=OuterRef("measured_on"), pk__gt=OuterRef("pk"))
        )
    )
    return measurements.annotate(year=Year("measured_on")).filter(
        Q(benefit__accumulates=True) | ~Exists(later_that_year)
    )


def economic_by_year_in_sql(benefits: QuerySet) -> list[YearRow]:
    """`economic_by_year` of a queryset of benefits, in two grouped queries."""
    economic = benefits.filter(type__in=ECONOMIC).values("pk")
    planned = (
        BenefitPlan.objects.filter(benefit__in=economic)
        .order_by()
        .values("year")
        .annotate(total=Sum("planned"))
        .values_list("year", "total")
    )
    realised = (
        counted_measurements(BenefitMeasurement.objects.filter(benefit__in=economic))
        .order_by()
        .values("year")
        .annotate(total=Sum("value"))
        .values_list("year", "total")
    )
    return years(
        {year: _cents(total) for year, total in planned},
        {year: _cents(total) for year, total in realised},
    )


def years_by_benefit(benefits: QuerySet) -> dict[int, list[YearRow]]:
    """{benefit id: planned vs realised per year} of every benefit of the queryset, in two
    queries and without loading the measurements."""
    ids = benefits.values("pk")
    planned: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for benefit_id, year, value in (
        BenefitPlan.objects.filter(benefit__in=ids)
        .order_by()
        .values_list("benefit_id", "year", "planned")
    ):
        planned[benefit_id][year] = value
    realised: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for benefit_id, year, value in (
        counted_measurements(BenefitMeasurement.objects.filter(benefit__in=ids))
        .order_by()
        .values("benefit_id", "year")
        .annotate(total=Sum("value"))
        .values_list("benefit_id", "year", "total")
    ):
        realised[benefit_id][year] = _cents(value)
    return {
        benefit_id: years(planned.get(benefit_id, {}), realised.get(benefit_id, {}))
        for benefit_id in planned.keys() | realised.keys()
    }


def _latest_measurement() -> QuerySet:
    return _measurements_of_outer().order_by("-measured_on", "-pk")


def with_last_measured(benefits: QuerySet) -> QuerySet:
    """The benefits, each with the date of its latest measurement (`last_measured`)."""
    return benefits.annotate(
        last_measured=Subquery(
            _latest_measurement().values("measured_on")[:1], output_field=DateField()
        )
    )


def with_standing(benefits: QuerySet) -> QuerySet:
    """The benefits with their project and responsible leader, and the latest measurement's
    date and value and the sum of all measurements, for `summarise_standing`."""
    value = DecimalField(max_digits=14, decimal_places=2)
    # SUM as a plain function, not an aggregate: no GROUP BY in the subquery
    total = (
        _measurements_of_outer()
        .annotate(total=Func(F("value"), function="SUM", output_field=value))
        .values("total")
    )
    return with_last_measured(benefits.select_related("project", "responsible")).annotate(
        last_value=Subquery(_latest_measurement().values("value")[:1], output_field=value),
        realised_sum=Subquery(total, output_field=value),
    )


def summarise_standing(
    benefit: Benefit, today: datetime.date | None = None, rows: list[YearRow] | None = None
) -> BenefitSummary:
    """`summarise` of a benefit from `with_standing`, with the year rows given (from
    `years_by_benefit`) or none (a list that shows the totals only)."""
    today = today or timezone.localdate()
    due = benefit.measurement_due(benefit.last_measured)
    return BenefitSummary(
        benefit=benefit,
        rows=rows if rows is not None else [],
        last_measured=benefit.last_measured,
        last_value=_cents(benefit.last_value),
        due=due,
        flags=flags_of(benefit, due, today),
        realised_sum=(_cents(benefit.realised_sum) or Decimal(0)) if rows is None else None,
    )
