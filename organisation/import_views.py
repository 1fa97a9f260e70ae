"""Views of the organisation's imports from Excel: units, people and members of bodies.

The pages are the shared ones of every spreadsheet import (`documents.imports`) with the
imports of `organisation.importer`. Those who keep the organisation import
(`organisation.change`, as the pages that create units, people and members declare); the
preview finds the upload by its token in the user's municipality (404) before it asks.
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.permissions import permission_required
from documents import imports, spreadsheet
from organisation import importer


@dataclass(frozen=True)
class Page:
    """What the pages of one import say and link to."""

    sheet_import: spreadsheet.SheetImport
    name: str  # url names: <name>_import, <name>_import_preview
    list_name: str
    list_label: object
    upload_label: object
    sheet_title: str  # of the template
    file_name: str
    intro: tuple

    def context(self) -> dict:
        return {
            "list_url": reverse(self.list_name),
            "list_label": self.list_label,
            "upload_label": self.upload_label,
            "upload_url": reverse(f"organisation:{self.name}_import"),
            "headings": self.sheet_import.headings,
        }


SHARED_RULES = (
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
PAGES = {
    "units": Page(
        importer.UNITS,
        "orgunit",
        "organisation:orgunit_list",
        _("Organisation"),
        _("Import units"),
        "Enheder",
        "enheder-skabelon.xlsx",
        (
            _(
                "One row per unit, from the sheet “Enheder” (else the sheet whose headers the "
                "import knows). A unit whose name is already in digistyr is updated, not "
                "created again; a parent may be a unit in digistyr or in the file."
            ),
        ),
    ),
    "people": Page(
        importer.PEOPLE,
        "person",
        "organisation:person_list",
        _("People"),
        _("Import people"),
        "Personer",
        "personer-skabelon.xlsx",
        (
            _(
                "One row per person, from the sheet “Personer” (else the sheet whose headers "
                "the import knows). A person whose name is already in digistyr is updated "
                "where the row gives a value; an empty cell leaves the field as it is. Units "
                "not found can be created with the import."
            ),
        ),
    ),
    "members": Page(
        importer.MEMBERS,
        "membership",
        "organisation:body_list",
        _("Bodies"),
        _("Import members of bodies"),
        "Medlemmer",
        "medlemmer-skabelon.xlsx",
        (
            _(
                "One row per membership, from the sheet “Medlemmer” (else the sheet whose "
                "headers the import knows): the body (by name or short name), the person, the "
                "role and the period. A membership of the person in the body from the same "
                "date is updated; people not found can be created with the import, bodies "
                "must exist first."
            ),
        ),
    ),
}


def _upload(request: HttpRequest, page: Page) -> HttpResponse:
    def template_file():
        template = importer.ImportTemplate(page.sheet_import, page.sheet_title)
        return template.to_bytes(), page.file_name

    return imports.upload(
        request,
        page.sheet_import,
        preview=f"organisation:{page.name}_import_preview",
        template="organisation/imports/upload.html",
        template_file=template_file,
        context={**page.context(), "intro": page.intro, "rules": SHARED_RULES},
    )


def _preview(request: HttpRequest, token: str, page: Page) -> HttpResponse:
    return imports.preview(
        request,
        token,
        page.sheet_import,
        permission="organisation.change",
        done=page.list_name,
        template="documents/imports/preview.html",
        context=page.context(),
    )


@permission_required("organisation.change")
def orgunit_import(request: HttpRequest) -> HttpResponse:
    return _upload(request, PAGES["units"])


@permission_required("core.view")
def orgunit_import_preview(request: HttpRequest, token: str) -> HttpResponse:
    return _preview(request, token, PAGES["units"])


@permission_required("organisation.change")
def person_import(request: HttpRequest) -> HttpResponse:
    return _upload(request, PAGES["people"])


@permission_required("core.view")
def person_import_preview(request: HttpRequest, token: str) -> HttpResponse:
    return _preview(request, token, PAGES["people"])


@permission_required("organisation.change")
def membership_import(request: HttpRequest) -> HttpResponse:
    return _upload(request, PAGES["members"])


@permission_required("core.view")
def membership_import_preview(request: HttpRequest, token: str) -> HttpResponse:
    return _preview(request, token, PAGES["members"])
