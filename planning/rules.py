"""Who may run planning: the action plans, the annual wheel, proposals and the health check.

- Administrators and secretaries run planning (`planning.change`): the action plan (scores,
  capacity, its states), the annual wheel and the assessment of proposals.
- An entry's responsible person records its progress during the year (`planning.follow`).
- Everyone who takes part reports a need or an idea (`planning.submit_proposal`); its author
  edits it while it is new (`planning.edit_proposal`).
"""

import rules

from core.permissions import is_writer, same_municipality, takes_part
from planning.models import ProposalStatus
from portfolio.rules import person_id


@rules.predicate
def responsible_for(user, entry) -> bool:
    pid = person_id(user)
    return pid is not None and pid == entry.responsible_id


@rules.predicate
def new_and_own(user, proposal) -> bool:
    return proposal.created_by_id == user.pk and proposal.status == ProposalStatus.NEW


# Run the action plans, the annual wheel and the assessment of proposals.
rules.add_perm("planning.change", is_writer)
# About a plan entry: record its progress.
rules.add_perm("planning.follow", same_municipality & (is_writer | responsible_for))
# Report a need or an idea: everyone who takes part, not read-only users.
rules.add_perm("planning.submit_proposal", takes_part)
# Set a proposal's status and turn it into a project.
rules.add_perm("planning.assess_proposal", is_writer)
# About a proposal: those who run planning; its author while it is new.
rules.add_perm(
    "planning.edit_proposal", same_municipality & (is_writer | (new_and_own & takes_part))
)
