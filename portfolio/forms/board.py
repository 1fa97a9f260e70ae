"""Forms of the project board: its filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import FilterFormMixin, IntFilterField, style_fields
from core.widgets import QuickSelect, named_choices
from portfolio.models import ACTIVE_PHASES, Category, Phase


class BoardFilterForm(FilterFormMixin, forms.Form):
    """The GET parameters kategori, enhed, fase, organ and sen (only late reports)."""

    kategori = forms.ChoiceField(
        label=_("Category"),
        required=False,
        widget=QuickSelect,
        choices=[("", _("All categories")), *Category.choices],
    )
    enhed = IntFilterField(label=_("Owning unit"))
    fase = forms.ChoiceField(
        label=_("Phase"),
        required=False,
        widget=QuickSelect,
        choices=[("", _("All active phases"))]
        + [(value, label) for value, label in Phase.choices if value in ACTIVE_PHASES],
    )
    organ = IntFilterField(label=_("Governing body"))
    sen = forms.BooleanField(label=_("Only late reports"), required=False)

    def __init__(self, *args, units, bodies, **kwargs):
        """`units` and `bodies`: (pk, name) pairs, e.g. `values_list("pk", "name")`."""
        super().__init__(*args, **kwargs)
        self.fields["enhed"].choices = named_choices(units, _("All units"))
        self.fields["organ"].choices = named_choices(bodies, _("All bodies"))
        style_fields(self)
