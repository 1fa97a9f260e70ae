"""Views of the portfolio: the risk register, its heat map, and keeping and escalating risks.

Everyone in the municipality reads the register: the risks of every project and of the
portfolio as a whole (those without a project), filtered and sorted by score, with a 5×5
heat map of probability × impact above. The keepers of a project add and edit its risks;
those who run the portfolio keep the portfolio's own risks (`portfolio.rules`). Escalating a
risk opens a case in a body's backlog (`portfolio.services.escalate_risk`).
"""

from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.links import url_maker
from core.permissions import has_perm, permission_required
from core.responses import invalid_status
from core.widgets import choice_labels
from documents.http import XLSX, download
from documents.xlsx import XlsxExporter
from organisation.models import Person
from portfolio import services
from portfolio.forms.risks import SCALE, EscalateForm, RiskFilterForm, RiskForm
from portfolio.models import Colour, Project, Risk, RiskStatus, level
from portfolio.views.escalation import escalation_page

PAGE_SIZE = 50
XLSX_MAX_ROWS = 10_000


def _next_url(request: HttpRequest) -> str:
    """Where to go back to: a `next` on this site, else empty."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return next_url


def _home_of(risk: Risk) -> str:
    """The page a risk lives on: its project's card, or the register for a portfolio risk."""
    if risk.project_id:
        return reverse("portfolio:project_detail", args=[risk.project_id]) + "#risici"
    return reverse("portfolio:risk_list")


# --- The register ----------------------------------------------------------------------------


def risks_with_score():
    """Risks with their score (probability × impact) as a column, to filter and sort by."""
    return Risk.objects.annotate(score_value=F("probability") * F("impact"))


def _filtered(request: HttpRequest):
    """The filter form, the risks of the filter without its heat map cell, and with it."""
    projects = Project.objects.order_by().values_list("pk", "name")
    owners = (
        Person.objects.filter(pk__in=Risk.objects.values("owner_id"))
        .order_by()
        .values_list("pk", "name")
    )
    form = RiskFilterForm(request.GET or None, projects=projects, owners=owners)
    without_cell = form.filter(risks_with_score(), cell=False)
    risks = (
        form.filter(without_cell)
        .select_related("project", "owner", "escalated_to", "case")
        .order_by("-score_value", "-identified_on", "-pk")
    )
    return form, without_cell, risks


# What the register's table (and the export) shows of a risk and what `portfolio.edit_risk`
# needs.
ROW_FIELDS = (
    "pk",
    "municipality_id",
    "project_id",
    "title",
    "probability",
    "impact",
    "owner_id",
    "mitigation",
    "status",
    "identified_on",
    "escalated_to_id",
    "case_id",
    "project__name",
    "project__municipality_id",
    "project__leader_id",
    "project__owner_id",
    "owner__name",
    "escalated_to__name",
    "case__number",
)


def _rows(request: HttpRequest, risks: list[Risk]) -> list[Risk]:
    """The page's risks, each with `cells`: what the table shows, as plain values worked
    out here once (links reversed once, labels translated once) rather than by 50 rows of
    template look-ups, filters and tags."""
    user = request.user
    back = "?next=" + quote(request.get_full_path(), safe="/")  # as the urlencode filter
    project_url = url_maker("portfolio:project_detail")
    edit_url = url_maker("portfolio:risk_edit")
    escalate_url = url_maker("portfolio:risk_escalate")
    case_url = url_maker("meetings:case_detail")
    levels, statuses = choice_labels(Colour), choice_labels(RiskStatus)
    for risk in risks:
        editable = has_perm(user, "portfolio.edit_risk", risk)
        risk.cells = {
            "title": risk.title,
            "project": risk.project.name if risk.project_id else "",
            "project_url": project_url(risk.project_id) if risk.project_id else "",
            "probability": risk.probability,
            "impact": risk.impact,
            "score": risk.score,
            "level": risk.level,
            "level_label": levels[risk.level],
            "owner": risk.owner.name if risk.owner_id else "–",
            "status": statuses.get(risk.status, risk.status),
            "mitigation": Truncator(risk.mitigation).words(12, truncate=" …") or "–",
            "escalated_to": risk.escalated_to.name if risk.escalated_to_id else "",
            "case": risk.case.number if risk.case_id else "",
            "case_url": case_url(risk.case_id) if risk.case_id else "",
            "edit_url": edit_url(risk.pk) + back if editable else "",
            "escalate_url": (
                escalate_url(risk.pk) + back
                if editable and risk.status != RiskStatus.CLOSED
                else ""
            ),
        }
    return risks


def heat_map(
    risks, probability: int | None = None, impact: int | None = None, query=None
) -> list[dict]:
    """The 5×5 grid of the risks: rows probability 5→1, columns impact 1→5, one query.
    With `query` (the request's GET) each cell has the link that shows its risks."""
    counts = {
        (row["probability"], row["impact"]): row["n"]
        for row in risks.order_by().values("probability", "impact").annotate(n=Count("pk"))
    }
    labels = dict(SCALE)
    return [
        {
            "probability": p,
            "label": labels[p],
            "cells": [
                {
                    "probability": p,
                    "impact": i,
                    "count": counts.get((p, i), 0),
                    "level": level(p * i),
                    "selected": p == probability and i == impact,
                    "href": _cell_link(query, p, i) if query is not None else "",
                    "text": ngettext(
                        "risk with probability %(p)s and impact %(i)s",
                        "risks with probability %(p)s and impact %(i)s",
                        counts.get((p, i), 0),
                    )
                    % {"p": p, "i": i},
                }
                for i in range(1, 6)
            ],
        }
        for p in range(5, 0, -1)
    ]


