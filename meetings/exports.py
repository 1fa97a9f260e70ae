"""The meetings app's Excel exports: the meeting list, cases, follow-ups, and for the full
export of a municipality (`documents.exports`) every agenda item and the attachment files.

Each exporter takes a queryset already filtered the way its page filters it (and restricted
to what the user may read); its rows are read with `values_list`, one query for any number of
rows. The full-export kinds build the querysets of the whole municipality: the administrator
who asks for it may read closed items (`meetings.rules.open_or_member`).
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.widgets import choice_labels
from documents import exports
from documents.xlsx import XlsxExporter
from meetings.models import (
    AgendaItem,
    Attachment,
    Case,
    CaseStatus,
    CaseStep,
    FollowUp,
    FollowUpStatus,
    ItemKind,
    Meeting,
    MeetingState,
    Outcome,
)

MAX_ROWS = 10_000


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _time(value) -> str:
    return f"{value:%H.%M}" if value else ""


class MeetingExport(XlsxExporter):
    sheet_title = gettext_lazy("Meetings")
    columns = (
        gettext_lazy("Date"),
        gettext_lazy("Start"),
        gettext_lazy("End"),
        gettext_lazy("Body"),
        gettext_lazy("Title"),
        gettext_lazy("Place"),
        gettext_lazy("State"),
        gettext_lazy("Registered afterwards"),
    )

    def __init__(self, meetings):
        self.meetings = meetings

    def rows(self):
        states = choice_labels(MeetingState)
        for date, start, end, body, title, place, state, afterwards in self.meetings.values_list(
            "date", "start", "end", "body__name", "title", "place", "state", "recorded_afterwards"
        ):
            yield (
                date,
                _time(start),
                _time(end),
                body,
                title,
                place,
                states.get(state, state),
                _yes_no(afterwards),
            )


def case_route(steps) -> tuple[str, str, object]:
    """(the route as "A → B → C", where the case is now, since when) of a case's steps."""
    reached = [step for step in steps if step.arrived_on is not None]
    current = reached[-1] if reached else None
    return (
        " → ".join(step.body.name for step in steps),
        current.body.name if current else "",
        current.arrived_on if current else None,
    )


class CaseExport(XlsxExporter):
    """Cases as the list shows them; the description only where `full` (the full export of
    an administrator, who may read every case: `meetings.see_case_description`)."""

    sheet_title = gettext_lazy("Cases")

    def __init__(self, cases, full: bool = False):
        self.cases, self.full = cases, full
        self.columns = [
            gettext_lazy("Case number"),
            gettext_lazy("Title"),
            gettext_lazy("Status"),
            gettext_lazy("Closed case"),
            gettext_lazy("Now at"),
            gettext_lazy("Since"),
            gettext_lazy("Route"),
            gettext_lazy("Created on"),
        ]
        if full:
            self.columns.append(gettext_lazy("Description"))

    def rows(self):
        statuses = choice_labels(CaseStatus)
        steps = Prefetch(
            "steps", queryset=CaseStep.objects.select_related("body").order_by("position")
        )
        fields = ["number", "title", "status", "closed", "created_on"]
        if self.full:
            fields.append("description")
        for case in self.cases.prefetch_related(steps).only("pk", *fields):
            route, now_at, since = case_route(list(case.steps.all()))
            row = [
                case.number,
                case.title,
                statuses.get(case.status, case.status),
                _yes_no(case.closed),
                now_at,
                since,
                route,
                case.created_on,
            ]
            if self.full:
                row.append(case.description)
            yield row


