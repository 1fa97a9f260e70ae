"""Permission-matrix entries of the forward trace of decisions; see tests/test_permissions.py
for the kinds.

Everyone in the municipality may ask what became of a decision they may read in the decision
log. The matrix asks for the world's closed item: members of its body and administrators read
its trace (with the closed canary), everyone else is told it does not exist (404), as in the
decision log, where it is not listed for them. A body's decisions of the last two years (the
world's meeting is older) are read by everyone; closed items only by members.
"""


def _body(t) -> dict:
    return {"pk": t.body.pk}


MATRIX: dict = {
    "planning:decision_trace": (
        "member",
        "item",
        lambda t: {"pk": t.closed_item.pk},
        "core.view",
    ),
    "planning:body_decisions": ("read", "body", _body, "core.view"),
    "planning:body_decisions_xlsx": ("read", "body", _body, "core.view"),
}
SHOWS_OWN_DATA: set[str] = {
    "planning:decision_trace",
    "planning:body_decisions",
}
SHOWS_CLOSED: set[str] = {"planning:decision_trace"}
READ_ONLY_API: set[str] = set()
QUERY_PAGES: dict = {
    "decision_trace": lambda t: ("planning:decision_trace", {"pk": t.open_item.pk}),
    "body_decisions": lambda t: ("planning:body_decisions", {"pk": t.body.pk}),
    "body_decisions_xlsx": lambda t: ("planning:body_decisions_xlsx", {"pk": t.body.pk}),
}
