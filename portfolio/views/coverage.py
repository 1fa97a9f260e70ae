"""The coverage of a strategy's goals by the active projects (`portfolio.coverage`): the goals
no project serves, the projects that serve no goal, the goals × projects matrix, the focus
areas' and SDGs' counts, and the same as an Excel export.

The pages sit with strategy's pages (under /strategi/, with strategy's menu) but read the
projects, so they are portfolio's. Everyone in the municipality reads them (`core.view`).
Every page costs a constant number of queries.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.permissions import permission_required
from documents.http import XLSX, download
from documents.xlsx import XlsxExporter
from portfolio import coverage as report
from portfolio.models import Phase
from strategy.models import Strategy
from strategy.services import ordered

PAGE_SIZE = 50
PHASE_LABELS = dict(Phase.choices)
# The projects named per goal on the coverage page; the matrix and the Excel export hold all.
GOAL_PROJECTS_SHOWN = 10


def _chosen_strategy(request: HttpRequest):
    """The strategies to choose among, the one chosen (`?strategi=`; the current one when none
    or an unknown one is asked for) and whether the value asked for was unknown."""
    year = timezone.localdate().year
    strategies = ordered(Strategy.objects.order_by(), year)
    wanted = request.GET.get("strategi", "")
    chosen = next((s for s in strategies if str(s.pk) == wanted), None)
    return (
        strategies,
        chosen or (strategies[0] if strategies else None),
        bool(wanted) and not chosen,
    )


@permission_required("core.view")
def coverage(request: HttpRequest) -> HttpResponse:
    """Goals × active projects of a strategy: the goals no project serves, the projects that
    serve no goal, and the focus areas' and SDGs' counts."""
    strategies, strategy, unknown = _chosen_strategy(request)
    result = report.coverage(strategy) if strategy else None
    page = matrix = None
    if result is not None:
        url = _project_url()
        for row in result.projects:
            row.project.detail_url = url(row.project.pk)
        for row in result.goals:
            row.more = max(len(row.projects) - GOAL_PROJECTS_SHOWN, 0)
        page = Paginator(result.projects, PAGE_SIZE).get_page(request.GET.get("side"))
        matrix = [_matrix_row(row) for row in page.object_list]
    return render(
        request,
        "portfolio/coverage/coverage.html",
        {
            "strategies": strategies,
            "strategy": strategy,
            "coverage": result,
            "page": page,
            "matrix": matrix,
            "goals_shown": GOAL_PROJECTS_SHOWN,
            "unknown": unknown,
            "phases": PHASE_LABELS,
            "year": timezone.localdate().year,
        },
    )


def _project_url():
    """pk -> the project card's address, with one `reverse` for all rows."""
    marker = 999_999_999
    template = reverse("portfolio:project_detail", args=[marker])
    return lambda pk: template.replace(str(marker), str(pk))


def _matrix_row(row: report.ProjectRow) -> str:
    """One row of the goals × projects matrix as HTML, built here rather than by the template
    engine: a municipality has hundreds of active projects and each row a cell per goal."""
    serves, serves_not = _("Serves the goal"), _("Does not serve the goal")
    yes = format_html(
        '<td class="coverage-cell"><span aria-hidden="true">✓</span>'
        '<span class="sr-only">{}</span></td>',
        serves,
    )
    no = format_html(
        '<td class="coverage-cell"><span aria-hidden="true">–</span>'
        '<span class="sr-only">{}</span></td>',
        serves_not,
    )
    total = (
        str(len(row.goal_ids))
        if row.serves
        else format_html('<span class="badge badge-warning">{}</span>', _("None"))
    )
    return format_html(
        '<tr{}><th scope="row"><a href="{}">{}</a></th>{}<td>{}</td></tr>',
        mark_safe(' class="coverage-none"') if not row.serves else "",
        row.project.detail_url,
        row.project.name,
        mark_safe("".join(yes if cell else no for cell in row.cells)),
        total,
    )


class CoverageExport(XlsxExporter):
    """One row per active project: a column per goal ("x" where it serves the goal)."""

    sheet_title = gettext_lazy("Coverage")

    def __init__(self, result: report.Coverage):
        self.result = result
        self.columns = (
            gettext_lazy("Project"),
            gettext_lazy("Project number"),
            gettext_lazy("Phase"),
            *(str(row.goal) for row in result.goals),
            gettext_lazy("Serves no goal"),
        )

    def rows(self):
        yes = _("Yes")
        for row in self.result.projects:
            project = row.project
            yield (
                project.name,
                project.code,
                str(PHASE_LABELS.get(project.phase, project.phase)),
                *("x" if cell else "" for cell in row.cells),
                "" if row.serves else yes,
            )


@permission_required("core.view")
def coverage_xlsx(request: HttpRequest) -> HttpResponse:
    _strategies, strategy, _unknown = _chosen_strategy(request)
    if strategy is None:
        raise Http404
    content = CoverageExport(report.coverage(strategy)).to_bytes()
    return download(content, XLSX, f"daekning-{strategy.start_year}-{strategy.end_year}.xlsx")
