"""Views of the meetings app: meetings, the agenda builder and the minutes.

Views translate HTTP; the rules live in `meetings.services` (states, optimistic locking,
carrying over) and `meetings.rules` (who sees and does what).

The agenda, the backlog and the open follow-ups form one region of the meeting page
(`#agenda`, template `agenda_region.html`). With htmx every change answers that region
re-rendered, so the clock times follow at once and a form opens in place; without
JavaScript the same URLs answer pages of their own and redirects.
"""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import history, job_views, jobs
from core.collation import Danish, danish_key
from core.forms import add_validation_errors
from core.permissions import has_perm, permission_required
from core.responses import render_form
from documents.http import XLSX, download
from meetings import exports, services
from meetings.approvals import views as approval_views
from meetings.forms.meetings import (
    MAX_PLANNED,
    AgendaItemForm,
    AttendanceForm,
    FollowUpForm,
    MeetingForm,
    MinutesForm,
    PlanYearForm,
    ReopenForm,
)
from meetings.history import closed_record
from meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    FollowUp,
    Meeting,
    MeetingState,
    MinutesVersion,
    Outcome,
)
from meetings.proceedings import services as proceedings
from meetings.proceedings import views as proceedings_views
from meetings.rules import is_admin, member_body_ids
from organisation.models import Body, Membership, Person

PAGE_SIZE = 50

# The steps of a meeting, in order, as the page shows them.
STEPS = list(MeetingState)

# In which states each step can be taken: only to decide which buttons a page shows.
# The services check the states themselves.
STEP_STATES = {
    "approve_agenda": {MeetingState.PLANNED, MeetingState.AGENDA_DRAFT},
    "send_agenda": {MeetingState.AGENDA_APPROVED},
    "mark_held": {MeetingState.AGENDA_SENT},
    "record_afterwards": services.BEFORE_HELD,
    "approve_minutes": {MeetingState.HELD, MeetingState.MINUTES_DRAFT},
    "reopen_minutes": {MeetingState.MINUTES_APPROVED},
}

# --- Helpers ---------------------------------------------------------------------------------


def _actions(meeting: Meeting) -> dict[str, bool]:
    """The steps the meeting's page offers (to those with the right): a meeting on or
    before today that is not held can also be registered as held afterwards."""
    actions = {name: meeting.state in states for name, states in STEP_STATES.items()}
    actions["record_afterwards"] &= meeting.date <= timezone.localdate()
    # Minutes that every participant approves are approved by the last approval, or closed
    # by the chair after the deadline (meetings.approvals), not by the chair's button.
    actions["approve_minutes"] &= not services.by_participants(meeting)
    return actions


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("body"), pk=pk)


def _item(pk: int) -> AgendaItem:
    return get_object_or_404(AgendaItem.objects.select_related("meeting__body", "case"), pk=pk)


def _body(pk: int) -> Body:
    return get_object_or_404(Body, pk=pk)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _agenda_closed(meeting: Meeting) -> str:
    if meeting.minutes_locked:
        return str(services.MINUTES_LOCKED)
    return _("The agenda has been sent and can no longer be changed.")


def _minutes_closed(meeting: Meeting) -> str:
    if meeting.minutes_locked:
        return str(services.MINUTES_LOCKED)
    return _("The agenda has been sent. Decisions can be recorded once the meeting is held.")


def _conflict_data(request: HttpRequest, revision: int):
    """The user's submitted values, with the revision they now have to beat."""
    data = request.POST.copy()
    data["revision"] = str(revision)
    return data


# A title that carries its own number ("Punkt 1 – …", as in seed 004) is not numbered again.
_OWN_NUMBER = re.compile(r"^\s*(punkt|item)\s+\d+\b", re.IGNORECASE)


def _agenda_rows(meeting: Meeting, items, sees_closed: bool, withheld=frozenset()) -> list[dict]:
    """The agenda's rows; `withheld`: items whose closed content the user may not see
    although they see closed items (disqualified from them, inhabil)."""
    timed = services.timed_items(meeting, items)
    last = len(timed) - 1
    return [
        {
            "item": t.item,
            "number": None if _OWN_NUMBER.match(t.item.title) else t.number,
            "start": services.format_time(t.start),
            "end": services.format_time(t.end),
            "full": not t.item.closed or (sees_closed and t.item.pk not in withheld),
            "route": services.route_label(t.item.case) if t.item.case_id else "",
            "first": index == 0,
            "last": index == last,
        }
        for index, t in enumerate(timed)
    ]


