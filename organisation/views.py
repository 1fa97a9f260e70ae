"""Pages of the organisation app. Views translate HTTP; rules live on models and in services.

Every lookup goes through the scoped default managers, so an object of another municipality
is simply not found (404). Changes need the `organisation.change` permission (403).
"""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import job_views, jobs, sections
from core.collation import Danish
from core.links import url_maker
from core.permissions import permission_required
from core.responses import form_status, render_form
from core.widgets import choice_labels
from documents.http import XLSX, download
from organisation import exports, services
from organisation.forms import (
    BodyForm,
    BodyStatusForm,
    CloseBodyForm,
    MandateForm,
    MembershipEditForm,
    MembershipForm,
    OrgUnitForm,
    PersonForm,
    composition_rule_formset,
)
from organisation.models import (
    Body,
    BodyKind,
    Mandate,
    Membership,
    MembershipRole,
    OrgUnit,
    Person,
)

PAGE_SIZE = 50


def _date_param(request: HttpRequest, name: str = "dato") -> datetime.date:
    """The date asked for in the query string; today, with a message, when it is not a date."""
    value = request.GET.get(name)
    if not value:
        return timezone.localdate()
    try:
        parsed = parse_date(value)
    except ValueError:
        parsed = None
    if parsed is None:
        messages.error(
            request, _("“%(value)s” is not a valid date. Showing today.") % {"value": value}
        )
        return timezone.localdate()
    return parsed


def _body(pk: int) -> Body:
    return get_object_or_404(Body, pk=pk)


def _membership(pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("person", "body"), pk=pk)


# --- Organisational units ----------------------------------------------------------------


@permission_required("core.view")
def orgunit_list(request: HttpRequest) -> HttpResponse:
    units = exports.unit_tree(exports.units_with_counts())
    return render(request, "organisation/orgunit_list.html", {"units": units})


@permission_required("core.view")
def orgunit_list_xlsx(request: HttpRequest) -> HttpResponse:
    units = exports.unit_tree(exports.units_with_counts())
    content = exports.OrgUnitExport(units).to_bytes()
    return download(content, XLSX, f"enheder-{timezone.localdate():%Y-%m-%d}.xlsx")


@permission_required("core.view")
def orgunit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(OrgUnit.objects.select_related("parent"), pk=pk)
    return render(
        request,
        "organisation/orgunit_detail.html",
        {
            "unit": unit,
            "children": unit.children.all(),
            "people": unit.people.order_by(Danish("name")),
        },
    )


@permission_required("organisation.change")
def orgunit_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(
        request,
        OrgUnit,
        OrgUnitForm,
        pk,
        "organisation:orgunit_detail",
        _("unit"),
        _("The unit was saved."),
    )


# --- People ------------------------------------------------------------------------------


def _filtered_people(request: HttpRequest):
    """The list's search (name or title) and the people it finds."""
    query = request.GET.get("q", "").strip()
    people = Person.objects.select_related("unit").order_by(Danish("name"))
    if query:
        people = people.filter(Q(name__icontains=query) | Q(title__icontains=query))
    return query, people


@permission_required("core.view")
def person_list_xlsx(request: HttpRequest) -> HttpResponse:
    _query, people = _filtered_people(request)
    content = exports.PersonExport(people[: exports.MAX_ROWS]).to_bytes()
    return download(content, XLSX, f"personer-{timezone.localdate():%Y-%m-%d}.xlsx")


@permission_required("core.view")
def person_list(request: HttpRequest) -> HttpResponse:
    query, people = _filtered_people(request)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("side"))
    return render(
        request,
        "organisation/person_list.html",
        {"people": page.object_list, "page": page, "query": query},
    )


@permission_required("core.view")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("unit"), pk=pk)
    memberships = person.memberships.select_related("body").order_by("-start")
    return render(
        request,
        "organisation/person_detail.html",
        {"person": person, "memberships": memberships, "today": timezone.localdate()},
    )


@permission_required("organisation.change")
def person_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(
        request,
        Person,
        PersonForm,
        pk,
        "organisation:person_detail",
        _("person"),
        _("The person was saved."),
    )


# --- Bodies ------------------------------------------------------------------------------


def bodies_with_chairs(today: datetime.date):
    """Bodies with their chairs (`chairs`) and number of members (`member_count`) today."""
    return (
        Body.objects.select_related("parent")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.current(today)
                .filter(role=MembershipRole.CHAIR)
                .select_related("person"),
                to_attr="chairs",
            )
        )
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__start__lte=today)
                & (Q(memberships__end__isnull=True) | Q(memberships__end__gte=today)),
            )
        )
        .order_by(Danish("name"))
    )


def _filtered_bodies(request: HttpRequest):
    """The list's filters (active, closed or all; a kind) and the bodies they select."""
    today = timezone.localdate()
    state = request.GET.get("status", "aktive")
    kind = request.GET.get("type", "")
    bodies = bodies_with_chairs(today)
    if state == "aktive":
        bodies = bodies.active_on(today)
    elif state == "afsluttede":
        bodies = bodies.filter(closed_on__lte=today)
    if kind in BodyKind.values:
        bodies = bodies.filter(kind=kind)
    return state, kind, bodies


