"""Permission-matrix entries of the meetings API; see tests/test_permissions.py for the kinds.

The state changes of a meeting (approve-agenda …) answer POST only: kind "api_action", whose
GET is 405 for every logged-in user (the route exists for any id, so an outsider learns
nothing) and 401/403 for anonymous. Who may POST them is tested in meetings/tests/test_api.py.
"""


def _attendance(t) -> dict:
    from meetings.models import Attendance

    row, _ = Attendance.objects.get_or_create(
        meeting=t.meeting, person=t.person, defaults={"municipality": t.municipality}
    )
    return {"pk": row.pk}


def _meeting(t) -> dict:
    return {"pk": t.meeting.pk}


MATRIX = {
    "meeting-list": ("api", None, lambda t: {}, "meetings.change"),
    "meeting-detail": ("api", "meeting", _meeting, "meetings.edit"),
    "meeting-agenda": ("api", "meeting", _meeting, "meetings.edit"),
    "meeting-approve-agenda": (
        "api_action",
        "meeting",
        lambda t: {"pk": t.draft_meeting.pk},
        "meetings.approve",
    ),
    "meeting-send-agenda": (
        "api_action",
        "meeting",
        lambda t: {"pk": t.draft_meeting.pk},
        "meetings.edit",
    ),
    "meeting-held": (
        "api_action",
        "meeting",
        lambda t: {"pk": t.draft_meeting.pk},
        "meetings.edit",
    ),
    "meeting-import-meeting": ("api_action", None, lambda t: {}, "meetings.change"),
    "meeting-record-afterwards": (
        "api_action",
        "meeting",
        lambda t: {"pk": t.draft_meeting.pk},
        "meetings.edit",
    ),
    "meeting-approve-minutes": ("api_action", "meeting", _meeting, "meetings.approve"),
    "meeting-reopen-minutes": ("api_action", "meeting", _meeting, "meetings.approve"),
    "agendaitem-list": ("api", None, lambda t: {}, "meetings.change"),
    "agendaitem-detail": ("api", "item", lambda t: {"pk": t.open_item.pk}, "meetings.edit"),
    "case-list": ("api", None, lambda t: {}, "meetings.change_cases"),
    "case-detail": ("api", "case", lambda t: {"pk": t.case.pk}, "meetings.change_cases"),
    "attachment-list": ("api", None, lambda t: {}, "meetings.change"),
    "attachment-detail": (
        "api",
        "attachment",
        lambda t: {"pk": t.open_attachment.pk},
        "meetings.change",
    ),
    "followup-list": ("api", None, lambda t: {}, "meetings.change"),
    "followup-detail": ("api", "follow_up", lambda t: {"pk": t.follow_up.pk}, "meetings.edit"),
    "attendance-list": ("api", None, lambda t: {}, "meetings.change"),
    "attendance-detail": ("api", "attendance", _attendance, "meetings.edit"),
    "decision-list": ("api", None, lambda t: {}, "meetings.change"),
    "decision-detail": ("api", "item", lambda t: {"pk": t.open_item.pk}, "meetings.change"),
}

SHOWS_OWN_DATA: set[str] = {
    "meeting-list",
    "meeting-detail",
    "meeting-agenda",
    "agendaitem-list",
    "agendaitem-detail",
    "case-list",
    "case-detail",
    "attachment-list",
    "attachment-detail",
    "followup-list",
    "followup-detail",
    "decision-list",
    "decision-detail",
}

# Members of the body (and administrators) see the closed item's texts, its follow-up and
# the closed attachment's document number in these answers; nobody else ever does.
SHOWS_CLOSED: set[str] = {
    "meeting-agenda",
    "agendaitem-list",
    "attachment-list",
    "followup-list",
    "decision-list",
}

# GET-only: a write is refused before any object is looked at.
READ_ONLY_API: set[str] = {
    "meeting-agenda",
    "decision-list",
    "decision-detail",
}
