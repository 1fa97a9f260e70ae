"""Views of the portfolio import: upload an Excel file, see what it would create, commit.

Only those who run the portfolio (`portfolio.change`, `portfolio.rules`) import. The upload is kept
under the user's municipality with a random token (`portfolio.importer.store`), with the sheet
the upload read; the preview checks that sheet against the database again (without opening
the workbook again), shows every project it would create and every error with its row and
column, and offers the commit only when there are none. The commit creates all rows or none and then
deletes the file; a sheet of more than `importer.JOB_ROWS` rows is committed by a background job
with a progress page (`portfolio.jobs`). A token of another municipality's file is unknown here (404).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core import job_views, jobs
from core.permissions import has_perm, permission_required
from core.responses import form_status
from documents.http import XLSX, download
from portfolio import importer
from portfolio.forms.imports import (
    ImportConfirmForm,
    ImportUploadForm,
    choice_params,
    choices_from,
)


@permission_required("portfolio.change")
def import_upload(request: HttpRequest) -> HttpResponse:
    if request.GET.get("skabelon"):
        template = importer.ImportTemplate(timezone.localdate().year)
        return download(template.to_bytes(), XLSX, "projekter-skabelon.xlsx")
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            token = importer.store(
                form.cleaned_data["file"], request.user.municipality_id, sheet=form.sheet
            )
            return redirect("portfolio:import_preview", token=token)
    else:
        form = ImportUploadForm()
    return render(
        request,
        "portfolio/imports/upload.html",
        {
            "form": form,
            "columns": importer.COLUMNS,
            "budget_columns": importer.budget_help(),
            "max_projects": importer.MAX_PROJECTS,
        },
        status=form_status(request),
    )


@permission_required("core.view")
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    """The upload is found by its token in the user's municipality (404) before the permission
    is asked (403), so the decorator declares only the read."""
    municipality_id = request.user.municipality_id
    choices = choices_from(request.POST if request.method == "POST" else request.GET)
    data = importer.kept(municipality_id, token, choices.sheet)
    if data is None:
        raise Http404
    if not has_perm(request.user, "portfolio.change"):
        raise PermissionDenied
    status = 200
    form = ImportConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if isinstance(data, importer.Sheet) and len(data.rows) > importer.JOB_ROWS:
            # A large sheet is committed by a background job (`portfolio.jobs`), with progress.
            job = jobs.start(
                "portfolio.import_projects",
                request.user,
                _("Import of %(file)s") % {"file": data.title},
                token=token,
                choices=choices.to_dict(),
            )
            return job_views.respond(request, job)
        try:
            committed = importer.commit(data, municipality_id, choices)
        except importer.ImportInvalid as invalid:
            result, status = invalid.result, 422
        else:
            importer.discard(municipality_id, token)
            messages.success(request, committed.message())
            return redirect("portfolio:project_list")
    else:
        result = importer.parse(data, municipality_id, choices)
        if request.method == "POST":
            status = 400
    return render(
        request,
        "portfolio/imports/preview.html",
        {
            "result": result,
            "form": form,
            "token": token,
            "choice_params": choice_params(result.choices, result.unknown_headers),
            "fields": [(c.field, f"{c.label} ({c.header})") for c in importer.COLUMNS],
        },
        status=status,
    )
