"""Views of the steering-group pack: choose a meeting, preview the pack, download it as PDF or
DOCX, and attach the PDF to the meeting's agenda.

The portfolio is open to everyone in the municipality, but the meeting may not be: the pack of
a meeting is shown to those who see its agenda (`meetings.see_agenda`), else 404.
Attaching needs the right to build that meeting's agenda (`meetings.edit`, 403) and an agenda
that is still editable.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import job_views, jobs
from core.collation import danish_key
from core.permissions import has_perm, permission_required
from meetings.models import AgendaItem, Meeting
from meetings.rules import published_agendas
from pack import documents as pack_documents
from pack import services as packs
from pack.forms import AttachForm

RECENT_MEETINGS = 40


def _meeting(pk: int) -> Meeting:
    """The meeting of the address; one whose agenda the user may not see does not exist
    either (`hide=True`: 404)."""
    return get_object_or_404(Meeting.objects.select_related("body"), pk=pk)


def _scope(request: HttpRequest) -> str:
    scope = request.GET.get("omfang") or request.POST.get("omfang") or packs.SCOPE_ALL
    return scope if scope in packs.SCOPES else packs.SCOPE_ALL


def _int(value) -> int | None:
    """A meeting id from the address, or None (also for numbers no id can be)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


# --- Choosing a meeting -----------------------------------------------------------------------


@permission_required("core.view")
def pack_choose(request: HttpRequest) -> HttpResponse:
    """Upcoming and recent meetings the user may see, grouped by body, newest first."""
    user = request.user
    chosen = _int(request.GET.get("moede"))
    visible = Meeting.objects.filter(published_agendas(user))
    if chosen is not None and visible.filter(pk=chosen).exists():
        return redirect("pack:pack", pk=chosen)
    today = timezone.localdate()
    upcoming = list(visible.filter(date__gte=today).select_related("body"))
    recent = list(
        visible.filter(date__lt=today)
        .select_related("body")
        .order_by("-date", "-start")[:RECENT_MEETINGS]
    )
    groups: dict[int, dict] = {}
    for meeting in sorted(upcoming + recent, key=lambda m: (m.date, m.start), reverse=True):
        group = groups.setdefault(meeting.body_id, {"body": meeting.body, "meetings": []})
        group["meetings"].append(meeting)
    ordered = sorted(groups.values(), key=lambda g: danish_key(g["body"].name))
    # The list preselects the next meeting (the pack is made before it), else the latest.
    following = min(upcoming, key=lambda m: (m.date, m.start), default=None)
    selected = following or (recent[0] if recent else None)
    return render(
        request,
        "pack/choose.html",
        {
            "groups": ordered,
            "today": today,
            "chosen": chosen,
            "selected": selected.pk if selected else None,
            "not_found": chosen is not None,
        },
    )


# --- The pack ---------------------------------------------------------------------------------


def _items(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk"))


def _may_attach(user, meeting: Meeting) -> bool:
    return has_perm(user, "meetings.edit", meeting) and meeting.agenda_editable


@permission_required("meetings.see_agenda", lookup=_meeting, hide=True)
def pack(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    result = packs.build(meeting, _scope(request))
    may_attach = _may_attach(request.user, meeting)
    form = None
    if may_attach:
        form = AttachForm(meeting=meeting, items=_items(meeting), scope=result.scope)
    return render(
        request,
        "pack/pack.html",
        {
            "pack": result,
            "meeting": meeting,
            "form": form,
            "scope_all": packs.SCOPE_ALL,
            "scope_body": packs.SCOPE_BODY,
        },
    )


def _download(request: HttpRequest, meeting: Meeting, extension: str) -> HttpResponse:
    """The pack as PDF or Word, made by a background job (`pack.jobs.pack_document`): a
    large portfolio takes more than a second."""
    job = jobs.start(
        "pack.pack_document",
        request.user,
        _("The steering-group pack for %(meeting)s as %(format)s")
        % {"meeting": meeting.title or meeting.body.name, "format": extension.upper()},
        meeting_id=meeting.pk,
        scope=_scope(request),
        extension=extension,
    )
    return job_views.respond(request, job)


@permission_required("meetings.see_agenda", lookup=_meeting, hide=True)
def pack_pdf(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    return _download(request, meeting, "pdf")


@permission_required("meetings.see_agenda", lookup=_meeting, hide=True)
def pack_docx(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    return _download(request, meeting, "docx")


@permission_required("meetings.edit", lookup=_meeting)
def pack_attach(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """Generate the PDF and attach it to the agenda (GET shows the choice)."""
    scope = _scope(request)
    data = request.POST if request.method == "POST" else None
    form = AttachForm(data, meeting=meeting, items=_items(meeting), scope=scope)
    locked = not meeting.agenda_editable
    if request.method == "POST" and not locked and form.is_valid():
        with translation.override(settings.LANGUAGE_CODE):
            content = pack_documents.pack_pdf(
                packs.build(meeting, form.cleaned_data["omfang"] or scope)
            )
            try:
                attachment = packs.attach(meeting, content, form.cleaned_data["item"])
            except ValidationError as error:
                attachment = None
                message = " ".join(error.messages)
        if attachment is not None:
            messages.success(
                request,
                _(
                    "The portfolio status was attached to “%(item)s” as “%(title)s”, version "
                    "%(version)d."
                )
                % {
                    "item": attachment.item.title,
                    "title": attachment.title,
                    "version": attachment.version,
                },
            )
            return redirect("meetings:meeting_detail", pk=meeting.pk)
        messages.error(request, message)
        locked = True
    elif request.method == "POST" and locked:
        messages.error(request, _("The agenda has been sent and can no longer be changed."))
    status = 200
    if request.method == "POST":
        status = 409 if locked else 422
    return render(
        request,
        "pack/attach.html",
        {
            "meeting": meeting,
            "form": form,
            "locked": locked,
            "scope": scope,
            "pack_url": reverse("pack:pack", kwargs={"pk": meeting.pk}),
        },
        status=status,
    )
