"""Benefit realisation: what a project is to give, measured against its targets for years.

A `Benefit` of a project has a type (economic and budget-effective, economic but not
budget-effective, qualitative), a unit, a baseline and a target (each a value and a date), a
measurement method and frequency, a responsible leader, and the realisation planned per year
(`BenefitPlan`). `BenefitMeasurement`s record what was realised; they are kept when the
project closes, because that is when most benefits are harvested.

Economic benefits are measured in DKK. A benefit either accumulates (the measurements of a
year add up: kroner saved, hours freed) or is a level (the latest measurement of a year is
the year's value: a share of digital applications, a satisfaction score).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import add_months  # noqa: F401 - benefits.models.add_months, as before
from core.fields import PlausibleDateField, PlausibleYearField
from core.models import TenantModel
from organisation.models import Person
from portfolio.models import Project

DKK = "kr."


class BenefitType(models.TextChoices):
    BUDGET = "budget", _("Economic, budget-effective")
    NON_BUDGET = "non_budget", _("Economic, not budget-effective")
    QUALITATIVE = "qualitative", _("Qualitative")


ECONOMIC = {BenefitType.BUDGET, BenefitType.NON_BUDGET}


class Frequency(models.IntegerChoices):
    """How often the benefit is measured, in months."""

    MONTHLY = 1, _("Monthly")
    QUARTERLY = 3, _("Quarterly")
    HALF_YEARLY = 6, _("Every half year")
    YEARLY = 12, _("Yearly")


class Benefit(TenantModel):
    tenant_parent = "project"

    # Set on the rows of `benefits.services.with_standing` (annotations, not columns).
    last_measured: "datetime.date | None"
    last_value: "Decimal | None"
    realised_sum: "Decimal | None"

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="benefit_set"
    )
    title = models.CharField(_("benefit"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    type = models.CharField(_("type"), max_length=20, choices=BenefitType.choices)
    unit = models.CharField(
        _("unit"),
        max_length=30,
        default=DKK,
        help_text=_("Economic benefits are in kr. Others e.g. “hours”, “%”, “applications”."),
    )
    accumulates = models.BooleanField(
        _("measurements add up over the year"),
        default=True,
        help_text=_(
            "Yes for amounts and hours; no for a level such as a share or a score, "
            "where the latest measurement of the year counts."
        ),
    )
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_date = PlausibleDateField(
        _("baseline date"),
        null=True,
        blank=True,
    )
    target_value = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_date = PlausibleDateField(
        _("target date"),
        null=True,
        blank=True,
    )
    measurement_method = models.TextField(_("measurement method"), blank=True)
    frequency = models.PositiveSmallIntegerField(
        _("measured"), choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    responsible = models.ForeignKey(
        Person,
        verbose_name=_("responsible leader"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="benefits",
    )
    first_due = PlausibleDateField(
        _("first measurement due"),
        null=True,
        blank=True,
        help_text=_("Empty: one measurement period after the baseline date."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        ordering = ["project", "pk"]

    detail_url_name = "benefits:benefit_detail"

    def __str__(self) -> str:
        return self.title

    @property
    def is_economic(self) -> bool:
        return self.type in ECONOMIC

    def measurement_due(self, last_measured: datetime.date | None) -> datetime.date | None:
        """When the next measurement is due, given the date of the latest one."""
        if last_measured:
            return add_months(last_measured, self.frequency)
        if self.first_due:
            return self.first_due
        if self.baseline_date:
            return add_months(self.baseline_date, self.frequency)
        return None

    def clean(self):
        errors = {}
        if self.type in ECONOMIC and self.unit.strip() != DKK:
            errors["unit"] = _("An economic benefit is measured in kr.")
        if self.type in ECONOMIC and not self.accumulates:
            errors["accumulates"] = _("An economic benefit adds up over the year.")
        if not (self.unit or "").strip():
            errors["unit"] = _("Give the unit the benefit is measured in.")
        if self.baseline_date and self.target_date and self.target_date < self.baseline_date:
            errors["target_date"] = _("The target date is before the baseline date.")
        if self.target_value is not None and self.target_date is None:
            errors["target_date"] = _("Give the date the target is to be reached.")
        if self.baseline_value is not None and self.baseline_date is None:
            errors["baseline_date"] = _("Give the date of the baseline.")
        if (
            self.responsible_id
            and self.project_id
            and (self.responsible.municipality_id != self.project.municipality_id)
        ):
            errors["responsible"] = _("The person belongs to another municipality.")
        if errors:
            raise ValidationError(errors)


class BenefitPlan(TenantModel):
    """The realisation planned for one year, in the benefit's unit."""

    tenant_parent = "benefit"

    benefit = models.ForeignKey(
        Benefit, verbose_name=_("benefit"), on_delete=models.CASCADE, related_name="plans"
    )
    year = PlausibleYearField(_("year"))
    planned = models.DecimalField(_("planned"), max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("planned realisation")
        verbose_name_plural = _("planned realisation")
        ordering = ["benefit", "year"]
        constraints = [
            models.UniqueConstraint(fields=["benefit", "year"], name="benefitplan_unique")
        ]

    def __str__(self) -> str:
        return f"{self.benefit} {self.year}"


class BenefitMeasurement(TenantModel):
    """What was realised, measured on a date, in the benefit's unit."""

    tenant_parent = "benefit"

    benefit = models.ForeignKey(
        Benefit,
        verbose_name=_("benefit"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    measured_on = PlausibleDateField(
        _("measured on"),
        default=timezone.localdate,
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(
        _("unit"),
        max_length=30,
        help_text=_("Must be the benefit's unit; convert before recording."),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["benefit", "-measured_on", "-pk"]
        indexes = [models.Index(fields=["benefit", "measured_on"])]

    def __str__(self) -> str:
        return f"{self.benefit}: {self.value} {self.unit} ({self.measured_on:%d-%m-%Y})"

    def clean(self):
        errors = {}
        if self.benefit_id and self.unit.strip() != self.benefit.unit.strip():
            errors["unit"] = _(
                "The benefit is measured in %(unit)s; convert the value before recording it."
            ) % {"unit": self.benefit.unit}
        if self.measured_on and self.measured_on > timezone.localdate():
            errors["measured_on"] = _("A measurement cannot be dated in the future.")
        if errors:
            raise ValidationError(errors)
