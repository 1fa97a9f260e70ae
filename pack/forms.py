"""The form of the steering-group pack: where the PDF is attached on the meeting's agenda."""

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import style_fields
from meetings.models import AgendaItem, ItemKind, Meeting
from pack import services as packs

# The choice of a new information item instead of one on the agenda.
NEW_ITEM = "ny"


class AttachForm(forms.Form):
    """Where the pack goes: an item of the meeting's agenda, or a new information item."""

    item = forms.ChoiceField(
        label=gettext_lazy("Attach the pack to"),
        help_text=gettext_lazy(
            "The PDF is attached to the item you choose. If the item already has the pack "
            "of this meeting, the attachment gets a new version."
        ),
    )
    omfang = forms.ChoiceField(
        choices=[(scope, scope) for scope in packs.SCOPES],
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, meeting: Meeting, items: list[AgendaItem], scope: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.items = {item.pk: item for item in items if item.kind != ItemKind.BREAK}
        label = packs.item_title()
        with translation.override(settings.LANGUAGE_CODE):
            site_label = packs.item_title()
        self.fields["item"].choices = [
            (NEW_ITEM, _("A new information item “%(title)s” at the end") % {"title": site_label}),
            *((str(pk), f"{item.position + 1}. {item.title}") for pk, item in self.items.items()),
        ]
        wanted = {label.casefold(), site_label.casefold()}
        matching = [
            pk
            for pk, item in self.items.items()
            if any(title in item.title.casefold() for title in wanted)
        ]
        self.fields["item"].initial = str(matching[0]) if matching else NEW_ITEM
        self.fields["omfang"].initial = scope
        style_fields(self)

    def clean_item(self) -> AgendaItem | None:
        value = self.cleaned_data["item"]
        return None if value == NEW_ITEM else self.items[int(value)]
