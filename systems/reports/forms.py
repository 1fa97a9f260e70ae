"""The form that attaches the DPO's annual report to a meeting's agenda."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import style_fields
from meetings.models import AgendaItem, ItemKind

NEW_ITEM = "ny"


class AttachForm(forms.Form):
    """A meeting whose agenda can still change (and the user builds), and an item of it or a
    new information item."""

    meeting = forms.ChoiceField(label=gettext_lazy("Meeting"))
    item = forms.CharField(
        label=gettext_lazy("Item"),
        required=False,
        help_text=gettext_lazy(
            "The number of the item on the agenda; empty: a new information item at the end."
        ),
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.meetings = {str(m.pk): m for m in meetings}
        self.fields["meeting"].choices = [
            (pk, f"{m.body.name} {m.date:%d-%m-%Y}") for pk, m in self.meetings.items()
        ]
        style_fields(self)

    def clean_meeting(self):
        value = self.cleaned_data["meeting"]
        return self.meetings[value]

    def clean(self):
        data = super().clean()
        meeting = data.get("meeting")
        number = (data.get("item") or "").strip()
        data["agenda_item"] = None
        if meeting is None or not number:
            return data
        if not number.isdigit():
            self.add_error("item", _("Write the item's number on the agenda, e.g. 3."))
            return data
        item = (
            AgendaItem.objects.filter(meeting=meeting, position=int(number) - 1)
            .exclude(kind=ItemKind.BREAK)
            .first()
        )
        if item is None:
            self.add_error(
                "item",
                _("The agenda of %(meeting)s has no item %(number)s.")
                % {"meeting": f"{meeting.body.name} {meeting.date:%d-%m-%Y}", "number": number},
            )
            return data
        data["agenda_item"] = item
        return data
