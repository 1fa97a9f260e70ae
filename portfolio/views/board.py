"""Views of the portfolio: the project board (projekttavle).

What the Project Board looks at every 14 days and the programme group before each steering
group meeting: one row per active project with its latest lights, the trend against the
report before, when the next report is due, and late reports flagged; late first, then red,
yellow, green, PAGE_SIZE rows a page.

The colour of each project's latest report and whether it is late are computed in SQL
(`portfolio.services.with_latest_status`) and read for every filtered project as a few
values in one query: they order and page the board and count the summary line and the status
chart (all projects, not the page). Only the page's rows are read as objects with their two
latest reports (`portfolio.services.statuses`), and their labels, lights and links are
prepared once per request (`BoardText`). The page costs the same number of queries whatever
the size of the portfolio. The filtered board exports to Excel, every row.
"""

from collections import Counter
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import sections
from core.charts import Series, bar_chart
from core.collation import danish_key
from core.links import url_maker
from core.permissions import permission_required
from core.widgets import choice_labels
from documents.http import XLSX, download
from documents.xlsx import XlsxExporter
from organisation.models import Body, OrgUnit
from portfolio.forms.board import BoardFilterForm
from portfolio.models import (
    ACTIVE_PHASES,
    COLOUR_FIELDS,
    Category,
    Colour,
    Phase,
    Project,
    StatusReport,
)
from portfolio.services import (
    ProjectStatus,
    Trend,
    statuses,
    with_latest_status,
)

NONE = "none"  # the "colour" of a project without a report
# The board's order: late first, then red, yellow, green, and projects without a report.
RANK = {Colour.RED: 0, Colour.YELLOW: 1, Colour.GREEN: 2, NONE: 3}
PAGE_SIZE = 50
# What a row (and the export) shows of a project, and what its status needs.
ROW_FIELDS = (
    "pk",
    "municipality_id",
    "name",
    "code",
    "category",
    "phase",
    "start_date",
    "report_cycle",
    "leader__name",
    "body__name",
)
TRENDS = {
    Trend.BETTER: ("↑", gettext_lazy("Better than the report before")),
    Trend.WORSE: ("↓", gettext_lazy("Worse than the report before")),
    Trend.SAME: ("→", gettext_lazy("The same as the report before")),
    Trend.NEW: (gettext_lazy("new"), gettext_lazy("No report before to compare with")),
}


class BoardText:
    """The words and links of the board's rows, translated and escaped once per request:
    a page of 50 rows otherwise spends most of its time looking up the same labels, writing
    the same five lights and reversing the same two URLs."""

    def __init__(self):
        self.categories, self.phases = choice_labels(Category), choice_labels(Phase)
        self.colours = choice_labels(Colour)
        self.colours[NONE] = _("No report")
        self.trends = {trend: (str(arrow), str(text)) for trend, (arrow, text) in TRENDS.items()}
        # every light there can be: (field, colour) → its list item
        self.lights = {}
        for name in COLOUR_FIELDS:
            label = capfirst(str(StatusReport._meta.get_field(name).verbose_name))
            for colour, text in self.colours.items():
                self.lights[(name, colour)] = format_html(
                    '<li title="{0}: {1}"><span class="light light-{2}" aria-hidden="true">'
                    '{3}</span><span class="sr-only">{0}: {1}</span></li>',
                    label,
                    text,
                    colour,
                    label[:3].capitalize(),
                )
        self.project_url = url_maker("portfolio:project_detail")
        self.report_url = url_maker("portfolio:report_detail")

    def lights_html(self, report: StatusReport | None) -> str:
        """The report's five lights as a list: a coloured abbreviation each, with its words
        for screen readers and as a tooltip; "–" without a report."""
        if report is None:
            return "–"
        items = "".join(self.lights[(name, getattr(report, name))] for name in COLOUR_FIELDS)
        return mark_safe(f'<ul class="board-lights">{items}</ul>')


@dataclass
class Row:
    """A project on the board."""

    status: ProjectStatus
    text: BoardText

    @property
    def project(self) -> Project:
        return self.status.project

    @cached_property
    def colour(self) -> str:
        latest = self.status.latest
        return latest.colour if latest else NONE

    @property
    def colour_text(self) -> str:
        return self.text.colours[self.colour]

    @property
    def trend(self) -> str:
        return self.status.trend

    @property
    def trend_arrow(self) -> str:
        return self.text.trends[self.trend][0]

    @property
    def trend_text(self) -> str:
        return self.text.trends[self.trend][1]

    @cached_property
    def cells(self) -> dict:
        """What the board's table shows of the row, as plain values: one dictionary look-up
        each in the template instead of chains of attributes, filters and tags."""
        project, status, text = self.project, self.status, self.text
        latest = status.latest
        return {
            "url": text.project_url(project.pk),
            "name": project.name,
            "code": project.code,
            "category": text.categories.get(project.category, project.category),
            "phase": text.phases.get(project.phase, project.phase),
            "leader": project.leader.name if project.leader_id else "–",
            "body": project.body.name if project.body_id else "–",
            "colour": self.colour,
            "colour_text": self.colour_text,
            "trend": self.trend,
            "trend_arrow": self.trend_arrow,
            "trend_text": self.trend_text,
            "lights": text.lights_html(latest),
            "report_url": text.report_url(latest.pk) if latest else "",
            "reported_on": f"{latest.reported_on:%d-%m-%Y}" if latest else "",
            "due": f"{status.due:%d-%m-%Y}" if status.due else "–",
            "late": status.late,
        }


