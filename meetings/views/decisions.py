"""Views of the meetings app: the decision log (beslutningsprotokol) and follow-ups.

The log lists every treated item across meetings, newest first, filtered by body, period,
kind and a full-text query (`meetings.search`). Only decisions the user may read are shown:
minutes approved, or drafts for members; closed items only for members of their body.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.auth import person_of
from core.collation import Danish
from core.paging import page_by_keys
from core.permissions import has_perm, permission_required
from core.responses import invalid_status
from core.widgets import choice_labels
from documents.http import XLSX, download
from documents.xlsx import XlsxExporter
from meetings import search
from meetings.exports import FollowUpExport
from meetings.forms.cases import (
    DecisionFilterForm,
    FollowUpEditForm,
    FollowUpFilterForm,
    parse_status,
)
from meetings.models import AgendaItem, FollowUp, FollowUpStatus, ItemKind, Outcome
from meetings.rules import follow_ups_for, open_or_member, published_decisions
from organisation.models import Body

PAGE_SIZE = 50
XLSX_MAX_ROWS = 10_000


# --- The decision log ------------------------------------------------------------------------


def decisions_for(user):
    """Items with a decision or an outcome that the user may read in full."""
    return (
        # The meeting's municipality is the item's: said again for PostgreSQL's planner, which
        # then reads only this municipality's meetings to order the log by their dates.
        AgendaItem.objects.filter(meeting__municipality_id=user.municipality_id)
        .filter(published_decisions(user, prefix="meeting__"))
        .filter(open_or_member(user))
        .exclude(kind=ItemKind.BREAK)
        .filter(~Q(decision="") | ~Q(outcome=Outcome.PENDING))
        .select_related("meeting__body", "case")
        .order_by("-meeting__date", "-meeting__start", "position", "pk")
    )


def _filtered_decisions(request: HttpRequest):
    bodies = list(Body.objects.order_by(Danish("name")))
    form = DecisionFilterForm(request.GET or None, bodies=bodies)
    items = decisions_for(request.user)
    if (body_id := form.value("organ")) is not None:
        items = items.filter(meeting__body_id=body_id)
    if start := form.value("fra"):
        items = items.filter(meeting__date__gte=start)
    if end := form.value("til"):
        items = items.filter(meeting__date__lte=end)
    if kind := form.value("type"):
        items = items.filter(kind=kind)
    query = search.clean_query(form.value("q"))
    if query:
        items = search.matching_items(items, query)
    return form, items, query


@permission_required("core.view")
def decision_list(request: HttpRequest) -> HttpResponse:
    form, items, query = _filtered_decisions(request)
    page = page_by_keys(items, request.GET.get("side"), PAGE_SIZE)
    return render(
        request,
        "meetings/decision_list.html",
        {"form": form, "items": page.object_list, "page": page, "query": query},
    )


class DecisionExport(XlsxExporter):
    sheet_title = gettext_lazy("Decisions")
    columns = (
        gettext_lazy("Date"),
        gettext_lazy("Body"),
        gettext_lazy("Item"),
        gettext_lazy("Case number"),
        gettext_lazy("Kind"),
        gettext_lazy("Outcome"),
        gettext_lazy("Decision"),
    )

    def __init__(self, items):
        self.items = items

    def rows(self):
        """The rows as plain values, not 10,000 items with their meetings, bodies and cases."""
        kinds, outcomes = choice_labels(ItemKind), choice_labels(Outcome)
        for date, body, title, case, kind, outcome, decision in self.items.values_list(
            "meeting__date",
            "meeting__body__name",
            "title",
            "case__number",
            "kind",
            "outcome",
            "decision",
        ):
            yield (
                date,
                body,
                title,
                case or "",
                kinds.get(kind, kind),
                outcomes.get(outcome, outcome) if outcome else "",
                decision,
            )


@permission_required("core.view")
def decision_xlsx(request: HttpRequest) -> HttpResponse:
    """The filtered decision log as an Excel sheet."""
    _form, items, _query = _filtered_decisions(request)
    content = DecisionExport(items[:XLSX_MAX_ROWS]).to_bytes()
    return download(content, XLSX, f"beslutninger-{timezone.localdate():%Y-%m-%d}.xlsx")


# --- Follow-ups ------------------------------------------------------------------------------


def _filtered_follow_ups(request: HttpRequest, follow_ups):
    """The follow-up lists' filter form and the follow-ups of `follow_ups` it selects."""
    bodies = list(Body.objects.order_by(Danish("name")))
    form = FollowUpFilterForm(request.GET or None, bodies=bodies)
    status = parse_status(form.value("status"))
    if (body_id := form.value("organ")) is not None:
        follow_ups = follow_ups.filter(body_id=body_id)
    if status == "open":
        follow_ups = follow_ups.open()
    elif status == "overdue":
        follow_ups = follow_ups.overdue()
    elif status == "done":
        follow_ups = follow_ups.filter(status=FollowUpStatus.DONE)
    return form, follow_ups


