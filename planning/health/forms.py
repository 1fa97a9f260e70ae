"""The filters of the governance health page: the year (`aar`) and "only what I can act on"
(`mine`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import FilterFormMixin, style_fields

YEARS_BACK = 6


class HealthFilterForm(FilterFormMixin, forms.Form):
    aar = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    mine = forms.BooleanField(label=_("Only what I can act on"), required=False)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        years = range(today.year + 1, today.year - YEARS_BACK - 1, -1)
        self.fields["aar"].choices = [(str(year), str(year)) for year in years]
        style_fields(self)
