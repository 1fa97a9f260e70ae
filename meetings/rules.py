"""Who may see and do what with meetings, cases and follow-ups: the named permissions of the
app, their predicates, and the same rules as query filters for lists.

- Everyone in the municipality reads the open parts of a meeting once its agenda is sent,
  and its decisions once the minutes are approved.
- Members of the body (a membership current today, any role) and administrators also read
  closed items and attachments, and drafts.
- Administrators and secretaries (`meetings.change`) who are members of the body build
  agendas and write minutes; administrators may do so for every body.
- Only the chair of the body (a current chair membership) or an administrator approves the
  agenda and the minutes; where the body has every participant approve its minutes
  (`Body.minutes_approval`), the members and those recorded as present reach the approval
  (`meetings.answer_minutes`; the service admits the chair and members present only).
- A member disqualified from an item by a conflict of interest (inhabil) does not see its
  closed content (`meetings.see_closed_item`; the meeting page and the documents leave it
  out for them, `meetings.proceedings.services.disqualified_items`).

Object permissions about a body take the body or anything with a `body_id` (a meeting, a
follow-up, a case's step) or a `meeting` (an agenda item, an attendance). The body ids are
computed once per request and cached on the user object, so a page asks the database once
however many meetings it shows.
"""

import rules
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.auth import person_of
from core.permissions import is_administrator, is_writer
from meetings.models import (
    AGENDA_PUBLISHED,
    Attendance,
    AttendanceStatus,
    FollowUp,
    ItemAbsence,
    ItemAbsenceKind,
    MeetingState,
)
from organisation.models import Body, Membership, MembershipRole

_CACHE = "_digistyr_memberships"


def _memberships(user) -> dict[int, set[str]]:
    """{body id: roles} of the user's person's memberships current today."""
    if not user or not user.is_authenticated or user.municipality_id is None:
        return {}
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = {}
        rows = (
            Membership.objects.current(timezone.localdate())
            .filter(person__user_id=user.pk, municipality_id=user.municipality_id)
            .values_list("body_id", "role")
        )
        for body_id, role in rows:
            cached.setdefault(body_id, set()).add(role)
        setattr(user, _CACHE, cached)
    return cached


def remember_memberships(user, memberships: dict[int, set[str]]) -> None:
    """Give `user` the {body id: roles} the rules would ask the database for, read for many
    users at once (the reminders' pass): the checks that follow ask nothing more."""
    setattr(user, _CACHE, memberships)


def _body_id(obj) -> int:
    """The body an object belongs to: a body itself, anything with a `body_id` (a meeting,
    a follow-up, a case's step), or a row of a meeting (an agenda item, an attendance)."""
    if isinstance(obj, Body):
        return obj.pk
    if hasattr(obj, "body_id"):
        return obj.body_id
    return obj.meeting.body_id


def member_body_ids(user) -> set[int]:
    return set(_memberships(user))


# --- Predicates ---------------------------------------------------------------------------------


@rules.predicate
def is_member(user, obj) -> bool:
    """A current member (any role) of the body of `obj`."""
    return _body_id(obj) in _memberships(user)


@rules.predicate
def is_chair(user, obj) -> bool:
    """The current chair of the body of `obj`."""
    return MembershipRole.CHAIR in _memberships(user).get(_body_id(obj), set())


_PRESENT = "_digistyr_present_at"


@rules.predicate
def is_present(user, meeting) -> bool:
    """Recorded as present at `meeting` (or the meeting of an agenda item), asked once per
    meeting and request."""
    person = person_of(user)
    if person is None:
        return False
    cached = getattr(user, _PRESENT, None)
    if cached is None:
        cached = {}
        setattr(user, _PRESENT, cached)
    meeting = getattr(meeting, "meeting", meeting)  # an agenda item: its meeting
    if meeting.pk not in cached:
        cached[meeting.pk] = Attendance.objects.filter(
            meeting_id=meeting.pk, person_id=person.pk, status=AttendanceStatus.PRESENT
        ).exists()
    return cached[meeting.pk]


@rules.predicate
def is_disqualified(user, item) -> bool:
    """Disqualified from the agenda item by a conflict of interest (inhabil)."""
    person = person_of(user)
    return person is not None and (
        ItemAbsence.objects.filter(
            item_id=item.pk, person_id=person.pk, kind=ItemAbsenceKind.CONFLICT
        ).exists()
    )


@rules.predicate
def is_member_of_a_body(user) -> bool:
    return bool(_memberships(user))


@rules.predicate
def agenda_sent(user, meeting) -> bool:
    return meeting.state in AGENDA_PUBLISHED


@rules.predicate
def minutes_approved(user, meeting) -> bool:
    return meeting.state == MeetingState.MINUTES_APPROVED


@rules.predicate
def follow_up_open(user, follow_up) -> bool:
    return not follow_up.closed


@rules.predicate
def of_no_item(user, follow_up) -> bool:
    return follow_up.item_id is None


