"""Views of the benefit import from Excel: benefits and their measurements, across projects.

The pages are the shared ones of every spreadsheet import (`documents.imports`) with the
import of `benefits.importer`, one instance per request (it records the measurements as the
user, like the measurement page). One file may touch any project of the portfolio, so it is
for those who run the portfolio (`portfolio.change`, as the project import): a project's
keepers add and measure its benefits on its pages. The preview finds the upload by its token in
the user's municipality (404) before it asks (403).
"""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benefits import importer
from core.permissions import permission_required
from documents import imports

PERMISSION = "portfolio.change"
INTRO = (
    _(
        "One row per benefit, or one row per measurement of a benefit, from the sheet "
        "“Gevinster” (else the sheet whose headers the import knows). The project is found by "
        "its name or project number and is never created; a benefit of the project with the "
        "same title is updated, not created again. An empty cell leaves the fact as it is."
    ),
    _(
        "A measurement is a date and a value in the benefit's unit; one already recorded on "
        "that day with that value is not recorded again. A column of a year (2024) gives what "
        "was realised in the year, “Plan 2026” the realisation planned. People not found can "
        "be created with the import."
    ),
)
RULES = (
    _(
        "The headers are found in the row that holds the most of those below; title rows, "
        "notes and empty rows above it are skipped. One header per column; merged header "
        "cells are not allowed. Headers are read without regard to upper and lower case."
    ),
    _(
        "For a column with another header the preview asks what it holds; left unanswered, "
        "it is ignored. Empty rows are skipped."
    ),
    _(
        "Names are found in digistyr as written, then without regard to case and accents. "
        "The preview says which rows are new, what the others change, and writes all rows "
        "or none."
    ),
)


def _context() -> dict:
    return {
        "list_url": reverse("benefits:benefit_overview"),
        "list_label": _("Benefit realisation"),
        "upload_label": _("Import benefits"),
        "upload_url": reverse("benefits:benefit_import"),
        "headings": importer.BenefitImport.headings,
    }


def _template() -> tuple[bytes, str]:
    template = importer.ImportTemplate(timezone.localdate().year)
    return template.to_bytes(), "gevinster-skabelon.xlsx"


@permission_required(PERMISSION)
def benefit_import(request: HttpRequest) -> HttpResponse:
    return imports.upload(
        request,
        importer.BenefitImport(request.user),
        preview="benefits:benefit_import_preview",
        template="benefits/imports/upload.html",
        template_file=_template,
        context={
            **_context(),
            "intro": INTRO,
            "rules": RULES,
            "extra_columns": importer.year_help(),
        },
    )


@permission_required("core.view")
def benefit_import_preview(request: HttpRequest, token: str) -> HttpResponse:
    """The upload is found by its token in the user's municipality (404) before the permission
    is asked (403), so the decorator declares only the read."""
    return imports.preview(
        request,
        token,
        importer.BenefitImport(request.user),
        permission=PERMISSION,
        done="benefits:benefit_overview",
        template="documents/imports/preview.html",
        context=_context(),
    )
