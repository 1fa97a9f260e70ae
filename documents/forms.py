"""The municipality's letterhead: an administrator uploads or removes its logo.

The form lives here, not in core, because every upload passes the virus scan of
`documents.scan` before it is stored, and core sits below documents."""

import io

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from core.forms import style_fields
from documents import scan
from documents.letterhead import image_type

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 25_000_000  # a decompression bomb is refused before it is decoded


class MunicipalityForm(forms.Form):
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_(
            "A PNG or JPEG image of at most 1 MB. It is shown with the municipality's name "
            "at the top of every PDF and Word document."
        ),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def __init__(self, *args, municipality, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.user = user
        if not municipality.logo:
            del self.fields["remove_logo"]
        style_fields(self)

    def clean_logo(self):
        uploaded = self.cleaned_data.get("logo")
        if not isinstance(uploaded, UploadedFile):
            return None
        if uploaded.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(
                _("The logo may be at most 1 MB; this file is %(size)s."),
                params={"size": f"{uploaded.size / 1024 / 1024:.1f} MB".replace(".", ",")},
                code="size",
            )
        content = uploaded.read()
        uploaded.seek(0)
        if image_type(content) is None or not _is_image(content):
            raise forms.ValidationError(
                _("The logo must be a PNG or JPEG image."), code="not_an_image"
            )
        scan.check_clean(uploaded, user=self.user, sender=type(self))
        return uploaded

    def save(self) -> None:
        municipality = self.municipality
        uploaded = self.cleaned_data.get("logo")
        if uploaded or self.cleaned_data.get("remove_logo"):
            if municipality.logo:
                municipality.logo.delete(save=False)
            municipality.logo = ""
        if uploaded:
            extension = "png" if image_type(uploaded.read(8)) == "image/png" else "jpg"
            uploaded.seek(0)
            municipality.logo.save(f"logo.{extension}", uploaded, save=False)
        municipality.save(update_fields=["logo"])


def _is_image(content: bytes) -> bool:
    """Whether Pillow reads the bytes as a whole PNG or JPEG of a sane size."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format not in {"PNG", "JPEG"}:
                return False
            if image.width * image.height > LOGO_MAX_PIXELS:
                return False
            image.verify()
    except Exception:  # noqa: BLE001 - any failure to read it means it is not an image
        return False
    return True