class FollowUpExport(XlsxExporter):
    sheet_title = gettext_lazy("Follow-ups")
    columns = (
        gettext_lazy("What"),
        gettext_lazy("Body"),
        gettext_lazy("Meeting"),
        gettext_lazy("Item"),
        gettext_lazy("Owner"),
        gettext_lazy("Due"),
        gettext_lazy("Status"),
        gettext_lazy("Done on"),
        gettext_lazy("Note"),
        gettext_lazy("Closed"),
    )

    def __init__(self, follow_ups):
        self.follow_ups = follow_ups

    def rows(self):
        statuses = choice_labels(FollowUpStatus)
        for row in self.follow_ups.values_list(
            "description",
            "body__name",
            "item__meeting__date",
            "item__title",
            "owner__name",
            "owner_unit__name",
            "due_date",
            "status",
            "done_on",
            "note",
            "closed",
        ):
            what, body, date, item, owner, unit, due, status, done, note, closed = row
            yield (
                what,
                body,
                date,
                item or "",
                owner or unit or "",
                due,
                statuses.get(status, status),
                done,
                note,
                _yes_no(closed),
            )


class AgendaItemExport(XlsxExporter):
    """Every agenda item in full (the full export): its meeting, case, texts and decision."""

    sheet_title = gettext_lazy("Agenda items")
    columns = (
        gettext_lazy("Date"),
        gettext_lazy("Body"),
        gettext_lazy("Order"),
        gettext_lazy("Item"),
        gettext_lazy("Kind"),
        gettext_lazy("Duration"),
        gettext_lazy("Case number"),
        gettext_lazy("Closed item"),
        gettext_lazy("Reason for closing"),
        gettext_lazy("Case text"),
        gettext_lazy("Recommendation"),
        gettext_lazy("Guests"),
        gettext_lazy("Decision"),
        gettext_lazy("Outcome"),
    )

    def __init__(self, items):
        self.items = items

    def rows(self):
        kinds, outcomes = choice_labels(ItemKind), choice_labels(Outcome)
        for row in self.items.values_list(
            "meeting__date",
            "meeting__body__name",
            "position",
            "title",
            "kind",
            "duration",
            "case__number",
            "closed",
            "closed_reason",
            "case_text",
            "recommendation",
            "other_guests",
            "decision",
            "outcome",
        ):
            *head, kind, duration, case, closed, reason, text, rec, guests, decision, outcome = row
            yield (
                *head,
                kinds.get(kind, kind),
                duration,
                case or "",
                _yes_no(closed),
                reason,
                text,
                rec,
                guests,
                decision,
                outcomes.get(outcome, outcome) if outcome else "",
            )


# --- The full export (documents.exports) -------------------------------------------------------


@exports.register("moeder", position=20)
def _all_meetings(municipality):
    return MeetingExport(
        Meeting.objects.filter(municipality=municipality).order_by("date", "start", "pk")
    )


@exports.register("dagsordenspunkter", position=21)
def _all_items(municipality):
    return AgendaItemExport(
        AgendaItem.objects.filter(municipality=municipality).order_by(
            "meeting__date", "meeting__start", "meeting_id", "position", "pk"
        )
    )


@exports.register("sager", position=22)
def _all_cases(municipality):
    return CaseExport(
        Case.objects.filter(municipality=municipality).order_by("created_on", "pk"), full=True
    )


@exports.register("opfoelgninger", position=23)
def _all_follow_ups(municipality):
    return FollowUpExport(
        FollowUp.objects.filter(municipality=municipality).order_by("due_date", "pk")
    )


@exports.files
def _attachment_files(municipality):
    """The latest version of every attachment, in a folder per meeting ("2024-05-15
    Direktion"), named by its number and title."""
    attachments = (
        Attachment.objects.filter(municipality=municipality)
        .exclude(file="")
        .select_related("item__meeting__body")
        .order_by("item__meeting__date", "item__meeting_id", "number", "position", "pk")
    )
    for attachment in attachments.iterator(chunk_size=500):
        meeting = attachment.item.meeting
        folder = f"{meeting.date:%Y-%m-%d} {meeting.body.name}"
        if meeting.title:
            folder += f" {meeting.title}"
        name = attachment.title
        if attachment.number:
            name = f"{attachment.number} {name}"
        yield exports.File(folder=folder, name=name, source=attachment.file, pk=attachment.pk)
