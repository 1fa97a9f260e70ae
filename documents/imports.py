"""The pages of every spreadsheet import: upload → preview (by token) → commit.

An app's views are a few lines around `upload` and `preview` with its `SheetImport`
(`documents.spreadsheet`), its permission, its templates and where to go when done:

- `upload`: the form refuses a file that is not a readable .xlsx workbook, that the virus scan
  refuses (`documents.scan`), that is larger than `spreadsheet.MAX_MB` or would cost more than
  the import's `limits` to read, before anything is stored; a good one is kept under the
  user's municipality with a random token and the sheet it read. `?skabelon=1` downloads the
  import's template.
- `preview`: the kept upload is found by its token in the user's municipality (404) before
  the permission is asked (403); the page shows the kept sheet checked against the database
  as it is now, every problem with its sheet, row and column, the choices (sheet, what an
  unknown column holds, what to create) carried in the query string, and offers the commit
  only when there are none. The commit (a POST with `confirm`) writes all rows or none and
  deletes the file; `job` may take a large sheet to a background job instead.
"""

from collections.abc import Callable
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import style_fields
from core.permissions import has_perm
from core.responses import form_status
from documents import scan, spreadsheet
from documents.http import XLSX, download


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.FileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    sheet: spreadsheet.Sheet | None = None

    def __init__(self, *args, user=None, sheet_import: spreadsheet.SheetImport, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user  # who uploads, for the log of the virus scan
        self.sheet_import = sheet_import
        self.fields["file"].help_text = gettext(
            "At most %(max)d MB. The headers may be below title rows."
        ) % {"max": spreadsheet.MAX_MB}
        style_fields(self)

    def clean_file(self) -> bytes:
        """The file's content, once it is known to be a workbook whose sheet can be read."""
        uploaded = self.cleaned_data["file"]
        if PurePath(uploaded.name or "").suffix.lower() != ".xlsx":
            raise spreadsheet.not_xlsx()
        if uploaded.size > spreadsheet.MAX_MB * 1024 * 1024:
            raise ValidationError(
                _("The file is larger than %(max)d MB.") % {"max": spreadsheet.MAX_MB},
                code="size",
            )
        scan.check_clean(uploaded, user=self.user, sender=type(self))  # before it is parsed
        data = uploaded.read()
        # What the sheet lacks (a header, a column) the preview says, where the user may
        # choose another sheet or say what a column holds.
        self.sheet = self.sheet_import.read_sheet(data)
        return data


class ImportConfirmForm(forms.Form):
    """The commit button sends `confirm`; a post without it writes nothing."""

    confirm = forms.BooleanField(required=True)


def upload(
    request: HttpRequest,
    sheet_import: spreadsheet.SheetImport,
    *,
    preview: str,
    template: str,
    template_file: Callable[[], tuple[bytes, str]],
    context: dict | None = None,
) -> HttpResponse:
    """The upload page: `preview` is the url name of the preview (token), `template_file`
    gives the template's bytes and file name."""
    if request.GET.get("skabelon"):
        data, name = template_file()
        return download(data, XLSX, name)
    if request.method == "POST":
        form = ImportUploadForm(
            request.POST, request.FILES, user=request.user, sheet_import=sheet_import
        )
        if form.is_valid():
            token = sheet_import.store(
                form.cleaned_data["file"], request.user.municipality_id, sheet=form.sheet
            )
            return redirect(preview, token=token)
    else:
        form = ImportUploadForm(sheet_import=sheet_import)
    return render(
        request,
        template,
        {
            "form": form,
            "columns": sheet_import.columns,
            "max_rows": sheet_import.max_rows,
            **(context or {}),
        },
        status=form_status(request),
    )


def preview(
    request: HttpRequest,
    token: str,
    sheet_import: spreadsheet.SheetImport,
    *,
    permission: str,
    done: str,
    template: str,
    context: dict | None = None,
    job: Callable | None = None,
) -> HttpResponse:
    """The preview, and the commit on a POST with `confirm`; `done` is the url name to go to
    after the commit. `job(request, token, data, choices)` may answer instead of the commit (a
    background job for a large sheet); it returns None to let the commit run here."""
    municipality_id = request.user.municipality_id
    query = request.POST if request.method == "POST" else request.GET
    choices = spreadsheet.choices_from(query, sheet_import)
    data = sheet_import.kept(municipality_id, token, choices.sheet)
    if data is None:
        raise Http404
    if not has_perm(request.user, permission):
        raise PermissionDenied
    status = 200
    form = ImportConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        answer = job(request, token, data, choices) if job else None
        if answer is not None:
            return answer
        try:
            committed = sheet_import.commit(data, municipality_id, choices)
        except spreadsheet.ImportInvalid as invalid:
            result, status = invalid.result, 422
        else:
            sheet_import.discard(municipality_id, token)
            messages.success(request, committed.message())
            return redirect(done)
    else:
        result = sheet_import.parse(data, municipality_id, choices)
        if request.method == "POST":
            status = 400
    return render(
        request,
        template,
        {
            "result": result,
            "form": form,
            "token": token,
            "choice_params": spreadsheet.choice_params(result.choices, result.unknown_headers),
            "preview_rows": sheet_import.preview(result),
            "fields": [
                (c.field, f"{sheet_import.label(c)} ({c.header})") for c in sheet_import.columns
            ],
            **(context or {}),
        },
        status=status,
    )
