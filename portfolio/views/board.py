"""Views of the portfolio: the project board (projekttavle).

What the Project Board looks at every 14 days and the programme group before each steering
group meeting: one row per active project with its latest lights, the trend against the
report before, when the next report is due, and late reports flagged; late first, then red,
yellow, green. The statuses come from `portfolio.services.statuses` (two queries for any
number of projects) and the charts from aggregate queries, so the page costs the same
whatever the size of the portfolio. The filtered board also exports to Excel.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benefits.models import ECONOMIC, BenefitPlan
from core.charts import Series, bar_chart
from core.collation import Danish
from documents.http import XLSX, download
from documents.xlsx import XlsxExporter
from organisation.models import Body, OrgUnit
from portfolio.forms_reports import BoardFilterForm
from portfolio.models import (
    ACTIVE_PHASES,
    COLOUR_FIELDS,
    BudgetYear,
    Category,
    Colour,
    Project,
    StatusReport,
)
from portfolio.services import ProjectStatus, Trend, statuses

NONE = "none"  # the "colour" of a project without a report
# The board's order: late first, then red, yellow, green, and projects without a report.
RANK = {Colour.RED: 0, Colour.YELLOW: 1, Colour.GREEN: 2, NONE: 3}
TRENDS = {
    Trend.BETTER: ("↑", gettext_lazy("Better than the report before")),
    Trend.WORSE: ("↓", gettext_lazy("Worse than the report before")),
    Trend.SAME: ("→", gettext_lazy("The same as the report before")),
    Trend.NEW: (gettext_lazy("new"), gettext_lazy("No report before to compare with")),
}


@dataclass
class Light:
    name: str
    label: str
    short: str
    colour: str
    text: str


@dataclass
class Row:
    """A project on the board."""

    status: ProjectStatus

    @property
    def project(self) -> Project:
        return self.status.project

    @property
    def colour(self) -> str:
        latest = self.status.latest
        return latest.colour if latest else NONE

    @property
    def colour_text(self) -> str:
        return Colour(self.colour).label if self.colour != NONE else _("No report")

    @property
    def lights(self) -> list[Light]:
        latest = self.status.latest
        if latest is None:
            return []
        result = []
        for name in COLOUR_FIELDS:
            label = str(StatusReport._meta.get_field(name).verbose_name)
            colour = getattr(latest, name)
            result.append(Light(name, label, label[:3].capitalize(), colour, Colour(colour).label))
        return result

    @property
    def trend(self) -> str:
        return self.status.trend

    @property
    def trend_arrow(self) -> str:
        return str(TRENDS[self.trend][0])

    @property
    def trend_text(self) -> str:
        return str(TRENDS[self.trend][1])

    @property
    def sort_key(self) -> tuple:
        return (not self.status.late, RANK[self.colour])


def _filtered(request: HttpRequest):
    """The filter form, the filtered projects (a queryset) and the board's rows."""
    units = _units()
    bodies = _bodies()
    form = BoardFilterForm(request.GET or None, units=units, bodies=bodies)
    projects = Project.objects.filter(phase__in=ACTIVE_PHASES).select_related(
        "owning_unit", "leader", "body"
    )
    if category := form.value("kategori"):
        projects = projects.filter(category=category)
    if (unit_id := form.value("enhed")) is not None:
        projects = projects.filter(owning_unit_id=unit_id)
    if phase := form.value("fase"):
        projects = projects.filter(phase=phase)
    if (body_id := form.value("organ")) is not None:
        projects = projects.filter(body_id=body_id)
    rows = [Row(status) for status in statuses(projects)]
    only_late = bool(form.value("sen"))
    if only_late:
        rows = [row for row in rows if row.status.late]
        projects = projects.filter(pk__in=[row.project.pk for row in rows])
    rows.sort(key=lambda row: row.sort_key)  # stable: the names' order stays within a rank
    return form, projects, rows


def _units():
    owning = Project.objects.filter(phase__in=ACTIVE_PHASES).values("owning_unit_id")
    return list(OrgUnit.objects.filter(pk__in=owning).order_by(Danish("name")))


def _bodies():
    governing = Project.objects.filter(phase__in=ACTIVE_PHASES).values("body_id")
    return list(Body.objects.filter(pk__in=governing).order_by(Danish("name")))


