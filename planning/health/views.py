"""The governance health page (styringssundhed): every rule the product checks by itself, for
a year, with a link to where each finding is fixed (`planning.health`).

Everyone in the municipality reads it; "only what I can act on" narrows it to the bodies,
projects, benefits and follow-ups the user can fix. The GET parameters: `aar` (the year) and
`mine` (only what I can act on).
"""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import FilterFormMixin, style_fields
from core.permissions import permission_required
from planning import health

YEARS_BACK = 6


class HealthFilterForm(FilterFormMixin, forms.Form):
    aar = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    mine = forms.BooleanField(label=_("Only what I can act on"), required=False)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        years = range(today.year + 1, today.year - YEARS_BACK - 1, -1)
        self.fields["aar"].choices = [(str(year), str(year)) for year in years]
        style_fields(self)


@permission_required("core.view")
def health_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    data = request.GET.copy()
    if not data.get("aar"):
        data["aar"] = str(today.year)  # the year shown is the year selected
    form = HealthFilterForm(data, today=today)
    year = form.value("aar") or today.year
    mine = bool(form.value("mine"))
    report = health.governance_health(request.user, year, mine=mine, today=today)
    return render(
        request,
        "planning/health/health.html",
        {
            "form": form,
            "report": report,
            "sections": report.sections(),
            "year": year,
            "mine": mine,
            "this_year": year == today.year,
        },
    )
