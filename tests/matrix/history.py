"""Permission-matrix entries of the one history page (`core.history`, organisation:history).

Its URL is one for every kind (historik/<kind>/<pk>/), listed with the organisation's pages in
tests/test_permissions.py; who may read which kind, the closed item and another
municipality's object are checked kind by kind in tests/test_history.py. Here: the page of
each kind whose queries tests/test_query_counts.py keeps constant.
"""

MATRIX: dict = {}
SHOWS_OWN_DATA: set[str] = set()
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()


def _history(kind: str, obj):
    return lambda t: ("organisation:history", {"kind": kind, "pk": obj(t).pk})


QUERY_PAGES = {
    "case_history": _history("sag", lambda t: t.case),
    "item_history": _history("punkt", lambda t: t.closed_item),
    "followup_history": _history("opfoelgning", lambda t: t.follow_up),
    "risk_history": _history("risiko", lambda t: t.risk),
    "proposal_history": _history("forslag", lambda t: t.proposal),
    "strategy_history": _history("strategi", lambda t: t.strategy),
    "goal_history": _history("maal", lambda t: t.goal),
    "membership_history": _history("medlemskab", lambda t: t.membership),
}
