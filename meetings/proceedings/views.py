"""Pages of the meeting as it really runs: who takes part in an item (away from it or
disqualified, inhabil), a substitute for a member for one meeting, a participant's dissent or
addition to the minutes (protokoltilførsel). Each view declares its permission; the rules
live in `meetings.proceedings.services`, which refuses in Danish and writes nothing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from core.collation import Danish
from core.forms import add_validation_errors
from core.permissions import has_perm, permission_required
from core.responses import render_form
from meetings.models import (
    AgendaItem,
    Attendance,
    ItemAbsence,
    Meeting,
    MeetingState,
    MinutesAddendum,
)
from meetings.proceedings import services
from meetings.proceedings.forms import AddendumForm, ItemAbsenceForm, SubstituteForm
from organisation.models import Membership, Person

HELD = {MeetingState.HELD, MeetingState.MINUTES_DRAFT, MeetingState.MINUTES_APPROVED}


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("body"), pk=pk)


def _item(pk: int) -> AgendaItem:
    return get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=pk)


def panel(
    request: HttpRequest,
    meeting: Meeting,
    sees_decisions: bool,
    items: list[AgendaItem] | None = None,
    attendance: list[Attendance] | None = None,
) -> dict:
    """What the meeting's page shows of how it ran (`proceedings/panel.html`), once it is
    held, to those who read its decisions: per item who did not take part and the dissents
    and additions, and the substitutes. Two queries, however many items, on the items and
    the attendance the page has read already (`items`, `attendance` with `substitute_for`);
    four without them."""
    if meeting.state not in HELD or not sees_decisions:
        return {"proceedings": None}
    user = request.user
    sees_closed = has_perm(user, "meetings.see_closed", meeting)
    how_it_ran = (
        Prefetch("absences", queryset=ItemAbsence.objects.select_related("person")),
        Prefetch("addenda", queryset=MinutesAddendum.objects.select_related("person")),
    )
    if items is None:
        items = list(
            AgendaItem.objects.filter(meeting=meeting)
            .prefetch_related(*how_it_ran)
            .order_by("position", "pk")
        )
    else:
        items = sorted(items, key=lambda item: (item.position, item.pk))
        prefetch_related_objects(items, *how_it_ran)
    rows = [
        {
            "item": item,
            "absences": list(item.absences.all()),
            "addenda": list(item.addenda.all()),
        }
        for item in items
        if item.kind != "break" and (not item.closed or sees_closed)
    ]
    if attendance is None:
        attendance = list(
            Attendance.objects.filter(meeting=meeting).select_related("person", "substitute_for")
        )
    substitutes = [row for row in attendance if row.substitute_for_id]
    open_minutes = (
        meeting.state in {MeetingState.HELD, MeetingState.MINUTES_DRAFT}
        and meeting.minutes_circulated_at is None
    )
    return {
        "proceedings": {
            "rows": rows,
            "substitutes": substitutes,
            "shown": any(r["absences"] or r["addenda"] for r in rows) or bool(substitutes),
        },
        "edits_proceedings": open_minutes and has_perm(user, "meetings.edit", meeting),
        "adds_to_minutes": open_minutes and has_perm(user, "meetings.answer_minutes", meeting),
    }


@permission_required("meetings.edit", lookup=_item)
def item_absences(request: HttpRequest, item: AgendaItem) -> HttpResponse:
    """Who of those present does not take part in the item: away, or disqualified."""
    meeting = item.meeting
    people = services.present(meeting)
    current = {a.person_id: (a.kind, a.note) for a in ItemAbsence.objects.filter(item=item)}
    form = ItemAbsenceForm(request.POST or None, people=people, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_item_absences(item, request.user, form.entries())
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request, _("Who took part in “%(title)s” was saved.") % {"title": item.title}
            )
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render_form(
        request,
        "meetings/proceedings/item_absences.html",
        {"meeting": meeting, "item": item, "form": form},
    )


@permission_required("meetings.edit", lookup=_meeting)
def substitute(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """A substitute (stedfortræder) for a member of the body, for this meeting."""
    members = (
        Person.objects.filter(
            memberships__in=Membership.objects.current(meeting.date).filter(body_id=meeting.body_id)
        )
        .distinct()
        .order_by(Danish("name"))
    )
    form = SubstituteForm(
        request.POST or None,
        members=list(members),
        people=Person.objects.order_by(Danish("name")),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_substitute(
                meeting, request.user, form.cleaned_data["member"], form.cleaned_data["substitute"]
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                _("%(substitute)s stands in for %(member)s at this meeting.")
                % {
                    "substitute": form.cleaned_data["substitute"].name,
                    "member": form.cleaned_data["member"].name,
                },
            )
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render_form(
        request, "meetings/proceedings/substitute.html", {"meeting": meeting, "form": form}
    )


@permission_required("meetings.answer_minutes", lookup=_item, hide=True)
def addendum(request: HttpRequest, item: AgendaItem) -> HttpResponse:
    """A participant's dissent or addition to the minutes of the item (protokoltilførsel)."""
    form = AddendumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_addendum(
                item, request.user, form.cleaned_data["kind"], form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Your text was added to the minutes."))
            return redirect("meetings:meeting_detail", pk=item.meeting_id)
    return render_form(
        request,
        "meetings/proceedings/addendum.html",
        {"meeting": item.meeting, "item": item, "form": form},
    )
