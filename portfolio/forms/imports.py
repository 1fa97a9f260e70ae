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
            "At most %(max)d MB. The headers may be below title rows."
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


# The preview's choices travel in its query string and in the commit's hidden fields: the
# sheet (`ark`), each unknown header (`overskrift`) with the field it holds (`felt`), in pairs,
# and what to create (`opret`: `personer`, `enheder`).
CREATE_PARAMS = {"personer": "persons", "enheder": "units"}


def choices_from(data) -> importer.Choices:
    """The user's choices from a query string or a post (a QueryDict); what it does not
    understand it leaves out."""
    headers, fields = data.getlist("overskrift"), data.getlist("felt")
    return importer.Choices.from_dict(
        {
            "sheet": data.get("ark") or None,
            "mapping": dict(zip(headers, fields, strict=False)),
            "create": [CREATE_PARAMS[v] for v in data.getlist("opret") if v in CREATE_PARAMS],
        }
    )


def choice_params(choices: importer.Choices, unknown: list[tuple[str, str]]) -> list:
    """The (name, value) pairs that carry `choices` into the commit's form."""
    pairs = [("ark", choices.sheet)] if choices.sheet else []
    for header, mapped in unknown:
        if mapped:
            pairs += [("overskrift", header), ("felt", mapped)]
    params = {kind: param for param, kind in CREATE_PARAMS.items()}
    pairs += [("opret", params[kind]) for kind in sorted(choices.create)]
    return pairs
