"""Who may change benefits: the project's keepers (`portfolio.edit_project`) keep a project's
benefits and their plans; measurements are also recorded by the benefit's responsible leader.
A wrong measurement is deleted by those who run the portfolio (`portfolio.change`)."""

import rules

from core.permissions import is_writer, same_municipality
from portfolio.rules import keeps_project, leads_a_project, person_id


@rules.predicate
def keeps_benefits_project(user, benefit) -> bool:
    return keeps_project(user, benefit.project)


@rules.predicate
def responsible_for(user, benefit) -> bool:
    pid = person_id(user)
    return pid is not None and pid == benefit.responsible_id and same_municipality(user, benefit)


@rules.predicate
def responsible_for_a_benefit(user) -> bool:
    """The responsible leader of at least one benefit of the municipality."""
    pid = person_id(user)
    if pid is None:
        return False
    from benefits.models import Benefit

    return Benefit.objects.filter(responsible_id=pid).exists()


# About a benefit: change or delete it and its plans (its project's keepers).
rules.add_perm("benefits.edit", keeps_benefits_project)
# About a benefit: record its measurements.
rules.add_perm("benefits.measure", keeps_benefits_project | responsible_for)
# Without an object: may the user record a measurement of some benefit? A write that names
# no benefit (or one that is not found) then hears what is missing (400), anybody else 403.
rules.add_perm(
    "benefits.measure_a_benefit", is_writer | leads_a_project | responsible_for_a_benefit
)
