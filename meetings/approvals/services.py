"""Approval of the minutes by every participant present (`Body.minutes_approval`).

The secretary sends the minutes for approval (`circulate`): a new round begins, and the
decisions stay as they are until the minutes are approved or withdrawn (`withdraw`). Each
participant present (the chair and the members of the body on the meeting's date who are
recorded as present: `meetings.services.approvers`) approves with one click (`approve`) or
writes a remark on the minutes instead (`remark`), which the secretary sees. The minutes are
approved, through `meetings.services.approve_minutes` like any minutes, when the last
approval is in, or when the chair closes the approval after the deadline (`close`: the body's
`minutes_approval_days` after the minutes were sent), recorded as such with who and when.

Every write runs in one transaction and refuses with a Danish `ValidationError` before it
writes anything.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.auth import person_of
from core.permissions import has_perm
from meetings import services
from meetings.models import (
    AgendaItem,
    ItemAbsence,
    ItemAbsenceKind,
    Meeting,
    MeetingState,
    MinutesApproval,
    MinutesVersion,
)
from organisation.models import Person

# The states in which minutes can be sent for approval and answered.
OPEN_STATES = {MeetingState.HELD, MeetingState.MINUTES_DRAFT}


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.within(meeting).select_for_update().select_related("body").get(pk=meeting.pk)


def deadline(meeting: Meeting) -> datetime.datetime | None:
    """Until when the participants approve: the body's days after the minutes were sent."""
    if meeting.minutes_circulated_at is None:
        return None
    return meeting.minutes_circulated_at + datetime.timedelta(
        days=meeting.body.minutes_approval_days
    )


def _when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y %H.%M")


# --- The secretary -------------------------------------------------------------------------


@transaction.atomic
def circulate(meeting: Meeting, user) -> Meeting:
    """Send the minutes for the participants' approval: a new round. Refused unless the body
    has every participant approve, the meeting is held, every item has a decision, and
    someone whose approval is needed is recorded as present."""
    meeting = _lock(meeting)
    _require(
        has_perm(user, "meetings.edit", meeting),
        _("Only the secretary of the body or an administrator can send the minutes for approval."),
    )
    _require(
        services.by_participants(meeting),
        _("The chair of this body approves its minutes alone; they are not sent for approval."),
    )
    _require(
        meeting.state in OPEN_STATES,
        _("Only the minutes of a held meeting that are not approved can be sent for approval."),
    )
    _require(
        meeting.minutes_circulated_at is None,
        _("The minutes have already been sent for approval."),
    )
    services.check_decided(list(AgendaItem.within(meeting).filter(meeting=meeting)))
    _require(
        bool(services.approvers(meeting)),
        _(
            "Record the attendance first: no chair or member of the body is recorded as "
            "present, so nobody could approve the minutes."
        ),
    )
    meeting.approval_round += 1
    meeting.minutes_circulated_at = timezone.now()
    meeting.approval_closed_by = None
    meeting.approval_closed_at = None
    if meeting.state == MeetingState.HELD:
        meeting.state = MeetingState.MINUTES_DRAFT
    meeting._change_reason = _("Minutes sent for approval")  # type: ignore[attr-defined]
    meeting.save()
    return meeting


@transaction.atomic
def withdraw(meeting: Meeting, user) -> Meeting:
    """Take the minutes back from approval to change them; the approvals given so far stay
    with their round, and sending them again begins a new one."""
    meeting = _lock(meeting)
    _require(
        has_perm(user, "meetings.edit", meeting),
        _("Only the secretary of the body or an administrator can withdraw the minutes."),
    )
    _require(
        meeting.state in OPEN_STATES and meeting.minutes_circulated_at is not None,
        _("The minutes are not out for approval."),
    )
    meeting.minutes_circulated_at = None
    meeting._change_reason = _("Minutes withdrawn from approval")  # type: ignore[attr-defined]
    meeting.save()
    return meeting


# --- The participants ----------------------------------------------------------------------


def _participant(meeting: Meeting, user) -> Person:
    """The user's person, when the minutes wait for their answer: a ValidationError saying
    why not otherwise (not ready, approved, not present)."""
    _require(
        meeting.state != MeetingState.MINUTES_APPROVED,
        _("The minutes are already approved."),
    )
    _require(
        services.by_participants(meeting),
        _("The chair of this body approves its minutes alone."),
    )
    _require(
        meeting.state in OPEN_STATES and meeting.minutes_circulated_at is not None,
        _("The minutes are not ready for approval: the secretary has not sent them for approval."),
    )
    person = person_of(user)
    _require(
        person is not None and any(p.pk == person.pk for p in services.approvers(meeting)),
        _(
            "Only the chair and the members of the body who were present at the meeting "
            "approve its minutes, and you are not recorded as present."
        ),
    )
    return person


def _answer(meeting: Meeting, person: Person) -> MinutesApproval | None:
    return (
        MinutesApproval.within(meeting)
        .select_for_update()
        .filter(meeting=meeting, person=person, round=meeting.approval_round)
        .first()
    )


@transaction.atomic
def approve(meeting: Meeting, user) -> MinutesVersion | None:
    """The participant approves the minutes (now). The last approval approves the minutes:
    their new version is returned then, else None."""
    meeting = _lock(meeting)
    person = _participant(meeting, user)
    answer = _answer(meeting, person)
    if answer is not None and answer.approved_at is not None:
        raise ValidationError(
            _("You approved the minutes on %(when)s.") % {"when": _when(answer.approved_at)}
        )
    if answer is None:
        answer = MinutesApproval(
            meeting=meeting,
            municipality_id=meeting.municipality_id,
            person=person,
            round=meeting.approval_round,
        )
    answer.approved_at = timezone.now()
    answer.save()
    if services.missing_approvers(meeting):
        return None
    return services.approve_minutes(meeting, user)


