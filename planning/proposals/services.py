"""Proposals: their status, and turning one into a project. Who may do what with them is
named in planning/rules.py:

- Everyone who takes part reports a need or an idea (`planning.submit_proposal`: not
  read-only users).
- Those who run planning edit every proposal (`planning.edit_proposal`), assess it
  (`planning.assess_proposal`: its status, with a note; a rejection needs the reason) and
  turn it into a project. Its creator may edit it while it is new.
- "Make a project" creates the project (phase idea; name, purpose and owning unit from the
  proposal) and links it to the proposal in one transaction; a proposal becomes a project
  once. A proposal that became a project keeps that status.

Every function that writes runs in one transaction and raises `ValidationError` with a
message for the user when the change is not allowed, so nothing is ever partly written. The
pages and the API save proposals with the same functions: `save_proposal` (reporting,
editing and assessing one), `set_status` and `make_project`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import current_municipality_id
from planning.models import Proposal, ProposalStatus
from portfolio.models import Phase, Project

# The most hours a proposal is estimated at (the form and the API).
MAX_HOURS = 1_000_000
# The statuses a user sets by hand: "became a project" is set by making the project.
MANUAL_STATUSES = [
    (value, label) for value, label in ProposalStatus.choices if value != ProposalStatus.PROJECT
]


def check_status(proposal: Proposal, status: str) -> None:
    """May the proposal move to `status` by hand?"""
    if status == proposal.status:
        return
    if proposal.status == ProposalStatus.PROJECT or proposal.project_id:
        raise ValidationError(
            {"status": _("The proposal became a project; its status no longer changes.")}
        )
    if status == ProposalStatus.PROJECT:
        raise ValidationError({"status": _("A proposal becomes a project with “Make a project”.")})


@transaction.atomic
def save_proposal(proposal: Proposal) -> Proposal:
    """Report a proposal, or save the changes to one. A status changed by hand is checked
    against the one saved (`check_status`); the model's rules say the rest (a rejection needs
    the reason)."""
    if proposal.pk is None:
        saved = Proposal()
        if proposal.municipality_id is None:
            proposal.municipality_id = current_municipality_id()
    else:
        saved = Proposal.objects.select_for_update().get(pk=proposal.pk)
    check_status(saved, proposal.status)
    proposal.full_clean()
    proposal.save()
    return proposal


def set_status(proposal: Proposal, status: str, note: str) -> Proposal:
    """Assess the proposal: its new status and a note (the reason, for a rejection)."""
    proposal.status = status
    proposal.status_note = note
    return save_proposal(proposal)


def make_project(proposal: Proposal, *, category: str, name: str = "") -> Project:
    """Create the project the proposal becomes (phase idea; its name, purpose and owning unit
    from the proposal) and link the two, in one transaction."""
    with transaction.atomic():
        # Only the proposal's own row is locked (PostgreSQL refuses FOR UPDATE on the
        # nullable side of an outer join, which select_related("project") would add).
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.project_id or locked.status == ProposalStatus.PROJECT:
            raise ValidationError(
                _(
                    "The proposal already became the project “%(project)s”; it is not made "
                    "into a project again."
                )
                % {"project": locked.project.name if locked.project else "–"}
            )
        if locked.status == ProposalStatus.REJECTED:
            raise ValidationError(
                _("The proposal was rejected. Change its status before making it a project.")
            )
        project = Project(
            municipality_id=locked.municipality_id,
            name=(name or locked.title).strip(),
            category=category,
            phase=Phase.IDEA,
            purpose=locked.description,
            owning_unit=locked.unit,
        )
        project.full_clean()
        project.save()
        locked.project = project
        locked.status = ProposalStatus.PROJECT
        locked.full_clean()
        locked.save()
    proposal.refresh_from_db()
    return project