@permission_required("core.view")
def body_list(request: HttpRequest) -> HttpResponse:
    state, kind, bodies = _filtered_bodies(request)
    # The bodies outside the administration (the political treatment) in a list of their own.
    bodies = list(bodies)
    return render(
        request,
        "organisation/body_list.html",
        {
            "bodies": [body for body in bodies if not body.external],
            "external_bodies": [body for body in bodies if body.external],
            "state": state,
            "kind": kind,
            "kinds": BodyKind.choices,
        },
    )


@permission_required("core.view")
def body_list_xlsx(request: HttpRequest) -> HttpResponse:
    _state, _kind, bodies = _filtered_bodies(request)
    content = exports.BodyExport(bodies).to_bytes()
    return download(content, XLSX, f"organer-{timezone.localdate():%Y-%m-%d}.xlsx")


def _members_context(body: Body, today: datetime.date) -> dict:
    memberships = list(
        Membership.objects.filter(body=body)
        .select_related("person__unit")
        .order_by("end", "person__name")
    )
    current = sorted(
        (m for m in memberships if m.is_current(today)),
        key=services.seat_order,
    )
    mandate = services.current_mandate(body, today)
    check = services.check_composition(body, today, memberships, mandate)
    # What each row shows, made here once per row: a forum of 200 members and 1,300 former
    # ones otherwise costs the page a reverse(), a choice lookup and a date filter per row.
    person_url = url_maker("organisation:person_detail")
    edit_url = url_maker("organisation:membership_edit")
    roles = choice_labels(MembershipRole)
    for m in memberships:
        m.person_url, m.edit_url = person_url(m.person_id), edit_url(m.pk)
        m.role_label = roles.get(m.role, m.role)
        m.start_text = date_format(m.start, "j. F Y")
        m.end_text = date_format(m.end, "j. F Y") if m.end else ""
    return {
        "body": body,
        "current_members": current,
        "former_members": [m for m in memberships if m.end and m.end < today],
        "future_members": [m for m in memberships if m.start > today],
        "mandate": mandate,
        "check": check,
        "today": today,
    }


@permission_required("core.view")
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    body = get_object_or_404(Body.objects.select_related("parent"), pk=pk)
    today = timezone.localdate()
    # A body outside the administration has no members or mandate here to show.
    context = {"body": body} if body.external else _members_context(body, today)
    context.update(
        {
            "children": body.children.order_by(Danish("name")),
            "statuses": body.statuses.all()[:5],
            "mandates": []
            if body.external
            else body.mandates.select_related("approved_by").order_by("-version"),
            "sections": sections.of("organisation.body", request, body),
        }
    )
    return render(request, "organisation/body_detail.html", context)


@permission_required("organisation.change")
def body_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(
        request, Body, BodyForm, pk, "organisation:body_detail", _("body"), _("The body was saved.")
    )


@permission_required("organisation.change", lookup=_body)
def body_close(request: HttpRequest, body: Body) -> HttpResponse:
    if body.closed_on:
        messages.info(request, _("The body is already closed."))
        return redirect("organisation:body_detail", pk=body.pk)
    form = CloseBodyForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        services.close_body(
            body, form.cleaned_data["closed_on"], form.cleaned_data["closing_summary"]
        )
        messages.success(request, _("The body was closed."))
        return redirect("organisation:body_detail", pk=body.pk)
    return render_form(request, "organisation/body_close.html", {"body": body, "form": form})


@permission_required("organisation.change", lookup=_body)
def membership_add(request: HttpRequest, body: Body) -> HttpResponse:
    """Add a member. With htmx the form opens, and the member appears, in the members section.

    The body page does not render the form itself: its person list can be long, so it is
    fetched only when somebody wants to add a member.
    """
    form = MembershipForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        membership = form.save()
        messages.success(request, _("%(name)s was added.") % {"name": membership.person.name})
        if not request.htmx:
            return redirect("organisation:body_detail", pk=body.pk)
        form = MembershipForm(body=body)
    if request.htmx:
        form.fields["person"].widget.attrs["autofocus"] = True
        context = _members_context(body, timezone.localdate())
        context["membership_form"] = form
        return render(request, "organisation/_members.html", context)
    return render_form(request, "organisation/membership_form.html", {"body": body, "form": form})


