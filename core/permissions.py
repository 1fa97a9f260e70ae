"""One place that says which role may do what. Views and the API both ask here."""

from django.core.exceptions import PermissionDenied
from rest_framework import permissions

from core.models import Role

ALL_ROLES = frozenset(Role.values)

# permission name -> roles that hold it
PERMISSIONS: dict[str, frozenset[str]] = {
    "view": ALL_ROLES,
    "organisation.change": frozenset({Role.ADMINISTRATOR, Role.SECRETARY}),
    "users.manage": frozenset({Role.ADMINISTRATOR}),
    # Build agendas and write minutes; also needs membership of the body (meetings.access).
    "meetings.change": frozenset({Role.ADMINISTRATOR, Role.SECRETARY}),
    # Create and edit cases (sager) and their routes.
    "cases.change": frozenset({Role.ADMINISTRATOR, Role.SECRETARY}),
    # Run the portfolio: create and import projects, edit every project, portfolio risks.
    # A project's own leader and owner edit that project whatever their role
    # (portfolio.access).
    "portfolio.change": frozenset({Role.ADMINISTRATOR, Role.SECRETARY}),
    # Keep the strategies and their goals.
    "strategy.change": frozenset({Role.ADMINISTRATOR, Role.SECRETARY}),
    # Run planning: the annual action plan (scores, capacity, its states), the annual wheel,
    # and the assessment of proposals (status, turning one into a project).
    "planning.change": frozenset({Role.ADMINISTRATOR, Role.SECRETARY}),
    # Report a need or an idea (a proposal): everyone who takes part, not read-only users.
    "proposals.submit": frozenset(
        {Role.ADMINISTRATOR, Role.SECRETARY, Role.MEMBER, Role.PROJECT_LEADER}
    ),
}


def has_perm(user, perm: str) -> bool:
    """True when the user's role in their municipality grants `perm`."""
    if not user or not user.is_authenticated or user.municipality_id is None:
        return False
    return user.role in PERMISSIONS[perm]


def require_perm(request, perm: str) -> None:
    """Raise 403 unless the user may `perm`. Call it after looking the object up (404 first)."""
    if not has_perm(request.user, perm):
        raise PermissionDenied


class RolePermission(permissions.BasePermission):
    """Reads need a user of a municipality; writes need the view's `change_permission`."""

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated or user.municipality_id is None:
            return False
        if request.method in permissions.SAFE_METHODS:
            return has_perm(user, "view")
        perm = getattr(view, "change_permission", None)
        return bool(perm) and has_perm(user, perm)
