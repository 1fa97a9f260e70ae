"""Who may see and change the portfolio: the named permissions of the app and their predicates.

- Everyone in the municipality reads the portfolio: projects, status reports, risks and
  benefits (the seeds make the portfolio a shared overview, not a closed matter).
- Administrators and secretaries (`portfolio.change`) run it: they create and import
  projects, edit every project and keep the portfolio's own risks.
- A project's leader and owner keep their own project (`portfolio.edit_project`): its card,
  status reports, risks, benefits and measurements, whatever their role.
"""

import rules
from django.db.models import Q

from core.permissions import is_writer, same_municipality

_CACHE = "_digistyr_person_id"


def person_id(user) -> int | None:
    """The id of the user's person in their municipality, asked once per request (also for
    API token users, whose person the authentication did not load)."""
    if not user or not user.is_authenticated or user.municipality_id is None:
        return None
    if not hasattr(user, _CACHE):
        from organisation.models import Person

        found = Person.within(user).filter(user_id=user.pk).values_list("pk", flat=True).first()
        setattr(user, _CACHE, found)
    return getattr(user, _CACHE)


@rules.predicate
def leads(user, project) -> bool:
    """The project's leader or owner."""
    pid = person_id(user)
    return pid is not None and pid in (project.leader_id, project.owner_id)


@rules.predicate
def leads_a_project(user) -> bool:
    """The leader or owner of at least one project of the municipality (one query, asked
    only of those who do not run the portfolio)."""
    pid = person_id(user)
    if pid is None:
        return False
    from portfolio.models import Project

    return Project.objects.filter(Q(leader_id=pid) | Q(owner_id=pid)).exists()


@rules.predicate
def keeps_project(user, project) -> bool:
    return bool(same_municipality(user, project) and (is_writer(user) or leads(user, project)))


@rules.predicate
def keeps_reports_project(user, report) -> bool:
    return keeps_project(user, report.project)


@rules.predicate
def keeps_risk(user, risk) -> bool:
    """A project's risk: the project's keepers; a risk of the whole portfolio: its runners."""
    if risk.project_id is None:
        return bool(is_writer(user) and same_municipality(user, risk))
    return keeps_project(user, risk.project)


# Create and import projects, edit every project, keep the portfolio's own risks.
rules.add_perm("portfolio.change", is_writer)
# About a project: its card, status reports, risks, benefits and measurements.
rules.add_perm("portfolio.edit_project", keeps_project)
# About a risk.
rules.add_perm("portfolio.edit_risk", keeps_risk)
# About a status report: escalate its barriers to a body (the project's keepers).
rules.add_perm("portfolio.escalate_report", keeps_reports_project)
# About a status report: change or delete it. Nobody: a filed report is a record (the API
# answers 405 before it asks).
rules.add_perm("portfolio.change_report", rules.always_deny)
# Without an object: does the user keep some project? A write that names no project (or one
# that is not found) then hears what is missing (400); anybody else is refused (403).
rules.add_perm("portfolio.keep_a_project", is_writer | leads_a_project)
