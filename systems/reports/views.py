"""The DPO's annual report (`/systemer/aarsrapport/<year>/`) and a body's systems
(`/systemer/organ/<pk>/`), as page, PDF and DOCX (the documents by background jobs,
`systems.reports.jobs`), and attaching the annual report to an agenda.

Both read only what everyone of the municipality reads in the register (`core.view`): a
breach's open fields. Attaching needs the right to change meetings (`meetings.change`) and,
for the chosen meeting, to build its agenda (`meetings.edit`) while it can still change.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import job_views, jobs
from core.permissions import has_perm, permission_required
from organisation.models import Body
from systems.reports import documents, services
from systems.reports.forms import AttachForm


def _year(year) -> int:
    found = services.valid_year(year)
    if found is None:
        raise Http404
    return found


def _years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this, services.FIRST_YEAR - 1, -1))


@permission_required("core.view")
def annual_report(request: HttpRequest, year: int) -> HttpResponse:
    """The report of the year in the address; the year chosen in the form (`?aar=`) is sent
    to its own address."""
    chosen = services.valid_year(request.GET.get("aar"))
    if chosen is not None and chosen != year:
        return redirect("systems:annual_report", year=chosen)
    report = services.annual_report(request.municipality, _year(year))
    return render(
        request,
        "systems/reports/annual.html",
        {
            "report": report,
            "years": _years(),
            "can_attach": has_perm(request.user, "meetings.change"),
        },
    )


def _annual_document(request: HttpRequest, year: int, extension: str) -> HttpResponse:
    year = _year(year)
    job = jobs.start(
        "systems.annual_report",
        request.user,
        _("The data protection officer's annual report %(year)d as %(format)s")
        % {"year": year, "format": "PDF" if extension == "pdf" else "Word"},
        year=year,
        extension=extension,
    )
    return job_views.respond(request, job)


@permission_required("core.view")
def annual_report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    return _annual_document(request, year, "pdf")


@permission_required("core.view")
def annual_report_docx(request: HttpRequest, year: int) -> HttpResponse:
    return _annual_document(request, year, "docx")


@permission_required("meetings.change")
def annual_report_attach(request: HttpRequest, year: int) -> HttpResponse:
    """Generate the report's PDF and attach it to an agenda that can still change."""
    year = _year(year)
    meetings = services.attachable_meetings(request.user)
    form = AttachForm(request.POST or None, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        meeting = form.cleaned_data["meeting"]
        with translation.override(settings.LANGUAGE_CODE):
            report = services.annual_report(request.municipality, year)
            content = documents.annual_pdf(report)
            try:
                attachment = services.attach(
                    meeting,
                    content,
                    form.cleaned_data["agenda_item"],
                    report.title,
                    documents.annual_filename(report, "pdf"),
                )
            except ValidationError as error:
                attachment = None
                form.add_error(None, " ".join(error.messages))
        if attachment is not None:
            messages.success(
                request,
                _(
                    "The annual report was attached to “%(item)s” as “%(title)s”, version %(version)d."
                )
                % {
                    "item": attachment.item.title,
                    "title": attachment.title,
                    "version": attachment.version,
                },
            )
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    report_title = _("The data protection officer's annual report %(year)d") % {"year": year}
    return render(
        request,
        "systems/reports/attach.html",
        {"form": form, "year": year, "report_title": report_title},
        status=422 if form.errors else 200,
    )


# --- A body's systems -------------------------------------------------------------------------


def body_of(pk: int) -> Body:
    return get_object_or_404(Body, pk=pk)


def _links() -> bool:
    """Whether the register's page of a system exists to link to."""
    try:
        reverse("systems:usage_detail", args=[1])
    except NoReverseMatch:
        return False
    return True


@permission_required("core.view", lookup=body_of)
def body_systems(request: HttpRequest, body: Body) -> HttpResponse:
    return render(
        request,
        "systems/reports/body.html",
        {"found": services.body_systems(body), "link": _links()},
    )


def _body_document(request: HttpRequest, body: Body, extension: str) -> HttpResponse:
    job = jobs.start(
        "systems.body_systems",
        request.user,
        _("The systems of %(body)s as %(format)s")
        % {"body": body.name, "format": "PDF" if extension == "pdf" else "Word"},
        body_id=body.pk,
        extension=extension,
    )
    return job_views.respond(request, job)


@permission_required("core.view", lookup=body_of)
def body_systems_pdf(request: HttpRequest, body: Body) -> HttpResponse:
    return _body_document(request, body, "pdf")


@permission_required("core.view", lookup=body_of)
def body_systems_docx(request: HttpRequest, body: Body) -> HttpResponse:
    return _body_document(request, body, "docx")