@transaction.atomic
def remark(meeting: Meeting, user, text: str) -> MinutesApproval:
    """Instead of approving, the participant writes a remark on the minutes for the
    secretary; a second remark replaces the first. Refused once they have approved."""
    meeting = _lock(meeting)
    person = _participant(meeting, user)
    text = (text or "").strip()
    _require(bool(text), _("Write your remark on the minutes."))
    answer = _answer(meeting, person)
    if answer is not None and answer.approved_at is not None:
        raise ValidationError(
            _("You approved the minutes on %(when)s; a remark can no longer be added.")
            % {"when": _when(answer.approved_at)}
        )
    if answer is None:
        answer = MinutesApproval(
            meeting=meeting,
            municipality_id=meeting.municipality_id,
            person=person,
            round=meeting.approval_round,
        )
    answer.comment = text
    answer.commented_at = timezone.now()
    answer.save()
    return answer


# --- The chair -----------------------------------------------------------------------------


@transaction.atomic
def close(meeting: Meeting, user) -> MinutesVersion:
    """After the deadline the chair closes the approval: the minutes are approved without
    the missing approvals, recorded as closed by the chair after the deadline (who, when)."""
    meeting = _lock(meeting)
    _require(
        has_perm(user, "meetings.approve", meeting),
        _("Only the chair of the body or an administrator can close the approval."),
    )
    _require(
        services.by_participants(meeting),
        _("The chair of this body approves its minutes alone."),
    )
    _require(
        meeting.state in OPEN_STATES and meeting.minutes_circulated_at is not None,
        _("The minutes are not out for approval."),
    )
    until = deadline(meeting)
    _require(
        until is not None and timezone.now() >= until,
        _(
            "The participants have until %(deadline)s to approve the minutes; the approval "
            "can be closed after that."
        )
        % {"deadline": _when(until) if until else ""},
    )
    meeting.approval_closed_by = user
    meeting.approval_closed_at = timezone.now()
    meeting._change_reason = _(  # type: ignore[attr-defined]
        "Approval closed by the chair after the deadline"
    )
    meeting.save()
    return services.approve_minutes(meeting, user)


# --- Reading -------------------------------------------------------------------------------


@dataclass
class Answer:
    person: Person
    approved_at: datetime.datetime | None = None
    comment: str = ""
    commented_at: datetime.datetime | None = None
    required: bool = True
    # The items they were disqualified from (inhabil): their approval does not cover them.
    disqualified: list[str] = field(default_factory=list)


@dataclass
class Sheet:
    """The approval page, which replaces the signature sheet: who approved when, who
    remarked, who is missing, and whether the chair closed the approval."""

    meeting: Meeting
    by_participants: bool
    round: int
    circulated_at: datetime.datetime | None
    deadline: datetime.datetime | None
    answers: list[Answer] = field(default_factory=list)
    closed_by: str = ""
    closed_at: datetime.datetime | None = None

    @property
    def approved(self) -> list[Answer]:
        return [a for a in self.answers if a.approved_at]

    @property
    def remarks(self) -> list[Answer]:
        return [a for a in self.answers if a.comment]

    @property
    def missing(self) -> list[Answer]:
        return [a for a in self.answers if a.required and not a.approved_at]

    @property
    def required_count(self) -> int:
        return sum(1 for a in self.answers if a.required)

    @property
    def open(self) -> bool:
        """The round waits for answers."""
        return self.circulated_at is not None and self.meeting.state in OPEN_STATES

    @property
    def past_deadline(self) -> bool:
        return self.deadline is not None and timezone.now() >= self.deadline

    def answer_of(self, person: Person | None) -> Answer | None:
        if person is None:
            return None
        return next((a for a in self.answers if a.person.pk == person.pk), None)


def user_label(user) -> str:
    """A user as the pages name them: their person's name, their full name or login."""
    if user is None:
        return ""
    person = person_of(user)
    if person is not None:
        return person.name
    return user.get_full_name() or user.get_username()


def sheet(meeting: Meeting) -> Sheet:
    """The current round's answers of the participants (a handful of queries, however many)."""
    result = Sheet(
        meeting=meeting,
        by_participants=services.by_participants(meeting),
        round=meeting.approval_round,
        circulated_at=meeting.minutes_circulated_at,
        deadline=deadline(meeting),
        closed_by=user_label(meeting.approval_closed_by) if meeting.approval_closed_at else "",
        closed_at=meeting.approval_closed_at,
    )
    if not result.by_participants or not meeting.approval_round:
        return result
    disqualified: dict[int, list[str]] = {}
    for person_id, title in (
        ItemAbsence.objects.filter(item__meeting_id=meeting.pk, kind=ItemAbsenceKind.CONFLICT)
        .order_by("item__position", "item_id")
        .values_list("person_id", "item__title")
    ):
        disqualified.setdefault(person_id, []).append(title)
    answers = {
        a.person_id: a
        for a in MinutesApproval.objects.filter(
            meeting_id=meeting.pk, round=meeting.approval_round
        ).select_related("person")
    }
    for person in services.approvers(meeting):
        given = answers.pop(person.pk, None)
        result.answers.append(
            Answer(
                person,
                approved_at=given.approved_at if given else None,
                comment=given.comment if given else "",
                commented_at=given.commented_at if given else None,
                disqualified=disqualified.get(person.pk, []),
            )
        )
    # Those who answered but are no longer needed (their attendance was changed since).
    for given in answers.values():
        result.answers.append(
            Answer(
                given.person,
                approved_at=given.approved_at,
                comment=given.comment,
                commented_at=given.commented_at,
                required=False,
            )
        )
    return result
