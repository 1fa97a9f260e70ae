"""Permission-matrix entries for cases, attachments, the decision log and follow-ups;
see tests/test_permissions.py for the kinds."""

import datetime


def _draft_item(t):
    """The item of the world's draft agenda: attachments may still be added to it."""
    return t.draft_meeting.items.get()


def _secretary_follow_up(t):
    """An open follow-up owned by the secretary: for the MEMBER user (not its owner, no
    meetings.change) editing it is forbidden, as for the other roles without rights."""
    from meetings.models import FollowUp

    follow_up, _ = FollowUp.objects.get_or_create(
        municipality=t.municipality,
        body=t.body,
        item=t.open_item,
        owner=t.secretary_person,
        defaults={
            "description": "Sekretæren sender referatet",
            "due_date": datetime.date(2024, 7, 1),
        },
    )
    return follow_up


MATRIX = {
    "meetings:case_list": ("read", None, lambda t: {}, "core.view"),
    "meetings:case_create": ("change", None, lambda t: {}, "meetings.change_cases"),
    "meetings:case_detail": ("read", "case", lambda t: {"pk": t.case.pk}, "core.view"),
    "meetings:case_edit": ("change", "case", lambda t: {"pk": t.case.pk}, "meetings.change_cases"),
    "meetings:attachment_add": (
        "change",
        "item",
        lambda t: {"pk": _draft_item(t).pk},
        "meetings.edit",
    ),
    "meetings:attachment_edit": (
        "change",
        "attachment",
        lambda t: {"pk": t.open_attachment.pk},
        "core.view",
    ),
    # The closed attachment: members only, others may not know it exists (404). The open
    # one (everyone once the agenda is sent) is tested in meetings/tests/test_attachments.py.
    "meetings:attachment_download": (
        "member",
        "attachment",
        lambda t: {"pk": t.closed_attachment.pk},
        "core.view",
    ),
    "meetings:decision_list": ("read", None, lambda t: {}, "core.view"),
    "meetings:decision_xlsx": ("read", None, lambda t: {}, "core.view"),
    "meetings:followup_list": ("read", None, lambda t: {}, "core.view"),
    "meetings:my_followups": ("read", None, lambda t: {}, "core.view"),
    "meetings:followup_edit": (
        "change",
        "follow_up",
        lambda t: {"pk": _secretary_follow_up(t).pk},
        "meetings.see_follow_up",
    ),
}
SHOWS_OWN_DATA: set[str] = {
    "meetings:case_list",
    "meetings:case_detail",
    "meetings:decision_list",
    "meetings:followup_list",
}
SHOWS_CLOSED: set[str] = {
    "meetings:decision_list",
    "meetings:followup_list",
    "meetings:attachment_download",
}
READ_ONLY_API: set[str] = set()
