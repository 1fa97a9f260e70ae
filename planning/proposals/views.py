"""Pages of proposals: the list with filters, one proposal with the plan entries that refer
to it, reporting and editing one, assessing it (status and note) and making it a project.

Everyone in the municipality reads proposals (`core.view`). Who may do what is named in
planning/rules.py: everyone who takes part reports (`planning.submit_proposal`); those who run
planning edit (`planning.edit_proposal`), assess and make projects
(`planning.assess_proposal`); the creator edits a proposal while it is new. Each view
declares its permission (`permission_required`): objects are looked up first (another
municipality's proposal is not found: 404), then the permission is asked (403). Every page
costs a constant number of queries.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.forms import add_validation_errors
from core.permissions import has_perm, permission_required
from core.responses import form_status
from documents.http import XLSX, download
from organisation.models import OrgUnit
from planning import exports
from planning.models import PlanEntry, Proposal, ProposalStatus
from planning.proposals import services
from planning.proposals.forms import (
    MakeProjectForm,
    ProposalFilterForm,
    ProposalForm,
    ProposalStatusForm,
)

PAGE_SIZE = 50
STATUS_BADGES = {
    ProposalStatus.NEW: "badge-info",
    ProposalStatus.ASSESSING: "badge-warning",
    ProposalStatus.PLANNED: "badge-info",
    ProposalStatus.PROJECT: "badge-success",
    ProposalStatus.REJECTED: "badge-error",
}
LIST_FIELDS = (
    "pk",
    "municipality_id",
    "title",
    "source",
    "status",
    "received_on",
    "unit__name",
    "project__name",
    "project__municipality_id",
)


def _proposal(pk: int) -> Proposal:
    return get_object_or_404(Proposal.objects.all(), pk=pk)


def _proposal_with_project(pk: int) -> Proposal:
    return get_object_or_404(Proposal.objects.select_related("unit", "project"), pk=pk)


def _plan_url(plan_id: int) -> str | None:
    """The action plan's page, when the planning pages are there."""
    try:
        return reverse("planning:plan_detail", args=[plan_id])
    except NoReverseMatch:
        return None


# --- The list ----------------------------------------------------------------------------------


def _filtered_proposals(request: HttpRequest):
    """The list's filter form and the proposals it selects, newest first."""
    units = OrgUnit.objects.order_by().values_list("pk", "name")
    form = ProposalFilterForm(request.GET or None, units=units)
    return form, form.filter(Proposal.objects.all()).order_by("-received_on", "-pk")


@permission_required("core.view")
def proposal_list_xlsx(request: HttpRequest) -> HttpResponse:
    _form, proposals = _filtered_proposals(request)
    content = exports.ProposalExport(proposals[: exports.MAX_ROWS]).to_bytes()
    return download(content, XLSX, f"forslag-{timezone.localdate():%Y-%m-%d}.xlsx")


@permission_required("core.view")
def proposal_list(request: HttpRequest) -> HttpResponse:
    form, proposals = _filtered_proposals(request)
    proposals = proposals.select_related("unit", "project").only(*LIST_FIELDS)
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("side"))
    rows = list(page.object_list)
    for proposal in rows:
        proposal.badge = STATUS_BADGES.get(proposal.status, "")
    return render(
        request,
        "planning/proposals/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "can_submit": has_perm(request.user, "planning.submit_proposal"),
        },
    )


# --- One proposal ------------------------------------------------------------------------------


@permission_required("core.view")
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(
        Proposal.objects.select_related("unit", "body", "contact", "project", "created_by"), pk=pk
    )
    entries = list(
        PlanEntry.objects.filter(proposal=proposal)
        .select_related("plan")
        .order_by("-plan__year", "position", "pk")
    )
    for entry in entries:
        entry.plan_url = _plan_url(entry.plan_id)
    user = request.user
    return render(
        request,
        "planning/proposals/detail.html",
        {
            "proposal": proposal,
            "badge": STATUS_BADGES.get(proposal.status, ""),
            "entries": entries,
            "can_edit": has_perm(user, "planning.edit_proposal", proposal),
            "can_assess": has_perm(user, "planning.assess_proposal", proposal),
        },
    )


def _proposal_form(request: HttpRequest, proposal: Proposal, *, created: bool):
    form = ProposalForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.save_proposal(form.save(commit=False))
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                _("The proposal was reported.") if created else _("The proposal was saved."),
            )
            return redirect("planning:proposal_detail", pk=proposal.pk)
    cancel_url = (
        reverse("planning:proposal_list")
        if created
        else reverse("planning:proposal_detail", args=[proposal.pk])
    )
    return render(
        request,
        "planning/proposals/form.html",
        {"form": form, "proposal": None if created else proposal, "cancel_url": cancel_url},
        status=form_status(request),
    )


@permission_required("planning.submit_proposal")
def proposal_create(request: HttpRequest) -> HttpResponse:
    return _proposal_form(request, Proposal(created_by=request.user), created=True)


@permission_required("planning.edit_proposal", lookup=_proposal)
def proposal_edit(request: HttpRequest, proposal: Proposal) -> HttpResponse:
    return _proposal_form(request, proposal, created=False)


@permission_required("planning.assess_proposal", lookup=_proposal)
def proposal_status(request: HttpRequest, proposal: Proposal) -> HttpResponse:
    """Assess the proposal: its status, and a note (the reason, when it is rejected)."""
    final = proposal.status == ProposalStatus.PROJECT
    form = ProposalStatusForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_status(proposal, data["status"], data["status_note"])
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The status of the proposal was saved."))
            return redirect("planning:proposal_detail", pk=proposal.pk)
    return render(
        request,
        "planning/proposals/status.html",
        {"form": form, "proposal": proposal, "final": final},
        status=form_status(request),
    )


@permission_required("planning.assess_proposal", lookup=_proposal_with_project)
def proposal_make_project(request: HttpRequest, proposal: Proposal) -> HttpResponse:
    """Make the proposal a project (phase idea), linked to it; then show the project."""
    form = MakeProjectForm(request.POST or None, initial={"name": proposal.title})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.make_project(proposal, category=data["category"], name=data["name"])
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                _("The proposal became the project “%(project)s”, in the phase Idea.")
                % {"project": project.name},
            )
            return redirect("portfolio:project_detail", pk=project.pk)
    return render(
        request,
        "planning/proposals/make_project.html",
        {"form": form, "proposal": proposal},
        status=form_status(request),
    )
