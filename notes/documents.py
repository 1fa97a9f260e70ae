"""The agenda of a meeting with the user's own notes, as a PDF to print (A4, Danish, tagged
PDF/UA by `documents.pdf`).

Each item of the agenda in its timed order: its time and title, and — where the user may read
it in full — its case text, recommendation, attachments and (once the user may read them) its
decision, then the user's note on it and on each of its attachments. A closed item the user may
not read is its title and "Lukket punkt" only, as in the public agenda. The labels are Danish
whatever the page's language, as in `meetings.documents`.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

from core.permissions import has_perm
from documents.pdf import html_to_pdf
from meetings import services as meeting_services
from meetings.documents import capitalise, guests_line
from meetings.models import Meeting
from notes import services


@dataclass
class AttachmentLine:
    number: int
    title: str
    closed: bool
    hidden: bool
    note: str = ""


@dataclass
class ItemBlock:
    time: str
    title: str
    is_break: bool
    closed: bool
    hidden: bool  # a closed item the user may not read: its title and "Lukket punkt" only
    text: str = ""
    guests: str = ""
    recommendation: str = ""
    decision: str = ""
    note: str = ""
    attachments: list[AttachmentLine] = field(default_factory=list)


@dataclass
class NotesDocument:
    meeting: Meeting
    title: str
    heading: str
    when: str
    place: str
    author: str
    printed: str
    items: list[ItemBlock]
    count: int


def build(meeting: Meeting, user, sees_closed: bool) -> NotesDocument:
    """The agenda with the user's notes: the items (4 queries, as the agenda page) and the
    user's notes on them (1 query)."""
    items = meeting_services.agenda_items(meeting)
    notes = services.notes_of_meeting(user, meeting.pk)
    sees_decisions = has_perm(user, "meetings.see_decisions", meeting)
    numbers = {a.pk: n for n, a in meeting_services.numbered_attachments(items)}
    blocks = []
    for timed in meeting_services.timed_items(meeting, items):
        item = timed.item
        hidden = item.closed and not sees_closed
        note = notes.get(("item", item.pk))
        block = ItemBlock(
            time=meeting_services.format_time(timed.start),
            title=item.title,
            is_break=item.is_break,
            closed=item.closed,
            hidden=hidden,
        )
        if not hidden:
            block.text = item.case_text.strip()
            block.guests = guests_line(item)
            block.recommendation = item.recommendation.strip()
            if sees_decisions:
                block.decision = (
                    "Punktet blev ikke behandlet." if item.not_treated else item.decision.strip()
                )
            block.note = note.text if note else ""
        for attachment in item.attachments.all():
            closed = attachment.closed or item.closed
            secret = closed and not sees_closed
            attachment_note = notes.get(("attachment", attachment.pk))
            block.attachments.append(
                AttachmentLine(
                    number=numbers.get(attachment.pk, 0),
                    title=attachment.title,
                    closed=closed,
                    hidden=secret,
                    note="" if secret or not attachment_note else attachment_note.text,
                )
            )
        blocks.append(block)
    with translation.override("da"):
        end = meeting_services.meeting_end(meeting, items)
        date = formats.date_format(meeting.date, "l j. F Y")
        when = (
            f"{capitalise(date)} kl. {meeting_services.format_time(meeting.start)}"
            f"–{meeting_services.format_time(end)}"
        )
        printed = formats.date_format(timezone.localtime(), "j. F Y \\k\\l. H.i")
    count = sum(1 for b in blocks if b.note) + sum(
        1 for b in blocks for a in b.attachments if a.note
    )
    return NotesDocument(
        meeting=meeting,
        title=f"Dagsorden med mine noter: {meeting.heading}",
        heading=meeting.heading,
        when=when,
        place=meeting.place,
        author=user.get_full_name() or user.get_username(),
        printed=printed,
        items=blocks,
        count=count,
    )


def agenda_with_notes_pdf(meeting: Meeting, user, sees_closed: bool) -> bytes:
    document = build(meeting, user, sees_closed)
    with translation.override("da"):
        html = render_to_string("notes/agenda_pdf.html", {"doc": document})
    return html_to_pdf(html)


def filename(meeting: Meeting) -> str:
    """“dagsorden-2024-05-15-mine-noter.pdf”."""
    return f"dagsorden-{meeting.date:%Y-%m-%d}-mine-noter.pdf"
