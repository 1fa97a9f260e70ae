"""Views of the portfolio: status reports (statusrapporter).

A project's keepers (`portfolio.edit_project`, `portfolio.rules`) file a report every cycle: the
period follows on from the latest report, five traffic lights, an overall colour that is the
worst of the five unless they give a reason, and "needs a decision", which opens a case in
the governing body's backlog (`portfolio.services.file_status_report`). While the lights are
chosen, htmx asks the same URL with `?suggest=1` for the suggested overall colour; without
JavaScript the overall choice simply defaults to "suggested".

Everyone in the municipality reads the reports; keepers may escalate a report's barriers to
a body (`portfolio.services.escalate_barrier`).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.charts import Series, bar_chart
from core.permissions import has_perm, permission_required
from core.responses import invalid_status
from portfolio import services
from portfolio.forms.reports import (
    EscalateBarrierForm,
    StatusReportForm,
    period_initial,
    suggested_colour,
)
from portfolio.models import COLOUR_FIELDS, Colour, Project, StatusReport
from portfolio.views.escalation import escalation_page

# The trend chart shows this many of the latest periods.
CHART_PERIODS = 12


def lights(report: StatusReport) -> list[dict]:
    """The five lights of a report, each with its dimension's name and the colour's name."""
    return [
        {
            "name": name,
            "label": StatusReport._meta.get_field(name).verbose_name,
            "colour": getattr(report, name),
            "text": Colour(getattr(report, name)).label,
        }
        for name in COLOUR_FIELDS
    ]


def _suggestion(colour: str | None) -> dict:
    return {"suggested": colour, "suggested_label": Colour(colour).label if colour else ""}


def _project(pk: int) -> Project:
    return get_object_or_404(Project.objects.select_related("body"), pk=pk)


@permission_required("portfolio.edit_project", lookup=_project)
def report_create(request: HttpRequest, project: Project) -> HttpResponse:
    if request.GET.get("suggest"):
        return render(
            request, "portfolio/reports/suggested.html", _suggestion(suggested_colour(request.GET))
        )
    latest = project.status_reports.order_by("-period_end", "-pk").first()
    form = StatusReportForm(
        request.POST or None, project=project, initial=period_initial(project, latest)
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.file_status_report(form.save(commit=False), request.user)
        except ValidationError as error:
            form._update_errors(error)
        else:
            if report.case_id:
                messages.success(
                    request,
                    _(
                        "The status report was filed. Case %(number)s was opened in the backlog "
                        "of %(body)s."
                    )
                    % {"number": report.case.number, "body": project.body.name},
                )
            else:
                messages.success(request, _("The status report was filed."))
            return redirect("portfolio:project_detail", pk=project.pk)
    return render(
        request,
        "portfolio/reports/report_form.html",
        {
            "form": form,
            "project": project,
            "latest": latest,
            **_suggestion(form.suggested()),
        },
        status=invalid_status(request) if request.method == "POST" else 200,
    )


@permission_required("core.view")
def report_list(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(
        Project.objects.select_related("leader", "body", "owning_unit"), pk=pk
    )
    reports = list(
        project.status_reports.select_related("reported_by", "case").order_by("-period_end", "-pk")
    )
    for report in reports:
        report.lights = lights(report)
        report.colour_label = Colour(report.colour).label
    return render(
        request,
        "portfolio/reports/report_list.html",
        {
            "project": project,
            "reports": reports,
            "chart": trend_chart(reports[:CHART_PERIODS][::-1]),
            "dimensions": [StatusReport._meta.get_field(n).verbose_name for n in COLOUR_FIELDS],
            "can_edit": has_perm(request.user, "portfolio.edit_project", project),
        },
    )


def trend_chart(reports: list[StatusReport]):
    """One stacked bar per period, oldest first: how many of the five lights had each colour."""
    counts = {colour: [] for colour in Colour.values}
    for report in reports:
        colours = [getattr(report, name) for name in COLOUR_FIELDS]
        for colour in Colour.values:
            counts[colour].append(colours.count(colour))
    return bar_chart(
        _("The five lights per period"),
        categories=[f"{r.period_end:%d-%m-%Y}" for r in reports],
        series=[Series(Colour(c).label, c, counts[c]) for c in Colour.values],
        unit=_("lights"),
        stacked=True,
        counts=True,
    )


def _report(pk: int) -> StatusReport:
    return get_object_or_404(
        StatusReport.objects.select_related(
            "project__body__parent", "project__leader", "reported_by", "case", "barrier_case"
        ),
        pk=pk,
    )


@permission_required("core.view")
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    return render(
        request,
        "portfolio/reports/report_detail.html",
        {
            "report": report,
            "project": report.project,
            "lights": lights(report),
            "colour_label": Colour(report.colour).label,
            "suggested_label": Colour(report.suggested).label,
            "can_edit": has_perm(request.user, "portfolio.edit_project", report.project),
        },
    )


@permission_required("portfolio.escalate_report", lookup=_report)
def report_escalate(request: HttpRequest, report: StatusReport) -> HttpResponse:
    """GET: choose the body; POST: put the report's barriers on its backlog as a case."""
    project = report.project
    return escalation_page(
        request,
        EscalateBarrierForm(request.POST or None, project=project),
        lambda body: services.escalate_barrier(report, body, request.user),
        sent=_("The barriers were sent to %(body)s as case %(number)s."),
        done=reverse("portfolio:report_detail", args=[report.pk]),
        template="portfolio/reports/report_escalate.html",
        context={"report": report, "project": project},
    )
