"""Pages of benefit realisation: the portfolio's overview, a project's benefits, one benefit,
the benefit form with its plan per year, and recording a measurement.

Everyone in the municipality reads them. A project's keepers (`portfolio.access`) create and
edit its benefits; they and the benefit's responsible leader record measurements, also after
the project has closed, since that is when most benefits are harvested. The numbers come
from `benefits.services`, over prefetched rows, so a page costs the same few queries for any
number of benefits.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benefits import services
from benefits.forms import (
    FLAG_ANY,
    PHASE_ACTIVE,
    RESPONSIBLE_NONE,
    BenefitFilterForm,
    BenefitForm,
    MeasurementForm,
    plan_formset,
)
from benefits.models import Benefit, BenefitMeasurement
from benefits.services import (
    FLAG_LABELS,
    FLAG_NO_OWNER,
    FLAG_NO_TARGET,
    FLAG_OVERDUE,
    BenefitSummary,
    YearRow,
)
from core.charts import BarChart, Series, bar_chart
from core.collation import Danish, danish_key
from core.forms import format_danish_decimal
from documents.http import XLSX, download
from documents.xlsx import XlsxExporter
from organisation.models import Person
from portfolio.access import can_edit_project, can_measure, person_id
from portfolio.models import ACTIVE_PHASES, Project

DKK = "kr."


def _invalid_status(request: HttpRequest) -> int:
    return 422 if request.method == "POST" else 200


def year_chart(title: str, rows: list[YearRow], unit: str, *, height: int = 260) -> BarChart:
    """Planned against realised per year, as bars and as a table."""
    return bar_chart(
        title,
        [str(r.year) for r in rows],
        [
            Series(_("Planned"), "planned", [r.planned for r in rows]),
            Series(_("Realised"), "realised", [r.realised for r in rows]),
        ],
        unit=unit,
        height=height,
    )


def _with_rights(user, summaries: list[BenefitSummary]) -> list[BenefitSummary]:
    """Mark what the user may do with each benefit (no queries: the project is selected)."""
    for summary in summaries:
        summary.can_edit = can_edit_project(user, summary.benefit.project)
        summary.can_measure = can_measure(user, summary.benefit)
    return summaries


def _summaries(user, benefits, today) -> list[BenefitSummary]:
    return _with_rights(
        user, [services.summarise(b, today) for b in services.benefit_queryset(benefits)]
    )


# --- The portfolio's benefit realisation ---------------------------------------------------


SORT_KEYS = {
    "projekt": lambda s: (danish_key(s.benefit.project.name), s.benefit.pk),
    "gevinst": lambda s: (danish_key(s.benefit.title), s.benefit.pk),
    "maalt": lambda s: (s.last_measured is None, s.last_measured, s.benefit.pk),
    "forfald": lambda s: (s.due is None, s.due, s.benefit.pk),
    "ansvarlig": lambda s: (
        s.benefit.responsible is None,
        danish_key(s.benefit.responsible.name) if s.benefit.responsible else "",
        s.benefit.pk,
    ),
}
SORT_LABELS = {
    "projekt": gettext_lazy("Project"),
    "gevinst": gettext_lazy("Benefit"),
    "maalt": gettext_lazy("Last measured"),
    "forfald": gettext_lazy("Next due"),
    "ansvarlig": gettext_lazy("Responsible"),
}


def _filtered(request: HttpRequest):
    """The filter form and the summaries of the benefits it selects, sorted."""
    today = timezone.localdate()
    projects = Project.objects.order_by(Danish("name"))
    people = Person.objects.filter(
        pk__in=Benefit.objects.filter(responsible__isnull=False).values("responsible_id")
    ).order_by(Danish("name"))
    form = BenefitFilterForm(
        request.GET or None, projects=projects, people=people, flags=list(FLAG_LABELS.items())
    )
    benefits = Benefit.objects.all()
    if (project_id := form.value("projekt")) is not None:
        benefits = benefits.filter(project_id=project_id)
    if kind := form.value("type"):
        benefits = benefits.filter(type=kind)
    if responsible := form.value("ansvarlig"):
        if responsible == RESPONSIBLE_NONE:
            benefits = benefits.filter(responsible__isnull=True)
        else:
            benefits = benefits.filter(responsible_id=int(responsible))
    if phase := form.value("fase"):
        if phase == PHASE_ACTIVE:
            benefits = benefits.filter(project__phase__in=ACTIVE_PHASES)
        else:
            benefits = benefits.filter(project__phase=phase)
    summaries = _summaries(request.user, benefits, today)
    if flag := form.value("flag"):
        summaries = [s for s in summaries if (s.flags if flag == FLAG_ANY else flag in s.flags)]
    sort = form.value("sort") or "projekt"
    summaries.sort(key=SORT_KEYS[sort])
    return form, summaries, sort, today


def _attention(summaries: list[BenefitSummary], today) -> list[dict]:
    """The flagged benefits, grouped by what is wrong, the most urgent first."""
    groups = []
    for flag, hint in (
        (FLAG_OVERDUE, _("Record a measurement: the next one was due on the date shown.")),
        (FLAG_NO_OWNER, _("Choose the leader who answers for the benefit and measures it.")),
        (FLAG_NO_TARGET, _("Give the value the benefit is to reach, and by when.")),
    ):
        rows = [s for s in summaries if flag in s.flags]
        if flag == FLAG_OVERDUE:
            rows.sort(key=lambda s: (s.due, s.benefit.pk))
            for s in rows:
                s.days_overdue = (today - s.due).days
        if rows:
            groups.append({"flag": flag, "label": FLAG_LABELS[flag], "hint": hint, "rows": rows})
    return groups


def benefit_overview(request: HttpRequest) -> HttpResponse:
    form, summaries, sort, today = _filtered(request)
    benefits = [s.benefit for s in summaries]
    economic = services.economic_by_year(benefits)
    so_far = services.to_date(economic, today.year)
    mine = person_id(request.user)
    query = request.GET.copy()
    query.pop("sort", None)
    return render(
        request,
        "benefits/benefit_overview.html",
        {
            "form": form,
            "summaries": summaries,
            "attention": _attention(summaries, today),
            "flagged": sum(1 for s in summaries if s.flags),
            "chart": year_chart(
                _("Economic benefits: planned and realised per year"), economic, DKK
            ),
            "so_far": so_far,
            "economic_count": sum(1 for b in benefits if b.is_economic),
            "today": today,
            "sort": sort,
            "sorts": [(key, SORT_LABELS[key]) for key in SORT_KEYS],
            "filter_query": query.urlencode(),
            "mine": mine if mine and str(mine) != request.GET.get("ansvarlig") else None,
            "filtered": any(value for key, value in request.GET.items() if key != "sort"),
        },
    )


class BenefitExport(XlsxExporter):
    """The benefits with their facts, and planned and realised per year as columns."""

    sheet_title = gettext_lazy("Benefits")
    fixed_columns = (
        gettext_lazy("Project"),
        gettext_lazy("Project phase"),
        gettext_lazy("Benefit"),
        gettext_lazy("Type"),
        gettext_lazy("Unit"),
        gettext_lazy("Adds up over the year"),
        gettext_lazy("Baseline"),
        gettext_lazy("Baseline date"),
        gettext_lazy("Target"),
        gettext_lazy("Target date"),
        gettext_lazy("Realised to date"),
        gettext_lazy("Last measured"),
        gettext_lazy("Next measurement due"),
        gettext_lazy("Measured"),
        gettext_lazy("Responsible leader"),
        gettext_lazy("Needs attention"),
    )

    def __init__(self, summaries: list[BenefitSummary]):
        self.summaries = summaries
        self.years = sorted({row.year for s in summaries for row in s.rows})
        self.columns = [
            *self.fixed_columns,
            *(
                label
                for year in self.years
                for label in (
                    _("Planned %(year)d") % {"year": year},
                    _("Realised %(year)d") % {"year": year},
                )
            ),
        ]

    def rows(self):
        yes, no = _("Yes"), _("No")
        for s in self.summaries:
            b = s.benefit
            by_year = {row.year: row for row in s.rows}
            per_year = []
            for year in self.years:
                row = by_year.get(year)
                per_year += [row.planned if row else None, row.realised if row else None]
            yield (
                b.project.name,
                b.project.get_phase_display(),
                b.title,
                b.get_type_display(),
                b.unit,
                yes if b.accumulates else no,
                b.baseline_value,
                b.baseline_date,
                b.target_value,
                b.target_date,
                s.realised_total if s.last_measured else None,
                s.last_measured,
                s.due,
                b.get_frequency_display(),
                b.responsible.name if b.responsible else "",
                ", ".join(s.flag_labels),
                *per_year,
            )


def benefit_list_xlsx(request: HttpRequest) -> HttpResponse:
    """The filtered benefits as an Excel sheet."""
    _form, summaries, _sort, today = _filtered(request)
    content = BenefitExport(summaries).to_bytes()
    return download(content, XLSX, f"gevinster-{today:%Y-%m-%d}.xlsx")


# --- A project's benefits ------------------------------------------------------------------


def project_benefits(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("leader", "owner"), pk=pk)
    summaries = _summaries(
        request.user, Benefit.objects.filter(project=project), timezone.localdate()
    )
    benefits = [s.benefit for s in summaries]
    economic = services.economic_by_year(benefits)
    for summary in summaries:
        summary.progress = services.progress(summary)
    return render(
        request,
        "benefits/project_benefits.html",
        {
            "project": project,
            "summaries": summaries,
            "chart": year_chart(
                _("Economic benefits of the project: planned and realised per year"),
                economic, DKK,
            ) if any(b.is_economic for b in benefits) else None,
            "can_edit": can_edit_project(request.user, project),
        },
    )


# --- One benefit ---------------------------------------------------------------------------


def benefit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    benefit = get_object_or_404(services.benefit_queryset(), pk=pk)
    summary = services.summarise(benefit)
    _with_rights(request.user, [summary])
    progress = services.progress(summary)
    measurements = (
        BenefitMeasurement.objects.filter(benefit=benefit)
        .select_related("recorded_by")
        .order_by("-measured_on", "-pk")
    )
    return render(
        request,
        "benefits/benefit_detail.html",
        {
            "benefit": benefit,
            "project": benefit.project,
            "summary": summary,
            "progress": progress,
            "progress_bar": max(0, min(100, progress)) if progress is not None else None,
            "chart": year_chart(
                _("Planned and realised per year"), summary.rows, benefit.unit
            ),
            "measurements": measurements,
            "flags": [(flag, FLAG_LABELS[flag]) for flag in summary.flags],
        },
    )


# --- Create and edit ---------------------------------------------------------------------


def _benefit_form(request: HttpRequest, project: Project, benefit: Benefit | None):
    if not can_edit_project(request.user, project):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = BenefitForm(data, instance=benefit, project=project)
    plans = plan_formset(data, benefit=form.instance)
    if data is not None:
        form_valid, plans_valid = form.is_valid(), plans.is_valid()
        if form_valid and plans_valid:
            with transaction.atomic():
                saved = form.save()
                plans.instance = saved
                plans.save()
            if benefit is None:
                messages.success(request, _("The benefit was created."))
            else:
                messages.success(request, _("The benefit was saved."))
            return redirect("benefits:benefit_detail", pk=saved.pk)
    return render(
        request,
        "benefits/benefit_form.html",
        {"form": form, "plans": plans, "project": project, "benefit": benefit},
        status=_invalid_status(request),
    )


def benefit_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    return _benefit_form(request, project, None)


def benefit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    benefit = get_object_or_404(
        Benefit.objects.select_related("project", "responsible"),
        pk=pk,
    )
    return _benefit_form(request, benefit.project, benefit)


# --- Measurements ------------------------------------------------------------------------


def measurement_add(request: HttpRequest, pk: int) -> HttpResponse:
    benefit = get_object_or_404(services.benefit_queryset(), pk=pk)
    if not can_measure(request.user, benefit):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = MeasurementForm(data, benefit=benefit)
    if data is not None and form.is_valid():
        with transaction.atomic():
            measurement = form.save(commit=False)
            measurement.recorded_by = request.user
            measurement.save()
        messages.success(
            request,
            _("The measurement of %(value)s %(unit)s on %(date)s was recorded.")
            % {
                "value": format_danish_decimal(measurement.value),
                "unit": measurement.unit,
                "date": measurement.measured_on.strftime("%d-%m-%Y"),
            },
        )
        return redirect("benefits:benefit_detail", pk=benefit.pk)
    return render(
        request,
        "benefits/measurement_form.html",
        {
            "form": form,
            "benefit": benefit,
            "project": benefit.project,
            "summary": services.summarise(benefit),
        },
        status=_invalid_status(request),
    )


urlpatterns = [
    path("gevinster/", benefit_overview, name="benefit_overview"),
    path("gevinster/xlsx/", benefit_list_xlsx, name="benefit_list_xlsx"),
    path("gevinster/<int:pk>/", benefit_detail, name="benefit_detail"),
    path("gevinster/<int:pk>/rediger/", benefit_edit, name="benefit_edit"),
    path("gevinster/<int:pk>/maaling/", measurement_add, name="measurement_add"),
    path("projekter/<int:pk>/gevinster/", project_benefits, name="project_benefits"),
    path("projekter/<int:pk>/gevinster/ny/", benefit_create, name="benefit_create"),
]
