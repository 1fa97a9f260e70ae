"""Permission-matrix entries of proposals; see tests/test_permissions.py for the kinds.

Everyone in the municipality reads proposals (`core.view`). Reporting one needs
`planning.submit_proposal`: every role except the reader ("submit", "api_submit"). Editing
needs `planning.edit_proposal`, assessing and making a project `planning.assess_proposal`
(administrators and secretaries; the world's proposal has no creator, so nobody else edits
it). `make-project` is a POST-only action. The API's list route names "core.view" for its
writes: every user of the municipality passes the gate before the lookup (a delete is then
405), and a new proposal asks `planning.submit_proposal` itself.
"""


def _proposal(t) -> dict:
    return {"pk": t.proposal.pk}


MATRIX: dict = {
    "planning:proposal_list": ("read", None, lambda t: {}, "core.view"),
    "planning:proposal_create": ("submit", None, lambda t: {}, "planning.submit_proposal"),
    "planning:proposal_detail": ("read", "proposal", _proposal, "core.view"),
    "planning:proposal_edit": ("change", "proposal", _proposal, "planning.edit_proposal"),
    "planning:proposal_status": ("change", "proposal", _proposal, "planning.assess_proposal"),
    "planning:proposal_make_project": ("change", "proposal", _proposal, "planning.assess_proposal"),
    "proposal-list": ("api_submit", None, lambda t: {}, "planning.submit_proposal"),
    "proposal-detail": ("api", "proposal", _proposal, "planning.edit_proposal"),
    "proposal-make-project": ("api_action", "proposal", _proposal, "planning.assess_proposal"),
}
SHOWS_OWN_DATA: set[str] = {
    "planning:proposal_list",
    "planning:proposal_detail",
    "proposal-list",
    "proposal-detail",
}
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
QUERY_PAGES: dict = {
    "proposal_list": lambda t: ("planning:proposal_list", {}),
    "proposal_list_filtered": lambda t: (
        "planning:proposal_list",
        {},
        f"?status=new&kilde=local&enhed={t.unit.pk}",
    ),
    "proposal_detail": lambda t: ("planning:proposal_detail", {"pk": t.proposal.pk}),
    "proposal_edit": lambda t: ("planning:proposal_edit", {"pk": t.proposal.pk}),
    "proposal_make_project": lambda t: ("planning:proposal_make_project", {"pk": t.proposal.pk}),
    "api_proposals": lambda t: ("proposal-list", {}),
}
