"""Views of the portfolio: the risk register, its heat map, and keeping and escalating risks.

Everyone in the municipality reads the register: the risks of every project and of the
portfolio as a whole (those without a project), filtered and sorted by score, with a 5×5
heat map of probability × impact above. The keepers of a project add and edit its risks;
those who run the portfolio keep the portfolio's own risks (`portfolio.access`). Escalating a
risk opens a case in a body's backlog (`portfolio.services.escalate_risk`).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.collation import Danish
from documents.http import XLSX, download
from documents.xlsx import XlsxExporter
from organisation.models import Person
from portfolio import access, services
from portfolio.forms_risks import SCALE, EscalateForm, RiskFilterForm, RiskForm
from portfolio.models import Colour, Project, Risk, level

PAGE_SIZE = 50
XLSX_MAX_ROWS = 10_000


def _invalid_status(request: HttpRequest) -> int:
    """422 for a plain post with errors; htmx only swaps 2xx, so it gets 200."""
    return 200 if getattr(request, "htmx", False) else 422


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
    projects = list(Project.objects.only("pk", "name").order_by(Danish("name")))
    owners = list(
        Person.objects.filter(pk__in=Risk.objects.values("owner_id")).only("pk", "name")
        .order_by(Danish("name"))
    )
    form = RiskFilterForm(request.GET or None, projects=projects, owners=owners)
    without_cell = form.filter(risks_with_score(), cell=False)
    risks = (
        form.filter(without_cell)
        .select_related("project", "owner", "escalated_to", "case")
        .order_by("-score_value", "-identified_on", "-pk")
    )
    return form, projects, without_cell, risks


def heat_map(risks, probability: int | None = None, impact: int | None = None) -> list[dict]:
    """The 5×5 grid of the risks: rows probability 5→1, columns impact 1→5, one query."""
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
                }
                for i in range(1, 6)
            ],
        }
        for p in range(5, 0, -1)
    ]


def risk_list(request: HttpRequest) -> HttpResponse:
    form, projects, without_cell, risks = _filtered(request)
    probability, impact = form.value("sandsynlighed"), form.value("konsekvens")
    page = Paginator(risks, PAGE_SIZE).get_page(request.GET.get("side"))
    rows = list(page.object_list)
    user = request.user
    for risk in rows:
        risk.editable = access.can_edit_risk(user, risk)
        risk.level_label = Colour(risk.level).label
    chosen = form.value("projekt")
    project = next((p for p in projects if str(p.pk) == chosen), None)
    return render(
        request,
        "portfolio/risks/risk_list.html",
        {
            "form": form,
            "risks": rows,
            "page": page,
            "heat_map": heat_map(without_cell, probability, impact),
            "impacts": SCALE,
            "cell": (probability, impact) if probability or impact else None,
            "can_manage": access.can_manage(user),
            "project": project,
            "can_add_to_project": project is not None and access.can_edit_project(user, project),
            "next": request.get_full_path(),
        },
    )


class RiskExport(XlsxExporter):
    sheet_title = gettext_lazy("Risks")
    columns = (
        gettext_lazy("Risk"),
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
        for risk in self.risks:
            yield (
                risk.title,
                risk.project.name if risk.project_id else portfolio,
                risk.probability,
                risk.impact,
                risk.score,
                str(Colour(risk.level).label),
                risk.owner.name if risk.owner_id else "",
                risk.get_status_display(),
                risk.mitigation,
                risk.identified_on,
                risk.escalated_to.name if risk.escalated_to_id else "",
                risk.case.number if risk.case_id else "",
            )


def risk_list_xlsx(request: HttpRequest) -> HttpResponse:
    """The filtered register as an Excel sheet."""
    _form, _projects, _without_cell, risks = _filtered(request)
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
        status=_invalid_status(request) if request.method == "POST" else 200,
    )


def risk_create(request: HttpRequest) -> HttpResponse:
    """A risk of the whole portfolio (no project): for those who run the portfolio."""
    if not access.can_manage(request.user):
        raise PermissionDenied
    return _risk_form(request, None, None)


def project_risk_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    if not access.can_edit_project(request.user, project):
        raise PermissionDenied
    return _risk_form(request, None, project)


def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_object_or_404(Risk.objects.select_related("project", "owner"), pk=pk)
    if not access.can_edit_risk(request.user, risk):
        raise PermissionDenied
    return _risk_form(request, risk, risk.project)


def risk_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the body, then put the risk on its backlog as a case with a link back."""
    risk = get_object_or_404(
        Risk.objects.select_related("project__body", "owner", "escalated_to", "case"), pk=pk
    )
    if not access.can_edit_risk(request.user, risk):
        raise PermissionDenied
    form = EscalateForm(request.POST or None, risk=risk)
    next_url = _next_url(request)
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body"]
        try:
            case = services.escalate_risk(risk, body, request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("The risk was escalated to %(body)s as case %(number)s.")
                % {"body": body.name, "number": case.number},
            )
            return redirect(next_url or _home_of(risk))
    return render(
        request,
        "portfolio/risks/risk_escalate.html",
        {"form": form, "risk": risk, "next": next_url},
        status=_invalid_status(request) if request.method == "POST" else 200,
    )


urlpatterns = [
    path("risici/", risk_list, name="risk_list"),
    path("risici/xlsx/", risk_list_xlsx, name="risk_list_xlsx"),
    path("risici/ny/", risk_create, name="risk_create"),
    path("projekter/<int:pk>/risici/ny/", project_risk_create, name="project_risk_create"),
    path("risici/<int:pk>/rediger/", risk_edit, name="risk_edit"),
    path("risici/<int:pk>/eskaler/", risk_escalate, name="risk_escalate"),
]
