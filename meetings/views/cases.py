"""Views of the meetings app: cases (sager) with their routes, and attachments (bilag).

A case passes an ordered list of bodies (its route, sagsgang); its page shows the route,
where the case is now and every treatment of it at a meeting. Attachments belong to agenda
items; their files are checked by `meetings.uploads` before anything is written, and a new
file on an existing attachment is a new version (the old file stays on disk).
"""

import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core import sections
from core.permissions import has_perm, permission_required
from core.responses import invalid_status
from documents.http import XLSX, download
from meetings import exports, services
from meetings.forms.cases import AttachmentForm, CaseForm, RouteForm, route_bodies
from meetings.models import (
    ALLOWED_ATTACHMENT_EXTENSIONS,
    AgendaItem,
    Attachment,
    Case,
    CaseStatus,
    CaseStep,
)
from meetings.rules import published_agendas
from meetings.uploads import extension

PAGE_SIZE = 50


# --- Cases -----------------------------------------------------------------------------------


def current_step(steps) -> CaseStep | None:
    """Where the case is now: the last step of its route that it has reached."""
    reached = [step for step in steps if step.arrived_on is not None]
    return reached[-1] if reached else None


def _steps_prefetch() -> Prefetch:
    return Prefetch("steps", queryset=CaseStep.objects.select_related("body").order_by("position"))


def _case(pk: int) -> Case:
    """A case with its route (`meetings.see_case_description` reads its steps)."""
    return get_object_or_404(Case.objects.prefetch_related(_steps_prefetch()), pk=pk)


def _case_or_new(pk: int | None = None) -> Case | None:
    """The case to edit, or None for a new one."""
    return get_object_or_404(Case, pk=pk) if pk else None


def _filtered_cases(request: HttpRequest):
    """The list's filters (a search, a status: open unless asked) and the cases they select."""
    query = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", CaseStatus.OPEN)
    cases = Case.objects.order_by("-created_on", "-pk")
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    else:
        status = "all"
    if query:
        cases = cases.filter(Q(number__icontains=query) | Q(title__icontains=query))
    return query, status, cases


@permission_required("core.view")
def case_list(request: HttpRequest) -> HttpResponse:
    query, status, cases = _filtered_cases(request)
    cases = cases.prefetch_related(_steps_prefetch())
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("side"))
    rows = list(page.object_list)
    for case in rows:
        case.route = list(case.steps.all())
        case.current = current_step(case.route)
    return render(
        request,
        "meetings/case_list.html",
        {
            "cases": rows,
            "page": page,
            "query": query,
            "status": status,
            "statuses": CaseStatus.choices,
            "can_change": has_perm(request.user, "meetings.change_cases"),
        },
    )


@permission_required("core.view")
def case_list_xlsx(request: HttpRequest) -> HttpResponse:
    """The cases of the list's filters as an Excel sheet: what the list shows of them (the
    description of a closed case is for the bodies on its route only)."""
    _query, _status, cases = _filtered_cases(request)
    content = exports.CaseExport(cases[: exports.MAX_ROWS]).to_bytes()
    return download(content, XLSX, f"sager-{timezone.localdate():%Y-%m-%d}.xlsx")


@permission_required("core.view", lookup=_case)
def case_detail(request: HttpRequest, case: Case) -> HttpResponse:
    user = request.user
    steps = list(case.steps.all())
    items = (
        AgendaItem.objects.filter(case=case)
        .filter(published_agendas(user, prefix="meeting__"))
        .select_related("meeting__body")
        .order_by("meeting__date", "meeting__start", "position", "pk")
    )
    treatments = []
    for item in items:
        meeting = item.meeting
        closed_hidden = item.closed and not has_perm(user, "meetings.see_closed", meeting)
        treatments.append(
            {
                "item": item,
                "meeting": meeting,
                "closed_hidden": closed_hidden,
                "show_decision": not closed_hidden
                and has_perm(user, "meetings.see_decisions", meeting),
            }
        )
    return render(
        request,
        "meetings/case_detail.html",
        {
            "case": case,
            "steps": steps,
            "current": current_step(steps),
            "treatments": treatments,
            "shows_description": has_perm(user, "meetings.see_case_description", case),
            "can_change": has_perm(user, "meetings.change_cases"),
            "sections": sections.of("meetings.case", request, case),
        },
    )


