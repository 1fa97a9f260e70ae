"""The one permission path: named permissions with object predicates, by the `rules` package.

Every rule about who may do what is a named permission, declared once in the `rules.py` of
the app it belongs to (`rules.add_perm("meetings.approve", is_administrator | chairs_body)`);
the role predicates below are the bricks they are built of. Everything asks by name:

- a page view declares what it needs with `@permission_required(name)`, or with
  `@permission_required(name, lookup)` for an object of the URL: the lookup finds it (404),
  the permission is asked about it (403) and the view gets the object;
- an API viewset lists its names in `permissions` and uses `RulesPermission` (the default
  permission class): reads, writes and object writes each ask their name;
- code that shows or hides a button asks `has_perm(user, name, obj)`.

The permission matrix (`tests/test_permissions.py`) checks each URL against the name its view
declares. `rules.has_perm` asks the permission set directly, not `user.has_perm` through the
authentication backends, so a page asks the database nothing more than its predicates do.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions as drf

from core.models import Role

# --- Predicates of the user's role ------------------------------------------------------------


@rules.predicate
def in_municipality(user) -> bool:
    """A logged-in user of a municipality (every role)."""
    return bool(user and user.is_authenticated and user.municipality_id is not None)


def has_role(*roles: str) -> rules.Predicate:
    """A user of a municipality whose role is one of `roles`."""
    allowed = frozenset(roles)
    name = "has_role:" + ",".join(sorted(allowed))
    return rules.Predicate(
        lambda user: bool(in_municipality(user) and user.role in allowed), name=name
    )


is_administrator = has_role(Role.ADMINISTRATOR)
# Administrators and secretaries run the municipality's governance: they change what the
# other roles read.
is_writer = has_role(Role.ADMINISTRATOR, Role.SECRETARY)
# Everyone who takes part: every role but the read-only one.
takes_part = has_role(Role.ADMINISTRATOR, Role.SECRETARY, Role.MEMBER, Role.PROJECT_LEADER)


@rules.predicate
def same_municipality(user, obj) -> bool:
    """The object belongs to the user's municipality (objects are found in the user's scope;
    this guards what a predicate is handed from elsewhere)."""
    return in_municipality(user) and getattr(obj, "municipality_id", None) == user.municipality_id


# --- Asking -----------------------------------------------------------------------------------


def has_perm(user, perm: str, obj: Any = None) -> bool:
    """May `user` do `perm` (to `obj`)? An unknown name raises KeyError: a typo must not
    answer "no" quietly."""
    if not rules.perm_exists(perm):
        raise KeyError(f"No permission named {perm!r}: declare it in the app's rules.py")
    return rules.has_perm(perm, user, obj)


# What a refused user is told on the 403 page (templates/403.html): the right the page needs,
# per permission name. A name missing here gets the general text.
REFUSALS = {
    "core.logged_in": _("You must be logged in."),
    "core.view": _("Only the users of the municipality can see this page."),
    "core.manage_users": _("Only an administrator can manage users."),
    "core.manage_municipality": _("Only an administrator can change the municipality's details."),
    "core.see_audit_log": _("Only an administrator can see the security log."),
    "core.see_job": _("Only the person who started the job can follow it."),
    "core.see_operations": _("Only an administrator can see the failed jobs and the mail sent."),
    "reminders.change_own_settings": _("Only a user of a municipality can choose reminders."),
    "organisation.change": _(
        "Only an administrator or a secretary can change the organisation, its bodies and people."
    ),
    "meetings.change": _("Only an administrator or a secretary can change meetings."),
    "meetings.plan": _(
        "Only an administrator, or a secretary who is a member of a body, can plan meetings."
    ),
    "meetings.see_closed": _(
        "Only the members of the body and administrators can see its closed items and drafts."
    ),
    "meetings.see_approvals": _(
        "Only the members of the body, its secretary and administrators can see the approval "
        "of the minutes."
    ),
    "meetings.answer_minutes": _(
        "Only a participant of the meeting can approve the minutes or remark on them, once "
        "they are sent for approval."
    ),
    "notes.own": _("Only the author can see or change a private note."),
    "meetings.edit": _(
        "Only the body's secretary or an administrator can plan its meetings, build the agenda "
        "and write the minutes."
    ),
    "meetings.approve": _("Only the chair of the body can approve the agenda and the minutes."),
    "meetings.see_agenda": _("The agenda of this meeting is not published yet."),
    "meetings.see_decisions": _("The minutes of this meeting are not approved yet."),
    "meetings.see_follow_up": _("Only the members of the body can see this follow-up."),
    "meetings.edit_follow_up": _(
        "Only the follow-up's owner, the body's secretary or an administrator can change it."
    ),
    "meetings.change_cases": _("Only an administrator or a secretary can change cases."),
    "meetings.see_case_description": _(
        "Only the members of a body on the case's route can read this closed case."
    ),
    "strategy.change": _("Only an administrator or a secretary can change strategies."),
    "systems.import_kle": _("Only an administrator can import the KLE numbers."),
    "systems.change": _(
        "Only administrators, secretaries, the data protection officer and the IT security "
        "group can keep the register of IT systems."
    ),
    "portfolio.change": _("Only an administrator or a secretary can change the portfolio."),
    "portfolio.edit_project": _(
        "Only the project leader, a secretary or an administrator can change this project."
    ),
    "portfolio.edit_risk": _(
        "Only the project leader, a secretary or an administrator can change this risk."
    ),
    "portfolio.escalate_report": _(
        "Only the project leader, a secretary or an administrator can escalate this report."
    ),
    "portfolio.change_report": _("A filed status report cannot be changed."),
    "portfolio.keep_a_project": _(
        "Only a project leader, a secretary or an administrator can do this."
    ),
    "benefits.edit": _(
        "Only the project leader, a secretary or an administrator can change the benefits."
    ),
    "benefits.measure": _(
        "Only the person responsible for the benefit, the project leader, a secretary or an "
        "administrator can record measurements."
    ),
    "benefits.measure_a_benefit": _(
        "Only the person responsible for a benefit, a project leader, a secretary or an "
        "administrator can record measurements."
    ),
    "planning.change": _("Only an administrator or a secretary can change the action plans."),
    "planning.follow": _(
        "Only the person responsible for the entry, a secretary or an administrator can record "
        "its progress."
    ),
    "systems.change_breach": _(
        "Only the data protection officer, the IT security group and administrators can record "
        "and change breaches."
    ),
    "systems.read_breach": _(
        "Only the data protection officer, the IT security group and administrators can read "
        "this breach."
    ),
    "planning.submit_proposal": _("Read-only users cannot submit proposals."),
    "planning.assess_proposal": _("Only an administrator or a secretary can assess proposals."),
    "planning.edit_proposal": _(
        "Only a secretary or an administrator can change this proposal; its author only while "
        "it is new."
    ),
}


def refusal(perm: str) -> str:
    """What the user is told when `perm` refuses them."""
    return str(REFUSALS.get(perm, _("You do not have the right to do this.")))


def permission_required(
    perm: str,
    lookup: Callable[..., Any] | None = None,
    *,
    hide: bool = False,
):
    """Declare the permission a page view needs; refused is 403 (404 with `hide=True`, for
    what the user may not know exists).

    With `lookup`, the URL's keyword arguments that `lookup` takes find the object first
    (a missing one, or one of another municipality, is 404), the permission is asked about
    that object and the view is called with the object in place of those arguments::

        @permission_required("meetings.edit", lookup=meeting_of)   # meeting_of(pk)
        def meeting_edit(request, meeting): ...
    """
    if not rules.perm_exists(perm):
        raise KeyError(f"No permission named {perm!r}: declare it in the app's rules.py")
    taken = _parameters(lookup) if lookup is not None else ()

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            obj = None
            if lookup is not None:
                obj = lookup(**{name: kwargs.pop(name) for name in taken if name in kwargs})
            if not rules.has_perm(perm, request.user, obj):
                if hide:
                    raise Http404
                raise PermissionDenied(refusal(perm))
            if lookup is not None:
                return view(request, obj, *args, **kwargs)
            return view(request, *args, **kwargs)

        wrapped.permission = perm
        return wrapped

    return decorator


def _parameters(function: Callable[..., Any]) -> tuple[str, ...]:
    import inspect

    return tuple(inspect.signature(function).parameters)


def declared_permission(view) -> str | None:
    """The name a page view declared with `permission_required`, or None."""
    return getattr(view, "permission", None)


# --- The API ----------------------------------------------------------------------------------

READ = "read"
WRITE = "write"
OBJECT = "object"


class RulesPermission(drf.BasePermission):
    """The API's one permission class: a viewset names its permissions in `permissions`.

    - `read`: every safe request (default `core.view`);
    - `write`: every other request, before any object is found (default: none, so a
      viewset that names none refuses every write). A viewset whose writes are decided by
      the row alone (a project's keepers need no role) names `core.view` here: every user of
      the municipality gets past the gate, a missing row is 404 and a method the route does
      not have is 405 for them, as for everyone;
    - `object`: a write to an existing row, asked with the row (default: `write`'s);
    - `create`: a new row, in place of `write`;
    - an action's name (`approve_minutes`), for that action in place of the above: on a
      detail route asked with the row once it is found, on a list route without one.

    New rows whose permission depends on what they refer to (the body of a new meeting)
    ask `require(request, name, obj)` with the row referred to, in `perform_create`.
    """

    def _names(self, view) -> dict[str, str]:
        return {READ: "core.view", **getattr(view, "permissions", {})}

    # What a refusal says (`refusal`) and the permission it lacks, which the API's answer
    # names (`core.api.exception_handler`); DRF reads both off the instance of the request.
    message = None
    code = None

    def _asked(self, name: str | None, user, obj: Any = None) -> bool:
        if name and rules.has_perm(name, user, obj):
            return True
        self.message = refusal(name) if name else _("This cannot be changed through the API.")
        self.code = name
        return False

    def has_permission(self, request, view):
        if request.method not in drf.SAFE_METHODS and not getattr(request.auth, "can_write", True):
            # A read-only API key (`core.models.ApiToken`) reads and nothing more.
            self.message = _("This API key may only read.")
            return False
        names = self._names(view)
        action = getattr(view, "action", None)
        if action in names:
            if getattr(view, "detail", False):
                return bool(in_municipality(request.user))  # asked with the row below
            return self._asked(names[action], request.user)
        if request.method in drf.SAFE_METHODS:
            return self._asked(names[READ], request.user)
        return self._asked(names.get(WRITE), request.user)

    def has_object_permission(self, request, view, obj):
        names = self._names(view)
        action = getattr(view, "action", None)
        if action in names:
            return self._asked(names[action], request.user, obj)
        if request.method in drf.SAFE_METHODS:
            return True
        return self._asked(names.get(OBJECT) or names.get(WRITE), request.user, obj)


def require(request, perm: str, obj: Any = None) -> None:
    """For an API write whose permission is about a row it refers to: 403 unless allowed."""
    if not has_perm(request.user, perm, obj):
        from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied

        raise ApiPermissionDenied(refusal(perm), code=perm)
