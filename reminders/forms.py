"""The user's choice per kind of reminder."""

from django import forms

from reminders.models import Delivery, ReminderKind


class ReminderSettingsForm(forms.Form):
    """One radio group per kind: at once, weekly digest, none."""

    def __init__(self, *args, initial_choices: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in ReminderKind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Delivery.choices,
                initial=initial_choices.get(kind, Delivery.IMMEDIATE),
                widget=forms.RadioSelect(attrs={"class": "form-radio"}),
            )
