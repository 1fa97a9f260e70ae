"""Forms of the meeting as it runs: who takes part in an item, a substitute, a dissent."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import style_fields
from meetings.models import AddendumKind, ItemAbsenceKind
from organisation.models import Person

TAKES_PART = ""


class ItemAbsenceForm(forms.Form):
    """One choice and a reason per participant present: takes part, does not, disqualified."""

    def __init__(self, *args, people: list[Person], current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        choices = [(TAKES_PART, _("Takes part")), *ItemAbsenceKind.choices]
        for person in people:
            kind, note = current.get(person.pk, (TAKES_PART, ""))
            kind_name, note_name = f"kind_{person.pk}", f"note_{person.pk}"
            self.fields[kind_name] = forms.ChoiceField(
                label=_("%(name)s in this item") % {"name": person.name},
                choices=choices,
                initial=kind,
                required=False,
            )
            self.fields[note_name] = forms.CharField(
                label=_("Reason for %(name)s") % {"name": person.name},
                max_length=200,
                required=False,
                initial=note,
            )
            self.rows.append((person, kind_name, note_name))
        style_fields(self)

    def bound_rows(self):
        return [(person, self[k], self[n]) for person, k, n in self.rows]

    def entries(self):
        return [
            (person, self.cleaned_data[k] or "", self.cleaned_data[n]) for person, k, n in self.rows
        ]


class SubstituteForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Member who is away"),
        queryset=Person.objects.none(),
        error_messages={"required": _("Choose the member the substitute stands in for.")},
    )
    substitute = forms.ModelChoiceField(
        label=_("Substitute"),
        queryset=Person.objects.none(),
        error_messages={"required": _("Choose the substitute.")},
    )

    def __init__(self, *args, members, people, **kwargs):
        super().__init__(*args, **kwargs)
        # Any person of the municipality may be chosen as the member: the service refuses
        # one who is not a member of this body, in Danish.
        self.fields["member"].queryset = people
        self.fields["member"].help_text = _(
            "Members of the body on the meeting's date: %(names)s"
        ) % {"names": ", ".join(person.name for person in members) or "–"}
        self.fields["substitute"].queryset = people
        style_fields(self)


class AddendumForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AddendumKind.choices)
    text = forms.CharField(
        label=_("Text for the minutes"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In your own words; printed with the item's decision in the minutes."),
        error_messages={"required": _("Write the dissent or the addition.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
