"""Views of the portfolio import: upload an Excel file, see what it would create, commit.

The pages are the shared ones of every spreadsheet import (`documents.imports`) with the
project import (`portfolio.importer.PROJECTS`). Only those who run the portfolio
(`portfolio.change`, `portfolio.rules`) import. A sheet of more than `importer.JOB_ROWS` rows
is committed by a background job with a progress page (`portfolio.jobs`). A token of another
municipality's file is unknown here (404).
"""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import job_views, jobs
from core.permissions import permission_required
from documents import imports
from portfolio import importer


def _template() -> tuple[bytes, str]:
    template = importer.ImportTemplate(timezone.localdate().year)
    return template.to_bytes(), "projekter-skabelon.xlsx"


@permission_required("portfolio.change")
def import_upload(request: HttpRequest) -> HttpResponse:
    return imports.upload(
        request,
        importer.PROJECTS,
        preview="portfolio:import_preview",
        template="portfolio/imports/upload.html",
        template_file=_template,
        context={"extra_columns": importer.budget_help()},
    )


def _job(request: HttpRequest, token: str, data, choices) -> HttpResponse | None:
    """A large sheet is committed by a background job (`portfolio.jobs`), with progress."""
    if not (isinstance(data, importer.Sheet) and len(data.rows) > importer.JOB_ROWS):
        return None
    job = jobs.start(
        "portfolio.import_projects",
        request.user,
        _("Import of %(file)s") % {"file": data.title},
        token=token,
        choices=choices.to_dict(),
    )
    return job_views.respond(request, job)


@permission_required("core.view")
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    """The upload is found by its token in the user's municipality (404) before the permission
    is asked (403), so the decorator declares only the read."""
    return imports.preview(
        request,
        token,
        importer.PROJECTS,
        permission="portfolio.change",
        done="portfolio:project_list",
        template="portfolio/imports/preview.html",
        context={"upload_url": reverse("portfolio:import_upload")},
        job=_job,
    )
