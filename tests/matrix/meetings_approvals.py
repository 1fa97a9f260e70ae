"""Permission-matrix entries of the approval of the minutes by every participant
(meetings.approvals) and of the meeting as it really runs (meetings.proceedings); see
tests/test_permissions.py for the kinds.

The approval page of the meeting with approved minutes is read by everyone; approving and
remarking are for the members of the body and those present (the world records no
attendance, so the service refuses them all; the pages answer the members), others 404;
the secretary's steps point at the draft meeting, where an empty POST is refused.
"""

MATRIX = {
    "meetings:approval_sheet": (
        "read",
        "meeting",
        lambda t: {"pk": t.meeting.pk},
        "meetings.see_approvals",
    ),
    "meetings:approval_approve": (
        "member",
        "meeting",
        lambda t: {"pk": t.meeting.pk},
        "meetings.answer_minutes",
    ),
    "meetings:approval_remark": (
        "member",
        "meeting",
        lambda t: {"pk": t.meeting.pk},
        "meetings.answer_minutes",
    ),
    "meetings:approval_circulate": (
        "change",
        "meeting",
        lambda t: {"pk": t.draft_meeting.pk},
        "meetings.edit",
    ),
    "meetings:approval_withdraw": (
        "change",
        "meeting",
        lambda t: {"pk": t.draft_meeting.pk},
        "meetings.edit",
    ),
    "meetings:approval_close": (
        "approve",
        "meeting",
        lambda t: {"pk": t.draft_meeting.pk},
        "meetings.approve",
    ),
    # The meeting as it really runs (meetings.proceedings): the secretary records who took
    # part in an item and substitutes (an empty POST is refused: the world's meeting is
    # approved, the draft's agenda not held); dissents are for those at the meeting.
    "meetings:item_absences": (
        "change",
        "item",
        lambda t: {"pk": t.open_item.pk},
        "meetings.edit",
    ),
    "meetings:substitute": (
        "change",
        "meeting",
        lambda t: {"pk": t.draft_meeting.pk},
        "meetings.edit",
    ),
    "meetings:addendum": (
        "member",
        "item",
        lambda t: {"pk": t.open_item.pk},
        "meetings.answer_minutes",
    ),
}
SHOWS_OWN_DATA: set[str] = {"meetings:approval_sheet"}
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
QUERY_PAGES = {
    "approval_sheet": lambda t: ("meetings:approval_sheet", {"pk": t.meeting.pk}),
}
