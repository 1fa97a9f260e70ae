"""Benefit realisation: planned against realised per year, and what needs attention.

The numbers are computed from `BenefitPlan` and `BenefitMeasurement` rows that the caller
fetched (prefetched), so a page of any number of benefits costs the same few queries
(`benefit_queryset`).

- Realised in a year: for a benefit that accumulates, the sum of the year's measurements; for a
  level, the latest measurement of the year.
- Flags: no responsible leader, no target, a measurement overdue (the next one was due
  before today, counted from the latest measurement, else from the first due date or the
  baseline).
- The portfolio total per year adds up the economic benefits only: kroner can be summed,
  hours and percentages of different benefits cannot.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benefits.models import Benefit, BenefitMeasurement, BenefitPlan


def benefit_queryset(queryset=None):
    """Benefits with what the summaries need, in a constant number of queries."""
    queryset = queryset if queryset is not None else Benefit.objects.all()
    return queryset.select_related("project", "responsible").prefetch_related(
        Prefetch("plans", queryset=BenefitPlan.objects.order_by("year")),
        Prefetch("measurements", queryset=BenefitMeasurement.objects.order_by("measured_on", "pk")),
    )


def realised_by_year(benefit: Benefit) -> dict[int, Decimal]:
    """{year: realised} from the benefit's (prefetched) measurements."""
    result: dict[int, Decimal] = {}
    for m in sorted(benefit.measurements.all(), key=lambda m: (m.measured_on, m.pk)):
        year = m.measured_on.year
        if benefit.accumulates:
            result[year] = result.get(year, Decimal(0)) + m.value
        else:
            result[year] = m.value  # sorted by date: the latest of the year wins
    return result


def planned_by_year(benefit: Benefit) -> dict[int, Decimal]:
    return {plan.year: plan.planned for plan in benefit.plans.all()}


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


@dataclass
class BenefitSummary:
    benefit: Benefit
    rows: list[YearRow]
    last_measured: datetime.date | None
    last_value: Decimal | None
    due: datetime.date | None
    flags: list[str] = field(default_factory=list)

    @property
    def flag_labels(self) -> list[str]:
        return [str(FLAG_LABELS[f]) for f in self.flags]

    @property
    def planned_total(self) -> Decimal:
        return sum((r.planned or 0 for r in self.rows), Decimal(0))

    @property
    def realised_total(self) -> Decimal:
        if self.benefit.accumulates:
            return sum((r.realised or 0 for r in self.rows), Decimal(0))
        return self.last_value if self.last_value is not None else Decimal(0)


def summarise(benefit: Benefit, today: datetime.date | None = None) -> BenefitSummary:
    """Planned vs realised per year, the latest measurement, when the next is due, and flags."""
    today = today or timezone.localdate()
    measurements = sorted(benefit.measurements.all(), key=lambda m: (m.measured_on, m.pk))
    last = measurements[-1] if measurements else None
    due = benefit.measurement_due(last.measured_on if last else None)
    flags = []
    if benefit.responsible_id is None:
        flags.append(FLAG_NO_OWNER)
    if benefit.target_value is None:
        flags.append(FLAG_NO_TARGET)
    if due is not None and due < today:
        flags.append(FLAG_OVERDUE)
    return BenefitSummary(
        benefit=benefit,
        rows=years(planned_by_year(benefit), realised_by_year(benefit)),
        last_measured=last.measured_on if last else None,
        last_value=last.value if last else None,
        due=due,
        flags=flags,
    )


def economic_by_year(benefits) -> list[YearRow]:
    """Planned vs realised kroner per year, over the economic benefits given (prefetched)."""
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
        sum((r.planned or 0 for r in rows if r.year <= year), Decimal(0)),
        sum((r.realised or 0 for r in rows if r.year <= year), Decimal(0)),
    )
