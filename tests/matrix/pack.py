"""Permission-matrix entries of pack; see tests/test_permissions.py for the kinds.

The pack of a meeting is read by those who see the meeting's agenda: the world's `meeting`
(minutes approved) is visible to everyone in the municipality. Attaching the pack to an agenda
needs the right to build it: `draft_meeting`'s agenda is still a draft, and the administrator
and the body's secretary may edit it (GET shows the choice; an empty POST is 422 and writes
nothing). The PDF and DOCX are compressed, so pack/tests/test_pack.py reads them back.
"""

MATRIX = {
    "pack:pack_choose": ("read", None, lambda t: {}, "core.view"),
    "pack:pack": ("read", "meeting", lambda t: {"pk": t.meeting.pk}, "meetings.see_agenda"),
    "pack:pack_pdf": (
        "read",
        "meeting",
        lambda t: {"pk": t.meeting.pk},
        "meetings.see_agenda",
    ),
    "pack:pack_docx": (
        "read",
        "meeting",
        lambda t: {"pk": t.meeting.pk},
        "meetings.see_agenda",
    ),
    "pack:pack_attach": (
        "change",
        "meeting",
        lambda t: {"pk": t.draft_meeting.pk},
        "meetings.edit",
    ),
}
SHOWS_OWN_DATA: set[str] = {"pack:pack", "pack:pack_choose"}
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
QUERY_PAGES: dict = {
    "portfolio_pack": lambda t: ("pack:pack", {"pk": t.draft_meeting.pk}),
    "portfolio_pack_docx": lambda t: ("pack:pack_docx", {"pk": t.draft_meeting.pk}),
    "portfolio_pack_choose": lambda t: ("pack:pack_choose", {}),
}
