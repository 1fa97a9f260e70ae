"""The forms of breaches: record or change one (the circle), close one. The model's `clean()`
decides; its errors are shown at their fields, in Danish."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import TenantModelForm, style_fields
from core.validators import PlausibleDate
from systems.models import Breach, PersonalData, SystemUsage

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(field: forms.DateTimeField) -> None:
    """A local date and time (the browser's picker); in the plausible years, so that the
    clock's arithmetic (+72 hours) stays within what a date can be."""
    field.validators.append(PlausibleDate(field.label))
    field.widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)
    field.input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class BreachForm(TenantModelForm):
    personal_data = forms.MultipleChoiceField(
        label=_("personal data"),
        choices=PersonalData.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The kinds of personal data the breach concerns."),
    )

    class Meta(TenantModelForm.Meta):
        model = Breach
        fields = [
            "title",
            "discovered_at",
            "occurred_at",
            "usage",
            "severity",
            "description",
            "persons_affected",
            "personal_data",
            "notified_at",
            "not_notified_reason",
            "authority_reference",
            "persons_informed_on",
            "measures",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "not_notified_reason": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("discovered_at", "occurred_at", "notified_at"):
            _datetime_field(self.fields[name])
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault(
                "discovered_at", timezone.localtime().replace(second=0, microsecond=0)
            )
        # The systems by name, each option naming its system without a query of its own.
        self.fields["usage"].queryset = SystemUsage.objects.select_related("system")
        style_fields(self)
        self.fields["personal_data"].widget.attrs["class"] = "form-checkbox"


class CloseForm(forms.Form):
    closed_on = forms.DateField(
        label=_("closed on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    not_notified_reason = forms.CharField(
        label=_("why not notified (in time)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when it was not notified, or notified after 72 hours."),
    )

    def __init__(self, *args, breach: Breach, **kwargs):
        super().__init__(*args, **kwargs)
        self.breach = breach
        self.fields["closed_on"].initial = timezone.localdate()
        self.fields["not_notified_reason"].initial = breach.not_notified_reason
        style_fields(self)
