"""Permission-matrix entries of the register's duties on the annual wheel (planning/wheel):
recording the outcome of a body's yearly review per system; see tests/test_permissions.py for
the kinds.

Those who keep the register (`systems.change`: administrators and secretaries; the world has
no data protection officer or IT security group) record it. The world's system (t.usage,
with the canary in its name) is governed by t.body; the review activity of t.body is made
on first use (a permitted check's writes are rolled back after it).
"""


def review(t):
    """The yearly review of t.body on the wheel (kind review)."""
    from planning.models import ActivityKind, WheelActivity

    activity, _ = WheelActivity.objects.get_or_create(
        municipality=t.municipality,
        body=t.body,
        kind=ActivityKind.REVIEW,
        title="Årlig gennemgang af risikovurderinger",
        defaults={"month": 11, "day": 1, "starts_on": t.activity.starts_on},
    )
    return activity


MATRIX: dict = {
    "planning:activity_review": (
        "change",
        "activity",
        lambda t: {"pk": review(t).pk},
        "systems.change",
    ),
}
SHOWS_OWN_DATA: set[str] = {"planning:activity_review"}
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
QUERY_PAGES: dict = {
    "wheel_review": lambda t: ("planning:activity_review", {"pk": review(t).pk}),
}