@permission_required("meetings.change_cases", lookup=_case_or_new)
def case_form(request: HttpRequest, case: Case | None) -> HttpResponse:
    steps = list(case.steps.select_related("body").order_by("position")) if case else []
    form = CaseForm(request.POST or None, instance=case)
    route_form = RouteForm(
        request.POST or None,
        bodies=route_bodies([step.body_id for step in steps]),
        steps=steps,
        prefix="route",
    )
    if request.method == "POST":
        valid = form.is_valid()
        route_valid = route_form.is_valid()
        if valid and route_valid:
            case = services.save_case(form.save(commit=False), route_form.route)
            messages.success(request, _("The case was saved."))
            return redirect("meetings:case_detail", pk=case.pk)
    return render(
        request,
        "meetings/case_form.html",
        {"form": form, "route_form": route_form, "case": case},
        status=invalid_status(request) if request.method == "POST" else 200,
    )


# --- Attachments ----------------------------------------------------------------------------


def _attachment_page(request: HttpRequest, form: AttachmentForm, saved: str) -> HttpResponse:
    """Save a posted attachment (`services.save_attachment`) and go back to the meeting, or
    show the form again: with its errors, or saying that the minutes are locked."""
    item = form.instance.item
    meeting = item.meeting
    locked = meeting.minutes_locked
    if request.method == "POST" and not locked and form.is_valid():
        try:
            services.save_attachment(
                form.save(commit=False), form.cleaned_data.get("upload"), form.content_type
            )
        except ValidationError:
            locked = True  # approved in the meantime
        else:
            messages.success(request, saved)
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    if locked and request.method == "POST":
        messages.error(request, services.ATTACHMENTS_LOCKED)
    context = {"form": form, "item": item, "meeting": meeting, "locked": locked}
    if form.instance.pk:
        context.update(attachment=form.instance, versions=attachment_versions(form.instance))
    return render(
        request,
        "meetings/attachment_form.html",
        context,
        status=invalid_status(request) if request.method == "POST" else 200,
    )


def _item(pk: int) -> AgendaItem:
    return get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=pk)


def _attachment(pk: int) -> Attachment:
    return get_object_or_404(Attachment.objects.select_related("item__meeting__body"), pk=pk)


@permission_required("meetings.edit", lookup=_item)
def attachment_add(request: HttpRequest, item: AgendaItem) -> HttpResponse:
    form = AttachmentForm(request.POST or None, request.FILES or None, item=item, user=request.user)
    return _attachment_page(request, form, _("The attachment was added."))


def attachment_versions(attachment: Attachment) -> list:
    """One history record per version of the file: who uploaded it, when, and its size."""
    records = attachment.history.select_related("history_user").order_by(
        "history_date", "history_id"
    )
    versions = {}
    for record in records:
        if record.file and record.version not in versions:
            # The history keeps the file's name (a string), not a file.
            record.file_name = os.path.basename(str(record.file))
            versions[record.version] = record
    return sorted(versions.values(), key=lambda r: r.version, reverse=True)


@permission_required("core.view", lookup=_attachment)
def attachment_edit(request: HttpRequest, attachment: Attachment) -> HttpResponse:
    item = attachment.item
    meeting = item.meeting
    user = request.user
    # Refused: a closed attachment does not exist for those who may not see it (404).
    if not has_perm(user, "meetings.edit", meeting):
        if (attachment.closed or item.closed) and not has_perm(
            user, "meetings.see_closed", meeting
        ):
            raise Http404
        raise PermissionDenied
    form = AttachmentForm(
        request.POST or None,
        request.FILES or None,
        instance=attachment,
        item=item,
        user=request.user,
    )
    return _attachment_page(request, form, _("The attachment was saved."))


def _attachment_of_meeting(pk: int) -> Attachment:
    return get_object_or_404(Attachment.objects.select_related("item__meeting"), pk=pk)


@permission_required("core.view", lookup=_attachment_of_meeting)
def attachment_download(request: HttpRequest, attachment: Attachment) -> FileResponse:
    """The file, as a download. What the user may not see does not exist (404)."""
    item = attachment.item
    meeting = item.meeting
    user = request.user
    if not has_perm(user, "meetings.see_agenda", meeting):
        raise Http404
    if (attachment.closed or item.closed) and not has_perm(user, "meetings.see_closed_item", item):
        raise Http404  # not a member, or disqualified from the item (inhabil)
    if not attachment.file:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    name = os.path.basename(attachment.file.name)
    content_type = (
        attachment.content_type
        or ALLOWED_ATTACHMENT_EXTENSIONS.get(extension(name))
        or "application/octet-stream"
    )
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