@dataclass(frozen=True)
class Entry:
    """A filtered project as the board orders and counts it: a few values from one query."""

    pk: int
    name: str
    category: str
    colour: str  # NONE without a report
    late: bool

    @property
    def sort_key(self) -> tuple:
        return (not self.late, RANK[self.colour], danish_key(self.name), self.name, self.pk)


def _filtered(request: HttpRequest):
    """The filter form, the filtered active projects (a queryset, for the money chart) and
    their entries in the board's order.

    The colour of each project's latest report and whether it is late come from SQL
    (`with_latest_status`) in one query of small rows for every filtered project; ordering
    and counting those rows here costs less than asking SQLite to sort by name in Danish
    order (a Python collation) and to count in two more queries."""
    form = BoardFilterForm(request.GET or None, units=_units(), bodies=_bodies())
    projects = Project.objects.filter(phase__in=ACTIVE_PHASES)
    if category := form.value("kategori"):
        projects = projects.filter(category=category)
    if (unit_id := form.value("enhed")) is not None:
        projects = projects.filter(owning_unit_id=unit_id)
    if phase := form.value("fase"):
        projects = projects.filter(phase=phase)
    if (body_id := form.value("organ")) is not None:
        projects = projects.filter(body_id=body_id)
    annotated = with_latest_status(projects)
    if form.value("sen"):
        projects = annotated = annotated.filter(report_late=True)
    values = annotated.order_by().values_list(
        "pk", "name", "category", "latest_colour", "report_late"
    )
    entries = [
        Entry(pk, name, category, colour or NONE, bool(late))
        for pk, name, category, colour, late in values
    ]
    entries.sort(key=lambda entry: entry.sort_key)
    return form, projects, entries


def _rows(entries: list[Entry], projects=None) -> list[Row]:
    """The board's rows of `entries`, in their order, each with its two latest reports:
    two queries whatever the number. `projects`: a queryset of exactly those projects
    (for the export of every row), else they are looked up by their keys (a page)."""
    if not entries:
        return []
    order = {entry.pk: i for i, entry in enumerate(entries)}
    if projects is None:
        projects = Project.objects.filter(pk__in=list(order))
    found = statuses(projects.select_related("leader", "body").only(*ROW_FIELDS).order_by())
    text = BoardText()
    return sorted((Row(status, text) for status in found), key=lambda row: order[row.project.pk])


def _units():
    """The units owning an active project, as (pk, name) pairs."""
    owning = Project.objects.filter(phase__in=ACTIVE_PHASES).values("owning_unit_id")
    return OrgUnit.objects.filter(pk__in=owning).order_by().values_list("pk", "name")


def _bodies():
    """The bodies governing an active project, as (pk, name) pairs."""
    governing = Project.objects.filter(phase__in=ACTIVE_PHASES).values("body_id")
    return Body.objects.filter(pk__in=governing).order_by().values_list("pk", "name")


def summary(entries: list[Entry]) -> dict:
    colours = Counter(entry.colour for entry in entries)
    return {
        "total": len(entries),
        "green": colours[Colour.GREEN],
        "yellow": colours[Colour.YELLOW],
        "red": colours[Colour.RED],
        "none": colours[NONE],
        "late": sum(1 for entry in entries if entry.late),
    }


def status_chart(entries: list[Entry]):
    """Stacked bars: per category, how many projects are green, yellow, red or unreported."""
    counts = Counter((entry.category, entry.colour) for entry in entries)
    categories = Category.values
    series = [
        Series(Colour(c).label, c, [counts[(cat, c)] for cat in categories]) for c in Colour.values
    ] + [Series(_("No report"), NONE, [counts[(cat, NONE)] for cat in categories])]
    return bar_chart(
        _("Status by category"),
        categories=[Category(c).label for c in categories],
        series=series,
        unit=_("projects"),
        stacked=True,
        counts=True,
    )


@permission_required("core.view")
def board(request: HttpRequest) -> HttpResponse:
    """One page of the board (PAGE_SIZE rows); the count line and the charts cover every
    filtered project."""
    form, projects, entries = _filtered(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("side"))
    return render(
        request,
        "portfolio/board/board.html",
        {
            "form": form,
            "rows": _rows(page.object_list),
            "page": page,
            "summary": summary(entries),
            "status_chart": status_chart(entries),
            "sections": sections.of("portfolio.board", request, projects),
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


@permission_required("core.view")
def board_xlsx(request: HttpRequest) -> HttpResponse:
    """The filtered board as an Excel sheet, colours as words."""
    _form, projects, entries = _filtered(request)
    content = BoardExport(_rows(entries, projects)).to_bytes()
    return download(content, XLSX, f"projekttavle-{timezone.localdate():%Y-%m-%d}.xlsx")
