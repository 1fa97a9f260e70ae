"""Pages of the annual wheel (årshjul): the wheel as a picture and a list, its iCal and PDF,
the activities (list, card, create, edit, delete, the preview of the next dates) and the
municipality's first month.

Everyone in the municipality reads the wheel and the activities (`core.view`);
`planning.change` (administrators and secretaries) keeps them. Each view declares its
permission (`permission_required`). Rules live in `planning.wheel.services` (the recurrence
and the year) and the model; these views translate HTTP.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import job_views, jobs
from core.forms import add_validation_errors
from core.permissions import has_perm, permission_required
from core.responses import invalid_status
from documents.http import ICS, XLSX, download
from planning import exports
from planning.models import ActivityKind, WheelActivity
from planning.wheel import documents as wheel_documents
from planning.wheel import services
from planning.wheel.forms import (
    FIELD_FREQUENCIES,
    ActivityForm,
    FirstMonthForm,
    RecurrenceFields,
    ReviewForm,
    WheelFilterForm,
    filtered_year,
)

PAGE_SIZE = 50
PREVIEW_COUNT = 6
CHANGE = "planning.change"


def _filtered_year(
    request: HttpRequest, max_rings: int | None = None
) -> tuple[WheelFilterForm, services.WheelYear]:
    """The filter form and the wheel year it chooses."""
    return filtered_year(request.GET, request.municipality.wheel_first_month, max_rings)


def _query(request: HttpRequest) -> str:
    """The filters of this request, for the export links."""
    params = request.GET.copy()
    return "?" + params.urlencode() if params else ""


def _year_link(request: HttpRequest, year: int) -> str:
    params = request.GET.copy()
    params["aar"] = str(year)
    return "?" + params.urlencode()


@permission_required("core.view")
def wheel_page(request: HttpRequest) -> HttpResponse:
    form, year = _filtered_year(request, services.MAX_RINGS)
    return render(
        request,
        "planning/wheel/wheel.html",
        {
            "form": form,
            "year": year,
            "picture": services.picture(year),
            "query": _query(request),
            "previous_link": _year_link(request, year.year - 1),
            "next_link": _year_link(request, year.year + 1),
            "previous_label": services.year_label(year.year - 1, year.first_month),
            "next_label": services.year_label(year.year + 1, year.first_month),
            "can_change": has_perm(request.user, CHANGE),
            "kinds": ActivityKind.choices,
        },
    )


@permission_required("core.view")
def wheel_ics(request: HttpRequest) -> HttpResponse:
    """The wheel year of the filters as an iCalendar file: one whole-day event per date."""
    _form, year = _filtered_year(request)
    return download(
        wheel_documents.ical(year, request.municipality), ICS, wheel_documents.filename(year, "ics")
    )


@permission_required("core.view")
def wheel_pdf(request: HttpRequest) -> HttpResponse:
    """The picture and the list of the filters as a PDF, made by a background job
    (`planning.jobs.wheel_pdf`): it takes more than a second for a busy year."""
    _form, year = _filtered_year(request)
    job = jobs.start(
        "planning.wheel_pdf",
        request.user,
        _("The annual wheel %(label)s as PDF") % {"label": year.label},
        query=request.GET.urlencode(),
    )
    return job_views.respond(request, job)


# --- Activities ----------------------------------------------------------------------------------


@permission_required("core.view")
def activity_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(exports.activities(), PAGE_SIZE).get_page(request.GET.get("side"))
    today = timezone.localdate()
    rows = []
    for activity in page.object_list:
        upcoming = services.next_dates(activity, today, count=1) if activity.active else []
        rows.append(
            {
                "activity": activity,
                "recurrence": services.describe(activity),
                "next": upcoming[0] if upcoming else None,
                "whole_month": services.whole_month(activity),
            }
        )
    return render(
        request,
        "planning/wheel/activity_list.html",
        {"page": page, "rows": rows, "can_change": has_perm(request.user, CHANGE)},
    )


@permission_required("core.view")
def activity_list_xlsx(request: HttpRequest) -> HttpResponse:
    content = exports.ActivityExport(exports.activities()[: exports.MAX_ROWS]).to_bytes()
    return download(content, XLSX, f"aarshjul-aktiviteter-{timezone.localdate():%Y-%m-%d}.xlsx")


@permission_required("core.view")
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(WheelActivity.objects.select_related("body", "responsible"), pk=pk)
    today = timezone.localdate()
    return render(
        request,
        "planning/wheel/activity_detail.html",
        {
            "activity": activity,
            "recurrence": services.describe(activity),
            "upcoming": services.next_dates(activity, today, count=10),
            "whole_month": services.whole_month(activity),
            "can_change": has_perm(request.user, CHANGE),
            "can_review": (
                activity.kind == ActivityKind.REVIEW
                and activity.body_id is not None
                and has_perm(request.user, "systems.change")
            ),
            "last_date": _last_date(activity, today),
        },
    )


def _last_date(activity: WheelActivity, today) -> datetime.date | None:
    """The activity's last date on or before today (within a year), for the review's link."""
    if activity.kind != ActivityKind.REVIEW:
        return None
    found = services.dates(activity, today - datetime.timedelta(days=366), today)
    return found[-1] if found else None


def review_of(pk: int) -> WheelActivity:
    """A review of a body on the wheel (404 for any other activity)."""
    return get_object_or_404(
        WheelActivity.objects.select_related("body"),
        pk=pk,
        kind=ActivityKind.REVIEW,
        body__isnull=False,
    )


@permission_required("systems.change", lookup=review_of)
def activity_review(request: HttpRequest, activity: WheelActivity) -> HttpResponse:
    """Record the outcome of a review for each system its body governs: an outcome and a
    note per system, written as the systems' yearly reviews in one transaction."""
    today = timezone.localdate()
    usages = list(services.review_usages(activity))
    if request.method == "POST":
        form = ReviewForm(request.POST, usages=usages, body=activity.body)
        if form.is_valid():
            try:
                recorded = services.record_reviews(
                    activity, form.cleaned_data["done_on"], form.outcomes(), request.user
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The outcome of %(count)d systems was recorded.") % {"count": len(recorded)},
                )
                return redirect("planning:activity_detail", pk=activity.pk)
        status = invalid_status(request)
    else:
        form = ReviewForm(
            usages=usages, body=activity.body, initial={"done_on": _held_on(request, today)}
        )
        status = 200
    return render(
        request,
        "planning/wheel/activity_review.html",
        {"activity": activity, "form": form, "rows": form.rows()},
        status=status,
    )


