"""Permission-matrix entries for the agenda and minutes documents, the invitation and the
calendar subscriptions; see tests/test_permissions.py for the kinds.

The documents are PDF and DOCX (compressed), so the closed canary cannot be looked for in their
bytes here: meetings/tests/test_documents.py reads them back with pdftotext and python-docx.
"""

import secrets


def feed_token(t, kind: str) -> str:
    """The token of a calendar feed of the world's body or person, created when missing."""
    from meetings.models import CalendarFeed

    target = t.body if kind == "body" else t.person
    feed, _ = CalendarFeed.objects.get_or_create(
        **{kind: target},
        defaults={"municipality": t.municipality, "token": secrets.token_urlsafe(32)},
    )
    return feed.token


MATRIX = {
    "meetings:agenda_pdf": (
        "read",
        "meeting",
        lambda t: {"pk": t.meeting.pk},
        "meetings.see_agenda",
    ),
    "meetings:agenda_docx": (
        "read",
        "meeting",
        lambda t: {"pk": t.meeting.pk},
        "meetings.see_agenda",
    ),
    "meetings:minutes_pdf": (
        "read",
        "meeting",
        lambda t: {"pk": t.meeting.pk},
        "meetings.see_decisions",
    ),
    "meetings:minutes_docx": (
        "read",
        "meeting",
        lambda t: {"pk": t.meeting.pk},
        "meetings.see_decisions",
    ),
    "meetings:meeting_ics": (
        "read",
        "meeting",
        lambda t: {"pk": t.meeting.pk},
        "meetings.see_agenda",
    ),
    "meetings:calendar_links": ("read", None, lambda t: {}, "core.view"),
    # POST only (a GET is 405): an empty POST is 400 for every user, anonymous goes to login.
    "meetings:calendar_token": ("post", None, lambda t: {}, "core.view"),
    "meetings:feed_body": ("feed", None, lambda t: {"token": feed_token(t, "body")}, None),
    "meetings:feed_person": ("feed", None, lambda t: {"token": feed_token(t, "person")}, None),
}
SHOWS_OWN_DATA: set[str] = set()
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