def _agenda_context(request: HttpRequest, meeting: Meeting, **extra) -> dict:
    """Everything the agenda region shows: the timed items, follow-ups and the backlog."""
    user = request.user
    sees_closed = has_perm(user, "meetings.see_closed", meeting)
    can_edit = has_perm(user, "meetings.edit", meeting)
    context = {
        "meeting": meeting,
        "can_edit": can_edit,
        "can_approve": has_perm(user, "meetings.approve", meeting),
        "sees_closed": sees_closed,
        "sees_agenda": has_perm(user, "meetings.see_agenda", meeting),
        "sees_decisions": has_perm(user, "meetings.see_decisions", meeting),
        "edits_agenda": can_edit and meeting.agenda_editable,
        "edits_minutes": can_edit and meeting.minutes_editable,
        "rows": [],
        "editor": None,
        "focus": "",
        "focus_pk": None,
    }
    if context["sees_agenda"]:
        items = services.agenda_items(meeting)
        context["agenda_items"] = items
        withheld = proceedings.disqualified_items(user, meeting) if sees_closed else set()
        context["rows"] = _agenda_rows(meeting, items, sees_closed, withheld)
        context["start"] = services.format_time(meeting.start)
        context["end"] = services.format_time(services.meeting_end(meeting, items))
        context["open_follow_ups"] = list(
            FollowUp.objects.open()
            .filter(body_id=meeting.body_id)
            .select_related("owner", "owner_unit", "item__meeting__body")
            .order_by("due_date", "pk")
        )
        context["today"] = timezone.localdate()
    if context["edits_agenda"]:
        context["backlog"] = services.backlog(meeting.body)
    context.update(_header_context(meeting, context["sees_decisions"]))
    context.update(extra)
    return context


def _header_context(meeting: Meeting, sees_decisions: bool) -> dict:
    """The steps, the attendance and the possible actions: the head of the meeting page,
    which htmx updates with every change of the agenda (out of band)."""
    current = STEPS.index(meeting.state)
    context = {
        "steps": [
            {"label": state.label, "done": index < current, "current": index == current}
            for index, state in enumerate(STEPS)
        ],
        "actions": _actions(meeting),
        "has_minutes": meeting.state
        in {
            MeetingState.HELD,
            MeetingState.MINUTES_DRAFT,
            MeetingState.MINUTES_APPROVED,
        },
        "attendance": [],
    }
    if sees_decisions:
        rows = list(
            Attendance.objects.filter(meeting=meeting).select_related("person", "substitute_for")
        )
        context["attendance_rows"] = rows
        groups = {}
        for row in sorted(rows, key=lambda a: danish_key(a.person.name)):
            groups.setdefault(row.status, []).append(row.person.name)
        context["attendance"] = [
            (label, groups[value]) for value, label in AttendanceStatus.choices if value in groups
        ]
    return context


def _region(request: HttpRequest, meeting: Meeting, **extra) -> HttpResponse:
    return render(
        request, "meetings/agenda_region.html", _agenda_context(request, meeting, **extra)
    )


def _after_change(
    request: HttpRequest, meeting: Meeting, anchor: str = "", **extra
) -> HttpResponse:
    """After a change to the agenda: the region re-rendered (htmx), else back to the page."""
    if request.htmx:
        return _region(request, _meeting(meeting.pk), **extra)
    return redirect(reverse("meetings:meeting_detail", args=[meeting.pk]) + anchor)


def _not_now(request: HttpRequest, meeting: Meeting, message: str) -> HttpResponse:
    """The step is not possible in the meeting's state: say why, and change nothing."""
    if request.method == "POST" or request.htmx:
        messages.error(request, message)
        return _after_change(request, meeting)
    return render(request, "meetings/meeting_locked.html", {"meeting": meeting, "message": message})


def _editor(request, meeting, editor: dict, status: int = 200) -> HttpResponse:
    """An item's form: opened in place in the agenda (htmx) or on a page of its own.

    htmx swaps only 2xx answers, so an invalid form comes back with 200 there.
    """
    if request.htmx:
        field = next(iter(editor["form"].fields))
        editor["form"].fields[field].widget.attrs["autofocus"] = True
        return _region(request, meeting, editor=editor)
    return render(
        request, "meetings/item_form.html", {"meeting": meeting, "editor": editor}, status=status
    )


