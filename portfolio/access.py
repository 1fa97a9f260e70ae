"""Who may see and change the portfolio. Views, documents and the API all ask here.

- Everyone in the municipality reads the portfolio: projects, status reports, risks and
  benefits (the seeds make the portfolio a shared overview, not a closed matter).
- Users with `portfolio.change` (administrators and secretaries) run it: they create and
  import projects, edit every project and keep the portfolio's own risks.
- A project's leader and owner keep their own project: its card, status reports, risks,
  benefits and measurements, whatever their role.
- A benefit's responsible leader records its measurements.
"""

from core.permissions import has_perm

_CACHE = "_digistyr_person_id"


def person_id(user) -> int | None:
    """The id of the user's person in their municipality, asked once per request."""
    if not user or not user.is_authenticated or user.municipality_id is None:
        return None
    if not hasattr(user, _CACHE):
        from organisation.models import Person

        found = (
            Person._base_manager.filter(user_id=user.pk, municipality_id=user.municipality_id)
            .values_list("pk", flat=True)
            .first()
        )
        setattr(user, _CACHE, found)
    return getattr(user, _CACHE)


def can_manage(user) -> bool:
    """May the user create and import projects, and change every project?"""
    return has_perm(user, "portfolio.change")


def leads(user, project) -> bool:
    pid = person_id(user)
    return pid is not None and pid in (project.leader_id, project.owner_id)


def can_edit_project(user, project) -> bool:
    """May the user keep the project: card, reports, risks, benefits, measurements?"""
    if not user or not user.is_authenticated or user.municipality_id != project.municipality_id:
        return False
    return can_manage(user) or leads(user, project)


def can_edit_risk(user, risk) -> bool:
    if risk.project_id is None:
        return can_manage(user) and user.municipality_id == risk.municipality_id
    return can_edit_project(user, risk.project)


def can_measure(user, benefit) -> bool:
    """The project's keepers and the benefit's responsible leader record measurements."""
    if can_edit_project(user, benefit.project):
        return True
    pid = person_id(user)
    return (
        pid is not None
        and pid == benefit.responsible_id
        and (user.municipality_id == benefit.municipality_id)
    )
