"""Strategy: the municipality's strategies and their goals, and two shared catalogues.

`FocusArea` (the 12 focus areas of the joint municipal digitalisation strategy, seed 003) and
`SDG` (the UN's 17 Sustainable Development Goals) are shared by every municipality: they are not
tenant rows, and they are loaded by a data migration, so every database has them. A `Strategy`
(with a period and its document) and its `Goal`s belong to one municipality. Projects link to
goals, focus areas and SDGs (`portfolio.Project`); `strategy.services` computes the coverage.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import PlausibleDateField, PlausibleYearField
from core.models import TenantModel


class FocusArea(models.Model):
    """A focus area of the joint municipal digitalisation strategy (KL): a shared catalogue."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.name


class SDG(models.Model):
    """One of the UN's 17 Sustainable Development Goals (verdensmål): a shared catalogue."""

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    name = models.CharField(_("Danish name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)

    class Meta:
        verbose_name = _("Sustainable Development Goal")
        verbose_name_plural = _("Sustainable Development Goals")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.label}"

    @property
    def label(self) -> str:
        """The name in the active language: Danish unless the user chose English."""
        return self.name_en if (get_language() or "da").startswith("en") else self.name


def strategy_document_path(instance, filename: str) -> str:
    return f"strategier/{instance.municipality_id}/{filename}"


class Strategy(TenantModel):
    """A strategy or programme for a period, e.g. Digitaliseringsstrategi 2016–2020."""

    title = models.CharField(_("title"), max_length=200)
    start_year = PlausibleYearField(_("first year"))
    end_year = PlausibleYearField(_("last year"))
    vision = models.TextField(_("vision"), blank=True)
    approved_by = models.CharField(
        _("approved by"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “Kommunalbestyrelsen”."),
    )
    approved_on = PlausibleDateField(_("approved on"), null=True, blank=True)
    document = models.FileField(
        _("document"), upload_to=strategy_document_path, blank=True, max_length=300
    )
    document_url = models.URLField(_("link to the document"), blank=True, max_length=500)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["-start_year", "title"]

    detail_url_name = "strategy:strategy_detail"

    def __str__(self) -> str:
        return self.name_with_period

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    @property
    def names_its_period(self) -> bool:
        """Whether the title already says the years ("Digitaliseringsprogram 2021–2025")."""
        return any(f"{self.start_year}{dash}{self.end_year}" in self.title for dash in "–-—")

    @property
    def name_with_period(self) -> str:
        """The title with its period, the years said once."""
        return self.title if self.names_its_period else f"{self.title} ({self.period})"

    def is_current(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The last year is before the first year.")})


class Goal(TenantModel):
    """A goal of a strategy. Projects serve goals."""

    tenant_parent = "strategy"

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="goals"
    )
    number = models.CharField(
        _("number"), max_length=10, blank=True, help_text=_("E.g. “1” or “2.3”.")
    )
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["strategy", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()
