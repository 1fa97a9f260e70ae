"""Who may see and do what with meetings. Views, documents, feeds and the API all ask here.

- Everyone in the municipality reads the open parts of a meeting once its agenda is sent,
  and its decisions once the minutes are approved.
- Members of the body (a membership current today, any role) and administrators also read
  closed items and attachments, and drafts.
- Users with the `meetings.change` permission (administrators and secretaries) who are members
  of the body build agendas and write minutes; administrators may do so for every body.
- Only the chair of the body (a current chair membership) or an administrator approves the
  agenda and the minutes.

The body ids are computed once per request and cached on the user object, so a page asks
the database once however many meetings it shows.
"""

from django.db.models import Q
from django.utils import timezone

from core.models import Role
from core.permissions import has_perm
from meetings.models import AGENDA_PUBLISHED, FollowUp, Meeting, MeetingState
from organisation.models import Membership, MembershipRole, Person

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


def is_admin(user) -> bool:
    return bool(
        user and user.is_authenticated and user.municipality_id and user.role == Role.ADMINISTRATOR
    )


def member_body_ids(user) -> set[int]:
    return set(_memberships(user))


def sees_closed(user, body_id: int) -> bool:
    """May the user read the closed items and attachments of the body's meetings?"""
    return is_admin(user) or body_id in _memberships(user)


def can_edit(user, body_id: int) -> bool:
    """May the user plan the body's meetings, build agendas and write minutes?"""
    if is_admin(user):
        return True
    return has_perm(user, "meetings.change") and body_id in _memberships(user)


def can_approve(user, body_id: int) -> bool:
    """Only the chair (or an administrator) approves agendas and minutes."""
    return is_admin(user) or MembershipRole.CHAIR in _memberships(user).get(body_id, set())


def sees_agenda(user, meeting: Meeting) -> bool:
    """The agenda is public in the municipality once sent; before that, for members only."""
    return meeting.state in AGENDA_PUBLISHED or sees_closed(user, meeting.body_id)


def sees_decisions(user, meeting: Meeting) -> bool:
    """Decisions are public once the minutes are approved; drafts are for members only."""
    return meeting.state == MeetingState.MINUTES_APPROVED or sees_closed(user, meeting.body_id)


def open_or_member(user, prefix: str = "") -> Q:
    """Items (or rows with `prefix` leading to an item) the user may read in full."""
    if is_admin(user):
        return Q()
    return Q(**{f"{prefix}closed": False}) | Q(
        **{f"{prefix}meeting__body_id__in": member_body_ids(user)}
    )


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


# --- Follow-ups ---------------------------------------------------------------------------------


def follow_ups_for(user):
    """Follow-ups the user may read: open ones, closed ones for members of the body, and
    those of decided items only once the decision may be read."""
    follow_ups = FollowUp.objects.select_related(
        "body", "owner", "owner_unit", "item__meeting"
    ).order_by("due_date", "pk")
    if is_admin(user):
        return follow_ups
    members = member_body_ids(user)
    return follow_ups.filter(Q(closed=False) | Q(body_id__in=members)).filter(
        Q(item__isnull=True) | published_decisions(user, prefix="item__meeting__")
    )


def sees_follow_up(user, follow_up: FollowUp) -> bool:
    if is_admin(user):
        return True
    if follow_up.closed and not sees_closed(user, follow_up.body_id):
        return False
    return follow_up.item_id is None or sees_decisions(user, follow_up.item.meeting)


def may_edit_follow_up(user, follow_up: FollowUp, person: Person | None) -> bool:
    """Editors of the body, and the owner of the follow-up themselves."""
    return can_edit(user, follow_up.body_id) or (
        person is not None and follow_up.owner_id == person.pk
    )
