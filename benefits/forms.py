"""Forms of benefit realisation. Rules live on the models (`clean`); the forms collect input.

Amounts are typed the way a Danish user writes them: "1.250.000", "12,5", "1.250.000,50"
(`core.forms.DanishDecimalField`); the plan per year is an inline formset, saved with its
benefit in one transaction by `benefits.services.save_benefit`.
"""

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from benefits import services
from benefits.models import DKK, Benefit, BenefitMeasurement, BenefitPlan, BenefitType
from core.forms import (
    DanishDecimalField,
    FilterFormMixin,
    IntFilterField,
    TenantModelForm,
    style_fields,
)
from core.validators import FIRST_YEAR, LAST_YEAR
from core.widgets import QuickSelect
from portfolio.forms.projects import active_persons
from portfolio.models import Phase

# Rows offered for the planned realisation per year, after those already there.
PLAN_EXTRA_ROWS = 3
PLAN_MAX_ROWS = 30
YEAR_MIN, YEAR_MAX = FIRST_YEAR, LAST_YEAR  # the plausible years (core.validators)


# --- The benefit and its plan ----------------------------------------------------------------


class BenefitForm(TenantModelForm):
    """What the benefit is, how it is measured, who answers for it, baseline and target."""

    class Meta(TenantModelForm.Meta):
        model = Benefit
        fields = [
            "title",
            "description",
            "type",
            "unit",
            "accumulates",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "measurement_method",
            "frequency",
            "responsible",
            "first_due",
        ]
        field_classes = {"baseline_value": DanishDecimalField, "target_value": DanishDecimalField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "measurement_method": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "type": _("Economic benefits are measured in kr. and add up over the year."),
            "responsible": _(
                "The leader who answers for the benefit and records its "
                "measurements, also after the project has closed."
            ),
            "measurement_method": _(
                "Where the numbers come from and how they are counted, "
                "so the next person measures the same way."
            ),
        }

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None:
            self.instance.project = project
            self.instance.municipality_id = project.municipality_id
        self.fields["responsible"].queryset = active_persons(self.instance.responsible_id)
        self.fields["unit"].initial = self.instance.unit or DKK
        # The form's template explains "adds up" under the checkbox (field.html shows no help
        # text for a checkbox).
        self.fields["accumulates"].help_text = ""
        self.fields["accumulates"].widget.attrs["aria-describedby"] = "accumulates-hint"

    def clean_unit(self):
        return services.benefit_unit(self.instance, self.cleaned_data.get("unit") or "")


def _year_range_error() -> str:
    return gettext("Give a year between %(min)d and %(max)d.") % {"min": YEAR_MIN, "max": YEAR_MAX}


# Lazy: `gettext_lazy(...) % {...}` would translate once, when the module is imported.
YEAR_RANGE_ERROR = lazy(_year_range_error, str)()


class BenefitPlanForm(TenantModelForm):
    """One year of the planned realisation, in the benefit's unit."""

    year = forms.IntegerField(
        label=_("Year"),
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={"min_value": YEAR_RANGE_ERROR, "max_value": YEAR_RANGE_ERROR},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    class Meta(TenantModelForm.Meta):
        model = BenefitPlan
        fields = ["year", "planned"]
        field_classes = {"planned": DanishDecimalField}


class BaseBenefitPlanFormSet(BaseInlineFormSet):
    def clean(self):
        """A year may be planned once; the error sits at the second row naming it."""
        seen = set()
        duplicate = False
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            year = form.cleaned_data.get("year")
            if year is None:
                continue
            if year in seen:
                form.add_error("year", _("The year %(year)d is given twice.") % {"year": year})
                duplicate = True
            seen.add(year)
        if not duplicate:
            super().clean()

    def by_year(self) -> dict:
        """The plan of a valid formset as `benefits.services.save_benefit` takes it:
        {year: planned} of the rows filled in and not removed."""
        return {
            form.cleaned_data["year"]: form.cleaned_data["planned"]
            for form in self.forms
            if form.cleaned_data.get("year") is not None and not self._should_delete_form(form)
        }


BenefitPlanFormSet = inlineformset_factory(
    Benefit,
    BenefitPlan,
    form=BenefitPlanForm,
    formset=BaseBenefitPlanFormSet,
    fields=["year", "planned"],
    extra=PLAN_EXTRA_ROWS,
    max_num=PLAN_MAX_ROWS,
    validate_max=True,
    can_delete=True,
)


def plan_formset(data=None, *, benefit: Benefit) -> BaseBenefitPlanFormSet:
    formset = BenefitPlanFormSet(data, instance=benefit, prefix="plan")
    for form in formset.forms:
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")
            style_fields(form)
    return formset


# --- Measurements ------------------------------------------------------------------------------


class MeasurementForm(TenantModelForm):
    """What was realised, on a date, in the benefit's unit."""

    class Meta(TenantModelForm.Meta):
        model = BenefitMeasurement
        fields = ["measured_on", "value", "unit", "note"]
        field_classes = {"value": DanishDecimalField}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, benefit: Benefit, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.benefit = benefit
        self.instance.municipality_id = benefit.municipality_id
        today = timezone.localdate()
        self.fields["measured_on"].initial = today
        self.fields["measured_on"].widget.attrs["max"] = today.isoformat()
        self.fields["unit"].initial = benefit.unit
        if benefit.accumulates:
            help_text = _(
                "What was realised since the previous measurement; the year's measurements add up."
            )
        else:
            help_text = _(
                "The level on the day; the latest measurement of a year is the year's value."
            )
        self.fields["value"].help_text = format_lazy(
            "{} {}", help_text, _("Type e.g. 1.250.000 or 12,5.")
        )

    def clean_unit(self):
        return services.measurement_unit(self.instance.benefit, self.cleaned_data.get("unit") or "")


# --- Filters of the overview -------------------------------------------------------------------

PHASE_ACTIVE = "aktive"
RESPONSIBLE_NONE = "ingen"
FLAG_ANY = "alle"
SORTS = ("projekt", "gevinst", "maalt", "forfald", "ansvarlig")


class BenefitFilterForm(FilterFormMixin, forms.Form):
    """The overview's filters: the GET parameters projekt, type, ansvarlig, flag, fase, sort.

    `projects` and `people` are (id, name) pairs: the projects with benefits and the people
    who answer for one."""

    falsy_as_none = True

    projekt = IntFilterField(label=_("Project"))
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All types")), *BenefitType.choices],
        widget=QuickSelect,
    )
    ansvarlig = forms.ChoiceField(label=_("Responsible leader"), required=False, widget=QuickSelect)
    flag = forms.ChoiceField(label=_("Needs attention"), required=False, widget=QuickSelect)
    fase = forms.ChoiceField(label=_("Project phase"), required=False, widget=QuickSelect)
    sort = forms.ChoiceField(
        required=False, choices=[(s, s) for s in SORTS], widget=forms.HiddenInput
    )

    def __init__(self, *args, projects, people, flags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projekt"].choices = [("", _("All projects"))] + [
            (str(pk), name) for pk, name in projects
        ]
        self.fields["ansvarlig"].choices = [
            ("", _("Everybody")),
            (RESPONSIBLE_NONE, _("– no responsible leader –")),
        ] + [(str(pk), name) for pk, name in people]
        self.fields["flag"].choices = [
            ("", _("All benefits")),
            (FLAG_ANY, _("Any warning")),
            *flags,
        ]
        self.fields["fase"].choices = [
            ("", _("All, closed projects included")),
            (PHASE_ACTIVE, _("Active projects")),
            *Phase.choices,
        ]
        style_fields(self)
