"""Writing, reading and removing private notes (notes/models.py says why they are private).

A note may be written only on an item (or attachment) its author may read: an item of a
meeting whose agenda the user may see (`meetings.see_agenda`), open or of a body the user is
a member of (`meetings.see_closed`); an attachment likewise, and a closed one only for those
who see closed items. Anything else is as unknown to the user as an id that does not exist.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _

from meetings.models import AgendaItem, Attachment, ItemKind, Meeting
from meetings.rules import is_admin, member_body_ids, open_or_member, published_agendas
from notes.models import MAX_LENGTH, Note


def readable_items(user):
    """The agenda items the user may read in full (and so write notes on); not breaks."""
    return (
        AgendaItem.objects.filter(published_agendas(user, prefix="meeting__"))
        .filter(open_or_member(user))
        .exclude(kind=ItemKind.BREAK)
    )


def readable_attachments(user):
    """The attachments the user may read: of readable items, and closed ones only for the
    members of the body and administrators."""
    attachments = Attachment.objects.filter(
        published_agendas(user, prefix="item__meeting__")
    ).filter(open_or_member(user, prefix="item__"))
    if not is_admin(user):
        attachments = attachments.filter(
            Q(closed=False) | Q(item__meeting__body_id__in=member_body_ids(user))
        )
    return attachments


def clean_text(text: str | None) -> str:
    """The note's text, stripped; refused when empty or too long."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(
            _("The note is empty. Write something, or delete the note to remove it."),
            code="empty",
        )
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            _("A note can be at most %(max)s characters long; this one has %(count)s."),
            code="too_long",
            params={
                "max": formats.number_format(MAX_LENGTH, force_grouping=True),
                "count": formats.number_format(len(text), force_grouping=True),
            },
        )
    return text


def _target_field(target) -> str:
    if isinstance(target, AgendaItem):
        return "item"
    if isinstance(target, Attachment):
        return "attachment"
    raise TypeError(f"A note is on an agenda item or an attachment, not on {target!r}")


def note_on(user, target) -> Note | None:
    """The user's note on an item or an attachment, if they wrote one."""
    return Note.objects.of(user).filter(**{_target_field(target): target}).first()


def save_note(user, target, text: str) -> Note:
    """Write the user's note on `target` (an item or attachment the user may read), or change
    it. Refused (ValidationError) when the text is empty or too long; an item or attachment
    the user may not read is refused as unknown (`Note.DoesNotExist`). Nothing is written
    when refused."""
    field = _target_field(target)
    text = clean_text(text)
    readable = readable_items(user) if field == "item" else readable_attachments(user)
    if not readable.filter(pk=target.pk).exists():
        raise Note.DoesNotExist
    with transaction.atomic():
        note, _created = Note.objects.update_or_create(
            author=user,
            municipality_id=user.municipality_id,
            **{field: target},
            defaults={"text": text},
        )
    return note


def delete_note(user, note: Note) -> None:
    """Delete the user's own note (the view found it through `notes.own`)."""
    Note.objects.of(user).filter(pk=note.pk).delete()


def notes_of_meeting(user, meeting_id: int) -> dict[tuple[str, int], Note]:
    """The user's notes on a meeting's items and attachments, by ("item" | "attachment", id):
    one query."""
    notes = Note.objects.of(user).of_meeting(meeting_id)
    return {("item", n.item_id) if n.item_id else ("attachment", n.attachment_id): n for n in notes}


@dataclass
class MeetingNotes:
    meeting: Meeting
    notes: list[Note]


def notes_by_meeting(user) -> list[MeetingNotes]:
    """All the user's notes, by meeting (newest first), each meeting's in agenda order: one
    query."""
    notes = Note.objects.of(user).select_related(
        "item__meeting__body", "attachment__item__meeting__body"
    )
    groups: dict[int, MeetingNotes] = {}
    for note in notes:
        item = note.agenda_item
        group = groups.setdefault(item.meeting_id, MeetingNotes(item.meeting, []))
        group.notes.append(note)
    result = sorted(
        groups.values(), key=lambda g: (g.meeting.date, g.meeting.start, g.meeting.pk), reverse=True
    )
    for group in result:
        group.notes.sort(
            key=lambda n: (
                n.agenda_item.position,
                n.agenda_item.pk,
                n.attachment.position if n.attachment is not None else -1,
                n.attachment_id or 0,
            )
        )
    return result
