"""Permission-matrix entries of private notes (notes/); see tests/test_permissions.py for the
kinds.

Every role keeps notes of its own (`notes.own`): "Mine noter", the note of the world's open
item and open attachment (a form, empty for those who wrote none) and the agenda of the
world's meeting with one's notes are read by every role; the outsider gets 404 for the own
municipality's item, attachment and meeting. Deleting a note is the author's alone: the world's
administrator wrote `admin_note`, and everyone else gets 404 for it (`own_key`, as for an API
key of one's own).

The world's notes on the open item and attachment are written by a user who is none of the
matrix's actors (`tests.world.add_notes`) and carry the other municipality's canary, so the
matrix's check that no page shows that canary proves that no page, export or API answer shows
another user's note to anyone, the administrator included. The PDFs are compressed:
notes/tests/ reads them back.

`note-list` (/api/v1/notes/) is read by every role, each getting their own notes only.
"""

MATRIX = {
    "notes:mine": ("read", None, lambda t: {}, "notes.own"),
    "notes:item_note": ("read", "item", lambda t: {"pk": t.open_item.pk}, "notes.own"),
    "notes:attachment_note": (
        "read",
        "attachment",
        lambda t: {"pk": t.open_attachment.pk},
        "notes.own",
    ),
    "notes:meeting_pdf": ("read", "meeting", lambda t: {"pk": t.meeting.pk}, "notes.own"),
    "notes:note_delete": ("own_key", "note", lambda t: {"pk": t.admin_note.pk}, "notes.own"),
    # The API lists the asker's own notes; it takes no writes (403 for everyone).
    "note-list": ("api", None, lambda t: {}, None),
}
SHOWS_OWN_DATA: set[str] = set()
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
