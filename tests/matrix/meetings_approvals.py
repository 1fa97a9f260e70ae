"""Permission-matrix entries of the approval of the minutes by every participant
(meetings.approvals); see tests/test_permissions.py for the kinds.

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
}
SHOWS_OWN_DATA: set[str] = {"meetings:approval_sheet"}
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
QUERY_PAGES = {
    "approval_sheet": lambda t: ("meetings:approval_sheet", {"pk": t.meeting.pk}),
}
