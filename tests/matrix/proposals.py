"""Permission-matrix entries of proposals; see tests/test_permissions.py for the kinds.

Everyone in the municipality reads proposals. Reporting one needs `proposals.submit`: every
role except the reader ("submit", "api_submit"). Editing, assessing and making a project need
`planning.change` (administrators and secretaries; the world's proposal has no creator, so
nobody else edits it). `make-project` is a POST-only action.
"""


def _proposal(t) -> dict:
    return {"pk": t.proposal.pk}


MATRIX: dict = {
    "planning:proposal_list": ("read", None, lambda t: {}),
    "planning:proposal_create": ("submit", None, lambda t: {}),
    "planning:proposal_detail": ("read", "proposal", _proposal),
    "planning:proposal_edit": ("change", "proposal", _proposal),
    "planning:proposal_status": ("change", "proposal", _proposal),
    "planning:proposal_make_project": ("change", "proposal", _proposal),
    "proposal-list": ("api_submit", None, lambda t: {}),
    "proposal-detail": ("api", "proposal", _proposal),
    "proposal-make-project": ("api_action", "proposal", _proposal),
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