def _held_on(request: HttpRequest, today) -> datetime.date:
    """The occurrence the link names (`?dato=`, not after today), else today."""
    try:
        day = datetime.date.fromisoformat(request.GET.get("dato", ""))
    except ValueError:
        return today
    return min(day, today) if day.year >= 2000 else today


def _activity(pk: int) -> WheelActivity:
    return get_object_or_404(WheelActivity.objects.select_related("body"), pk=pk)


def _upcoming(activity: WheelActivity) -> dict:
    """The next dates of an activity from today (or from its start, if that is later)."""
    start = max(timezone.localdate(), activity.starts_on)
    return {
        "errors": [],
        "dates": services.next_dates(activity, start, count=PREVIEW_COUNT),
        "text": services.describe(activity),
        "whole_month": services.whole_month(activity),
    }


def _preview(data) -> dict:
    """The next dates of the recurrence in `data` (a form's fields), or why there are none."""
    if not data:
        return {"errors": [], "dates": [], "empty": True}
    fields = RecurrenceFields(data)
    if not fields.is_valid():
        errors = [str(e) for field_errors in fields.errors.values() for e in field_errors]
        return {"errors": errors, "dates": []}
    return _upcoming(fields.instance)


def _activity_form(request: HttpRequest, activity: WheelActivity | None) -> HttpResponse:
    form = ActivityForm(request.POST or None, instance=activity)
    preview = None
    if request.method == "POST" and "preview" in request.POST:
        # Without JavaScript: the next dates, and the form again as typed; nothing is saved.
        preview = _preview(request.POST)
        form = ActivityForm(initial=request.POST.dict(), instance=activity)
    elif request.method == "POST" and form.is_valid():
        try:
            saved = services.save_activity(form.save(commit=False))
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                _("The activity was added.") if activity is None else _("The activity was saved."),
            )
            return redirect("planning:activity_detail", pk=saved.pk)
    if preview is None and activity is not None and request.method != "POST":
        preview = _upcoming(activity)
    invalid = request.method == "POST" and "preview" not in request.POST
    return render(
        request,
        "planning/wheel/activity_form.html",
        {
            "form": form,
            "activity": activity,
            "preview": preview,
            "field_frequencies": FIELD_FREQUENCIES,
        },
        status=invalid_status(request) if invalid else 200,
    )


@permission_required(CHANGE)
def activity_create(request: HttpRequest) -> HttpResponse:
    return _activity_form(request, None)


@permission_required(CHANGE, lookup=_activity)
def activity_edit(request: HttpRequest, activity: WheelActivity) -> HttpResponse:
    return _activity_form(request, activity)


@permission_required(CHANGE, lookup=_activity)
def activity_delete(request: HttpRequest, activity: WheelActivity) -> HttpResponse:
    if request.method == "POST":
        title = activity.title
        with transaction.atomic():
            activity.delete()
        messages.success(request, _("The activity “%(title)s” was deleted.") % {"title": title})
        return redirect("planning:activity_list")
    return render(request, "planning/wheel/activity_delete.html", {"activity": activity})


@permission_required(CHANGE)
def activity_preview(request: HttpRequest) -> HttpResponse:
    """htmx: the next dates of the recurrence being typed into the activity form."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return render(
        request, "planning/wheel/_preview.html", {"preview": _preview(request.GET or None)}
    )


@permission_required(CHANGE)
def wheel_settings(request: HttpRequest) -> HttpResponse:
    """The municipality's first month of the wheel."""
    municipality = request.municipality
    form = FirstMonthForm(request.POST or None, instance=municipality)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("The first month of the annual wheel was saved."))
        return redirect(reverse("planning:wheel"))
    return render(
        request,
        "planning/wheel/settings.html",
        {"form": form},
        status=invalid_status(request) if request.method == "POST" else 200,
    )