def _status(form, conflict=None) -> int:
    if conflict is not None:
        return 409
    return 422 if form.errors else 200


# --- Meetings ----------------------------------------------------------------------------------


@permission_required("core.view")
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Upcoming and past meetings of all bodies, by body and year."""
    today = timezone.localdate()
    user = request.user
    bodies = list(Body.objects.order_by(Danish("name")))
    organ, year, meetings = _filtered_meetings(request)
    upcoming = meetings.filter(date__gte=today).order_by("date", "start")
    past = Paginator(meetings.filter(date__lt=today).order_by("-date", "-start"), PAGE_SIZE)
    page = past.get_page(request.GET.get("side"))
    years = sorted(
        {d.year for d in Meeting.objects.dates("date", "year")} | {today.year}, reverse=True
    )
    query = "&".join(
        f"{name}={value}" for name, value in (("organ", organ), ("aar", year)) if value is not None
    )
    can_plan = has_perm(user, "meetings.plan")
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "upcoming": list(upcoming),
            "past": page.object_list,
            "page": page,
            "bodies": bodies,
            "organ": organ,
            "year": year,
            "years": years,
            "query": query,
            "can_plan": can_plan,
        },
    )


def _filtered_meetings(request: HttpRequest):
    """The list's filters (body, year) and the meetings they select."""
    organ, year = _int(request.GET.get("organ")), _int(request.GET.get("aar"))
    meetings = Meeting.objects.select_related("body")
    if organ is not None:
        meetings = meetings.filter(body_id=organ)
    if year is not None:
        meetings = meetings.filter(date__year=year)
    return organ, year, meetings


@permission_required("core.view")
def meeting_list_xlsx(request: HttpRequest) -> HttpResponse:
    """The meetings of the list's filters as an Excel sheet, newest first."""
    _organ, _year, meetings = _filtered_meetings(request)
    meetings = meetings.order_by("-date", "-start", "-pk")[: exports.MAX_ROWS]
    content = exports.MeetingExport(meetings).to_bytes()
    return download(content, XLSX, f"moeder-{timezone.localdate():%Y-%m-%d}.xlsx")


def _plannable_bodies(user):
    """The active bodies whose meetings the user may plan."""
    bodies = Body.objects.active_on(timezone.localdate()).internal()
    if is_admin(user):
        return bodies
    if has_perm(user, "meetings.change"):
        return bodies.filter(pk__in=member_body_ids(user))
    return bodies.none()


@permission_required("meetings.plan")
def meeting_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    bodies = _plannable_bodies(user)
    initial = {}
    organ = _int(request.GET.get("organ"))
    if organ is not None:
        initial["body"] = organ
    form = MeetingForm(request.POST or None, bodies=bodies, initial=initial)
    if request.method == "POST" and form.is_valid():
        meeting = form.save()
        messages.success(request, _("The meeting was planned."))
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render_form(request, "meetings/meeting_form.html", {"form": form, "meeting": None})


@permission_required("meetings.edit", lookup=_body)
def meeting_plan_year(request: HttpRequest, body: Body) -> HttpResponse:
    """Plan several meetings of a body at once (the year's plan): all of them, or none."""
    count = min(max(body.meetings_per_year or 4, 1), MAX_PLANNED)
    form = PlanYearForm(request.POST or None, body=body, count=count)
    if request.method == "POST" and form.is_valid():
        planned = len(services.plan_meetings(form.meetings))
        messages.success(
            request,
            ngettext("%(count)d meeting was planned.", "%(count)d meetings were planned.", planned)
            % {"count": planned},
        )
        return redirect(reverse("meetings:meeting_list") + f"?organ={body.pk}")
    return render_form(request, "meetings/meeting_plan_year.html", {"form": form, "body": body})