def _follow_up_page(request: HttpRequest, follow_ups, template_context: dict) -> HttpResponse:
    form, follow_ups = _filtered_follow_ups(request, follow_ups)
    page = Paginator(follow_ups, PAGE_SIZE).get_page(request.GET.get("side"))
    rows = list(page.object_list)
    for follow_up in rows:
        follow_up.editable = has_perm(request.user, "meetings.edit_follow_up", follow_up)
    return render(
        request,
        "meetings/followup_list.html",
        {
            "form": form,
            "follow_ups": rows,
            "page": page,
            "today": timezone.localdate(),
            "next": request.get_full_path(),
            **template_context,
        },
    )


@permission_required("core.view")
def followup_list(request: HttpRequest) -> HttpResponse:
    return _follow_up_page(request, follow_ups_for(request.user), {"mine": False})


def _my_follow_ups(request: HttpRequest):
    """The user's person and the follow-ups they or their unit own."""
    person = person_of(request.user)
    if person is None:
        return None, FollowUp.objects.none()
    owned = Q(owner=person)
    if person.unit_id:
        owned |= Q(owner_unit_id=person.unit_id)
    return person, follow_ups_for(request.user).filter(owned)


@permission_required("core.view")
def my_followups(request: HttpRequest) -> HttpResponse:
    person, follow_ups = _my_follow_ups(request)
    return _follow_up_page(request, follow_ups, {"mine": True, "person": person})


def _follow_ups_xlsx(request: HttpRequest, follow_ups, name: str) -> HttpResponse:
    _form, follow_ups = _filtered_follow_ups(request, follow_ups)
    content = FollowUpExport(follow_ups[:XLSX_MAX_ROWS]).to_bytes()
    return download(content, XLSX, f"{name}-{timezone.localdate():%Y-%m-%d}.xlsx")


@permission_required("core.view")
def followup_list_xlsx(request: HttpRequest) -> HttpResponse:
    """The follow-ups of the list's filters as an Excel sheet: only those the user may read."""
    return _follow_ups_xlsx(request, follow_ups_for(request.user), "opfoelgninger")


@permission_required("core.view")
def my_followups_xlsx(request: HttpRequest) -> HttpResponse:
    _person, follow_ups = _my_follow_ups(request)
    return _follow_ups_xlsx(request, follow_ups, "mine-opfoelgninger")


def _follow_up(pk: int) -> FollowUp:
    return get_object_or_404(
        FollowUp.objects.select_related("body", "owner", "owner_unit", "item__meeting"), pk=pk
    )


@permission_required("meetings.see_follow_up", lookup=_follow_up, hide=True)
def followup_edit(request: HttpRequest, follow_up: FollowUp) -> HttpResponse:
    user = request.user
    # Seen but not editable: 403 (after the 404 of one the user may not see).
    if not has_perm(user, "meetings.edit_follow_up", follow_up):
        raise PermissionDenied
    full = has_perm(user, "meetings.edit", follow_up)
    form = FollowUpEditForm(request.POST or None, instance=follow_up, full=full)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The follow-up was saved."))
        return redirect(next_url or "meetings:followup_list")
    return render(
        request,
        "meetings/followup_form.html",
        {"form": form, "follow_up": follow_up, "full": full, "next": next_url},
        status=invalid_status(request) if request.method == "POST" else 200,
    )