@rules.predicate
def decisions_readable(user, follow_up) -> bool:
    """The decision the follow-up comes from may be read."""
    return sees_decisions(user, follow_up.item.meeting)


@rules.predicate
def owns_follow_up(user, follow_up) -> bool:
    person = person_of(user)
    return person is not None and follow_up.owner_id == person.pk


@rules.predicate
def case_open(user, case) -> bool:
    return not case.closed


@rules.predicate
def member_on_route(user, case) -> bool:
    """A member of a body on the case's route (its steps, prefetched by the caller)."""
    return any(_body_id(step) in _memberships(user) for step in case.steps.all())


sees_closed = is_administrator | is_member
can_edit = is_administrator | (is_writer & is_member)
can_approve = is_administrator | is_chair
sees_agenda = agenda_sent | sees_closed
sees_decisions = minutes_approved | sees_closed


# --- The named permissions ----------------------------------------------------------------------

# The role permission: administrators and secretaries plan meetings, build agendas and write
# minutes (of the bodies they are members of: `meetings.edit`).
rules.add_perm("meetings.change", is_writer)
# Plan new meetings: for some body (administrators, or writers who are members of a body).
rules.add_perm("meetings.plan", is_administrator | (is_writer & is_member_of_a_body))
# About a body (or its meeting, follow-up, case step):
rules.add_perm("meetings.see_closed", sees_closed)  # closed items, attachments and drafts
# About an agenda item: its closed content, not for a member disqualified from it (inhabil).
rules.add_perm("meetings.see_closed_item", sees_closed & ~is_disqualified)
rules.add_perm("meetings.edit", can_edit)  # plan its meetings, build agendas, write minutes
rules.add_perm("meetings.approve", can_approve)  # approve agendas and minutes: the chair
# About a meeting:
rules.add_perm("meetings.see_agenda", sees_agenda)
rules.add_perm("meetings.see_decisions", sees_decisions)
# Approval of the minutes by every participant (meetings.approvals): the approval page (who
# approved when, who remarked, who is missing) is read by those who read the decisions; the
# remarks themselves only by those who see closed items (the body's members, the secretary).
# Approving or remarking is for those at the meeting: the members of the body and those
# recorded as present (the service refuses anyone the meeting did not have present as a
# chair or member); administrators reach the pages.
rules.add_perm("meetings.see_approvals", sees_decisions)
rules.add_perm("meetings.answer_minutes", is_administrator | is_member | is_present)
# About a follow-up:
rules.add_perm(
    "meetings.see_follow_up",
    is_administrator | ((follow_up_open | is_member) & (of_no_item | decisions_readable)),
)
rules.add_perm("meetings.edit_follow_up", can_edit | owns_follow_up)
# Cases (sager) and their routes.
rules.add_perm("meetings.change_cases", is_writer)
# About a case: a closed case is described only to members of a body on its route.
rules.add_perm("meetings.see_case_description", case_open | is_administrator | member_on_route)


# --- The same rules as query filters ------------------------------------------------------------


def is_admin(user) -> bool:
    return bool(is_administrator(user))


def open_or_member(user, prefix: str = "") -> Q:
    """Items (or rows with `prefix` leading to an item) the user may read in full: open
    ones, and closed ones of the bodies they are members of, except those they are
    disqualified from (a conflict of interest, `meetings.see_closed_item`)."""
    if is_admin(user):
        return Q()
    members = Q(**{f"{prefix}meeting__body_id__in": member_body_ids(user)})
    if user.pk is not None:
        disqualified = ItemAbsence.objects.filter(
            item_id=OuterRef(f"{prefix}pk"), person__user_id=user.pk, kind=ItemAbsenceKind.CONFLICT
        )
        members &= ~Q(Exists(disqualified))
    return Q(**{f"{prefix}closed": False}) | members


def published_decisions(user, prefix: str = "") -> Q:
    """Meetings (via `prefix`) whose decisions the user may read."""
    if is_admin(user):
        return Q()
    return Q(**{f"{prefix}state": MeetingState.MINUTES_APPROVED}) | Q(
        **{f"{prefix}body_id__in": member_body_ids(user)}
    )


def published_agendas(user, prefix: str = "") -> Q:
    """Meetings (via `prefix`) whose agenda the user may read."""
    if is_admin(user):
        return Q()
    return Q(**{f"{prefix}state__in": list(AGENDA_PUBLISHED)}) | Q(
        **{f"{prefix}body_id__in": member_body_ids(user)}
    )


def follow_ups_for(user):
    """Follow-ups the user may read (`meetings.see_follow_up` in SQL): open ones, closed ones
    for members of the body, and those of decided items only once the decision may be read."""
    follow_ups = FollowUp.objects.select_related(
        "body", "owner", "owner_unit", "item__meeting"
    ).order_by("due_date", "pk")
    if is_admin(user):
        return follow_ups
    members = member_body_ids(user)
    return follow_ups.filter(Q(closed=False) | Q(body_id__in=members)).filter(
        Q(item__isnull=True) | published_decisions(user, prefix="item__meeting__")
    )