@permission_required("organisation.change", lookup=_membership)
def membership_edit(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _save_form(
        request,
        MembershipEditForm(request.POST or None, instance=membership),
        _("The membership was saved."),
        "organisation/membership_form.html",
        {"body": membership.body, "membership": membership},
        lambda saved: _body_url(saved.body_id),
    )


@permission_required("organisation.change", lookup=_body)
def status_add(request: HttpRequest, body: Body) -> HttpResponse:
    return _save_form(
        request,
        BodyStatusForm(request.POST or None, body=body),
        _("The status was saved."),
        "organisation/form.html",
        {"instance": None, "noun": _("status"), "body": body},
        lambda saved: _body_url(body.pk),
    )


# --- Mandates ----------------------------------------------------------------------------


@permission_required("core.view")
def mandate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mandate = get_object_or_404(
        Mandate.objects.select_related("body", "approved_by").prefetch_related(
            services.rules_with_units()
        ),
        pk=pk,
    )
    return render(request, "organisation/mandate_detail.html", {"mandate": mandate})


@permission_required("organisation.change", lookup=_body)
def mandate_create(request: HttpRequest, body: Body) -> HttpResponse:
    """Publish a new version of the body's mandate, starting from the current one."""
    previous = body.mandates.order_by("-version").prefetch_related("rules").first()
    initial, rule_initial = {}, []
    if previous:
        initial = {
            field: getattr(previous, field)
            for field in [
                "title",
                "purpose",
                "duties",
                "composition",
                "cadence",
                "meetings_per_year",
            ]
        }
        initial["approved_by"] = previous.approved_by_id
        rule_initial = [
            {
                "description": r.description,
                "role": r.role,
                "min_count": r.min_count,
                "unit": r.unit_id,
                "title_contains": r.title_contains,
            }
            for r in previous.rules.all()
        ]
    RuleFormSet = composition_rule_formset(extra=len(rule_initial) + 2)
    mandate = Mandate(body=body)
    form = MandateForm(request.POST or None, instance=mandate, body=body, initial=initial)
    formset = RuleFormSet(
        request.POST or None, instance=mandate, initial=rule_initial, prefix="rules"
    )
    if request.method == "POST":
        # Rows copied from the previous version are "unchanged" when kept as they are, and a
        # formset skips unchanged extra rows: every row with a description is a rule to keep.
        for rule_form in formset.forms:
            if (rule_form["description"].value() or "").strip():
                rule_form.empty_permitted = False
    _share_choices(formset, "unit", OrgUnit.objects.order_by(Danish("name")))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rules = [f.save(commit=False) for f in formset.forms if f.cleaned_data]
        mandate = services.publish_mandate(form.save(commit=False), rules)
        messages.success(
            request,
            _("Version %(version)d of the mandate was published.") % {"version": mandate.version},
        )
        return redirect("organisation:mandate_detail", pk=mandate.pk)
    return render(
        request,
        "organisation/mandate_form.html",
        {"body": body, "form": form, "formset": formset, "previous": previous},
        status=form_status(request),
    )


# --- The status memo ----------------------------------------------------------------------


@permission_required("core.view")
def memo(request: HttpRequest) -> HttpResponse:
    on = _date_param(request)
    memo = services.status_memo(request.municipality, on)
    return render(request, "organisation/memo.html", {"memo": memo, "on": on})


@permission_required("core.view")
def memo_pdf(request: HttpRequest) -> HttpResponse:
    return _memo_document(request, "pdf")


@permission_required("core.view")
def memo_docx(request: HttpRequest) -> HttpResponse:
    return _memo_document(request, "docx")


def _memo_document(request: HttpRequest, extension: str) -> HttpResponse:
    """The memo as PDF or Word, made by a background job (`organisation.jobs.memo`): it takes
    more than a second for a municipality of many bodies."""
    on = _date_param(request)
    label = _("The status memo of %(date)s as %(format)s") % {
        "date": f"{on:%d-%m-%Y}",
        "format": "PDF" if extension == "pdf" else "Word",
    }
    job = jobs.start(
        "organisation.memo", request.user, label, on=on.isoformat(), extension=extension
    )
    return job_views.respond(request, job)


@permission_required("core.view")
def members_xlsx(request: HttpRequest) -> HttpResponse:
    """The members of every active body on a date, as an Excel sheet."""
    from organisation.documents import MembersExport

    on = _date_param(request)
    return download(
        MembersExport(on).to_bytes(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"medlemmer-{on:%Y-%m-%d}.xlsx",
    )


def _share_choices(formset, field_name: str, queryset) -> None:
    """Fetch a choice field's options once for all forms of a formset, not once per form."""
    empty = [("", formset.forms[0].fields[field_name].empty_label)] if formset.forms else []
    choices = empty + [(obj.pk, str(obj)) for obj in queryset]
    for form in formset.forms:
        form.fields[field_name].choices = choices


def _edit(request, model, form_class, pk, detail_url, noun, saved) -> HttpResponse:
    """Create (pk None) or edit one object with a plain form; 422 with the errors when invalid."""
    instance = get_object_or_404(model, pk=pk) if pk else None
    return _save_form(
        request,
        form_class(request.POST or None, instance=instance),
        saved,
        "organisation/form.html",
        {"instance": instance, "noun": noun},
        lambda obj: reverse(detail_url, kwargs={"pk": obj.pk}),
    )


def _save_form(request, form, saved: str, template: str, context: dict, then) -> HttpResponse:
    """A page with a plain model form: a valid post saves its one row (the rules are the
    model's `clean`, run by the form), says `saved` and goes to `then(row)`; otherwise the
    page shows the form, 422 with its errors."""
    if request.method == "POST" and form.is_valid():
        obj = form.save()
        messages.success(request, saved)
        return redirect(then(obj))
    return render_form(request, template, {**context, "form": form})


def _body_url(pk: int) -> str:
    return reverse("organisation:body_detail", kwargs={"pk": pk})
