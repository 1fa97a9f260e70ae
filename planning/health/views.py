"""The governance health page (styringssundhed): every rule the product checks by itself, for
a year, with a link to where each finding is fixed (`planning.health.services`).

Everyone in the municipality reads it; "only what I can act on" narrows it to the bodies,
projects, benefits and follow-ups the user can fix. The GET parameters: `aar` (the year) and
`mine` (only what I can act on).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.permissions import permission_required
from planning.health import services
from planning.health.forms import HealthFilterForm


@permission_required("core.view")
def health_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    data = request.GET.copy()
    if not data.get("aar"):
        data["aar"] = str(today.year)  # the year shown is the year selected
    form = HealthFilterForm(data, today=today)
    year = form.value("aar") or today.year
    mine = bool(form.value("mine"))
    report = services.governance_health(request.user, year, mine=mine, today=today)
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
