"""Pages of benefit realisation: the portfolio's overview, a project's benefits, one benefit,
the benefit form with its plan per year, and recording a measurement.

Everyone in the municipality reads them. A project's keepers (`portfolio.rules`,
`benefits.rules`) create and edit its benefits; they and the benefit's responsible leader record measurements, also after
the project has closed, since that is when most benefits are harvested. The numbers come
from `benefits.services`: over prefetched rows for a project or a benefit, added up by the
database for the overview and its export, so a page costs the same few queries for any
number of benefits.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
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
from benefits.models import (
    ECONOMIC,
    Benefit,
    BenefitMeasurement,
    BenefitPlan,
    BenefitType,
    Frequency,
)
from benefits.services import (
    FLAG_LABELS,
    FLAG_NO_OWNER,
    FLAG_NO_TARGET,
    FLAG_OVERDUE,
    BenefitSummary,
    YearRow,
)
from core import history
from core.charts import BarChart, Series, bar_chart
from core.collation import danish_key
from core.forms import format_danish_decimal
from core.links import url_maker
from core.models import User
from core.permissions import has_perm, permission_required
from core.responses import form_status
from core.templatetags.digistyr import kr, number
from documents.http import XLSX, download
from documents.xlsx import XlsxExporter
from organisation.models import Person
from portfolio.models import ACTIVE_PHASES, Phase, Project
from portfolio.rules import person_id

DKK = "kr."


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
        summary.can_edit = has_perm(user, "portfolio.edit_project", summary.benefit.project)
        summary.can_measure = has_perm(user, "benefits.measure", summary.benefit)
    return summaries


def _summaries(user, benefits, today) -> list[BenefitSummary]:
    return _with_rights(
        user, [services.summarise(b, today) for b in services.benefit_queryset(benefits)]
    )


# --- The portfolio's benefit realisation ---------------------------------------------------
#
# The overview sorts, filters and flags every benefit of the municipality (2,000 in
# København) from one query of plain values with the latest measurement's date, lets the
# database add up the kroner per year, and loads whole benefits only for the page of the list
# and the first few of each "needs attention" group.

PAGE_SIZE = 50
ATTENTION_SHOWN = 10


class Entry:
    """A benefit of the overview's list before it is shown: the values of the row
    (`_INDEX_FIELDS`), when the next measurement is due and the flags."""

    __slots__ = ("row", "pk", "due", "flags")

    def __init__(self, row, today):
        self.row = row
        self.pk = row.pk
        self.due = services.due_of(row)
        self.flags = services.flags_of(row, self.due, today)


_INDEX_FIELDS = (
    "pk",
    "type",
    "title",
    "responsible_id",
    "target_value",
    "frequency",
    "first_due",
    "baseline_date",
    "last_measured",
    "project_name",
    "responsible_name",
)

SORT_KEYS = {
    "projekt": lambda e: (danish_key(e.row.project_name), e.pk),
    "gevinst": lambda e: (danish_key(e.row.title), e.pk),
    "maalt": lambda e: (e.row.last_measured is None, e.row.last_measured, e.pk),
    "forfald": lambda e: (e.due is None, e.due, e.pk),
    "ansvarlig": lambda e: (
        e.row.responsible_id is None,
        danish_key(e.row.responsible_name) if e.row.responsible_id else "",
        e.pk,
    ),
}
SORT_LABELS = {
    "projekt": gettext_lazy("Project"),
    "gevinst": gettext_lazy("Benefit"),
    "maalt": gettext_lazy("Last measured"),
    "forfald": gettext_lazy("Next due"),
    "ansvarlig": gettext_lazy("Responsible"),
}


def _by_name(pairs) -> list[tuple[int, str]]:
    """(id, name) pairs in Danish order; sorted here, as SQLite's collation calls Python for
    every comparison."""
    return sorted(pairs, key=lambda pair: (danish_key(pair[1]), pair[0]))


def _filtered(request: HttpRequest):
    """The filter form; the benefits it selects as a queryset and as sorted `Entry`s; the sort
    and today."""
    today = timezone.localdate()
    projects = Project.objects.filter(pk__in=Benefit.objects.values("project_id"))
    people = Person.objects.filter(
        pk__in=Benefit.objects.filter(responsible__isnull=False).values("responsible_id")
    )
    form = BenefitFilterForm(
        request.GET or None,
        projects=_by_name(projects.order_by().values_list("pk", "name")),
        people=_by_name(people.order_by().values_list("pk", "name")),
        flags=list(FLAG_LABELS.items()),
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
    rows = (
        services.with_last_measured(benefits)
        .annotate(project_name=F("project__name"), responsible_name=F("responsible__name"))
        .order_by()
        .values_list(*_INDEX_FIELDS, named=True)
    )
    entries = [Entry(row, today) for row in rows]
    if flag := form.value("flag"):
        entries = [e for e in entries if (e.flags if flag == FLAG_ANY else flag in e.flags)]
        benefits = Benefit.objects.filter(pk__in=[e.pk for e in entries])
    sort = form.value("sort") or "projekt"
    entries.sort(key=SORT_KEYS[sort])
    return form, benefits, entries, sort, today


def _attention(entries: list[Entry]) -> list[dict]:
    """The flagged benefits, grouped by what is wrong, the most urgent first; the first
    `ATTENTION_SHOWN` of each group are shown (`entries`), the rest counted."""
    groups = []
    for flag, hint in (
        (FLAG_OVERDUE, _("Record a measurement: the next one was due on the date shown.")),
        (FLAG_NO_OWNER, _("Choose the leader who answers for the benefit and measures it.")),
        (FLAG_NO_TARGET, _("Give the value the benefit is to reach, and by when.")),
    ):
        flagged = [e for e in entries if flag in e.flags]
        if flag == FLAG_OVERDUE:
            flagged.sort(key=lambda e: (e.due, e.pk))
        if flagged:
            groups.append(
                {
                    "flag": flag,
                    "label": FLAG_LABELS[flag],
                    "hint": hint,
                    "count": len(flagged),
                    "entries": flagged[:ATTENTION_SHOWN],
                }
            )
    return groups


def _value_text(value, unit: str) -> str:
    """A value in its unit, as benefits/value.html writes it."""
    if value is None:
        return "–"
    return kr(value) if unit == DKK else f"{number(value)} {unit}"


def _day(day) -> str:
    """dd-mm-yyyy, or "" for no date."""
    return f"{day:%d-%m-%Y}" if day else ""


TYPE_LABELS = dict(BenefitType.choices)
PHASE_LABELS = dict(Phase.choices)
FREQUENCY_LABELS = dict(Frequency.choices)


def _labels(labels: dict) -> dict:
    """The labels of a choices dict in the active language, for many rows."""
    return {key: str(label) for key, label in labels.items()}


# What the rows of the overview show of a benefit, its project and its responsible leader
# (the project's long texts stay in the database).
_SHOWN_FIELDS = (
    "municipality_id",
    "project_id",
    "title",
    "type",
    "unit",
    "accumulates",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "frequency",
    "first_due",
    "responsible_id",
    "project__municipality_id",
    "project__name",
    "project__phase",
    "project__leader_id",
    "project__owner_id",
    "responsible__name",
)


def _shown(user, entries: list[Entry], today) -> dict[int, BenefitSummary]:
    """{pk: summary} of the benefits shown, in one query, with the texts their rows show
    written in Python (a row of the list costs the template a tenth of the time this way)."""
    benefits = services.with_standing(
        Benefit.objects.filter(pk__in=[e.pk for e in entries]).order_by()
    ).only(*_SHOWN_FIELDS)
    project_url, detail_url, edit_url, measure_url = (
        url_maker(f"benefits:{name}")  # reversed once, not four times per row
        for name in ("project_benefits", "benefit_detail", "benefit_edit", "measurement_add")
    )
    summaries = {}
    for benefit in benefits:
        s = services.summarise_standing(benefit, today)
        s.project_url, s.detail_url = project_url(benefit.project_id), detail_url(benefit.pk)
        s.edit_url, s.measure_url = edit_url(benefit.pk), measure_url(benefit.pk)
        s.baseline_text = _value_text(benefit.baseline_value, benefit.unit)
        s.target_text = _value_text(benefit.target_value, benefit.unit)
        s.realised_text = _value_text(s.realised_total, benefit.unit) if s.last_measured else "–"
        s.baseline_on, s.target_on = _day(benefit.baseline_date), _day(benefit.target_date)
        s.last_measured_on, s.due_on = _day(s.last_measured) or "–", _day(s.due) or "–"
        s.type_label = TYPE_LABELS[benefit.type]
        s.closed_label = "" if benefit.project.is_active else PHASE_LABELS[benefit.project.phase]
        s.responsible_name = benefit.responsible.name if benefit.responsible else "–"
        summaries[benefit.pk] = s
    _with_rights(user, list(summaries.values()))
    return summaries


@permission_required("core.view")
def benefit_overview(request: HttpRequest) -> HttpResponse:
    form, benefits, entries, sort, today = _filtered(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("side"))
    attention = _attention(entries)
    shown = _shown(
        request.user, [*page.object_list, *(e for g in attention for e in g["entries"])], today
    )
    summaries = [shown[e.pk] for e in page.object_list if e.pk in shown]
    for group in attention:
        group["rows"] = [shown[e.pk] for e in group["entries"] if e.pk in shown]
        if group["flag"] == FLAG_OVERDUE:
            for s in group["rows"]:
                s.days_overdue = (today - s.due).days
    economic = services.economic_by_year(benefits)
    so_far = services.to_date(economic, today.year)
    mine = person_id(request.user)
    people = dict(form.fields["ansvarlig"].choices)
    return render(
        request,
        "benefits/benefit_overview.html",
        {
            "form": form,
            "summaries": summaries,
            "page": page,
            "attention": attention,
            "attention_shown": ATTENTION_SHOWN,
            "flagged": sum(1 for e in entries if e.flags),
            "chart": year_chart(
                _("Economic benefits: planned and realised per year"), economic, DKK
            ),
            "so_far": so_far,
            "economic_count": sum(1 for e in entries if e.row.type in ECONOMIC),
            "can_import": has_perm(request.user, "portfolio.change"),
            "today": today,
            "sort": sort,
            "sorts": [(key, SORT_LABELS[key]) for key in SORT_KEYS],
            "mine": mine
            if mine and str(mine) in people and str(mine) != request.GET.get("ansvarlig")
            else None,
            "filtered": any(
                value for key, value in request.GET.items() if key not in ("sort", "side")
            ),
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
        # Labels looked up once: get_FOO_display() costs some 30 µs a call.
        phases, kinds = _labels(PHASE_LABELS), _labels(TYPE_LABELS)
        frequencies = _labels(FREQUENCY_LABELS)
        for s in self.summaries:
            b = s.benefit
            by_year = {row.year: row for row in s.rows}
            per_year = []
            for year in self.years:
                row = by_year.get(year)
                per_year += [row.planned if row else None, row.realised if row else None]
            yield (
                b.project.name,
                phases[b.project.phase],
                b.title,
                kinds[b.type],
                b.unit,
                yes if b.accumulates else no,
                b.baseline_value,
                b.baseline_date,
                b.target_value,
                b.target_date,
                s.realised_total if s.last_measured else None,
                s.last_measured,
                s.due,
                frequencies[b.frequency],
                b.responsible.name if b.responsible else "",
                ", ".join(s.flag_labels),
                *per_year,
            )


@permission_required("core.view")
def benefit_list_xlsx(request: HttpRequest) -> HttpResponse:
    """The filtered benefits as an Excel sheet, in the overview's order; the years added up
    by the database (`years_by_benefit`), the measurements not loaded."""
    content = benefit_export(request).to_bytes()
    return download(content, XLSX, f"gevinster-{timezone.localdate():%Y-%m-%d}.xlsx")


def benefit_export(request) -> BenefitExport:
    """The exporter of the benefits of the request's filters (also the full export's)."""
    _form, benefits, entries, _sort, today = _filtered(request)
    objects = {b.pk: b for b in services.with_standing(benefits.order_by()).only(*_SHOWN_FIELDS)}
    rows = services.years_by_benefit(benefits)
    summaries = [
        services.summarise_standing(objects[e.pk], today, rows.get(e.pk, []))
        for e in entries
        if e.pk in objects
    ]
    return BenefitExport(summaries)


# --- A project's benefits ------------------------------------------------------------------


@permission_required("core.view")
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
                economic,
                DKK,
            )
            if any(b.is_economic for b in benefits)
            else None,
            "can_edit": has_perm(request.user, "portfolio.edit_project", project),
        },
    )


# --- One benefit ---------------------------------------------------------------------------


@permission_required("core.view")
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
            "chart": year_chart(_("Planned and realised per year"), summary.rows, benefit.unit),
            "measurements": measurements,
            "flags": [(flag, FLAG_LABELS[flag]) for flag in summary.flags],
        },
    )


# --- Create and edit ---------------------------------------------------------------------


def _benefit_form(request: HttpRequest, project: Project, benefit: Benefit | None):
    data = request.POST if request.method == "POST" else None
    form = BenefitForm(data, instance=benefit, project=project)
    plans = plan_formset(data, benefit=form.instance)
    if data is not None:
        form_valid, plans_valid = form.is_valid(), plans.is_valid()
        if form_valid and plans_valid:
            saved = services.save_benefit(form.save(commit=False), plans.by_year())
            if benefit is None:
                messages.success(request, _("The benefit was created."))
            else:
                messages.success(request, _("The benefit was saved."))
            return redirect("benefits:benefit_detail", pk=saved.pk)
    return render(
        request,
        "benefits/benefit_form.html",
        {"form": form, "plans": plans, "project": project, "benefit": benefit},
        status=form_status(request),
    )


def _project(pk: int) -> Project:
    return get_object_or_404(Project, pk=pk)


def _benefit(pk: int) -> Benefit:
    return get_object_or_404(Benefit.objects.select_related("project", "responsible"), pk=pk)


@permission_required("portfolio.edit_project", lookup=_project)
def benefit_create(request: HttpRequest, project: Project) -> HttpResponse:
    return _benefit_form(request, project, None)


@permission_required("benefits.edit", lookup=_benefit)
def benefit_edit(request: HttpRequest, benefit: Benefit) -> HttpResponse:
    return _benefit_form(request, benefit.project, benefit)


# --- Measurements ------------------------------------------------------------------------


def _measured(pk: int) -> Benefit:
    return get_object_or_404(services.benefit_queryset(), pk=pk)


@permission_required("benefits.measure", lookup=_measured)
def measurement_add(request: HttpRequest, benefit: Benefit) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = MeasurementForm(data, benefit=benefit)
    if data is not None and form.is_valid():
        measurement = services.record_measurement(form.save(commit=False), request.user)
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
        status=form_status(request),
    )


# --- History -----------------------------------------------------------------------------------

# Fields whose changes the history does not list: bookkeeping, not content.
HISTORY_EXCLUDED = ["municipality", "created_at", "project", "benefit"]


@permission_required("core.view")
def benefit_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed what and when: the benefit, its plan per year and its measurements. A
    fixed number of queries, whatever the history holds."""
    benefit = get_object_or_404(Benefit.objects.select_related("project"), pk=pk)
    benefits = history.records(benefit.history.all())
    plans = history.records(BenefitPlan.history.filter(benefit_id=benefit.pk))
    measurements = history.records(BenefitMeasurement.history.filter(benefit_id=benefit.pk))
    people = {r.responsible_id for r in benefits} - {None}
    users = {r.recorded_by_id for r in measurements} - {None}
    names = {
        (Person, person): name
        for person, name in Person.objects.filter(pk__in=people or [0]).values_list("pk", "name")
    }
    for user in User.objects.filter(pk__in=users or [0]):
        names[(User, user.pk)] = user.get_full_name() or user.username

    def created_value(record, _previous, changes):
        if record.history_type == "+":  # what was measured, not only that it was
            changes.append(
                {
                    "field": _("value"),
                    "old": "",
                    "new": f"{format_danish_decimal(record.value)} {record.unit}".strip(),
                }
            )
        return {}

    entries = history.history_entries(
        Benefit, benefits, lambda r: _("The benefit"), names, excluded=HISTORY_EXCLUDED
    )
    entries += history.history_entries(
        BenefitPlan,
        plans,
        lambda r: _("Plan %(year)s") % {"year": r.year},
        names,
        excluded=HISTORY_EXCLUDED,
    )
    entries += history.history_entries(
        BenefitMeasurement,
        measurements,
        lambda r: _("Measurement %(date)s") % {"date": f"{r.measured_on:%d-%m-%Y}"},
        names,
        excluded=HISTORY_EXCLUDED,
        extra=created_value,
    )
    return render(
        request,
        "benefits/benefit_history.html",
        {
            "benefit": benefit,
            "project": benefit.project,
            "entries": history.newest_first(entries),
        },
    )
