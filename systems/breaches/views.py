"""Pages of breaches: the list with the 72-hour clock, a breach, recording, changing and
closing one.

Everyone of the municipality sees the list and a breach's title, dates, severity, state and
clock (`core.view`); what happened, the persons and the data only the circle
(`systems.read_breach`), who also record, change and close breaches
(`systems.change_breach`, 403 naming it for everyone else). Another municipality's breach is
404 (the scope).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.permissions import has_perm, permission_required
from systems.breaches import services
from systems.breaches.forms import BreachForm, CloseForm
from systems.models import Breach, PersonalData


def breach_of(pk: int) -> Breach:
    return get_object_or_404(Breach.objects.select_related("usage__system", "registered_by"), pk=pk)


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@permission_required("core.view")
def breach_list(request: HttpRequest) -> HttpResponse:
    breaches = Breach.objects.select_related("usage__system")
    rows = services.rows(request.user, breaches)
    return render(
        request,
        "systems/breaches/list.html",
        {
            "rows": rows,
            "open_rows": [row for row in rows if row.clock is not None],
            "can_change": has_perm(request.user, "systems.change_breach"),
        },
    )


@permission_required("core.view", lookup=breach_of)
def breach_detail(request: HttpRequest, breach: Breach) -> HttpResponse:
    allowed = services.readable(request.user, breach)
    shown = breach if allowed else services.withheld(breach)
    labels = dict(PersonalData.choices)
    return render(
        request,
        "systems/breaches/detail.html",
        {
            "breach": shown,
            "readable": allowed,
            "state": services.state_of(breach),
            "state_label": services.state_label(breach),
            "clock": services.clock(breach),
            "personal_data": [str(labels.get(kind, kind)) for kind in shown.personal_data or []],
            "can_change": has_perm(request.user, "systems.change_breach", breach),
        },
    )


@permission_required("systems.change_breach")
def breach_create(request: HttpRequest) -> HttpResponse:
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            breach = services.record(form.instance, request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The breach was recorded."))
            return redirect("systems:breach_detail", pk=breach.pk)
    return render(
        request,
        "systems/breaches/form.html",
        {"form": form, "instance": None},
        status=422 if form.errors else 200,
    )


@permission_required("systems.change_breach", lookup=breach_of)
def breach_edit(request: HttpRequest, breach: Breach) -> HttpResponse:
    form = BreachForm(request.POST or None, instance=breach)
    if request.method == "POST" and form.is_valid():
        try:
            services.change(form.instance, request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The breach was saved."))
            return redirect("systems:breach_detail", pk=breach.pk)
    return render(
        request,
        "systems/breaches/form.html",
        {"form": form, "instance": breach},
        status=422 if form.errors else 200,
    )


@permission_required("systems.change_breach", lookup=breach_of)
def breach_close(request: HttpRequest, breach: Breach) -> HttpResponse:
    if breach.closed_on is not None:
        messages.info(request, _("The breach is closed already."))
        return redirect("systems:breach_detail", pk=breach.pk)
    form = CloseForm(request.POST or None, breach=breach)
    if request.method == "POST" and form.is_valid():
        try:
            services.close(
                breach,
                request.user,
                form.cleaned_data["closed_on"],
                form.cleaned_data["not_notified_reason"],
            )
        except ValidationError as error:
            breach.refresh_from_db()
            _apply_errors(form, error)
        else:
            messages.success(request, _("The breach was closed."))
            return redirect("systems:breach_detail", pk=breach.pk)
    return render(
        request,
        "systems/breaches/close.html",
        {"form": form, "breach": breach, "clock": services.clock(breach)},
        status=422 if form.errors else 200,
    )
