"""The meeting as it really runs (seed 004): who does not take part in an item (away for it,
“Borgmesteren deltager ikke”, or disqualified by a conflict of interest, inhabil), a
substitute (stedfortræder) for a member for one meeting, and a participant's dissent or
addition to the minutes of an item (protokoltilførsel). Guests invited versus present follow
from the item's guests and the meeting's attendance (`meetings.documents.guests_line`).

All of it belongs to the minutes: it is written while the minutes are open (not approved and
not out for the participants' approval). Every write runs in one transaction and refuses
with a Danish `ValidationError` before it writes anything.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.auth import person_of
from core.collation import danish_key
from core.permissions import has_perm
from meetings import services
from meetings.models import (
    AddendumKind,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ItemAbsence,
    ItemAbsenceKind,
    Meeting,
    MeetingState,
    MinutesAddendum,
)
from organisation.models import Membership, Person


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _open(meeting: Meeting) -> Meeting:
    """The meeting, locked, when its minutes may still change; a ValidationError otherwise."""
    meeting = Meeting.within(meeting).select_for_update().select_related("body").get(pk=meeting.pk)
    _require(meeting.state != MeetingState.MINUTES_APPROVED, str(services.MINUTES_LOCKED))
    _require(meeting.minutes_circulated_at is None, str(services.MINUTES_CIRCULATED))
    return meeting


def present(meeting: Meeting) -> list[Person]:
    """The people recorded as present at the meeting, by name (one query)."""
    return sorted(
        Person.objects.filter(
            attendance__meeting_id=meeting.pk, attendance__status=AttendanceStatus.PRESENT
        ).distinct(),
        key=lambda person: danish_key(person.name),
    )


# --- Who does not take part in an item ----------------------------------------------------------


@transaction.atomic
def record_item_absences(
    item: AgendaItem, user, entries: Iterable[tuple[Person, str, str]]
) -> None:
    """Who of those present does not take part in the item: (person, kind or "" for taking
    part, note) for each; all or nothing. Only people present at the meeting, once it is
    held, while its minutes are open."""
    meeting = _open(item.meeting)
    _require(
        has_perm(user, "meetings.edit", meeting),
        _("Only the secretary of the body or an administrator can record the attendance."),
    )
    _require(
        meeting.state in {MeetingState.HELD, MeetingState.MINUTES_DRAFT},
        _("Who took part in an item is recorded once the meeting is held."),
    )
    here = {person.pk for person in present(meeting)}
    wanted = {}
    for person, kind, note in entries:
        if not kind:
            continue
        _require(
            person.pk in here,
            _("%(name)s is not recorded as present at the meeting.") % {"name": person.name},
        )
        _require(kind in ItemAbsenceKind.values, _("Choose whether the participant takes part."))
        wanted[person.pk] = (person, kind, (note or "").strip())
    ItemAbsence.within(item).filter(item=item).exclude(person_id__in=wanted).delete()
    for person, kind, note in wanted.values():
        ItemAbsence.within(item).update_or_create(
            item=item,
            person=person,
            defaults={"kind": kind, "note": note, "municipality_id": item.municipality_id},
        )


def disqualified_items(user, meeting: Meeting) -> set[int]:
    """The items of the meeting whose closed content the user may not see: they are
    disqualified from them (a conflict of interest). One query, none without a person."""
    person = person_of(user)
    if person is None:
        return set()
    return set(
        ItemAbsence.objects.filter(
            item__meeting_id=meeting.pk, person_id=person.pk, kind=ItemAbsenceKind.CONFLICT
        ).values_list("item_id", flat=True)
    )


# --- Substitutes ---------------------------------------------------------------------------------


@transaction.atomic
def record_substitute(meeting: Meeting, user, member: Person, substitute: Person) -> Attendance:
    """`substitute` stands in for `member` of the body at this meeting: the member is
    recorded as having sent apologies, the substitute as present for them (and approves the
    minutes in their place). Refused for a member of another body (not the chair or a member
    of this body on the meeting's date), for someone already a member, or twice."""
    meeting = _open(meeting)
    _require(
        has_perm(user, "meetings.edit", meeting),
        _("Only the secretary of the body or an administrator can record the attendance."),
    )
    members = Membership.objects.current(meeting.date).filter(body_id=meeting.body_id)
    _require(
        members.filter(person_id=member.pk, role__in=services.APPROVING_ROLES).exists(),
        _(
            "%(name)s is not a member of %(body)s on the meeting's date: a substitute stands "
            "in for a member of the body."
        )
        % {"name": member.name, "body": meeting.body.name},
    )
    _require(
        substitute.pk != member.pk and not members.filter(person_id=substitute.pk).exists(),
        _("%(name)s is a member of the body and cannot be a substitute in it.")
        % {"name": substitute.name},
    )
    _require(
        not Attendance.within(meeting)
        .filter(meeting=meeting, substitute_for=member)
        .exclude(person=substitute)
        .exists(),
        _("%(name)s already has a substitute at this meeting.") % {"name": member.name},
    )
    _require(
        not Attendance.within(meeting)
        .filter(meeting=meeting, person=substitute, substitute_for__isnull=False)
        .exclude(substitute_for=member)
        .exists(),
        _("%(name)s is already a substitute for another member at this meeting.")
        % {"name": substitute.name},
    )
    Attendance.within(meeting).update_or_create(
        meeting=meeting,
        person=member,
        defaults={
            "status": AttendanceStatus.EXCUSED,
            "municipality_id": meeting.municipality_id,
        },
    )
    attendance, _created = Attendance.within(meeting).update_or_create(
        meeting=meeting,
        person=substitute,
        defaults={
            "status": AttendanceStatus.PRESENT,
            "substitute_for": member,
            "municipality_id": meeting.municipality_id,
        },
    )
    return attendance


# --- Dissents and additions ----------------------------------------------------------------------


@transaction.atomic
def add_addendum(item: AgendaItem, user, kind: str, text: str) -> MinutesAddendum:
    """A participant's dissent or addition to the minutes of an item, in their own words:
    only one who took part in the item (present as chair, member or substitute, not away
    from it or disqualified), once the meeting is held, while the minutes are open."""
    meeting = _open(item.meeting)
    _require(
        meeting.state in {MeetingState.HELD, MeetingState.MINUTES_DRAFT},
        _("A dissent or an addition is written once the meeting is held."),
    )
    person = person_of(user)
    _require(
        person is not None and any(p.pk == person.pk for p in services.approvers(meeting)),
        _(
            "Only the chair and the members of the body who were present at the meeting can "
            "add to its minutes, and you are not recorded as present."
        ),
    )
    _require(
        not ItemAbsence.within(item).filter(item=item, person=person).exists(),
        _("You did not take part in this item, so you cannot add to its minutes."),
    )
    _require(kind in AddendumKind.values, _("Choose a dissent or an addition."))
    text = (text or "").strip()
    _require(bool(text), _("Write the dissent or the addition."))
    return MinutesAddendum.objects.create(
        municipality_id=item.municipality_id,
        item=item,
        person=person,
        kind=kind,
        text=text,
        created_at=timezone.now(),
    )
