"""Forms of the KLE pages: the upload of an emneplan, and the KLE numbers of a usage or a case."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import style_fields
from documents import scan
from systems.kle.parser import MAX_BYTES, KleFileInvalid, ParsedPlan, parse
from systems.models import KleCode


class KleUploadForm(forms.Form):
    file = forms.FileField(
        label=_("KLE emneplan (XML)"),
        help_text=_("The file KLE-online publishes as the emneplan (KLE-Emneplan), in XML."),
        widget=forms.FileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )

    parsed: ParsedPlan | None = None

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        style_fields(self)

    def clean_file(self) -> bytes:
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(max)d MB.") % {"max": MAX_BYTES // (1024 * 1024)},
                code="size",
            )
        scan.check_clean(uploaded, user=self.user, sender=type(self))
        data = uploaded.read()
        try:
            self.parsed = parse(data)
        except KleFileInvalid as invalid:
            raise ValidationError(list(invalid.errors), code="invalid") from None
        return data


class KleConfirmForm(forms.Form):
    """The import button sends `confirm`; a post without it writes nothing."""

    confirm = forms.BooleanField(required=True)


class KleCodesForm(forms.Form):
    """The KLE numbers chosen (checkboxes drawn by the template: the chosen ones and the
    search's hits); any number of the catalogue is accepted, services refuse an ended one."""

    codes = forms.ModelMultipleChoiceField(
        label=_("KLE numbers"),
        queryset=KleCode.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
