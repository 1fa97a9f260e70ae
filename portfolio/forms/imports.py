"""Forms of the portfolio import: the upload of an Excel file, and the confirmation.

What the file must hold is checked by `portfolio.importer`; the upload form refuses a file
that is not a readable .xlsx workbook, that the virus scan refuses (`documents.scan`), that
would cost more than `importer.LIMITS` to read (`documents.ooxml`), or whose sheet and header
row cannot be read, before anything is stored.
The sheet it read is `form.sheet`, kept beside the file for the preview.
"""

from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import style_fields
from documents import scan
from portfolio import importer


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.FileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    sheet: importer.Sheet | None = None

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user  # who uploads, for the log of the virus scan
        self.fields["file"].help_text = gettext(
            "At most %(max)d MB. The first row with text holds the headers."
        ) % {"max": importer.MAX_MB}
        style_fields(self)

    def clean_file(self) -> bytes:
        """The file's content, once it is known to be a workbook whose sheet can be read."""
        uploaded = self.cleaned_data["file"]
        if PurePath(uploaded.name or "").suffix.lower() != ".xlsx":
            raise importer.not_xlsx()
        if uploaded.size > importer.MAX_MB * 1024 * 1024:
            raise ValidationError(
                _("The file is larger than %(max)d MB.") % {"max": importer.MAX_MB}, code="size"
            )
        scan.check_clean(uploaded, user=self.user, sender=type(self))  # before it is parsed
        data = uploaded.read()
        self.sheet = importer.check_structure(data)
        return data


class ImportConfirmForm(forms.Form):
    """The commit button sends `confirm`; a post without it creates nothing."""

    confirm = forms.BooleanField(required=True)