def _cell_link(query, probability: int, impact: int) -> str:
    """The register with the filters of `query`, on its first page, of one heat map cell."""
    params = query.copy()
    params["sandsynlighed"], params["konsekvens"] = str(probability), str(impact)
    params.pop("side", None)
    return "?" + params.urlencode()


@permission_required("core.view")
def risk_list(request: HttpRequest) -> HttpResponse:
    form, without_cell, risks = _filtered(request)
    probability, impact = form.value("sandsynlighed"), form.value("konsekvens")
    page = Paginator(risks.only(*ROW_FIELDS), PAGE_SIZE).get_page(request.GET.get("side"))
    rows = _rows(request, list(page.object_list))
    user = request.user
    chosen = form.project_id()
    project = Project.objects.filter(pk=chosen).first() if chosen is not None else None
    return render(
        request,
        "portfolio/risks/risk_list.html",
        {
            "form": form,
            "risks": rows,
            "page": page,
            "heat_map": heat_map(without_cell, probability, impact, request.GET),
            "impacts": SCALE,
            "cell": (probability, impact) if probability or impact else None,
            "can_manage": has_perm(user, "portfolio.change"),
            "project": project,
            "can_add_to_project": project is not None
            and has_perm(user, "portfolio.edit_project", project),
            "next": request.get_full_path(),
        },
    )


class RiskExport(XlsxExporter):
    sheet_title = gettext_lazy("Risks")
    columns = (
        gettext_lazy("Risk"),
        gettext_lazy("Description"),
        gettext_lazy("Project"),
        gettext_lazy("Probability"),
        gettext_lazy("Impact"),
        gettext_lazy("Score"),
        gettext_lazy("Level"),
        gettext_lazy("Owner"),
        gettext_lazy("Status"),
        gettext_lazy("Mitigation"),
        gettext_lazy("Identified on"),
        gettext_lazy("Escalated to"),
        gettext_lazy("Case number"),
    )

    def __init__(self, risks):
        self.risks = risks

    def rows(self):
        portfolio = _("The portfolio")
        levels, statuses = choice_labels(Colour), choice_labels(RiskStatus)
        for risk in self.risks:
            yield (
                risk.title,
                risk.description,
                risk.project.name if risk.project_id else portfolio,
                risk.probability,
                risk.impact,
                risk.score,
                levels.get(risk.level, risk.level),
                risk.owner.name if risk.owner_id else "",
                statuses.get(risk.status, risk.status),
                risk.mitigation,
                risk.identified_on,
                risk.escalated_to.name if risk.escalated_to_id else "",
                risk.case.number if risk.case_id else "",
            )


@permission_required("core.view")
def risk_list_xlsx(request: HttpRequest) -> HttpResponse:
    """The filtered register as an Excel sheet."""
    _form, _without_cell, risks = _filtered(request)
    content = RiskExport(risks[:XLSX_MAX_ROWS]).to_bytes()
    return download(content, XLSX, f"risici-{timezone.localdate():%Y-%m-%d}.xlsx")


# --- Keeping risks ---------------------------------------------------------------------------


def _risk_form(request: HttpRequest, risk: Risk | None, project: Project | None) -> HttpResponse:
    form = RiskForm(request.POST or None, instance=risk, project=project)
    next_url = _next_url(request)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
        if risk is None:
            messages.success(request, _("The risk was added."))
        else:
            messages.success(request, _("The risk was saved."))
        return redirect(next_url or _home_of(saved))
    return render(
        request,
        "portfolio/risks/risk_form.html",
        {"form": form, "risk": risk, "project": project, "next": next_url},
        status=invalid_status(request) if request.method == "POST" else 200,
    )


@permission_required("portfolio.change")
def risk_create(request: HttpRequest) -> HttpResponse:
    """A risk of the whole portfolio (no project): for those who run the portfolio."""
    return _risk_form(request, None, None)


def _project(pk: int) -> Project:
    return get_object_or_404(Project, pk=pk)


@permission_required("portfolio.edit_project", lookup=_project)
def project_risk_create(request: HttpRequest, project: Project) -> HttpResponse:
    return _risk_form(request, None, project)


def _risk(pk: int) -> Risk:
    return get_object_or_404(Risk.objects.select_related("project", "owner"), pk=pk)


@permission_required("portfolio.edit_risk", lookup=_risk)
def risk_edit(request: HttpRequest, risk: Risk) -> HttpResponse:
    return _risk_form(request, risk, risk.project)


def _risk_to_escalate(pk: int) -> Risk:
    return get_object_or_404(
        Risk.objects.select_related("project__body", "owner", "escalated_to", "case"), pk=pk
    )


@permission_required("portfolio.edit_risk", lookup=_risk_to_escalate)
def risk_escalate(request: HttpRequest, risk: Risk) -> HttpResponse:
    """Confirm the body, then put the risk on its backlog as a case with a link back."""
    next_url = _next_url(request)
    return escalation_page(
        request,
        EscalateForm(request.POST or None, risk=risk),
        lambda body: services.escalate_risk(risk, body, request.user),
        sent=_("The risk was escalated to %(body)s as case %(number)s."),
        done=next_url or _home_of(risk),
        template="portfolio/risks/risk_escalate.html",
        context={"risk": risk, "next": next_url},
    )
