"""Domain logic of meetings: clock times, the states of a meeting, optimistic locking,
carrying items over, sending cases on, and a body's backlog; the writes the pages and the API
share (a meeting's edit, a case and its route, attachments, attendance).

Every function that changes data runs in one transaction and raises `ValidationError` with
a Danish message when the change is not allowed, so nothing is ever partly written.
"""

import datetime
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.collation import danish_key
from core.permissions import has_perm
from meetings.models import (
    AGENDA_EDITABLE,
    MINUTES_EDITABLE,
    AgendaItem,
    Attachment,
    Attendance,
    AttendanceStatus,
    CalendarFeed,
    Case,
    CaseStep,
    FollowUp,
    ItemKind,
    Meeting,
    MeetingState,
    MinutesApproval,
    MinutesVersion,
    Outcome,
)
from organisation.models import Body, Membership, MembershipRole, MinutesApprovalRule, Person

# --- Clock times ---------------------------------------------------------------------------


@dataclass
class TimedItem:
    item: AgendaItem
    number: int | None  # the item's number, breaks are not numbered
    start: datetime.time
    end: datetime.time


def _add_minutes(start: datetime.time, minutes: int) -> datetime.time:
    total = start.hour * 60 + start.minute + minutes
    total = min(total, 24 * 60 - 1)  # validation keeps agendas before midnight
    return datetime.time(total // 60, total % 60)


def timed_items(meeting: Meeting, items) -> list[TimedItem]:
    """The items with their clock times, from the meeting's start and the durations."""
    result, elapsed, number = [], 0, 0
    for item in items:
        start = _add_minutes(meeting.start, elapsed)
        elapsed += item.duration
        if item.kind != ItemKind.BREAK:
            number += 1
        result.append(
            TimedItem(
                item,
                None if item.kind == ItemKind.BREAK else number,
                start,
                _add_minutes(meeting.start, elapsed),
            )
        )
    return result


# How long a meeting is planned to last until its agenda has items (and its own end is not
# set): a planned meeting is not a moment (13.00–13.00), and its calendar event has a length.
PLANNED_MINUTES = 120


def meeting_end(meeting: Meeting, items) -> datetime.time:
    """When the meeting ends: its own end, else when the last item ends, else (no items yet)
    `PLANNED_MINUTES` after its start."""
    if meeting.end:
        return meeting.end
    minutes = sum(item.duration for item in items)
    return _add_minutes(meeting.start, minutes or PLANNED_MINUTES)


def format_time(value: datetime.time) -> str:
    """9.05, 10.30: the way the seeds write clock times."""
    return f"{value.hour}.{value.minute:02d}"


# --- Optimistic locking ------------------------------------------------------------------


class EditConflict(Exception):
    """Somebody else saved first. `current` is the object as it is now in the database."""

    def __init__(self, current):
        super().__init__("edit conflict")
        self.current = current


def check_revision(row, expected: int | None):
    """Bump the row's revision if it is still `expected`; otherwise raise EditConflict.

    The UPDATE … WHERE revision = expected is atomic, so of two concurrent saves from the same
    revision exactly one wins, also on PostgreSQL under concurrent transactions.
    """
    rows = type(row).within(row)
    if expected is None:
        raise EditConflict(rows.get(pk=row.pk))
    updated = rows.filter(pk=row.pk, revision=expected).update(revision=F("revision") + 1)
    if not updated:
        raise EditConflict(rows.get(pk=row.pk))
    return expected + 1


def _require(condition: bool, message: str):
    if not condition:
        raise ValidationError(message)


MINUTES_LOCKED = gettext_lazy(
    "The minutes are approved and locked. Reopen them with a reason to correct them."
)
MINUTES_CIRCULATED = gettext_lazy(
    "The minutes have been sent for the participants' approval. Withdraw them from approval "
    "to change them."
)


# --- Meetings --------------------------------------------------------------------------------

# What the calendar invitation shows of a meeting besides its heading: a change of these
# makes the invitation's SEQUENCE grow, so calendars replace the old one.
CALENDAR_FIELDS = ("date", "start", "end", "place")


def check_start(meeting: Meeting, start: datetime.time | None) -> None:
    """A meeting's new start must not push its agenda past midnight (the rule of the meeting
    form and of the API); a ValidationError at `start` otherwise."""
    if meeting.pk is None or start is None:
        return
    total = sum(
        AgendaItem.within(meeting).filter(meeting=meeting).values_list("duration", flat=True)
    )
    if start.hour * 60 + start.minute + total > 24 * 60:
        raise ValidationError(
            {"start": _("The agenda would run past midnight. Shorten the items or start earlier.")}
        )


@transaction.atomic
def update_meeting(meeting: Meeting) -> Meeting:
    """Save a meeting's edited date, times, place and title (validated by the form or the
    serializer): refused once the minutes are approved; a changed date, time or place makes
    the invitation's SEQUENCE grow."""
    stored = (
        Meeting.within(meeting)
        .select_for_update()
        .filter(pk=meeting.pk)
        .values("state", "sequence", *CALENDAR_FIELDS)
        .get()
    )
    _require(stored["state"] != MeetingState.MINUTES_APPROVED, str(MINUTES_LOCKED))
    if any(stored[name] != getattr(meeting, name) for name in CALENDAR_FIELDS):
        meeting.sequence = stored["sequence"] + 1
    meeting.save()
    return meeting


@transaction.atomic
def plan_meetings(meetings: list[Meeting]) -> list[Meeting]:
    """Plan several meetings of a body at once (the year's plan): all are saved, or none.
    Each is built and validated by the caller (`meetings.forms.meetings.PlanYearForm`)."""
    for meeting in meetings:
        meeting.save()
    return meetings


@transaction.atomic
def record_attendance(meeting: Meeting, entries: Iterable[tuple[Person, str, str]]) -> None:
    """Who was present, absent or sent apologies: (person, status, note) for each, all or
    nothing; refused once the minutes are approved."""
    meeting = _lock_meeting(meeting)
    _require(meeting.state != MeetingState.MINUTES_APPROVED, str(MINUTES_LOCKED))
    for person, status, note in entries:
        Attendance.within(meeting).update_or_create(
            meeting=meeting, person=person, defaults={"status": status, "note": note}
        )


# --- The agenda ------------------------------------------------------------------------------


def _agenda_changed(meeting: Meeting) -> None:
    """An agenda change voids the chair's approval and bumps the invitation's sequence."""
    if meeting.state in {MeetingState.PLANNED, MeetingState.AGENDA_APPROVED}:
        meeting.state = MeetingState.AGENDA_DRAFT
        meeting.agenda_approved_by = None
        meeting.agenda_approved_at = None
    meeting.sequence += 1
    meeting.save(update_fields=["state", "agenda_approved_by", "agenda_approved_at", "sequence"])


def _lock_meeting(meeting: Meeting) -> Meeting:
    """Re-read the meeting under a row lock (on databases that have one)."""
    return Meeting.within(meeting).select_for_update().select_related("body").get(pk=meeting.pk)


@transaction.atomic
def add_item(
    meeting: Meeting, item: AgendaItem, revision: int | None = None, guests=None
) -> AgendaItem:
    """Append an item to the agenda (validated), voiding an approval."""
    meeting = _lock_meeting(meeting)
    _require(
        meeting.state in AGENDA_EDITABLE,
        _("The agenda has been sent and can no longer be changed."),
    )
    if revision is not None:
        check_revision(meeting, revision)
    item.meeting = meeting
    item.municipality_id = meeting.municipality_id
    last = AgendaItem.within(meeting).filter(meeting=meeting).aggregate(m=Max("position"))["m"]
    item.position = 0 if last is None else last + 1
    item.full_clean()
    item.save()
    if guests is not None:
        item.guests.set(guests)
    _agenda_changed(meeting)
    return item


@transaction.atomic
def update_item(item: AgendaItem, revision: int | None, guests=None) -> AgendaItem:
    """Save an edited item if nobody else saved it since `revision` (else EditConflict).

    `item` carries the edited values; it is validated first, so an invalid edit leaves the
    revision alone.
    """
    meeting = _lock_meeting(item.meeting)
    agenda_fields = meeting.state in AGENDA_EDITABLE
    minutes_fields = meeting.state in MINUTES_EDITABLE
    _require(meeting.state != MeetingState.MINUTES_APPROVED, str(MINUTES_LOCKED))
    _require(meeting.minutes_circulated_at is None, str(MINUTES_CIRCULATED))
    _require(
        agenda_fields or minutes_fields,
        _("The agenda has been sent. Decisions can be recorded once the meeting is held."),
    )
    item.full_clean()
    item.revision = check_revision(item, revision)
    item.save()
    if guests is not None:
        item.guests.set(guests)
    if agenda_fields:
        _agenda_changed(meeting)
    elif meeting.state == MeetingState.HELD:
        meeting.state = MeetingState.MINUTES_DRAFT
        meeting.save(update_fields=["state"])
    return item


@transaction.atomic
def move_item(meeting: Meeting, item: AgendaItem, position: int, revision: int | None) -> None:
    """Move an item to a new place (0-based); the times of the others follow."""
    meeting = _lock_meeting(meeting)
    _require(
        meeting.state in AGENDA_EDITABLE,
        _("The agenda has been sent and can no longer be changed."),
    )
    check_revision(meeting, revision)
    items = list(AgendaItem.within(meeting).filter(meeting=meeting).order_by("position", "pk"))
    ids = [i.pk for i in items]
    _require(item.pk in ids, _("The item is not on this agenda."))
    ids.remove(item.pk)
    position = max(0, min(position, len(ids)))
    ids.insert(position, item.pk)
    _renumber(meeting, ids)
    _agenda_changed(meeting)


def _renumber(meeting: Meeting, ids: list[int]) -> None:
    for index, pk in enumerate(ids):
        AgendaItem.within(meeting).filter(pk=pk).exclude(position=index).update(position=index)


@transaction.atomic
def remove_item(meeting: Meeting, item: AgendaItem, revision: int | None) -> None:
    meeting = _lock_meeting(meeting)
    _require(
        meeting.state in AGENDA_EDITABLE,
        _("The agenda has been sent and can no longer be changed."),
    )
    check_revision(meeting, revision)
    _require(not item.follow_ups.exists(), _("The item has follow-ups and cannot be removed."))
    item.delete()
    ids = list(
        AgendaItem.within(meeting)
        .filter(meeting=meeting)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )
    _renumber(meeting, ids)
    _agenda_changed(meeting)


# --- States ---------------------------------------------------------------------------------


@transaction.atomic
def approve_agenda(meeting: Meeting, user) -> Meeting:
    meeting = _lock_meeting(meeting)
    _require(
        has_perm(user, "meetings.approve", meeting),
        _("Only the chair of the body or an administrator can approve the agenda."),
    )
    _require(
        meeting.state in {MeetingState.AGENDA_DRAFT, MeetingState.PLANNED},
        _("Only an agenda in draft can be approved."),
    )
    _require(
        AgendaItem.within(meeting).filter(meeting=meeting).exists(), _("The agenda has no items.")
    )
    meeting.state = MeetingState.AGENDA_APPROVED
    meeting.agenda_approved_by = user
    meeting.agenda_approved_at = timezone.now()
    meeting.save()
    return meeting


def agenda_recipients(meeting: Meeting) -> list[tuple[str, str]]:
    """(name, e-mail) of the members of the body on the meeting's date who have an e-mail."""
    from organisation.models import Membership

    rows = (
        Membership.objects.current(meeting.date)
        .filter(body_id=meeting.body_id)
        .exclude(person__email="")
        .values_list("person__name", "person__email")
        .distinct()
    )
    return sorted(set(rows))


@transaction.atomic
def check_send_agenda(meeting: Meeting, user) -> list[tuple[str, str]]:
    """The recipients of the agenda, or ValidationError when it may not be sent (yet): the
    send-out page asks before it puts the sending on the queue."""
    _require(
        meeting.state == MeetingState.AGENDA_APPROVED,
        _("The agenda must be approved by the chair before it is sent."),
    )
    _require(
        has_perm(user, "meetings.edit", meeting),
        _("Only the secretary of the body or an administrator can send the agenda."),
    )
    recipients = agenda_recipients(meeting)
    _require(bool(recipients), _("No member of the body has an e-mail address."))
    return recipients


def send_agenda(meeting: Meeting, user, connection=None) -> list[str]:
    """E-mail the internal agenda PDF and a calendar invitation to the body's members.

    Refused unless the chair has approved the agenda. Returns the addresses sent to.
    """
    from meetings.models import AgendaDispatch

    meeting = _lock_meeting(meeting)
    recipients = check_send_agenda(meeting, user)
    from meetings import documents

    documents.send_agenda_email(meeting, recipients, connection=connection)
    meeting.state = MeetingState.AGENDA_SENT
    meeting.agenda_sent_at = timezone.now()
    meeting.save()
    AgendaDispatch.objects.create(
        meeting=meeting,
        municipality_id=meeting.municipality_id,
        sent_by=user,
        recipients="\n".join(f"{name} <{email}>" for name, email in recipients),
    )
    return [email for _name, email in recipients]


@transaction.atomic
def mark_held(meeting: Meeting, user) -> Meeting:
    meeting = _lock_meeting(meeting)
    _require(
        has_perm(user, "meetings.edit", meeting),
        _("Only the secretary of the body or an administrator can record the meeting."),
    )
    _require(
        meeting.state == MeetingState.AGENDA_SENT,
        _("Only a meeting whose agenda has been sent can be marked as held."),
    )
    _require(
        meeting.date <= timezone.localdate(),
        _("A meeting cannot be marked as held before its date."),
    )
    meeting.state = MeetingState.HELD
    meeting.save()
    return meeting


# The states from which a meeting can be registered as held afterwards: any before it is held.
BEFORE_HELD = {
    MeetingState.PLANNED,
    MeetingState.AGENDA_DRAFT,
    MeetingState.AGENDA_APPROVED,
    MeetingState.AGENDA_SENT,
}


@transaction.atomic
def record_afterwards(meeting: Meeting, user) -> Meeting:
    """Register a meeting that was held without digistyr (before the body used it, say) as
    held, sending nothing: no agenda, no invitation. Its decisions are then recorded and its
    minutes approved as any meeting's; the meeting and its history say "registered
    afterwards"."""
    meeting = _lock_meeting(meeting)
    _require(
        has_perm(user, "meetings.edit", meeting),
        _("Only the secretary of the body or an administrator can record the meeting."),
    )
    _require(
        meeting.state in BEFORE_HELD,
        _("Only a meeting that has not been held yet can be registered as held afterwards."),
    )
    _require(
        meeting.date <= timezone.localdate(),
        _("A meeting cannot be registered as held before its date."),
    )
    _require(
        AgendaItem.within(meeting).filter(meeting=meeting).exists(),
        _("Add the items the meeting treated before it is registered as held."),
    )
    meeting.state = MeetingState.HELD
    meeting.recorded_afterwards = True
    meeting._change_reason = _("Registered afterwards")  # type: ignore[attr-defined]
    meeting.save()
    return meeting


def _snapshot(meeting: Meeting) -> list[dict]:
    items = AgendaItem.within(meeting).filter(meeting=meeting).order_by("position", "pk")
    return [
        {
            "id": item.pk,
            "title": item.title,
            "closed": item.closed,
            "outcome": item.outcome,
            "decision": item.decision,
        }
        for item in items
    ]


def undecided(items) -> list[str]:
    """The titles of the items (not breaks) with neither a decision nor an outcome."""
    return [
        i.title
        for i in items
        if i.kind != ItemKind.BREAK and i.outcome == Outcome.PENDING and not i.decision.strip()
    ]


def check_decided(items) -> None:
    """Every item has a decision or an outcome: a ValidationError naming the others."""
    missing = undecided(items)
    _require(
        not missing,
        _("Record a decision or “not treated” for: %(items)s.") % {"items": ", ".join(missing)},
    )


@transaction.atomic
def approve_minutes(meeting: Meeting, user) -> MinutesVersion:
    """Lock the minutes; carry untreated items over and send forwarded cases on.

    The chair approves them, unless the body has every participant approve
    (`Body.minutes_approval`): then they are approved once the last participant present has
    (`meetings.approvals.services.approve`), or when the chair closes the approval after the
    deadline (`meetings.approvals.services.close`), and by nobody else.
    """
    meeting = _lock_meeting(meeting)
    participants = by_participants(meeting)
    _require(
        participants or has_perm(user, "meetings.approve", meeting),
        _("Only the chair of the body or an administrator can approve the minutes."),
    )
    _require(
        meeting.state in {MeetingState.HELD, MeetingState.MINUTES_DRAFT},
        _("The minutes can only be approved once the meeting has been held."),
    )
    if participants:
        _check_participants_approved(meeting)
    items = list(AgendaItem.within(meeting).filter(meeting=meeting).select_related("case"))
    check_decided(items)
    for item in items:
        if item.outcome == Outcome.NOT_TREATED:
            _carry_over(meeting, item)
        elif item.outcome == Outcome.FORWARDED:
            _forward(meeting, item)
    number = (
        MinutesVersion.objects.filter(meeting=meeting).aggregate(m=Max("number"))["m"] or 0
    ) + 1
    version = MinutesVersion.objects.create(
        meeting=meeting,
        municipality_id=meeting.municipality_id,
        number=number,
        approved_by=user,
        reason=meeting.correction_reason,
        snapshot=_snapshot(meeting),
    )
    meeting.state = MeetingState.MINUTES_APPROVED
    meeting.minutes_approved_by = user
    meeting.minutes_approved_at = version.approved_at
    meeting.correction_reason = ""
    meeting.save()
    return version


@transaction.atomic
def reopen_minutes(meeting: Meeting, user, reason: str) -> Meeting:
    """Open approved minutes for a correction; the next approval is a new version."""
    meeting = _lock_meeting(meeting)
    _require(
        has_perm(user, "meetings.approve", meeting),
        _("Only the chair of the body or an administrator can reopen the minutes."),
    )
    _require(meeting.state == MeetingState.MINUTES_APPROVED, _("The minutes are not approved."))
    _require(bool(reason and reason.strip()), _("Give the reason for the correction."))
    meeting.state = MeetingState.MINUTES_DRAFT
    meeting.correction_reason = reason.strip()
    # The correction is approved anew: in a new round, when every participant approves.
    meeting.minutes_circulated_at = None
    meeting.approval_closed_by = None
    meeting.approval_closed_at = None
    meeting.save()
    return meeting


# --- Approval by every participant ------------------------------------------------------------

# The roles of the participants whose approval the minutes need: not the secretary who
# writes them, not observers, not the guests of an item.
APPROVING_ROLES = (MembershipRole.CHAIR, MembershipRole.MEMBER)


def by_participants(meeting: Meeting) -> bool:
    """Does every participant present approve the meeting's minutes (a body setting)?"""
    return meeting.body.minutes_approval == MinutesApprovalRule.PARTICIPANTS


def approvers(meeting: Meeting) -> list[Person]:
    """The participants whose approval the minutes need: the people recorded as present who
    on the meeting's date chair the body or are members of it, and the substitutes present
    for them (one query)."""
    members = Membership.objects.current(meeting.date).filter(
        body_id=meeting.body_id, role__in=APPROVING_ROLES
    )
    present = Attendance.objects.filter(meeting_id=meeting.pk, status=AttendanceStatus.PRESENT)
    # A substitute for one meeting (`meetings.proceedings`) approves in the member's place.
    substitutes = present.filter(substitute_for__isnull=False).values("person_id")
    members_present = Membership.objects.filter(
        pk__in=members.values("pk"), person_id__in=present.values("person_id")
    ).values("person_id")
    return sorted(
        Person.objects.filter(Q(pk__in=members_present) | Q(pk__in=substitutes)),
        key=lambda person: danish_key(person.name),
    )


def missing_approvers(meeting: Meeting) -> list[Person]:
    """The participants who have not approved the minutes in the current round."""
    approved = set(
        MinutesApproval.objects.filter(
            meeting_id=meeting.pk, round=meeting.approval_round, approved_at__isnull=False
        ).values_list("person_id", flat=True)
    )
    return [person for person in approvers(meeting) if person.pk not in approved]


def _check_participants_approved(meeting: Meeting) -> None:
    """Minutes that every participant approves: sent for approval, and approved by all of
    them or closed by the chair after the deadline. A ValidationError otherwise."""
    _require(
        meeting.minutes_circulated_at is not None,
        _("The body's minutes are approved by every participant: send them for approval first."),
    )
    if meeting.approval_closed_at is not None:
        return
    missing = missing_approvers(meeting)
    _require(
        not missing,
        _("The minutes still wait for the approval of: %(names)s.")
        % {"names": ", ".join(person.name for person in missing)},
    )


def next_meeting(meeting: Meeting) -> Meeting | None:
    """The next meeting of the same body, after this one, whose agenda may still change."""
    return (
        Meeting.within(meeting)
        .filter(body_id=meeting.body_id, date__gt=meeting.date, state__in=AGENDA_EDITABLE)
        .order_by("date", "start")
        .first()
    )


def _copy_item(item: AgendaItem) -> AgendaItem:
    return AgendaItem(
        title=item.title,
        kind=item.kind,
        duration=item.duration,
        case_id=item.case_id,
        case_text=item.case_text,
        recommendation=item.recommendation,
        closed=item.closed,
        closed_reason=item.closed_reason,
        carried_from=item,
    )


def _carry_over(meeting: Meeting, item: AgendaItem) -> None:
    """“Punktet blev ikke behandlet”: the item goes on the body's next meeting, if planned.

    Otherwise it waits in the body's backlog.
    """
    if AgendaItem.within(item).filter(carried_from=item).exists():
        return
    following = next_meeting(meeting)
    if following is not None:
        copy = _copy_item(item)
        add_item(following, copy, guests=list(item.guests.all()))


def _forward(meeting: Meeting, item: AgendaItem) -> None:
    """Send the case on: the next body on its route gets it in its backlog."""
    steps = list(CaseStep.within(item).filter(case_id=item.case_id).order_by("position"))
    here = next((s for s in steps if s.body_id == meeting.body_id), None)
    later = [s for s in steps if here is None or s.position > here.position]
    _require(
        bool(later),
        _("The case “%(case)s” has no further body on its route.")
        % {"case": item.case.number if item.case else ""},
    )
    target = later[0]
    if target.arrived_on is None:
        target.arrived_on = meeting.date
        target.save(update_fields=["arrived_on"])


def check_outcome(item: AgendaItem) -> None:
    """Raise a ValidationError when an item cannot be sent on (no further body)."""
    if item.outcome != Outcome.FORWARDED or not item.case_id:
        return
    steps = list(CaseStep.within(item).filter(case_id=item.case_id).order_by("position"))
    here = next((s for s in steps if s.body_id == item.meeting.body_id), None)
    if not [s for s in steps if here is None or s.position > here.position]:
        raise ValidationError({"outcome": _("The case has no further body on its route.")})


# --- Backlog ------------------------------------------------------------------------------------


@dataclass
class Backlog:
    cases: list[CaseStep]
    not_treated: list[AgendaItem]
    follow_ups: list[FollowUp]

    def __bool__(self) -> bool:
        return bool(self.cases or self.not_treated or self.follow_ups)


def backlog(body: Body) -> Backlog:
    """What waits for the body's next agenda: cases sent to it, items not treated, follow-ups."""
    treated_here = AgendaItem.objects.filter(
        case_id=OuterRef("case_id"),
        meeting__body_id=body.pk,
        meeting__date__gte=OuterRef("arrived_on"),
    )
    # A case that has reached a later body on its route (sent on to political treatment,
    # say) no longer waits here.
    moved_on = CaseStep.objects.filter(
        case_id=OuterRef("case_id"), position__gt=OuterRef("position"), arrived_on__isnull=False
    )
    cases = list(
        CaseStep.objects.filter(body=body, arrived_on__isnull=False, case__status="open")
        .exclude(Exists(treated_here))
        .exclude(Exists(moved_on))
        .select_related("case")
        .order_by("arrived_on", "pk")
    )
    not_treated = list(
        AgendaItem.objects.filter(
            meeting__body=body,
            outcome=Outcome.NOT_TREATED,
            meeting__state=MeetingState.MINUTES_APPROVED,
        )
        .exclude(Exists(AgendaItem.objects.filter(carried_from=OuterRef("pk"))))
        .select_related("meeting")
        .order_by("meeting__date", "position")
    )
    follow_ups = list(
        FollowUp.objects.open()
        .filter(body=body)
        .select_related("owner", "owner_unit", "item__meeting")
        .order_by("due_date", "pk")
    )
    return Backlog(cases, not_treated, follow_ups)


@transaction.atomic
def add_case_to_agenda(meeting: Meeting, step: CaseStep) -> AgendaItem:
    case = step.case
    item = AgendaItem(
        title=case.title,
        case=case,
        kind=ItemKind.DECISION,
        duration=15,
        case_text=case.description,
        closed=case.closed,
        closed_reason=_("Closed case") if case.closed else "",
    )
    return add_item(meeting, item)


@transaction.atomic
def add_untreated_to_agenda(meeting: Meeting, item: AgendaItem) -> AgendaItem:
    _require(
        not AgendaItem.within(item).filter(carried_from=item).exists(),
        _("The item is already on another agenda."),
    )
    return add_item(meeting, _copy_item(item), guests=list(item.guests.all()))


@transaction.atomic
def add_follow_up_to_agenda(meeting: Meeting, follow_up: FollowUp) -> AgendaItem:
    item = AgendaItem(
        title=_("Follow-up: %(what)s") % {"what": follow_up.description[:250]},
        kind=ItemKind.INFORMATION,
        duration=10,
        case_id=follow_up.item.case_id if follow_up.item is not None else None,
        closed=follow_up.closed,
        closed_reason=_("Follow-up of a closed item") if follow_up.closed else "",
    )
    return add_item(meeting, item)


# --- Cases and their routes ------------------------------------------------------------------


POLITICAL_LAST = gettext_lazy(
    "%(body)s cannot come after %(political)s: the political treatment comes after the "
    "administration's, so the bodies outside the administration come last on the route."
)


def check_route(bodies: list[Body], kept: Iterable[int] = ()) -> None:
    """A route names at least one body, each once, and no body that has closed, except one
    already on the route (`kept`: their ids); the bodies outside the administration (the
    political treatment: Økonomiudvalget, the council …) come after the administration's.
    A ValidationError otherwise."""
    _require(bool(bodies), _("Give the route: choose at least one body."))
    ids = [body.pk for body in bodies]
    _require(len(set(ids)) == len(ids), _("A body can only appear once on the route."))
    kept, today = set(kept), timezone.localdate()
    political = None
    for body in bodies:
        if body.pk not in kept and body.closed_on and body.closed_on <= today:
            raise ValidationError(
                _("The body was closed on %(date)s.")
                % {"date": body.closed_on.strftime("%d-%m-%Y")}
            )
        if body.external:
            political = political or body
        elif political is not None:
            # Nothing sends a case back from a body without meetings in digistyr.
            raise ValidationError(POLITICAL_LAST % {"body": body.name, "political": political.name})


@transaction.atomic
def save_case(case: Case, route: list[Body] | None = None) -> Case:
    """Save a case (validated by the form or the serializer) and, when given, its route
    (checked by `check_route`), all or nothing."""
    case.save()
    if route is not None:
        set_route(case, route)
    return case


def set_route(case: Case, bodies: list[Body]) -> None:
    """Make the case's route the given bodies, in order (in the caller's transaction).

    A body that stays keeps its step and the date the case arrived with it; a removed body's
    step is deleted. A body new to the route that is placed first (the first body of every
    new case) has had the case since it was created: it lands in that body's backlog.
    """
    existing = {
        step.body_id: step for step in CaseStep.within(case).select_for_update().filter(case=case)
    }
    wanted = [body.pk for body in bodies]
    for body_id, step in existing.items():
        if body_id not in wanted:
            step.delete()
    moving = [
        existing[body_id].pk
        for position, body_id in enumerate(wanted)
        if body_id in existing and existing[body_id].position != position
    ]
    # Out of the way first: (case, position) is unique. Not recorded in the history; the
    # final positions below are.
    CaseStep.within(case).filter(pk__in=moving).update(position=F("position") + 10000)
    for position, body in enumerate(bodies):
        step = existing.get(body.pk)
        if step is None:
            step = CaseStep(
                case=case,
                body=body,
                position=position,
                arrived_on=case.created_on if position == 0 else None,
            )
        elif step.position == position:
            continue
        else:
            step.position = position
        step.save()
    if hasattr(case, "_prefetched_objects_cache"):
        case._prefetched_objects_cache.pop("steps", None)


# --- Attachments -----------------------------------------------------------------------------

ATTACHMENTS_LOCKED = gettext_lazy(
    "The minutes of the meeting are approved and locked. Attachments can no longer be "
    "added or changed; reopen the minutes with a reason to correct them."
)


@transaction.atomic
def save_attachment(attachment: Attachment, upload=None, content_type: str = "") -> Attachment:
    """Write an attachment (validated by the form) and, when given, its file (checked by
    `meetings.uploads`, which gave `content_type`), while the minutes of its meeting are
    open. A new attachment goes last on its item; a new file on an existing one is a new
    version (the old file stays on disk for the history)."""
    state = (
        Meeting.within(attachment)
        .select_for_update()
        .filter(pk=attachment.item.meeting_id)
        .values_list("state", flat=True)
        .first()
    )
    _require(state is not None and state != MeetingState.MINUTES_APPROVED, str(ATTACHMENTS_LOCKED))
    if attachment.pk is None:
        last = (
            Attachment.within(attachment)
            .filter(item_id=attachment.item_id)
            .aggregate(m=Max("position"))["m"]
        )
        attachment.position = 0 if last is None else last + 1
    if upload:
        if attachment.pk is not None:
            attachment.version += 1
        attachment.content_type = content_type
        attachment.size = upload.size
        attachment.file.save(os.path.basename(upload.name), upload, save=False)
    attachment.save()
    return attachment


# --- Calendar subscriptions ------------------------------------------------------------------


@transaction.atomic
def renew_calendar_feed(target: Body | Person) -> bool:
    """Give a body's or a person's calendar feed a new secret token: the old address stops
    working at once. The first time, the feed is created; True then."""
    kind = "body" if isinstance(target, Body) else "person"
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.within(target).filter(**{kind: target}).first()
    if feed is None:
        CalendarFeed.objects.create(
            municipality_id=target.municipality_id, token=token, **{kind: target}
        )
        return True
    feed.token = token
    feed.save(update_fields=["token"])
    return False


# --- Reading ---------------------------------------------------------------------------------


def agenda_items(meeting: Meeting):
    """The items of a meeting with everything an agenda page or document shows (4 queries)."""
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("case", "carried_from__meeting")
        .prefetch_related(
            "guests",
            Prefetch("attachments", queryset=Attachment.objects.order_by("position", "pk")),
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner", "owner_unit")),
            Prefetch("case__steps", queryset=CaseStep.objects.select_related("body")),
        )
        .order_by("position", "pk")
    )


def numbered_attachments(items) -> list[tuple[int, Attachment]]:
    """The meeting's attachments in agenda order with their numbers (the Bilag list): the
    number the meeting gave one (`Attachment.number`) as given, the others 1, 2, 3 … on
    from the number before them, skipping the numbers given."""
    attachments = [attachment for item in items for attachment in item.attachments.all()]
    used = {attachment.number for attachment in attachments if attachment.number}
    result, number = [], 0
    for attachment in attachments:
        if attachment.number:
            number = attachment.number
        else:
            number += 1
            while number in used:
                number += 1
            used.add(number)
        result.append((number, attachment))
    return result


def route_label(case: Case | None) -> str:
    """The case's route as the seeds print it: “PG → DSG → DIR”."""
    if case is None:
        return ""
    return " → ".join(step.body.short_name or step.body.name for step in case.steps.all())
