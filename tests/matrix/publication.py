"""Permission-matrix entries of the public pages (publication); see tests/test_permissions.py
for the kinds.

The public pages answer everyone, logged in or not, with the published subset of the
municipality their address names: they are "feed" entries (anyone, 200), because an outsider
reading the world's municipality's public site sees that municipality's open data, as the
holder of a feed's token does. Nothing closed is ever on them (the closed canary is checked for
every actor who is no member). The secretary's settings and "publish now" are "change".
"""


def _slug(t) -> dict:
    return {"slug": t.municipality.slug}


def _body(t) -> dict:
    return {"slug": t.municipality.slug, "pk": t.body.pk}


def _meeting(t) -> dict:
    return {"slug": t.municipality.slug, "pk": t.meeting.pk}


MATRIX: dict = {
    "publication:index": ("feed", None, _slug, None),
    "publication:body": ("feed", None, _body, None),
    "publication:body_feed": ("feed", None, _body, None),
    "publication:body_ical": ("feed", None, _body, None),
    "publication:meeting": ("feed", None, _meeting, None),
    "publication:attachment": (
        "feed",
        None,
        lambda t: {"slug": t.municipality.slug, "pk": t.open_attachment.pk},
        None,
    ),
    "publication:decisions": ("feed", None, _slug, None),
    "publication:body_settings": (
        "change",
        "body",
        lambda t: {"pk": t.body.pk},
        "publication.change",
    ),
    "publication:publish_now": (
        "change",
        "meeting",
        lambda t: {"pk": t.meeting.pk},
        "publication.change",
    ),
}
SHOWS_OWN_DATA: set[str] = set()
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
# Logged in as the administrator (tests/test_query_counts.py); publication/tests checks the
# same pages anonymously. The search asks for a word the world's decision has ("Godkendt"), so
# that the small world, too, has a hit whose attachments are read (a prefetch runs only then).
QUERY_PAGES: dict = {
    "public_index": lambda t: ("publication:index", _slug(t)),
    "public_body": lambda t: ("publication:body", _body(t)),
    "public_meeting": lambda t: ("publication:meeting", _meeting(t)),
    "public_decisions": lambda t: ("publication:decisions", _slug(t)),
    "public_decision_search": lambda t: ("publication:decisions", _slug(t), "?q=godkendt"),
    "public_body_feed": lambda t: ("publication:body_feed", _body(t)),
    "public_body_ical": lambda t: ("publication:body_ical", _body(t)),
}
