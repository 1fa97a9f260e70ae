"""Permission-matrix entries of the meeting pages; see tests/test_permissions.py for the kinds.

Change pages point at the draft meeting (and its item), whose agenda may still change; the
pages of a step that an empty POST must not take point where the step is not possible.
"""


def _draft_item(t):
    return {"pk": t.draft_meeting.items.get().pk}


MATRIX = {
    "meetings:meeting_list": ("read", None, lambda t: {}, "core.view"),
    "meetings:meeting_create": ("change", None, lambda t: {}, "meetings.plan"),
    "meetings:meeting_plan_year": ("change", "body", lambda t: {"pk": t.body.pk}, "meetings.edit"),
    "meetings:meeting_detail": ("read", "meeting", lambda t: {"pk": t.meeting.pk}, "core.view"),
    "meetings:meeting_edit": (
        "change",
        "meeting",
        lambda t: {"pk": t.draft_meeting.pk},
        "meetings.edit",
    ),
    "meetings:item_add": (
        "change",
        "meeting",
        lambda t: {"pk": t.draft_meeting.pk},
        "meetings.edit",
    ),
    "meetings:item_edit": ("change", "item", _draft_item, "meetings.edit"),
    "meetings:item_move": ("change", "item", _draft_item, "meetings.edit"),
    "meetings:item_delete": ("change", "item", _draft_item, "meetings.edit"),
    "meetings:backlog_add": (
        "change",
        "meeting",
        lambda t: {"pk": t.draft_meeting.pk},
        "meetings.edit",
    ),
    "meetings:agenda_approve": (
        "approve",
        "meeting",
        lambda t: {"pk": t.draft_meeting.pk},
        "meetings.approve",
    ),
    "meetings:agenda_send": (
        "change",
        "meeting",
        lambda t: {"pk": t.draft_meeting.pk},
        "meetings.edit",
    ),
    "meetings:meeting_held": (
        "change",
        "meeting",
        lambda t: {"pk": t.draft_meeting.pk},
        "meetings.edit",
    ),
    "meetings:meeting_record_afterwards": (
        "change",
        "meeting",
        lambda t: {"pk": t.draft_meeting.pk},
        "meetings.edit",
    ),
    "meetings:minutes_item": ("change", "item", lambda t: {"pk": t.open_item.pk}, "meetings.edit"),
    "meetings:followup_add": ("change", "item", lambda t: {"pk": t.open_item.pk}, "meetings.edit"),
    "meetings:attendance": (
        "change",
        "meeting",
        lambda t: {"pk": t.draft_meeting.pk},
        "meetings.edit",
    ),
    "meetings:minutes_approve": (
        "approve",
        "meeting",
        lambda t: {"pk": t.draft_meeting.pk},
        "meetings.approve",
    ),
    "meetings:minutes_reopen": (
        "approve",
        "meeting",
        lambda t: {"pk": t.meeting.pk},
        "meetings.approve",
    ),
    "meetings:minutes_versions": ("read", "meeting", lambda t: {"pk": t.meeting.pk}, "core.view"),
    "meetings:meeting_history": ("read", "meeting", lambda t: {"pk": t.meeting.pk}, "core.view"),
}
SHOWS_OWN_DATA: set[str] = {"meetings:meeting_list", "meetings:meeting_detail"}
SHOWS_CLOSED: set[str] = {"meetings:meeting_detail", "meetings:minutes_versions"}
READ_ONLY_API: set[str] = set()