@permission_required("core.view", lookup=_meeting)
def meeting_detail(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    context = _agenda_context(request, meeting)
    if request.htmx:
        return render(request, "meetings/agenda_region.html", context)
    context.update(approval_views.panel(request, meeting))
    context.update(
        proceedings_views.panel(
            request,
            meeting,
            context["sees_decisions"],
            items=context.get("agenda_items"),
            attendance=context.get("attendance_rows"),
        )
    )
    return render(request, "meetings/meeting_detail.html", context)


@permission_required("meetings.edit", lookup=_meeting)
def meeting_edit(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    if meeting.minutes_locked:
        return _not_now(request, meeting, _agenda_closed(meeting))
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.update_meeting(form.save(commit=False))
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render_form(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


# --- The agenda --------------------------------------------------------------------------------


@permission_required("meetings.edit", lookup=_meeting)
def item_add(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    if not meeting.agenda_editable:
        return _not_now(request, meeting, _agenda_closed(meeting))

    def new_form(data=None):
        instance = AgendaItem(meeting=meeting, municipality_id=meeting.municipality_id)
        return AgendaItemForm(data, instance=instance, initial={"revision": meeting.revision})

    form, conflict = new_form(request.POST or None), None
    if request.method == "POST" and form.is_valid():
        try:
            item = services.add_item(
                meeting,
                form.save(commit=False),
                revision=form.cleaned_data["revision"],
                guests=form.cleaned_data["guests"],
            )
        except services.EditConflict as error:
            conflict = error.current
            form = new_form(_conflict_data(request, conflict.revision))
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request, _("“%(title)s” was added to the agenda.") % {"title": item.title}
            )
            if not request.htmx:
                return redirect(
                    reverse("meetings:meeting_detail", args=[meeting.pk]) + f"#item-{item.pk}"
                )
            # Ready for the next item.
            meeting = _meeting(meeting.pk)
            form = new_form()
    editor = {
        "mode": "add",
        "form": form,
        "action": reverse("meetings:item_add", args=[meeting.pk]),
        "heading": _("Add an item"),
        "submit": _("Add the item"),
        "conflict_message": conflict
        and _(
            "Someone else changed the agenda while you were adding the item. Your item is "
            "kept below; save it again to add it."
        ),
    }
    return _editor(request, meeting, editor, status=_status(form, conflict))


@permission_required("meetings.edit", lookup=_item)
def item_edit(request: HttpRequest, item: AgendaItem) -> HttpResponse:
    """Edit an item of the agenda, with optimistic locking on the item's revision."""
    meeting = item.meeting
    if not meeting.agenda_editable:
        return _not_now(request, meeting, _agenda_closed(meeting))
    form = AgendaItemForm(request.POST or None, instance=item, initial={"revision": item.revision})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(
                form.save(commit=False),
                form.cleaned_data["revision"],
                guests=form.cleaned_data["guests"],
            )
        except services.EditConflict as error:
            conflict = error.current
            form = AgendaItemForm(
                _conflict_data(request, conflict.revision), instance=_item(item.pk)
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The item was saved."))
            return _after_change(
                request, meeting, f"#item-{item.pk}", focus="edit", focus_pk=item.pk
            )
    editor = {
        "mode": "edit",
        "item_pk": item.pk,
        "form": form,
        "action": reverse("meetings:item_edit", args=[item.pk]),
        "heading": _("Edit the item “%(title)s”") % {"title": item.title},
        "submit": _("Save the item"),
        "conflict": conflict,
        "conflict_fields": conflict
        and _saved_fields(
            conflict,
            [
                "title",
                "kind",
                "duration",
                "case",
                "closed",
                "closed_reason",
                "case_text",
                "recommendation",
            ],
        ),
        "conflict_message": conflict
        and _(
            "Someone else saved this item while you were editing. Your text is kept below; "
            "compare with the saved version and save again."
        ),
    }
    return _editor(request, meeting, editor, status=_status(form, conflict))


def _saved_fields(item: AgendaItem, names: list[str]) -> list[tuple[str, str]]:
    """(label, value) of an item as it is saved now, to compare with one's own edit."""
    result = []
    for name in names:
        field = AgendaItem._meta.get_field(name)
        if field.choices:
            value = getattr(item, f"get_{name}_display")()
        elif field.is_relation:
            value = str(getattr(item, name) or "")
        elif isinstance(getattr(item, name), bool):
            value = _("Yes") if getattr(item, name) else _("No")
        else:
            value = str(getattr(item, name))
        result.append((field.verbose_name, value))
    return result


@permission_required("meetings.edit", lookup=_item)
def item_move(request: HttpRequest, item: AgendaItem) -> HttpResponse:
    """Move an item up, down or to a place (1 = first); the times of the others follow."""
    meeting = item.meeting
    if not meeting.agenda_editable:
        return _not_now(request, meeting, _agenda_closed(meeting))
    ids = list(
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )
    index = ids.index(item.pk)
    if request.method != "POST":
        return render(
            request,
            "meetings/item_move.html",
            {
                "meeting": meeting,
                "item": item,
                "index": index + 1,
                "count": len(ids),
                "positions": range(1, len(ids) + 1),
            },
        )
    direction = request.POST.get("direction")
    position = {"up": index - 1, "down": index + 1}.get(direction)
    if position is None and _int(request.POST.get("position")) is not None:
        position = _int(request.POST["position"]) - 1
    if position is None:
        messages.error(request, _("Choose where to move the item."))
        return _after_change(request, meeting)
    position = max(0, min(position, len(ids) - 1))
    try:
        services.move_item(meeting, item, position, _int(request.POST.get("revision")))
    except services.EditConflict:
        messages.error(
            request,
            _(
                "Someone else changed the agenda in the meantime. This is the agenda as it is "
                "now; try again."
            ),
        )
        return _after_change(request, meeting, focus="agenda-heading")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _after_change(request, meeting)
    messages.success(
        request,
        _("“%(title)s” was moved to place %(place)d.")
        % {
            "title": item.title,
            "place": position + 1,
        },
    )
    # Keep the focus on the button just used, or on its twin where the item reached an end.
    if direction == "up":
        focus = "up" if position > 0 else "down"
    else:
        focus = "down" if position < len(ids) - 1 else "up"
    return _after_change(request, meeting, f"#item-{item.pk}", focus=focus, focus_pk=item.pk)


@permission_required("meetings.edit", lookup=_item)
def item_delete(request: HttpRequest, item: AgendaItem) -> HttpResponse:
    meeting = item.meeting
    if not meeting.agenda_editable:
        return _not_now(request, meeting, _agenda_closed(meeting))
    if request.method != "POST":
        return render(request, "meetings/item_delete.html", {"meeting": meeting, "item": item})
    try:
        services.remove_item(meeting, item, _int(request.POST.get("revision")))
    except services.EditConflict:
        messages.error(
            request,
            _(
                "Someone else changed the agenda in the meantime. This is the agenda as it is "
                "now; try again."
            ),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("“%(title)s” was removed from the agenda.") % {"title": item.title}
        )
    return _after_change(request, meeting, focus="agenda-heading")


@permission_required("meetings.edit", lookup=_meeting)
def backlog_add(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """Put a case sent to the body, an item not treated or a follow-up on the agenda."""
    if not meeting.agenda_editable:
        return _not_now(request, meeting, _agenda_closed(meeting))
    if request.method != "POST":
        return render(request, "meetings/backlog_add.html", _agenda_context(request, meeting))
    kind, entry_id = request.POST.get("kind"), _int(request.POST.get("id"))
    waiting = services.backlog(meeting.body)
    adders = {
        "case": (waiting.cases, services.add_case_to_agenda),
        "item": (waiting.not_treated, services.add_untreated_to_agenda),
        "followup": (waiting.follow_ups, services.add_follow_up_to_agenda),
    }
    entries, add = adders.get(kind, ([], None))
    entry = next((e for e in entries if e.pk == entry_id), None)
    if entry is None:
        messages.error(request, _("That is no longer waiting for the body's agenda."))
        return _after_change(request, meeting)
    try:
        item = add(meeting, entry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _after_change(request, meeting)
    messages.success(request, _("“%(title)s” was added to the agenda.") % {"title": item.title})
    return _after_change(request, meeting, f"#item-{item.pk}", focus="agenda-heading")


# --- The states of a meeting ----------------------------------------------------------------


def _confirm(request, meeting, step: str, **context) -> HttpResponse:
    """The page that asks before a step is taken (and works without JavaScript)."""
    return render(
        request,
        "meetings/meeting_confirm.html",
        {
            "meeting": meeting,
            "step": step,
            "possible": meeting.state in STEP_STATES[step],
            **context,
        },
    )


def _take_step(request, meeting, action, success) -> HttpResponse:
    try:
        result = action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect("meetings:meeting_detail", pk=meeting.pk)


@permission_required("meetings.approve", lookup=_meeting)
def agenda_approve(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """The chair approves the agenda as they saw it (its `sequence` travels with the form)."""
    if request.method != "POST":
        items = services.agenda_items(meeting)
        return _confirm(request, meeting, "approve_agenda", rows=_agenda_rows(meeting, items, True))
    if request.POST.get("sequence") != str(meeting.sequence):
        messages.error(
            request,
            _(
                "The agenda was changed after you opened it. Look at it again before you approve it."
            ),
        )
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    return _take_step(
        request,
        meeting,
        lambda: services.approve_agenda(meeting, request.user),
        _("The agenda was approved. The secretary can now send it."),
    )


@permission_required("meetings.edit", lookup=_meeting)
def agenda_send(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    if request.method != "POST":
        return _confirm(
            request, meeting, "send_agenda", recipients=services.agenda_recipients(meeting)
        )

    # What refuses the send-out is said at once; the sending itself (a PDF per member and an
    # e-mail each) is a background job (`meetings.jobs.send_agenda`).
    try:
        services.check_send_agenda(meeting, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    job = jobs.start(
        "meetings.send_agenda",
        request.user,
        _("Sending the agenda of %(meeting)s") % {"meeting": meeting},
        meeting_id=meeting.pk,
    )
    return job_views.respond(request, job)


@permission_required("meetings.edit", lookup=_meeting)
def meeting_held(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    if request.method != "POST":
        return _confirm(request, meeting, "mark_held")
    return _take_step(
        request,
        meeting,
        lambda: services.mark_held(meeting, request.user),
        _("The meeting is marked as held. Record the decisions in the minutes."),
    )


@permission_required("meetings.edit", lookup=_meeting)
def meeting_record_afterwards(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """Register a meeting held without digistyr as held, sending nothing."""
    if request.method != "POST":
        return _confirm(request, meeting, "record_afterwards")
    return _take_step(
        request,
        meeting,
        lambda: services.record_afterwards(meeting, request.user),
        _(
            "The meeting is registered as held afterwards; nothing was sent. Record the "
            "decisions in the minutes."
        ),
    )


@permission_required("meetings.approve", lookup=_meeting)
def minutes_approve(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    if request.method != "POST":
        return _confirm(request, meeting, "approve_minutes")
    return _take_step(
        request,
        meeting,
        lambda: services.approve_minutes(meeting, request.user),
        lambda version: (
            _("Version %(number)d of the minutes was approved and is now locked.")
            % {"number": version.number}
        ),
    )


@permission_required("meetings.approve", lookup=_meeting)
def minutes_reopen(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """Open approved minutes for a correction, with a reason."""
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_minutes(meeting, request.user, form.cleaned_data["reason"])
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The minutes are open for a correction. Approving them again makes a new version."
                ),
            )
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render_form(
        request,
        "meetings/minutes_reopen.html",
        {
            "meeting": meeting,
            "form": form,
            "possible": meeting.state in STEP_STATES["reopen_minutes"],
        },
    )


# --- The minutes -----------------------------------------------------------------------------


@permission_required("meetings.edit", lookup=_item)
def minutes_item(request: HttpRequest, item: AgendaItem) -> HttpResponse:
    """Record an item's decision and outcome, with optimistic locking on its revision."""
    meeting = item.meeting
    if not meeting.minutes_editable:
        return _not_now(request, meeting, _minutes_closed(meeting))
    form = MinutesForm(request.POST or None, instance=item, initial={"revision": item.revision})
    conflict = None
    if request.method == "POST" and form.is_valid():
        edited = form.save(commit=False)
        try:
            services.check_outcome(edited)
            services.update_item(edited, form.cleaned_data["revision"])
        except services.EditConflict as error:
            conflict = error.current
            form = MinutesForm(_conflict_data(request, conflict.revision), instance=_item(item.pk))
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request, _("The minutes of “%(title)s” were saved.") % {"title": item.title}
            )
            return _after_change(
                request, meeting, f"#item-{item.pk}", focus="minutes", focus_pk=item.pk
            )
    editor = {
        "mode": "minutes",
        "item_pk": item.pk,
        "form": form,
        "action": reverse("meetings:minutes_item", args=[item.pk]),
        "heading": _("Minutes of “%(title)s”") % {"title": item.title},
        "submit": _("Save the minutes"),
        "conflict": conflict,
        "conflict_fields": conflict and _saved_fields(conflict, ["outcome", "decision"]),
        "conflict_message": conflict
        and _(
            "Someone else saved this item while you were editing. Your text is kept below; "
            "compare with the saved version and save again."
        ),
    }
    return _editor(request, meeting, editor, status=_status(form, conflict))


@permission_required("meetings.edit", lookup=_item)
def followup_add(request: HttpRequest, item: AgendaItem) -> HttpResponse:
    """“X følger op”: a follow-up of an item, owned by a person or a unit, with a due date."""
    meeting = item.meeting
    if not meeting.minutes_editable:
        return _not_now(request, meeting, _minutes_closed(meeting))
    form = FollowUpForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The follow-up was added."))
        return _after_change(
            request, meeting, f"#item-{item.pk}", focus="followup", focus_pk=item.pk
        )
    editor = {
        "mode": "followup",
        "item_pk": item.pk,
        "form": form,
        "action": reverse("meetings:followup_add", args=[item.pk]),
        "heading": _("Follow-up of “%(title)s”") % {"title": item.title},
        "submit": _("Add the follow-up"),
    }
    return _editor(request, meeting, editor, status=_status(form))


@permission_required("meetings.edit", lookup=_meeting)
def attendance(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """Who was present, absent or sent apologies: the members on the date and the guests."""
    if meeting.minutes_locked:
        return _not_now(request, meeting, _agenda_closed(meeting))
    members = Membership.objects.current(meeting.date).filter(body_id=meeting.body_id)
    people = list(
        Person.objects.filter(
            Q(memberships__in=members)
            | Q(guest_items__meeting=meeting)
            | Q(attendance__meeting=meeting)
        )
        .distinct()
        .order_by(Danish("name"))
    )
    current = {a.person_id: (a.status, a.note) for a in Attendance.objects.filter(meeting=meeting)}
    form = AttendanceForm(request.POST or None, people=people, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(meeting, form.entries())
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The attendance was saved."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render_form(request, "meetings/attendance_form.html", {"meeting": meeting, "form": form})


@permission_required("core.view", lookup=_meeting)
def minutes_versions(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """The approved versions of the minutes, each as it was approved."""
    sees_closed = has_perm(request.user, "meetings.see_closed", meeting)
    outcomes = dict(Outcome.choices)
    versions = []
    for version in (
        MinutesVersion.objects.filter(meeting=meeting)
        .select_related("approved_by")
        .order_by("-number")
    ):
        versions.append(
            {
                "version": version,
                "entries": [
                    {
                        "title": entry.get("title", ""),
                        "closed": entry.get("closed", False),
                        "full": not entry.get("closed", False) or sees_closed,
                        "outcome": outcomes.get(entry.get("outcome", ""), ""),
                        "not_treated": entry.get("outcome") == Outcome.NOT_TREATED,
                        "decision": entry.get("decision", ""),
                    }
                    for entry in version.snapshot
                ],
            }
        )
    return render(
        request, "meetings/minutes_versions.html", {"meeting": meeting, "versions": versions}
    )


# --- History ---------------------------------------------------------------------------------


@permission_required("core.view", lookup=_meeting)
def meeting_history(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """Who changed what and when, for the meeting and its items (deleted ones too), the
    values as the pages write them (`core.history`)."""
    user = request.user
    sees_closed = has_perm(user, "meetings.see_closed", meeting)
    meeting_records = history.records(meeting.history.all())
    parts = [(Meeting, meeting_records, ())]
    item_records: list = []
    # Draft decisions are for the members until the minutes are approved.
    excluded = () if has_perm(user, "meetings.see_decisions", meeting) else ("decision", "outcome")
    if has_perm(user, "meetings.see_agenda", meeting):
        item_records = history.records(AgendaItem.history.filter(meeting_id=meeting.pk))
        parts.append((AgendaItem, item_records, excluded))
    names = history.names_of(parts)
    entries = history.history_entries(
        Meeting, meeting_records, lambda record: _("Meeting"), names, excluded=[]
    )
    if item_records:
        now_closed = set(
            AgendaItem.objects.filter(meeting=meeting, closed=True).values_list("pk", flat=True)
        )

        def hidden(record, previous, changes):
            if sees_closed or not closed_record(record, previous, record.id in now_closed):
                return {}
            changes.clear()
            return {"hidden": _("Only members of the body see the changes of a closed item.")}

        entries += history.history_entries(
            AgendaItem,
            item_records,
            lambda record: record.title,
            names,
            excluded=["guests", *excluded],
            extra=hidden,
        )
    history.newest_first(entries)
    return render(
        request, "meetings/meeting_history.html", {"meeting": meeting, "entries": entries}
    )