def summary(rows: list[Row]) -> dict:
    colours = Counter(row.colour for row in rows)
    return {
        "total": len(rows),
        "green": colours[Colour.GREEN],
        "yellow": colours[Colour.YELLOW],
        "red": colours[Colour.RED],
        "none": colours[NONE],
        "late": sum(1 for row in rows if row.status.late),
    }


def status_chart(rows: list[Row]):
    """Stacked bars: per category, how many projects are green, yellow, red or unreported."""
    counts = Counter((row.project.category, row.colour) for row in rows)
    categories = Category.values
    series = [
        Series(Colour(c).label, c, [counts[(cat, c)] for cat in categories])
        for c in Colour.values
    ] + [Series(_("No report"), NONE, [counts[(cat, NONE)] for cat in categories])]
    return bar_chart(
        _("Status by category"), categories=[Category(c).label for c in categories],
        series=series, unit=_("projects"), stacked=True,
    )


def money_chart(projects):
    """Per category: the planned budget against the planned economic benefits, all years."""
    budget = dict(
        BudgetYear.objects.filter(project__in=projects)
        .values_list("project__category")
        .annotate(total=Sum("planned"))
        .order_by()
    )
    benefits = dict(
        BenefitPlan.objects.filter(benefit__project__in=projects, benefit__type__in=ECONOMIC)
        .values_list("benefit__project__category")
        .annotate(total=Sum("planned"))
        .order_by()
    )
    categories = Category.values
    return bar_chart(
        _("Planned budget and planned economic benefits by category"),
        categories=[Category(c).label for c in categories],
        series=[
            Series(_("Planned budget"), "budget",
                   [budget.get(c, Decimal(0)) for c in categories]),
            Series(_("Planned economic benefits"), "benefit",
                   [benefits.get(c, Decimal(0)) for c in categories]),
        ],
        unit="kr.",
    )


def board(request: HttpRequest) -> HttpResponse:
    form, projects, rows = _filtered(request)
    return render(
        request,
        "portfolio/board/board.html",
        {
            "form": form,
            "rows": rows,
            "summary": summary(rows),
            "status_chart": status_chart(rows),
            "money_chart": money_chart(projects),
            "dimensions": [
                (str(f.verbose_name)[:3].capitalize(), f.verbose_name)
                for f in (StatusReport._meta.get_field(n) for n in COLOUR_FIELDS)
            ],
            "today": timezone.localdate(),
        },
    )


class BoardExport(XlsxExporter):
    sheet_title = gettext_lazy("Project board")
    columns = (
        gettext_lazy("Project"),
        gettext_lazy("Project number"),
        gettext_lazy("Category"),
        gettext_lazy("Phase"),
        gettext_lazy("Project leader"),
        gettext_lazy("Governing body"),
        gettext_lazy("Overall status"),
        *(capfirst(StatusReport._meta.get_field(name).verbose_name) for name in COLOUR_FIELDS),
        gettext_lazy("Trend"),
        gettext_lazy("Latest report"),
        gettext_lazy("Period to"),
        gettext_lazy("Next report due"),
        gettext_lazy("Late"),
    )

    def __init__(self, rows: list[Row]):
        self.rows_ = rows

    def rows(self):
        for row in self.rows_:
            project, latest = row.project, row.status.latest
            yield (
                project.name,
                project.code,
                project.get_category_display(),
                project.get_phase_display(),
                project.leader.name if project.leader_id else "",
                project.body.name if project.body_id else "",
                str(row.colour_text),
                *(
                    str(Colour(getattr(latest, name)).label) if latest else ""
                    for name in COLOUR_FIELDS
                ),
                row.trend_text,
                latest.reported_on if latest else None,
                latest.period_end if latest else None,
                row.status.due,
                _("Yes") if row.status.late else _("No"),
            )


def board_xlsx(request: HttpRequest) -> HttpResponse:
    """The filtered board as an Excel sheet, colours as words."""
    _form, _projects, rows = _filtered(request)
    content = BoardExport(rows).to_bytes()
    return download(content, XLSX, f"projekttavle-{timezone.localdate():%Y-%m-%d}.xlsx")


urlpatterns = [
    path("projekttavle/", board, name="board"),
    path("projekttavle/xlsx/", board_xlsx, name="board_xlsx"),
]
