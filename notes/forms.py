"""The form of a private note: one text, checked by `services.clean_text`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from notes import services
from notes.models import MAX_LENGTH


class NoteForm(forms.Form):
    # Not `required`, not `max_length`: `clean_text` refuses an empty or too long note with a
    # message that says what to do (the textarea's maxlength still stops typing at the limit).
    text = forms.CharField(
        label=_("Note"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_LENGTH, "class": "form-input"}),
    )

    def clean_text(self) -> str:
        return services.clean_text(self.cleaned_data.get("text"))
