"""Forms of the annual wheel: an activity with its recurrence, the preview of its next dates,
the wheel's filters and the municipality's first month.

The recurrence rules are `planning.wheel.services.check`: the form runs them after the
model's own `clean`, to show what is wrong next to the fields (and for the preview of the
dates); `services.save_activity`, which the page and the API save with, runs them again.
Every recurrence field is rendered; `static/css/wheel.css` hides those the chosen frequency
does not use (`data-for` on each field's wrapper), so without CSS support all are shown and
the help texts say which frequency uses them. The fields a frequency does not use are emptied
on save.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.collation import Danish
from core.forms import FilterFormMixin, TenantModelForm, style_fields
from core.models import Municipality
from organisation.models import Body, Person
from planning.models import ActivityKind, WheelActivity
from planning.wheel import services
from systems.models import Outcome


def month_choices(empty_label=None) -> list:
    choices = [(m, services.month_name(m)) for m in range(1, 13)]
    return [("", empty_label), *choices] if empty_label is not None else choices


class MonthSelect(forms.Select):
    """Months by name, in the active language when rendered."""

    def __init__(self, empty_label=None, attrs=None):
        super().__init__(attrs)
        self.empty_label = empty_label

    @property
    def choices(self):
        return month_choices(self.empty_label)

    @choices.setter
    def choices(self, value):
        pass


# Which frequencies use each recurrence field (the wrappers' data-for).
FIELD_FREQUENCIES = {
    name: " ".join(f for f, used in services.USES.items() if name in used)
    for name in services.RECURRENCE_FIELDS
}


class RecurrenceFields(forms.ModelForm):
    """The recurrence alone: the preview of the next dates reads these."""

    class Meta:
        model = WheelActivity
        fields = [
            "frequency",
            "interval",
            "month",
            "day",
            "weekday",
            "week_of_month",
            "starts_on",
            "ends_on",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "month": MonthSelect(empty_label="–"),
            "interval": forms.NumberInput(attrs={"min": 1, "max": 52}),
            "day": forms.NumberInput(attrs={"min": 1, "max": 31}),
        }
        help_texts = {
            "month": _("Yearly: the month. Quarterly: the month of the first quarter."),
            "day": _(
                "Every N months, quarterly and yearly. A yearly activity without a day "
                "lasts the whole month. A month without the day is skipped."
            ),
            "weekday": _(
                "Every N weeks (the weekday of the start date when empty) and the nth weekday."
            ),
            "week_of_month": _(
                "The nth weekday: the first, second, third, fourth or last in the month."
            ),
            "interval": _("Every N weeks or months."),
            "starts_on": _(
                "The first date the recurrence counts from (the date of a one-off activity)."
            ),
        }

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            services.check(self.instance)
        except ValidationError as error:
            self._update_errors(error)


class ActivityForm(RecurrenceFields, TenantModelForm):
    """An activity on the wheel and its recurrence."""

    class Meta(TenantModelForm.Meta):
        model = WheelActivity
        fields = [
            "title",
            "body",
            "kind",
            "description",
            "responsible",
            *RecurrenceFields.Meta.fields,
            "active",
        ]
        widgets = {
            **RecurrenceFields.Meta.widgets,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = RecurrenceFields.Meta.help_texts

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        current_body = self.instance.body_id
        self.fields["body"].queryset = Body.objects.filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=today) | Q(pk=current_body)
        ).order_by(Danish("name"))
        self.fields["body"].empty_label = _("The whole organisation")
        self.fields["responsible"].empty_label = _("No one chosen")
        self.fields["responsible"].queryset = Person.objects.filter(
            Q(active=True) | Q(pk=self.instance.responsible_id)
        ).order_by(Danish("name"))
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("starts_on", today)
        for name in ("weekday", "week_of_month"):
            self.fields[name].choices = [("", "–"), *list(self.fields[name].choices)[1:]]


class WheelFilterForm(FilterFormMixin, forms.Form):
    """The wheel's filters: aar (the year of the first month), foerste (the first month),
    organ (a body, or the whole organisation) and type (the kind)."""

    blank_as_none = True

    aar = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=1900,
        max_value=2998,
        widget=forms.NumberInput(attrs={"min": 1900, "max": 2998}),
        help_text=_("The year of the first month."),
    )
    foerste = forms.TypedChoiceField(
        label=_("First month"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    organ = forms.ChoiceField(label=_("Body"), required=False)
    type = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *ActivityKind.choices],
    )

    def __init__(self, *args, bodies, default_first_month: int, **kwargs):
        """`bodies`: (pk, name) pairs."""
        super().__init__(*args, **kwargs)
        self.default_first_month = default_first_month
        self.fields["foerste"].choices = month_choices()
        self.fields["foerste"].initial = default_first_month
        self.fields["organ"].choices = [
            ("", _("All bodies")),
            (services.WHOLE_ORGANISATION, _("The whole organisation")),
            *((str(pk), name) for pk, name in bodies),
        ]
        style_fields(self)
        # The year field shows the year the wheel shows, also when none was chosen.
        if not self.is_bound:
            self.fields["aar"].initial = self.year()
        elif self.value("aar") is None and not self.errors.get("aar"):
            self.data = self.data.copy()
            self.data["aar"] = str(self.year())

    def first_month(self) -> int:
        return self.value("foerste") or self.default_first_month

    def year(self) -> int:
        chosen = self.value("aar")
        if chosen is not None:
            return chosen
        return services.year_of(timezone.localdate(), self.first_month())

    def body(self):
        chosen = self.value("organ")
        if chosen is None or chosen == services.WHOLE_ORGANISATION:
            return chosen
        return int(chosen)

    def kind(self):
        return self.value("type")


class FirstMonthForm(forms.ModelForm):
    """The municipality's first month of the annual wheel."""

    class Meta:
        model = Municipality
        fields = ["wheel_first_month"]
        widgets = {"wheel_first_month": MonthSelect()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


def filtered_year(data, default_first_month: int, max_rings: int | None = None):
    """The filter form of `data` (a query dict, or None) and the wheel year it chooses: the
    page, its exports and the PDF job read the filters the same way. `max_rings`: see
    `services.wheel_year` (the page and the PDF; the calendar file has every entry)."""
    from planning.wheel import services

    bodies = Body.objects.order_by(Danish("name")).values_list("pk", "name")
    form = WheelFilterForm(data or None, bodies=bodies, default_first_month=default_first_month)
    year = services.wheel_year(
        form.year(), form.first_month(), body=form.body(), kind=form.kind(), max_rings=max_rings
    )
    return form, year


class ReviewForm(forms.Form):
    """The outcome of a review on the wheel for each system its body governs: an outcome
    (required) and a note per system, and the day the review was held. A posted system the
    body does not govern is refused, not ignored."""

    done_on = forms.DateField(
        label=_("Held on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day the group held the review."),
    )

    def __init__(self, *args, usages, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.usages = list(usages)
        self.body = body
        for usage in self.usages:
            self.fields[f"outcome_{usage.pk}"] = forms.ChoiceField(
                label=_("Outcome"),
                choices=[("", "—"), *Outcome.choices],
                error_messages={
                    "required": _("Choose the outcome for %(system)s.") % {"system": usage}
                },
            )
            self.fields[f"note_{usage.pk}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        style_fields(self)

    def rows(self) -> list[dict]:
        """Each system with its two fields, for the table."""
        return [
            {
                "usage": usage,
                "outcome": self[f"outcome_{usage.pk}"],
                "note": self[f"note_{usage.pk}"],
            }
            for usage in self.usages
        ]

    def clean(self):
        cleaned = super().clean()
        known = {str(usage.pk) for usage in self.usages}
        for key in self.data:
            if key.startswith(("outcome_", "note_")):
                pk = key.split("_", 1)[1]
                if pk not in known:
                    raise ValidationError(
                        _(
                            "The form names a system that %(body)s does not govern (no. "
                            "%(pk)s). Reload the page and record the outcome again."
                        )
                        % {"body": self.body.name, "pk": pk[:20]}
                    )
        done_on = cleaned.get("done_on")
        if done_on and done_on > timezone.localdate():
            self.add_error("done_on", _("A review cannot be dated in the future."))
        return cleaned

    def outcomes(self) -> list[tuple]:
        """(usage, outcome, note) of every system."""
        return [
            (
                usage,
                self.cleaned_data[f"outcome_{usage.pk}"],
                self.cleaned_data.get(f"note_{usage.pk}", ""),
            )
            for usage in self.usages
        ]
